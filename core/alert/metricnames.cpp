#include "core/alert/metricnames.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/sampler/timelinewriter.h"
#include "core/timeline/columns.h"
#include "core/timeline/timeline.h"

namespace loadline::core::alert {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// How a timeline column maps onto loadline's /metrics: family, and how to reach the column's
// unit (divide by scale; rate() for a per-second column over a counter; sum over devices).
enum class PromKind { Gauge, Rate, SumRate, SwapPercent };
struct Metric {
    const char* name;
    const char* family;  // nullptr: /metrics has none
    PromKind kind = PromKind::Gauge;
    double scale = 1;
};

const Metric kSystem[] = {
    {col::kCpuPercent, "loadline_cpu_usage_percent"},
    {col::kMemoryPercent, "loadline_memory_used_percent"},
    {col::kMemoryAvailableMb, "loadline_memory_available_bytes", PromKind::Gauge, kMiB},
    {col::kMemoryUsedMb, "loadline_memory_used_bytes", PromKind::Gauge, kMiB},
    {col::kLoadAvg1m, "loadline_load1"},
    {col::kLoadAvg5m, "loadline_load5"},
    {col::kLoadAvg15m, "loadline_load15"},
    {col::kMemoryTotalMb, "loadline_memory_total_bytes", PromKind::Gauge, kMiB},
    {col::kSwapTotalMb, "loadline_swap_total_bytes", PromKind::Gauge, kMiB},
    {col::kSwapUsedMb, "loadline_swap_used_bytes", PromKind::Gauge, kMiB},
    {col::kSwapPercent, "loadline_swap_used_bytes", PromKind::SwapPercent},
    {col::kCpuFreqMhz, "loadline_cpu_frequency_hertz", PromKind::Gauge, 1e6},
    {col::kCpuTemperatureC, "loadline_cpu_temperature_celsius"},
    {col::kDiskReadBytesPerS, "loadline_disk_read_bytes_total", PromKind::SumRate},
    {col::kDiskWriteBytesPerS, "loadline_disk_written_bytes_total", PromKind::SumRate},
    {col::kDiskReadCountPerS, "loadline_disk_reads_completed_total", PromKind::SumRate},
    {col::kDiskWriteCountPerS, "loadline_disk_writes_completed_total", PromKind::SumRate},
    {col::kNetSentBytesPerS, "loadline_network_transmit_bytes_total", PromKind::SumRate},
    {col::kNetRecvBytesPerS, "loadline_network_receive_bytes_total", PromKind::SumRate},
    {col::kNetSentPacketsPerS, "loadline_network_transmit_packets_total", PromKind::SumRate},
    {col::kNetRecvPacketsPerS, "loadline_network_receive_packets_total", PromKind::SumRate},
};

// Indexed families "name[i]": the label that carries i in /metrics.
struct Indexed {
    const char* name;
    const char* family;
    const char* label;
    double scale = 1;
};
const Indexed kIndexed[] = {
    {col::kCpuPercentPerCore, "loadline_cpu_core_usage_percent", "cpu"},
    {col::kGpuUtilization, "loadline_gpu_utilization_percent", "gpu"},
    {col::kGpuMemoryUsedMb, "loadline_gpu_memory_used_bytes", "gpu", kMiB},
    {col::kGpuMemoryTotalMb, "loadline_gpu_memory_total_bytes", "gpu", kMiB},
    {col::kGpuTemperatureC, "loadline_gpu_temperature_celsius", "gpu"},
};

const Metric kProcess[] = {
    {col::kCpuPercent, "loadline_process_cpu_percent"},
    {col::kMemoryRssMb, "loadline_process_resident_memory_bytes", PromKind::Gauge, kMiB},
    {col::kMemoryVmsMb, "loadline_process_virtual_memory_bytes", PromKind::Gauge, kMiB},
    {col::kNumThreads, "loadline_process_num_threads"},
    {col::kNumFds, "loadline_process_open_filedesc"},
    {col::kIoReadBytes, "loadline_process_read_bytes_total"},
    {col::kIoWriteBytes, "loadline_process_write_bytes_total"},
    {col::kIoReadBytesPerS, "loadline_process_read_bytes_total", PromKind::Rate},
    {col::kIoWriteBytesPerS, "loadline_process_write_bytes_total", PromKind::Rate},
    {"memory_percent", nullptr},  // psutil's Process.memory_percent(), in some py-perf files
};

// Columns that are numbers but not metrics to alert on.
bool isBookkeeping(std::string_view name) {
    return name == col::kTimestamp || name == col::kPid || name == col::kCreateTime;
}

/** "family[N]" split into family and N; nullopt when name is not of that form. */
std::optional<std::pair<std::string_view, std::string_view>> splitIndexed(std::string_view name) {
    const auto open = name.find('[');
    if (open == std::string_view::npos || open == 0 || name.back() != ']' || open + 2 > name.size() - 1)
        return std::nullopt;
    std::string_view digits = name.substr(open + 1, name.size() - open - 2);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    return std::make_pair(name.substr(0, open), digits);
}

const Metric* findMetric(std::string_view name, MetricScope scope) {
    if (scope == MetricScope::System) {
        for (const auto& m : kSystem)
            if (name == m.name) return &m;
    } else {
        for (const auto& m : kProcess)
            if (name == m.name) return &m;
    }
    return nullptr;
}

const Indexed* findIndexed(std::string_view name, std::string_view* index = nullptr) {
    auto parts = splitIndexed(name);
    if (!parts) return nullptr;
    for (const auto& m : kIndexed)
        if (parts->first == m.name) {
            if (index) *index = parts->second;
            return &m;
        }
    return nullptr;
}

bool numericColumn(const SeriesTable& t, std::string_view name) {
    const int c = t.columnIndex(name);
    return c >= 0 && !t.isTextColumn(c) && !isBookkeeping(name);
}

std::string promString(std::string_view v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string scaleText(double scale) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, scale);
    return std::string(buf, r.ptr);
}

}  // namespace

std::vector<std::string> knownSystemMetrics() {
    std::vector<std::string> out;
    for (const auto& m : kSystem) out.emplace_back(m.name);
    for (const auto& m : kIndexed) out.push_back(std::string(m.name) + "[i]");
    return out;
}

std::vector<std::string> knownProcessMetrics() {
    std::vector<std::string> out;
    for (const auto& m : kProcess) out.emplace_back(m.name);
    return out;
}

bool isMetric(std::string_view name, MetricScope scope, const Timeline* timeline) {
    if (name.empty() || isBookkeeping(name)) return false;
    if (findMetric(name, scope)) return true;
    if (scope == MetricScope::System && findIndexed(name)) return true;
    if (!timeline) return false;
    if (scope == MetricScope::System) return numericColumn(timeline->system, name);
    for (const auto& [pid, series] : timeline->processes)
        if (numericColumn(series.samples, name)) return true;
    return false;
}

std::vector<std::string> metricNames(MetricScope scope, const Timeline* timeline) {
    std::set<std::string> names;
    for (auto& n : scope == MetricScope::System ? knownSystemMetrics() : knownProcessMetrics()) names.insert(n);
    auto addColumns = [&](const SeriesTable& t) {
        for (int c = 0; c < t.columnCount(); ++c)
            if (!t.isTextColumn(c) && !isBookkeeping(t.columnName(c))) names.insert(t.columnName(c));
    };
    if (timeline) {
        if (scope == MetricScope::System)
            addColumns(timeline->system);
        else
            for (const auto& [pid, series] : timeline->processes) addColumns(series.samples);
    }
    return {names.begin(), names.end()};
}

bool isBoundedPercent(std::string_view name, MetricScope scope) {
    if (scope == MetricScope::Process) return name == "memory_percent";
    if (const Indexed* m = findIndexed(name))
        return std::string_view(m->name) == col::kCpuPercentPerCore || std::string_view(m->name) == col::kGpuUtilization;
    return name == col::kCpuPercent || name == col::kMemoryPercent || name == col::kSwapPercent;
}

std::optional<std::string> prometheusExpression(std::string_view name, MetricScope scope, const PromSelector& selector) {
    std::string_view index;
    if (scope == MetricScope::System) {
        if (const Indexed* m = findIndexed(name, &index)) {
            std::string e = std::string(m->family) + "{" + m->label + "=" + promString(index) + "}";
            return m->scale == 1 ? e : e + " / " + scaleText(m->scale);
        }
    }
    const Metric* m = findMetric(name, scope);
    if (!m || !m->family) return std::nullopt;
    std::string series = m->family;
    if (scope == MetricScope::Process && !selector.label.empty())
        series += "{" + selector.label + "=" + promString(selector.value) + "}";
    std::string e;
    switch (m->kind) {
    case PromKind::Gauge: e = series; break;
    case PromKind::Rate: e = "rate(" + series + "[1m])"; break;
    case PromKind::SumRate: e = "sum without (device) (rate(" + series + "[1m]))"; break;
    case PromKind::SwapPercent: e = "100 * loadline_swap_used_bytes / loadline_swap_total_bytes"; break;
    }
    return m->scale == 1 ? e : e + " / " + scaleText(m->scale);
}

}  // namespace loadline::core::alert
