// A series drawn from consolidated blocks (a long store's levels): per pixel column the same
// summary as the samples give, nothing drawn where no sample is, statistics over whole blocks.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/timeline/blockseries.h"
#include "core/timeline/decimate.h"

using namespace loadline::core;

namespace {

// Blocks of `per` samples built from the samples with BlockSummary (as the store's writer does),
// extents as the store's reader gives them (from the previous block's last sample when joined).
BlockSeries blocksOf(const std::vector<double>& t, const std::vector<double>& v, std::size_t per, double maxGap) {
    BlockSummary s;
    s.maxGap = maxGap;
    BlockSeries out;
    for (std::size_t first = 0; first + per <= t.size(); first += per) {
        s.clear();
        s.appendBlock(t, v, first, first + per);
        const double start = first > 0 && t[first] - t[first - 1] <= maxGap ? t[first - 1] : t[first];
        out.push(start, t[first + per - 1], s.lo[0], s.hi[0], s.area[0], s.duration[0],
                 static_cast<std::uint32_t>(per));
    }
    return out;
}

}  // namespace

TEST(BlockSeries, ColumnsOfWholeBlocksMatchTheSamples) {
    std::vector<double> t, v;
    for (int i = 0; i < 32 * 400; ++i) {
        t.push_back(i * 0.5);
        v.push_back(50 + 40 * std::sin(i / 300.0) + (i % 7) * 0.5);
    }
    const BlockSeries b = blocksOf(t, v, 32, 1.5);
    // 100 columns of exactly 4 blocks each (16 s of 0.5 s samples per block).
    const TimeMapping m{t.front() - 0.25, t.front() - 0.25 + 400 * 16.0, 0, 100};
    std::vector<ColumnEnvelope> a, r;
    decimateBlocks(b, m, 100, a);
    decimateToColumns(t, v, m, 100, 1.5, r);
    for (int c = 0; c < 100; ++c) {
        ASSERT_FALSE(a[c].empty()) << c;
        // The samples' envelope adds the line's values at the column edges: within one step.
        EXPECT_NEAR(a[c].lo, r[c].lo, 0.6) << c;
        EXPECT_NEAR(a[c].hi, r[c].hi, 0.6) << c;
        EXPECT_NEAR(a[c].mean, r[c].mean, 0.6) << c;
        EXPECT_LE(a[c].lo, a[c].mean);
        EXPECT_LE(a[c].mean, a[c].hi);
    }
}

TEST(BlockSeries, GapsStayGaps) {
    BlockSeries b;
    b.push(0, 10, 1, 2, 15, 10, 32);     // 0..10 s
    b.push(100, 110, 3, 4, 35, 10, 32);  // after a 90 s pause
    // A block wider than the columns with a gap inside: its line covers 4 of its 50 s.
    b.push(200, 250, 5, 6, 22, 4, 32);
    std::vector<ColumnEnvelope> out;
    decimateBlocks(b, TimeMapping{0, 260, 0, 26}, 26, out);  // 10 s per column
    EXPECT_FALSE(out[0].empty());
    for (int c = 2; c < 10; ++c) EXPECT_TRUE(out[c].empty()) << c;
    EXPECT_FALSE(out[10].empty());
    for (int c = 12; c < 20; ++c) EXPECT_TRUE(out[c].empty()) << c;
    EXPECT_FALSE(out[20].empty());                                   // its first sample
    for (int c = 21; c < 25; ++c) EXPECT_TRUE(out[c].empty()) << c;  // never across its gap
    EXPECT_FALSE(out[25].empty());                                   // its last sample
    EXPECT_FLOAT_EQ(out[20].lo, 5);
    EXPECT_FLOAT_EQ(out[25].hi, 6);
}

TEST(BlockSeries, RangeStatsOverWholeBlocksAreExact) {
    BlockSeries b;
    b.push(0, 10, 1, 9, 50, 10, 32);
    b.push(10, 20, 2, 4, 30, 10, 32);
    b.push(20, 30, 0, 20, 100, 10, 32);
    const RangeStats s = blockRangeStats(b, 0, 20);  // the third block is cut: left out
    EXPECT_EQ(s.count, 64u);
    EXPECT_DOUBLE_EQ(s.min, 1);
    EXPECT_DOUBLE_EQ(s.max, 9);
    EXPECT_DOUBLE_EQ(s.mean, 80.0 / 20.0);
    EXPECT_EQ(blockRangeStats(b, 1, 9).count, 0u);
    EXPECT_EQ(b.find(15), 1u);
    EXPECT_EQ(b.find(35), b.size());
}
