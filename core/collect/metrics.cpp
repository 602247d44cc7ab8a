#include "core/collect/metrics.h"

#include <algorithm>
#include <cmath>

namespace loadline::core::metrics {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kPerMiB = 1.0 / kMiB;  // a power of two: x * kPerMiB == x / kMiB exactly

// Readers: one expression over the sample (s: SystemSample, i: element of an indexed metric,
// p: ProcessSample).
#define SYS(expr)                                        \
    [](const SystemSample& s, std::size_t i) -> double { \
        (void)s;                                         \
        (void)i;                                         \
        return (expr);                                   \
    }
#define PROC(expr)                         \
    [](const ProcessSample& p) -> double { \
        (void)p;                           \
        return (expr);                     \
    }

constexpr auto S = Scope::System;
constexpr auto P = Scope::Process;
constexpr auto N = Index::None;
constexpr auto G = PromType::Gauge;
constexpr auto C = PromType::Counter;
constexpr auto X = PromType::None;

// clang-format off
// id / scope / index / unit / reader, timeline column (rank, extra, scale), /metrics family (help,
// type, scale), column from /metrics (derive, family), /api/system/metrics path (rank), `snapshot --json`
// key, flags, Prometheus import rank. In /metrics order.
const Metric kSystem[] = {
    {"cpu_percent", S, N, "percent", SYS(s.cpuPercent), nullptr, "cpu_percent", 1, false, 1,
     "loadline_cpu_usage_percent", "CPU busy percent of all CPUs since the previous tick (psutil.cpu_percent).", G, 1,
     Derive::Gauge, "loadline_cpu_usage_percent", "cpu.percent", 0, "cpu_percent", kAlwaysColumn | kBoundedPercent, -1},
    {"cpu_percent_per_core", S, Index::Cpu, "percent", SYS(s.cpuPercentPerCore[i]), nullptr, "cpu_percent_per_core", 0, true, 1,
     "loadline_cpu_core_usage_percent", "CPU busy percent of each CPU since the previous tick.", G, 1,
     Derive::Gauge, "loadline_cpu_core_usage_percent", "cpu.per_core", 0, "cpu_per_core", kBoundedPercent | kPromHeaderAlways, -1},
    {"cpu_count_logical", S, N, "1", SYS(s.cpuCountLogical), nullptr, nullptr, 0, false, 1,
     "loadline_cpus_logical", "Online logical CPUs.", G, 1,
     Derive::None, nullptr, "cpu.count_logical", 0, "cpu_count_logical", kInteger},
    {"cpu_count_physical", S, N, "1", SYS(s.cpuCountPhysical), nullptr, nullptr, 0, false, 1,
     "loadline_cpus_physical", "Physical CPU cores.", G, 1,
     Derive::None, nullptr, "cpu.count_physical", 0, "cpu_count_physical", kInteger | kZeroIsUnknown},
    {"cpu_freq_mhz", S, N, "MHz", SYS(s.cpuFreqMhz), nullptr, "cpu_freq_mhz", 12, true, 1,
     "loadline_cpu_frequency_hertz", "Mean current CPU frequency.", G, 1e6,
     Derive::Gauge, "loadline_cpu_frequency_hertz", "cpu.frequency_mhz", 0, "cpu_freq_mhz", kNone, 8},
    {"cpu_temperature_c", S, N, "celsius", SYS(s.cpuTemperatureC), nullptr, "cpu_temperature_c", 13, true, 1,
     "loadline_cpu_temperature_celsius", "CPU temperature.", G, 1,
     Derive::Gauge, "loadline_cpu_temperature_celsius", "cpu.temperature_c", 0, "cpu_temperature_c", kNone, 9},
    {"load_avg_1m", S, N, "1", SYS(s.loadAvg1), nullptr, "load_avg_1m", 5, false, 1,
     "loadline_load1", "1-minute load average.", G, 1,
     Derive::Gauge, "loadline_load1", "cpu.load_avg[0]", 0, "load_average[0]", kAlwaysColumn, 12},
    {"load_avg_5m", S, N, "1", SYS(s.loadAvg5), nullptr, "load_avg_5m", 6, false, 1,
     "loadline_load5", "5-minute load average.", G, 1,
     Derive::Gauge, "loadline_load5", "cpu.load_avg[1]", 0, "load_average[1]", kAlwaysColumn, 13},
    {"load_avg_15m", S, N, "1", SYS(s.loadAvg15), nullptr, "load_avg_15m", 7, false, 1,
     "loadline_load15", "15-minute load average.", G, 1,
     Derive::Gauge, "loadline_load15", "cpu.load_avg[2]", 0, "load_average[2]", kAlwaysColumn, 14},

    {"memory_total", S, N, "bytes", SYS(s.memory.total), nullptr, "memory_total_mb", 8, true, kPerMiB,
     "loadline_memory_total_bytes", "Total physical memory (MemTotal).", G, 1,
     Derive::Gauge, "loadline_memory_total_bytes", "memory.total", 0, "memory_total", kNone, 4},
    {"memory_available", S, N, "bytes", SYS(s.memory.available), nullptr, "memory_available_mb", 3, false, kPerMiB,
     "loadline_memory_available_bytes", "Memory available without swapping (MemAvailable).", G, 1,
     Derive::Gauge, "loadline_memory_available_bytes", "memory.available", 0, "memory_available", kAlwaysColumn, 2},
    {"memory_used", S, N, "bytes", SYS(s.memory.used), nullptr, "memory_used_mb", 4, false, kPerMiB,
     "loadline_memory_used_bytes", "Used memory (psutil: total - free - buffers - cache).", G, 1,
     Derive::Gauge, "loadline_memory_used_bytes", "memory.used", 0, "memory_used", kAlwaysColumn, 3},
    {"memory_free", S, N, "bytes", SYS(s.memory.free), nullptr, nullptr, 0, false, 1,
     "loadline_memory_free_bytes", "Free memory (MemFree).", G, 1,
     Derive::None, nullptr, "memory.free", 0, "memory_free", kNone},
    {"memory_percent", S, N, "percent", SYS(s.memory.percent), nullptr, "memory_percent", 2, false, 1,
     "loadline_memory_used_percent", "Memory in use, percent (psutil virtual_memory().percent).", G, 1,
     Derive::Gauge, "loadline_memory_used_percent", "memory.percent", 0, "memory_percent", kAlwaysColumn | kBoundedPercent, 1},
    {"swap_total", S, N, "bytes", SYS(s.memory.swapTotal), nullptr, "swap_total_mb", 9, true, kPerMiB,
     "loadline_swap_total_bytes", "Total swap.", G, 1,
     Derive::Gauge, "loadline_swap_total_bytes", "swap.total", 0, "swap_total", kNone, 5},
    {"swap_used", S, N, "bytes", SYS(s.memory.swapUsed), nullptr, "swap_used_mb", 10, true, kPerMiB,
     "loadline_swap_used_bytes", "Used swap.", G, 1,
     Derive::Gauge, "loadline_swap_used_bytes", "swap.used", 0, "swap_used", kNone, 6},
    {"swap_free", S, N, "bytes", SYS(s.memory.swapFree), nullptr, nullptr, 0, false, 1,
     "loadline_swap_free_bytes", "Free swap.", G, 1,
     Derive::None, nullptr, "swap.free", 0, "swap_free", kNone},
    {"swap_percent", S, N, "percent", SYS(s.memory.swapPercent), nullptr, "swap_percent", 11, true, 1,
     nullptr, nullptr, X, 1,
     Derive::SwapPercent, "loadline_swap_used_bytes", "swap.percent", 0, "swap_percent", kBoundedPercent, 7},

    {"disk_read_bytes", S, N, "bytes", SYS(s.diskReadBytes), nullptr, nullptr, 0, false, 1, nullptr, nullptr, X, 1,
     Derive::None, nullptr, "disk.read_bytes", 0, "disk_read_bytes", kNone},
    {"disk_write_bytes", S, N, "bytes", SYS(s.diskWriteBytes), nullptr, nullptr, 0, false, 1, nullptr, nullptr, X, 1,
     Derive::None, nullptr, "disk.write_bytes", 0, "disk_write_bytes", kNone},
    {"disk_read_count", S, N, "1", SYS(s.diskReadCount), nullptr, nullptr, 0, false, 1, nullptr, nullptr, X, 1,
     Derive::None, nullptr, "disk.read_count", 0, "disk_read_count", kNone},
    {"disk_write_count", S, N, "1", SYS(s.diskWriteCount), nullptr, nullptr, 0, false, 1, nullptr, nullptr, X, 1,
     Derive::None, nullptr, "disk.write_count", 0, "disk_write_count", kNone},
    {"disk_read_bytes_per_s", S, N, "bytes/s", SYS(s.diskReadBytesPerS), nullptr, "disk_read_bytes_per_s", 14, true, 1,
     nullptr, nullptr, X, 1,
     Derive::SumRate, "loadline_disk_read_bytes_total", "disk.read_bytes_per_s", 0, "disk_read_bytes_per_s", kNone, 15},
    {"disk_write_bytes_per_s", S, N, "bytes/s", SYS(s.diskWriteBytesPerS), nullptr, "disk_write_bytes_per_s", 15, true, 1,
     nullptr, nullptr, X, 1,
     Derive::SumRate, "loadline_disk_written_bytes_total", "disk.write_bytes_per_s", 0, "disk_write_bytes_per_s", kNone, 16},
    {"disk_read_count_per_s", S, N, "1/s", SYS(s.diskReadCountPerS), nullptr, "disk_read_count_per_s", 16, true, 1,
     nullptr, nullptr, X, 1,
     Derive::SumRate, "loadline_disk_reads_completed_total", "disk.read_count_per_s", 0, nullptr, kNone, 17},
    {"disk_write_count_per_s", S, N, "1/s", SYS(s.diskWriteCountPerS), nullptr, "disk_write_count_per_s", 17, true, 1,
     nullptr, nullptr, X, 1,
     Derive::SumRate, "loadline_disk_writes_completed_total", "disk.write_count_per_s", 0, nullptr, kNone, 18},
    {"disk_device_read_bytes", S, Index::Disk, "bytes", SYS(s.disks[i].readBytes), nullptr, nullptr, 0, false, 1,
     "loadline_disk_read_bytes_total", "Bytes read from each disk.", C, 1,
     Derive::None, nullptr, "read_bytes", 0, "read_bytes", kPromAllSamples},
    {"disk_device_write_bytes", S, Index::Disk, "bytes", SYS(s.disks[i].writeBytes), nullptr, nullptr, 0, false, 1,
     "loadline_disk_written_bytes_total", "Bytes written to each disk.", C, 1,
     Derive::None, nullptr, "write_bytes", 0, "write_bytes", kPromAllSamples},
    {"disk_device_read_count", S, Index::Disk, "1", SYS(s.disks[i].readCount), nullptr, nullptr, 0, false, 1,
     "loadline_disk_reads_completed_total", "Reads completed on each disk.", C, 1,
     Derive::None, nullptr, "read_count", 0, "read_count", kPromAllSamples},
    {"disk_device_write_count", S, Index::Disk, "1", SYS(s.disks[i].writeCount), nullptr, nullptr, 0, false, 1,
     "loadline_disk_writes_completed_total", "Writes completed on each disk.", C, 1,
     Derive::None, nullptr, "write_count", 0, "write_count", kPromAllSamples},
    {"disk_device_read_bytes_per_s", S, Index::Disk, "bytes/s", SYS(s.disks[i].readBytesPerS), nullptr, nullptr, 0, false, 1,
     nullptr, nullptr, X, 1, Derive::None, nullptr, "read_bytes_per_s", 0, "read_bytes_per_s", kNone},
    {"disk_device_write_bytes_per_s", S, Index::Disk, "bytes/s", SYS(s.disks[i].writeBytesPerS), nullptr, nullptr, 0, false, 1,
     nullptr, nullptr, X, 1, Derive::None, nullptr, "write_bytes_per_s", 0, "write_bytes_per_s", kNone},

    {"net_bytes_sent", S, N, "bytes", SYS(s.netBytesSent), nullptr, nullptr, 0, false, 1, nullptr, nullptr, X, 1,
     Derive::None, nullptr, "network.bytes_sent", 0, "network_bytes_sent", kNone},
    {"net_bytes_recv", S, N, "bytes", SYS(s.netBytesRecv), nullptr, nullptr, 0, false, 1, nullptr, nullptr, X, 1,
     Derive::None, nullptr, "network.bytes_recv", 0, "network_bytes_recv", kNone},
    {"net_packets_sent", S, N, "1", SYS(s.netPacketsSent), nullptr, nullptr, 0, false, 1, nullptr, nullptr, X, 1,
     Derive::None, nullptr, "network.packets_sent", 0, "network_packets_sent", kNone},
    {"net_packets_recv", S, N, "1", SYS(s.netPacketsRecv), nullptr, nullptr, 0, false, 1, nullptr, nullptr, X, 1,
     Derive::None, nullptr, "network.packets_recv", 0, "network_packets_recv", kNone},
    {"net_sent_bytes_per_s", S, N, "bytes/s", SYS(s.netSentBytesPerS), nullptr, "net_sent_bytes_per_s", 18, true, 1,
     nullptr, nullptr, X, 1,
     Derive::SumRate, "loadline_network_transmit_bytes_total", "network.sent_bytes_per_s", 0, "network_sent_bytes_per_s", kNone, 19},
    {"net_recv_bytes_per_s", S, N, "bytes/s", SYS(s.netRecvBytesPerS), nullptr, "net_recv_bytes_per_s", 19, true, 1,
     nullptr, nullptr, X, 1,
     Derive::SumRate, "loadline_network_receive_bytes_total", "network.recv_bytes_per_s", 0, "network_recv_bytes_per_s", kNone, 20},
    {"net_sent_packets_per_s", S, N, "1/s", SYS(s.netSentPacketsPerS), nullptr, "net_sent_packets_per_s", 20, true, 1,
     nullptr, nullptr, X, 1,
     Derive::SumRate, "loadline_network_transmit_packets_total", nullptr, 0, nullptr, kNone, 21},
    {"net_recv_packets_per_s", S, N, "1/s", SYS(s.netRecvPacketsPerS), nullptr, "net_recv_packets_per_s", 21, true, 1,
     nullptr, nullptr, X, 1,
     Derive::SumRate, "loadline_network_receive_packets_total", nullptr, 0, nullptr, kNone, 22},
    {"net_interface_bytes_recv", S, Index::Interface, "bytes", SYS(s.interfaces[i].bytesRecv), nullptr, nullptr, 0, false, 1,
     "loadline_network_receive_bytes_total", "Bytes received on each interface.", C, 1,
     Derive::None, nullptr, "bytes_recv", 2, "bytes_recv", kPromAllSamples},
    {"net_interface_bytes_sent", S, Index::Interface, "bytes", SYS(s.interfaces[i].bytesSent), nullptr, nullptr, 0, false, 1,
     "loadline_network_transmit_bytes_total", "Bytes sent on each interface.", C, 1,
     Derive::None, nullptr, "bytes_sent", 1, "bytes_sent", kPromAllSamples},
    {"net_interface_packets_recv", S, Index::Interface, "1", SYS(s.interfaces[i].packetsRecv), nullptr, nullptr, 0, false, 1,
     "loadline_network_receive_packets_total", "Packets received on each interface.", C, 1,
     Derive::None, nullptr, "packets_recv", 4, "packets_recv", kPromAllSamples},
    {"net_interface_packets_sent", S, Index::Interface, "1", SYS(s.interfaces[i].packetsSent), nullptr, nullptr, 0, false, 1,
     "loadline_network_transmit_packets_total", "Packets sent on each interface.", C, 1,
     Derive::None, nullptr, "packets_sent", 3, "packets_sent", kPromAllSamples},
    {"net_interface_errors_in", S, Index::Interface, "1", SYS(s.interfaces[i].errorsIn), nullptr, nullptr, 0, false, 1,
     "loadline_network_receive_errs_total", "Receive errors on each interface.", C, 1,
     Derive::None, nullptr, "errors_in", 5, "errin", kPromAllSamples},
    {"net_interface_errors_out", S, Index::Interface, "1", SYS(s.interfaces[i].errorsOut), nullptr, nullptr, 0, false, 1,
     "loadline_network_transmit_errs_total", "Transmit errors on each interface.", C, 1,
     Derive::None, nullptr, "errors_out", 6, "errout", kPromAllSamples},
    {"net_interface_drops_in", S, Index::Interface, "1", SYS(s.interfaces[i].dropsIn), nullptr, nullptr, 0, false, 1,
     "loadline_network_receive_drop_total", "Received packets dropped on each interface.", C, 1,
     Derive::None, nullptr, "drops_in", 7, "dropin", kPromAllSamples},
    {"net_interface_drops_out", S, Index::Interface, "1", SYS(s.interfaces[i].dropsOut), nullptr, nullptr, 0, false, 1,
     "loadline_network_transmit_drop_total", "Sent packets dropped on each interface.", C, 1,
     Derive::None, nullptr, "drops_out", 8, "dropout", kPromAllSamples},
    {"net_interface_sent_bytes_per_s", S, Index::Interface, "bytes/s", SYS(s.interfaces[i].sentBytesPerS), nullptr, nullptr, 0, false, 1,
     nullptr, nullptr, X, 1, Derive::None, nullptr, "sent_bytes_per_s", 9, "sent_bytes_per_s", kNone},
    {"net_interface_recv_bytes_per_s", S, Index::Interface, "bytes/s", SYS(s.interfaces[i].recvBytesPerS), nullptr, nullptr, 0, false, 1,
     nullptr, nullptr, X, 1, Derive::None, nullptr, "recv_bytes_per_s", 10, "recv_bytes_per_s", kNone},

    {"boot_time", S, N, "epoch seconds", SYS(s.bootTime), nullptr, nullptr, 0, false, 1,
     "loadline_boot_time_seconds", "Boot time, seconds since the epoch.", G, 1,
     Derive::None, nullptr, "boot_time", 2, "boot_time", kNone},
    {"uptime", S, N, "seconds", SYS(s.uptime), nullptr, nullptr, 0, false, 1,
     "loadline_uptime_seconds", "Seconds since boot.", G, 1,
     Derive::None, nullptr, "uptime", 1, "uptime", kNone},

    {"gpu_utilization", S, Index::Gpu, "percent", SYS(s.gpus[i].utilizationPercent), nullptr, "gpu_utilization", 0, true, 1,
     "loadline_gpu_utilization_percent", "GPU utilisation.", G, 1,
     Derive::Gauge, "loadline_gpu_utilization_percent", "utilization_percent", 0, "utilization", kBoundedPercent, 10},
    {"gpu_memory_used", S, Index::Gpu, "bytes", SYS(s.gpus[i].memoryUsedBytes), nullptr, "gpu_memory_used_mb", 0, true, kPerMiB,
     "loadline_gpu_memory_used_bytes", "GPU memory in use.", G, 1,
     Derive::Gauge, "loadline_gpu_memory_used_bytes", "memory_used_bytes", 0, "memory_used", kNone, 11},
    {"gpu_memory_total", S, Index::Gpu, "bytes", SYS(s.gpus[i].memoryTotalBytes), nullptr, "gpu_memory_total_mb", 0, true, kPerMiB,
     "loadline_gpu_memory_total_bytes", "GPU memory.", G, 1,
     Derive::Gauge, "loadline_gpu_memory_total_bytes", "memory_total_bytes", 0, "memory_total", kNone, -1},
    {"gpu_temperature_c", S, Index::Gpu, "celsius", SYS(s.gpus[i].temperatureC), nullptr, "gpu_temperature_c", 0, true, 1,
     "loadline_gpu_temperature_celsius", "GPU temperature.", G, 1,
     Derive::Gauge, "loadline_gpu_temperature_celsius", "temperature_c", 0, "temperature", kNone, -1},
    {"gpu_memory_percent", S, Index::Gpu, "percent",
     SYS(s.gpus[i].memoryTotalBytes > 0 ? s.gpus[i].memoryUsedBytes / s.gpus[i].memoryTotalBytes * 100.0 : kMissing),
     nullptr, nullptr, 0, false, 1, nullptr, nullptr, X, 1,
     Derive::None, nullptr, nullptr, 0, "memory_percent", kNone},
};

// Process metrics. The identity columns pid, name, status and cmdline are not metrics; the
// timeline writer places them at column ranks 1, 2, 7 and 9, the /api/system/metrics writer at
// object ranks 2, 3, 8 and 10 (timestamp 1).
const Metric kProcess[] = {
    {"cpu_percent", P, N, "percent", nullptr, PROC(p.cpuPercent), "cpu_percent", 3, false, 1,
     "loadline_process_cpu_percent", "CPU use of a tracked process (100 = one core).", G, 1,
     Derive::Gauge, "loadline_process_cpu_percent", "cpu_percent", 4, nullptr, kAlwaysColumn, 1},
    {"memory_rss_mb", P, N, "MiB", nullptr, PROC(p.memoryRssMb), "memory_rss_mb", 4, false, 1,
     "loadline_process_resident_memory_bytes", "Resident set size of a tracked process.", G, kMiB,
     Derive::Gauge, "loadline_process_resident_memory_bytes", "memory_rss_mb", 5, nullptr, kAlwaysColumn, 2},
    {"memory_vms_mb", P, N, "MiB", nullptr, PROC(p.memoryVmsMb), "memory_vms_mb", 5, false, 1,
     "loadline_process_virtual_memory_bytes", "Virtual memory size of a tracked process.", G, kMiB,
     Derive::Gauge, "loadline_process_virtual_memory_bytes", "memory_vms_mb", 6, nullptr, kAlwaysColumn, 3},
    {"num_threads", P, N, "1", nullptr, PROC(p.numThreads), "num_threads", 6, false, 1,
     "loadline_process_num_threads", "Threads of a tracked process.", G, 1,
     Derive::Gauge, "loadline_process_num_threads", "num_threads", 7, nullptr, kAlwaysColumn | kImportLast, 4},
    {"num_fds", P, N, "1", nullptr, PROC(p.numFds), "num_fds", 14, true, 1,
     "loadline_process_open_filedesc", "Open file descriptors of a tracked process.", G, 1,
     Derive::Gauge, "loadline_process_open_filedesc", "num_fds", 13, nullptr, kImportLast, 5},
    {"io_read_bytes", P, N, "bytes", nullptr, PROC(p.ioReadBytes), "io_read_bytes", 10, true, 1,
     "loadline_process_read_bytes_total", "Bytes a tracked process read from storage.", C, 1,
     Derive::Gauge, "loadline_process_read_bytes_total", "io_read_bytes", 11, nullptr, kImportLast, 7},
    {"io_write_bytes", P, N, "bytes", nullptr, PROC(p.ioWriteBytes), "io_write_bytes", 11, true, 1,
     "loadline_process_write_bytes_total", "Bytes a tracked process wrote to storage.", C, 1,
     Derive::Gauge, "loadline_process_write_bytes_total", "io_write_bytes", 12, nullptr, kImportLast, 8},
    {"create_time", P, N, "epoch seconds", nullptr, PROC(p.createTime), "create_time", 8, false, 1,
     "loadline_process_start_time_seconds", "Start time of a tracked process, seconds since the epoch.", G, 1,
     Derive::Gauge, "loadline_process_start_time_seconds", "create_time", 9, nullptr, kAlwaysColumn | kImportLast, 6},
    {"io_read_bytes_per_s", P, N, "bytes/s", nullptr, PROC(p.ioReadBytesPerS), "io_read_bytes_per_s", 12, true, 1,
     nullptr, nullptr, X, 1, Derive::Rate, "loadline_process_read_bytes_total", nullptr, 0, nullptr, kNone, 9},
    {"io_write_bytes_per_s", P, N, "bytes/s", nullptr, PROC(p.ioWriteBytesPerS), "io_write_bytes_per_s", 13, true, 1,
     nullptr, nullptr, X, 1, Derive::Rate, "loadline_process_write_bytes_total", nullptr, 0, nullptr, kNone, 10},
    // psutil's Process.memory_percent(): in some py-perf files; loadline does not collect it.
    {"memory_percent", P, N, "percent", nullptr, nullptr, "memory_percent", 0, false, 1,
     nullptr, nullptr, X, 1, Derive::None, nullptr, nullptr, 0, nullptr, kBoundedPercent},
};
// clang-format on

#undef SYS
#undef PROC

}  // namespace

std::span<const Metric> systemMetrics() { return kSystem; }
std::span<const Metric> processMetrics() { return kProcess; }
std::span<const Metric> allMetrics(Scope scope) { return scope == Scope::System ? systemMetrics() : processMetrics(); }

std::size_t indexCount(Index index, const SystemSample& s) {
    switch (index) {
    case Index::None: return 1;
    case Index::Cpu: return s.cpuPercentPerCore.size();
    case Index::Disk: return s.disks.size();
    case Index::Interface: return s.interfaces.size();
    case Index::Gpu: return s.gpus.size();
    }
    return 0;
}

const Metric* findByColumn(std::string_view column, Scope scope) {
    for (const Metric& m : allMetrics(scope))
        if (m.column && column == m.column) return &m;
    return nullptr;
}

const Metric* findByFamily(std::string_view family) {
    for (Scope scope : {Scope::System, Scope::Process})
        for (const Metric& m : allMetrics(scope))
            if (m.family && family == m.family) return &m;
    return nullptr;
}

void columnOrder(std::span<const Metric> table, const Metric** out, std::size_t* count, std::size_t capacity) {
    std::size_t n = 0;
    for (const Metric& m : table)
        if (m.column && n < capacity) out[n++] = &m;
    // Ranked columns first by rank, then the unranked ones in table order.
    std::stable_sort(out, out + n, [](const Metric* a, const Metric* b) {
        const int ra = a->columnRank > 0 ? a->columnRank : 1 << 20;
        const int rb = b->columnRank > 0 ? b->columnRank : 1 << 20;
        return ra < rb;
    });
    *count = n;
}

}  // namespace loadline::core::metrics
