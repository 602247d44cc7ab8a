#pragma once
// Module core/collect: what loadline measures and how it reads it from Linux: pure parsers of
// /proc and /sys (tested on fixture trees and against psutil), kept-open readers for the
// sampler's hot path, GPU and contention (PSI, run-queue wait, cgroup) sources, process
// matching, and the metric registry (metrics.h) that names each value in every output. Used by
// core/sampler (every tick), core/serve, core/alert and core/fleet (metric names), and by
// loadline-cli snapshot.
//
// System-wide collection: /proc/stat, meminfo, loadavg, uptime, diskstats, net/dev through
// kept-open files, plus sysfs sensors and GPUs. One collect() is one tick of a sampler.

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/collect/contention.h"
#include "core/collect/counters.h"
#include "core/collect/gpu.h"
#include "core/collect/procfile.h"
#include "core/collect/samples.h"
#include "core/collect/sysinfo.h"
#include "core/collect/systemparse.h"

namespace loadline::core {

struct SystemCollectorOptions {
    bool perCpu = true;        // per-core percents (free: same /proc/stat read)
    bool disk = true;          // /proc/diskstats
    bool network = true;       // /proc/net/dev
    bool sensors = true;       // CPU frequency and temperature from /sys
    bool gpu = true;           // NVML and amdgpu sysfs
    bool filesystems = false;  // statvfs of each mounted filesystem (snapshot use; not per tick)
    bool uptime = true;        // /proc/uptime
    bool pressure = true;      // /proc/pressure/{cpu,memory,io} (PSI, Linux 4.20+)
    /** A cgroup v2 directory to read every tick (cpu.stat, memory.*, *.pressure); empty = none.
     *  As resolveCgroupDir() accepts it: a directory or a path inside the cgroup2 mount. */
    std::string cgroup;
    /** NVML library to dlopen; nullptr disables NVIDIA (tests on fixture trees). */
    const char* nvmlLibrary = "libnvidia-ml.so.1";
};

class SystemCollector {
public:
    explicit SystemCollector(ProcRoots roots = {}, SystemCollectorOptions options = {});
    ~SystemCollector();

    /**
     * Reads everything into out, reusing its vectors. Percents and rates are relative to the
     * previous collect() (NaN on the first). Fails only when /proc/stat or /proc/meminfo cannot
     * be read or parsed: an Error of kind Io with the file in path and, for a failed system
     * call, its errno in errnum (0 with "unexpected content" when the file does not parse);
     * missing optional files are skipped. Success allocates nothing (it runs every tick).
     * epochSeconds goes into out.timestamp; monotonicSeconds (steady clock) drives the rates.
     */
    Status collect(SystemSample& out, double epochSeconds, double monotonicSeconds);
    /** collect() with the current clocks. */
    Status collect(SystemSample& out);

    /** Boot time (btime of /proc/stat), epoch seconds; 0 before the first collect(). */
    double bootTime() const { return m_bootTime; }
    const ProcRoots& roots() const { return m_roots; }
    const SystemCollectorOptions& options() const { return m_options; }
    int gpuCount() const { return m_gpu ? m_gpu->count() : 0; }

private:
    tl::unexpected<Error> failFile(const char* name, int errnum) const;
    void collectDisks(SystemSample& out, double mono);
    void collectNetwork(SystemSample& out, double mono);
    bool isWholeDisk(std::string_view name);
    void openContention();                                   // systemcollector_contention.cpp
    void collectContention(SystemSample& out, double mono);  // systemcollector_contention.cpp

    ProcRoots m_roots;
    SystemCollectorOptions m_options;
    ProcFile m_stat, m_meminfo, m_loadavg, m_uptime, m_diskstats, m_netdev;
    ProcStat m_procStat;
    bool m_realProc = false;  // this machine's /proc: sysinfo(2) and CLOCK_BOOTTIME replace loadavg/uptime
    MemInfo m_memInfo;
    CpuUsageComputer m_cpuTotal;
    std::vector<CpuUsageComputer> m_cpuPerCore;
    double m_bootTime = 0;
    int m_physicalCores = -1;
    std::unique_ptr<CpuSensors> m_sensors;
    std::unique_ptr<GpuCollector> m_gpu;
    PressureReader m_pressure;
    CgroupReader m_cgroup;
    // Without cpufreq in /sys (VMs), psutil reads "cpu MHz" from /proc/cpuinfo. That file is
    // large on big machines, so it is read at most every kCpuInfoSeconds, into a kept buffer.
    static constexpr double kCpuInfoSeconds = 10;
    std::string m_cpuInfoText;
    double m_cpuInfoMhz = std::numeric_limits<double>::quiet_NaN();
    double m_cpuInfoReadAt = -1e300;

    struct RateState {
        CounterRate a, b, c, d;
    };
    RateState m_diskTotal, m_netTotal;
    std::vector<RateState> m_diskRates, m_netRates;
    // Whole-disk decision per device name (psutil counts devices that exist in /sys/block).
    std::vector<std::pair<std::string, bool>> m_diskKinds;
};

/** Seconds of the steady clock and of the Unix epoch, now. */
double monotonicNow();
double epochNow();

}  // namespace loadline::core
