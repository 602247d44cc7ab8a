#include "app/gui/prometheusbrowser.h"

#include <QAction>
#include <QDateTime>
#include <QFutureWatcher>
#include <QMenu>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

#include "app/gui/mainwindow.h"
#include "app/gui/prometheusdialog.h"
#include "app/prom/promhttp.h"
#include "widgets/timelineview.h"

namespace loadline::app {

namespace {

constexpr int kMaxPoints = 2000;  // about the chart's width in pixels: finer adds nothing visible

using Results = std::vector<core::Result<core::fleet::PromImport>>;

// Appends rows [begin, end) of src to dst, columns matched by name (text columns as text).
void appendRows(core::SeriesTable& dst, const core::SeriesTable& src, std::size_t begin, std::size_t end) {
    std::vector<int> map(static_cast<std::size_t>(src.columnCount()));
    for (int c = 0; c < src.columnCount(); ++c)
        map[static_cast<std::size_t>(c)] = dst.ensureColumn(src.columnName(c), src.isTextColumn(c));
    for (std::size_t r = begin; r < end; ++r) {
        dst.appendRow(src.timestamp(r));
        for (int c = 0; c < src.columnCount(); ++c) {
            const int d = map[static_cast<std::size_t>(c)];
            if (src.isTextColumn(c)) {
                auto t = src.text(c, r);
                if (!t.empty()) dst.setLastText(d, t);
            } else {
                dst.setLast(d, src.value(c, r));
            }
        }
    }
}

// coarse outside [fine's first, fine's last], fine inside.
void splice(core::SeriesTable& out, const core::SeriesTable& coarse, const core::SeriesTable& fine) {
    if (fine.empty()) {
        appendRows(out, coarse, 0, coarse.size());
        return;
    }
    const double f0 = fine.timestamp(0), f1 = fine.timestamp(fine.size() - 1);
    appendRows(out, coarse, 0, coarse.lowerBound(f0));
    appendRows(out, fine, 0, fine.size());
    appendRows(out, coarse, coarse.upperBound(f1), coarse.size());
}

std::shared_ptr<core::Recording> spliced(const core::Recording& coarse, const core::Recording& fine) {
    auto out = std::make_shared<core::Recording>();
    out->timeline.metadata = coarse.timeline.metadata;  // the coarse step: fine points join, gaps stay gaps
    splice(out->timeline.system, coarse.timeline.system, fine.timeline.system);
    for (const auto& [pid, p] : coarse.timeline.processes) {
        auto f = fine.timeline.processes.find(pid);
        splice(out->timeline.process(pid).samples, p.samples,
               f == fine.timeline.processes.end() ? core::SeriesTable() : f->second.samples);
    }
    for (const auto& [pid, p] : fine.timeline.processes)
        if (!coarse.timeline.processes.count(pid))
            appendRows(out->timeline.process(pid).samples, p.samples, 0, p.samples.size());
    out->warnings = fine.warnings;
    return out;
}

}  // namespace

PrometheusBrowser::PrometheusBrowser(MainWindow* window) : QObject(window), m_window(window) {
    setObjectName(QStringLiteral("prometheusBrowser"));
    m_openAction = new QAction(tr("Open from &Prometheus…"), this);
    m_openAction->setStatusTip(tr("Show nodes of a fleet from a Prometheus server"));
    connect(m_openAction, &QAction::triggered, this, &PrometheusBrowser::dialog);
    m_followAction = new QAction(tr("Follow Prometheus"), this);
    m_followAction->setCheckable(true);
    m_followAction->setEnabled(false);
    m_followAction->setStatusTip(tr("Re-query the newest range every few seconds"));
    connect(m_followAction, &QAction::toggled, this, &PrometheusBrowser::setFollow);

    m_zoomTimer.setSingleShot(true);
    m_zoomTimer.setInterval(300);  // one query once the wheel stops, not one per notch
    connect(&m_zoomTimer, &QTimer::timeout, this, [this] { start(m_pendingZoom.first, m_pendingZoom.second, true); });
    connect(&m_followTimer, &QTimer::timeout, this, &PrometheusBrowser::requery);
    connect(window->timelineView(), &widgets::TimelineView::viewRangeChanged, this, &PrometheusBrowser::onViewRange);
    // Another recording replaced ours: stop following and zooming.
    connect(window, &MainWindow::recordingChanged, this, [this](const auto& rec) {
        if (!m_showing && rec && m_nodes.size() && rec != m_lastShown) {
            m_followTimer.stop();
            m_followAction->setChecked(false);
            m_followAction->setEnabled(false);
            m_nodes.clear();
        }
    });
}

void PrometheusBrowser::dialog() {
    PrometheusDialog d(m_window);
    if (d.exec() != QDialog::Accepted) return;
    QString error;
    if (auto q = d.query(&error)) open(*q);
}

void PrometheusBrowser::open(const PrometheusQuery& query) {
    m_query = query;
    m_nodes.clear();
    start(query.from, query.to, false);
}

void PrometheusBrowser::setFollow(bool on) {
    if (m_followAction->isChecked() != on) m_followAction->setChecked(on);
    m_query.follow = on;
    if (on) {
        m_followTimer.start(std::max(2000, static_cast<int>(m_coarseStep * 1000)));
        requery();
    } else {
        m_followTimer.stop();
    }
}

void PrometheusBrowser::requery() {
    if (m_busy || m_query.instances.isEmpty()) return;
    const double span = m_query.to - m_query.from;
    m_query.to = static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    m_query.from = m_query.to - span;
    start(m_query.from, m_query.to, false);
}

void PrometheusBrowser::onViewRange(double t0, double t1) {
    if (m_showing || m_nodes.empty() || m_query.follow || !(t1 > t0)) return;
    const double want = core::fleet::defaultStep(t1 - t0, m_scrape, kMaxPoints);
    if (want * 2 > m_step) return;  // not worth a query: less than twice finer
    m_pendingZoom = {std::max(t0, m_query.from), std::min(t1, m_query.to)};
    if (m_pendingZoom.second > m_pendingZoom.first) m_zoomTimer.start();
}

void PrometheusBrowser::start(double from, double to, bool zoom) {
    const quint64 gen = ++m_generation;
    m_busy = true;
    const PrometheusQuery q = m_query;
    m_window->statusBar()->showMessage(tr("Querying %1…").arg(q.url.toString()));
    auto* watcher = new QFutureWatcher<Results>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen, zoom, from, to] {
        watcher->deleteLater();
        if (gen != m_generation) return;  // a newer query replaced this one
        m_busy = false;
        Results results = watcher->result();
        for (const auto& r : results)
            if (!r) {
                const QString msg = QString::fromStdString(r.error().toString());
                m_window->statusBar()->showMessage(msg, 15000);
                emit failed(msg);
                return;
            }
        ++m_imports;
        std::vector<std::shared_ptr<core::Recording>> nodes;
        for (auto& r : results) nodes.push_back(std::make_shared<core::Recording>(std::move(r->recording)));
        m_step = results.front()->step;
        m_scrape = results.front()->scrapeInterval;
        if (!zoom) {
            m_nodes = nodes;
            m_coarseStep = m_step;
        } else {
            for (std::size_t i = 0; i < nodes.size() && i < m_nodes.size(); ++i)
                nodes[i] = spliced(*m_nodes[i], *nodes[i]);
        }
        std::shared_ptr<core::Recording> display =
            nodes.size() == 1 ? nodes.front() : overlay(nodes, m_query.instances);
        const QString title = m_query.instances.size() == 1
                                  ? tr("Prometheus: %1").arg(m_query.instances.front())
                                  : tr("Prometheus: %1 instances").arg(m_query.instances.size());
        m_showing = true;
        const auto view = m_window->timelineView()->viewRange();
        m_lastShown = display;
        m_window->showImported(display, title);
        if (nodes.size() > 1) {
            m_window->setHighlightedPid(1);
            QList<int> others;
            for (int i = 2; i <= static_cast<int>(nodes.size()); ++i) others << i;
            m_window->timelineView()->setExtraPids(others);
        }
        if (zoom) m_window->timelineView()->zoomToRange(view.first, view.second);
        else if (m_query.follow) m_window->timelineView()->setFollowLatest(true, to - from);
        m_showing = false;
        m_followAction->setEnabled(true);
        m_window->statusBar()->showMessage(
            tr("%1 from %2, step %3 s").arg(title, m_query.url.toString(), QString::number(m_step)), 5000);
        emit shown();
    });
    watcher->setFuture(QtConcurrent::run([q, from, to] {
        PrometheusHttpClient client(q.url, q.authorization);
        Results out;
        for (const QString& inst : q.instances) {
            core::fleet::PromImportRequest req;
            req.server = q.url.toString().toStdString();
            req.instance = inst.toStdString();
            req.from = from;
            req.to = to;
            req.maxPoints = kMaxPoints;
            out.push_back(core::fleet::importFromPrometheus(req, client.fetcher()));
            if (!out.back()) break;
        }
        return out;
    }));
}

std::shared_ptr<core::Recording> PrometheusBrowser::overlay(const std::vector<std::shared_ptr<core::Recording>>& nodes,
                                                            const QStringList& instances) {
    auto out = std::make_shared<core::Recording>();
    if (nodes.empty()) return out;
    const core::SeriesTable& first = nodes.front()->timeline.system;
    // The first node's py-perf columns only: without per-core columns the chart leaves the lines
    // on their own scale (each node's system CPU, 0-100 %), whatever each node's core count.
    core::SeriesTable& sys = out->timeline.system;
    const char* keep[] = {"cpu_percent", "memory_percent", "memory_available_mb", "memory_used_mb",
                          "load_avg_1m", "load_avg_5m",    "load_avg_15m"};
    std::vector<std::pair<int, int>> cols;
    for (const char* k : keep)
        if (int c = first.columnIndex(k); c >= 0) cols.emplace_back(c, sys.ensureColumn(k));
    for (std::size_t r = 0; r < first.size(); ++r) {
        sys.appendRow(first.timestamp(r));
        for (auto [s, d] : cols) sys.setLast(d, first.value(s, r));
    }
    out->timeline.metadata = nodes.front()->timeline.metadata;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const core::SeriesTable& src = nodes[i]->timeline.system;
        core::SeriesTable& t = out->timeline.process(static_cast<int>(i + 1)).samples;
        const int pidCol = t.ensureColumn("pid"), nameCol = t.ensureColumn("name", true),
                  cpuCol = t.ensureColumn("cpu_percent");
        const int srcCpu = src.columnIndex("cpu_percent");
        const std::string name = i < static_cast<std::size_t>(instances.size())
                                     ? instances[static_cast<int>(i)].toStdString()
                                     : std::to_string(i + 1);
        for (std::size_t r = 0; r < src.size(); ++r) {
            t.appendRow(src.timestamp(r));
            t.setLast(pidCol, static_cast<double>(i + 1));
            t.setLastText(nameCol, name);
            t.setLast(cpuCol, srcCpu >= 0 ? src.value(srcCpu, r) : core::kMissing);
        }
    }
    return out;
}

PrometheusBrowser* installPrometheusBrowser(MainWindow* window) {
    auto* b = new PrometheusBrowser(window);
    QMenu* file = window->menu(MainWindow::Menu::File);
    QAction* before = nullptr;
    for (QAction* a : file->actions())
        if (a->isSeparator()) {
            before = a;
            break;
        }
    file->insertAction(before, b->openAction());
    file->insertAction(before, b->followAction());
    return b;
}

}  // namespace loadline::app
