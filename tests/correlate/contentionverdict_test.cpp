// The per-call verdict from direct contention measures: each branch of the rule, the window means
// over a call, which process counts as the recording one, and that a recording without these
// columns keeps the system-CPU-% verdict.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/correlate/correlate.h"

using namespace loadline::core;

namespace {

FunctionTiming timing(std::string name, double end, double wall, double cpu) {
    FunctionTiming t;
    t.functionName = std::move(name);
    t.timestamp = end;
    t.wallTime = wall;
    t.cpuTime = cpu;
    return t;
}

/** System samples at t = 0..10 with a constant CPU % and (optionally) CPU pressure. */
Timeline timeline(double cpuPercent, double pressureCpu = kMissing, double pressureMem = kMissing) {
    Timeline tl;
    const int cpu = tl.system.ensureColumn(col::kCpuPercent);
    const int mem = tl.system.ensureColumn(col::kMemoryPercent);
    const int pc = std::isnan(pressureCpu) ? -1 : tl.system.ensureColumn("pressure_cpu_some_percent");
    const int pm = std::isnan(pressureMem) ? -1 : tl.system.ensureColumn("pressure_memory_some_percent");
    for (int t = 0; t <= 10; ++t) {
        tl.system.appendRow(t);
        tl.system.setLast(cpu, cpuPercent);
        tl.system.setLast(mem, 50);
        if (pc >= 0) tl.system.setLast(pc, pressureCpu);
        if (pm >= 0) tl.system.setLast(pm, pressureMem);
    }
    return tl;
}

/** A tracked process with a run-queue wait column (and optionally its cgroup's throttling). */
void addProcess(Timeline& tl, int pid, double waitPercent, double throttledPercent = kMissing) {
    SeriesTable& p = tl.process(pid).samples;
    const int w = p.ensureColumn("run_queue_wait_percent");
    const int th = std::isnan(throttledPercent) ? -1 : p.ensureColumn("cgroup_throttled_periods_percent");
    for (int t = 0; t <= 10; ++t) {
        p.appendRow(t);
        p.setLast(w, waitPercent);
        if (th >= 0) p.setLast(th, throttledPercent);
    }
}

}  // namespace

TEST(ContentionVerdict, RuleBranches) {
    CallContention c;
    EXPECT_EQ(classifyCallMeasured(0.0, 0.0, 90, c), Verdict::Unknown);
    EXPECT_EQ(c.measure, LoadMeasure::None);
    c = {};
    c.runQueueWaitPercent = 90;
    EXPECT_EQ(classifyCallMeasured(1.0, 0.9, 90, c), Verdict::OwnWork);  // computing: no measure needed
    EXPECT_EQ(c.measure, LoadMeasure::None);

    // Off the CPU 80 % of the call: run-queue wait 40 % is half of that -> contention.
    c = {};
    c.runQueueWaitPercent = 40;
    c.pressureCpuPercent = 0;  // the run-queue wait comes first
    EXPECT_EQ(classifyCallMeasured(1.0, 0.2, 10, c), Verdict::Contention);
    EXPECT_EQ(c.measure, LoadMeasure::RunQueueWait);
    c.runQueueWaitPercent = 39;
    EXPECT_EQ(classifyCallMeasured(1.0, 0.2, 99, c), Verdict::Waiting);  // a busy system does not matter
    EXPECT_EQ(c.measure, LoadMeasure::RunQueueWait);

    c = {};
    c.pressureCpuPercent = 10;
    c.pressureMemoryPercent = 25;  // memory stalls count too
    EXPECT_EQ(classifyCallMeasured(1.0, 0.1, 5, c), Verdict::Contention);
    EXPECT_EQ(c.measure, LoadMeasure::Pressure);
    c.pressureMemoryPercent = 24.9;
    EXPECT_EQ(classifyCallMeasured(1.0, 0.1, 95, c), Verdict::Waiting);

    c = {};
    c.cgroupThrottledPercent = 10;
    c.runQueueWaitPercent = 0;
    EXPECT_EQ(classifyCallMeasured(1.0, 0.1, 5, c), Verdict::Contention);
    EXPECT_EQ(c.measure, LoadMeasure::CgroupThrottling);
    EXPECT_TRUE(c.throttled);

    c = {};  // nothing direct: the heuristic (against the function's low-load calls), and it says so
    const LoadBaseline lowLoad = LoadBaseline::fromLowLoadWalls({0.5, 0.5, 0.5, 0.5, 0.5});
    EXPECT_EQ(classifyCallMeasured(1.0, 0.1, 95, c, lowLoad), Verdict::Contention);
    EXPECT_EQ(c.measure, LoadMeasure::SystemCpuPercent);
    EXPECT_EQ(classifyCallMeasured(0.5, 0.1, 95, c, lowLoad), Verdict::Waiting);  // under load, not slowed
    EXPECT_EQ(c.measure, LoadMeasure::SystemCpuPercent);
    EXPECT_EQ(classifyCallMeasured(1.0, 0.1, kMissing, c), Verdict::Unknown);
    EXPECT_EQ(c.measure, LoadMeasure::None);
}

TEST(ContentionVerdict, PressureOverridesTheCpuPercentGuess) {
    // System CPU only 30 % (the heuristic says "waiting"), but tasks waited for a CPU 80 % of
    // the time (few cores, or a CPU quota): the measured pressure says contention.
    const Timeline tl = timeline(30, 80);
    const Correlation c = correlate({timing("f", 5, 2, 0.2)}, tl);
    ASSERT_EQ(c.calls.size(), 1u);
    EXPECT_EQ(c.calls[0].verdict, Verdict::Contention);
    EXPECT_EQ(c.calls[0].contention.measure, LoadMeasure::Pressure);
    EXPECT_DOUBLE_EQ(c.calls[0].contention.pressureCpuPercent, 80);
    EXPECT_TRUE(c.usedDirectMeasures);
    EXPECT_EQ(c.functions[0].measureCounts[static_cast<int>(LoadMeasure::Pressure)], 1u);

    const Correlation plain = correlate({timing("f", 5, 2, 0.2)}, timeline(30));
    EXPECT_EQ(plain.calls[0].verdict, Verdict::Waiting);
    EXPECT_EQ(plain.calls[0].contention.measure, LoadMeasure::SystemCpuPercent);
    EXPECT_FALSE(plain.usedDirectMeasures);
}

TEST(ContentionVerdict, RecordingProcessRunQueueWait) {
    Timeline tl = timeline(95, 90);  // busy system, high pressure...
    addProcess(tl, 100, 5);          // ...but the recording process hardly waited for a CPU
    const Correlation c = correlate({timing("f", 6, 2, 0.2)}, tl);
    EXPECT_EQ(c.calls[0].verdict, Verdict::Waiting);
    EXPECT_EQ(c.calls[0].contention.measure, LoadMeasure::RunQueueWait);
    EXPECT_DOUBLE_EQ(c.calls[0].contention.runQueueWaitPercent, 5);

    addProcess(tl, 200, 70);  // two candidates: which one made the calls is unknown...
    const Correlation ambiguous = correlate({timing("f", 6, 2, 0.2)}, tl);
    EXPECT_EQ(ambiguous.calls[0].contention.measure, LoadMeasure::Pressure);
    EXPECT_TRUE(std::isnan(ambiguous.calls[0].contention.runQueueWaitPercent));
    CorrelateOptions o;  // ...unless it is named
    o.recordingPid = 200;
    const Correlation named = correlate({timing("f", 6, 2, 0.2)}, tl, o);
    EXPECT_EQ(named.calls[0].verdict, Verdict::Contention);
    EXPECT_EQ(named.calls[0].contention.measure, LoadMeasure::RunQueueWait);
}

TEST(ContentionVerdict, ThrottledCgroupSaysSo) {
    Timeline tl = timeline(20);
    addProcess(tl, 100, 10, 90);
    const Correlation c = correlate({timing("slow", 4, 3, 0.5), timing("busy", 8, 1, 1)}, tl);
    ASSERT_EQ(c.calls.size(), 2u);
    EXPECT_EQ(c.calls[0].verdict, Verdict::Contention);
    EXPECT_EQ(c.calls[0].contention.measure, LoadMeasure::CgroupThrottling);
    EXPECT_TRUE(c.calls[0].contention.throttled);
    EXPECT_EQ(c.calls[1].verdict, Verdict::OwnWork);
    EXPECT_TRUE(c.calls[1].contention.throttled);  // still reported: its cgroup was throttled
    for (const auto& f : c.functions) EXPECT_EQ(f.throttledCalls, 1u);
    EXPECT_NE(contentionRuleText().find("throttled"), std::string::npos);
}
