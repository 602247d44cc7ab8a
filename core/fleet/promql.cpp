#include "core/fleet/promql.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "core/collect/metrics.h"

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
                      {"node_disk_read_bytes_total", "node_disk_written_bytes_total", "node_disk_reads_completed_total",
                       "node_disk_writes_completed_total"},
                      {"node_network_transmit_bytes_total", "node_network_receive_bytes_total",
                       "node_network_transmit_packets_total", "node_network_receive_packets_total"},
                      {"node_load1", "node_load5", "node_load15"}};

}  // namespace

const char* nodeSourceName(NodeSource source) { return source == NodeSource::Loadline ? "loadline" : "node_exporter"; }

const char* sourceMarkerMetric(NodeSource source) { return source == NodeSource::Loadline ? kLoadline.cpu : kNode.cpu; }

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

namespace {

// A column's divisor in PromQL: whole numbers in full (1048576), powers of ten from 10^6 up in
// exponent form (1e6).
std::string divisorText(double d) {
    for (int e = 6; e <= 15; ++e)
        if (d == std::pow(10.0, e)) return "1e" + std::to_string(e);
    return std::to_string(static_cast<long long>(d));
}

// Registry metrics a Prometheus import reads from a loadline agent, in query order.
std::vector<const metrics::Metric*> importOrder(std::span<const metrics::Metric> table) {
    std::vector<const metrics::Metric*> out;
    for (const auto& m : table)
        if (m.column && m.derive != metrics::Derive::None && m.fromFamily && m.importRank >= 0) out.push_back(&m);
    std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
        return (a->importRank > 0 ? a->importRank : 1 << 20) < (b->importRank > 0 ? b->importRank : 1 << 20);
    });
    return out;
}

std::string scaled(std::string e, const metrics::Metric& m) {
    const double d = m.promScale / m.columnScale;
    return d == 1 ? e : e + " / " + divisorText(d);
}

}  // namespace

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
    q.push_back(
        {"cpu_percent_per_core", "100 * (1 - sum by (cpu) (" + idle + ") / sum by (cpu) (" + all + "))", "cpu"});

    if (source == NodeSource::Loadline) {
        // Every other column from the metric registry (core/collect/metrics.h): the family the
        // agent writes it as, and how the column follows from it.
        for (const metrics::Metric* m : importOrder(metrics::systemMetrics())) {
            const char* fn = m->has(metrics::kImportLast) ? "last_over_time" : "avg_over_time";
            std::string e;
            switch (m->derive) {
            case metrics::Derive::Gauge: e = scaled(rangeFn(fn, sel(m->fromFamily, instance), w.gauge), *m); break;
            case metrics::Derive::Rate: e = rangeFn("rate", sel(m->fromFamily, instance), w.rate); break;
            case metrics::Derive::SumRate: e = sumRate(m->fromFamily); break;
            case metrics::Derive::SwapPercent:
                e = "100 * " + gauge(m->fromFamily) + " / " +
                    gauge(metrics::findByColumn("swap_total_mb", metrics::Scope::System)->family);
                break;
            case metrics::Derive::None: continue;
            }
            const char* split = m->index == metrics::Index::Gpu ? "gpu" : "";
            q.push_back({m->column, std::move(e), split});
        }
        return q;
    }
    // node_exporter's own families (not loadline's schema): psutil's virtual_memory(): percent =
    // (total - available) / total, used = total - free - buffers - cached - SReclaimable
    // (node_exporter exports /proc/meminfo as node_memory_<Key>_bytes).
    const std::string total = gauge("node_memory_MemTotal_bytes");
    q.push_back({"memory_percent", "100 * (1 - " + gauge("node_memory_MemAvailable_bytes") + " / " + total + ")", {}});
    q.push_back({"memory_available_mb", gauge("node_memory_MemAvailable_bytes") + " / " + kMiB, {}});
    q.push_back({"memory_used_mb",
                 "(" + total + " - " + gauge("node_memory_MemFree_bytes") + " - " + gauge("node_memory_Buffers_bytes") +
                     " - " + gauge("node_memory_Cached_bytes") + " - " + gauge("node_memory_SReclaimable_bytes") +
                     ") / " + kMiB,
                 {}});
    q.push_back({"memory_total_mb", total + " / " + kMiB, {}});
    const std::string swapTotal = gauge("node_memory_SwapTotal_bytes");
    const std::string swapUsed = "(" + swapTotal + " - " + gauge("node_memory_SwapFree_bytes") + ")";
    q.push_back({"swap_total_mb", swapTotal + " / " + kMiB, {}});
    q.push_back({"swap_used_mb", swapUsed + " / " + kMiB, {}});
    q.push_back({"swap_percent", "100 * " + swapUsed + " / " + swapTotal, {}});
    q.push_back(
        {"cpu_freq_mhz",
         "avg(" + rangeFn("avg_over_time", sel("node_cpu_scaling_frequency_hertz", instance), w.gauge) + ") / 1e6",
         {}});
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
    // Every process column from the metric registry (core/collect/metrics.h).
    std::vector<ColumnQuery> q;
    for (const metrics::Metric* m : importOrder(metrics::processMetrics())) {
        if (m->derive == metrics::Derive::Rate) {
            q.push_back({m->column, over("rate", m->fromFamily, w.rate), {}});
        } else if (m->derive == metrics::Derive::Gauge) {
            const char* fn = m->has(metrics::kImportLast) ? "last_over_time" : "avg_over_time";
            q.push_back({m->column, scaled(over(fn, m->fromFamily, w.gauge), *m), {}});
        }
    }
    return q;
}

}  // namespace loadline::core::fleet
