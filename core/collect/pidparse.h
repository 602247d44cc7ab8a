#pragma once
// Pure parsers of per-process /proc/PID files (no I/O; tested on strings).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loadline::core {

/** /proc/PID/stat. https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 *  comm may contain spaces and ')': the parser takes the text between the first '(' and the
 *  LAST ')'. comm points into the parsed text. */
struct PidStat {
    int pid = 0;
    std::string_view comm;
    char state = '?';
    int ppid = 0;
    std::uint64_t utime = 0, stime = 0;  // clock ticks
    std::int64_t numThreads = 0;
    std::uint64_t startTime = 0;  // clock ticks after boot
    std::uint64_t vsize = 0;      // bytes
    std::int64_t rssPages = 0;
};
bool parsePidStat(std::string_view text, PidStat& out);

/** /proc/PID/statm, in pages. https://man7.org/linux/man-pages/man5/proc_pid_statm.5.html */
struct PidStatm {
    std::uint64_t size = 0, resident = 0, shared = 0, text = 0, data = 0;
};
bool parsePidStatm(std::string_view text, PidStatm& out);

/** The fields of /proc/PID/status we use (absent ones stay nullopt). proc_pid_status(5) */
struct PidStatus {
    std::string name;  // unescaped as the kernel prints it ("\n" -> "\\n")
    char state = '?';
    std::optional<int> ppid, uid, threads;
    std::optional<std::uint64_t> vmRss, vmSize;  // bytes
    std::optional<std::uint64_t> voluntaryCtxt, nonvoluntaryCtxt;
};
bool parsePidStatus(std::string_view text, PidStatus& out);

/** /proc/PID/io. https://man7.org/linux/man-pages/man5/proc_pid_io.5.html */
struct PidIo {
    std::uint64_t rchar = 0, wchar = 0, syscr = 0, syscw = 0, readBytes = 0, writeBytes = 0, cancelledWriteBytes = 0;
};
bool parsePidIo(std::string_view text, PidIo& out);

/** /proc/PID/cmdline as py-perf stores it: arguments joined by one space (psutil's list
 *  " ".join()ed). Trailing NULs are dropped; empty for kernel threads and zombies. */
void cmdlineToString(std::string_view raw, std::string& out);
/** The first argument (argv[0]) of a raw cmdline, as psutil splits it. */
std::string_view cmdlineFirstArg(std::string_view raw);

/** psutil's status string for a stat state letter ("running", "sleeping", "disk-sleep", ...). */
const char* processStatusName(char state);

/** psutil's Process.name(): comm, or basename(argv[0]) when comm is truncated (15 chars) and
 *  that basename starts with comm. */
std::string_view processName(std::string_view comm, std::string_view rawCmdline);

}  // namespace loadline::core
