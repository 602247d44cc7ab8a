// loadline-cli: dispatches to one command per file (see commands.h).
#include <cstdio>
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include "cmdline.h"
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

struct GlobalOption {
    const char* names;
    const char* help;
};

constexpr GlobalOption kGlobalOptions[] = {
    {"-h, --help", "show this help"},
    {"-V, --version", "show the version"},
};

// After the tables: what every command shares. Headings ("Exit status:") become man page
// sections (packaging/gen-docs.py); "  KEY  TEXT" rows are kept as written.
constexpr const char* kFooter =
    "Exit status:\n"
    "  0  success\n"
    "  1  a runtime failure (cannot collect, render or write)\n"
    "  2  bad input or usage (unknown option, bad value, a FILE that is not a recording)\n"
    "\n"
    "Examples:\n"
    "  loadline-cli snapshot --json\n"
    "  loadline-cli record -o run.json --duration 60 --match python\n"
    "  loadline-cli inspect run.json\n"
    "  loadline-cli export-png run.json -o run.png --metric memory\n"
    "  loadline-cli serve --port 8080\n"
    "\n"
    "Files:\n"
    "  /etc/default/loadline-serve  options of the loadline-serve system service\n"
    "  /etc/loadline/serve.token    the service's bearer token (LoadCredential=)\n";

// Generated from the tables above, laid out like every command's help (cmdline.h).
void printUsage(std::FILE* out) {
    std::string text = "Usage: loadline-cli COMMAND [OPTIONS]\n\nCommands:\n";
    for (const auto& c : kCommands) text += loadline::cli::helpRow(c.name, c.summary);
    text += "\nRun 'loadline-cli COMMAND --help' for a command's options.\n\nOptions:\n";
    for (const auto& o : kGlobalOptions) text += loadline::cli::helpRow(o.names, o.help);
    text += "\n" + loadline::cli::wrapText(kFooter);
    std::fputs(text.c_str(), out);
}

// The same tables as JSON (--help-json), for the man page and completion generators.
void printJson() {
    nlohmann::ordered_json j;
    j["program"] = "loadline-cli";
    j["usage"] = "Usage: loadline-cli COMMAND [OPTIONS]";
    j["commands"] = nlohmann::ordered_json::array();
    for (const auto& c : kCommands) j["commands"].push_back({{"name", c.name}, {"summary", c.summary}});
    j["options"] = nlohmann::ordered_json::array();
    for (const auto& o : kGlobalOptions) {
        auto names = nlohmann::ordered_json::array();
        std::string all = o.names;
        for (std::size_t at = 0; at < all.size();) {
            const std::size_t comma = std::min(all.find(", ", at), all.size());
            names.push_back(all.substr(at, comma - at));
            at = comma + 2;
        }
        j["options"].push_back({{"names", names}, {"value", nullptr}, {"help", o.help}});
    }
    j["footer"] = kFooter;
    std::printf("%s\n", j.dump(2).c_str());
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
    if (cmd == "--help-json") {
        printJson();
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
