#pragma once
// Running the built loadline-cli from a GoogleTest test (LOADLINE_BIN_DIR): its exit status,
// standard output and standard error.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>

namespace loadline::test {

struct CliRun {
    int status = -1;  // the exit status; -1 when it did not exit normally (or did not start)
    std::string out, err;
};

/** A whole file's bytes (empty when it cannot be read). */
inline std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/** Runs `loadline-cli ARGS` through the shell (ARGS as typed on a command line); standard error
 *  passes through errFile, which is removed afterwards. */
inline CliRun runCli(const std::string& args, const std::filesystem::path& errFile) {
    CliRun r;
    const std::string command = std::string(LOADLINE_BIN_DIR) + "/loadline-cli " + args + " 2>" + errFile.string();
    std::FILE* p = ::popen(command.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.err = slurp(errFile);
    std::error_code ignored;
    std::filesystem::remove(errFile, ignored);
    return r;
}

}  // namespace loadline::test
