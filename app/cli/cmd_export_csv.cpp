// loadline-cli export-csv FILE -o PREFIX [--what LIST]: samples and calls as CSV for spreadsheets.
// One file per table: PREFIX-system.csv, PREFIX-processes.csv, PREFIX-calls.csv, PREFIX-functions.csv.
#include <cstdio>
#include <sys/stat.h>
#include <cstring>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "core/correlate/correlate.h"
#include "core/export/csvexport.h"
#include "core/format/recordingio.h"
#include "cmdline.h"

namespace loadline::cli {

namespace {

constexpr const char* kTables[] = {"system", "processes", "calls", "functions"};

}  // namespace

int runExportCsv(int argc, char** argv) {
    std::string file, prefix;
    std::vector<std::string> what;
    core::CorrelateOptions options;
    CmdLine args(argv[0],
                 "Writes one CSV per table, named PREFIX-TABLE.csv:\n"
                 "  system     timestamp and every system column, one row per sample\n"
                 "  processes  pid, timestamp and every process column, one row per process sample\n"
                 "  calls      one row per function call: start, end, wall/CPU time, load during it, verdict\n"
                 "  functions  one row per function: the statistics of 'loadline-cli functions'\n"
                 "By default: system and processes, plus calls and functions for a performance summary.");
    args.positional(file, "FILE", "the recording (py-perf JSON or .llrec)")
        .needed()
        .text({"-o", "--output"}, prefix, "PREFIX", "a file name prefix",
              "the tables go to PREFIX-TABLE.csv; '-o -' with a single table in --what: write it to standard "
              "output")
        .needed()
        .option(
            {"--what"}, "LIST", "a list of system, processes, calls, functions",
            [&](const std::string& v) {
                std::stringstream list(v);
                for (std::string item; std::getline(list, item, ',');) {
                    bool known = false;
                    for (const char* k : kTables) known = known || item == k;
                    if (!known) return false;
                    what.push_back(item);
                }
                return true;
            },
            "comma-separated tables to write (e.g. --what system,calls)");
    addThresholdOptions(args, options.thresholds);
    if (auto status = args.parse(argc, argv)) return *status;
    if (file.empty()) return args.fail("no FILE");
    if (prefix.empty()) return args.fail("no output prefix (-o PREFIX)");
    if (prefix == "-" && what.size() != 1) return args.fail("'-o -' needs exactly one table in --what");
    auto loaded = core::loadRecordingFile(file);
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", argv[0],
                     !loaded.has_value() ? loaded.error().toString().c_str() : file.c_str());
        return 2;
    }
    const auto& rec = *loaded;
    for (const auto& w : rec.warnings) std::fprintf(stderr, "warning: %s: %s\n", file.c_str(), w.c_str());
    if (what.empty()) {
        what = {"system", "processes"};
        if (rec.kind == core::Recording::Kind::PerformanceSummary) what.insert(what.end(), {"calls", "functions"});
    }
    const auto c = core::correlate(rec, options);
    for (const auto& w : c.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());

    // Each file is saved atomically, but not the set: refuse up front what would fail half-way
    // (a target that is a directory), so that no file is replaced when another cannot be.
    if (prefix != "-") {
        for (const auto& table : what) {
            const std::string path = prefix + "-" + table + ".csv";
            struct stat st {};
            if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
                std::fprintf(stderr, "%s: %s: cannot save: Is a directory (nothing was written)\n", argv[0],
                             path.c_str());
                return 1;
            }
        }
    }
    for (const auto& table : what) {
        std::string text;
        if (table == "system") text = core::systemSamplesCsv(rec.timeline);
        else if (table == "processes") text = core::processSamplesCsv(rec.timeline);
        else if (table == "calls") text = core::callsCsv(c);
        else text = core::functionsCsv(c);
        if (prefix == "-") {
            std::string error;
            if (!core::succeeded(core::writeOutput("-", text), &error)) {
                std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
                return 1;
            }
            continue;
        }
        const std::string path = prefix + "-" + table + ".csv";
        std::string error;
        if (!core::succeeded(core::writeFileAtomically(path, text), &error)) {
            std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
            return 1;
        }
        std::printf("%s\n", path.c_str());
    }
    return 0;
}

}  // namespace loadline::cli
