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
    {"import", loadline::cli::runImport, "read a node's timeline from Prometheus (import prometheus)"},
    {"alerts", loadline::cli::runAlerts, "evaluate alert rules over a recording (exit 0/1/3: a CI gate)"},
    {"compare", loadline::cli::runCompare, "compare two runs: slower code, or a busier machine?"},
    {"report", loadline::cli::runReport, "write a self-contained HTML report of a run (vs a baseline)"},
    {"convert", loadline::cli::runConvert, "convert between py-perf JSON and the .llrec store"},
};

// The packaging generators (packaging/gen-docs.py) read this text for the man page and the shell
// completions: "Commands:" lists one "  NAME  SUMMARY" line per command up to a blank line, and
// the other "Heading:" blocks become man page sections, so keep that shape.
void printUsage(std::FILE* out) {
    std::fprintf(out, "Usage: loadline-cli COMMAND [OPTIONS]\n\nCommands:\n");
    for (const auto& c : kCommands) std::fprintf(out, "  %-13s %s\n", c.name, c.summary);
    std::fprintf(out,
                 "\nRun 'loadline-cli COMMAND --help' for a command's options.\n\n"
                 "Options:\n"
                 "  -h, --help     show this help\n"
                 "  -V, --version  show the version\n\n"
                 "Exit status:\n"
                 "  0  success\n"
                 "  1  a runtime failure (cannot collect, render or write)\n"
                 "  2  bad input or usage (unknown option, bad value, a FILE that is not a recording)\n\n"
                 "Examples:\n"
                 "  loadline-cli snapshot --json\n"
                 "  loadline-cli record -o run.json --duration 60 --match python\n"
                 "  loadline-cli inspect run.json\n"
                 "  loadline-cli export-png run.json -o run.png --metric memory\n"
                 "  loadline-cli serve --port 8080\n\n"
                 "Files:\n"
                 "  /etc/default/loadline-serve  options of the loadline-serve system service\n"
                 "  /etc/loadline/serve.token    the service's bearer token (LoadCredential=)\n");
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
