#include "core/compare/comparetext.h"

#include <cmath>

#include "core/export/csvexport.h"

namespace loadline::core {

const char* statusName(FunctionComparison::Status s) {
    switch (s) {
    case FunctionComparison::Status::Both: return "both";
    case FunctionComparison::Status::Added: return "added";
    case FunctionComparison::Status::Removed: return "removed";
    }
    return "both";
}

namespace {

using Json = nlohmann::ordered_json;

Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
Json pair(const Pair& p) { return Json::array({num(p[0]), num(p[1])}); }

Json runLoadJson(const RunLoad& r) {
    Json j;
    j["samples"] = r.samples;
    j["duration_s"] = num(r.durationSeconds);
    j["sample_interval_s"] = num(r.sampleInterval);
    j["cpu_percent"] = {{"mean", num(r.meanCpuPercent)}, {"p95", num(r.p95CpuPercent)}};
    j["memory_percent"] = {{"mean", num(r.meanMemoryPercent)}, {"p95", num(r.p95MemoryPercent)}};
    j["calls"] = r.calls;
    j["calls_with_load"] = r.callsWithLoad;
    j["during_calls"] = {
        {"cpu_percent", {{"mean", num(r.callsMeanCpuPercent)}, {"p95", num(r.callsP95CpuPercent)}}},
        {"memory_percent", {{"mean", num(r.callsMeanMemoryPercent)}, {"p95", num(r.callsP95MemoryPercent)}}}};
    return j;
}

}  // namespace

nlohmann::ordered_json comparisonToJson(const RunComparison& c) {
    Json out;
    Json functions = Json::array();
    for (const auto& f : c.functions) {
        Json e;
        e["name"] = f.name;
        e["status"] = statusName(f.status);
        e["calls"] = Json::array({f.calls[0], f.calls[1]});
        e["mean_wall_time"] = pair(f.meanWall);
        e["p50_wall_time"] = pair(f.p50Wall);
        e["p95_wall_time"] = pair(f.p95Wall);
        e["mean_cpu_time"] = pair(f.meanCpu);
        e["cpu_wall_ratio"] = pair(f.cpuWallRatio);
        e["mean_system_cpu_percent"] = pair(f.meanSystemCpuPercent);
        e["mean_system_memory_percent"] = pair(f.meanSystemMemoryPercent);
        e["change_percent"] = num(f.changePercent);
        e["p_value"] = num(f.pValue);
        e["ci"] = Json::array({num(f.ciLowPercent), num(f.ciHighPercent)});
        e["cpu_change_percent"] = num(f.cpuChangePercent);
        e["cpu_p_value"] = num(f.cpuPValue);
        e["system_cpu_change_points"] = num(f.loadChangePoints);
        e["system_cpu_p_value"] = num(f.loadPValue);
        e["mean_run_queue_wait_time"] = pair(f.meanRunQueueWait);
        e["run_queue_wait_p_value"] = num(f.runQueueWaitPValue);
        if (f.status == FunctionComparison::Status::Both) e["finding"] = std::string(findingName(f.finding));
        else e["finding"] = nullptr;
        e["reason"] = f.reason;
        functions.push_back(std::move(e));
    }
    out["functions"] = std::move(functions);
    out["system"] = {{"baseline", runLoadJson(c.system[0])}, {"new", runLoadJson(c.system[1])}};
    const auto& o = c.options;
    out["method"] = {{"test", "Mann-Whitney U, two-sided, normal approximation with tie correction"},
                     {"interval", "percentile bootstrap of mean(new) / mean(baseline)"},
                     {"alpha", o.alpha},
                     {"min_change_percent", o.minChangePercent},
                     {"min_calls", o.minCalls},
                     {"min_system_cpu_change_points", o.minLoadChangePoints},
                     {"confidence", o.confidence},
                     {"bootstrap_resamples", o.bootstrapResamples},
                     {"seed", o.seed},
                     {"text", compareMethodText(o)}};
    out["warnings"] = c.warnings;
    return out;
}

std::string comparisonCsv(const RunComparison& c) {
    std::string out =
        "function,status,calls_base,calls_new,mean_wall_base,mean_wall_new,p50_wall_base,p50_wall_new,"
        "p95_wall_base,p95_wall_new,mean_cpu_base,mean_cpu_new,cpu_wall_ratio_base,cpu_wall_ratio_new,"
        "system_cpu_percent_base,system_cpu_percent_new,system_memory_percent_base,system_memory_percent_new,"
        "change_percent,p_value,ci_low_percent,ci_high_percent,cpu_change_percent,cpu_p_value,"
        "system_cpu_change_points,system_cpu_p_value,finding,reason\n";
    for (const auto& f : c.functions) {
        std::string row = csvField(f.name) + "," + statusName(f.status) + "," + std::to_string(f.calls[0]) + "," +
                          std::to_string(f.calls[1]);
        for (const Pair* p : {&f.meanWall, &f.p50Wall, &f.p95Wall, &f.meanCpu, &f.cpuWallRatio, &f.meanSystemCpuPercent,
                              &f.meanSystemMemoryPercent})
            row += "," + csvNumber((*p)[0]) + "," + csvNumber((*p)[1]);
        for (double v : {f.changePercent, f.pValue, f.ciLowPercent, f.ciHighPercent, f.cpuChangePercent, f.cpuPValue,
                         f.loadChangePoints, f.loadPValue})
            row += "," + csvNumber(v);
        row += "," + (f.status == FunctionComparison::Status::Both ? csvField(findingName(f.finding)) : std::string());
        row += "," + csvField(f.reason) + "\n";
        out += row;
    }
    return out;
}

}  // namespace loadline::core
