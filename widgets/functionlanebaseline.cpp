// FunctionLane in compare mode: the highlighted function's calls in the baseline run, drawn as
// outlines over this run's filled spans (or alone, for a function only the baseline has).
#include <QPainter>
#include <cmath>

#include "widgets/functionlane.h"

namespace loadline::widgets {

void FunctionLane::setBaselineCalls(std::shared_ptr<const core::Correlation> baseline, double offset) {
    m_baseline = std::move(baseline);
    m_baselineOffset = offset;
    m_baselineHighlighted = -1;  // an index in the previous baseline
    update();
}

void FunctionLane::setHighlightedBaselineFunction(int baselineIndex) {
    m_baselineHighlighted = baselineIndex;
    update();
}

QColor FunctionLane::baselineCallColor(int functionIndex) { return functionColor(functionIndex).darker(170); }

void FunctionLane::paintBaselineCalls(QPainter& p, const QRectF& rect, double t0, double t1) const {
    if (!m_baseline || !m_correlation || !(t1 > t0) || rect.width() <= 0) return;
    const int runFunctions = static_cast<int>(m_correlation->functions.size());
    int baseIndex = -1, colorIndex = -1;
    if (m_highlighted >= 0 && m_highlighted < runFunctions) {
        const std::string& name = m_correlation->functions[static_cast<std::size_t>(m_highlighted)].name;
        for (std::size_t f = 0; f < m_baseline->functions.size(); ++f)
            if (m_baseline->functions[f].name == name) baseIndex = static_cast<int>(f);
        colorIndex = m_highlighted;
    } else if (m_baselineHighlighted >= 0 && m_baselineHighlighted < static_cast<int>(m_baseline->functions.size())) {
        baseIndex = m_baselineHighlighted;
        colorIndex = runFunctions + baseIndex;
    }
    if (baseIndex < 0) return;
    const double scale = rect.width() / (t1 - t0);
    p.save();
    p.setClipRect(rect);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(QPen(baselineCallColor(colorIndex), 2, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
    p.setBrush(Qt::NoBrush);
    for (const auto& c : m_baseline->calls) {
        if (c.functionIndex != baseIndex) continue;
        const double start = c.start + m_baselineOffset, end = c.end + m_baselineOffset;
        if (end < t0 || start > t1) continue;
        const double x0 = rect.left() + (start - t0) * scale;
        const double x1 = std::max(x0 + 3, rect.left() + (end - t0) * scale);
        p.drawRect(QRectF(x0 + 1, rect.top() + 1, x1 - x0 - 2, rect.height() - 2));
    }
    p.restore();
}

}  // namespace loadline::widgets
