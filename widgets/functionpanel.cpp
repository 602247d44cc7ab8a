#include "widgets/functionpanel.h"

#include <QMenu>
#include <QTreeWidgetItemIterator>

#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "core/correlate/moment.h"
#include "core/timeline/cpumeasured.h"
#include "widgets/functionlane.h"
#include "widgets/functiontablemodel.h"
#include "widgets/timelineview.h"

namespace loadline::widgets {

namespace {
constexpr int kCallRole = Qt::UserRole + 10;  // call index on a moment item (-1: not a call)

QString clockText(double t) {
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(t * 1000))).toString(QStringLiteral("HH:mm:ss.zzz"));
}
}  // namespace

FunctionPanel::FunctionPanel(QWidget* parent) : QWidget(parent) {
    m_model = new FunctionTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(FunctionTableModel::SortRole);

    m_table = new QTableView;
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FunctionTableModel::TotalWall, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The name takes what the figures leave (elided, the whole name in its tooltip), so the
    // columns that answer "why was it slow" fit a 1280-pixel window without scrolling.
    m_table->horizontalHeader()->setSectionResizeMode(FunctionTableModel::Name, QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(48);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setWordWrap(false);
    for (int c : {FunctionTableModel::TotalWall, FunctionTableModel::P50Wall, FunctionTableModel::MaxWall,
                  FunctionTableModel::MeanCpu, FunctionTableModel::SystemMemory})
        m_table->horizontalHeader()->hideSection(c);
    // Right-click on the header: show or hide any column.
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table->horizontalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        for (int c = FunctionTableModel::Calls; c < FunctionTableModel::Before; ++c) {
            QAction* a = menu.addAction(m_model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
            a->setCheckable(true);
            a->setChecked(!m_table->horizontalHeader()->isSectionHidden(c));
            connect(a, &QAction::toggled, this,
                    [this, c](bool on) { m_table->horizontalHeader()->setSectionHidden(c, !on); });
        }
        menu.exec(m_table->horizontalHeader()->mapToGlobal(pos));
    });
    m_table->setAccessibleName(tr("Functions"));
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &FunctionPanel::onTableSelection);

    m_rule = new QLabel;
    m_rule->setWordWrap(true);
    m_rule->setText(tr("Verdict — %1").arg(m_model->verdictRule()));
    m_warnings = new QLabel;
    m_warnings->setWordWrap(true);
    m_warnings->setStyleSheet(QStringLiteral("color: #b35900"));
    m_warnings->hide();

    m_moment = new QTreeWidget;
    m_moment->setHeaderLabels({tr("At a moment (click the chart)"), tr("Detail")});
    // The first column as wide as its header, so the hint is read, not cut to "At a moment (cl…".
    m_moment->header()->resizeSection(
        0, m_moment->header()->fontMetrics().horizontalAdvance(m_moment->headerItem()->text(0)) + 32);
    m_moment->setRootIsDecorated(true);
    connect(m_moment, &QTreeWidget::itemActivated, this, &FunctionPanel::onMomentItemActivated);
    connect(m_moment, &QTreeWidget::itemClicked, this, &FunctionPanel::onMomentItemActivated);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(m_moment);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split, 1);
    layout->addWidget(m_warnings);
    layout->addWidget(m_rule);

    m_lane = new FunctionLane(this);
    m_lane->hide();  // shown once placed under a chart
    connect(m_lane, &FunctionLane::callClicked, this, &FunctionPanel::selectCall);
}

FunctionPanel::~FunctionPanel() = default;

void FunctionPanel::setRecording(std::shared_ptr<const core::Recording> recording,
                                 const core::CorrelateOptions& options) {
    m_recording = std::move(recording);
    m_correlation =
        m_recording ? std::make_shared<const core::Correlation>(core::correlate(*m_recording, options)) : nullptr;
    m_cpuUnmeasured.reset();  // found when a drill-down first needs it (one pass over the data)
    m_model->setCorrelation(m_correlation);
    m_lane->setCorrelation(m_correlation);
    m_rule->setText(tr("Verdict — %1").arg(m_model->verdictRule()));
    QStringList warnings;
    if (m_correlation)
        for (const auto& w : m_correlation->warnings) warnings << QString::fromStdString(w);
    m_warnings->setText(warnings.join(QLatin1Char('\n')));
    m_warnings->setVisible(!warnings.isEmpty());
    m_moment->clear();
    markOnChart(-1);
}

void FunctionPanel::attachTo(TimelineView* view) {
    m_view = view;
    view->addLane(m_lane);
    m_lane->show();
    m_lane->installEventFilter(this);  // the lane moving inside the view changes its mapping too
    connect(view, &TimelineView::mappingChanged, this, &FunctionPanel::followView);
    connect(view, &TimelineView::timeClicked, this, &FunctionPanel::showMoment);
    connect(this, &FunctionPanel::zoomRequested, view, &TimelineView::zoomToRange);
    followView();
}

void FunctionPanel::followView() {
    if (!m_view) return;
    const core::TimeMapping m = m_view->timeMapping();
    // The mapping is in the view's coordinates; the lane sits somewhere inside it.
    const double offset = m_lane->mapTo(m_view, QPoint(0, 0)).x();
    m_lane->setMapping(m.t0, m.t1, m.x0 - offset, m.width);
}

bool FunctionPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_lane && (event->type() == QEvent::Move || event->type() == QEvent::Resize)) followView();
    return QWidget::eventFilter(watched, event);
}

void FunctionPanel::markOnChart(int functionIndex) {
    if (!m_view) return;
    QList<std::pair<double, double>> spans;
    if (m_correlation && functionIndex >= 0)
        for (const auto& c : m_correlation->calls)
            if (c.functionIndex == functionIndex) spans.append({c.start, c.end});
    m_view->setMarkedSpans(spans, FunctionLane::functionColor(functionIndex));
}

void FunctionPanel::selectFunction(int functionIndex) {
    m_lane->setHighlightedFunction(functionIndex);
    markOnChart(functionIndex);
    if (functionIndex < 0) {
        m_table->clearSelection();
    } else {
        const QModelIndex src = m_model->index(functionIndex, 0);
        const QModelIndex idx = m_proxy->mapFromSource(src);
        if (idx.isValid() && !m_table->selectionModel()->isRowSelected(idx.row(), {})) {
            m_table->selectRow(idx.row());
            m_table->scrollTo(idx);
        }
    }
}

void FunctionPanel::onTableSelection() {
    const auto rows = m_table->selectionModel()->selectedRows();
    const QModelIndex row = rows.isEmpty() ? QModelIndex() : rows.first();
    // -1 on a row of a function only a baseline has (compare mode): its baseline calls then.
    const int f = row.isValid() ? row.data(FunctionTableModel::FunctionIndexRole).toInt() : -1;
    m_lane->setHighlightedFunction(f);
    m_lane->setHighlightedBaselineFunction(
        row.isValid() && f < 0 ? row.data(FunctionTableModel::BaselineFunctionIndexRole).toInt() : -1);
    markOnChart(f);
    emit functionSelected(f);
}

void FunctionPanel::selectCall(int callIndex) {
    if (!m_correlation || callIndex < 0 || callIndex >= static_cast<int>(m_correlation->calls.size())) return;
    m_lane->setSelectedCall(callIndex);
    const auto& c = m_correlation->calls[static_cast<std::size_t>(callIndex)];
    // Some room either side so the call's surroundings (the load before and after) stay visible.
    const double pad = std::max(0.25 * (c.end - c.start), 0.05);
    emit zoomRequested(c.start - pad, c.end + pad);
}

void FunctionPanel::showMoment(double t) {
    m_moment->clear();
    // The time as the chart's axis and hover show it (clock or relative).
    const QString when = m_view ? m_view->formatTime(t) : clockText(t);
    auto* callsItem = new QTreeWidgetItem(m_moment, {tr("Calls running at %1").arg(when)});
    callsItem->setData(0, kCallRole, -1);
    if (m_correlation) {
        for (std::size_t i : core::callsRunningAt(*m_correlation, t)) {
            const auto& c = m_correlation->calls[i];
            const auto v = core::verdictName(c.verdict);
            auto* item = new QTreeWidgetItem(
                callsItem,
                {QString::fromStdString(m_correlation->functions[static_cast<std::size_t>(c.functionIndex)].name),
                 tr("%1 s wall, %2 s CPU, %3")
                     .arg(c.wallTime, 0, 'f', 3)
                     .arg(c.cpuTime, 0, 'f', 3)
                     .arg(QString::fromUtf8(v.data(), qsizetype(v.size())))});
            item->setData(0, kCallRole, static_cast<int>(i));
            item->setIcon(0, [&] {
                QPixmap px(10, 10);
                px.fill(FunctionLane::functionColor(c.functionIndex));
                return QIcon(px);
            }());
            item->setToolTip(0, m_lane->describeCall(static_cast<int>(i)));
        }
    }
    if (callsItem->childCount() == 0) new QTreeWidgetItem(callsItem, {tr("(none)")});
    // Zeros that were never measured (py-perf's psutil first-call 0.0) rank nothing: by memory then.
    if (!m_cpuUnmeasured)
        m_cpuUnmeasured = m_recording && !core::detectUnmeasuredCpu(m_recording->timeline).unmeasured.empty();
    const bool cpuUnmeasured = *m_cpuUnmeasured;
    auto* procItem = new QTreeWidgetItem(
        m_moment, {cpuUnmeasured ? tr("Processes by memory (CPU not measured)") : tr("Processes by CPU")});
    procItem->setData(0, kCallRole, -1);
    if (m_recording) {
        auto procs = core::processesAt(m_recording->timeline, t);
        if (cpuUnmeasured)
            std::stable_sort(procs.begin(), procs.end(), [](const auto& a, const auto& b) {
                const double x = std::isnan(a.memoryRssMb) ? -1 : a.memoryRssMb;
                const double y = std::isnan(b.memoryRssMb) ? -1 : b.memoryRssMb;
                return x > y;
            });
        for (const auto& p : procs) {
            const QString name = p.name.empty()
                                     ? tr("pid %1").arg(p.pid)
                                     : QStringLiteral("%1 (%2)").arg(QString::fromStdString(p.name)).arg(p.pid);
            const QString cpu =
                cpuUnmeasured ? (std::isfinite(p.memoryRssMb) ? tr("%1 MB RSS").arg(p.memoryRssMb, 0, 'f', 1)
                                                              : tr("memory unknown"))
                : std::isfinite(p.cpuPercent) ? QString::number(p.cpuPercent, 'f', 1) + QStringLiteral(" % CPU")
                                              : tr("CPU unknown");
            auto* item = new QTreeWidgetItem(procItem, {name, cpu});
            item->setData(0, kCallRole, -1);
        }
    }
    if (procItem->childCount() == 0) new QTreeWidgetItem(procItem, {tr("(none tracked)")});
    m_moment->expandAll();
    m_moment->resizeColumnToContents(0);
    // A narrow panel cuts the detail ("0.112 s wall, 0.072 s CPU, …"): every cell's whole text
    // is its tooltip (a call keeps its richer one).
    for (QTreeWidgetItemIterator it(m_moment); *it; ++it)
        for (int c = 0; c < 2; ++c)
            if ((*it)->toolTip(c).isEmpty() && !(*it)->text(c).isEmpty()) (*it)->setToolTip(c, (*it)->text(c));
}

QString FunctionPanel::momentText() const {
    QStringList lines;
    for (int i = 0; i < m_moment->topLevelItemCount(); ++i) {
        auto* top = m_moment->topLevelItem(i);
        lines << top->text(0);
        for (int j = 0; j < top->childCount(); ++j)
            lines << QStringLiteral("  %1\t%2").arg(top->child(j)->text(0), top->child(j)->text(1));
    }
    return lines.join(QLatin1Char('\n'));
}

void FunctionPanel::onMomentItemActivated(QTreeWidgetItem* item) {
    const QVariant v = item ? item->data(0, kCallRole) : QVariant();
    if (v.isValid() && v.toInt() >= 0) selectCall(v.toInt());
}

}  // namespace loadline::widgets
