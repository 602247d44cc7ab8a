// loadline-cli functions FILE [--csv] [--calls]: function timings correlated with system load.
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "commands.h"
#include "core/correlate/correlate.h"
#include "core/export/csvexport.h"
#include "core/format/recordingio.h"
#include "cmdline.h"
#include "textcell.h"

namespace loadline::cli {

namespace {

std::string num(double v, const char* fmt) {
    if (!std::isfinite(v)) return "-";
    char buf[48];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

// Local wall-clock time with milliseconds, as the chart's axis shows it.
std::string clockTime(double epoch) {
    if (!std::isfinite(epoch)) return "-";
    std::time_t secs = static_cast<std::time_t>(std::floor(epoch));
    std::tm tm{};
    localtime_r(&secs, &tm);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>((epoch - std::floor(epoch)) * 1000));
    return buf;
}

void printFunctions(const core::Correlation& c) {
    std::printf("%-32s %6s %10s %9s %9s %9s %9s %9s %6s %7s %7s %8s %s\n", "function", "calls", "total s", "mean s",
                "p50 s", "p95 s", "max s", "cpu s", "cpu/w", "sys%", "mem%", "slowdown", "own/cont/wait/unk");
    for (const auto& f : c.functions) {
        std::printf("%s %6zu %10s %9s %9s %9s %9s %9s %6s %7s %7s %8s %zu/%zu/%zu/%zu\n", tableCell(f.name, 32).c_str(),
                    f.calls, num(f.totalWall, "%.4f").c_str(), num(f.meanWall, "%.4f").c_str(),
                    num(f.p50Wall, "%.4f").c_str(), num(f.p95Wall, "%.4f").c_str(), num(f.maxWall, "%.4f").c_str(),
                    num(f.meanCpu, "%.4f").c_str(), num(f.cpuWallRatio, "%.2f").c_str(),
                    num(f.meanSystemCpuPercent, "%.1f").c_str(), num(f.meanSystemMemoryPercent, "%.1f").c_str(),
                    num(f.slowdownUnderLoad, "%.2fx").c_str(), f.verdictCount(core::Verdict::OwnWork),
                    f.verdictCount(core::Verdict::Contention), f.verdictCount(core::Verdict::Waiting),
                    f.verdictCount(core::Verdict::Unknown));
    }
}

/** Which measures decided the verdicts (PSI, run-queue wait, throttling, or system CPU %). */
void printMeasures(const core::Correlation& c) {
    std::array<std::size_t, core::kLoadMeasureCount> counts{};
    std::size_t throttled = 0;
    for (const auto& f : c.functions) {
        for (int m = 0; m < core::kLoadMeasureCount; ++m) counts[m] += f.measureCounts[m];
        throttled += f.throttledCalls;
    }
    const std::string summary = core::measureSummary(counts.data(), throttled);
    if (!summary.empty()) std::printf("%s\n", summary.c_str());
    if (c.usedDirectMeasures) std::printf("measured: %s\n", core::contentionRuleText(c.contention).c_str());
}

void printCalls(const core::Correlation& c) {
    std::printf("%-32s %-12s %10s %10s %6s %7s %7s %7s %s\n", "function", "start", "wall s", "cpu s", "cpu/w", "sys%",
                "mem%", "samples", "verdict");
    for (const auto& call : c.calls) {
        std::printf("%s %-12s %10s %10s %6s %7s %7s %7d %s\n",
                    tableCell(c.functions[call.functionIndex].name, 32).c_str(), clockTime(call.start).c_str(),
                    num(call.wallTime, "%.4f").c_str(), num(call.cpuTime, "%.4f").c_str(),
                    num(call.cpuWallRatio(), "%.2f").c_str(), num(call.systemCpuPercent, "%.1f").c_str(),
                    num(call.systemMemoryPercent, "%.1f").c_str(), call.samplesInside,
                    core::verdictWithMeasure(call.verdict, call.contention).c_str());
    }
}

}  // namespace

int runFunctions(int argc, char** argv) {
    std::string file;
    bool csv = false, calls = false;
    core::CorrelateOptions options;
    CmdLine args(argv[0],
                 "Per-function statistics of a py-perf performance summary, with the system load during "
                 "each call (time-weighted over [timestamp - wall_time, timestamp]).");
    args.positional(file, "FILE", "the performance summary (py-perf JSON or .llrec)")
        .needed()
        .flag({"--calls"}, calls, "one row per call (load during it, verdict) instead of per function")
        .flag({"--csv"}, csv, "CSV instead of a table");
    addThresholdOptions(args, options.thresholds);
    if (auto status = args.parse(argc, argv)) return *status;
    if (file.empty()) return args.fail("no FILE");
    auto loaded = core::loadRecordingFile(file);
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", argv[0],
                     !loaded.has_value() ? loaded.error().toString().c_str() : file.c_str());
        return 2;
    }
    const auto& rec = *loaded;
    for (const auto& w : rec.warnings) std::fprintf(stderr, "warning: %s: %s\n", file.c_str(), w.c_str());
    if (rec.functionTimings.empty()) {
        std::fprintf(stderr, "%s: %s has no function timings (%s)\n", argv[0], file.c_str(),
                     rec.kind == core::Recording::Kind::Timeline ? "a timeline, not a performance summary"
                                                                 : "an empty performance summary");
    }
    const auto c = core::correlate(rec, options);
    for (const auto& w : c.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (csv) {
        const std::string out = calls ? core::callsCsv(c) : core::functionsCsv(c);
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
    }
    if (calls) printCalls(c);
    else printFunctions(c);
    std::printf("\nverdict: %s\n", core::verdictRuleText(options.thresholds).c_str());
    printMeasures(c);
    if (!calls)
        std::printf("slowdown: mean wall of calls under system CPU >= %.4g %% / mean wall of the others\n",
                    options.thresholds.highLoadPercent);
    return 0;
}

}  // namespace loadline::cli
