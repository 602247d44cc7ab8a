#pragma once
// A scan of every process (tracelet's include_processes / process_limit, a "top"):
// one pread of /proc/PID/stat and statm per process through fds kept open between scans.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/collect/counters.h"
#include "core/collect/procdir.h"
#include "core/collect/procfile.h"

namespace loadline::core {

struct ProcessTableEntry {
    int pid = 0;
    int ppid = 0;
    std::string name;                // psutil's Process.name()
    const char* status = "unknown";  // psutil's status strings
    double cpuPercent = kMissing;    // since the previous scan; NaN for a process first seen now
    double rssBytes = 0, vmsBytes = 0;
    double memoryPercent = 0;  // rss / MemTotal * 100 (psutil's memory_percent())
    double numThreads = 0;
    double createTime = 0;  // epoch seconds
    std::uint64_t startTicks = 0;
    std::string cmdline;  // filled by ProcessTable::loadCmdline() (read on demand)
    bool cmdlineLoaded = false;
};

enum class ProcessSort { Cpu, Memory, Pid };

class ProcessTable {
public:
    explicit ProcessTable(ProcRoots roots = {}, HostConstants host = HostConstants::fromSystem());
    ~ProcessTable();
    ProcessTable(const ProcessTable&) = delete;
    ProcessTable& operator=(const ProcessTable&) = delete;

    /**
     * Reads every process. A process that vanishes between listing and reading is skipped
     * (normal). Allocation-free in steady state (only new processes allocate).
     * Fails (kind Io, the directory and errno) when the /proc directory cannot be listed.
     */
    Status scan(double monotonicSeconds);
    Status scan();

    /** The processes of the last scan, in PID order. Valid until the next scan(). */
    const std::vector<ProcessTableEntry*>& entries() const { return m_live; }
    /** The n first entries by key (descending for Cpu/Memory; NaN cpu sorts last), into out. */
    void top(ProcessSort key, std::size_t n, std::vector<ProcessTableEntry*>& out) const;
    /** Reads the entry's command line once (later calls are free). */
    void loadCmdline(ProcessTableEntry& e);
    /** The entry of a PID in the last scan, or nullptr. */
    ProcessTableEntry* find(int pid) const;
    std::size_t size() const { return m_live.size(); }
    /** How many per-process fds the table keeps open at most (the rest are opened per scan). */
    std::size_t maxKeptOpen() const { return m_maxKeptOpen; }

private:
    struct Slot {
        ProcessTableEntry entry;
        ProcFile stat, statm;
        ProcessCpuComputer cpu;
        std::uint32_t generation = 0;
        bool used = false;
    };
    bool readSlot(Slot& s, int pid, bool fresh, double mono);
    void release(std::uint32_t index);
    std::uint32_t takeFreeSlot();

    ProcRoots m_roots;
    HostConstants m_host;
    PidLister m_lister;
    double m_bootTime = 0;
    double m_memTotal = 0;
    std::vector<Slot> m_slots;
    std::vector<std::uint32_t> m_free;
    std::unordered_map<int, std::uint32_t> m_index;
    std::vector<int> m_pids;
    std::vector<ProcessTableEntry*> m_live;
    mutable std::vector<ProcessTableEntry*> m_sortBuf;
    std::uint32_t m_generation = 0;
    std::size_t m_keptOpen = 0, m_maxKeptOpen = 0;
    std::string m_path;  // reused path buffer
};

}  // namespace loadline::core
