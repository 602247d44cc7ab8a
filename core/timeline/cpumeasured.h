#pragma once
// Process CPU that was never measured. py-perf's ProcessTracker creates a new psutil.Process on
// every tick, and psutil's first cpu_percent() call on a Process object always returns 0.0: such
// a timeline holds 0.0 for every process sample, busy or not. Drawn or ranked as data, that reads
// as "this process used no CPU" while the system was at 100 %.
//
// The signature: no process of the file has a single non-zero cpu_percent, while the system's
// cpu_percent shows load. Then every process with a 0.0 reading is "not measured". A single idle
// process in a file where other processes have real CPU values stays measured. A timeline that
// loadline's own sampler recorded (metadata "recorder": "loadline") measured every value between
// two ticks of one reader, so its zeros are real: the rule does not apply to it.

#include <set>
#include <string>
#include <vector>

#include "core/timeline/timeline.h"

namespace loadline::core {

/** The metadata key and value loadline's sampler writes into every timeline it records. */
inline constexpr const char* kRecorderKey = "recorder";
inline constexpr const char* kRecorderLoadline = "\"loadline\"";  // JSON text of the value

/** System cpu_percent (a sample's, 0-100) at or above which the system "shows load". */
inline constexpr double kCpuShowsLoadPercent = 20.0;

struct CpuMeasurement {
    std::set<int> unmeasured;      // PIDs whose cpu_percent was never measured
    double systemPeak = kMissing;  // the system's highest cpu_percent (NaN when none)
    bool measured(int pid) const { return !unmeasured.contains(pid); }
};

/** Applies the rule above to a timeline. One pass over the process and system CPU columns. */
CpuMeasurement detectUnmeasuredCpu(const Timeline& timeline);

/** One warning per unmeasured process, naming its PID and the reason (for inspect and the GUI). */
std::vector<std::string> cpuMeasurementWarnings(const Timeline& timeline, const CpuMeasurement& m);

}  // namespace loadline::core
