#pragma once
// The chart with the function-calls lane under it, as one image (export-png --functions).

#include <QImage>
#include <QSize>

#include "core/correlate/correlate.h"

namespace loadline::widgets {

class TimelineView;

/**
 * Renders view's chart, the calls lane aligned to its plot area, and a legend of the function
 * colours (the longest-running functions first), into logicalSize × scale pixels.
 */
QImage renderChartWithFunctions(const TimelineView& view, const core::Correlation& correlation, QSize logicalSize,
                                qreal scale = 1.0);

}  // namespace loadline::widgets
