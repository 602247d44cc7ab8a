// FunctionTableModel's compare-mode columns: the baseline's mean wall time (Before), this run's
// (After), the change with its p-value, and the finding (code / machine / waiting / no change /
// inconclusive) of core::compareRuns; and the rows of functions only the baseline has
// ("removed"), after this run's rows. A function only this run has is "added".
#include <QColor>
#include <algorithm>
#include <cmath>
#include <limits>

#include "widgets/functionlane.h"
#include "widgets/functiontablemodel.h"

namespace loadline::widgets {

void FunctionTableModel::setComparison(std::shared_ptr<const core::RunComparison> comparison) {
    beginResetModel();
    m_comparison = std::move(comparison);
    findBaselineOnly();
    endResetModel();
}

void FunctionTableModel::findBaselineOnly() {
    m_baselineOnly.clear();
    if (!m_comparison || !m_correlation) return;
    const auto& base = m_comparison->correlations[0].functions;
    for (std::size_t i = 0; i < base.size(); ++i) {
        const bool inRun = std::any_of(m_correlation->functions.begin(), m_correlation->functions.end(),
                                       [&](const core::FunctionStats& f) { return f.name == base[i].name; });
        if (!inRun) m_baselineOnly.push_back(static_cast<int>(i));
    }
}

namespace {

QString ms(double v) {
    if (!std::isfinite(v)) return QStringLiteral("–");
    if (v < 1e-3) return QStringLiteral("%1 µs").arg(v * 1e6, 0, 'f', 1);
    if (v < 1) return QStringLiteral("%1 ms").arg(v * 1e3, 0, 'f', 2);
    return QStringLiteral("%1 s").arg(v, 0, 'f', 3);
}

// The finding as the sort key: the causes first, then inconclusive, then no change.
double findingRank(const core::FunctionComparison& c) {
    if (c.status != core::FunctionComparison::Status::Both) return -1;
    switch (c.finding) {
    case core::Finding::NoChange: return 0;
    case core::Finding::Inconclusive: return 1;
    case core::Finding::Waiting: return 2;
    case core::Finding::Machine: return 3;
    case core::Finding::Code: return 4;
    }
    return 0;
}

}  // namespace

QVariant FunctionTableModel::compareData(const core::FunctionStats& f, int column, int role) const {
    if (role == BaselineFunctionIndexRole) {
        if (m_comparison) {
            const auto& base = m_comparison->correlations[0].functions;
            for (std::size_t i = 0; i < base.size(); ++i)
                if (base[i].name == f.name) return static_cast<int>(i);
        }
        return -1;
    }
    if (!m_comparison) return {};
    const core::FunctionComparison* c = m_comparison->find(f.name);
    const bool both = c && c->status == core::FunctionComparison::Status::Both;
    const double none = std::numeric_limits<double>::quiet_NaN();
    switch (role) {
    case Qt::DisplayRole:
        if (!c) return QStringLiteral("–");
        switch (column) {
        case Before: return ms(c->meanWall[0]);
        case After: return ms(c->meanWall[1]);
        case Change:
            return std::isfinite(c->changePercent)
                       ? QStringLiteral("%1%2 %").arg(c->changePercent >= 0 ? "+" : "").arg(c->changePercent, 0, 'f', 1)
                       : QStringLiteral("–");
        case Finding:
            return both ? QString::fromUtf8(core::findingName(c->finding).data(),
                                            static_cast<qsizetype>(core::findingName(c->finding).size()))
                        : tr("added (not in the baseline)");
        }
        break;
    case SortRole: {
        double v = none;
        if (c) {
            switch (column) {
            case Before: v = c->meanWall[0]; break;
            case After: v = c->meanWall[1]; break;
            case Change: v = c->changePercent; break;
            case Finding: v = findingRank(*c); break;
            }
        }
        return std::isfinite(v) ? v : -std::numeric_limits<double>::infinity();
    }
    case Qt::TextAlignmentRole:
        return column == Finding ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                 : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (column == Change && both && c->wallChanged)
            return c->changePercent > 0 ? QColor(0xC0, 0x1C, 0x28) : QColor(0x1A, 0x7F, 0x37);
        break;
    case Qt::ToolTipRole:
        if (c && (column == Change || column == Finding)) {
            QString text = QString::fromStdString(c->reason);
            if (both && std::isfinite(c->ciLowPercent))
                text += tr("\n%1 % interval of the change: %2 … %3 %")
                            .arg(m_comparison->options.confidence * 100, 0, 'f', 0)
                            .arg(c->ciLowPercent, 0, 'f', 1)
                            .arg(c->ciHighPercent, 0, 'f', 1);
            return text;
        }
        break;
    }
    return {};
}

QVariant FunctionTableModel::baselineOnlyData(int row, int column, int role) const {
    const std::size_t k = static_cast<std::size_t>(row) - m_correlation->functions.size();
    if (!m_comparison || k >= m_baselineOnly.size()) return {};
    const int baseIndex = m_baselineOnly[k];
    const auto& bf = m_comparison->correlations[0].functions[static_cast<std::size_t>(baseIndex)];
    const core::FunctionComparison* c = m_comparison->find(bf.name);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name: return QString::fromStdString(bf.name);
        case Before: return ms(bf.meanWall);
        case Finding: return tr("removed (baseline only)");
        default: return QStringLiteral("–");  // this run has no calls of it
        }
    case SortRole:
        if (column == Name) return QString::fromStdString(bf.name);
        if (column == Before) return bf.meanWall;
        if (column == Finding) return c ? findingRank(*c) : -1.0;
        return -std::numeric_limits<double>::infinity();
    case FunctionIndexRole: return -1;
    case BaselineFunctionIndexRole: return baseIndex;
    case Qt::TextAlignmentRole:
        return column == Name || column == Verdicts || column == Finding ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                         : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::DecorationRole:
        // The colour of its baseline calls in the lane (FunctionLane::setHighlightedBaselineFunction).
        if (column == Name)
            return FunctionLane::functionColor(static_cast<int>(m_correlation->functions.size()) + baseIndex);
        break;
    case Qt::ForegroundRole: return QColor(0x80, 0x80, 0x80);
    case Qt::ToolTipRole:
        return tr("Only in the baseline: %1 call(s), mean wall %2; this run has no calls of it")
            .arg(qulonglong(bf.calls))
            .arg(ms(bf.meanWall));
    }
    return {};
}

QVariant FunctionTableModel::compareHeader(int section, int role) const {
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Before: return tr("Before");
        case After: return tr("After");
        case Change: return tr("Change");
        case Finding: return tr("Finding");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Before: return tr("Mean wall time per call in the baseline");
        case After: return tr("Mean wall time per call in this run");
        case Change:
        case Finding:
            return QString::fromStdString(
                core::compareMethodText(m_comparison ? m_comparison->options : core::CompareOptions{}));
        }
    }
    return {};
}

}  // namespace loadline::widgets
