#include "core/collect/contention.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <map>
#include <sys/stat.h>

#include "core/collect/counters.h"

namespace loadline::core {

namespace {
constexpr const char* kResourceNames[kPressureResources] = {"cpu", "memory", "io"};

/** A µs-per-second rate as a percent of wall time, clamped to 0..100 (timer jitter between the
 *  kernel's accounting and our clock can overshoot by a hair). */
double usPercent(double usPerS) { return std::isnan(usPerS) ? usPerS : std::clamp(usPerS / 1e4, 0.0, 100.0); }
}  // namespace

const char* pressureResourceName(int r) { return r >= 0 && r < kPressureResources ? kResourceNames[r] : "?"; }

bool PressureSample::any() const {
    for (int r = 0; r < kPressureResources; ++r)
        if (!std::isnan(someTotalSeconds[static_cast<std::size_t>(r)])) return true;
    return false;
}

double CumulativeRate::update(std::uint64_t value, double seconds) {
    double r = kMissing;
    if (m_have && seconds > m_prevSeconds)
        r = static_cast<double>(clampedDelta(value, m_prev)) / (seconds - m_prevSeconds);
    m_prev = value;
    m_prevSeconds = seconds;
    m_have = true;
    return r;
}

// ---- PressureReader ----

Status PressureReader::open(const std::string& dir, const char* suffix) {
    close();
    m_systemWide = *suffix == '\0';
    bool any = false;
    int firstErrno = 0;
    for (int r = 0; r < kPressureResources; ++r) {
        Status opened = m_files[static_cast<std::size_t>(r)].open(dir + kResourceNames[r] + suffix);
        if (opened) any = true;
        else if (!firstErrno) firstErrno = opened.error().errnum;
    }
    if (any) return {};
    return failIoAt(dir + kResourceNames[0] + suffix,
                    std::string(std::strerror(firstErrno)) + " (and the memory and io files beside it)", firstErrno);
}

void PressureReader::close() {
    for (auto& f : m_files) f.close();
    for (auto& r : m_some) r.reset();
    for (auto& r : m_full) r.reset();
}

bool PressureReader::isOpen() const {
    return std::any_of(m_files.begin(), m_files.end(), [](const ProcFile& f) { return f.isOpen(); });
}

void PressureReader::read(PressureSample& out, double mono) {
    for (std::size_t r = 0; r < kPressureResources; ++r) {
        out.somePercent[r] = out.fullPercent[r] = out.someTotalSeconds[r] = out.fullTotalSeconds[r] = out.someAvg10[r] =
            kMissing;
        if (!m_files[r].isOpen()) continue;
        auto text = m_files[r].read();
        if (!text || !parsePressure(*text, m_parsed)) continue;
        out.someTotalSeconds[r] = static_cast<double>(m_parsed.some.totalUs) / 1e6;
        out.someAvg10[r] = m_parsed.some.avg10;
        out.somePercent[r] = usPercent(m_some[r].update(m_parsed.some.totalUs, mono));
        // System-wide CPU "full" is undefined; Linux 5.13+ prints it as zeros for compatibility.
        if (m_parsed.hasFull && !(m_systemWide && r == kPressureCpu)) {
            out.fullTotalSeconds[r] = static_cast<double>(m_parsed.full.totalUs) / 1e6;
            out.fullPercent[r] = usPercent(m_full[r].update(m_parsed.full.totalUs, mono));
        }
    }
}

// ---- CgroupReader ----

Status CgroupReader::open(const std::string& dir, const std::string& path) {
    close();
    if (Status opened = m_cpuStat.open(dir + "/cpu.stat"); !opened)
        return failIoAt(dir + "/cpu.stat", std::strerror(opened.error().errnum), opened.error().errnum);
    m_path = path;
    m_memCurrent.open(dir + "/memory.current");  // absent without the memory controller
    m_memMax.open(dir + "/memory.max");
    m_pressure.open(dir + "/", ".pressure");
    return {};
}

void CgroupReader::close() {
    m_cpuStat.close();
    m_memCurrent.close();
    m_memMax.close();
    m_pressure.close();
    m_usage.reset();
    m_throttledUs.reset();
    m_havePeriods = false;
    m_path.clear();
}

void CgroupReader::read(CgroupSample& out, double mono) {
    if (out.path != m_path) out.path = m_path;
    out.cpuPercent = out.throttledPeriodsPercent = out.throttledMsPerS = out.nrThrottled = out.throttledSeconds =
        out.usageSeconds = out.memoryCurrentBytes = out.memoryMaxBytes = kMissing;
    if (!m_cpuStat.isOpen()) {
        m_pressure.read(out.pressure, mono);
        return;
    }
    if (auto t = m_cpuStat.read(); t && parseCgroupCpuStat(*t, m_stat)) {
        out.usageSeconds = static_cast<double>(m_stat.usageUsec) / 1e6;
        const double usage = m_usage.update(m_stat.usageUsec, mono);
        out.cpuPercent = std::isnan(usage) ? usage : usage / 1e4;
        if (m_stat.hasThrottling) {
            out.nrThrottled = static_cast<double>(m_stat.nrThrottled);
            out.throttledSeconds = static_cast<double>(m_stat.throttledUsec) / 1e6;
            const double th = m_throttledUs.update(m_stat.throttledUsec, mono);
            out.throttledMsPerS = std::isnan(th) ? th : th / 1e3;
            if (m_havePeriods) {
                const std::uint64_t dp = clampedDelta(m_stat.nrPeriods, m_prevPeriods);
                const std::uint64_t dt = clampedDelta(m_stat.nrThrottled, m_prevThrottled);
                // No enforcement period ran (no quota, or nothing ran): nothing was throttled.
                out.throttledPeriodsPercent =
                    dp ? std::min(100.0, 100.0 * static_cast<double>(dt) / static_cast<double>(dp)) : 0.0;
            }
            m_prevPeriods = m_stat.nrPeriods;
            m_prevThrottled = m_stat.nrThrottled;
            m_havePeriods = true;
        }
    }
    std::uint64_t v = 0;
    bool unlimited = false;
    if (m_memCurrent.isOpen())
        if (auto t = m_memCurrent.read(); t && parseCgroupLimit(*t, v, unlimited) && !unlimited)
            out.memoryCurrentBytes = static_cast<double>(v);
    if (m_memMax.isOpen())
        if (auto t = m_memMax.read(); t && parseCgroupLimit(*t, v, unlimited) && !unlimited)
            out.memoryMaxBytes = static_cast<double>(v);
    m_pressure.read(out.pressure, mono);
}

// ---- SharedCgroupReader ----

void SharedCgroupReader::read(CgroupSample& out, double mono) {
    std::lock_guard lock(m_mutex);
    if (!(m_lastMono == mono)) {
        m_reader.read(m_last, mono);
        m_lastMono = mono;
    }
    out = m_last;  // same path text: the string keeps its buffer
}

std::shared_ptr<SharedCgroupReader> sharedCgroupReader(const std::string& dir, const std::string& path) {
    static std::mutex registryMutex;
    static std::map<std::string, std::weak_ptr<SharedCgroupReader>> registry;
    std::lock_guard lock(registryMutex);
    for (auto it = registry.begin(); it != registry.end();)
        it = it->second.expired() ? registry.erase(it) : std::next(it);
    if (auto found = registry.find(dir); found != registry.end())
        if (auto shared = found->second.lock()) return shared;
    auto shared = std::make_shared<SharedCgroupReader>();
    if (!shared->m_reader.open(dir, path)) return nullptr;
    registry[dir] = shared;
    return shared;
}

// ---- SchedReader ----

void SchedReader::open(int dirFd, bool ownSchedstat) {
    close();
    if (dirFd < 0) return;
    if (ownSchedstat) m_schedstat.openAt(dirFd, "schedstat");
    m_status.openAt(dirFd, "status");
}

void SchedReader::close() {
    m_schedstat.close();
    m_status.close();
    m_wait.reset();
    m_nonvol.reset();
    m_statusReadAt = -1e300;
    m_switches = m_switchRate = kMissing;
    m_statusValid = false;
}

void SchedReader::read(SchedSample& out, double mono) {
    Schedstat s;
    bool have = false;
    if (m_schedstat.isOpen())
        if (auto t = m_schedstat.read(); t && parseSchedstat(*t, s)) have = true;
    read(out, mono, have ? &s : nullptr);
}

void SchedReader::read(SchedSample& out, double mono, const Schedstat* given) {
    out = SchedSample{};
    Schedstat s;
    const bool haveSlices = given != nullptr;
    if (given) {
        s = *given;
        out.runQueueWaitSeconds = static_cast<double>(s.waitNs) / 1e9;
        const double nsPerS = m_wait.update(s.waitNs, mono);
        out.runQueueWaitPercent = std::isnan(nsPerS) ? nsPerS : std::clamp(nsPerS / 1e7, 0.0, 100.0);
    }
    // status is the costliest /proc file of a process (~15 µs to generate, most of a tick's
    // contention cost): read at most every kStatusSeconds; between reads the last count and the
    // rate over the last read interval stand.
    if (m_status.isOpen() && mono - m_statusReadAt >= kStatusSeconds) {
        m_statusReadAt = mono;
        if (haveSlices && m_statusValid && s.timeslices == m_slicesAtStatus) {
            // Not scheduled in since the last read (timeslices count arrivals on a CPU), so not
            // preempted since either: the count stands and nothing is generated. A preemption
            // right after that read, while it still ran, shows at its next timeslice.
            ++m_statusSkips;
            m_switchRate = m_nonvol.update(m_nonvolCount, mono);
        } else {
            ++m_statusReads;
            std::uint64_t vol = 0, nonvol = 0;
            m_switches = m_switchRate = kMissing;
            m_statusValid = false;
            if (auto t = m_status.read(); t && parseContextSwitches(*t, vol, nonvol)) {
                m_switches = static_cast<double>(nonvol);
                m_switchRate = m_nonvol.update(nonvol, mono);
                m_nonvolCount = nonvol;
                m_slicesAtStatus = s.timeslices;
                m_statusValid = haveSlices;
            }
        }
    }
    out.nonvoluntarySwitches = m_switches;
    out.nonvoluntarySwitchesPerS = m_switchRate;
}

// ---- locating cgroups ----

std::string cgroup2MountPoint(const ProcRoots& roots) {
    std::string text, mp;
    if (!readWholeFile(roots.proc + "/self/mounts", text) || !findCgroup2Mount(text, mp)) return {};
    if (roots.sys != "/sys" && (mp == "/sys" || mp.rfind("/sys/", 0) == 0)) mp = roots.sys + mp.substr(4);
    return mp;
}

std::string processCgroupPath(const ProcRoots& roots, int pid) {
    std::string text;
    std::string_view path;
    if (!readWholeFile(roots.proc + "/" + std::to_string(pid) + "/cgroup", text) || !parseProcCgroupV2(text, path))
        return {};
    return std::string(path);
}

Result<std::string> resolveCgroupDir(const ProcRoots& roots, const std::string& given, std::string& cgroupPath) {
    auto fail = [&](const std::string& msg) -> Result<std::string> { return core::fail(msg, ErrorKind::Io); };
    const std::string mount = cgroup2MountPoint(roots);
    if (mount.empty()) return fail("cgroup '" + given + "': no cgroup v2 (cgroup2) filesystem is mounted");
    auto isDir = [](const std::string& p) {
        struct stat st {};
        return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    };
    std::string dir;
    if (given.rfind(mount + "/", 0) == 0 || given == mount) {
        dir = given;
    } else {
        dir = mount + (given.empty() || given.front() != '/' ? "/" : "") + given;
    }
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    if (!isDir(dir))
        return fail("cgroup '" + given + "': no such cgroup directory " + dir + " (cgroup v2 is mounted at " + mount +
                    ")");
    struct stat st {};
    if (::stat((dir + "/cpu.stat").c_str(), &st) != 0)
        return fail("cgroup '" + given + "': " + dir + "/cpu.stat is missing (not a cgroup v2 directory)");
    cgroupPath = dir.size() > mount.size() ? dir.substr(mount.size()) : "/";
    return dir;
}

}  // namespace loadline::core
