#pragma once
// Reducing a series to what a chart can show: one min/max envelope per pixel column over the
// visible range (DESIGN.md §1 "Drawing"), nearest-sample look-up for hover, range statistics.
// A series is two parallel arrays (times ascending, values; NaN = missing). Consecutive samples
// are joined only when they are at most maxGap apart and both present: nothing is drawn in gaps
// and nothing is extrapolated before the first or after the last sample.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/timeline/timemapping.h"

namespace loadline::core {

/** The extent of a series inside one pixel column; lo/hi are NaN where nothing is drawn. */
struct ColumnEnvelope {
    float lo;
    float hi;
    bool empty() const { return lo != lo; }  // NaN test without <cmath>
};

/**
 * Min and max of every block of kBlock consecutive values (missing values skipped), so that a
 * pixel column spanning thousands of samples is reduced from its blocks, not sample by sample.
 * Kept up to date incrementally while a series only grows; rebuilt when its start changes.
 */
struct BlockSummary {
    static constexpr std::size_t kBlock = 32;
    std::vector<float> lo, hi;  // per whole block; NaN when the block holds no value
    double firstTime = 0;       // the series' first timestamp when built (detects a rebuilt series)
    void update(std::span<const double> times, std::span<const double> values);
    void clear() { lo.clear(); hi.clear(); }
};

/**
 * For each of `columns` pixel columns (column i covers times
 * [m.t0 + i·s, m.t0 + (i+1)·s), s = m.span()/columns) the min and max of the piecewise-linear
 * series over that column: the samples inside plus the line's values where it crosses the
 * column's edges. Drawing [lo, hi] in every column reproduces the line's pixels exactly; for an
 * area filled from 0 only `hi` matters (one bar per column, never the zig-zag polygon that
 * makes raster fills slow). Cost: one pass over the visible samples, plus O(columns); with an
 * up-to-date summary about (columns · (samples per column / kBlock + kBlock)) instead.
 */
void decimateToColumns(std::span<const double> times, std::span<const double> values,
                       const TimeMapping& m, int columns, double maxGap,
                       std::vector<ColumnEnvelope>& out, const BlockSummary* summary = nullptr);

/** Rows [first, last) that matter for drawing [t0, t1]: the visible ones plus one each side. */
std::pair<std::size_t, std::size_t> visibleRows(std::span<const double> times, double t0, double t1);

/** Median distance between consecutive samples (of the first few thousand); NaN if < 2 samples. */
double estimateSampleInterval(std::span<const double> times);

/** The row whose time is nearest to t, if within maxDistance (ties: the earlier row). */
std::optional<std::size_t> nearestRow(std::span<const double> times, double t, double maxDistance);

/** Min, mean and max of the present values with t0 <= time <= t1. */
struct RangeStats {
    std::size_t count = 0;
    double min = 0;
    double mean = 0;
    double max = 0;
};
RangeStats rangeStats(std::span<const double> times, std::span<const double> values, double t0,
                      double t1);

}  // namespace loadline::core
