#pragma once
// Reads one tracked process through kept-open /proc/PID files. Attaching opens the directory,
// stat, statm, io and fd/ once and reads the command line once; every sample() is then a pread
// of stat and statm (and io, and a getdents of fd/ when readable). After the process exits, the kept-open
// fds fail with ESRCH, so a later process with the same PID is never read as this one.

#include <cstdint>
#include <string>
#include <vector>

#include "core/collect/contention.h"
#include "core/collect/counters.h"
#include "core/collect/pidparse.h"
#include "core/collect/procfile.h"
#include "core/collect/samples.h"

namespace loadline::core {

/** What a ProcessReader reads beyond py-perf's fields (stat + statm). */
struct ProcessReadOptions {
    bool io = true;      // /proc/PID/io: storage read/write bytes (absent when not permitted)
    bool fds = true;     // number of entries of /proc/PID/fd (absent when not permitted)
    bool sched = true;   // /proc/PID/schedstat + status: run-queue wait, involuntary switches
    bool cgroup = true;  // the process's cgroup v2 (cpu.stat, memory.*, *.pressure)
};

class ProcessReader {
public:
    /** bootTime: epoch seconds of boot (SystemCollector::bootTime() or readBootTime()). */
    ProcessReader(ProcRoots roots, double bootTime, HostConstants host = HostConstants::fromSystem(),
                  ProcessReadOptions options = {});
    ~ProcessReader();
    ProcessReader(ProcessReader&&) noexcept;
    ProcessReader& operator=(ProcessReader&&) noexcept;
    ProcessReader(const ProcessReader&) = delete;
    ProcessReader& operator=(const ProcessReader&) = delete;

    /**
     * Opens /proc/PID. An error (naming the PID) when there is no such process.
     * expectedStartTicks != 0 refuses a process whose starttime differs (a reused PID).
     * Takes the first CPU reading, so the first sample() already has a cpu_percent.
     */
    Status attach(int pid, std::uint64_t expectedStartTicks = 0, double monotonicSeconds = -1);

    /**
     * Fills out (reusing its strings). False once the process has exited (alive() becomes
     * false for good); unreadable optional files (io, fd/ of another user's process: EACCES)
     * leave those fields NaN, which is normal.
     */
    bool sample(ProcessSample& out, double epochSeconds, double monotonicSeconds);

    bool alive() const { return m_alive; }
    int pid() const { return m_pid; }
    std::uint64_t startTicks() const { return m_startTicks; }
    const std::string& name() const { return m_name; }
    const std::string& cmdline() const { return m_cmdline; }
    /** Re-reads the command line (a process may rewrite it after exec). */
    void refreshCmdline();

private:
    void close();
    int countFds();
    void attachContention(double monotonicSeconds);

    ProcRoots m_roots;
    double m_bootTime;
    HostConstants m_host;
    ProcessReadOptions m_read;
    int m_pid = 0;
    int m_dirFd = -1;
    int m_fdDirFd = -1;            // /proc/PID/fd, -1 when not readable
    bool m_fdSizeIsCount = false;  // m_fdDirFd is on procfs: fstat's size may be the fd count
    bool m_alive = false;
    bool m_ioReadable = false;
    std::uint64_t m_startTicks = 0;
    ProcFile m_stat, m_statm, m_io;
    std::string m_name, m_cmdline, m_comm;
    ProcessCpuComputer m_cpu;
    CounterRate m_ioRead, m_ioWrite;
    std::vector<char> m_dents;
    SchedReader m_sched;
    std::shared_ptr<SharedCgroupReader> m_cgroup;  // shared with other tracked processes in it
};

/** Reads btime from ROOT/stat (epoch seconds), 0 when unreadable. */
double readBootTime(const ProcRoots& roots = {});

/** Whether /proc/PID exists (a cheap check for the CLI's "no such process" error). */
bool processExists(int pid, const ProcRoots& roots = {});

}  // namespace loadline::core
