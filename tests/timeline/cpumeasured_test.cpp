// Process CPU that was never measured (py-perf's psutil first-call 0.0), on the real py-perf
// timeline and on a recording with one idle and one busy process.
#include <gtest/gtest.h>

#include "core/format/recordingio.h"
#include "core/timeline/cpumeasured.h"

using namespace loadline::core;

namespace {
Recording load(const std::string& relative) {
    auto r = loadRecordingFile(std::string(LOADLINE_TEST_DATA) + "/" + relative);
    EXPECT_TRUE(r) << relative;
    return r ? *r : Recording();
}
}  // namespace

TEST(CpuMeasured, RealPyPerfTimelineHasNoMeasuredProcess) {
    const Recording rec = load("pyperf/timeline_trainer.json");
    ASSERT_EQ(rec.timeline.processes.size(), 3u);
    const CpuMeasurement m = detectUnmeasuredCpu(rec.timeline);
    for (const auto& [pid, series] : rec.timeline.processes) EXPECT_FALSE(m.measured(pid)) << pid;
    const auto warnings = cpuMeasurementWarnings(rec.timeline, m);
    ASSERT_EQ(warnings.size(), 3u);
    for (const auto& [pid, series] : rec.timeline.processes) {
        bool named = false;
        for (const auto& w : warnings) named |= w.find("process " + std::to_string(pid)) != std::string::npos;
        EXPECT_TRUE(named) << pid;
    }
    EXPECT_NE(warnings[0].find("CPU not measured"), std::string::npos);
}

TEST(CpuMeasured, AnIdleProcessBesideABusyOneStaysMeasured) {
    const Recording rec = load("chart/idle_and_busy.json");
    const CpuMeasurement m = detectUnmeasuredCpu(rec.timeline);
    EXPECT_TRUE(m.measured(2001));
    EXPECT_TRUE(m.measured(2002));
    EXPECT_TRUE(cpuMeasurementWarnings(rec.timeline, m).empty());
}

TEST(CpuMeasured, ZerosOnAnIdleMachineArePlausible) {
    Timeline tl;
    for (int i = 0; i < 10; ++i) {
        const double t = 100 + i;
        tl.system.appendRow(t);
        tl.system.setLast(tl.system.ensureColumn(col::kCpuPercent), 3.0);
        auto& p = tl.process(7).samples;
        p.appendRow(t);
        p.setLast(p.ensureColumn(col::kCpuPercent), 0.0);
    }
    EXPECT_TRUE(detectUnmeasuredCpu(tl).measured(7));
    // The same zeros while the machine is busy: the signature.
    for (std::size_t r = 0; r < tl.system.size(); ++r) tl.system.set(tl.system.columnIndex(col::kCpuPercent), r, 90.0);
    EXPECT_FALSE(detectUnmeasuredCpu(tl).measured(7));
    // Recorded by loadline's sampler, which measures every value: an idle process's zeros are real.
    tl.metadata.extra.emplace_back(kRecorderKey, kRecorderLoadline);
    EXPECT_TRUE(detectUnmeasuredCpu(tl).measured(7));
}
