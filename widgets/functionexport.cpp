#include "widgets/functionexport.h"

#include "widgets/functionlane.h"
#include "widgets/timelineview.h"

namespace loadline::widgets {

QImage renderChartWithFunctions(const TimelineView& view, const core::Correlation& correlation, QSize logicalSize,
                                qreal scale) {
    // The window's calls lane, drawn by the same code: inside the chart's frame under the time
    // axis, the plot's x range, labelled, with the functions' colour legend under it. The lane
    // widget is never shown; it only holds the layout (rows) and paints.
    FunctionLane lane;
    lane.setCorrelation(std::shared_ptr<const core::Correlation>(std::shared_ptr<const void>(), &correlation));
    return view.renderImage(logicalSize, scale, nullptr, false, {&lane});
}

}  // namespace loadline::widgets
