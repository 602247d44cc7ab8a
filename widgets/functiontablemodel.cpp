#include "widgets/functiontablemodel.h"

#include <QColor>
#include <cmath>

#include "widgets/functionlane.h"

namespace loadline::widgets {

FunctionTableModel::FunctionTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void FunctionTableModel::setCorrelation(std::shared_ptr<const core::Correlation> correlation) {
    beginResetModel();
    m_correlation = std::move(correlation);
    findBaselineOnly();
    endResetModel();
}

int FunctionTableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_correlation) return 0;
    return static_cast<int>(m_correlation->functions.size() + m_baselineOnly.size());
}

int FunctionTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : (m_comparison ? ColumnCount : Before);
}

double FunctionTableModel::number(const core::FunctionStats& f, int column) const {
    switch (column) {
    case Calls: return double(f.calls);
    case TotalWall: return f.totalWall;
    case MeanWall: return f.meanWall;
    case P50Wall: return f.p50Wall;
    case P95Wall: return f.p95Wall;
    case MaxWall: return f.maxWall;
    case MeanCpu: return f.meanCpu;
    case CpuWallRatio: return f.cpuWallRatio;
    case SystemCpu: return f.meanSystemCpuPercent;
    case SystemMemory: return f.meanSystemMemoryPercent;
    case Slowdown: return f.slowdownUnderLoad;
    case Verdicts: return double(f.verdictCount(core::Verdict::Contention));
    default: return std::nan("");
    }
}

namespace {
QString seconds(double v) {
    if (!std::isfinite(v)) return QStringLiteral("–");
    if (v == 0) return QStringLiteral("0 s");
    if (v < 1e-3) return QStringLiteral("%1 µs").arg(v * 1e6, 0, 'f', 1);
    if (v < 1) return QStringLiteral("%1 ms").arg(v * 1e3, 0, 'f', 2);
    return QStringLiteral("%1 s").arg(v, 0, 'f', 3);
}
QString plain(double v, int decimals, const QString& suffix = {}) {
    if (!std::isfinite(v)) return QStringLiteral("–");
    return QString::number(v, 'f', decimals) + suffix;
}
}  // namespace

QVariant FunctionTableModel::data(const QModelIndex& index, int role) const {
    if (!m_correlation || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (index.row() >= static_cast<int>(m_correlation->functions.size()))
        return baselineOnlyData(index.row(), index.column(), role);
    const auto& f = m_correlation->functions[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    if ((column >= Before && role != FunctionIndexRole) || role == BaselineFunctionIndexRole)
        return compareData(f, column, role);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name: return QString::fromStdString(f.name);
        case Calls: return QString::number(qulonglong(f.calls));
        case TotalWall:
        case MeanWall:
        case P50Wall:
        case P95Wall:
        case MaxWall:
        case MeanCpu: return seconds(number(f, column));
        case CpuWallRatio: return plain(f.cpuWallRatio, 2);
        case SystemCpu: return plain(f.meanSystemCpuPercent, 1, QStringLiteral(" %"));
        case SystemMemory: return plain(f.meanSystemMemoryPercent, 1, QStringLiteral(" %"));
        case Slowdown: return plain(f.slowdownUnderLoad, 2, QStringLiteral("×"));
        case Verdicts: {
            // Short words, so the column fits beside the others (the tooltip spells them out).
            QString text = tr("%1 own · %2 cont. · %3 wait")
                               .arg(f.verdictCount(core::Verdict::OwnWork))
                               .arg(f.verdictCount(core::Verdict::Contention))
                               .arg(f.verdictCount(core::Verdict::Waiting));
            // Calls without load data (outside the timeline) must add up too: 1 call, not 0+0+0.
            if (const auto unknown = f.verdictCount(core::Verdict::Unknown)) text += tr(" · %1 unkn.").arg(unknown);
            return text;
        }
        }
        break;
    case SortRole:
        if (column == Name) return QString::fromStdString(f.name);
        {
            const double v = number(f, column);
            return std::isfinite(v) ? v : -std::numeric_limits<double>::infinity();
        }
    case FunctionIndexRole: return index.row();
    case Qt::TextAlignmentRole:
        return column == Name || column == Verdicts ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                    : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::DecorationRole:
        if (column == Name) return FunctionLane::functionColor(index.row());
        break;
    case Qt::ToolTipRole:
        if (column == Name) return QString::fromStdString(f.name);  // elided in a narrow panel
        if (column == Verdicts) {
            return tr("%1 own work, %2 contention, %3 waiting, %4 unknown\n%5")
                .arg(f.verdictCount(core::Verdict::OwnWork))
                .arg(f.verdictCount(core::Verdict::Contention))
                .arg(f.verdictCount(core::Verdict::Waiting))
                .arg(f.verdictCount(core::Verdict::Unknown))
                .arg(verdictRule());
        }
        if (column == Slowdown && !std::isfinite(f.slowdownUnderLoad))
            return tr("Needs calls both under high load (system CPU ≥ %1 %) and below it: %2 high, %3 low")
                .arg(m_correlation->thresholds.highLoadPercent)
                .arg(qulonglong(f.highLoadCalls))
                .arg(qulonglong(f.lowLoadCalls));
        if (column == Name && f.callsOutsideTimeline)
            return tr("%1 call(s) lie outside the timeline's time range: no load attributed to them")
                .arg(qulonglong(f.callsOutsideTimeline));
        break;
    }
    return {};
}

QVariant FunctionTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    if (section >= Before) return compareHeader(section, role);
    if (role == Qt::DisplayRole) {
        static const char* const names[] = {"Function", "Calls",    "Total",   "Mean",     "p50",
                                            "p95",      "Max",      "CPU",     "CPU/wall", "System CPU",
                                            "Memory",   "Slowdown", "Verdicts"};
        return tr(names[section]);
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case TotalWall:
        case MeanWall:
        case P50Wall:
        case P95Wall:
        case MaxWall: return tr("Wall time of the calls (percentiles interpolated between ranks)");
        case MeanCpu: return tr("Mean CPU time per call");
        case CpuWallRatio: return tr("Total CPU time ÷ total wall time (1 = always computing)");
        case SystemCpu:
        case SystemMemory:
            return tr(
                "Mean over the calls of the system load during each call, time-weighted over "
                "[end − wall time, end] and interpolated between samples");
        case Slowdown: {
            const double th = m_correlation ? m_correlation->thresholds.highLoadPercent : 70.0;
            return tr("Mean wall time of calls under high load (system CPU ≥ %1 %) ÷ mean wall time of the others")
                .arg(th);
        }
        case Verdicts: return verdictRule();
        }
    }
    return {};
}

QString FunctionTableModel::verdictRule() const {
    return QString::fromStdString(
        core::verdictRuleText(m_correlation ? m_correlation->thresholds : core::VerdictThresholds{}));
}

}  // namespace loadline::widgets
