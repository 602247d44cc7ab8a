#pragma once
// The per-function statistics of a correlation as a table (one row per function, in the
// correlation's order). Sort it through a QSortFilterProxyModel with sortRole() = SortRole:
// numbers sort as numbers, unknown values (NaN) first in ascending order.

#include <QAbstractTableModel>
#include <memory>

#include "core/correlate/correlate.h"

namespace loadline::widgets {

class FunctionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name, Calls, TotalWall, MeanWall, P50Wall, P95Wall, MaxWall, MeanCpu, CpuWallRatio,
        SystemCpu, SystemMemory, Slowdown, Verdicts, ColumnCount
    };
    /** Raw value for sorting (double, or the name for Name). */
    static constexpr int SortRole = Qt::UserRole + 1;
    /** The row's index in Correlation::functions (int). */
    static constexpr int FunctionIndexRole = Qt::UserRole + 2;

    explicit FunctionTableModel(QObject* parent = nullptr);

    void setCorrelation(std::shared_ptr<const core::Correlation> correlation);
    std::shared_ptr<const core::Correlation> correlation() const { return m_correlation; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /** The verdict rule with the correlation's thresholds (also the Verdicts header's tooltip). */
    QString verdictRule() const;

private:
    double number(const core::FunctionStats& f, int column) const;
    std::shared_ptr<const core::Correlation> m_correlation;
};

}  // namespace loadline::widgets
