// PLACEHOLDER: replaced by the issue that builds this command.
#include <cstdio>

#include "commands.h"

int loadline::cli::runExportPng(int, char** argv) {
    std::fprintf(stderr, "%s: not built yet\n", argv[0]);
    return 1;
}
