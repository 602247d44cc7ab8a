// Decimation to pixel columns, time mapping, nearest-row look-up and range statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>
#include <vector>

#include "core/timeline/decimate.h"
#include "core/timeline/timemapping.h"

using namespace loadline::core;

namespace {
const double kNaN = std::nan("");
}

TEST(TimeMapping, RoundTripsBetweenPixelsAndTime) {
    TimeMapping m{100, 200, 50, 1000};
    EXPECT_DOUBLE_EQ(m.toX(100), 50);
    EXPECT_DOUBLE_EQ(m.toX(200), 1050);
    EXPECT_DOUBLE_EQ(m.toTime(550), 150);
    EXPECT_DOUBLE_EQ(m.secondsPerPixel(), 0.1);
    for (double t : {100.0, 123.456, 199.9}) EXPECT_NEAR(m.toTime(m.toX(t)), t, 1e-9);
}

TEST(TimeMapping, ZoomKeepsTheAnchorOnItsPixel) {
    TimeMapping m{0, 100, 0, 1000};
    const double anchor = 30;
    TimeMapping z = m.zoomedAbout(anchor, 0.5);
    EXPECT_DOUBLE_EQ(z.span(), 50);
    EXPECT_NEAR(z.toX(anchor), m.toX(anchor), 1e-9);
}

TEST(TimeMapping, PanMovesContentWithTheMouse) {
    TimeMapping m{0, 100, 0, 1000};
    TimeMapping p = m.pannedByPixels(100);  // drag right by 100 px: earlier times come in
    EXPECT_DOUBLE_EQ(p.t0, -10);
    EXPECT_DOUBLE_EQ(p.t1, 90);
}

TEST(TimeMapping, ClampKeepsRangeInsideDataAndAboveMinimumSpan) {
    double t0 = -50, t1 = 10;
    clampViewRange(t0, t1, 0, 100, 1);
    EXPECT_DOUBLE_EQ(t0, 0);
    EXPECT_DOUBLE_EQ(t1, 60);
    t0 = 40, t1 = 40.0001;
    clampViewRange(t0, t1, 0, 100, 2);
    EXPECT_NEAR(t1 - t0, 2, 1e-9);
    t0 = -1000, t1 = 1000;
    clampViewRange(t0, t1, 0, 100, 1);
    EXPECT_DOUBLE_EQ(t0, 0);
    EXPECT_DOUBLE_EQ(t1, 100);
}

TEST(ValueMapping, MapsZeroToBottomAndTopToTop) {
    ValueMapping v{0, 100, 500, 400};
    EXPECT_DOUBLE_EQ(v.toY(0), 500);
    EXPECT_DOUBLE_EQ(v.toY(100), 100);
    EXPECT_DOUBLE_EQ(v.toValue(300), 50);
}

TEST(Decimate, OneColumnPerSampleKeepsValues) {
    std::vector<double> t{0.5, 1.5, 2.5, 3.5}, v{10, 20, 30, 40};
    std::vector<ColumnEnvelope> out;
    decimateToColumns(t, v, {0, 4, 0, 4}, 4, 10, out);
    ASSERT_EQ(out.size(), 4u);
    // Column 0 starts before the first sample: only the sample itself and the right edge.
    EXPECT_FLOAT_EQ(out[0].lo, 10);
    EXPECT_FLOAT_EQ(out[0].hi, 15);
    EXPECT_FLOAT_EQ(out[1].lo, 15);  // edges interpolated: 15 at t=1, 25 at t=2
    EXPECT_FLOAT_EQ(out[1].hi, 25);
    EXPECT_FLOAT_EQ(out[3].lo, 35);
    EXPECT_FLOAT_EQ(out[3].hi, 40);
}

TEST(Decimate, MinMaxPerColumnOverManySamples) {
    std::vector<double> t, v;
    for (int i = 0; i < 1000; ++i) {
        t.push_back(i * 0.01);
        v.push_back(i % 2 ? 90 : 10);  // worst case: zig-zag
    }
    std::vector<ColumnEnvelope> out;
    decimateToColumns(t, v, {0, 10, 0, 10}, 10, 1, out);
    for (const auto& e : out) {
        EXPECT_FLOAT_EQ(e.lo, 10);
        EXPECT_FLOAT_EQ(e.hi, 90);
    }
}

TEST(Decimate, NothingBeforeFirstOrAfterLastSample) {
    std::vector<double> t{4, 5, 6}, v{50, 50, 50};
    std::vector<ColumnEnvelope> out;
    decimateToColumns(t, v, {0, 10, 0, 10}, 10, 5, out);
    for (int c : {0, 1, 2, 3, 7, 8, 9}) EXPECT_TRUE(out[c].empty()) << c;
    for (int c : {4, 5, 6}) EXPECT_FALSE(out[c].empty()) << c;
}

TEST(Decimate, GapsWiderThanMaxGapStayEmpty) {
    std::vector<double> t{0, 1, 2, 8, 9, 10}, v{5, 5, 5, 5, 5, 5};
    std::vector<ColumnEnvelope> out;
    decimateToColumns(t, v, {0, 10, 0, 10}, 10, 1.5, out);
    EXPECT_FALSE(out[1].empty());
    for (int c : {3, 4, 5, 6}) EXPECT_TRUE(out[c].empty()) << c;
    EXPECT_FALSE(out[8].empty());
    // The same data with a big enough maxGap is joined across.
    decimateToColumns(t, v, {0, 10, 0, 10}, 10, 10, out);
    for (int c = 0; c < 10; ++c) EXPECT_FALSE(out[c].empty()) << c;
}

TEST(Decimate, MissingValuesBreakTheLine) {
    std::vector<double> t{0, 1, 2, 3, 4, 5, 6}, v{5, 5, kNaN, kNaN, kNaN, 5, 5};
    std::vector<ColumnEnvelope> out;
    decimateToColumns(t, v, {0, 7, 0, 7}, 7, 10, out);
    EXPECT_FALSE(out[0].empty());
    EXPECT_TRUE(out[2].empty());
    EXPECT_TRUE(out[3].empty());
    EXPECT_FALSE(out[5].empty());
}

TEST(Decimate, ZoomedInBetweenTwoSamplesInterpolates) {
    std::vector<double> t{0, 10}, v{0, 100};
    std::vector<ColumnEnvelope> out;
    decimateToColumns(t, v, {4, 6, 0, 2}, 2, 20, out);
    EXPECT_FLOAT_EQ(out[0].lo, 40);
    EXPECT_FLOAT_EQ(out[0].hi, 50);
    EXPECT_FLOAT_EQ(out[1].lo, 50);
    EXPECT_FLOAT_EQ(out[1].hi, 60);
}

TEST(Decimate, ViewEntirelyOutsideDataIsEmpty) {
    std::vector<double> t{0, 1, 2}, v{1, 2, 3};
    std::vector<ColumnEnvelope> out;
    decimateToColumns(t, v, {5, 9, 0, 4}, 4, 10, out);
    for (const auto& e : out) EXPECT_TRUE(e.empty());
    decimateToColumns(t, v, {-9, -5, 0, 4}, 4, 10, out);
    for (const auto& e : out) EXPECT_TRUE(e.empty());
}

TEST(Decimate, VisibleRowsIncludeOneNeighbourEachSide) {
    std::vector<double> t{0, 1, 2, 3, 4, 5};
    auto [a, b] = visibleRows(t, 1.5, 3.5);
    EXPECT_EQ(a, 1u);
    EXPECT_EQ(b, 5u);
}

TEST(Decimate, EstimateIntervalIsTheMedianSpacing) {
    std::vector<double> t{0, 0.5, 1.0, 1.5, 9.0, 9.5};
    EXPECT_DOUBLE_EQ(estimateSampleInterval(t), 0.5);
    EXPECT_TRUE(std::isnan(estimateSampleInterval(std::vector<double>{1})));
}

TEST(Decimate, NearestRowWithinReach) {
    std::vector<double> t{0, 1, 2, 10};
    EXPECT_EQ(nearestRow(t, 1.4, 1).value(), 1u);
    EXPECT_EQ(nearestRow(t, 1.6, 1).value(), 2u);
    EXPECT_EQ(nearestRow(t, 1.5, 1).value(), 1u);  // tie: earlier
    EXPECT_FALSE(nearestRow(t, 6, 1).has_value());
    EXPECT_EQ(nearestRow(t, 50, 100).value(), 3u);
    EXPECT_FALSE(nearestRow(std::vector<double>{}, 1, 1).has_value());
}

TEST(Decimate, RangeStatsSkipMissingAndRespectBounds) {
    std::vector<double> t{0, 1, 2, 3, 4}, v{10, kNaN, 30, 50, 90};
    RangeStats s = rangeStats(t, v, 0.5, 3);
    EXPECT_EQ(s.count, 2u);
    EXPECT_DOUBLE_EQ(s.min, 30);
    EXPECT_DOUBLE_EQ(s.mean, 40);
    EXPECT_DOUBLE_EQ(s.max, 50);
    EXPECT_EQ(rangeStats(t, v, 10, 20).count, 0u);
}

TEST(Decimate, BlockSummaryGivesTheSameEnvelopes) {
    std::vector<double> t, v;
    unsigned x = 12345;
    auto rnd = [&] {
        x = x * 1103515245u + 12345u;
        return (x >> 8) % 1000 / 10.0;
    };
    double now = 0;
    for (int i = 0; i < 100000; ++i) {
        now += (i % 20000 == 19999) ? 50 : 0.5;  // a few gaps
        t.push_back(now);
        v.push_back(i % 997 == 0 ? kNaN : rnd());
    }
    BlockSummary summary;
    summary.update(std::span(t).first(50000), std::span(v).first(50000), 1.5);  // grown in two steps
    summary.update(t, v, 1.5);
    for (auto [t0, t1, cols] :
         {std::tuple{0.0, now, 1600}, {1000.0, 1100.0, 1600}, {now / 3, now / 2, 737}, {-10.0, 5.0, 100}}) {
        std::vector<ColumnEnvelope> plain, fast;
        decimateToColumns(t, v, {t0, t1, 0, double(cols)}, cols, 1.5, plain);
        decimateToColumns(t, v, {t0, t1, 0, double(cols)}, cols, 1.5, fast, &summary);
        ASSERT_EQ(plain.size(), fast.size());
        for (std::size_t c = 0; c < plain.size(); ++c) {
            ASSERT_EQ(plain[c].empty(), fast[c].empty()) << c;
            if (plain[c].empty()) continue;
            ASSERT_FLOAT_EQ(plain[c].lo, fast[c].lo) << c;
            ASSERT_FLOAT_EQ(plain[c].hi, fast[c].hi) << c;
        }
    }
    // A different series (its start moved, as when the ring dropped rows) is rebuilt.
    std::vector<double> t2(t.begin() + 100, t.end()), v2(v.begin() + 100, v.end());
    summary.update(t2, v2, 1.5);
    EXPECT_EQ(summary.lo.size(), t2.size() / BlockSummary::kBlock);
}

// The per-column summary on a series whose per-column mean, min and max are known: in column c
// (10 s wide) the series alternates between c and c + 10 every 0.01 s (a quantised 0/100-like
// signal), so the time-weighted mean is c + 5, min c, max c + 10.
TEST(Decimate, ColumnSummaryHasTheTimeWeightedMeanMinAndMax) {
    std::vector<double> t, v;
    for (int i = 0; i <= 4000; ++i) {
        t.push_back(i * 0.01);
        const int column = std::min(3, i / 1000);
        v.push_back(column + (i % 2 ? 10.0 : 0.0));
    }
    BlockSummary summary;
    summary.update(t, v, 0.05);
    for (const BlockSummary* s :
         {static_cast<const BlockSummary*>(nullptr), static_cast<const BlockSummary*>(&summary)}) {
        std::vector<ColumnEnvelope> out;
        decimateToColumns(t, v, {0, 40, 0, 4}, 4, 0.05, out, s);
        ASSERT_EQ(out.size(), 4u);
        for (int c = 0; c < 4; ++c) {
            EXPECT_FLOAT_EQ(out[c].lo, c) << c;
            EXPECT_FLOAT_EQ(out[c].hi, c + 10) << c;
            EXPECT_NEAR(out[c].mean, c + 5, 0.02) << c;
        }
    }
    // A summary built for another gap limit is not used (its integrals would be wrong).
    BlockSummary other;
    other.update(t, v, 0.001);  // nothing joined
    std::vector<ColumnEnvelope> out;
    decimateToColumns(t, v, {0, 40, 0, 4}, 4, 0.05, out, &other);
    EXPECT_NEAR(out[1].mean, 6, 0.02);
}

TEST(Decimate, ColumnMeanWeighsTimeNotSamples) {
    // 0 for 9 s sampled once a second, then 100 sampled 90 times in the last second: the
    // samples' plain mean is ~90, the level over time is low.
    std::vector<double> t, v;
    for (int i = 0; i <= 9; ++i) {
        t.push_back(i);
        v.push_back(0);
    }
    for (int i = 1; i <= 90; ++i) {
        t.push_back(9 + i / 90.0);
        v.push_back(100);
    }
    std::vector<ColumnEnvelope> out;
    decimateToColumns(t, v, {0, 10, 0, 1}, 1, 2, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_NEAR(out[0].mean, (100.0 * (1 - 1 / 90.0) + 50.0 / 90.0) / 10.0, 1e-4);
    EXPECT_FLOAT_EQ(out[0].hi, 100);
    const RangeStats r = rangeStats(t, v, 0, 10, 2);
    EXPECT_EQ(r.count, 100u);
    EXPECT_NEAR(r.mean, out[0].mean, 1e-4);
}

TEST(Decimate, BlockSummaryGivesTheSameMeans) {
    std::vector<double> t, v;
    unsigned x = 777;
    auto rnd = [&] {
        x = x * 1103515245u + 12345u;
        return (x >> 8) % 1000 / 10.0;
    };
    double now = 0;
    for (int i = 0; i < 100000; ++i) {
        now += (i % 20000 == 19999) ? 50 : 0.5;
        t.push_back(now);
        v.push_back(i % 997 == 0 ? kNaN : rnd());
    }
    BlockSummary summary;
    summary.update(t, v, 1.5);
    for (auto [t0, t1, cols] : {std::tuple{0.0, now, 1600}, {1000.0, 1100.0, 160}, {now / 3, now / 2, 737}}) {
        std::vector<ColumnEnvelope> plain, fast;
        decimateToColumns(t, v, {t0, t1, 0, double(cols)}, cols, 1.5, plain);
        decimateToColumns(t, v, {t0, t1, 0, double(cols)}, cols, 1.5, fast, &summary);
        for (std::size_t c = 0; c < plain.size(); ++c) {
            ASSERT_EQ(plain[c].empty(), fast[c].empty()) << c;
            if (plain[c].empty()) continue;
            ASSERT_NEAR(plain[c].mean, fast[c].mean, 1e-3) << c;
            ASSERT_LE(plain[c].lo, plain[c].mean);
            ASSERT_GE(plain[c].hi, plain[c].mean);
        }
    }
}
