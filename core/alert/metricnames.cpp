#include "core/alert/metricnames.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/collect/metrics.h"
#include "core/timeline/columns.h"
#include "core/timeline/timeline.h"

namespace loadline::core::alert {

namespace {

using metrics::Metric;

metrics::Scope registryScope(MetricScope scope) {
    return scope == MetricScope::System ? metrics::Scope::System : metrics::Scope::Process;
}

// The divisor that turns the /metrics family's unit into the column's (bytes → MiB: 1048576).
double columnDivisor(const Metric& m) { return m.promScale / m.columnScale; }

// The label that carries i of an indexed column "name[i]" in /metrics.
const char* indexLabel(metrics::Index index) {
    return index == metrics::Index::Cpu ? "cpu" : index == metrics::Index::Gpu ? "gpu" : nullptr;
}

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
    const Metric* m = metrics::findByColumn(name, registryScope(scope));
    return m && m->index == metrics::Index::None ? m : nullptr;
}

const Metric* findIndexed(std::string_view name, std::string_view* index = nullptr) {
    auto parts = splitIndexed(name);
    if (!parts) return nullptr;
    const Metric* m = metrics::findByColumn(parts->first, metrics::Scope::System);
    if (!m || !indexLabel(m->index)) return nullptr;
    if (index) *index = parts->second;
    return m;
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
    const Metric* ordered[128];
    std::size_t n = 0;
    metrics::columnOrder(metrics::systemMetrics(), ordered, &n, std::size(ordered));
    for (std::size_t i = 0; i < n; ++i)
        if (ordered[i]->index == metrics::Index::None) out.emplace_back(ordered[i]->column);
    for (std::size_t i = 0; i < n; ++i)
        if (indexLabel(ordered[i]->index)) out.push_back(std::string(ordered[i]->column) + "[i]");
    return out;
}

std::vector<std::string> knownProcessMetrics() {
    std::vector<std::string> out;
    for (const auto& m : metrics::processMetrics())
        if (m.column && !isBookkeeping(m.column)) out.emplace_back(m.column);
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
        if (scope == MetricScope::System) addColumns(timeline->system);
        else
            for (const auto& [pid, series] : timeline->processes) addColumns(series.samples);
    }
    return {names.begin(), names.end()};
}

bool isBoundedPercent(std::string_view name, MetricScope scope) {
    const Metric* m = scope == MetricScope::System ? findIndexed(name) : nullptr;
    if (!m) m = findMetric(name, scope);
    return m && m->has(metrics::kBoundedPercent);
}

std::optional<std::string> prometheusExpression(std::string_view name, MetricScope scope,
                                                const PromSelector& selector) {
    std::string_view index;
    if (scope == MetricScope::System) {
        if (const Metric* m = findIndexed(name, &index)) {
            if (m->derive != metrics::Derive::Gauge) return std::nullopt;
            std::string e = std::string(m->fromFamily) + "{" + indexLabel(m->index) + "=" + promString(index) + "}";
            const double scale = columnDivisor(*m);
            return scale == 1 ? e : e + " / " + scaleText(scale);
        }
    }
    const Metric* m = findMetric(name, scope);
    if (!m || m->derive == metrics::Derive::None || !m->fromFamily) return std::nullopt;
    std::string series = m->fromFamily;
    if (scope == MetricScope::Process && !selector.label.empty())
        series += "{" + selector.label + "=" + promString(selector.value) + "}";
    std::string e;
    switch (m->derive) {
    case metrics::Derive::None:
    case metrics::Derive::Gauge: e = series; break;
    case metrics::Derive::Rate: e = "rate(" + series + "[1m])"; break;
    case metrics::Derive::SumRate: e = "sum without (device) (rate(" + series + "[1m]))"; break;
    case metrics::Derive::SwapPercent: e = "100 * loadline_swap_used_bytes / loadline_swap_total_bytes"; break;
    }
    const double scale = columnDivisor(*m);
    return scale == 1 ? e : e + " / " + scaleText(scale);
}

}  // namespace loadline::core::alert
