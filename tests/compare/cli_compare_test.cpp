// loadline-cli compare BASE NEW on the real py-perf quiet/busy pair (tests/data/compare): the
// table, --json, --csv, --min-change, --fail-if-slower and the exit codes.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/clirun.h"

namespace fs = std::filesystem;

namespace {

using loadline::test::CliRun;
using loadline::test::slurp;

const std::string kQuiet = std::string(LOADLINE_TEST_DATA) + "/compare/summary_quiet.json";
const std::string kBusy = std::string(LOADLINE_TEST_DATA) + "/compare/summary_busy.json";

CliRun run(const std::string& args) {
    return loadline::test::runCli("compare " + args, std::filesystem::temp_directory_path() /
                                                         ("loadline-compare-" + std::to_string(::getpid()) + ".err"));
}

const nlohmann::json* function(const nlohmann::json& j, const std::string& name) {
    for (const auto& f : j["functions"])
        if (f["name"] == name) return &f;
    return nullptr;
}

}  // namespace

TEST(CliCompare, TableNamesFindingsAndTheMethod) {
    const auto r = run(kQuiet + " " + kBusy);
    ASSERT_EQ(r.status, 0) << r.err;
    std::istringstream in(r.out);
    std::string line, checksumRow, downloadRow;
    while (std::getline(in, line)) {
        if (line.rfind("checksum ", 0) == 0) checksumRow = line;
        if (line.rfind("download ", 0) == 0) downloadRow = line;
    }
    EXPECT_NE(checksumRow.find("29 -> 23"), std::string::npos) << checksumRow;
    EXPECT_NE(checksumRow.find("machine"), std::string::npos) << checksumRow;
    EXPECT_NE(downloadRow.find("no change"), std::string::npos) << downloadRow;
    EXPECT_NE(r.out.find("checksum: mean wall +69."), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("the machine was busier"), std::string::npos);
    EXPECT_NE(r.out.find("Mann-Whitney"), std::string::npos);
    EXPECT_NE(r.out.find("CPU % mean / p95"), std::string::npos);
}

TEST(CliCompare, JsonHasTheDocumentedShape) {
    const auto r = run(kQuiet + " " + kBusy + " --json");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["schema_version"], 1);  // docs/json.md
    ASSERT_EQ(j["functions"].size(), 4u);
    const auto* checksum = function(j, "checksum");
    ASSERT_NE(checksum, nullptr);
    EXPECT_EQ((*checksum)["status"], "both");
    EXPECT_EQ((*checksum)["calls"], nlohmann::json::array({29, 23}));
    EXPECT_EQ((*checksum)["finding"], "machine");
    EXPECT_NEAR((*checksum)["mean_wall_time"][0].get<double>(), 0.1475, 1e-4);
    EXPECT_NEAR((*checksum)["mean_wall_time"][1].get<double>(), 0.2498, 1e-4);
    EXPECT_NEAR((*checksum)["mean_cpu_time"][1].get<double>(), 0.1487, 1e-4);
    EXPECT_GT((*checksum)["mean_system_cpu_percent"][1].get<double>(), 90);
    EXPECT_NEAR((*checksum)["change_percent"].get<double>(), 69.3, 0.1);
    EXPECT_LT((*checksum)["p_value"].get<double>(), 0.001);
    const double lo = (*checksum)["ci"][0], hi = (*checksum)["ci"][1];
    EXPECT_LT(lo, 69.3);
    EXPECT_GT(hi, 69.3);
    EXPECT_EQ((*function(j, "download"))["finding"], "no change");
    EXPECT_GT(j["system"]["new"]["cpu_percent"]["mean"].get<double>(), 90);
    EXPECT_EQ(j["system"]["baseline"]["samples"], 81);
    EXPECT_TRUE(j["warnings"].is_array());
    EXPECT_EQ(j["method"]["min_change_percent"], 5.0);
}

TEST(CliCompare, CsvOneRowPerFunction) {
    const auto r = run(kQuiet + " " + kBusy + " --csv");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out.rfind("function,status,calls_base,calls_new,", 0), 0u);
    EXPECT_NE(r.out.find("\nchecksum,both,29,23,"), std::string::npos) << r.out;
    int lines = 0;
    for (char ch : r.out) lines += ch == '\n';
    EXPECT_EQ(lines, 5);
}

TEST(CliCompare, MinChangeRaisesTheBar) {
    const auto r = run(kQuiet + " " + kBusy + " --json --min-change 80%");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    for (const auto& f : j["functions"]) EXPECT_EQ(f["finding"], "no change") << f["name"];
}

TEST(CliCompare, FailIfSlowerIsACiGate) {
    // checksum +69 %, write_batch +76 %, tokenize +24 %: all significant.
    auto r = run(kQuiet + " " + kBusy + " --fail-if-slower 50%");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("'checksum' is 69."), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("'tokenize'"), std::string::npos) << r.err;
    EXPECT_EQ(run(kQuiet + " " + kBusy + " --fail-if-slower 80").status, 0);
    // Faster is never a failure.
    EXPECT_EQ(run(kBusy + " " + kQuiet + " --fail-if-slower 0").status, 0);
    // Below --min-change nothing changed, so nothing fails.
    EXPECT_EQ(run(kQuiet + " " + kBusy + " --min-change 90 --fail-if-slower 10").status, 0);
}

TEST(CliCompare, SameRunTwiceChangesNothing) {
    const auto r = run(kQuiet + " " + kQuiet + " --json --fail-if-slower 0");
    EXPECT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    for (const auto& f : j["functions"]) {
        EXPECT_EQ(f["finding"], "no change") << f["name"];
        EXPECT_DOUBLE_EQ(f["change_percent"].get<double>(), 0.0);
    }
}

TEST(CliCompare, UsageErrorsExit2) {
    auto r = run(kQuiet);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("no NEW file"), std::string::npos) << r.err;
    r = run(kQuiet + " " + kBusy + " " + kBusy);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("is extra"), std::string::npos) << r.err;
    r = run(kQuiet + " " + kBusy + " --min-change lots");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--min-change: invalid value 'lots'"), std::string::npos) << r.err;
    r = run(kQuiet + " " + kBusy + " --json --csv");
    EXPECT_EQ(r.status, 2);
    r = run(kQuiet + " /nonexistent/new.json");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("/nonexistent/new.json"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
}
