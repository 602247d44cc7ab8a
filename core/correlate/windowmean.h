#pragma once
// The load during a call: the time-weighted mean of a sampled series over a time window,
// with the series taken as a straight line between consecutive samples.

#include <cstddef>

#include "core/timeline/seriestable.h"

namespace loadline::core {

/** What windowMean() found for one window. */
struct WindowMean {
    /** Time-weighted mean over the part of the window the series covers; NaN when none. */
    double mean = kMissing;
    /** Samples (with a value in this column) whose timestamp lies inside [t0, t1]. */
    int samplesInside = 0;
    /** Fraction of the window's length inside the series' time range (1 for a zero-length
     *  window inside it, 0 when the window lies entirely outside). */
    double coverage = 0;
};

/**
 * Mean of column `col` of `table` over [t0, t1], linearly interpolated between samples.
 * Samples whose value is missing (NaN) are skipped, as if they had not been taken. The part of
 * the window before the first or after the last valid sample is left out (never extrapolated).
 * For a window inside one sample interval this is exactly the interpolated value at its midpoint;
 * a zero-length window gets the interpolated value at that instant. Several samples at one time
 * count as the last valid one of them. Rows must be sorted by time.
 */
WindowMean windowMean(const SeriesTable& table, int col, double t0, double t1);

}  // namespace loadline::core
