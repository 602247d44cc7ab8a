// loadline-cli compare BASE NEW: did the code get slower, or was the machine busier?
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/format/jsonschema.h"
#include "commands.h"
#include "core/compare/compare.h"
#include "core/compare/comparetext.h"
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

std::string arrow(const core::Pair& p, const char* fmt) { return num(p[0], fmt) + " -> " + num(p[1], fmt); }

std::string pText(double p) {
    if (!std::isfinite(p)) return "-";
    if (p < 0.001) return "<0.001";
    return num(p, "%.3f");
}

void printTable(const core::RunComparison& c) {
    std::printf("%s %-11s %-19s %-19s %-19s %8s %7s %-15s %-19s %-13s %s\n", tableCell("function", 28).c_str(), "calls",
                "mean wall s", "p50 wall s", "p95 wall s", "change", "p", "95% interval", "cpu s/call", "sys% in calls",
                "finding");
    for (const auto& f : c.functions) {
        const bool both = f.status == core::FunctionComparison::Status::Both;
        const std::string calls = std::to_string(f.calls[0]) + " -> " + std::to_string(f.calls[1]);
        const std::string ci = both && std::isfinite(f.ciLowPercent)
                                   ? "[" + num(f.ciLowPercent, "%+.1f") + ", " + num(f.ciHighPercent, "%+.1f") + "]%"
                                   : "-";
        const std::string finding = both ? std::string(core::findingName(f.finding)) : core::statusName(f.status);
        std::printf("%s %-11s %-19s %-19s %-19s %8s %7s %-15s %-19s %-13s %s\n", tableCell(f.name, 28).c_str(),
                    calls.c_str(), arrow(f.meanWall, "%.4f").c_str(), arrow(f.p50Wall, "%.4f").c_str(),
                    arrow(f.p95Wall, "%.4f").c_str(), num(f.changePercent, "%+.1f%%").c_str(), pText(f.pValue).c_str(),
                    ci.c_str(), arrow(f.meanCpu, "%.4f").c_str(), arrow(f.meanSystemCpuPercent, "%.1f").c_str(),
                    finding.c_str());
    }
    std::printf("\n");
    for (const auto& f : c.functions)
        if (f.status == core::FunctionComparison::Status::Both)
            std::printf("%s: %s\n", lastCell(f.name, 60).c_str(), f.reason.c_str());
}

void printSystem(const core::RunComparison& c) {
    const auto& b = c.system[0];
    const auto& n = c.system[1];
    std::printf("\nsystem                      baseline -> new run\n");
    std::printf("  samples                   %s -> %s (every %s -> %s s, over %s -> %s s)\n",
                std::to_string(b.samples).c_str(), std::to_string(n.samples).c_str(),
                num(b.sampleInterval, "%.3g").c_str(), num(n.sampleInterval, "%.3g").c_str(),
                num(b.durationSeconds, "%.1f").c_str(), num(n.durationSeconds, "%.1f").c_str());
    std::printf("  CPU %% mean / p95          %s / %s -> %s / %s\n", num(b.meanCpuPercent, "%.1f").c_str(),
                num(b.p95CpuPercent, "%.1f").c_str(), num(n.meanCpuPercent, "%.1f").c_str(),
                num(n.p95CpuPercent, "%.1f").c_str());
    std::printf("  memory %% mean / p95       %s / %s -> %s / %s\n", num(b.meanMemoryPercent, "%.1f").c_str(),
                num(b.p95MemoryPercent, "%.1f").c_str(), num(n.meanMemoryPercent, "%.1f").c_str(),
                num(n.p95MemoryPercent, "%.1f").c_str());
    std::printf("  during calls: CPU %%       %s / %s -> %s / %s (%zu of %zu -> %zu of %zu calls covered)\n",
                num(b.callsMeanCpuPercent, "%.1f").c_str(), num(b.callsP95CpuPercent, "%.1f").c_str(),
                num(n.callsMeanCpuPercent, "%.1f").c_str(), num(n.callsP95CpuPercent, "%.1f").c_str(), b.callsWithLoad,
                b.calls, n.callsWithLoad, n.calls);
    std::printf("  during calls: memory %%    %s / %s -> %s / %s\n", num(b.callsMeanMemoryPercent, "%.1f").c_str(),
                num(b.callsP95MemoryPercent, "%.1f").c_str(), num(n.callsMeanMemoryPercent, "%.1f").c_str(),
                num(n.callsP95MemoryPercent, "%.1f").c_str());
}

}  // namespace

int runCompare(int argc, char** argv) {
    std::vector<std::string> files;
    bool json = false, csv = false;
    double failIfSlower = -1;
    long long minCalls = 5;
    core::CompareOptions options;
    CmdLine args(argv[0],
                 "Compares two py-perf performance summaries of the same program (BASE: the baseline, NEW: "
                 "the run to judge) function by function: did the mean wall time change significantly, and "
                 "is the cause the code (CPU time per call changed), the machine (the load during the calls "
                 "changed) or waiting (I/O, locks, sleeps)? Timelines give the system part only.",
                 "Exit status: 0 done, 1 --fail-if-slower tripped, 2 bad input.");
    args.positionals(files, "BASE NEW", "the baseline run, then the run to judge").needed();
    args.flag({"--json"}, json, "JSON (fields in the README; not with --csv)")
        .flag({"--csv"}, csv, "one CSV row per function (not with --json)");
    args.option(
        {"--min-change"}, "PCT", "a percentage >= 0, e.g. 5%",
        [&](const std::string& v) { return parsePercent(v, options.minChangePercent); },
        "smallest change of the mean that counts, e.g. 5% (default 5)");
    args.count({"--min-calls"}, minCalls, 2, 1000000, "N", "a whole number >= 2",
               "fewer calls in a run: inconclusive (default 5)");
    args.number({"--alpha"}, options.alpha, 1e-9, 0.5, "P", "a significance level in (0, 0.5]",
                "significance level of the tests (default 0.05)");
    args.option(
        {"--fail-if-slower"}, "PCT", "a percentage >= 0, e.g. 10%",
        [&](const std::string& v) { return parsePercent(v, failIfSlower); },
        "exit 1 when a function's mean wall time got slower by more than PCT % with significance (a CI "
        "gate)");
    addThresholdOptions(args, options.correlate.thresholds);
    if (auto status = args.parse(argc, argv)) return *status;
    if (files.size() != 2)
        return args.fail(files.empty()
                             ? "no BASE and NEW files"
                             : (files.size() == 1 ? "no NEW file (BASE NEW: the baseline first)"
                                                  : "two files only, BASE and NEW ('" + files[2] + "' is extra)"));
    if (json && csv) return args.fail("--json and --csv exclude each other");
    options.minCalls = static_cast<std::size_t>(minCalls);

    core::Recording runs[2];
    for (int r = 0; r < 2; ++r) {
        auto loaded = core::loadRecordingFile(files[r]);
        if (!loaded) {
            std::fprintf(stderr, "%s: %s\n", argv[0],
                         !loaded.has_value() ? loaded.error().toString().c_str() : files[r].c_str());
            return 2;
        }
        for (const auto& w : loaded->warnings) std::fprintf(stderr, "warning: %s: %s\n", files[r].c_str(), w.c_str());
        runs[r] = std::move(*loaded);
    }
    const auto c = core::compareRuns(runs[0], runs[1], options);
    for (const auto& w : c.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());

    if (json) {
        nlohmann::ordered_json doc;
        doc[core::kJsonSchemaKey] = core::kJsonSchemaVersion;
        doc.update(core::comparisonToJson(c));
        const std::string out = doc.dump(2) + "\n";
        std::fwrite(out.data(), 1, out.size(), stdout);
    } else if (csv) {
        const std::string out = core::comparisonCsv(c);
        std::fwrite(out.data(), 1, out.size(), stdout);
    } else {
        std::printf("baseline: %s\nnew run:  %s\n\n", files[0].c_str(), files[1].c_str());
        printTable(c);
        printSystem(c);
        std::printf("\nmethod: %s\n", core::compareMethodText(options).c_str());
    }

    if (failIfSlower >= 0) {
        int slower = 0;
        for (const auto& f : c.functions) {
            if (f.status != core::FunctionComparison::Status::Both) continue;
            // wallChanged: significant, at least --min-change, and enough calls in both runs.
            if (f.wallChanged && f.changePercent > failIfSlower) {
                std::fprintf(stderr, "%s: '%s' is %.1f %% slower (p = %.3g, finding: %s), more than %g %%\n", argv[0],
                             f.name.c_str(), f.changePercent, f.pValue,
                             std::string(core::findingName(f.finding)).c_str(), failIfSlower);
                ++slower;
            }
        }
        if (slower) return 1;
    }
    return 0;
}

}  // namespace loadline::cli
