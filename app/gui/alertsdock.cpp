#include "app/gui/alertsdock.h"

#include <QAction>
#include <QDockWidget>
#include <QHeaderView>
#include <QMenu>
#include <QSettings>
#include <QTimer>
#include <QTreeWidget>
#include <algorithm>

#include "app/gui/desktopnotifier.h"
#include "app/gui/livesession.h"
#include "app/gui/datasource.h"
#include "app/gui/mainwindow.h"
#include "app/gui/thresholdsdialog.h"
#include "core/alert/alertjson.h"
#include "widgets/alertlane.h"
#include "widgets/thresholdoverlay.h"
#include "widgets/timelineview.h"

namespace loadline::app {

using namespace core::alert;

AlertsController::AlertsController(MainWindow* window) : QObject(window), m_window(window) {
    setObjectName(QStringLiteral("alertsController"));
    widgets::TimelineView* view = window->timelineView();
    m_lane = new widgets::AlertLane;
    view->addLane(m_lane);
    m_overlay = new widgets::ThresholdOverlay(view);
    auto syncLane = [this, view] {
        const core::TimeMapping m = view->timeMapping();
        m_lane->setMapping(m.t0, m.t1, m.x0, m.width);
    };
    connect(view, &widgets::TimelineView::mappingChanged, this, syncLane);
    connect(view, &widgets::TimelineView::viewRangeChanged, this, syncLane);
    connect(m_lane, &widgets::AlertLane::intervalClicked, this, &AlertsController::zoomTo);

    m_list = new QTreeWidget;
    m_list->setObjectName(QStringLiteral("alertsList"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Severity"), tr("Rule"), tr("PID"), tr("Start"), tr("Duration"), tr("Peak")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    connect(m_list, &QTreeWidget::itemClicked, this,
            [this](QTreeWidgetItem* item) { zoomTo(item->data(0, Qt::UserRole).toInt()); });
    m_dock = new QDockWidget(tr("Alerts"), window);
    m_dock->setObjectName(QStringLiteral("alertsPanel"));
    m_dock->setWidget(m_list);
    window->addPanel(m_dock, Qt::BottomDockWidgetArea);
    m_dock->hide();

    QAction* thresholds = window->menu(MainWindow::Menu::View)->addAction(tr("&Thresholds…"));
    thresholds->setObjectName(QStringLiteral("thresholdsAction"));
    connect(thresholds, &QAction::triggered, this, &AlertsController::thresholdsDialog);

    m_liveTimer = new QTimer(this);
    m_liveTimer->setInterval(1000);
    connect(m_liveTimer, &QTimer::timeout, this, &AlertsController::refresh);
    connect(window, &MainWindow::recordingChanged, this, &AlertsController::onRecordingChanged);
    // The metric shown changes with View → CPU / Memory: the threshold lines follow.
    connect(view, &widgets::TimelineView::mappingChanged, this, &AlertsController::updateLines);

    QStringList saved = QSettings().value(QLatin1String(kAlertRulesSetting)).toStringList();
    for (const QString& text : saved)
        if (auto rule = parseRule(text.toStdString())) m_rules.push_back(std::move(*rule));
}

QStringList AlertsController::ruleTexts() const {
    QStringList out;
    for (const auto& r : m_rules) out << QString::fromStdString(r.text);
    return out;
}

void AlertsController::setRules(const QStringList& rules) {
    m_rules.clear();
    for (const QString& text : rules)
        if (auto rule = parseRule(text.toStdString())) m_rules.push_back(std::move(*rule));
    QSettings().setValue(QLatin1String(kAlertRulesSetting), ruleTexts());
    refresh();
}

void AlertsController::thresholdsDialog() {
    ThresholdsDialog dialog(ruleTexts(), m_window);
    if (dialog.exec() == QDialog::Accepted) setRules(dialog.rules());
}

void AlertsController::onRecordingChanged() {
    m_notifiedKeys.clear();
    const auto rec = m_window->recording();
    const bool live = rec && m_window->source() && m_window->source()->kind() == DataSource::Kind::Live;
    if (live) m_liveTimer->start();
    else m_liveTimer->stop();
    refresh();
}

void AlertsController::refresh() {
    const auto rec = m_window->recording();
    m_intervals.clear();
    double dataEnd = 0;
    if (rec) {
        const core::Timeline& t = rec->timeline;
        dataEnd = t.lastTime().value_or(0);
        std::set<std::tuple<std::string, int, double>> recorded;
        if (auto saved = alertIntervals(t)) {
            for (auto& a : *saved) {
                recorded.insert({a.rule, a.pid, a.start});
                m_intervals.push_back(std::move(a));
            }
        }
        if (!m_rules.empty())
            for (auto& a : evaluate(t, m_rules, {timelineInterval(t)}))
                if (!recorded.count({a.rule, a.pid, a.start})) m_intervals.push_back(std::move(a));
        std::stable_sort(m_intervals.begin(), m_intervals.end(),
                         [](const AlertInterval& a, const AlertInterval& b) { return a.start < b.start; });
    }
    m_lane->setIntervals(m_intervals, dataEnd);
    const core::TimeMapping m = m_window->timelineView()->timeMapping();
    m_lane->setMapping(m.t0, m.t1, m.x0, m.width);

    m_list->clear();
    for (int i = 0; i < static_cast<int>(m_intervals.size()); ++i) {
        const auto& a = m_intervals[static_cast<std::size_t>(i)];
        auto* item = new QTreeWidgetItem(m_list);
        item->setText(0, QString::fromLatin1(severityText(a.severity)));
        item->setForeground(0, a.severity == Severity::Critical ? widgets::AlertLane::criticalColor()
                                                                : widgets::AlertLane::warningColor());
        item->setText(1, QString::fromStdString(a.rule));
        item->setText(
            2, a.pid > 0 ? QStringLiteral("%1 %2").arg(a.pid).arg(QString::fromStdString(a.process)) : QString());
        item->setText(3, QString::fromStdString(formatTime(a.start)));
        item->setText(4, a.end ? QStringLiteral("%1 s").arg(*a.end - a.start, 0, 'f', 1) : tr("open"));
        item->setText(5, QString::fromStdString(numberText(a.peak)));
        item->setData(0, Qt::UserRole, i);
    }
    if (!m_intervals.empty() && !m_dock->isVisible() && !m_liveTimer->isActive()) m_dock->show();
    updateLines();

    // Live: a critical alert that opened since the last look raises a desktop notification.
    if (m_liveTimer->isActive()) {
        for (const auto& a : m_intervals) {
            if (a.severity != Severity::Critical || a.end) continue;
            if (!m_notifiedKeys.insert({a.rule, a.pid, a.start}).second) continue;
            QString body = QStringLiteral("%1 reached %2")
                               .arg(QString::fromStdString(a.metric), QString::fromStdString(numberText(a.peak)));
            if (a.pid > 0) body += QStringLiteral(" (pid %1 %2)").arg(a.pid).arg(QString::fromStdString(a.process));
            if (DesktopNotifier::notify(tr("loadline: %1").arg(QString::fromStdString(a.rule)), body, true))
                ++m_notified;
        }
    }
}

void AlertsController::updateLines() {
    const char* shown =
        m_window->timelineView()->metric() == widgets::Metric::Memory ? "memory_percent" : "cpu_percent";
    std::vector<widgets::ThresholdLine> lines;
    for (const auto& r : m_rules) {
        if (r.metric != shown || r.scope != MetricScope::System) continue;
        lines.push_back({r.threshold, widgets::AlertLane::warningColor(), QString::fromStdString(r.text)});
        lines.push_back({r.critical, widgets::AlertLane::criticalColor(), QString()});
    }
    m_overlay->setLines(std::move(lines));
}

void AlertsController::zoomTo(int index) {
    if (index < 0 || index >= static_cast<int>(m_intervals.size())) return;
    const auto& a = m_intervals[static_cast<std::size_t>(index)];
    const auto rec = m_window->recording();
    const double end = a.end ? *a.end : (rec ? rec->timeline.lastTime().value_or(a.start) : a.start);
    const double pad = std::max(1.0, (end - a.start) * 0.25);
    m_window->timelineView()->zoomToRange(a.start - pad, end + pad);
}

AlertsController* installAlertsPanel(MainWindow* window) { return new AlertsController(window); }

}  // namespace loadline::app
