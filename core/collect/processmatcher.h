#pragma once
// Finds the processes that match the user's patterns, for `record --match`, `serve --match` and
// the window's `--track` (one matcher for all three).
//
// What is matched:
//  - a name rule (`--match`, `--track`) is searched (std::regex_search, ECMAScript, unanchored like
//    pgrep PATTERN) in the process NAME as psutil's Process.name() gives it: /proc/PID/stat's comm
//    (the executable's base name, at most 15 characters), or the base name of argv[0] when comm
//    is cut at 15 characters and that base name starts with it. `^python3$` matches exactly.
//  - a command-line rule (`--match-cmdline`, `--track-cmdline`) is searched in the command line
//    as py-perf stores it (arguments joined by spaces; pgrep -f), its first 4096 bytes.
//  A process matches when any rule does.
//
// Cost per scan (every sampler tick): one getdents64 listing of /proc into a reused buffer and a
// merge with the known processes (sorted by PID), then
//  - /proc/PID/stat (+ cmdline when needed) of each PID not known yet, and of a known PID whose
//    /proc/PID directory has a new inode (procfs gives a reused PID a new directory inode), so a
//    PID reused by a matching process is seen even within one interval. Known processes are kept
//    as (PID, start time); a match carries the start time, so the sampler attaches exactly that
//    process (ProcessReader::attach with expectedStartTicks) and never a later one.
//  - re-checks for exec: a process that does not match is read again (comm, or the command line
//    when there are command-line rules) and decided again when that changed: every scan while it
//    is young (fork, then exec), and otherwise a round-robin share so that each is looked at
//    about every recheckSeconds. Kernel threads are not re-checked (they never exec).
//  - a new process that matches while it is still a copy of its parent (same comm and command
//    line: forked, not yet exec'd, e.g. a shell's child that is about to become `sleep`) is
//    decided again at the next scan instead: one that exec'd is then what it became, and a
//    forked worker that never execs (multiprocessing, pre-fork servers) matches then.
// Steady state (no new processes, no exec) allocates nothing.

#include <cstdint>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/collect/procdir.h"

namespace loadline::core {

struct ProcessMatcherOptions {
    std::string procRoot = "/proc";
    double recheckSeconds = 2.0;  // each non-matching process is re-read about this often (exec)
    double youngSeconds = 1.0;    // ... and every scan for youngSeconds after it is first listed (fork, then exec)
    int excludePid = 0;           // never matched (the recorder itself); 0: none
};

/** A process that started matching: attach it by (pid, startTicks). */
struct MatchedProcess {
    int pid = 0;
    std::uint64_t startTicks = 0;  // /proc/PID/stat starttime (clock ticks after boot)
};

class ProcessMatcher {
public:
    enum class Field { Name, Cmdline };
    /** Command lines longer than this are matched on their start. */
    static constexpr std::size_t kMaxCmdline = 4096;

    explicit ProcessMatcher(ProcessMatcherOptions options = {});
    ~ProcessMatcher();
    ProcessMatcher(const ProcessMatcher&) = delete;
    ProcessMatcher& operator=(const ProcessMatcher&) = delete;

    /** Whether regex compiles (ECMAScript); an error "bad pattern 'REGEX': why" when not. Empty is
     *  refused. */
    static Status check(const std::string& regex);
    /** Adds a rule; an error when it does not compile. Every process that did not match so far is
     *  decided again at the next scan. */
    Status add(Field field, const std::string& regex);
    bool empty() const { return m_name.empty() && m_cmdline.empty(); }
    bool hasCmdlineRules() const { return !m_cmdline.empty(); }

    /** The rule test itself, on texts (name as described above, cmdline joined by spaces). */
    bool matches(std::string_view name, std::string_view cmdline) const;

    /**
     * Lists /proc and decides new and changed processes. Fills matched (cleared first) with the
     * processes that match since the last scan; each is reported once per (PID, start time).
     * monotonicSeconds paces the exec re-checks. Fails (kind Io) when /proc cannot be listed.
     */
    Status scan(std::vector<MatchedProcess>& matched, double monotonicSeconds);

    /** What the last scan did (tests, benchmarks). */
    struct ScanStats {
        std::size_t listed = 0;     // PIDs in /proc
        std::size_t evaluated = 0;  // new (or reused) PIDs read and decided
        std::size_t rechecked = 0;  // known non-matching processes re-read for exec
    };
    const ScanStats& lastScan() const { return m_stats; }

private:
    enum class State : std::uint8_t { Unchecked, Deferred, Other, Kernel, Matched, Unreadable, Excluded };
    struct Known {
        int pid = 0;
        std::uint64_t ino = 0;
        std::uint64_t startTicks = 0;
        double firstSeen = 0;   // monotonic seconds of the scan that first listed it
        std::uint64_t sig = 0;  // hash of what the exec re-check reads (comm or cmdline)
        State state = State::Unchecked;
    };
    /** Reads stat (+ cmdline) and decides k; false when the process is gone. mayDefer: a match
     *  that is still an exact copy of its parent (fork, not yet exec) waits one scan. */
    bool evaluate(Known& k, std::vector<MatchedProcess>& matched, bool mayDefer);
    /** Re-reads what exec changes; decides k again when it changed. False when gone. */
    bool recheck(Known& k, std::vector<MatchedProcess>& matched);
    /** Reads ROOT/PID/what into buf (at most cap bytes); the length, -1 with errno on failure. */
    long readPidFile(int pid, const char* what, char* buf, std::size_t cap);
    /** Hash of comm (and of the raw command line with command-line rules; it stays in m_raw).
     *  False when the process is gone or unreadable. */
    bool signature(int pid, std::uint64_t& sig, long& rawLength);

    ProcessMatcherOptions m_options;
    PidLister m_lister;
    int m_procFd = -1;
    std::vector<std::regex> m_name, m_cmdline;
    std::vector<Known> m_known, m_next;  // sorted by PID; swapped every scan
    std::vector<PidLister::Entry> m_listed;
    std::string m_cmd;  // joined command line (reused)
    char m_stat[1024];
    char m_comm[128];
    char m_raw[kMaxCmdline];
    int m_cursorPid = 0;  // round-robin position of the exec re-checks
    double m_lastScan = -1;
    bool m_rulesChanged = false;
    ScanStats m_stats;
};

}  // namespace loadline::core
