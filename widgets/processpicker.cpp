#include "widgets/processpicker.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <thread>

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

#include "widgets/processfiltermodel.h"

namespace loadline::widgets {

ProcessPicker::ProcessPicker(QWidget* parent)
    : QWidget(parent),
      m_model(new ProcessTableModel(this)),
      m_filter(new ProcessFilterModel(this)),
      m_search(new QLineEdit(this)),
      m_view(new QTableView(this)),
      m_count(new QLabel(this)) {
    m_filter->setSourceModel(m_model);

    m_search->setPlaceholderText(tr("Search name, PID or command line"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, m_filter, &ProcessFilterModel::setSearchText);

    // CPU on the chart's scale: % of this machine (the rows are this machine's processes).
    m_model->setCpuCount(static_cast<int>(std::thread::hardware_concurrency()));
    m_view->setModel(m_filter);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ProcessTableModel::CpuColumn, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    auto* header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Kernel threads have long names: the name column keeps a fixed (user-resizable) width so
    // the CPU and memory columns stay in view.
    header->setSectionResizeMode(ProcessTableModel::NameColumn, QHeaderView::Interactive);
    header->resizeSection(ProcessTableModel::NameColumn,
                          m_view->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 18);
    header->setSectionResizeMode(ProcessTableModel::CmdlineColumn, QHeaderView::Stretch);
    // Enter or double-click toggles tracking, so the picker works from the keyboard.
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex& proxyIndex) {
        QModelIndex check = m_filter->mapToSource(proxyIndex).siblingAtColumn(ProcessTableModel::TrackColumn);
        const bool tracked = check.data(Qt::CheckStateRole).value<Qt::CheckState>() == Qt::Checked;
        m_model->setData(check, tracked ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
    });
    connect(m_model, &ProcessTableModel::trackingToggled, this, [this] {
        updateCount();
        emit trackedPidsChanged(m_model->trackedPids());
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &ProcessPicker::updateCount);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &ProcessPicker::updateCount);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &ProcessPicker::updateCount);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &ProcessPicker::updateCount);

    m_view->viewport()->installEventFilter(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_search);
    layout->addWidget(m_view, 1);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_count, 1);
    auto* kernel = new QCheckBox(tr("Kernel threads"), this);
    kernel->setObjectName(QStringLiteral("showKernelThreads"));
    kernel->setToolTip(tr("List kernel threads (processes without a command line) too"));
    connect(kernel, &QCheckBox::toggled, this, [this](bool on) {
        m_filter->setShowKernelThreads(on);
        updateCount();
    });
    bottom->addWidget(kernel);
    layout->addLayout(bottom);
    updateCount();
}

void ProcessPicker::setProcesses(const QVector<ProcessRow>& rows) {
    m_latest = rows;
    m_model->setRows(rows, m_frozen);
    updateCount();
}

bool ProcessPicker::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_view->viewport()) {
        if (event->type() == QEvent::Enter) setFrozen(true);
        else if (event->type() == QEvent::Leave || event->type() == QEvent::Hide) setFrozen(false);
    }
    return QWidget::eventFilter(watched, event);
}

void ProcessPicker::setFrozen(bool frozen) {
    if (frozen == m_frozen) return;
    m_frozen = frozen;
    m_filter->setDynamicSortFilter(!frozen);  // turning it back on sorts again
    if (!frozen) {
        m_model->setRows(m_latest);  // drop the processes that exited meanwhile
        updateCount();
    }
}

QList<int> ProcessPicker::trackedPids() const { return m_model->trackedPids(); }

void ProcessPicker::setTrackedPids(const QList<int>& pids) {
    if (pids == m_model->trackedPids()) return;
    m_model->setTrackedPids(pids);
    updateCount();
}

void ProcessPicker::updateCount() {
    const int shown = m_filter->rowCount();
    const int all = m_model->rowCount();
    const int tracked = m_model->trackedPids().size();
    const QString processes = all == 1 ? tr("1 process") : tr("%1 processes").arg(all);
    m_count->setText(shown == all ? tr("%1, %2 tracked").arg(processes).arg(tracked)
                                  : tr("%1 of %2, %3 tracked").arg(shown).arg(processes).arg(tracked));
}

}  // namespace loadline::widgets
