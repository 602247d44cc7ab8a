// loadline-draw: the commands of loadline-cli that draw with Qt Widgets and Qt Charts
// (export-png, report). loadline-cli runs it in its own place (drawhelper.cpp), so that it links
// no GUI library itself. Not meant to be run by hand; its messages read as loadline-cli's.
#include <cstdio>
#include <string>

#include "commands.h"

int main(int argc, char** argv) {
    struct Command {
        const char* name;
        int (*run)(int, char**);
    };
    constexpr Command kCommands[] = {
        {"export-png", loadline::cli::runExportPng},
        {"report", loadline::cli::runReport},
    };
    if (argc >= 2) {
        const std::string cmd = argv[1];
        for (const auto& c : kCommands) {
            if (cmd != c.name) continue;
            std::string name = std::string("loadline-cli ") + c.name;
            argv[1] = name.data();
            return c.run(argc - 1, argv + 1);
        }
    }
    std::fprintf(stderr, "loadline-draw: runs loadline-cli's export-png and report; use loadline-cli\n");
    return 2;
}
