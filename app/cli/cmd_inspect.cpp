// loadline-cli inspect FILE [--json]: what a recording holds. Plain text for people, one JSON
// object for scripts (fixed keys that scripts rely on). Qt-free: it needs no QCoreApplication.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cmdline.h"
#include "textcell.h"
#include "commands.h"
#include "core/correlate/correlate.h"
#include "core/export/functionsjson.h"
#include "core/format/jsonschema.h"
#include "core/format/recordingio.h"
#include "core/store/llrec.h"
#include "core/store/llrecsummary.h"
#include "core/timeline/cpumeasured.h"

namespace loadline::cli {

namespace {

using core::FunctionTiming;
using core::Recording;
using Json = nlohmann::ordered_json;

Json numberOrNull(std::optional<double> v) {
    if (!v || !std::isfinite(*v)) return nullptr;
    return *v;
}

/** The calls of one function, grouped by name (sorted by name: std::map). */
std::map<std::string, std::vector<const FunctionTiming*>> callsByName(const Recording& rec) {
    std::map<std::string, std::vector<const FunctionTiming*>> byName;
    for (const auto& t : rec.functionTimings) byName[t.functionName].push_back(&t);
    return byName;
}

/**
 * One entry of "functions". Other parts (correlation) add their fields here; the four keys
 * name, calls, mean_wall_time, mean_cpu_time are fixed: scripts rely on them.
 */
Json functionSummaryJson(const std::string& name, const std::vector<const FunctionTiming*>& calls,
                         const Recording& /*rec*/) {
    double wall = 0, cpu = 0;
    for (const auto* c : calls) {
        wall += c->wallTime;
        cpu += c->cpuTime;
    }
    const double n = static_cast<double>(calls.size());
    Json j;
    j["name"] = name;
    j["calls"] = calls.size();
    j["mean_wall_time"] = calls.empty() ? 0.0 : wall / n;
    j["mean_cpu_time"] = calls.empty() ? 0.0 : cpu / n;
    return j;
}

std::optional<double> firstOf(const core::SeriesTable& t) {
    if (t.empty()) return std::nullopt;
    return t.timestamp(0);
}
std::optional<double> lastOf(const core::SeriesTable& t) {
    if (t.empty()) return std::nullopt;
    return t.timestamp(t.size() - 1);
}

// A store too long to read tick by tick is summarised from its levels (core/store/llrecsummary.h):
// then `summary` is set, `rec` holds its header and newest ticks (and, for a performance
// summary, the ticks during its calls), and figures that need every tick are left out.
Json inspectJson(const Recording& rec, const core::store::StoreSummary* summary) {
    const auto& tl = rec.timeline;
    Json j;
    j[core::kJsonSchemaKey] = core::kJsonSchemaVersion;
    j["kind"] = rec.kind == Recording::Kind::Timeline ? "timeline" : "performance-summary";
    j["platform"] = tl.metadata.platform ? Json(*tl.metadata.platform) : Json(nullptr);
    j["sample_interval"] = numberOrNull(tl.metadata.sampleInterval);
    if (summary) {
        j["start"] = numberOrNull(summary->outline.first);
        j["end"] = numberOrNull(summary->outline.last);
        j["system_samples"] = summary->outline.ticks;
        j["from_levels"] = true;
    } else {
        j["start"] = numberOrNull(tl.firstTime());
        j["end"] = numberOrNull(tl.lastTime());
        j["system_samples"] = tl.system.size();
    }
    // py-perf's psutil first-call 0.0: processes whose CPU was never measured (core/timeline/cpumeasured.h).
    const core::Timeline& cpuData = summary ? summary->cpuExtremes : tl;
    const core::CpuMeasurement cpu = core::detectUnmeasuredCpu(cpuData);
    Json processes = Json::array();
    for (const auto& [pid, series] : tl.processes) {  // std::map: sorted by pid
        Json p;
        p["pid"] = pid;
        if (summary) {
            const auto& s = summary->processes.at(pid);
            p["name"] = s.name.empty() ? Json(nullptr) : Json(s.name);
            p["samples"] = nullptr;  // counting them needs every tick
            p["first"] = numberOrNull(s.first);
            p["last"] = numberOrNull(s.last);
        } else {
            auto name = series.latestText(core::col::kName);
            p["name"] = name.empty() ? Json(nullptr) : Json(std::string(name));
            p["samples"] = series.samples.size();
            p["first"] = numberOrNull(firstOf(series.samples));
            p["last"] = numberOrNull(lastOf(series.samples));
        }
        p["cpu_measured"] = cpu.measured(pid);
        processes.push_back(std::move(p));
    }
    j["processes"] = std::move(processes);
    // Load during the calls (the correlation's fields): correlated once, looked up by name.
    const core::Correlation correlation = core::correlate(rec);
    std::map<std::string, const core::FunctionStats*> stats;
    for (const auto& f : correlation.functions) stats[f.name] = &f;
    Json functions = Json::array();
    for (const auto& [name, calls] : callsByName(rec)) {
        Json entry = functionSummaryJson(name, calls, rec);
        core::addLoadFields(entry, *stats.at(name));
        functions.push_back(std::move(entry));
    }
    j["functions"] = std::move(functions);
    std::vector<std::string> warnings = rec.warnings;
    for (auto& w : core::cpuMeasurementWarnings(cpuData, cpu)) warnings.push_back(std::move(w));
    j["warnings"] = std::move(warnings);
    return j;
}

std::string formatTime(std::optional<double> t) {
    if (!t) return "-";
    std::time_t secs = static_cast<std::time_t>(std::floor(*t));
    std::tm tm{};
    ::localtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

void printPlain(std::FILE* out, const std::string& path, const Recording& rec, const core::store::StoreSummary* store) {
    const auto& tl = rec.timeline;
    const bool summary = rec.kind == Recording::Kind::PerformanceSummary;
    std::fprintf(out, "%s: py-perf %s\n", path.c_str(), summary ? "performance summary" : "timeline");
    if (summary && !rec.sessionId.empty()) std::fprintf(out, "  session:        %s\n", rec.sessionId.c_str());
    std::fprintf(out, "  platform:       %s\n",
                 tl.metadata.platform ? tl.metadata.platform->c_str() : "(not recorded)");
    if (tl.metadata.sampleInterval) std::fprintf(out, "  interval:       %g s\n", *tl.metadata.sampleInterval);
    std::optional<double> first = tl.firstTime(), last = tl.lastTime();
    if (store) {
        first = std::isnan(store->outline.first) ? std::nullopt : std::optional(store->outline.first);
        last = std::isnan(store->outline.last) ? std::nullopt : std::optional(store->outline.last);
    }
    std::fprintf(out, "  system samples: %zu",
                 store ? static_cast<std::size_t>(store->outline.ticks) : tl.system.size());
    if (first && last)
        std::fprintf(out, ", %s to %s (%.1f s)", formatTime(first).c_str(), formatTime(last).c_str(), *last - *first);
    std::fprintf(out, "\n");
    if (store)
        std::fprintf(out,
                     "  levels:         summarised from the store's consolidated levels, not read tick by tick "
                     "(more than %lld ticks); per-process sample counts need every tick and are not counted\n",
                     static_cast<long long>(core::store::levelThreshold()));
    std::fprintf(out, "  processes:      %zu\n", tl.processes.size());
    for (const auto& [pid, series] : tl.processes) {
        if (store) {
            const auto& s = store->processes.at(pid);
            std::fprintf(out, "    %8d  %s sampled %s to %s\n", pid,
                         tableCell(s.name.empty() ? "?" : s.name, 20).c_str(),
                         formatTime(std::isnan(s.first) ? std::nullopt : std::optional(s.first)).c_str(),
                         formatTime(std::isnan(s.last) ? std::nullopt : std::optional(s.last)).c_str());
            continue;
        }
        auto name = series.latestText(core::col::kName);
        std::fprintf(out, "    %8d  %s %zu samples\n", pid,
                     tableCell(name.empty() ? "?" : std::string(name), 20).c_str(), series.samples.size());
    }
    if (summary) {
        auto byName = callsByName(rec);
        std::fprintf(out, "  functions:      %zu (%zu calls)\n", byName.size(), rec.functionTimings.size());
        if (!byName.empty())
            std::fprintf(out, "    %-32s %8s %14s %14s\n", "name", "calls", "mean wall (s)", "mean cpu (s)");
        for (const auto& [name, calls] : byName) {
            Json s = functionSummaryJson(name, calls, rec);
            std::fprintf(out, "    %s %8zu %14.6f %14.6f\n", tableCell(name, 32).c_str(), calls.size(),
                         s["mean_wall_time"].get<double>(), s["mean_cpu_time"].get<double>());
        }
    }
    std::vector<std::string> warnings = rec.warnings;
    std::size_t defects = rec.defectCount();  // a summary line ("skipped 7 entries ...") is none
    const core::Timeline& cpuData = store ? store->cpuExtremes : tl;
    for (auto& w : core::cpuMeasurementWarnings(cpuData, core::detectUnmeasuredCpu(cpuData))) {
        warnings.push_back(std::move(w));
        ++defects;
    }
    if (!warnings.empty()) {
        std::fprintf(out, "  warnings:       %zu\n", defects);
        for (const auto& w : warnings) std::fprintf(out, "    %s\n", w.c_str());
    }
}

}  // namespace

int runInspect(int argc, char** argv) {
    bool json = false;
    std::string path;
    bool version = false;
    std::string output = "-";
    CmdLine args(argv[0], "Summarise a py-perf recording (a timeline or a performance summary).",
                 "Exit status: 0 when the file opened (even with warnings), 2 when it did not (the reason, as "
                 "FILE:LINE:COLUMN: message, on stderr).");
    args.positional(path, "FILE", "the recording (py-perf JSON or .llrec)")
        .needed()
        .flag(
            {"--json"}, json,
            "print one JSON object (kind, platform, sample_interval, start, end, system_samples, processes, "
            "functions, warnings); a process's cpu_measured is false when its CPU was never measured "
            "(py-perf's psutil first-call 0.0: every sample 0.0 while the system is busy); a .llrec store of more than "
            "200,000 ticks is summarised from its consolidated levels: from_levels is true, system_samples counts "
            "its ticks and each process's samples is null (counting them needs every tick)")
        .text({"-o", "--output"}, output, "OUT", "a file name ('-': standard output)",
              "write the summary to OUT (written atomically; '-', the default: standard output)")
        .flag({"--version", "-V"}, version, "show the version");
    if (auto status = args.parse(argc, argv)) return *status;
    if (version) {
        std::printf("loadline-cli %s\n", LOADLINE_VERSION);
        return 0;
    }
    if (path.empty()) return args.fail("missing FILE");
    // A store too long to read tick by tick: its outline, levels and a few blocks' ticks.
    std::optional<core::store::StoreSummary> summary;
    if (core::store::looksLikeStore(path)) {
        auto outline = core::store::readStoreOutline(path);
        if (outline && core::store::opensFromLevels(*outline)) {
            auto read = core::store::summariseStore(path, *outline);
            if (!read) {
                std::fprintf(stderr, "%s\n", read.error().toString().c_str());
                return 2;
            }
            summary = std::move(*read);
        }
    }
    core::LoadResult result = summary ? core::LoadResult(summary->tail) : core::loadRecordingFile(path);
    // The load during the calls: the ticks of the calls' span.
    if (summary && !result->functionTimings.empty())
        result = core::store::loadCallTicks(path, summary->outline, result->functionTimings);
    if (!result) {
        std::fprintf(stderr, "%s\n",
                     !result.has_value() ? result.error().toString().c_str() : (path + ": cannot open").c_str());
        return 2;
    }
    const core::store::StoreSummary* levels = summary ? &*summary : nullptr;
    std::string text;
    if (json) {
        text = inspectJson(*result, levels).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    } else {
        char* buffer = nullptr;
        std::size_t size = 0;
        std::FILE* mem = ::open_memstream(&buffer, &size);
        if (!mem) {
            std::fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
        printPlain(mem, path, *result, levels);
        std::fclose(mem);
        text.assign(buffer, size);
        std::free(buffer);
    }
    std::string error;
    if (!core::succeeded(core::writeOutput(output, text), &error)) {
        std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
        return 1;
    }
    return 0;
}

}  // namespace loadline::cli
