#include "core/fleet/promql.h"

#include <algorithm>
#include <cmath>

namespace loadline::core::fleet {

namespace {

constexpr const char* kMiB = "1048576";

// metric{instance="X"[,extra]}
std::string sel(std::string_view metric, std::string_view instance, std::string_view extra = {}) {
    std::string s(metric);
    s += "{instance=\"";
    s += escapePromqlString(instance);
    s += '"';
    if (!extra.empty()) {
        s += ',';
        s += extra;
    }
    s += '}';
    return s;
}

std::string rangeFn(const char* fn, const std::string& selector, double window) {
    return std::string(fn) + "(" + selector + "[" + promqlDuration(window) + "])";
}

struct Names {
    const char* cpu;
    const char* disk[4];  // read bytes, written bytes, reads, writes
    const char* net[4];   // transmit bytes, receive bytes, transmit packets, receive packets
    const char* load[3];
};

constexpr Names kLoadline{"loadline_cpu_seconds_total",
                          {"loadline_disk_read_bytes_total", "loadline_disk_written_bytes_total",
                           "loadline_disk_reads_completed_total", "loadline_disk_writes_completed_total"},
                          {"loadline_network_transmit_bytes_total", "loadline_network_receive_bytes_total",
                           "loadline_network_transmit_packets_total", "loadline_network_receive_packets_total"},
                          {"loadline_load1", "loadline_load5", "loadline_load15"}};
constexpr Names kNode{"node_cpu_seconds_total",
                      {"node_disk_read_bytes_total", "node_disk_written_bytes_total",
                       "node_disk_reads_completed_total", "node_disk_writes_completed_total"},
                      {"node_network_transmit_bytes_total", "node_network_receive_bytes_total",
                       "node_network_transmit_packets_total", "node_network_receive_packets_total"},
                      {"node_load1", "node_load5", "node_load15"}};

}  // namespace

const char* nodeSourceName(NodeSource source) {
    return source == NodeSource::Loadline ? "loadline" : "node_exporter";
}

const char* sourceMarkerMetric(NodeSource source) {
    return source == NodeSource::Loadline ? kLoadline.cpu : kNode.cpu;
}

QueryWindows QueryWindows::forStep(double step, double scrapeInterval) {
    QueryWindows w;
    w.rate = std::max(step + scrapeInterval, 4 * scrapeInterval);
    w.gauge = std::max(step, 2 * scrapeInterval);
    return w;
}

std::string escapePromqlString(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string promqlDuration(double seconds) {
    long long ms = static_cast<long long>(std::ceil(seconds * 1000 - 1e-6));
    if (ms < 1) ms = 1;
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
    return std::to_string(ms) + "ms";
}

std::vector<ColumnQuery> systemQueries(NodeSource source, std::string_view instance, const QueryWindows& w) {
    const Names& n = source == NodeSource::Loadline ? kLoadline : kNode;
    std::vector<ColumnQuery> q;
    auto gauge = [&](std::string_view metric) { return rangeFn("avg_over_time", sel(metric, instance), w.gauge); };
    auto sumRate = [&](std::string_view metric) {
        return "sum(" + rangeFn("rate", sel(metric, instance), w.rate) + ")";
    };

    // psutil's cpu_percent: busy = total - idle - iowait (guest time is inside user on Linux and
    // in neither exporter's mode list).
    const std::string idle = rangeFn("rate", sel(n.cpu, instance, "mode=~\"idle|iowait\""), w.rate);
    const std::string all = rangeFn("rate", sel(n.cpu, instance), w.rate);
    q.push_back({"cpu_percent", "100 * (1 - sum(" + idle + ") / sum(" + all + "))", {}});
    q.push_back({"cpu_percent_per_core", "100 * (1 - sum by (cpu) (" + idle + ") / sum by (cpu) (" + all + "))",
                 "cpu"});

    if (source == NodeSource::Loadline) {
        q.push_back({"memory_percent", gauge("loadline_memory_used_percent"), {}});
        q.push_back({"memory_available_mb", gauge("loadline_memory_available_bytes") + " / " + kMiB, {}});
        q.push_back({"memory_used_mb", gauge("loadline_memory_used_bytes") + " / " + kMiB, {}});
        q.push_back({"memory_total_mb", gauge("loadline_memory_total_bytes") + " / " + kMiB, {}});
        q.push_back({"swap_total_mb", gauge("loadline_swap_total_bytes") + " / " + kMiB, {}});
        q.push_back({"swap_used_mb", gauge("loadline_swap_used_bytes") + " / " + kMiB, {}});
        q.push_back({"swap_percent",
                     "100 * " + gauge("loadline_swap_used_bytes") + " / " + gauge("loadline_swap_total_bytes"), {}});
        q.push_back({"cpu_freq_mhz", gauge("loadline_cpu_frequency_hertz") + " / 1e6", {}});
        q.push_back({"cpu_temperature_c", gauge("loadline_cpu_temperature_celsius"), {}});
        q.push_back({"gpu_utilization", gauge("loadline_gpu_utilization_percent"), "gpu"});
        q.push_back({"gpu_memory_used_mb", gauge("loadline_gpu_memory_used_bytes") + " / " + kMiB, "gpu"});
    } else {
        // psutil's virtual_memory(): percent = (total - available) / total, used = total - free -
        // buffers - cached - SReclaimable (node_exporter exports /proc/meminfo as node_memory_<Key>_bytes).
        const std::string total = gauge("node_memory_MemTotal_bytes");
        q.push_back({"memory_percent", "100 * (1 - " + gauge("node_memory_MemAvailable_bytes") + " / " + total + ")", {}});
        q.push_back({"memory_available_mb", gauge("node_memory_MemAvailable_bytes") + " / " + kMiB, {}});
        q.push_back({"memory_used_mb",
                     "(" + total + " - " + gauge("node_memory_MemFree_bytes") + " - " +
                         gauge("node_memory_Buffers_bytes") + " - " + gauge("node_memory_Cached_bytes") + " - " +
                         gauge("node_memory_SReclaimable_bytes") + ") / " + kMiB,
                     {}});
        q.push_back({"memory_total_mb", total + " / " + kMiB, {}});
        const std::string swapTotal = gauge("node_memory_SwapTotal_bytes");
        const std::string swapUsed = "(" + swapTotal + " - " + gauge("node_memory_SwapFree_bytes") + ")";
        q.push_back({"swap_total_mb", swapTotal + " / " + kMiB, {}});
        q.push_back({"swap_used_mb", swapUsed + " / " + kMiB, {}});
        q.push_back({"swap_percent", "100 * " + swapUsed + " / " + swapTotal, {}});
        q.push_back({"cpu_freq_mhz",
                     "avg(" + rangeFn("avg_over_time", sel("node_cpu_scaling_frequency_hertz", instance), w.gauge) +
                         ") / 1e6",
                     {}});
    }
    q.push_back({"load_avg_1m", gauge(n.load[0]), {}});
    q.push_back({"load_avg_5m", gauge(n.load[1]), {}});
    q.push_back({"load_avg_15m", gauge(n.load[2]), {}});
    q.push_back({"disk_read_bytes_per_s", sumRate(n.disk[0]), {}});
    q.push_back({"disk_write_bytes_per_s", sumRate(n.disk[1]), {}});
    q.push_back({"disk_read_count_per_s", sumRate(n.disk[2]), {}});
    q.push_back({"disk_write_count_per_s", sumRate(n.disk[3]), {}});
    q.push_back({"net_sent_bytes_per_s", sumRate(n.net[0]), {}});
    q.push_back({"net_recv_bytes_per_s", sumRate(n.net[1]), {}});
    q.push_back({"net_sent_packets_per_s", sumRate(n.net[2]), {}});
    q.push_back({"net_recv_packets_per_s", sumRate(n.net[3]), {}});
    return q;
}

std::vector<ColumnQuery> processQueries(std::string_view instance, const ProcessFilter& filter, const QueryWindows& w) {
    // One selector per filter, joined by `or` (a PID and a name pattern may pick the same series;
    // `or` keeps it once).
    std::vector<std::string> matchers;
    for (int pid : filter.pids) matchers.push_back("pid=\"" + std::to_string(pid) + "\"");
    for (const auto& re : filter.namePatterns) matchers.push_back("name=~\"" + escapePromqlString(re) + "\"");
    if (matchers.empty()) matchers.emplace_back();
    auto over = [&](const char* fn, std::string_view metric, double window) {
        std::string e;
        for (const auto& m : matchers) {
            if (!e.empty()) e += " or ";
            e += rangeFn(fn, sel(metric, instance, m), window);
        }
        return matchers.size() > 1 ? "(" + e + ")" : e;
    };
    std::vector<ColumnQuery> q;
    q.push_back({"cpu_percent", over("avg_over_time", "loadline_process_cpu_percent", w.gauge), {}});
    q.push_back({"memory_rss_mb",
                 over("avg_over_time", "loadline_process_resident_memory_bytes", w.gauge) + " / " + kMiB, {}});
    q.push_back({"memory_vms_mb",
                 over("avg_over_time", "loadline_process_virtual_memory_bytes", w.gauge) + " / " + kMiB, {}});
    q.push_back({"num_threads", over("last_over_time", "loadline_process_num_threads", w.gauge), {}});
    q.push_back({"num_fds", over("last_over_time", "loadline_process_open_filedesc", w.gauge), {}});
    q.push_back({"create_time", over("last_over_time", "loadline_process_start_time_seconds", w.gauge), {}});
    q.push_back({"io_read_bytes", over("last_over_time", "loadline_process_read_bytes_total", w.gauge), {}});
    q.push_back({"io_write_bytes", over("last_over_time", "loadline_process_write_bytes_total", w.gauge), {}});
    q.push_back({"io_read_bytes_per_s", over("rate", "loadline_process_read_bytes_total", w.rate), {}});
    q.push_back({"io_write_bytes_per_s", over("rate", "loadline_process_write_bytes_total", w.rate), {}});
    return q;
}

}  // namespace loadline::core::fleet
