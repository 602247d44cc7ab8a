#include "formattestutil.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace loadline::test {

namespace fs = std::filesystem;

std::string goodFixture(const std::string& name) { return std::string(LOADLINE_TEST_DATA) + "/format/good/" + name; }
std::string badFixture(const std::string& name) { return std::string(LOADLINE_TEST_DATA) + "/format/bad/" + name; }

std::vector<std::string> allGoodFixtures() {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(std::string(LOADLINE_TEST_DATA) + "/format/good"))
        if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "loadline-format-test-XXXXXX").string();
    path = ::mkdtemp(tmpl.data()) ? tmpl : std::string();
}

TempDir::~TempDir() {
    if (path.empty()) return;
    std::error_code ec;
    // Restore permissions a test may have removed so that the folder can be deleted.
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
}

core::Recording loadGood(const std::string& path) {
    auto r = core::loadRecordingFile(path);
    EXPECT_TRUE(r.has_value()) << (!r.has_value() ? r.error().toString() : "no error");
    if (r.has_value()) return std::move(*r);
    core::Recording none;
    return none;
}

namespace {

bool sameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

bool hasValues(const core::SeriesTable& t, int c) {
    for (std::size_t r = 0; r < t.size(); ++r)
        if (!core::isMissing(t.value(c, r))) return true;
    return false;
}

std::string tableDifference(const core::SeriesTable& a, const core::SeriesTable& b, const std::string& where) {
    if (a.size() != b.size()) return where + ": " + std::to_string(a.size()) + " rows vs " + std::to_string(b.size());
    for (std::size_t r = 0; r < a.size(); ++r)
        if (!sameValue(a.timestamp(r), b.timestamp(r))) return where + ": timestamp of row " + std::to_string(r);
    auto oneWay = [&](const core::SeriesTable& x, const core::SeriesTable& y, const char* side) -> std::string {
        for (int c = 0; c < x.columnCount(); ++c) {
            if (!hasValues(x, c)) continue;
            const std::string& name = x.columnName(c);
            int d = y.columnIndex(name);
            if (d < 0) return where + ": column " + name + " only in " + side;
            if (x.isTextColumn(c) != y.isTextColumn(d)) return where + ": column " + name + " changed kind";
            for (std::size_t r = 0; r < x.size(); ++r) {
                if (x.isTextColumn(c)) {
                    if (x.text(c, r) != y.text(d, r) ||
                        core::isMissing(x.value(c, r)) != core::isMissing(y.value(d, r)))
                        return where + ": " + name + " row " + std::to_string(r) + " '" + std::string(x.text(c, r)) +
                               "' vs '" + std::string(y.text(d, r)) + "'";
                } else if (!sameValue(x.value(c, r), y.value(d, r))) {
                    return where + ": " + name + " row " + std::to_string(r) + " " + std::to_string(x.value(c, r)) +
                           " vs " + std::to_string(y.value(d, r));
                }
            }
        }
        return {};
    };
    if (auto d = oneWay(a, b, "the first"); !d.empty()) return d;
    return oneWay(b, a, "the second");
}

std::string extrasDifference(const core::ExtraFields& a, const core::ExtraFields& b, const std::string& where) {
    if (a.size() != b.size()) return where + ": extra keys differ in number";
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].first != b[i].first) return where + ": extra key " + a[i].first + " vs " + b[i].first;
        // Compare as JSON values: formatting may differ.
        auto x = nlohmann::json::parse(a[i].second, nullptr, false);
        auto y = nlohmann::json::parse(b[i].second, nullptr, false);
        if (x != y) return where + ": extra " + a[i].first + " " + a[i].second + " vs " + b[i].second;
    }
    return {};
}

std::string timelineDifference(const core::Timeline& a, const core::Timeline& b, const std::string& where) {
    const auto& ma = a.metadata;
    const auto& mb = b.metadata;
    if (ma.platform != mb.platform || ma.sampleInterval != mb.sampleInterval || ma.startTime != mb.startTime ||
        ma.endTime != mb.endTime)
        return where + "metadata differs";
    if (auto d = extrasDifference(ma.extra, mb.extra, where + "metadata"); !d.empty()) return d;
    if (auto d = extrasDifference(a.extra, b.extra, where + "timeline"); !d.empty()) return d;
    if (auto d = tableDifference(a.system, b.system, where + "system"); !d.empty()) return d;
    if (a.processes.size() != b.processes.size()) return where + "process count differs";
    for (const auto& [pid, series] : a.processes) {
        auto it = b.processes.find(pid);
        if (it == b.processes.end()) return where + "process " + std::to_string(pid) + " missing";
        if (auto d = tableDifference(series.samples, it->second.samples, where + "process " + std::to_string(pid));
            !d.empty())
            return d;
    }
    return {};
}

}  // namespace

std::string differenceBetween(const core::Recording& a, const core::Recording& b) {
    if (a.kind != b.kind) return "kind differs";
    if (a.sessionId != b.sessionId) return "session_id differs";
    if (auto d = extrasDifference(a.extra, b.extra, "summary"); !d.empty()) return d;
    if (a.functionTimings.size() != b.functionTimings.size()) return "function timing count differs";
    for (std::size_t i = 0; i < a.functionTimings.size(); ++i) {
        const auto& x = a.functionTimings[i];
        const auto& y = b.functionTimings[i];
        const std::string where = "function_timings[" + std::to_string(i) + "]";
        if (x.functionName != y.functionName || !sameValue(x.wallTime, y.wallTime) ||
            !sameValue(x.cpuTime, y.cpuTime) || !sameValue(x.timestamp, y.timestamp))
            return where + " differs";
        if (x.systemContext.has_value() != y.systemContext.has_value()) return where + ".system_context presence";
        if (x.systemContext) {
            const auto& cx = *x.systemContext;
            const auto& cy = *y.systemContext;
            if (!sameValue(cx.timestamp, cy.timestamp) || !sameValue(cx.cpuPercent, cy.cpuPercent) ||
                !sameValue(cx.memoryPercent, cy.memoryPercent))
                return where + ".system_context differs";
            if (auto d = extrasDifference(cx.extra, cy.extra, where + ".system_context"); !d.empty()) return d;
        }
        if (auto d = extrasDifference(x.extra, y.extra, where); !d.empty()) return d;
    }
    return timelineDifference(a.timeline, b.timeline, "");
}

RunResult runProgram(const std::vector<std::string>& argv) {
    RunResult result;
    TempDir dir;
    const std::string outPath = dir.path + "/out", errPath = dir.path + "/err";
    pid_t pid = ::fork();
    if (pid == 0) {
        int out = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(out, 1);
        ::dup2(err, 2);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = readText(outPath);
    result.err = readText(errPath);
    return result;
}

}  // namespace loadline::test

namespace loadline::test {

std::string asUnprivileged(const std::function<std::string()>& f) {
    if (::geteuid() != 0) return f();
    int fds[2];
    if (::pipe(fds) != 0) return "pipe failed";
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        std::string result = (::setgid(65534) == 0 && ::setuid(65534) == 0) ? f() : "cannot become nobody";
        (void)!::write(fds[1], result.data(), result.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    ::waitpid(child, nullptr, 0);
    return out;
}

}  // namespace loadline::test
