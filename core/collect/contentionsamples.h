#pragma once
// What the contention readers (contention.h) produce per tick; part of SystemSample and
// ProcessSample. Missing numbers are NaN: the source is absent here or this is a first reading.

#include <array>
#include <string>

#include "core/timeline/seriestable.h"

namespace loadline::core {

enum PressureResource { kPressureCpu = 0, kPressureMemory = 1, kPressureIo = 2, kPressureResources = 3 };
/** "cpu", "memory", "io". */
const char* pressureResourceName(int resource);

/** One reading of the three PSI files. Percents: share of wall time since the previous reading in
 *  which some task (some) / every non-idle task (full) was stalled on that resource, 0..100. */
struct PressureSample {
    std::array<double, kPressureResources> somePercent{kMissing, kMissing, kMissing};
    std::array<double, kPressureResources> fullPercent{kMissing, kMissing, kMissing};
    /** The kernel's cumulative totals, in seconds (NaN where absent). */
    std::array<double, kPressureResources> someTotalSeconds{kMissing, kMissing, kMissing};
    std::array<double, kPressureResources> fullTotalSeconds{kMissing, kMissing, kMissing};
    /** The kernel's own 10 s running average of "some", percent. */
    std::array<double, kPressureResources> someAvg10{kMissing, kMissing, kMissing};
    bool any() const;
};

/** The cgroup v2 a process (or --cgroup) is in. */
struct CgroupSample {
    std::string path;                           // cgroup path ("/system.slice/x.service"); empty: none read
    double cpuPercent = kMissing;               // usage_usec per wall time, 100 = one CPU
    double throttledPeriodsPercent = kMissing;  // nr_throttled / nr_periods since the last reading
    double throttledMsPerS = kMissing;          // throttled_usec per wall second, in ms
    double nrThrottled = kMissing;              // cumulative count of throttled periods
    double throttledSeconds = kMissing;         // cumulative
    double usageSeconds = kMissing;             // cumulative
    double memoryCurrentBytes = kMissing;
    double memoryMaxBytes = kMissing;  // NaN when "max" (no limit)
    PressureSample pressure;
};

/** One process's scheduler counters. */
struct SchedSample {
    double runQueueWaitPercent = kMissing;       // run-queue wait per wall time, 0..100
    double runQueueWaitSeconds = kMissing;       // cumulative
    double nonvoluntarySwitchesPerS = kMissing;  // preemptions per second (over the last >= 1 s)
    double nonvoluntarySwitches = kMissing;      // cumulative
};

}  // namespace loadline::core
