// loadline-cli inspect, run as a program: exit codes, FILE:LINE:COLUMN on stderr, --json keys.
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "formattestutil.h"

using namespace loadline::test;
using nlohmann::json;

namespace {
const std::string kCli = std::string(LOADLINE_BIN_DIR) + "/loadline-cli";

RunResult inspect(std::vector<std::string> args) {
    args.insert(args.begin(), {kCli, "inspect"});
    return runProgram(args);
}
}  // namespace

TEST(InspectCli, JsonOfATimelineHasExactlyTheKeys) {
    auto r = inspect({goodFixture("pyperf_example_timeline.json"), "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    json j = json::parse(r.out);
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{"end", "functions", "kind", "platform", "processes", "sample_interval",
                                              "schema_version", "start", "system_samples", "warnings"}));
    EXPECT_EQ(j["schema_version"], 1);                                                // docs/json.md
    EXPECT_EQ(nlohmann::ordered_json::parse(r.out).begin().key(), "schema_version");  // first, for people
    EXPECT_EQ(j["kind"], "timeline");
    EXPECT_EQ(j["platform"], "Darwin");
    EXPECT_EQ(j["sample_interval"], 0.5);
    EXPECT_EQ(j["start"], 1234567890.123);
    EXPECT_EQ(j["end"], 1234567890.123);
    EXPECT_EQ(j["system_samples"], 1);
    ASSERT_EQ(j["processes"].size(), 1u);
    const auto& p = j["processes"][0];
    EXPECT_EQ(p["pid"], 12345);
    EXPECT_TRUE(p["pid"].is_number_integer());
    EXPECT_EQ(p["name"], "python");
    EXPECT_EQ(p["samples"], 1);
    EXPECT_EQ(p["first"], 1234567890.123);
    EXPECT_EQ(p["last"], 1234567890.123);
    EXPECT_EQ(j["functions"], json::array());
    EXPECT_EQ(j["warnings"], json::array());
}

TEST(InspectCli, JsonOfASummarySortsFunctionsByName) {
    auto r = inspect({"--json", goodFixture("summary_full.json")});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    json j = json::parse(r.out);
    EXPECT_EQ(j["kind"], "performance-summary");
    ASSERT_EQ(j["functions"].size(), 2u);
    EXPECT_EQ(j["functions"][0]["name"], "compute");
    EXPECT_EQ(j["functions"][0]["calls"], 2);
    EXPECT_EQ(j["functions"][0]["mean_wall_time"], 2.0);
    EXPECT_EQ(j["functions"][0]["mean_cpu_time"], 1.5);
    EXPECT_EQ(j["functions"][1]["name"], "load_data");
    EXPECT_FALSE(j["warnings"].empty());  // two timings were skipped: still exit 0
}

TEST(InspectCli, ProcessesSortedByPidAndNullsWhereUnknown) {
    auto r = inspect({goodFixture("zero_sample_process.json"), "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    json j = json::parse(r.out);
    ASSERT_EQ(j["processes"].size(), 2u);
    EXPECT_EQ(j["processes"][0]["pid"], 100);
    EXPECT_TRUE(j["processes"][0]["name"].is_null());
    EXPECT_TRUE(j["processes"][0]["first"].is_null());
    EXPECT_EQ(j["processes"][0]["samples"], 0);
    EXPECT_EQ(j["processes"][1]["pid"], 200);

    auto empty = inspect({goodFixture("start_time_null.json"), "--json"});
    json e = json::parse(empty.out);
    EXPECT_TRUE(e["start"].is_null());
    EXPECT_TRUE(e["end"].is_null());
    EXPECT_EQ(e["system_samples"], 0);
}

TEST(InspectCli, PlainOutputIsASummary) {
    auto r = inspect({goodFixture("wrong_types.json")});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("py-perf timeline"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("system samples: 2"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("system[1].cpu_percent: expected a number, got a string"), std::string::npos) << r.out;
}

TEST(InspectCli, SyntaxErrorExitsTwoWithFileLineColumn) {
    const std::string path = badFixture("syntax_error.json");
    auto r = inspect({path, "--json"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, path + ":3:53: trailing comma before '}'\n");
}

TEST(InspectCli, TruncatedAndWrongShapeAndMissingExitTwo) {
    for (const char* name : {"truncated.json", "wrong_shape_array.json", "empty.json", "no_such_file.json"}) {
        SCOPED_TRACE(name);
        const std::string path = badFixture(name);
        auto r = inspect({path});
        EXPECT_EQ(r.exitCode, 2);
        EXPECT_EQ(r.err.rfind(path + ":", 0), 0u) << r.err;
    }
}

TEST(InspectCli, HelpVersionAndUsage) {
    auto help = inspect({"--help"});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_NE(help.out.find("Usage:"), std::string::npos);
    EXPECT_NE(help.out.find("--json"), std::string::npos);
    auto version = inspect({"--version"});
    EXPECT_EQ(version.exitCode, 0);
    EXPECT_EQ(version.out, std::string("loadline-cli ") + LOADLINE_VERSION + "\n");
    auto none = inspect({});
    EXPECT_EQ(none.exitCode, 2);
    EXPECT_NE(none.err.find("missing FILE"), std::string::npos);
    auto unknown = inspect({"--frobnicate", goodFixture("pyperf_example_timeline.json")});
    EXPECT_EQ(unknown.exitCode, 2);
}

// py-perf's psutil first-call 0.0: the real py-perf timeline's processes were never measured.
TEST(InspectCli, JsonMarksProcessesWhoseCpuWasNeverMeasured) {
    auto r = inspect({std::string(LOADLINE_TEST_DATA) + "/pyperf/timeline_trainer.json", "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    json j = json::parse(r.out);
    ASSERT_EQ(j["processes"].size(), 3u);
    for (const auto& p : j["processes"]) {
        EXPECT_EQ(p["cpu_measured"], false) << p["pid"];
        bool warned = false;
        for (const auto& w : j["warnings"])
            warned |= w.get<std::string>().find("process " + std::to_string(p["pid"].get<int>())) != std::string::npos;
        EXPECT_TRUE(warned) << p["pid"];
    }
    // One idle and one busy process: both measured, no warning.
    r = inspect({std::string(LOADLINE_TEST_DATA) + "/chart/idle_and_busy.json", "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    j = json::parse(r.out);
    ASSERT_EQ(j["processes"].size(), 2u);
    for (const auto& p : j["processes"]) EXPECT_EQ(p["cpu_measured"], true) << p["pid"];
    EXPECT_EQ(j["warnings"], json::array());
}

// '-o -' writes a one-stream output to standard output (inspect, export-trace, export-csv);
// '-o FILE' writes it atomically; a FIFO target is written to, never replaced, and one without a
// reader is a clear error; a standard output that cannot take the bytes is an error, not exit 0.
TEST(OutputOption, DashIsStandardOutputAndSpecialFilesAreNeverReplaced) {
    const std::string fixture = goodFixture("summary_full.json");
    const auto plain = inspect({fixture});
    ASSERT_EQ(plain.exitCode, 0) << plain.err;
    const auto dash = inspect({fixture, "-o", "-"});
    ASSERT_EQ(dash.exitCode, 0) << dash.err;
    EXPECT_EQ(dash.out, plain.out);

    TempDir dir;
    const std::string file = dir.path + "/summary.txt";
    const auto toFile = inspect({fixture, "-o", file, "--json"});
    ASSERT_EQ(toFile.exitCode, 0) << toFile.err;
    EXPECT_EQ(toFile.out, "");
    EXPECT_EQ(json::parse(readText(file))["kind"], "performance-summary");

    const std::string fifo = dir.path + "/pipe";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const auto noReader = inspect({fixture, "-o", fifo});
    EXPECT_EQ(noReader.exitCode, 1);
    EXPECT_NE(noReader.err.find(fifo + ": cannot write: a FIFO with no reader"), std::string::npos) << noReader.err;
    struct stat st {};
    ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));

    const auto trace = runProgram({kCli, "export-trace", fixture, "-o", "-"});
    ASSERT_EQ(trace.exitCode, 0) << trace.err;
    EXPECT_TRUE(json::parse(trace.out).contains("traceEvents")) << trace.out.substr(0, 200);
    const auto csv = runProgram({kCli, "export-csv", fixture, "--what", "functions", "-o", "-"});
    ASSERT_EQ(csv.exitCode, 0) << csv.err;
    EXPECT_EQ(csv.out.rfind("function", 0), 0u) << csv.out.substr(0, 200);

    // /dev/full as standard output: every write fails with ENOSPC.
    const auto full = runProgram({"/bin/sh", "-c", "exec \"$0\" inspect \"$1\" -o - > /dev/full", kCli, fixture});
    EXPECT_EQ(full.exitCode, 1) << full.err;
    EXPECT_NE(full.err.find("standard output: cannot write: No space left on device"), std::string::npos) << full.err;
}
