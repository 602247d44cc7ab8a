#pragma once
// Ticks and labels of the chart's time axis: round steps (1-2-5 for fractions, then 10 s, 15 s,
// 30 s, 1 min, ... 1 day), placed on round local clock times or round offsets from the start.

#include <QString>
#include <QVector>

#include "widgets/timelineview.h"

namespace loadline::widgets {

struct TimeTick {
    double t;  // epoch seconds
    QString label;
};

/** A round step (seconds) that gives at most maxTicks ticks over span seconds. */
double niceTimeStep(double span, int maxTicks);

/**
 * Ticks inside [t0, t1]. Clock: local HH:MM:SS (with milliseconds when the step is below a
 * second, with the date when it is a day or more). Relative: seconds since origin.
 */
QVector<TimeTick> timeTicks(double t0, double t1, double origin, TimeAxisMode mode, int maxTicks);

/** A single time for tooltips and summaries: "HH:MM:SS.mmm" or "+12.345 s". */
QString formatTimePoint(double t, double origin, TimeAxisMode mode);

/** A duration: "950 ms", "12.5 s", "3 min 20 s", "1 h 02 min". */
QString formatDuration(double seconds);

}  // namespace loadline::widgets
