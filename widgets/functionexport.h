#pragma once
// The chart with the function-calls lane inside its frame, as one image (export-png --functions).

#include <QImage>
#include <QSize>

#include "core/correlate/correlate.h"

namespace loadline::widgets {

class TimelineView;

/**
 * Renders view's chart with the calls lane (FunctionLane, as the window draws it) aligned to its
 * plot area and the legend of the function colours (the longest-running functions first), into
 * logicalSize × scale pixels.
 */
QImage renderChartWithFunctions(const TimelineView& view, const core::Correlation& correlation, QSize logicalSize,
                                qreal scale = 1.0);

}  // namespace loadline::widgets
