#pragma once
// Reducing a series to what a chart can show: one summary per pixel column over the visible
// range (DESIGN.md §1 "Drawing"), nearest-sample look-up for hover, range statistics.
//
// THE per-column summary (also what consolidated levels of long recordings store): over a time
// interval, the min and max of the piecewise-linear series (samples inside plus the line's
// values where it crosses the interval's edges) and its TIME-WEIGHTED mean: the integral of the
// joined line over the interval divided by the time it covers (gaps and missing values count
// for nothing). Where no joined segment lies in the interval (lone samples) the mean is the
// plain mean of the samples inside. A chart draws the area at the mean (the level a person reads
// off it) and [min, max] as a lighter band, so a quantised 0/100 series reads as its real 50 %.
// A series is two parallel arrays (times ascending, values; NaN = missing). Consecutive samples
// are joined only when they are at most maxGap apart and both present: nothing is drawn in gaps
// and nothing is extrapolated before the first or after the last sample.

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "core/timeline/timemapping.h"

namespace loadline::core {

/** The summary of a series inside one pixel column (see above); NaN where nothing is drawn. */
struct ColumnEnvelope {
    float lo;
    float hi;
    float mean = lo;                         // time-weighted mean, lo <= mean <= hi
    bool empty() const { return lo != lo; }  // NaN test without <cmath>
};
using ColumnSummary = ColumnEnvelope;

/**
 * Min and max of every block of kBlock consecutive values (missing values skipped), so that a
 * pixel column spanning thousands of samples is reduced from its blocks, not sample by sample.
 * Kept up to date incrementally while a series only grows; rebuilt when its start changes.
 */
struct BlockSummary {
    static constexpr std::size_t kBlock = 32;
    std::vector<float> lo, hi;  // per whole block; NaN when the block holds no value
    // Per whole block, over the segments ending in it (rows k-1 -> k, k in the block) that are
    // joined (both present, at most maxGap apart): their integral and their duration.
    std::vector<double> area, duration;
    double firstTime = 0;  // the series' first timestamp when built (detects a rebuilt series)
    double maxGap = 0;     // the gap limit the block integrals were built with
    void update(std::span<const double> times, std::span<const double> values,
                double maxGap = std::numeric_limits<double>::infinity());
    /** Appends one block of any length: rows [first, end) of the series, with the segments
     *  ending in them (row first - 1 -> first included when first > 0), joined under this
     *  summary's maxGap. update() is built from it; a store's consolidated levels call it
     *  directly with a window holding the previous row and the block's rows. */
    void appendBlock(std::span<const double> times, std::span<const double> values, std::size_t first, std::size_t end);
    void clear() {
        lo.clear();
        hi.clear();
        area.clear();
        duration.clear();
    }
};

/**
 * For each of `columns` pixel columns (column i covers times
 * [m.t0 + i·s, m.t0 + (i+1)·s), s = m.span()/columns) the per-column summary (see above): min
 * and max of the piecewise-linear series over that column (the samples inside plus the line's
 * values where it crosses the column's edges) and its time-weighted mean. Drawing [lo, hi] in
 * every column reproduces the line's pixels exactly. Cost: one pass over the visible samples,
 * plus O(columns); with an up-to-date summary (built with the same maxGap) about
 * (columns · (samples per column / kBlock + kBlock)) instead.
 */
void decimateToColumns(std::span<const double> times, std::span<const double> values, const TimeMapping& m, int columns,
                       double maxGap, std::vector<ColumnEnvelope>& out, const BlockSummary* summary = nullptr);

/** Rows [first, last) that matter for drawing [t0, t1]: the visible ones plus one each side. */
std::pair<std::size_t, std::size_t> visibleRows(std::span<const double> times, double t0, double t1);

/** Median distance between consecutive samples (of the first few thousand); NaN if < 2 samples. */
double estimateSampleInterval(std::span<const double> times);

/** The row whose time is nearest to t, if within maxDistance (ties: the earlier row). */
std::optional<std::size_t> nearestRow(std::span<const double> times, double t, double maxDistance);

/**
 * Over t0 <= time <= t1: the number of present samples, their min and max, and the
 * time-weighted mean of the joined line over [t0, t1] (the per-column summary's mean, so the
 * figures under a chart agree with the area drawn); all 0 when no sample is inside.
 */
struct RangeStats {
    std::size_t count = 0;
    double min = 0;
    double mean = 0;
    double max = 0;
};
RangeStats rangeStats(std::span<const double> times, std::span<const double> values, double t0, double t1,
                      double maxGap = std::numeric_limits<double>::infinity());

}  // namespace loadline::core
