// The run comparison on pairs whose answers are known by construction, and on a real py-perf
// quiet/busy pair (tests/data/compare/README.md).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/compare/compare.h"
#include "core/compare/comparetext.h"
#include "core/compare/twosample.h"
#include "core/format/recordingio.h"
#include "core/sampler/contentioncolumns.h"
#include "core/timeline/columns.h"

using namespace loadline::core;

namespace {

// A deterministic noise source in [-1, 1] (the same on every platform).
struct Noise {
    std::uint64_t s;
    double next() {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) / static_cast<double>(1ULL << 53) * 2 - 1;
    }
};

struct FunctionSpec {
    std::string name;
    int calls;
    double wall;  // mean wall time per call
    double cpu;   // mean CPU time per call
};

/**
 * A performance summary: the functions' calls one after another (10 ms apart) from t = 1000 s,
 * each wall/CPU time the mean +- 10 % noise; system samples every 0.25 s over the whole run
 * with cpu_percent = load +- 3 and memory_percent 40.
 */
Recording makeRun(const std::vector<FunctionSpec>& functions, double load, std::uint64_t seed, bool system = true) {
    Recording rec;
    rec.kind = Recording::Kind::PerformanceSummary;
    Noise noise{seed};
    double t = 1000.0;
    for (int round = 0;; ++round) {
        bool any = false;
        for (const auto& f : functions) {
            if (round >= f.calls) continue;
            any = true;
            FunctionTiming timing;
            timing.functionName = f.name;
            const double k = 1 + 0.1 * noise.next();
            timing.wallTime = f.wall * k;
            timing.cpuTime = std::min(timing.wallTime, f.cpu * (1 + 0.1 * noise.next()));
            t += timing.wallTime;
            timing.timestamp = t;
            t += 0.01;
            rec.functionTimings.push_back(timing);
        }
        if (!any) break;
    }
    if (system) {
        auto& sys = rec.timeline.system;
        const int cpu = sys.ensureColumn(col::kCpuPercent);
        const int mem = sys.ensureColumn(col::kMemoryPercent);
        for (double s = 999.5; s <= t + 0.5; s += 0.25) {
            sys.appendRow(s);
            sys.setLast(cpu, std::clamp(load + 3 * noise.next(), 0.0, 100.0));
            sys.setLast(mem, 40);
        }
        rec.timeline.metadata.sampleInterval = 0.25;
    }
    return rec;
}

const FunctionComparison& get(const RunComparison& c, const std::string& name) {
    const FunctionComparison* f = c.find(name);
    if (!f) throw std::runtime_error("no function " + name);
    return *f;
}

RunComparison compareOne(const FunctionSpec& base, double baseLoad, const FunctionSpec& next, double nextLoad) {
    return compareRuns(makeRun({base}, baseLoad, 1), makeRun({next}, nextLoad, 2));
}

}  // namespace

TEST(TwoSample, MannWhitneyMatchesScipy) {
    // scipy.stats.mannwhitneyu([1,2,3,4,5], [6,7,8,9,10], method="asymptotic").pvalue:
    // U = 0, mean 12.5, sd sqrt(25 * 11 / 12), z = 12 / sd.
    EXPECT_NEAR(mannWhitneyP({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}), 0.0121858, 1e-6);
    // With ties, worked by hand: ranks 1, 2.5, 2.5, 5.5 x3 | 5.5, 8.5, 8.5, 10, 11; U = 22.5 - 21
    // = 1.5, mean 15, tie-corrected variance 30 / 12 * (12 - 72 / 110), z = 13 / sqrt(variance).
    EXPECT_NEAR(mannWhitneyP({1, 2, 2, 3, 3, 3}, {3, 4, 4, 5, 6}), 0.0146479, 1e-6);
    // Identical samples: no evidence at all.
    EXPECT_DOUBLE_EQ(mannWhitneyP({1, 1, 1}, {1, 1}), 1.0);
    EXPECT_TRUE(std::isnan(mannWhitneyP({}, {1, 2})));
    // Symmetric in its arguments.
    EXPECT_DOUBLE_EQ(mannWhitneyP({1, 5, 3, 8}, {2, 9, 7}), mannWhitneyP({2, 9, 7}, {1, 5, 3, 8}));
}

TEST(TwoSample, BootstrapIntervalIsReproducibleAndCoversTheRatio) {
    std::vector<double> a, b;
    Noise n{7};
    for (int i = 0; i < 40; ++i) {
        a.push_back(1.0 + 0.1 * n.next());
        b.push_back(2.0 + 0.2 * n.next());
    }
    const auto first = bootstrapRatioOfMeans(a, b, 2000, 0.95, 42);
    const auto again = bootstrapRatioOfMeans(a, b, 2000, 0.95, 42);
    EXPECT_DOUBLE_EQ(first.low, again.low);
    EXPECT_DOUBLE_EQ(first.high, again.high);
    EXPECT_LT(first.low, 2.0);
    EXPECT_GT(first.high, 2.0);
    EXPECT_GT(first.low, 1.9);  // 40 calls with 10 % noise: a narrow interval
    EXPECT_LT(first.high, 2.1);
    const auto other = bootstrapRatioOfMeans(a, b, 2000, 0.95, 43);
    EXPECT_NE(first.low, other.low);
    // Equal samples: the interval holds 1.
    const auto same = bootstrapRatioOfMeans(a, a, 2000, 0.95, 1);
    EXPECT_LT(same.low, 1.0);
    EXPECT_GT(same.high, 1.0);
}

TEST(Compare, CpuTimeDoubledIsCode) {
    const auto c = compareOne({"f", 30, 0.10, 0.095}, 20, {"f", 30, 0.20, 0.19}, 20);
    const auto& f = get(c, "f");
    EXPECT_EQ(f.finding, Finding::Code) << f.reason;
    EXPECT_NEAR(f.changePercent, 100, 10);
    EXPECT_LT(f.pValue, 0.001);
    EXPECT_LT(f.ciLowPercent, f.changePercent);
    EXPECT_GT(f.ciHighPercent, f.changePercent);
    EXPECT_GT(f.ciLowPercent, 80);
}

TEST(Compare, WallDoubledUnderLoadWithCpuUnchangedIsMachine) {
    const auto c = compareOne({"f", 30, 0.10, 0.095}, 20, {"f", 30, 0.20, 0.095}, 95);
    const auto& f = get(c, "f");
    EXPECT_EQ(f.finding, Finding::Machine) << f.reason;
    EXPECT_NEAR(f.changePercent, 100, 10);
    EXPECT_NEAR(f.meanSystemCpuPercent[0], 20, 2);
    EXPECT_NEAR(f.meanSystemCpuPercent[1], 95, 2);
    EXPECT_TRUE(f.loadChanged);
    EXPECT_FALSE(f.cpuChanged);
}

TEST(Compare, FasterBecauseQuieterIsMachineWithANegativeChange) {
    const auto c = compareOne({"f", 30, 0.20, 0.095}, 95, {"f", 30, 0.10, 0.095}, 20);
    const auto& f = get(c, "f");
    EXPECT_EQ(f.finding, Finding::Machine) << f.reason;
    EXPECT_NEAR(f.changePercent, -50, 5);
}

TEST(Compare, WallDoubledWithLoadUnchangedIsWaiting) {
    const auto c = compareOne({"f", 30, 0.10, 0.01}, 20, {"f", 30, 0.20, 0.01}, 20);
    const auto& f = get(c, "f");
    EXPECT_EQ(f.finding, Finding::Waiting) << f.reason;
    EXPECT_FALSE(f.loadChanged);
}

namespace {
// The recording process's run-queue wait (as loadline's own sampler records it: a tracked
// process's run_queue_wait_percent) at every system sample, `percent` +- 2.
void addRunQueueWait(Recording& rec, double percent, std::uint64_t seed) {
    Noise noise{seed};
    auto& proc = rec.timeline.process(4242).samples;
    const int wait = proc.ensureColumn(col::kRunQueueWaitPercent);
    for (std::size_t r = 0; r < rec.timeline.system.size(); ++r) {
        proc.appendRow(rec.timeline.system.timestamp(r));
        proc.setLast(wait, percent + 2 * noise.next());
    }
}
}  // namespace

// A machine already saturated in the baseline: its system CPU % cannot rise, but the program's
// run-queue wait (the time it was ready to run and got no CPU) grew by the wall's growth.
TEST(Compare, RunQueueWaitThatExplainsTheSlowdownIsMachine) {
    Recording base = makeRun({{"f", 30, 0.1, 0.05}}, 100, 1);
    Recording next = makeRun({{"f", 30, 0.2, 0.05}}, 100, 2);
    addRunQueueWait(base, 50, 3);  // 0.05 s of 0.1 s
    addRunQueueWait(next, 75, 4);  // 0.15 s of 0.2 s
    const auto& f = get(compareRuns(base, next), "f");
    EXPECT_EQ(f.finding, Finding::Machine) << f.reason;
    EXPECT_NEAR(f.meanRunQueueWait[0], 0.05, 0.01);
    EXPECT_NEAR(f.meanRunQueueWait[1], 0.15, 0.02);
    EXPECT_TRUE(f.runQueueWaitExplains);
    EXPECT_NE(f.reason.find("run-queue wait"), std::string::npos) << f.reason;

    // The same wait in both runs: it does not explain the slowdown; the load did not change: waiting.
    Recording same = makeRun({{"f", 30, 0.2, 0.05}}, 100, 2);
    addRunQueueWait(same, 40, 4);  // 0.08 s of 0.2 s: +0.03 s of the +0.1 s
    const auto& g = get(compareRuns(base, same), "f");
    EXPECT_FALSE(g.runQueueWaitExplains);
    EXPECT_EQ(g.finding, Finding::Waiting) << g.reason;

    // Recorded in one run only: not used (the system CPU rule decides: unchanged, waiting).
    const auto& h = get(compareRuns(makeRun({{"f", 30, 0.1, 0.05}}, 100, 1), next), "f");
    EXPECT_TRUE(std::isnan(h.meanRunQueueWait[0]));
    EXPECT_EQ(h.finding, Finding::Waiting) << h.reason;
}

TEST(Compare, NoiseOnlyIsNoChange) {
    const auto c = compareOne({"f", 30, 0.10, 0.08}, 20, {"f", 30, 0.10, 0.08}, 20);
    const auto& f = get(c, "f");
    EXPECT_EQ(f.finding, Finding::NoChange) << f.reason;
    EXPECT_GT(f.pValue, 0.05);
    EXPECT_LT(f.ciLowPercent, 0);
    EXPECT_GT(f.ciHighPercent, 0);
}

TEST(Compare, ThreeCallsAreInconclusive) {
    const auto c = compareOne({"f", 3, 0.10, 0.095}, 20, {"f", 3, 0.20, 0.19}, 20);
    const auto& f = get(c, "f");
    EXPECT_EQ(f.finding, Finding::Inconclusive) << f.reason;
    EXPECT_NE(f.reason.find("too few"), std::string::npos);
}

TEST(Compare, MinChangeKeepsSmallSignificantChangesOut) {
    // 3 % slower with 200 calls: significant, but under the 5 % minimum; with 1 % it counts.
    const FunctionSpec base{"f", 200, 0.10, 0.095}, next{"f", 200, 0.103, 0.0979};
    const auto c = compareRuns(makeRun({base}, 20, 1), makeRun({next}, 20, 2));
    EXPECT_EQ(get(c, "f").finding, Finding::NoChange);
    EXPECT_LT(get(c, "f").pValue, 0.05);
    CompareOptions o;
    o.minChangePercent = 1;
    const auto c1 = compareRuns(makeRun({base}, 20, 1), makeRun({next}, 20, 2), o);
    EXPECT_EQ(get(c1, "f").finding, Finding::Code) << get(c1, "f").reason;
}

TEST(Compare, WithoutSystemSamplesMachineAndWaitingAreInconclusive) {
    const auto c =
        compareRuns(makeRun({{"f", 30, 0.10, 0.01}}, 20, 1), makeRun({{"f", 30, 0.20, 0.01}}, 20, 2, /*system=*/false));
    const auto& f = get(c, "f");
    EXPECT_EQ(f.finding, Finding::Inconclusive) << f.reason;
    EXPECT_NE(f.reason.find("new run"), std::string::npos);
    bool warned = false;
    for (const auto& w : c.warnings) warned |= w.find("new run: ") == 0;
    EXPECT_TRUE(warned);
}

TEST(Compare, AddedAndRemovedFunctionsAreListed) {
    const auto c = compareRuns(makeRun({{"kept", 10, 0.1, 0.1}, {"old", 5, 0.1, 0.1}}, 20, 1),
                               makeRun({{"kept", 10, 0.1, 0.1}, {"new", 5, 0.3, 0.3}}, 20, 2));
    ASSERT_EQ(c.functions.size(), 3u);
    EXPECT_EQ(c.functions[0].name, "kept");
    EXPECT_EQ(get(c, "old").status, FunctionComparison::Status::Removed);
    EXPECT_EQ(get(c, "old").calls[1], 0u);
    EXPECT_EQ(get(c, "new").status, FunctionComparison::Status::Added);
    EXPECT_EQ(get(c, "new").calls[0], 0u);
    EXPECT_TRUE(std::isnan(get(c, "new").changePercent));
    const auto j = comparisonToJson(c);
    EXPECT_EQ(j["functions"][2]["status"], "removed");
    EXPECT_TRUE(j["functions"][1]["mean_wall_time"][0].is_null());
    EXPECT_TRUE(j["functions"][1]["finding"].is_null());
}

TEST(Compare, SystemPartOverRunsAndCalls) {
    const auto c = compareRuns(makeRun({{"f", 20, 0.1, 0.1}}, 20, 1), makeRun({{"f", 20, 0.1, 0.1}}, 80, 2));
    EXPECT_NEAR(c.system[0].meanCpuPercent, 20, 1);
    EXPECT_NEAR(c.system[1].meanCpuPercent, 80, 1);
    EXPECT_GE(c.system[1].p95CpuPercent, c.system[1].meanCpuPercent);
    EXPECT_NEAR(c.system[1].callsMeanCpuPercent, 80, 1);
    EXPECT_EQ(c.system[0].callsWithLoad, 20u);
    EXPECT_DOUBLE_EQ(c.system[0].meanMemoryPercent, 40);
    EXPECT_DOUBLE_EQ(c.system[0].sampleInterval, 0.25);
    const auto j = comparisonToJson(c);
    EXPECT_NEAR(j["system"]["new"]["cpu_percent"]["mean"].get<double>(), 80, 1);
    EXPECT_NEAR(j["system"]["baseline"]["during_calls"]["cpu_percent"]["mean"].get<double>(), 20, 1);
}

TEST(Compare, ResultsAreReproducible) {
    const auto a = compareOne({"f", 30, 0.10, 0.095}, 20, {"f", 30, 0.20, 0.095}, 95);
    const auto b = compareOne({"f", 30, 0.10, 0.095}, 20, {"f", 30, 0.20, 0.095}, 95);
    EXPECT_EQ(comparisonToJson(a).dump(), comparisonToJson(b).dump());
}

TEST(Compare, RealQuietBusyPair) {
    const std::string dir = std::string(LOADLINE_TEST_DATA) + "/compare/";
    auto quiet = loadRecordingFile(dir + "summary_quiet.json");
    auto busy = loadRecordingFile(dir + "summary_busy.json");
    ASSERT_TRUE(quiet) << quiet.error().toString();
    ASSERT_TRUE(busy) << busy.error().toString();
    const auto c = compareRuns(*quiet, *busy);
    const auto& checksum = get(c, "checksum");
    EXPECT_EQ(checksum.finding, Finding::Machine) << checksum.reason;
    EXPECT_GT(checksum.changePercent, 50);
    EXPECT_EQ(get(c, "download").finding, Finding::NoChange) << get(c, "download").reason;
    // The program did not change: nothing is blamed on the code.
    for (const auto& f : c.functions) EXPECT_NE(f.finding, Finding::Code) << f.name << ": " << f.reason;
    EXPECT_GT(c.system[1].meanCpuPercent, 90);
    EXPECT_LT(c.system[0].meanCpuPercent, 40);
}

TEST(Compare, CsvHasOneRowPerFunction) {
    const auto c = compareOne({"f,g", 30, 0.10, 0.095}, 20, {"f,g", 30, 0.20, 0.19}, 20);
    const std::string csv = comparisonCsv(c);
    EXPECT_EQ(csv.rfind("function,status,calls_base,calls_new,mean_wall_base", 0), 0u);
    EXPECT_NE(csv.find("\n\"f,g\",both,30,30,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",code,"), std::string::npos);
}
