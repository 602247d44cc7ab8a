#include "core/collect/sysinfo.h"

#include <algorithm>
#include <cmath>
#include <dirent.h>
#include <set>
#include <sys/statvfs.h>
#include <utility>

#include "core/collect/textscan.h"

namespace loadline::core {

namespace {

/** Names in dir that start with prefix and continue with a digit, sorted naturally. */
std::vector<std::string> listNumbered(const std::string& dir, std::string_view prefix) {
    std::vector<std::pair<long, std::string>> found;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (dirent* e = ::readdir(d)) {
            std::string_view n = e->d_name;
            if (n.size() <= prefix.size() || n.substr(0, prefix.size()) != prefix) continue;
            std::string_view rest = n.substr(prefix.size());
            std::uint64_t v = 0;
            std::size_t digits = 0;
            while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
            if (digits == 0) continue;
            scan::toU64(rest.substr(0, digits), v);
            found.emplace_back(static_cast<long>(v), std::string(n));
        }
        ::closedir(d);
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& f : found) out.push_back(std::move(f.second));
    return out;
}

std::string trimmed(std::string s) {
    while (!s.empty() && scan::isSpace(s.back())) s.pop_back();
    return s;
}

}  // namespace

int countPhysicalCoresFromCpuInfo(std::string_view cpuinfo) {
    std::set<std::pair<std::string, std::string>> cores;
    std::string physical, core;
    std::size_t pos = 0;
    std::string_view line;
    auto flush = [&] {
        if (!core.empty()) cores.emplace(physical, core);
        physical.clear();
        core.clear();
    };
    while (scan::nextLine(cpuinfo, pos, line)) {
        if (line.empty()) {
            flush();
            continue;
        }
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view key = line.substr(0, colon);
        while (!key.empty() && scan::isSpace(key.back())) key.remove_suffix(1);
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && scan::isSpace(value.front())) value.remove_prefix(1);
        if (key == "physical id") physical.assign(value);
        else if (key == "core id") core.assign(value);
    }
    flush();
    return static_cast<int>(cores.size());
}

double meanCpuMhzFromCpuInfo(std::string_view cpuinfo) {
    double sum = 0;
    int n = 0;
    std::size_t pos = 0;
    std::string_view line;
    while (scan::nextLine(cpuinfo, pos, line)) {
        if (line.substr(0, 7) != "cpu MHz") continue;
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::size_t p = 0;
        double v = 0;
        if (scan::toDouble(scan::nextToken(line.substr(colon + 1), p), v)) {
            sum += v;
            ++n;
        }
    }
    return n ? sum / n : kMissing;
}

int countPhysicalCores(const ProcRoots& roots) {
    const std::string cpuDir = roots.sys + "/devices/system/cpu";
    for (const char* file : {"core_cpus_list", "thread_siblings_list"}) {
        std::set<std::string> lists;
        for (const auto& cpu : listNumbered(cpuDir, "cpu")) {
            std::string text;
            if (readWholeFile(cpuDir + "/" + cpu + "/topology/" + file, text)) lists.insert(trimmed(text));
        }
        if (!lists.empty()) return static_cast<int>(lists.size());
    }
    std::string cpuinfo;
    if (readWholeFile(roots.proc + "/cpuinfo", cpuinfo)) return countPhysicalCoresFromCpuInfo(cpuinfo);
    return 0;
}

CpuSensors::CpuSensors(const ProcRoots& roots) {
    const std::string cpuDir = roots.sys + "/devices/system/cpu";
    for (const auto& cpu : listNumbered(cpuDir, "cpu")) {
        ProcFile f;
        if (f.open(cpuDir + "/" + cpu + "/cpufreq/scaling_cur_freq")) m_freq.push_back(std::move(f));
    }
    // Temperature: a CPU hwmon driver first, then thermal zones.
    const std::string hwmonDir = roots.sys + "/class/hwmon";
    for (const auto& h : listNumbered(hwmonDir, "hwmon")) {
        std::string name;
        if (!readWholeFile(hwmonDir + "/" + h + "/name", name)) continue;
        name = trimmed(name);
        if (name != "coretemp" && name != "k10temp" && name != "zenpower" && name != "cpu_thermal") continue;
        for (int i = 1; i <= 64; ++i) {
            ProcFile f;
            if (f.open(hwmonDir + "/" + h + "/temp" + std::to_string(i) + "_input")) m_temps.push_back(std::move(f));
        }
        if (!m_temps.empty()) return;
    }
    const std::string zoneDir = roots.sys + "/class/thermal";
    std::vector<std::pair<std::string, std::string>> zones;  // (type, dir)
    for (const auto& z : listNumbered(zoneDir, "thermal_zone")) {
        std::string type;
        readWholeFile(zoneDir + "/" + z + "/type", type);
        zones.emplace_back(trimmed(type), zoneDir + "/" + z);
    }
    for (const auto& [type, dir] : zones) {
        if (type.find("x86_pkg_temp") != std::string::npos || type.find("cpu") != std::string::npos ||
            type.find("CPU") != std::string::npos || type.find("soc") != std::string::npos) {
            ProcFile f;
            if (f.open(dir + "/temp")) m_temps.push_back(std::move(f));
        }
    }
    if (!m_temps.empty()) return;
    for (const auto& zone : zones) {
        ProcFile f;
        if (f.open(zone.second + "/temp")) m_temps.push_back(std::move(f));
    }
}

double CpuSensors::frequencyMhz() {
    double sum = 0;
    int n = 0;
    for (auto& f : m_freq) {
        auto text = f.read();
        if (!text) continue;
        std::size_t p = 0;
        std::uint64_t khz = 0;
        if (scan::toU64(scan::nextToken(*text, p), khz)) {
            sum += static_cast<double>(khz) / 1000.0;
            ++n;
        }
    }
    return n ? sum / n : kMissing;
}

double CpuSensors::temperatureC() {
    double best = kMissing;
    for (auto& f : m_temps) {
        auto text = f.read();
        if (!text) continue;
        std::size_t p = 0;
        std::int64_t milli = 0;
        if (!scan::toI64(scan::nextToken(*text, p), milli)) continue;
        double c = static_cast<double>(milli) / 1000.0;
        if (std::isnan(best) || c > best) best = c;
    }
    return best;
}

std::string unescapeMountField(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() + 0 && s[i + 1] >= '0' && s[i + 1] <= '7' && s[i + 2] >= '0' &&
            s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
            out.push_back(static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
            i += 3;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::vector<MountEntry> parseMounts(std::string_view mounts, std::string_view filesystems) {
    std::set<std::string, std::less<>> realTypes;
    std::size_t pos = 0;
    std::string_view line;
    while (scan::nextLine(filesystems, pos, line)) {
        std::size_t p = 0;
        std::string_view first = scan::nextToken(line, p);
        if (first.empty() || first == "nodev") continue;
        realTypes.emplace(first);
    }
    realTypes.emplace("zfs");  // psutil includes zfs although it is nodev
    std::vector<MountEntry> out;
    std::set<std::string> seenMountPoints;
    pos = 0;
    while (scan::nextLine(mounts, pos, line)) {
        std::size_t p = 0;
        std::string_view dev = scan::nextToken(line, p), mnt = scan::nextToken(line, p),
                         type = scan::nextToken(line, p);
        if (type.empty() || !realTypes.count(type)) continue;
        MountEntry e{unescapeMountField(dev), unescapeMountField(mnt), std::string(type)};
        if (!seenMountPoints.insert(e.mountPoint).second) continue;
        out.push_back(std::move(e));
    }
    return out;
}

void readFilesystemUsage(const ProcRoots& roots, std::vector<FilesystemUsage>& out) {
    out.clear();
    std::string mounts, filesystems;
    if (!readWholeFile(roots.proc + "/self/mounts", mounts)) return;
    readWholeFile(roots.proc + "/filesystems", filesystems);
    for (auto& m : parseMounts(mounts, filesystems)) {
        struct statvfs st {};
        if (::statvfs(m.mountPoint.c_str(), &st) != 0) continue;  // unreadable mount point: skip
        FilesystemUsage u;
        const double frsize = static_cast<double>(st.f_frsize);
        u.device = std::move(m.device);
        u.mountPoint = std::move(m.mountPoint);
        u.fsType = std::move(m.fsType);
        u.total = static_cast<double>(st.f_blocks) * frsize;
        u.free = static_cast<double>(st.f_bavail) * frsize;
        u.used = static_cast<double>(st.f_blocks - st.f_bfree) * frsize;
        u.percent = (u.used + u.free) > 0 ? u.used / (u.used + u.free) * 100.0 : 0.0;
        out.push_back(std::move(u));
    }
}

}  // namespace loadline::core
