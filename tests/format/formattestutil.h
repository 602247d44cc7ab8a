#pragma once
// Shared helpers of the format tests: fixture paths, loading, and a model comparison that
// treats a column of only missing values the same as no column.
#include <functional>
#include <string>
#include <vector>

#include "core/format/recordingio.h"

namespace loadline::test {

std::string goodFixture(const std::string& name);
std::string badFixture(const std::string& name);
std::vector<std::string> allGoodFixtures();
std::string readText(const std::string& path);
/** A fresh empty directory under the build's temp area, removed by the caller's TempDir. */
struct TempDir {
    TempDir();
    ~TempDir();
    std::string path;
};

/** Loads a fixture that must open; fails the test otherwise. */
core::Recording loadGood(const std::string& path);
/** Empty when equal, else the first difference. */
std::string differenceBetween(const core::Recording& a, const core::Recording& b);

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};
/**
 * Runs f as an unprivileged user and returns what it returned: as root (CI), in a forked child
 * that switched to nobody (65534), so that permission checks apply; otherwise directly.
 */
std::string asUnprivileged(const std::function<std::string()>& f);

/** Runs a program with arguments (no shell), capturing stdout and stderr. */
RunResult runProgram(const std::vector<std::string>& argv);

}  // namespace loadline::test
