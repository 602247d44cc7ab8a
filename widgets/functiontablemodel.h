#pragma once
// The per-function statistics of a correlation as a table (one row per function, in the
// correlation's order). Sort it through a QSortFilterProxyModel with sortRole() = SortRole:
// numbers sort as numbers, unknown values (NaN) first in ascending order.

#include <QAbstractTableModel>
#include <memory>

#include "core/compare/compare.h"
#include "core/correlate/correlate.h"

namespace loadline::widgets {

class FunctionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Calls,
        TotalWall,
        MeanWall,
        P50Wall,
        P95Wall,
        MaxWall,
        MeanCpu,
        CpuWallRatio,
        SystemCpu,
        SystemMemory,
        Slowdown,
        Verdicts,
        // Compare mode only (setComparison): the baseline's mean wall, this run's, the change, the finding.
        Before,
        After,
        Change,
        Finding,
        ColumnCount
    };
    /** Raw value for sorting (double, or the name for Name). */
    static constexpr int SortRole = Qt::UserRole + 1;
    /** The row's index in Correlation::functions (int; -1 on a baseline-only row). */
    static constexpr int FunctionIndexRole = Qt::UserRole + 2;
    /** Compare mode: the row's function's index in the baseline's correlation (int; -1 when the
     *  baseline does not have it). */
    static constexpr int BaselineFunctionIndexRole = Qt::UserRole + 3;

    explicit FunctionTableModel(QObject* parent = nullptr);

    void setCorrelation(std::shared_ptr<const core::Correlation> correlation);
    std::shared_ptr<const core::Correlation> correlation() const { return m_correlation; }
    /** Compare mode: this run against a baseline (functiontablecompare.cpp); null leaves it. The
     *  Before..Finding columns exist only while a comparison is set, and so do the rows of the
     *  functions only the baseline has (after this run's rows; Finding "removed"). */
    void setComparison(std::shared_ptr<const core::RunComparison> comparison);
    std::shared_ptr<const core::RunComparison> comparison() const { return m_comparison; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /** The verdict rule with the correlation's thresholds (also the Verdicts header's tooltip). */
    QString verdictRule() const;

private:
    double number(const core::FunctionStats& f, int column) const;
    QVariant compareData(const core::FunctionStats& f, int column, int role) const;
    QVariant compareHeader(int section, int role) const;
    void findBaselineOnly();
    QVariant baselineOnlyData(int row, int column, int role) const;
    std::vector<int> m_baselineOnly;  // indices in the baseline's correlation, one row each
    std::shared_ptr<const core::Correlation> m_correlation;
    std::shared_ptr<const core::RunComparison> m_comparison;
};

}  // namespace loadline::widgets
