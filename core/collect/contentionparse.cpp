#include "core/collect/contentionparse.h"

#include "core/collect/textscan.h"

namespace loadline::core {

bool parsePressureFields(std::string_view fields, PressureLine& out) {
    std::size_t pos = 0;
    bool a10 = false, a60 = false, a300 = false, total = false;
    for (std::string_view tok = scan::nextToken(fields, pos); !tok.empty(); tok = scan::nextToken(fields, pos)) {
        const std::size_t eq = tok.find('=');
        if (eq == std::string_view::npos) return false;
        const std::string_view key = tok.substr(0, eq), value = tok.substr(eq + 1);
        if (key == "avg10") a10 = scan::toDouble(value, out.avg10);
        else if (key == "avg60") a60 = scan::toDouble(value, out.avg60);
        else if (key == "avg300") a300 = scan::toDouble(value, out.avg300);
        else if (key == "total") total = scan::toU64(value, out.totalUs);
    }
    return a10 && a60 && a300 && total;
}

bool parsePressure(std::string_view text, PressureStall& out) {
    bool some = false;
    out.hasFull = false;
    std::size_t pos = 0;
    std::string_view line;
    while (scan::nextLine(text, pos, line)) {
        std::size_t p = 0;
        const std::string_view label = scan::nextToken(line, p);
        if (label == "some") {
            if (!parsePressureFields(line.substr(p), out.some)) return false;
            some = true;
        } else if (label == "full") {
            if (!parsePressureFields(line.substr(p), out.full)) return false;
            out.hasFull = true;
        } else if (!label.empty()) {
            return false;
        }
    }
    return some;
}

bool parseSchedstat(std::string_view text, Schedstat& out) {
    std::size_t pos = 0;
    return scan::toU64(scan::nextToken(text, pos), out.runNs) && scan::toU64(scan::nextToken(text, pos), out.waitNs) &&
           scan::toU64(scan::nextToken(text, pos), out.timeslices) && scan::nextToken(text, pos).empty();
}

bool parseContextSwitches(std::string_view text, std::uint64_t& voluntary, std::uint64_t& nonvoluntary) {
    // The two lines are the last of the file: search from the end.
    constexpr std::string_view kVol = "\nvoluntary_ctxt_switches:", kNonvol = "\nnonvoluntary_ctxt_switches:";
    const std::size_t n = text.rfind(kNonvol);
    if (n == std::string_view::npos) return false;
    std::size_t p = n + kNonvol.size();
    if (!scan::toU64(scan::nextToken(text, p), nonvoluntary)) return false;
    const std::size_t v = text.rfind(kVol, n);
    voluntary = 0;
    if (v != std::string_view::npos) {
        p = v + kVol.size();
        if (!scan::toU64(scan::nextToken(text, p), voluntary)) return false;
    }
    return true;
}

bool parseCgroupCpuStat(std::string_view text, CgroupCpuStat& out) {
    out = {};
    bool usage = false, periods = false, throttled = false, throttledUs = false;
    std::size_t pos = 0;
    std::string_view line;
    while (scan::nextLine(text, pos, line)) {
        std::size_t p = 0;
        const std::string_view key = scan::nextToken(line, p);
        if (key.empty()) continue;
        const std::string_view value = scan::nextToken(line, p);
        std::uint64_t v = 0;
        if (!scan::toU64(value, v)) return false;
        if (key == "usage_usec") usage = true, out.usageUsec = v;
        else if (key == "user_usec") out.userUsec = v;
        else if (key == "system_usec") out.systemUsec = v;
        else if (key == "nr_periods") periods = true, out.nrPeriods = v;
        else if (key == "nr_throttled") throttled = true, out.nrThrottled = v;
        else if (key == "throttled_usec") throttledUs = true, out.throttledUsec = v;
    }
    out.hasThrottling = periods && throttled && throttledUs;
    return usage;
}

bool parseCgroupLimit(std::string_view text, std::uint64_t& value, bool& unlimited) {
    std::size_t pos = 0;
    const std::string_view tok = scan::nextToken(text, pos);
    if (!scan::nextToken(text, pos).empty()) return false;
    if (tok == "max") {
        unlimited = true;
        value = 0;
        return true;
    }
    unlimited = false;
    return scan::toU64(tok, value);
}

bool parseProcCgroupV2(std::string_view text, std::string_view& path) {
    std::size_t pos = 0;
    std::string_view line;
    while (scan::nextLine(text, pos, line)) {
        if (line.substr(0, 3) != "0::") continue;
        path = line.substr(3);
        constexpr std::string_view kDeleted = " (deleted)";
        if (path.size() >= kDeleted.size() && path.substr(path.size() - kDeleted.size()) == kDeleted)
            path.remove_suffix(kDeleted.size());
        return !path.empty() && path.front() == '/';
    }
    return false;
}

bool findCgroup2Mount(std::string_view text, std::string& mountPoint) {
    std::size_t pos = 0;
    std::string_view line;
    while (scan::nextLine(text, pos, line)) {
        std::size_t p = 0;
        scan::nextToken(line, p);  // device
        const std::string_view mp = scan::nextToken(line, p);
        if (scan::nextToken(line, p) != "cgroup2" || mp.empty()) continue;
        mountPoint.clear();
        for (std::size_t i = 0; i < mp.size(); ++i) {  // getmntent(3)'s escapes: \040 \011 \012 \134
            if (mp[i] == '\\' && i + 3 < mp.size() && mp[i + 1] >= '0' && mp[i + 1] <= '3' && mp[i + 2] >= '0' &&
                mp[i + 2] <= '7' && mp[i + 3] >= '0' && mp[i + 3] <= '7') {
                mountPoint.push_back(
                    static_cast<char>((mp[i + 1] - '0') * 64 + (mp[i + 2] - '0') * 8 + (mp[i + 3] - '0')));
                i += 3;
            } else {
                mountPoint.push_back(mp[i]);
            }
        }
        return true;
    }
    return false;
}

}  // namespace loadline::core
