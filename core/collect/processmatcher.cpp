#include "core/collect/processmatcher.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

#include "core/collect/pidparse.h"

namespace loadline::core {

namespace {

constexpr auto kFlags = std::regex::ECMAScript | std::regex::optimize;

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 14695981039346656037ull) {
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

}  // namespace

ProcessMatcher::ProcessMatcher(ProcessMatcherOptions options)
    : m_options(std::move(options)), m_lister(m_options.procRoot) {
    m_procFd = ::open(m_options.procRoot.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

ProcessMatcher::~ProcessMatcher() {
    if (m_procFd >= 0) ::close(m_procFd);
}

Status ProcessMatcher::check(const std::string& regex) {
    if (regex.empty()) return fail("an empty pattern matches every process");
    // std::regex reports a bad pattern only by throwing: caught here, returned as an Error.
    try {
        std::regex re(regex, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        return fail("bad pattern '" + regex + "': " + e.what());
    }
    return {};
}

Status ProcessMatcher::add(Field field, const std::string& regex) {
    if (Status ok = check(regex); !ok) return ok;
    (field == Field::Name ? m_name : m_cmdline).emplace_back(regex, kFlags);
    m_rulesChanged = true;
    return {};
}

bool ProcessMatcher::matches(std::string_view name, std::string_view cmdline) const {
    for (const auto& re : m_name)
        if (std::regex_search(name.begin(), name.end(), re)) return true;
    for (const auto& re : m_cmdline)
        if (std::regex_search(cmdline.begin(), cmdline.end(), re)) return true;
    return false;
}

long ProcessMatcher::readPidFile(int pid, const char* what, char* buf, std::size_t cap) {
    char path[48];
    std::snprintf(path, sizeof path, "%d/%s", pid, what);
    int fd = ::openat(m_procFd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    std::size_t got = 0;
    while (got < cap) {
        ssize_t n = ::read(fd, buf + got, cap - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int e = errno;
            ::close(fd);
            errno = e;
            return -1;
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return static_cast<long>(got);
}

bool ProcessMatcher::signature(int pid, std::uint64_t& sig, long& rawLength) {
    long n = readPidFile(pid, "comm", m_comm, sizeof m_comm);
    if (n < 0) return false;
    std::string_view comm(m_comm, static_cast<std::size_t>(n));
    if (!comm.empty() && comm.back() == '\n') comm.remove_suffix(1);
    sig = fnv1a(comm);
    rawLength = 0;
    if (!m_cmdline.empty()) {
        rawLength = readPidFile(pid, "cmdline", m_raw, sizeof m_raw);
        if (rawLength < 0) return false;
        sig = fnv1a(std::string_view(m_raw, static_cast<std::size_t>(rawLength)), sig ^ 0x9e3779b97f4a7c15ull);
    }
    return true;
}

bool ProcessMatcher::evaluate(Known& k, std::vector<MatchedProcess>& matched, bool mayDefer) {
    ++m_stats.evaluated;
    long rawLength = 0;
    if (!signature(k.pid, k.sig, rawLength)) {
        // hidepid=1 lists other users' processes but refuses their files: decided once, kept.
        if (errno == EACCES || errno == EPERM) {
            k.state = State::Unreadable;
            return true;
        }
        return false;  // gone
    }
    long n = readPidFile(k.pid, "stat", m_stat, sizeof m_stat);
    PidStat st;
    if (n < 0 || !parsePidStat(std::string_view(m_stat, static_cast<std::size_t>(n)), st)) return false;
    k.startTicks = st.startTime;
    if (k.pid == m_options.excludePid) {
        k.state = State::Excluded;
        return true;
    }
    // psutil's name() needs argv[0] only when comm is cut at 15 characters.
    if (m_cmdline.empty() && st.comm.size() >= 15)
        rawLength = std::max(0L, readPidFile(k.pid, "cmdline", m_raw, sizeof m_raw));
    const std::string_view raw(m_raw, static_cast<std::size_t>(rawLength));
    const std::string_view name = processName(st.comm, raw);
    if (!m_cmdline.empty()) cmdlineToString(raw, m_cmd);
    if (matches(name, m_cmd)) {
        if (mayDefer && st.ppid > 0) {
            // Forked, not yet exec'd? Then it still has its parent's comm and command line.
            std::uint64_t parentSig = 0;
            long parentRaw = 0;
            const std::uint64_t own = k.sig;
            if (signature(st.ppid, parentSig, parentRaw) && parentSig == own) {
                k.state = State::Deferred;
                return true;
            }
        }
        k.state = State::Matched;
        matched.push_back({k.pid, k.startTicks});
    } else {
        k.state = k.pid == 2 || st.ppid == 2 ? State::Kernel : State::Other;  // kthreadd's children
    }
    return true;
}

bool ProcessMatcher::recheck(Known& k, std::vector<MatchedProcess>& matched) {
    ++m_stats.rechecked;
    std::uint64_t sig = 0;
    long rawLength = 0;
    if (!signature(k.pid, sig, rawLength)) return false;
    if (sig == k.sig) return true;
    return evaluate(k, matched, true);  // it exec'd (or renamed itself): decide again
}

Status ProcessMatcher::scan(std::vector<MatchedProcess>& matched, double now) {
    matched.clear();
    m_stats = {};
    if (Status listed = m_lister.list(m_listed); !listed) return listed;
    if (m_procFd < 0) return failIoAt(m_options.procRoot, "cannot open", EBADF);
    m_stats.listed = m_listed.size();
    auto byPid = [](const auto& a, const auto& b) { return a.pid < b.pid; };
    if (!std::is_sorted(m_listed.begin(), m_listed.end(), byPid)) std::sort(m_listed.begin(), m_listed.end(), byPid);
    const bool first = m_lastScan < 0;
    const double elapsed = first ? 0 : std::max(0.0, now - m_lastScan);
    m_lastScan = now;
    const bool reset = m_rulesChanged;
    m_rulesChanged = false;
    auto young = [&](const Known& k) { return now - k.firstSeen < m_options.youngSeconds; };

    // Merge the listing with the known processes (both sorted by PID) into m_next.
    m_next.clear();
    auto it = m_known.begin();
    for (const auto& e : m_listed) {
        while (it != m_known.end() && it->pid < e.pid) ++it;
        Known k;
        if (it != m_known.end() && it->pid == e.pid && it->ino == e.ino) {
            k = *it;
            if (reset && (k.state == State::Other || k.state == State::Kernel)) k.state = State::Unchecked;
            // (Deferred stays Deferred: decided at this scan anyway.)
        } else {
            // New, or a reused PID (a new /proc/PID directory): a new process to decide. Processes
            // already running at the first scan are not "young": they are past fork-then-exec.
            k.pid = e.pid;
            k.ino = e.ino;
            k.firstSeen = first ? -1e300 : now;
        }
        if (k.state == State::Unchecked || k.state == State::Deferred) {
            if (!evaluate(k, matched, k.state == State::Unchecked)) continue;
        } else if (k.state == State::Other && young(k)) {
            if (!recheck(k, matched)) continue;
        }
        m_next.push_back(k);
    }
    m_known.swap(m_next);

    // Exec re-checks of the older ones, round-robin: each visited about every recheckSeconds.
    const std::size_t n = m_known.size();
    if (n == 0 || elapsed <= 0) return {};
    const double share = std::min(1.0, elapsed / std::max(1e-3, m_options.recheckSeconds));
    std::size_t budget = std::min(n, static_cast<std::size_t>(std::ceil(share * static_cast<double>(n))));
    std::size_t i = static_cast<std::size_t>(std::upper_bound(m_known.begin(), m_known.end(), m_cursorPid,
                                                              [](int pid, const Known& k) { return pid < k.pid; }) -
                                             m_known.begin());
    bool gone = false;
    for (; budget > 0; --budget, ++i) {
        if (i >= n) i = 0;
        Known& k = m_known[i];
        m_cursorPid = k.pid;
        if (k.state != State::Other || young(k)) continue;  // young ones were re-checked above
        if (!recheck(k, matched)) {
            k.state = State::Unchecked;  // gone: dropped below
            gone = true;
        }
    }
    if (gone)
        m_known.erase(
            std::remove_if(m_known.begin(), m_known.end(), [](const Known& k) { return k.state == State::Unchecked; }),
            m_known.end());
    return {};
}

}  // namespace loadline::core
