#include "widgets/processfiltermodel.h"

#include "widgets/processtablemodel.h"

namespace loadline::widgets {

ProcessFilterModel::ProcessFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(ProcessTableModel::SortRole);
    setDynamicSortFilter(true);
}

void ProcessFilterModel::setSearchText(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed == m_search) return;
    m_search = trimmed;
    invalidateFilter();
}

void ProcessFilterModel::setShowKernelThreads(bool show) {
    if (show == m_showKernel) return;
    m_showKernel = show;
    invalidateFilter();
}

bool ProcessFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    auto* model = qobject_cast<const ProcessTableModel*>(sourceModel());
    if (!model || sourceParent.isValid() || sourceRow >= model->rows().size()) return false;
    const ProcessRow& p = model->rows()[sourceRow];
    // A kernel thread has an empty command line (/proc/PID/cmdline); so does a zombie.
    if (!m_showKernel && p.cmdline.isEmpty() && !model->trackedPids().contains(p.pid)) return false;
    if (m_search.isEmpty()) return true;
    if (QString::number(p.pid).startsWith(m_search)) return true;
    return p.name.contains(m_search, Qt::CaseInsensitive) || p.cmdline.contains(m_search, Qt::CaseInsensitive);
}

}  // namespace loadline::widgets
