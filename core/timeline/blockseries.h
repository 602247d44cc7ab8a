#pragma once
// A series already reduced to consecutive blocks of samples (a long recording's consolidated
// levels, docs/llrec-format.md): per block its min, max and the integral and duration of the
// joined line (the per-column summary of core/timeline/decimate.h), so a chart draws a range of
// millions of samples from thousands of blocks. Where blocks are narrower than a pixel column
// the result is the column's summary over the samples (up to the block edges inside a column);
// where they are wider, each block is drawn over the columns it covers (a coarser picture of
// the same data until finer data arrives). Nothing is drawn where no block is: gaps stay gaps.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/timeline/decimate.h"
#include "core/timeline/timemapping.h"

namespace loadline::core {

struct BlockSeries {
    /** Extent of each block: from the previous block's last sample when the line joins them
     *  (the segment into the block's first sample is part of its integral), else its first
     *  sample; to its last sample. Ascending, non-overlapping. */
    std::vector<double> t0, t1;
    std::vector<float> lo, hi;           // NaN: no value in the block
    std::vector<double> area, duration;  // integral (value x s) and joined duration
    std::vector<std::uint32_t> samples;  // samples (ticks) in the block
    std::size_t size() const { return t0.size(); }
    bool empty() const { return t0.empty(); }
    void clear();
    void push(double from, double to, float lo, float hi, double area, double duration, std::uint32_t samples);
    /** Multiplies every value by k > 0 (a chart's unit or scale). */
    void scale(double k);
    /** The block's time-weighted mean (midpoint of [lo, hi] when it has no joined segment). */
    double mean(std::size_t i) const;
    /** Index of the block whose extent holds t, or size() when none. */
    std::size_t find(double t) const;
};

/** One envelope per pixel column over m (as decimateToColumns), from the blocks. */
void decimateBlocks(const BlockSeries& blocks, const TimeMapping& m, int columns, std::vector<ColumnEnvelope>& out);

/** RangeStats over the blocks whose extent lies inside [t0, t1]: exact min, max, time-weighted
 *  mean and sample count of those blocks (blocks cut by an edge are left out). */
RangeStats blockRangeStats(const BlockSeries& blocks, double t0, double t1);

}  // namespace loadline::core
