#include "core/collect/processreader.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "core/collect/procdir.h"
#include "core/collect/systemcollector.h"
#include "core/collect/systemparse.h"

namespace loadline::core {

ProcessReader::ProcessReader(ProcRoots roots, double bootTime, HostConstants host, ProcessReadOptions options)
    : m_roots(std::move(roots)), m_bootTime(bootTime), m_host(host), m_read(options) {}

ProcessReader::~ProcessReader() { close(); }

ProcessReader::ProcessReader(ProcessReader&& o) noexcept
    : m_roots(std::move(o.m_roots)),
      m_bootTime(o.m_bootTime),
      m_host(o.m_host),
      m_read(o.m_read),
      m_pid(o.m_pid),
      m_dirFd(o.m_dirFd),
      m_fdDirFd(o.m_fdDirFd),
      m_fdSizeIsCount(o.m_fdSizeIsCount),
      m_alive(o.m_alive),
      m_ioReadable(o.m_ioReadable),
      m_startTicks(o.m_startTicks),
      m_stat(std::move(o.m_stat)),
      m_statm(std::move(o.m_statm)),
      m_io(std::move(o.m_io)),
      m_schedstat(std::move(o.m_schedstat)),
      m_name(std::move(o.m_name)),
      m_cmdline(std::move(o.m_cmdline)),
      m_comm(std::move(o.m_comm)),
      m_cpu(o.m_cpu),
      m_ioRead(o.m_ioRead),
      m_ioWrite(o.m_ioWrite),
      m_dents(std::move(o.m_dents)),
      m_sched(std::move(o.m_sched)),
      m_last(o.m_last),
      m_fullReads(o.m_fullReads),
      m_stillReads(o.m_stillReads),
      m_cgroup(std::move(o.m_cgroup)) {
    o.m_dirFd = o.m_fdDirFd = -1;
    o.m_alive = false;
}

ProcessReader& ProcessReader::operator=(ProcessReader&& o) noexcept {
    if (this != &o) {
        close();
        m_roots = std::move(o.m_roots);
        m_bootTime = o.m_bootTime;
        m_host = o.m_host;
        m_read = o.m_read;
        m_pid = o.m_pid;
        m_dirFd = o.m_dirFd;
        m_fdDirFd = o.m_fdDirFd;
        m_fdSizeIsCount = o.m_fdSizeIsCount;
        m_alive = o.m_alive;
        m_ioReadable = o.m_ioReadable;
        m_startTicks = o.m_startTicks;
        m_stat = std::move(o.m_stat);
        m_statm = std::move(o.m_statm);
        m_io = std::move(o.m_io);
        m_schedstat = std::move(o.m_schedstat);
        m_name = std::move(o.m_name);
        m_cmdline = std::move(o.m_cmdline);
        m_comm = std::move(o.m_comm);
        m_cpu = o.m_cpu;
        m_ioRead = o.m_ioRead;
        m_ioWrite = o.m_ioWrite;
        m_dents = std::move(o.m_dents);
        m_sched = std::move(o.m_sched);
        m_cgroup = std::move(o.m_cgroup);
        m_last = o.m_last;
        m_fullReads = o.m_fullReads;
        m_stillReads = o.m_stillReads;
        o.m_dirFd = o.m_fdDirFd = -1;
        o.m_alive = false;
    }
    return *this;
}

void ProcessReader::close() {
    m_stat.close();
    m_statm.close();
    m_io.close();
    m_schedstat.close();
    m_last = LastFull{};
    m_sched.close();
    m_cgroup.reset();
    if (m_fdDirFd >= 0) ::close(m_fdDirFd);
    if (m_dirFd >= 0) ::close(m_dirFd);
    m_fdDirFd = m_dirFd = -1;
    m_alive = false;
}

Status ProcessReader::attach(int pid, std::uint64_t expectedStartTicks, double mono) {
    close();
    m_pid = pid;
    auto failWith = [&](const std::string& msg, ErrorKind kind = ErrorKind::Io, int err = 0) -> Status {
        close();
        Error e;
        e.kind = kind;
        e.message = msg;
        e.errnum = err;
        return fail(std::move(e));
    };
    if (pid <= 0) return failWith("invalid PID " + std::to_string(pid), ErrorKind::Invalid);
    const std::string dir = m_roots.proc + "/" + std::to_string(pid);
    m_dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m_dirFd < 0) {
        int e = errno;
        return failWith(e == ENOENT ? "no process with PID " + std::to_string(pid) : dir + ": " + std::strerror(e),
                        ErrorKind::Io, e);
    }
    if (Status opened = m_stat.openAt(m_dirFd, "stat"); !opened)
        return failWith(dir + "/stat: " + std::strerror(opened.error().errnum), ErrorKind::Io, opened.error().errnum);
    m_statm.openAt(m_dirFd, "statm");
    m_schedstat.openAt(m_dirFd, "schedstat");                // absent without CONFIG_SCHED_INFO: every read is full
    m_ioReadable = m_read.io && m_io.openAt(m_dirFd, "io");  // EACCES for other users' processes: absent
    m_fdDirFd = m_read.fds ? ::openat(m_dirFd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    struct statfs fs {};
    // Only procfs gives the count as a size (a fixture tree's directory size is its block size).
    m_fdSizeIsCount = m_fdDirFd >= 0 && ::fstatfs(m_fdDirFd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;

    // Read stat AFTER opening everything: if it still reads, every fd opened above belongs to
    // this very process (a process that exited in between would fail here with ESRCH).
    auto text = m_stat.read();
    PidStat st;
    if (!text || !parsePidStat(*text, st)) return failWith("no process with PID " + std::to_string(pid));
    if (expectedStartTicks != 0 && st.startTime != expectedStartTicks)
        return failWith("PID " + std::to_string(pid) + " now belongs to another process");
    m_startTicks = st.startTime;
    std::string rawCmd;
    readWholeFile(dir + "/cmdline", rawCmd);
    cmdlineToString(rawCmd, m_cmdline);
    m_name.assign(processName(st.comm, rawCmd));
    m_comm.assign(st.comm);
    m_alive = true;
    m_cpu = ProcessCpuComputer{};
    m_cpu.update(st.utime + st.stime, mono >= 0 ? mono : monotonicNow(), m_host.clockTicks);
    m_ioRead = CounterRate{};
    m_ioWrite = CounterRate{};
    attachContention(mono >= 0 ? mono : monotonicNow());
    return {};
}

void ProcessReader::attachContention(double mono) {
    if (m_read.sched) {
        m_sched.open(m_dirFd, /*ownSchedstat=*/false);
        Schedstat s;
        const bool have = m_schedstat.isOpen() && [&] {
            auto t = m_schedstat.read();
            return t && parseSchedstat(*t, s);
        }();
        SchedSample first;
        m_sched.read(first, mono, have ? &s : nullptr);  // the first reading, so the first sample() has rates
    }
    if (!m_read.cgroup) return;
    // A process in the root cgroup ("/") has no cgroup of its own: the system columns cover it.
    const std::string path = processCgroupPath(m_roots, m_pid);
    if (path.empty() || path == "/") return;
    const std::string mount = cgroup2MountPoint(m_roots);
    if (mount.empty()) return;
    m_cgroup = sharedCgroupReader(mount + path, path);
    if (!m_cgroup) return;
    CgroupSample first;
    m_cgroup->read(first, mono);
}

void ProcessReader::refreshCmdline() {
    if (!m_alive) return;
    std::string raw;
    if (readWholeFile(m_roots.proc + "/" + std::to_string(m_pid) + "/cmdline", raw)) cmdlineToString(raw, m_cmdline);
}

int ProcessReader::countFds() {
    if (m_fdDirFd < 0) return -1;
    // Since Linux 6.2 stat() of /proc/PID/fd reports the number of open fds as its size: one
    // cheap fstat instead of listing the directory (which builds a dentry per fd). 0 there means
    // an older kernel (or truly no fds: the listing says so too).
    if (m_fdSizeIsCount) {
        struct stat st {};
        if (::fstat(m_fdDirFd, &st) == 0 && st.st_size > 0) return static_cast<int>(st.st_size);
    }
    return countDirEntries(m_fdDirFd, m_dents);
}

bool ProcessReader::sample(ProcessSample& out, double epochSeconds, double mono) {
    if (!m_alive) return false;
    // Has it been on a CPU since the last full read? (The reasoning is in the header.) schedstat
    // comes first, in a full read too: a run after it shows at the next sample, whatever stat
    // said, so the values kept from a full read are never older than its schedstat.
    Schedstat ss;
    bool haveSched = false;
    if (m_schedstat.isOpen())
        if (auto t = m_schedstat.read(); t && parseSchedstat(*t, ss)) haveSched = true;
    const bool still = haveSched && m_last.gate && ss.runNs == m_last.runNs && ss.timeslices == m_last.timeslices &&
                       mono - m_last.mono < kFullReadSeconds;
    if (still) {
        ++m_stillReads;
    } else {
        // A failed schedstat read of a process that was there says nothing by itself: stat's
        // read tells whether it exited (ESRCH) or was replaced.
        auto text = m_stat.read();
        PidStat st;
        if (!text || !parsePidStat(*text, st) || st.startTime != m_startTicks) {
            close();  // exited (ESRCH): stop for good, the PID may be reused by someone else
            return false;
        }
        if (st.comm != m_comm) {
            // The process exec'd (or renamed itself): refresh the name and the command line.
            m_comm.assign(st.comm);
            std::string raw;
            readWholeFile(m_roots.proc + "/" + std::to_string(m_pid) + "/cmdline", raw);
            cmdlineToString(raw, m_cmdline);
            m_name.assign(processName(st.comm, raw));
        }
        ++m_fullReads;
        m_last.gate = haveSched && st.numThreads == 1 && st.state != 'R';
        m_last.runNs = ss.runNs;
        m_last.timeslices = ss.timeslices;
        m_last.mono = mono;
        m_last.state = st.state;
        m_last.ppid = st.ppid;
        m_last.cpuTicks = st.utime + st.stime;
        m_last.vsize = st.vsize;
        m_last.numThreads = st.numThreads;
        // statm's resident is exact (stat's rss is the kernel's approximate per-CPU counter
        // since Linux 6.x), and it is what psutil's memory_info() and ps report.
        m_last.rssPages = std::max<std::int64_t>(0, st.rssPages);
        m_last.residentOk = false;
        PidStatm sm;
        if (m_statm.isOpen())
            if (auto t = m_statm.read(); t && parsePidStatm(*t, sm)) {
                m_last.resident = sm.resident;
                m_last.residentOk = true;
            }
    }
    out.timestamp = epochSeconds;
    out.pid = m_pid;
    out.ppid = m_last.ppid;
    if (out.name != m_name) out.name = m_name;
    if (out.cmdline != m_cmdline) out.cmdline = m_cmdline;
    out.status = processStatusName(m_last.state);
    out.cpuPercent = m_cpu.update(m_last.cpuTicks, mono, m_host.clockTicks);
    out.memoryVmsMb = static_cast<double>(m_last.vsize) / (1024.0 * 1024.0);
    out.numThreads = static_cast<double>(m_last.numThreads);
    out.createTime = m_bootTime + static_cast<double>(m_startTicks) / static_cast<double>(m_host.clockTicks);
    out.startTicks = m_startTicks;
    const double rssPages =
        static_cast<double>(m_last.residentOk ? m_last.resident : static_cast<std::uint64_t>(m_last.rssPages));
    out.memoryRssMb = rssPages * static_cast<double>(m_host.pageSize) / (1024.0 * 1024.0);

    out.ioReadBytes = out.ioWriteBytes = out.ioReadBytesPerS = out.ioWriteBytesPerS = kMissing;
    if (m_ioReadable) {
        if (!still) {
            auto t = m_io.read();
            m_last.ioOk = t && parsePidIo(*t, m_last.io);
        }
        if (m_last.ioOk) {
            out.ioReadBytes = static_cast<double>(m_last.io.readBytes);
            out.ioWriteBytes = static_cast<double>(m_last.io.writeBytes);
            out.ioReadBytesPerS = m_ioRead.update(m_last.io.readBytes, mono);
            out.ioWriteBytesPerS = m_ioWrite.update(m_last.io.writeBytes, mono);
        }
    }
    if (!still) m_last.fds = countFds();
    out.numFds = m_last.fds >= 0 ? static_cast<double>(m_last.fds) : kMissing;
    if (m_read.sched) m_sched.read(out.sched, mono, haveSched ? &ss : nullptr);
    else out.sched = SchedSample{};
    if (m_cgroup) {
        m_cgroup->read(out.cgroup, mono);
    } else if (!out.cgroup.path.empty()) {
        out.cgroup = CgroupSample{};
    }
    return true;
}

double readBootTime(const ProcRoots& roots) {
    std::string text;
    if (!readWholeFile(roots.proc + "/stat", text)) return 0;
    ProcStat st;
    if (!parseProcStat(text, st)) return 0;
    return static_cast<double>(st.bootTime);
}

bool processExists(int pid, const ProcRoots& roots) {
    if (pid <= 0) return false;
    return ::access((roots.proc + "/" + std::to_string(pid) + "/stat").c_str(), F_OK) == 0;
}

}  // namespace loadline::core
