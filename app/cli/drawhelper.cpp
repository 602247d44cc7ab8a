// export-png and report draw with Qt Widgets and Qt Charts. They run in a separate program,
// loadline-draw (draw_main.cpp), so that loadline-cli itself links no GUI library: `serve` and
// `record`, which run for days, do not map Qt Widgets, Qt Gui, Qt Charts and what those pull in
// (OpenGL, X11, ICU...: about 6 MB resident). loadline-cli replaces itself with the helper
// (execv): the exit status, standard streams and signals are the helper's, as if one program.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <unistd.h>

#include "commands.h"

namespace loadline::cli {

namespace {

/** The directory of this executable (/proc/self/exe), or "" when it cannot be read. */
std::string ownDirectory() {
    std::string path(4096, '\0');
    const ssize_t n = ::readlink("/proc/self/exe", path.data(), path.size() - 1);
    if (n <= 0) return {};
    path.resize(static_cast<std::size_t>(n));
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

/** argv = {"loadline-cli COMMAND", options...}, as main() passes it to every command. */
int runInDrawHelper(const char* command, int argc, char** argv) {
    const std::string dir = ownDirectory();
    // Beside loadline-cli in a build tree (build/bin), else where `make install` and the Debian
    // package put it (LOADLINE_DRAW_HELPER: relative to the directory of loadline-cli).
    std::vector<std::string> candidates;
    if (!dir.empty()) {
        candidates.push_back(dir + "/loadline-draw");
        candidates.push_back(dir + "/" + LOADLINE_DRAW_HELPER);
    }
    std::vector<char*> args;
    for (const auto& helper : candidates) {
        if (::access(helper.c_str(), X_OK) != 0) continue;
        args.clear();
        args.push_back(const_cast<char*>(helper.c_str()));
        args.push_back(const_cast<char*>(command));
        for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
        args.push_back(nullptr);
        std::fflush(nullptr);
        ::execv(helper.c_str(), args.data());
        std::fprintf(stderr, "%s: cannot run %s: %s\n", argv[0], helper.c_str(), std::strerror(errno));
        return 1;
    }
    std::fprintf(stderr,
                 "%s: its drawing program loadline-draw is missing (looked in %s and %s/%s): reinstall loadline\n",
                 argv[0], dir.c_str(), dir.c_str(), LOADLINE_DRAW_HELPER);
    return 1;
}

}  // namespace

int runExportPng(int argc, char** argv) { return runInDrawHelper("export-png", argc, argv); }
int runReport(int argc, char** argv) { return runInDrawHelper("report", argc, argv); }

}  // namespace loadline::cli
