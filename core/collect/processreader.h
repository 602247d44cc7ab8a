#pragma once
// Reads one tracked process through kept-open /proc/PID files. Attaching opens the directory,
// stat, statm, io, schedstat and fd/ once and reads the command line once; every sample() is then
// a pread of stat and schedstat, plus statm, io and the fd count (an fstat of fd/) unless the
// process has provably not run since they were last read (see sample()). After the process exits,
// the kept-open fds fail with ESRCH, so a later process with the same PID is never read as this one.

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
     *
     * schedstat is read every time; stat (state, CPU time, threads, sizes), statm, io and the
     * fd count only when the process may have changed: not while it stands still, i.e. it was
     * single-threaded and not runnable at the last full read and schedstat's run time and
     * timeslice count (its only thread's) are unchanged: it has not been on a CPU since. Its CPU
     * time, state, threads, sizes, I/O counters and fd table only change by its own running
     * (a new thread, an exec or an exit run too), so their last values are still exact. Two
     * things can change without it: woken and waiting for a CPU it shows the state it had until
     * it runs, and reclaim can shrink a sleeping process's RSS; a full read happens at least
     * every kFullReadSeconds for those. An exited process fails the schedstat read (ESRCH) or
     * shows a last run (its exit), and stat then says so. For a tracked process that sleeps,
     * this makes a tick one read instead of five.
     */
    bool sample(ProcessSample& out, double epochSeconds, double monotonicSeconds);
    /** Samples that read everything, and samples that reused statm/io/fd values (above). */
    std::uint64_t fullReads() const { return m_fullReads; }
    std::uint64_t stillReads() const { return m_stillReads; }

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
    ProcFile m_stat, m_statm, m_io, m_schedstat;
    std::string m_name, m_cmdline, m_comm;
    ProcessCpuComputer m_cpu;
    CounterRate m_ioRead, m_ioWrite;
    std::vector<char> m_dents;
    SchedReader m_sched;  // status only: schedstat is m_schedstat, read by sample()
    // What the last full read saw, to tell whether the process has run since (see sample()).
    static constexpr double kFullReadSeconds = 5.0;
    struct LastFull {
        bool gate = false;  // single-threaded, not runnable, with a schedstat: later samples may reuse
        std::uint64_t runNs = 0, timeslices = 0;
        // What stat said.
        char state = '?';
        int ppid = 0;
        std::uint64_t cpuTicks = 0, vsize = 0;  // utime + stime
        std::int64_t numThreads = 0, rssPages = 0;
        double mono = 0;
        bool ioOk = false;
        PidIo io;
        int fds = -1;
        bool residentOk = false;
        std::uint64_t resident = 0;
    } m_last;
    std::uint64_t m_fullReads = 0, m_stillReads = 0;
    std::shared_ptr<SharedCgroupReader> m_cgroup;  // shared with other tracked processes in it
};

/** Reads btime from ROOT/stat (epoch seconds), 0 when unreadable. */
double readBootTime(const ProcRoots& roots = {});

/** Whether /proc/PID exists (a cheap check for the CLI's "no such process" error). */
bool processExists(int pid, const ProcRoots& roots = {});

}  // namespace loadline::core
