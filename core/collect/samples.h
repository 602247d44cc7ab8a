#pragma once
// The value structs a collection produces. A sampler reuses one of each per tick (vectors and
// strings keep their capacity), so filling them does not allocate in steady state.
// Missing numbers are NaN (kMissing): not readable here, or the first reading of a rate.

#include <cstdint>
#include <string>
#include <vector>

#include "core/collect/contentionsamples.h"
#include "core/collect/systemparse.h"
#include "core/timeline/seriestable.h"

namespace loadline::core {

struct DiskDeviceSample {
    std::string name;
    double readCount = 0, writeCount = 0, readBytes = 0, writeBytes = 0;  // cumulative
    double readBytesPerS = kMissing, writeBytesPerS = kMissing;
};

struct NetInterfaceSample {
    std::string name;
    double bytesSent = 0, bytesRecv = 0, packetsSent = 0, packetsRecv = 0;  // cumulative
    double errorsIn = 0, errorsOut = 0, dropsIn = 0, dropsOut = 0;
    double sentBytesPerS = kMissing, recvBytesPerS = kMissing;
};

/** Disk usage of one mounted filesystem (psutil's disk_usage definitions). */
struct FilesystemUsage {
    std::string device, mountPoint, fsType;
    double total = 0, used = 0, free = 0, percent = 0;  // bytes; percent = used / (used + free)
};

struct GpuSample {
    int index = 0;
    std::string vendor;  // "nvidia" or "amd"
    std::string name;
    double utilizationPercent = kMissing;
    double memoryUsedBytes = kMissing, memoryTotalBytes = kMissing;
    double temperatureC = kMissing;
};

/** One system-wide collection. */
struct SystemSample {
    double timestamp = 0;  // Unix epoch seconds

    // CPU
    double cpuPercent = kMissing;           // all CPUs, 0..100
    std::vector<double> cpuPercentPerCore;  // by CPU number; NaN = offline
    int cpuCountLogical = 0;                // online CPUs (psutil.cpu_count())
    int cpuCountPhysical = 0;               // psutil.cpu_count(logical=False); 0 = unknown
    double cpuFreqMhz = kMissing;           // mean current frequency of online CPUs
    double cpuTemperatureC = kMissing;
    double loadAvg1 = kMissing, loadAvg5 = kMissing, loadAvg15 = kMissing;

    // Memory (bytes; percent 0..100), psutil's virtual_memory()/swap_memory()
    MemoryUsage memory;

    // Disk I/O: whole disks (psutil's disk_io_counters), cumulative and per second
    double diskReadCount = kMissing, diskWriteCount = kMissing;
    double diskReadBytes = kMissing, diskWriteBytes = kMissing;
    double diskReadBytesPerS = kMissing, diskWriteBytesPerS = kMissing;
    double diskReadCountPerS = kMissing, diskWriteCountPerS = kMissing;
    std::vector<DiskDeviceSample> disks;

    // Network: all interfaces summed (psutil's net_io_counters), cumulative and per second
    double netBytesSent = kMissing, netBytesRecv = kMissing;
    double netPacketsSent = kMissing, netPacketsRecv = kMissing;
    double netSentBytesPerS = kMissing, netRecvBytesPerS = kMissing;
    double netSentPacketsPerS = kMissing, netRecvPacketsPerS = kMissing;
    std::vector<NetInterfaceSample> interfaces;

    double uptime = kMissing;    // seconds
    double bootTime = kMissing;  // epoch seconds

    std::vector<GpuSample> gpus;
    /** Filled only when SystemCollectorOptions::filesystems is on. */
    std::vector<FilesystemUsage> filesystems;

    /** Pressure stall information of the whole system (/proc/pressure; NaN where absent). */
    PressureSample pressure;
    /** The cgroup given by SystemCollectorOptions::cgroup (path empty when none). */
    CgroupSample cgroup;
};

/** One reading of one process: py-perf's fields plus I/O and open fds. */
struct ProcessSample {
    double timestamp = 0;  // Unix epoch seconds
    int pid = 0;
    int ppid = 0;
    std::string name;                                       // psutil's Process.name()
    std::string cmdline;                                    // arguments joined by ' ' (read once when attached)
    const char* status = "unknown";                         // psutil's strings: "running", "sleeping", "zombie", ...
    double cpuPercent = kMissing;                           // 100 = one core busy (can exceed 100)
    double memoryRssMb = kMissing, memoryVmsMb = kMissing;  // MiB (bytes / 1024 / 1024)
    double numThreads = kMissing;
    double createTime = kMissing;                            // epoch seconds = boot time + starttime / CLK_TCK
    double ioReadBytes = kMissing, ioWriteBytes = kMissing;  // cumulative storage I/O; NaN = not readable
    double ioReadBytesPerS = kMissing, ioWriteBytesPerS = kMissing;
    double numFds = kMissing;      // open file descriptors; NaN = not readable
    std::uint64_t startTicks = 0;  // starttime of /proc/PID/stat: identity against PID reuse
    /** Run-queue wait and involuntary switches of the main thread (NaN where not readable). */
    SchedSample sched;
    /** The process's own cgroup v2 (path empty when it is in the root cgroup or unknown). */
    CgroupSample cgroup;
};

}  // namespace loadline::core
