// loadline-cli: dispatches to one command per file (see commands.h).
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"

namespace {

struct Command {
    const char* name;
    int (*run)(int, char**);
    const char* summary;
};

constexpr Command kCommands[] = {
    {"inspect", loadline::cli::runInspect, "summarise a recording (--json for scripts)"},
    {"record", loadline::cli::runRecord, "record a py-perf timeline of this machine"},
    {"snapshot", loadline::cli::runSnapshot, "print one collection of every metric"},
    {"functions", loadline::cli::runFunctions, "function timings correlated with system load"},
    {"export-png", loadline::cli::runExportPng, "render a recording's chart to PNG"},
    {"export-trace", loadline::cli::runExportTrace, "write Chrome Trace Event JSON (Perfetto)"},
    {"export-csv", loadline::cli::runExportCsv, "write samples and calls as CSV"},
    {"serve", loadline::cli::runServe, "sample continuously and serve HTTP (REST, Prometheus)"},
    {"compare", loadline::cli::runCompare, "compare two runs: slower code, or a busier machine?"},
    {"report", loadline::cli::runReport, "write a self-contained HTML report of a run (vs a baseline)"},
};

void printUsage(std::FILE* out) {
    std::fprintf(out, "Usage: loadline-cli COMMAND [OPTIONS]\n\nCommands:\n");
    for (const auto& c : kCommands) std::fprintf(out, "  %-13s %s\n", c.name, c.summary);
    std::fprintf(out, "\nRun 'loadline-cli COMMAND --help' for a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        printUsage(stderr);
        return 2;
    }
    const std::string cmd = argv[1];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        printUsage(stdout);
        return 0;
    }
    if (cmd == "--version" || cmd == "-V") {
        std::printf("loadline-cli %s\n", LOADLINE_VERSION);
        return 0;
    }
    for (const auto& c : kCommands) {
        if (cmd == c.name) {
            std::string name = std::string("loadline-cli ") + c.name;
            argv[1] = name.data();
            return c.run(argc - 1, argv + 1);
        }
    }
    std::fprintf(stderr, "loadline-cli: unknown command '%s'\n\n", cmd.c_str());
    printUsage(stderr);
    return 2;
}
