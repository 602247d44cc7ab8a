// Hand-made timelines and timings whose right answers are known by construction.
#include "core/correlate/correlate.h"
#include "core/format/recordingio.h"
#include "core/correlate/moment.h"
#include "core/correlate/windowmean.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <utility>
#include <vector>

using namespace loadline::core;

namespace {

// System samples (t, cpu %, memory %).
Timeline makeTimeline(const std::vector<std::array<double, 3>>& rows, std::size_t maxSamples = 0) {
    Timeline tl(maxSamples);
    const int cpu = tl.system.ensureColumn(col::kCpuPercent);
    const int mem = tl.system.ensureColumn(col::kMemoryPercent);
    for (const auto& r : rows) {
        tl.system.appendRow(r[0]);
        tl.system.setLast(cpu, r[1]);
        tl.system.setLast(mem, r[2]);
    }
    tl.metadata.sampleInterval = 1.0;
    return tl;
}

FunctionTiming timing(std::string name, double end, double wall, double cpu) {
    FunctionTiming t;
    t.functionName = std::move(name);
    t.timestamp = end;
    t.wallTime = wall;
    t.cpuTime = cpu;
    return t;
}

// One sample a second from t=0 to t=10; CPU 10 % except a burst of 100 % over [4, 6], memory 50 %.
Timeline burstTimeline() {
    std::vector<std::array<double, 3>> rows;
    for (int t = 0; t <= 10; ++t) rows.push_back({double(t), (t >= 4 && t <= 6) ? 100.0 : 10.0, 50.0});
    return makeTimeline(rows);
}

// CPU 20 % up to t=5, 80 % from t=6 on (a step, linear in between); memory 40 -> 60 the same way.
Timeline stepTimeline() {
    std::vector<std::array<double, 3>> rows;
    for (int t = 0; t <= 10; ++t) rows.push_back({double(t), t <= 5 ? 20.0 : 80.0, t <= 5 ? 40.0 : 60.0});
    return makeTimeline(rows);
}

}  // namespace

TEST(WindowMean, CallInsideABurstOfFullLoadGetsExactlyFullLoad) {
    const Timeline tl = burstTimeline();
    // The call ends at 5.8 after 1.6 s: it ran over [4.2, 5.8], inside the flat 100 % burst.
    const auto c = correlate({timing("burst", 5.8, 1.6, 0.1)}, tl);
    ASSERT_EQ(c.calls.size(), 1u);
    EXPECT_DOUBLE_EQ(c.calls[0].systemCpuPercent, 100.0);
    EXPECT_DOUBLE_EQ(c.calls[0].systemMemoryPercent, 50.0);
    EXPECT_EQ(c.calls[0].samplesInside, 1);  // only t=5 lies in [4.2, 5.8]
    EXPECT_DOUBLE_EQ(c.calls[0].coverage, 1.0);
    // Under load, but no low-load calls of "burst" to judge whether the load cost it time.
    EXPECT_EQ(c.calls[0].verdict, Verdict::Unknown);
    EXPECT_TRUE(c.warnings.empty());
}

TEST(WindowMean, TimestampIsTheEndOfTheCall) {
    const Timeline tl = burstTimeline();
    // Ends at 4.0 after 1 s: ran over [3, 4], the ramp from 10 to 100 -> mean 55.
    // Were the timestamp taken as the start, it would be [4, 5] -> 100.
    const auto c = correlate({timing("f", 4.0, 1.0, 0.0)}, tl);
    EXPECT_DOUBLE_EQ(c.calls[0].start, 3.0);
    EXPECT_DOUBLE_EQ(c.calls[0].systemCpuPercent, 55.0);
}

TEST(WindowMean, CallAcrossALoadStepIsTimeWeighted) {
    const Timeline tl = stepTimeline();
    // [4.5, 7.5]: 0.5 s at 20 (10) + ramp 5..6 averaging 50 (50) + 1.5 s at 80 (120) = 180 / 3 s.
    const auto c = correlate({timing("step", 7.5, 3.0, 0.3)}, tl);
    EXPECT_NEAR(c.calls[0].systemCpuPercent, 60.0, 1e-9);
    // Memory the same shape 40 -> 60: 0.5*40 + 50 + 1.5*60 = 160 / 3.
    EXPECT_NEAR(c.calls[0].systemMemoryPercent, 160.0 / 3.0, 1e-9);
    EXPECT_EQ(c.calls[0].samplesInside, 3);           // t = 5, 6, 7
    EXPECT_EQ(c.calls[0].verdict, Verdict::Waiting);  // ratio 0.1, load 60 % < 70 %
}

TEST(WindowMean, CallBetweenTwoSamplesGetsTheInterpolatedValueAtItsMidpoint) {
    const Timeline tl = makeTimeline({{0.0, 0.0, 10.0}, {1.0, 100.0, 30.0}});
    // [0.2, 0.4]: no sample inside; the line from 0 to 100 at the midpoint 0.3 is 30.
    const auto c = correlate({timing("short", 0.4, 0.2, 0.2)}, tl);
    EXPECT_NEAR(c.calls[0].systemCpuPercent, 30.0, 1e-9);
    EXPECT_NEAR(c.calls[0].systemMemoryPercent, 16.0, 1e-9);
    EXPECT_EQ(c.calls[0].samplesInside, 0);
    EXPECT_EQ(c.calls[0].verdict, Verdict::OwnWork);
}

TEST(WindowMean, ZeroLengthCallGetsTheValueAtThatInstant) {
    const Timeline tl = makeTimeline({{0.0, 0.0, 0.0}, {1.0, 100.0, 0.0}});
    const auto w = windowMean(tl.system, tl.system.columnIndex(col::kCpuPercent), 0.25, 0.25);
    EXPECT_NEAR(w.mean, 25.0, 1e-9);
    EXPECT_DOUBLE_EQ(w.coverage, 1.0);
}

TEST(WindowMean, CallOutsideTheTimelineIsNotAttributedAndWarned) {
    const Timeline tl = burstTimeline();  // epoch-less timeline [0, 10]
    // A timing on another clock base (e.g. perf_counter vs the epoch): ends at 1000.
    const auto c = correlate({timing("elsewhere", 1000.0, 0.5, 0.0), timing("inside", 2.0, 1.0, 1.0)}, tl);
    const auto& out = c.calls[0];
    EXPECT_TRUE(std::isnan(out.systemCpuPercent));
    EXPECT_TRUE(std::isnan(out.systemMemoryPercent));
    EXPECT_EQ(out.coverage, 0.0);
    EXPECT_EQ(out.samplesInside, 0);
    EXPECT_EQ(out.verdict, Verdict::Unknown);
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].find("elsewhere"), std::string::npos);
    EXPECT_NE(c.warnings[0].find("outside"), std::string::npos);
    const auto& f = c.functions[c.calls[0].functionIndex];
    EXPECT_EQ(f.callsOutsideTimeline, 1u);
    EXPECT_TRUE(std::isnan(f.meanSystemCpuPercent));
}

TEST(WindowMean, CallPartlyOutsideIsAveragedOverTheCoveredPartAndWarned) {
    const Timeline tl = stepTimeline();
    // [9, 12]: the timeline ends at 10 -> mean over [9, 10] = 80, coverage 1/3.
    const auto c = correlate({timing("late", 12.0, 3.0, 0.0)}, tl);
    EXPECT_DOUBLE_EQ(c.calls[0].systemCpuPercent, 80.0);
    EXPECT_NEAR(c.calls[0].coverage, 1.0 / 3.0, 1e-12);
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].find("partly outside"), std::string::npos);
}

TEST(WindowMean, MissingValuesAreSkippedNotTakenAsZero) {
    Timeline tl = makeTimeline({{0.0, 40.0, 1.0}, {1.0, kMissing, 1.0}, {2.0, 40.0, 1.0}});
    const auto c = correlate({timing("f", 1.5, 1.0, 0.0)}, tl);
    EXPECT_DOUBLE_EQ(c.calls[0].systemCpuPercent, 40.0);
    EXPECT_EQ(c.calls[0].samplesInside, 0);  // the sample at t=1 has no CPU value
}

TEST(WindowMean, WorksOnAWrappedBoundedTable) {
    std::vector<std::array<double, 3>> rows;
    for (int t = 0; t < 20; ++t) rows.push_back({double(t), double(t), 0.0});  // cpu == t
    const Timeline tl = makeTimeline(rows, /*maxSamples*/ 8);                  // keeps t = 12..19
    const auto c = correlate({timing("f", 16.0, 2.0, 0.0), timing("old", 5.0, 1.0, 0.0)}, tl);
    EXPECT_NEAR(c.calls[0].systemCpuPercent, 15.0, 1e-9);
    EXPECT_EQ(c.calls[0].samplesInside, 3);
    EXPECT_EQ(c.calls[1].coverage, 0.0);  // dropped from the ring: outside the range now
}

TEST(WindowMean, NoSystemSamplesWarnsOnce) {
    Timeline tl;
    const auto c = correlate({timing("a", 1, 1, 0), timing("b", 2, 1, 0)}, tl);
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].find("no system samples"), std::string::npos);
    EXPECT_TRUE(std::isnan(c.functions[0].meanSystemCpuPercent));
}

// Samples whose cpu_percent is null are gaps: the warning names the CPU samples' range, or says
// there are none, instead of "outside [1, 3]" for a call at 1.5-2.0.
TEST(WindowMean, NullCpuValuesAreNamedNotCalledOutside) {
    const Timeline none = makeTimeline({{1, kMissing, 50}, {2, kMissing, 50}, {3, kMissing, 50}});
    auto c = correlate({timing("f", 2.0, 0.5, 0.1)}, none);
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].find("no cpu_percent values"), std::string::npos) << c.warnings[0];
    const Timeline some = makeTimeline({{1, kMissing, 50}, {2, kMissing, 50}, {3, 40, 50}, {4, 60, 50}});
    c = correlate({timing("f", 2.0, 0.5, 0.1)}, some);
    ASSERT_EQ(c.warnings.size(), 1u);
    EXPECT_NE(c.warnings[0].find("with CPU samples [3.000, 4.000]"), std::string::npos) << c.warnings[0];
}

TEST(Verdict, RuleAndThresholds) {
    // Five low-load calls of 1 s: a call is slowed above max(Q3 + 1.5 IQR, 1.1 Q3) = 1.1 s.
    const LoadBaseline base = LoadBaseline::fromLowLoadWalls({1.0, 1.0, 1.0, 1.0, 1.0});
    EXPECT_EQ(base.calls, 5u);
    EXPECT_DOUBLE_EQ(base.slowWall, 1.1);
    EXPECT_EQ(classifyCall(1.0, 0.8, kMissing, base), Verdict::OwnWork);  // ratio exactly 0.8
    EXPECT_EQ(classifyCall(1.0, 3.5, 10.0, base), Verdict::OwnWork);      // multi-threaded: cpu > wall
    EXPECT_EQ(classifyCall(2.0, 0.79, 70.0, base), Verdict::Contention);  // load exactly at the threshold, slowed
    EXPECT_EQ(classifyCall(1.05, 0.1, 95.0, base), Verdict::Waiting);     // under load but not slowed
    EXPECT_EQ(classifyCall(1.0, 0.1, 69.9, base), Verdict::Waiting);
    EXPECT_EQ(classifyCall(1.0, 0.1, kMissing, base), Verdict::Unknown);
    EXPECT_EQ(classifyCall(0.0, 0.0, 50.0, base), Verdict::Unknown);
    // Fewer low-load calls than minLowLoadCalls: nothing to judge against.
    const LoadBaseline four = LoadBaseline::fromLowLoadWalls({1.0, 1.0, 1.0, 1.0});
    EXPECT_EQ(classifyCall(3.0, 0.1, 95.0, four), Verdict::Unknown);
    VerdictThresholds lenient{.minLowLoadCalls = 4};
    EXPECT_EQ(classifyCall(3.0, 0.1, 95.0, four, lenient), Verdict::Contention);
    VerdictThresholds strict{.ownWorkRatio = 0.95, .highLoadPercent = 50};
    EXPECT_EQ(classifyCall(2.0, 0.9, 60.0, base, strict), Verdict::Contention);
    EXPECT_EQ(verdictName(Verdict::OwnWork), "own work");
    const auto rule = verdictRuleText();
    EXPECT_NE(rule.find("0.8"), std::string::npos);
    EXPECT_NE(rule.find("70 %"), std::string::npos);
    EXPECT_NE(rule.find("fewer than 5 low-load calls"), std::string::npos);
}

namespace {
// A function called 20 times at low load (system 10 %) and 20 times at high load (95 %): one
// call a second in each half of a 40 s timeline. wall(i, high) and cpu(i, high) give its times.
template <class Wall, class Cpu>
std::vector<FunctionTiming> underTwoLoads(const std::string& name, Wall wall, Cpu cpu) {
    std::vector<FunctionTiming> out;
    for (int i = 0; i < 40; ++i) {
        const bool high = i >= 20;
        const double w = wall(i, high);
        out.push_back(timing(name, i + 0.5 + w / 2, w, cpu(i, high)));
    }
    return out;
}
Timeline twoLoadsTimeline() {
    std::vector<std::array<double, 3>> rows;
    for (int t = 0; t <= 41; ++t) rows.push_back({double(t) - 0.5, t < 20 ? 10.0 : (t == 20 ? 52.5 : 95.0), 50.0});
    return makeTimeline(rows);
}
}  // namespace

TEST(Verdict, ASleepingFunctionIsNeverContention) {
    // A 0.12 s sleep with a little jitter: its wall does not change with load.
    const auto calls = underTwoLoads(
        "download", [](int i, bool) { return 0.12 + 0.004 * ((i * 7) % 5) / 4.0; }, [](int, bool) { return 0.002; });
    const auto c = correlate(calls, twoLoadsTimeline());
    std::size_t high = 0;
    for (const auto& call : c.calls) {
        EXPECT_NE(call.verdict, Verdict::Contention) << call.end;
        EXPECT_EQ(call.verdict, Verdict::Waiting) << call.end;
        high += call.systemCpuPercent >= 70;
    }
    EXPECT_GE(high, 18u);
}

TEST(Verdict, ACpuBoundFunctionThatDoublesUnderLoadIsContention) {
    // 0.1 s of CPU; alone it runs in 0.1 s, under load it takes 0.2 s (CPU/wall 0.5 < 0.8).
    const auto calls = underTwoLoads(
        "checksum", [](int, bool high) { return high ? 0.2 : 0.1; }, [](int, bool) { return 0.1; });
    const auto c = correlate(calls, twoLoadsTimeline());
    for (const auto& call : c.calls) {
        if (call.systemCpuPercent >= 70) {
            EXPECT_EQ(call.verdict, Verdict::Contention) << call.end;
        } else if (call.systemCpuPercent < 70) {
            EXPECT_EQ(call.verdict, Verdict::OwnWork) << call.end;
        }
    }
    EXPECT_GE(c.functions[0].verdictCount(Verdict::Contention), 18u);
}

// The real py-perf pair (the same program on a quiet and on a busy machine): "download" sleeps
// 0.12 s and is not slower under load: never contention in either recording.
TEST(Verdict, RealPyPerfDownloadIsNeverContention) {
    for (const char* file : {"summary_quiet.json", "summary_busy.json"}) {
        auto r = loadRecordingFile(std::string(LOADLINE_TEST_DATA) + "/pyperf/" + file);
        ASSERT_TRUE(r) << file;
        const auto c = correlate(*r);
        std::size_t downloads = 0;
        for (const auto& call : c.calls) {
            if (c.functions[call.functionIndex].name != "download") continue;
            ++downloads;
            EXPECT_NE(call.verdict, Verdict::Contention) << file << " call ending " << call.end;
        }
        EXPECT_GT(downloads, 5u) << file;
    }
}

TEST(FunctionStats, PercentilesMeansAndRatio) {
    const Timeline tl = stepTimeline();
    std::vector<FunctionTiming> t;
    // Five calls of "work", walls 1..5 s, CPU half the wall, all in the 20 % part [0, 5].
    for (int i = 1; i <= 5; ++i) t.push_back(timing("work", 5.0, i, i / 2.0));
    t.push_back(timing("tiny", 1.0, 0.5, 0.5));
    const auto c = correlate(t, tl);
    ASSERT_EQ(c.functions.size(), 2u);
    const auto& w = c.functions[0];  // largest total first
    EXPECT_EQ(w.name, "work");
    EXPECT_EQ(w.calls, 5u);
    EXPECT_DOUBLE_EQ(w.totalWall, 15.0);
    EXPECT_DOUBLE_EQ(w.meanWall, 3.0);
    EXPECT_DOUBLE_EQ(w.p50Wall, 3.0);
    EXPECT_DOUBLE_EQ(w.p95Wall, 4.8);  // rank 0.95 * 4 = 3.8 -> 4 + 0.8 * (5 - 4)
    EXPECT_DOUBLE_EQ(w.maxWall, 5.0);
    EXPECT_DOUBLE_EQ(w.meanCpu, 1.5);
    EXPECT_DOUBLE_EQ(w.cpuWallRatio, 0.5);
    EXPECT_DOUBLE_EQ(w.meanSystemCpuPercent, 20.0);
    EXPECT_DOUBLE_EQ(w.meanSystemMemoryPercent, 40.0);
    EXPECT_TRUE(std::isnan(w.slowdownUnderLoad));  // no call under high load
    EXPECT_EQ(w.verdictCount(Verdict::Waiting), 5u);
    EXPECT_EQ(c.functions[1].verdictCount(Verdict::OwnWork), 1u);
    // Calls point at their function after the sort.
    EXPECT_EQ(c.functions[c.calls[5].functionIndex].name, "tiny");
}

TEST(FunctionStats, SlowdownIsMeanWallUnderHighLoadOverLowLoad) {
    const Timeline tl = stepTimeline();  // 20 % before t=5, 80 % after t=6
    const auto c = correlate({timing("f", 2.0, 1.0, 0.1), timing("f", 4.0, 2.0, 0.1),    // low: mean 1.5
                              timing("f", 10.0, 3.0, 0.1), timing("f", 9.0, 3.0, 0.1)},  // high: 80 % -> 3
                             tl);
    const auto& f = c.functions[0];
    EXPECT_EQ(f.highLoadCalls, 2u);
    EXPECT_EQ(f.lowLoadCalls, 2u);
    EXPECT_DOUBLE_EQ(f.slowdownUnderLoad, 2.0);
    // A custom threshold moves calls between the groups: at 90 % none is "high".
    CorrelateOptions o;
    o.thresholds.highLoadPercent = 90;
    EXPECT_TRUE(std::isnan(
        correlate({timing("f", 2.0, 1.0, 0.1), timing("f", 10.0, 3.0, 0.1)}, tl, o).functions[0].slowdownUnderLoad));
}

TEST(Percentile, LinearBetweenRanks) {
    EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 50), 2.5);
    EXPECT_DOUBLE_EQ(percentile({7}, 95), 7.0);
    EXPECT_TRUE(std::isnan(percentile({}, 50)));
}

TEST(Moment, CallsRunningAtATime) {
    const Timeline tl = burstTimeline();
    const auto c = correlate({timing("a", 5.0, 2.0, 0), timing("b", 4.5, 0.5, 0), timing("c", 8.0, 1.0, 0)}, tl);
    const auto at = callsRunningAt(c, 4.2);
    ASSERT_EQ(at.size(), 2u);
    EXPECT_EQ(at[0], 0u);  // longest first
    EXPECT_EQ(at[1], 1u);
    EXPECT_TRUE(callsRunningAt(c, 6.0).empty());
}

TEST(Moment, ProcessesRankedByCpuAtATime) {
    Timeline tl = burstTimeline();
    auto add = [&](int pid, const char* name, std::vector<std::pair<double, double>> samples) {
        auto& s = tl.process(pid).samples;
        const int cpu = s.ensureColumn(col::kCpuPercent);
        const int nm = s.ensureColumn(col::kName, true);
        for (auto [t, v] : samples) {
            s.appendRow(t);
            s.setLast(cpu, v);
            s.setLastText(nm, name);
        }
    };
    add(10, "low", {{4, 5}, {5, 1}});
    add(20, "high", {{4, 10}, {5, 90}});
    add(30, "gone", {{1, 99}});    // vanished long before
    add(40, "later", {{6, 100}});  // starts after the moment
    const auto p = processesAt(tl, 5.5);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].pid, 20);
    EXPECT_EQ(p[0].name, "high");
    EXPECT_DOUBLE_EQ(p[0].cpuPercent, 90);
    EXPECT_EQ(p[1].pid, 10);
}

TEST(Moment, LanesKeepOverlappingCallsApart) {
    const Timeline tl = burstTimeline();
    const auto c = correlate({timing("outer", 5.0, 4.0, 0), timing("inner", 3.0, 1.0, 0), timing("after", 7.0, 2.0, 0),
                              timing("overlap", 6.0, 2.0, 0)},
                             tl);
    int lanes = 0;
    const auto lane = assignLanes(c.calls, &lanes);
    EXPECT_EQ(lanes, 2);
    EXPECT_EQ(lane[0], 0);  // outer [1, 5]
    EXPECT_EQ(lane[1], 1);  // inner [2, 3]
    EXPECT_EQ(lane[3], 1);  // overlap [4, 6]: lane 0 busy until 5, lane 1 free since 3
    EXPECT_EQ(lane[2], 0);  // after [5, 7]
}

// Against brute force: the mean of the piecewise-linear series by fine midpoint sums, on random
// tables with duplicate timestamps and missing values, and random windows (inside, across edges,
// outside, zero-length).
TEST(WindowMean, AgreesWithBruteForceIntegration) {
    std::mt19937 rng(12345);
    std::uniform_real_distribution<double> u(0, 1);
    for (int round = 0; round < 300; ++round) {
        SeriesTable table;
        const int col = table.ensureColumn(col::kCpuPercent);
        std::vector<std::pair<double, double>> pts;  // valid points
        double t = u(rng) * 5;
        const int n = 1 + int(u(rng) * 12);
        for (int i = 0; i < n; ++i) {
            if (u(rng) > 0.2) t += u(rng) * 2;  // sometimes a duplicate timestamp
            table.appendRow(t);
            const double v = u(rng) < 0.15 ? kMissing : u(rng) * 100;
            table.setLast(col, v);
            if (!isMissing(v)) pts.push_back({t, v});
        }
        // The reference series: linear between consecutive valid points; several samples at one
        // time count as the last valid one (as the implementation documents).
        std::vector<std::pair<double, double>> dedup;
        for (const auto& q : pts) {
            if (!dedup.empty() && dedup.back().first == q.first) dedup.back().second = q.second;
            else dedup.push_back(q);
        }
        auto value = [&](double x) {
            for (std::size_t i = 0; i + 1 < dedup.size(); ++i) {
                if (x >= dedup[i].first && x < dedup[i + 1].first) {
                    const auto& a = dedup[i];
                    const auto& b = dedup[i + 1];
                    return a.second + (b.second - a.second) * (x - a.first) / (b.first - a.first);
                }
            }
            return dedup.back().second;
        };
        for (int w = 0; w < 10; ++w) {
            double t0 = u(rng) * (t + 4) - 2, t1 = t0 + (u(rng) < 0.1 ? 0.0 : u(rng) * 6);
            const WindowMean got = windowMean(table, col, t0, t1);
            if (pts.empty()) {
                EXPECT_TRUE(std::isnan(got.mean));
                continue;
            }
            const double a = std::max(t0, pts.front().first), b = std::min(t1, pts.back().first);
            if (a > b) {
                EXPECT_TRUE(std::isnan(got.mean)) << "round " << round;
                EXPECT_EQ(got.coverage, 0.0);
                continue;
            }
            int inside = 0;
            for (auto& p : pts) inside += p.first >= t0 && p.first <= t1;
            EXPECT_EQ(got.samplesInside, inside) << "round " << round;
            if (b - a < 1e-9) continue;  // instants at duplicates are a matter of convention
            const int steps = 20000;
            double sum = 0;
            for (int s = 0; s < steps; ++s) sum += value(a + (b - a) * (s + 0.5) / steps);
            EXPECT_NEAR(got.mean, sum / steps, 0.05) << "round " << round << " window " << t0 << ".." << t1;
            EXPECT_NEAR(got.coverage, t1 > t0 ? (b - a) / (t1 - t0) : 1.0, 1e-12);
        }
    }
}
