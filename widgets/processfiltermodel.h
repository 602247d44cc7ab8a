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

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_search;
};

}  // namespace loadline::widgets
