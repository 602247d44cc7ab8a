#pragma once
// Contention measured by the kernel, read on the sampler's hot path (kept-open files, pread into
// reused buffers, nothing allocated per tick):
//  - PressureReader: PSI files, /proc/pressure/{cpu,memory,io} or a cgroup's {cpu,memory,io}.pressure;
//  - CgroupReader: one cgroup v2 directory (cpu.stat, memory.current, memory.max, its PSI files);
//  - SchedReader: one process's run-queue wait (/proc/PID/schedstat) and involuntary context
//    switches (/proc/PID/status), both of its main thread (the kernel reports them per task).
// Rates come from the cumulative counters between two readings. A source that cannot be read
// (kernel too old, CONFIG_PSI/CONFIG_SCHEDSTATS off, no permission, cgroup v1) stays NaN, so the
// timeline has no column for it rather than zeros.

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/base/result.h"
#include "core/collect/contentionparse.h"
#include "core/collect/contentionsamples.h"
#include "core/collect/procfile.h"
#include "core/timeline/seriestable.h"

namespace loadline::core {

/** Per-second rate of a cumulative counter, as a share (0..100 %) of wall time when the counter
 *  counts time. NaN on the first reading and when no time passed. */
class CumulativeRate {
public:
    double update(std::uint64_t value, double seconds);
    void reset() { m_have = false; }

private:
    std::uint64_t m_prev = 0;
    double m_prevSeconds = 0;
    bool m_have = false;
};

class PressureReader {
public:
    /** Opens dir/<prefix>{cpu,memory,io}<suffix>: "/proc/pressure/", "" for the system and
     *  "<cgroup dir>/", ".pressure" for a cgroup. Fails (kind Io, the first file's errno) when
     *  none can be opened (a kernel without PSI); those that open are read. */
    Status open(const std::string& dir, const char* suffix);
    void close();
    bool isOpen() const;
    /** Fills out; resources whose file is absent or unreadable (EOPNOTSUPP with psi=0) stay NaN. */
    void read(PressureSample& out, double monotonicSeconds);

private:
    std::array<ProcFile, kPressureResources> m_files;
    std::array<CumulativeRate, kPressureResources> m_some, m_full;
    PressureStall m_parsed;
    bool m_systemWide = false;
};

class CgroupReader {
public:
    /** Opens a cgroup directory (cpu.stat must be readable: else kind Io, its path and errno).
     *  path is what CgroupSample::path shows. */
    Status open(const std::string& dir, const std::string& path);
    void close();
    bool isOpen() const { return m_cpuStat.isOpen(); }
    const std::string& path() const { return m_path; }
    /** Fills out (out.path only when it differs, so steady state does not allocate). */
    void read(CgroupSample& out, double monotonicSeconds);

private:
    std::string m_path;
    ProcFile m_cpuStat, m_memCurrent, m_memMax;
    PressureReader m_pressure;
    CumulativeRate m_usage, m_throttledUs;
    std::uint64_t m_prevPeriods = 0, m_prevThrottled = 0;
    bool m_havePeriods = false;
    CgroupCpuStat m_stat;
};

/**
 * One CgroupReader shared by every tracked process in that cgroup (processes of one container or
 * unit usually are): reading it again with the same monotonic time (the same tick) copies the
 * last reading instead of reading the files again. Thread-safe.
 */
class SharedCgroupReader {
public:
    void read(CgroupSample& out, double monotonicSeconds);

private:
    friend std::shared_ptr<SharedCgroupReader> sharedCgroupReader(const std::string&, const std::string&);
    std::mutex m_mutex;
    CgroupReader m_reader;
    CgroupSample m_last;
    double m_lastMono = kMissing;
};
/** The shared reader of a cgroup directory (opened on first use); nullptr when it cannot be read. */
std::shared_ptr<SharedCgroupReader> sharedCgroupReader(const std::string& dir, const std::string& path);

/** Run-queue wait from schedstat every read; involuntary switches from status at most once a
 *  second (their rate then covers the last such second), and only when the main thread has been
 *  scheduled in since the last status read (schedstat's timeslice count moved): a thread that has
 *  not run since cannot have been preempted since, so a sleeping process costs no status read. */
class SchedReader {
public:
    /** Opens schedstat and status relative to a kept-open /proc/PID directory fd. With
     *  ownSchedstat false only status is opened: the owner reads schedstat itself and passes it
     *  to read() (ProcessReader does, as it also decides from it what else to read). */
    void open(int procPidDirFd, bool ownSchedstat = true);
    void close();
    /** Reads schedstat (when opened with ownSchedstat), then status when due. */
    void read(SchedSample& out, double monotonicSeconds);
    /** The same with schedstat already read by the owner; nullptr when it could not be read. */
    void read(SchedSample& out, double monotonicSeconds, const Schedstat* schedstat);
    /** How often status was read, and how often a due read was skipped (not scheduled in since). */
    std::uint64_t statusReads() const { return m_statusReads; }
    std::uint64_t statusSkips() const { return m_statusSkips; }

private:
    ProcFile m_schedstat, m_status;
    CumulativeRate m_wait, m_nonvol;
    static constexpr double kStatusSeconds = 1.0;
    double m_statusReadAt = -1e300;
    double m_switches = kMissing, m_switchRate = kMissing;
    std::uint64_t m_nonvolCount = 0;     // the last count read from status
    std::uint64_t m_slicesAtStatus = 0;  // schedstat's timeslices when status was last read
    bool m_statusValid = false;          // m_nonvolCount and m_slicesAtStatus are set
    std::uint64_t m_statusReads = 0, m_statusSkips = 0;
};

/** Where cgroup v2 is mounted (from ROOT/self/mounts; a mount under /sys is mapped under roots.sys,
 *  so fixture trees work); empty when not mounted. Read once per call. */
std::string cgroup2MountPoint(const ProcRoots& roots);
/** The cgroup v2 path of a process, from ROOT/PID/cgroup; empty when unknown. */
std::string processCgroupPath(const ProcRoots& roots, int pid);
/**
 * The directory of a cgroup given as the user writes it: an existing directory inside the
 * cgroup2 mount ("/sys/fs/cgroup/system.slice/x.service"), or a path relative to that mount
 * ("/system.slice/x.service", "system.slice/x.service"). An error naming the path when it is
 * neither.
 */
Result<std::string> resolveCgroupDir(const ProcRoots& roots, const std::string& given, std::string& cgroupPath);

}  // namespace loadline::core
