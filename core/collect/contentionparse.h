#pragma once
// Pure parsers of the kernel's contention counters (no I/O; tested on strings):
//  - PSI, pressure stall information (/proc/pressure/{cpu,memory,io}, Linux 4.20+, and a cgroup
//    v2 directory's {cpu,memory,io}.pressure). https://docs.kernel.org/accounting/psi.html
//  - /proc/PID/schedstat: time on a CPU and time waiting on a run queue.
//    https://docs.kernel.org/scheduler/sched-stats.html
//  - nonvoluntary_ctxt_switches of /proc/PID/status (proc_pid_status(5)).
//  - cgroup v2 cpu.stat, memory.current / memory.max, /proc/PID/cgroup and the cgroup2 mount
//    point in /proc/mounts. https://docs.kernel.org/admin-guide/cgroup-v2.html
// All return false on text that is not the expected file; only findCgroup2Mount allocates.

#include <cstdint>
#include <string>
#include <string_view>

namespace loadline::core {

/** One line ("some" or "full") of a PSI file. avgN are percents; total is cumulative µs. */
struct PressureLine {
    double avg10 = 0, avg60 = 0, avg300 = 0;
    std::uint64_t totalUs = 0;
};

/** A PSI file. "full" is absent from /proc/pressure/cpu before Linux 5.13. */
struct PressureStall {
    PressureLine some, full;
    bool hasFull = false;
};
/** Needs a well-formed "some" line; a "full" line is optional (hasFull says whether it was there). */
bool parsePressure(std::string_view text, PressureStall& out);
/** One "avg10=.. avg60=.. avg300=.. total=.." line after its some/full label. */
bool parsePressureFields(std::string_view fields, PressureLine& out);

/** /proc/PID/schedstat (or /proc/PID/task/TID/schedstat): nanoseconds on a CPU, nanoseconds
 *  runnable but waiting on a run queue, and timeslices run. Needs CONFIG_SCHED_INFO. */
struct Schedstat {
    std::uint64_t runNs = 0, waitNs = 0, timeslices = 0;
};
bool parseSchedstat(std::string_view text, Schedstat& out);

/** voluntary_ctxt_switches / nonvoluntary_ctxt_switches of /proc/PID/status (the task's own
 *  counts). False when the nonvoluntary line is absent. */
bool parseContextSwitches(std::string_view statusText, std::uint64_t& voluntary, std::uint64_t& nonvoluntary);

/** cgroup v2 cpu.stat. The throttling fields exist only where the cpu controller is enabled. */
struct CgroupCpuStat {
    std::uint64_t usageUsec = 0, userUsec = 0, systemUsec = 0;
    std::uint64_t nrPeriods = 0, nrThrottled = 0, throttledUsec = 0;
    bool hasThrottling = false;  // nr_periods, nr_throttled and throttled_usec were all there
};
/** Needs usage_usec; unknown keys are skipped. */
bool parseCgroupCpuStat(std::string_view text, CgroupCpuStat& out);

/** memory.current / memory.max / memory.high: bytes, or "max" (unlimited: unlimited = true). */
bool parseCgroupLimit(std::string_view text, std::uint64_t& value, bool& unlimited);

/** The cgroup v2 path of a process ("0::/user.slice/x.scope" line of /proc/PID/cgroup), without
 *  a " (deleted)" suffix. False when there is no such line (cgroup v1 only). */
bool parseProcCgroupV2(std::string_view text, std::string_view& path);

/** The mount point of the first cgroup2 filesystem in /proc/mounts text (octal escapes such as
 *  \040 decoded). False when none is mounted. */
bool findCgroup2Mount(std::string_view mountsText, std::string& mountPoint);

}  // namespace loadline::core
