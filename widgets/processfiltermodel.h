#pragma once
// Filters the process table by one search text that matches a name, a PID or the command
// line (case-insensitive substring; a number also matches a PID that starts with it), and
// sorts numerically by CPU or memory through ProcessTableModel::SortRole.

#include <QSortFilterProxyModel>

namespace loadline::widgets {

class ProcessFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ProcessFilterModel(QObject* parent = nullptr);

    void setSearchText(const QString& text);
    QString searchText() const { return m_search; }
    /** Kernel threads (no command line: kworker/0:1, ksoftirqd/3, ...) fill the list and are
     *  rarely what is asked for: hidden unless shown here (a tracked one always shows). */
    void setShowKernelThreads(bool show);
    bool showKernelThreads() const { return m_showKernel; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_search;
    bool m_showKernel = false;
};

}  // namespace loadline::widgets
