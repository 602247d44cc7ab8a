// Deriving the chart's series from a Timeline: CPU scale, memory percent, live sync.
#include <gtest/gtest.h>

#include <cmath>

#include "core/timeline/plotseries.h"

using namespace loadline::core;

namespace {

Timeline makeTimeline(int cores) {
    Timeline tl;
    const int cpu = tl.system.ensureColumn(col::kCpuPercent);
    const int mem = tl.system.ensureColumn(col::kMemoryPercent);
    const int avail = tl.system.ensureColumn(col::kMemoryAvailableMb);
    std::vector<int> perCore;
    for (int c = 0; c < cores; ++c)
        perCore.push_back(tl.system.ensureColumn(std::string(kCpuPerCorePrefix) + std::to_string(c) + "]"));
    for (int i = 0; i < 4; ++i) {
        tl.system.appendRow(100 + i);
        tl.system.setLast(cpu, 10.0 * (i + 1));
        tl.system.setLast(mem, 75);      // total = available / 0.25
        tl.system.setLast(avail, 1000);  // -> 4000 MB total
        for (int c : perCore) tl.system.setLast(c, 5);
    }
    SeriesTable& p = tl.process(42).samples;
    const int pcpu = p.ensureColumn(col::kCpuPercent);
    const int rss = p.ensureColumn(col::kMemoryRssMb);
    for (int i = 0; i < 4; ++i) {
        p.appendRow(100 + i + 0.01);  // slightly after the system sample
        p.setLast(pcpu, 200);         // two cores busy (psutil's scale)
        p.setLast(rss, 400.0 * (i + 1));
    }
    return tl;
}

}  // namespace

TEST(PlotSeries, CpuCountFromPerCoreColumns) {
    EXPECT_EQ(cpuCountOf(makeTimeline(8).system), 8);
    EXPECT_EQ(cpuCountOf(makeTimeline(0).system), 0);
}

TEST(PlotSeries, TotalMemoryDerivedFromAvailableAndPercent) {
    Timeline tl = makeTimeline(0);
    EXPECT_DOUBLE_EQ(totalMemoryMbAt(tl.system, 0), 4000);
    const int total = tl.system.ensureColumn(kMemoryTotalMb);
    tl.system.set(total, 0, 8000);
    EXPECT_DOUBLE_EQ(totalMemoryMbAt(tl.system, 0), 8000);  // an explicit column wins
}

TEST(PlotSeries, SystemCpuAndMemory) {
    Timeline tl = makeTimeline(4);
    PlotSeries s;
    syncSystemSeries(tl, ChartMetric::Cpu, s);
    ASSERT_EQ(s.size(), 4u);
    EXPECT_DOUBLE_EQ(s.t[2], 102);
    EXPECT_DOUBLE_EQ(s.v[2], 30);
    PlotSeries m;
    syncSystemSeries(tl, ChartMetric::Memory, m);
    EXPECT_DOUBLE_EQ(m.v[0], 75);
}

TEST(PlotSeries, ProcessCpuOnMachineAndPerCoreScales) {
    Timeline tl = makeTimeline(8);
    PlotSeries s;
    syncProcessSeries(tl, 42, {ChartMetric::Cpu, CpuScale::Machine, 8}, s);
    ASSERT_EQ(s.size(), 4u);
    EXPECT_DOUBLE_EQ(s.v[0], 25);  // 200 % of one core = 25 % of 8 cores
    PlotSeries p;
    syncProcessSeries(tl, 42, {ChartMetric::Cpu, CpuScale::PerCore, 8}, p);
    EXPECT_DOUBLE_EQ(p.v[0], 200);
    PlotSeries unknown;
    syncProcessSeries(tl, 42, {ChartMetric::Cpu, CpuScale::Machine, 0}, unknown);
    EXPECT_DOUBLE_EQ(unknown.v[0], 200);  // cores unknown: left unscaled
}

TEST(PlotSeries, ProcessMemoryPercentIsRssOverDerivedTotal) {
    Timeline tl = makeTimeline(0);
    PlotSeries s;
    syncProcessSeries(tl, 42, {ChartMetric::Memory, CpuScale::Machine, 0}, s);
    ASSERT_EQ(s.size(), 4u);
    EXPECT_DOUBLE_EQ(s.v[0], 10);  // 400 MB of 4000 MB
    EXPECT_DOUBLE_EQ(s.v[3], 40);
}

TEST(PlotSeries, UnknownPidIsEmpty) {
    Timeline tl = makeTimeline(0);
    PlotSeries s;
    s.t.push_back(1);
    s.v.push_back(1);
    syncProcessSeries(tl, 7, {}, s);
    EXPECT_TRUE(s.empty());
}

TEST(PlotSeries, SyncAppendsNewRowsAndFollowsTheRing) {
    Timeline tl(5);  // ring of 5 rows
    const int cpu = tl.system.ensureColumn(col::kCpuPercent);
    PlotSeries s;
    for (int i = 0; i < 12; ++i) {
        tl.system.appendRow(i);
        tl.system.setLast(cpu, i * 2);
        const bool kept = syncSystemSeries(tl, ChartMetric::Cpu, s);
        EXPECT_EQ(kept, i > 0) << i;  // only the first call builds from nothing
        ASSERT_EQ(s.size(), std::min(i + 1, 5));
        EXPECT_DOUBLE_EQ(s.t.front(), std::max(0, i - 4));
        EXPECT_DOUBLE_EQ(s.t.back(), i);
        EXPECT_DOUBLE_EQ(s.v.back(), i * 2);
    }
    // Unrelated contents (a different timeline): rebuilt, not appended.
    Timeline other;
    const int c2 = other.system.ensureColumn(col::kCpuPercent);
    other.system.appendRow(500);
    other.system.setLast(c2, 1);
    EXPECT_FALSE(syncSystemSeries(other, ChartMetric::Cpu, s));
    ASSERT_EQ(s.size(), 1u);
    EXPECT_DOUBLE_EQ(s.t[0], 500);
}
