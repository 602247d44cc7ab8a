// TimelineView's compare mode: the baseline run over this one (see BaselineOverlay).
#include <cmath>

#include "core/timeline/timeline.h"
#include "widgets/baselineoverlay.h"
#include "widgets/chartdata.h"
#include "widgets/timelinechart.h"
#include "widgets/timelineview.h"

namespace loadline::widgets {

void TimelineView::setBaseline(std::shared_ptr<const core::Timeline> baseline,
                               std::optional<std::pair<double, double>> anchors) {
    m_baseline = std::move(baseline);
    m_baselineAnchors = anchors;
    const bool all = showingAll();
    rebuildBaseline();
    if (all || m_baseline) resetZoom();  // the longer of the two runs in view
    else m_chart->setViewRange(m_t0, m_t1);
}

void TimelineView::rebuildBaseline() {
    if (!m_baseline) {
        m_baselineData.reset();
        m_baselineOffset = 0;
        if (m_baselineOverlay) m_baselineOverlay->setData(nullptr, 0);
        return;
    }
    // The run's settings (metric, scale), with the baseline's busiest process as its line.
    ChartSettings settings = *m_settings;
    settings.extraPids.clear();
    settings.highlightedPid = -1;
    std::size_t most = 0;
    for (const auto& [pid, series] : m_baseline->processes)
        if (series.samples.size() > most) {
            most = series.samples.size();
            settings.highlightedPid = pid;
        }
    auto data = std::make_shared<ChartData>();
    syncChartData(*data, m_baseline.get(), settings);
    m_baselineData = data;
    const auto [runAnchor, baseAnchor] = m_baselineAnchors.value_or(std::pair{m_data->origin, data->origin});
    m_baselineOffset = runAnchor - baseAnchor;
    if (!std::isfinite(m_baselineOffset)) m_baselineOffset = 0;
    if (!m_baselineOverlay) m_baselineOverlay = new BaselineOverlay(m_chart);
    m_baselineOverlay->setData(m_baselineData, m_baselineOffset);
}

}  // namespace loadline::widgets
