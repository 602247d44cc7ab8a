#include "core/export/chrometrace.h"

#include <cmath>

#include "core/correlate/moment.h"

namespace loadline::core {

namespace {

using nlohmann::json;

double micros(double seconds) { return seconds * 1e6; }

json metadataEvent(const char* what, int pid, int tid, const std::string& name) {
    json e = {{"ph", "M"}, {"name", what}, {"pid", pid}, {"args", {{"name", name}}}};
    if (tid >= 0) e["tid"] = tid;
    return e;
}

// One "C" event per sample with a value in the column; NaN samples are skipped (JSON has no NaN).
void addCounter(json& events, const SeriesTable& table, const char* column, int pid, const std::string& name) {
    const int c = table.columnIndex(column);
    if (c < 0) return;
    for (std::size_t r = 0; r < table.size(); ++r) {
        const double v = table.value(c, r);
        if (isMissing(v)) continue;
        events.push_back(
            {{"ph", "C"}, {"name", name}, {"pid", pid}, {"ts", micros(table.timestamp(r))}, {"args", {{column, v}}}});
    }
}

json numberOrNull(double v) { return std::isnan(v) ? json(nullptr) : json(v); }

}  // namespace

json chromeTraceJson(const Recording& recording, const Correlation& correlation) {
    json events = json::array();
    const auto& tl = recording.timeline;

    events.push_back(metadataEvent("process_name", kTraceSystemPid, -1, "System"));
    events.push_back(
        {{"ph", "M"}, {"name", "process_sort_index"}, {"pid", kTraceSystemPid}, {"args", {{"sort_index", -1}}}});
    addCounter(events, tl.system, col::kCpuPercent, kTraceSystemPid, "System CPU %");
    addCounter(events, tl.system, col::kMemoryPercent, kTraceSystemPid, "System memory %");

    for (const auto& [pid, series] : tl.processes) {
        std::string name(series.latestText(col::kName));
        events.push_back(metadataEvent("process_name", pid, -1, name.empty() ? "pid " + std::to_string(pid) : name));
        addCounter(events, series.samples, col::kCpuPercent, pid, "CPU %");
        addCounter(events, series.samples, col::kMemoryRssMb, pid, "RSS MB");
    }

    int lanes = 0;
    const auto lane = assignLanes(correlation.calls, &lanes);
    for (int l = 0; l < lanes; ++l)
        events.push_back(metadataEvent("thread_name", kTraceSystemPid, 1 + l,
                                       l == 0 ? std::string("calls") : "calls (depth " + std::to_string(l) + ")"));
    for (std::size_t i = 0; i < correlation.calls.size(); ++i) {
        const auto& call = correlation.calls[i];
        events.push_back({{"ph", "X"},
                          {"name", correlation.functions[call.functionIndex].name},
                          {"cat", "function"},
                          {"pid", kTraceSystemPid},
                          {"tid", 1 + lane[i]},
                          {"ts", micros(call.start)},
                          {"dur", micros(call.end - call.start)},
                          {"args",
                           {{"wall_time_s", call.wallTime},
                            {"cpu_time_s", call.cpuTime},
                            {"system_cpu_percent", numberOrNull(call.systemCpuPercent)},
                            {"system_memory_percent", numberOrNull(call.systemMemoryPercent)},
                            {"samples_in_window", call.samplesInside},
                            {"verdict", std::string(verdictName(call.verdict))}}}});
    }

    json other = {{"generator", "loadline " LOADLINE_VERSION}};
    if (!recording.sessionId.empty()) other["session_id"] = recording.sessionId;
    if (tl.metadata.platform) other["platform"] = *tl.metadata.platform;
    return {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}, {"otherData", std::move(other)}};
}

}  // namespace loadline::core
