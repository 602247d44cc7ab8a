#include "core/collect/processtable.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sys/resource.h>

#include "core/collect/pidparse.h"
#include "core/collect/processreader.h"
#include "core/collect/systemcollector.h"
#include "core/collect/systemparse.h"

namespace loadline::core {

ProcessTable::ProcessTable(ProcRoots roots, HostConstants host)
    : m_roots(std::move(roots)), m_host(host), m_lister(m_roots.proc) {
    m_bootTime = readBootTime(m_roots);
    std::string text;
    MemInfo mi;
    if (readWholeFile(m_roots.proc + "/meminfo", text) && parseMemInfo(text, mi))
        m_memTotal = static_cast<double>(mi.total);
    // Keep at most half the fd limit open for the scan; beyond that, open per scan.
    rlimit rl{};
    std::size_t limit = 1024;
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) limit = rl.rlim_cur;
    m_maxKeptOpen = std::min<std::size_t>(limit / 4, 8192);  // two fds (stat, statm) per process
    m_slots.reserve(512);
    m_index.reserve(1024);
    m_pids.reserve(1024);
    m_live.reserve(1024);
}

ProcessTable::~ProcessTable() = default;

Status ProcessTable::scan() { return scan(monotonicNow()); }

void ProcessTable::release(std::uint32_t i) {
    Slot& s = m_slots[i];
    if (s.stat.isOpen()) {
        s.stat.close();
        s.statm.close();
        --m_keptOpen;
    }
    m_index.erase(s.entry.pid);
    s.used = false;
    m_free.push_back(i);
}

bool ProcessTable::readSlot(Slot& s, int pid, bool fresh, double mono) {
    Result<std::string_view> text;
    PidStat st;
    PidStatm sm;
    bool haveStatm = false;
    if (s.stat.isOpen()) {
        text = s.stat.read();
        if (!text || !parsePidStat(*text, st)) return false;
        if (auto t = s.statm.read(); t && parsePidStatm(*t, sm)) haveStatm = true;
    } else {
        // Build "<root>/<pid>/" in a reused buffer.
        m_path.assign(m_roots.proc);
        m_path.push_back('/');
        char num[16];
        int len = std::snprintf(num, sizeof num, "%d", pid);
        m_path.append(num, static_cast<std::size_t>(len));
        m_path.append("/stat");
        if (!s.stat.open(m_path)) return false;  // vanished after listing: normal
        m_path.push_back('m');
        s.statm.open(m_path);
        text = s.stat.read();
        if (!text || !parsePidStat(*text, st)) {
            s.stat.close();
            s.statm.close();
            return false;
        }
        if (auto t = s.statm.read(); t && parsePidStatm(*t, sm)) haveStatm = true;
        if (m_keptOpen < m_maxKeptOpen) {
            ++m_keptOpen;
        } else {
            s.stat.close();
            s.statm.close();
        }
    }
    ProcessTableEntry& e = s.entry;
    if (!fresh && st.startTime != e.startTicks) return false;  // a new process took this PID
    if (fresh) {
        e = ProcessTableEntry{};
        e.pid = pid;
        e.startTicks = st.startTime;
        if (st.comm.size() >= 15) {
            // psutil's name(): a truncated comm is completed from argv[0].
            std::string raw;
            readWholeFile(m_roots.proc + "/" + std::to_string(pid) + "/cmdline", raw);
            e.name.assign(processName(st.comm, raw));
            cmdlineToString(raw, e.cmdline);
            e.cmdlineLoaded = true;
        } else {
            e.name.assign(st.comm);
        }
        s.cpu = ProcessCpuComputer{};
    }
    e.ppid = st.ppid;
    e.status = processStatusName(st.state);
    e.cpuPercent = s.cpu.update(st.utime + st.stime, mono, m_host.clockTicks);
    // statm's resident is exact (stat's rss is an approximate per-CPU counter on Linux 6.x).
    e.rssBytes = static_cast<double>(haveStatm ? static_cast<std::int64_t>(sm.resident)
                                               : std::max<std::int64_t>(st.rssPages, 0)) *
                 static_cast<double>(m_host.pageSize);
    e.vmsBytes = static_cast<double>(st.vsize);
    e.memoryPercent = m_memTotal > 0 ? e.rssBytes / m_memTotal * 100.0 : 0.0;
    e.numThreads = static_cast<double>(st.numThreads);
    e.createTime = m_bootTime + static_cast<double>(st.startTime) / static_cast<double>(m_host.clockTicks);
    return true;
}

std::uint32_t ProcessTable::takeFreeSlot() {
    if (!m_free.empty()) {
        std::uint32_t i = m_free.back();
        m_free.pop_back();
        return i;
    }
    m_slots.emplace_back();
    return static_cast<std::uint32_t>(m_slots.size() - 1);
}

Status ProcessTable::scan(double mono) {
    if (Status listed = m_lister.list(m_pids); !listed) return listed;
    std::sort(m_pids.begin(), m_pids.end());
    ++m_generation;
    m_live.clear();
    for (int pid : m_pids) {
        auto it = m_index.find(pid);
        if (it != m_index.end()) {
            Slot& s = m_slots[it->second];
            if (readSlot(s, pid, false, mono)) {
                s.generation = m_generation;
                continue;
            }
            // Gone, or the PID now holds another process: drop the old one, read it as new.
            release(it->second);
        }
        // A PID seen for the first time: read it in a free slot and index it only when readable,
        // so a directory that stays unreadable costs no allocation per scan.
        std::uint32_t i = takeFreeSlot();
        Slot& s = m_slots[i];
        if (!readSlot(s, pid, true, mono)) {
            s.stat.close();
            s.statm.close();
            m_free.push_back(i);
            continue;
        }
        s.used = true;
        s.generation = m_generation;
        m_index.emplace(pid, i);
    }
    for (std::uint32_t i = 0; i < m_slots.size(); ++i) {
        if (m_slots[i].used && m_slots[i].generation != m_generation) release(i);
    }
    // Pointers are taken after all emplace_backs, so they stay valid until the next scan.
    for (int pid : m_pids) {
        auto it = m_index.find(pid);
        if (it != m_index.end() && m_slots[it->second].generation == m_generation)
            m_live.push_back(&m_slots[it->second].entry);
    }
    return {};
}

void ProcessTable::top(ProcessSort key, std::size_t n, std::vector<ProcessTableEntry*>& out) const {
    m_sortBuf.assign(m_live.begin(), m_live.end());
    n = std::min(n, m_sortBuf.size());
    auto cmp = [key](const ProcessTableEntry* a, const ProcessTableEntry* b) {
        switch (key) {
        case ProcessSort::Cpu: {
            const double x = std::isnan(a->cpuPercent) ? -1 : a->cpuPercent;
            const double y = std::isnan(b->cpuPercent) ? -1 : b->cpuPercent;
            if (x != y) return x > y;
            return a->rssBytes > b->rssBytes;
        }
        case ProcessSort::Memory:
            if (a->rssBytes != b->rssBytes) return a->rssBytes > b->rssBytes;
            return a->pid < b->pid;
        case ProcessSort::Pid: return a->pid < b->pid;
        }
        return false;
    };
    std::partial_sort(m_sortBuf.begin(), m_sortBuf.begin() + static_cast<std::ptrdiff_t>(n), m_sortBuf.end(), cmp);
    out.assign(m_sortBuf.begin(), m_sortBuf.begin() + static_cast<std::ptrdiff_t>(n));
}

void ProcessTable::loadCmdline(ProcessTableEntry& e) {
    if (e.cmdlineLoaded) return;
    std::string raw;
    readWholeFile(m_roots.proc + "/" + std::to_string(e.pid) + "/cmdline", raw);
    cmdlineToString(raw, e.cmdline);
    e.cmdlineLoaded = true;
}

ProcessTableEntry* ProcessTable::find(int pid) const {
    auto it = m_index.find(pid);
    if (it == m_index.end()) return nullptr;
    const Slot& s = m_slots[it->second];
    if (s.generation != m_generation) return nullptr;
    return const_cast<ProcessTableEntry*>(&s.entry);
}

}  // namespace loadline::core
