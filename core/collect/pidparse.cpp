#include "core/collect/pidparse.h"

#include <cstring>

#include "core/collect/textscan.h"

namespace loadline::core {

using scan::nextLine;
using scan::nextToken;
using scan::toI64;
using scan::toU64;

bool parsePidStat(std::string_view text, PidStat& out) {
    // The name may contain ')': the last one closes it. memrchr, not string_view::rfind: the
    // latter walks back byte by byte through the ~250 bytes of fields after it (most of this
    // parser's instructions on the sampler's every tick, per tracked process).
    const std::size_t open = text.find('(');
    const void* last = text.empty() ? nullptr : ::memrchr(text.data(), ')', text.size());
    if (open == std::string_view::npos || last == nullptr) return false;
    const std::size_t close = static_cast<std::size_t>(static_cast<const char*>(last) - text.data());
    if (close < open) return false;
    std::int64_t pid = 0;
    std::string_view pidText = text.substr(0, open);
    while (!pidText.empty() && scan::isSpace(pidText.back())) pidText.remove_suffix(1);
    if (!toI64(pidText, pid)) return false;
    out.pid = static_cast<int>(pid);
    out.comm = text.substr(open + 1, close - open - 1);
    std::string_view rest = text.substr(close + 1);
    std::size_t pos = 0;
    // Token k after ')' is field k+3 of proc_pid_stat(5).
    std::string_view state = nextToken(rest, pos);
    if (state.size() != 1) return false;
    out.state = state[0];
    std::int64_t signedField = 0;
    std::uint64_t f = 0;
    for (int field = 4; field <= 24; ++field) {  // nothing after rss is used
        std::string_view t = nextToken(rest, pos);
        if (t.empty()) return field > 24;  // old kernels end earlier; we need up to rss (24)
        switch (field) {
        case 4:
            if (!toI64(t, signedField)) return false;
            out.ppid = static_cast<int>(signedField);
            break;
        case 14:
            if (!toU64(t, out.utime)) return false;
            break;
        case 15:
            if (!toU64(t, out.stime)) return false;
            break;
        case 20:
            if (!toI64(t, out.numThreads)) return false;
            break;
        case 22:
            if (!toU64(t, out.startTime)) return false;
            break;
        case 23:
            if (!toU64(t, out.vsize)) return false;
            break;
        case 24:
            if (!toI64(t, out.rssPages)) return false;
            break;
        default: (void)f; break;
        }
    }
    return true;
}

bool parsePidStatm(std::string_view text, PidStatm& out) {
    std::size_t pos = 0;
    return toU64(nextToken(text, pos), out.size) && toU64(nextToken(text, pos), out.resident) &&
           toU64(nextToken(text, pos), out.shared) && toU64(nextToken(text, pos), out.text) &&
           (nextToken(text, pos), true) && toU64(nextToken(text, pos), out.data);
}

bool parsePidStatus(std::string_view text, PidStatus& out) {
    out = PidStatus{};
    bool sawName = false;
    std::size_t pos = 0;
    std::string_view line;
    while (nextLine(text, pos, line)) {
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view key = line.substr(0, colon);
        std::string_view rest = line.substr(colon + 1);
        std::size_t p = 0;
        std::uint64_t v = 0;
        if (key == "Name") {
            // The name is everything after the tab (it may contain spaces).
            while (!rest.empty() && (rest.front() == '\t' || rest.front() == ' ')) rest.remove_prefix(1);
            out.name.assign(rest);
            sawName = true;
        } else if (key == "State") {
            std::string_view s = nextToken(rest, p);
            if (!s.empty()) out.state = s[0];
        } else if (key == "PPid") {
            if (toU64(nextToken(rest, p), v)) out.ppid = static_cast<int>(v);
        } else if (key == "Uid") {
            if (toU64(nextToken(rest, p), v)) out.uid = static_cast<int>(v);  // real uid
        } else if (key == "Threads") {
            if (toU64(nextToken(rest, p), v)) out.threads = static_cast<int>(v);
        } else if (key == "VmRSS") {
            if (scan::keyValueBytes(rest, v)) out.vmRss = v;
        } else if (key == "VmSize") {
            if (scan::keyValueBytes(rest, v)) out.vmSize = v;
        } else if (key == "voluntary_ctxt_switches") {
            if (toU64(nextToken(rest, p), v)) out.voluntaryCtxt = v;
        } else if (key == "nonvoluntary_ctxt_switches") {
            if (toU64(nextToken(rest, p), v)) out.nonvoluntaryCtxt = v;
        }
    }
    return sawName;
}

bool parsePidIo(std::string_view text, PidIo& out) {
    out = PidIo{};
    int seen = 0;
    std::size_t pos = 0;
    std::string_view line;
    while (nextLine(text, pos, line)) {
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view key = line.substr(0, colon);
        std::size_t p = 0;
        std::uint64_t v = 0;
        if (!toU64(nextToken(line.substr(colon + 1), p), v)) continue;
        if (key == "rchar") out.rchar = v;
        else if (key == "wchar") out.wchar = v;
        else if (key == "syscr") out.syscr = v;
        else if (key == "syscw") out.syscw = v;
        else if (key == "read_bytes") out.readBytes = v;
        else if (key == "write_bytes") out.writeBytes = v;
        else if (key == "cancelled_write_bytes") out.cancelledWriteBytes = v;
        else continue;
        ++seen;
    }
    return seen >= 6;
}

void cmdlineToString(std::string_view raw, std::string& out) {
    // psutil drops one trailing separator, splits, and py-perf joins with ' '.
    if (!raw.empty() && (raw.back() == '\0' || raw.back() == ' ')) raw.remove_suffix(1);
    out.assign(raw);
    for (char& c : out)
        if (c == '\0') c = ' ';
}

std::string_view cmdlineFirstArg(std::string_view raw) {
    if (raw.empty()) return raw;
    const bool nulSeparated = raw.back() == '\0';
    raw.remove_suffix(raw.back() == '\0' || raw.back() == ' ' ? 1 : 0);
    if (nulSeparated) {
        std::size_t nul = raw.find('\0');
        if (nul != std::string_view::npos) return raw.substr(0, nul);
    }
    // psutil: a process that rewrote its command line with spaces instead of NULs is split on ' '.
    std::size_t sp = raw.find(' ');
    return sp == std::string_view::npos ? raw : raw.substr(0, sp);
}

const char* processStatusName(char state) {
    switch (state) {
    case 'R': return "running";
    case 'S': return "sleeping";
    case 'D': return "disk-sleep";
    case 'T': return "stopped";
    case 't': return "tracing-stop";
    case 'Z': return "zombie";
    case 'X':
    case 'x': return "dead";
    case 'K': return "wake-kill";
    case 'W': return "waking";
    case 'I': return "idle";
    case 'P': return "parked";
    default: return "unknown";
    }
}

std::string_view processName(std::string_view comm, std::string_view rawCmdline) {
    if (comm.size() < 15) return comm;
    std::string_view arg0 = cmdlineFirstArg(rawCmdline);
    std::size_t slash = arg0.rfind('/');
    std::string_view base = slash == std::string_view::npos ? arg0 : arg0.substr(slash + 1);
    if (!base.empty() && base.substr(0, comm.size()) == comm) return base;
    return comm;
}

}  // namespace loadline::core
