#pragma once
// Static and slow-changing facts from /sys and /proc: physical core count, CPU frequency and
// temperature sensors, mounted filesystems. Readers take ProcRoots so tests use fixture trees.

#include <string>
#include <string_view>
#include <vector>

#include "core/collect/procfile.h"
#include "core/collect/samples.h"

namespace loadline::core {

/** psutil.cpu_count(logical=False): unique core_cpus_list (or thread_siblings_list) of
 *  /sys/devices/system/cpu/cpuN/topology, else unique (physical id, core id) of /proc/cpuinfo.
 *  0 when unknown. */
int countPhysicalCores(const ProcRoots& roots = {});

/** Parses /proc/cpuinfo: unique (physical id, core id) pairs, 0 when absent. */
int countPhysicalCoresFromCpuInfo(std::string_view cpuinfo);
/** Mean of the "cpu MHz" lines of /proc/cpuinfo, NaN when none. */
double meanCpuMhzFromCpuInfo(std::string_view cpuinfo);

/** CPU frequency and temperature from kept-open sysfs files (cheap enough for every tick). */
class CpuSensors {
public:
    explicit CpuSensors(const ProcRoots& roots = {});
    /** Mean scaling_cur_freq of the CPUs that have one, in MHz; NaN when there is none. */
    double frequencyMhz();
    /** The CPU temperature in °C: hwmon coretemp/k10temp/zenpower/cpu_thermal (hottest input),
     *  else a thermal zone whose type names the CPU (x86_pkg_temp, cpu...), else the hottest
     *  zone. NaN when none. */
    double temperatureC();
    bool hasFrequency() const { return !m_freq.empty(); }
    bool hasTemperature() const { return !m_temps.empty(); }

private:
    std::vector<ProcFile> m_freq;   // kHz
    std::vector<ProcFile> m_temps;  // millidegrees C
};

/** Mounted real filesystems (psutil.disk_partitions(all=False)): fs types listed in
 *  /proc/filesystems without "nodev", from /proc/self/mounts; first mount of each mount point. */
struct MountEntry {
    std::string device, mountPoint, fsType;
};
std::vector<MountEntry> parseMounts(std::string_view mounts, std::string_view filesystems);
/** Unescapes the octal escapes of /proc/self/mounts ("\040" = space). */
std::string unescapeMountField(std::string_view s);
/** The mounts with statvfs(3) usage (total, used, free, percent as psutil.disk_usage). */
void readFilesystemUsage(const ProcRoots& roots, std::vector<FilesystemUsage>& out);

}  // namespace loadline::core
