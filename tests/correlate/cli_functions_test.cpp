// loadline-cli functions / export-trace / export-csv on a hand-made performance summary
// (tests/data/correlate/handmade_summary.json, answers known by construction):
//   system CPU 10 % for t = 0..3 s, 100 % for 4..6, 40 % for 7..10 (one sample a second)
//   burst_call   [4.2, 5.8]  inside the burst            -> 100 %,  CPU 0.2 s  -> unknown (under
//                load, but no low-load burst_call to judge whether the load cost it time)
//   step_call    [6.5, 7.5]  across the step 100 -> 40   -> 47.5 %, CPU 0.05 s -> waiting
//   between_call [3.2, 3.4]  between two samples (ramp)  -> 37 %,   CPU = wall -> own work
//   outside_call  timestamp on another clock base         -> no load, warned, unknown
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/clirun.h"

namespace fs = std::filesystem;

namespace {

const std::string kSummary = std::string(LOADLINE_TEST_DATA) + "/correlate/handmade_summary.json";

using loadline::test::CliRun;
using loadline::test::slurp;

/** This process's scratch area, removed when the test binary exits (ctest runs one test each). */
struct ScratchRoot {
    fs::path path = fs::temp_directory_path() / ("loadline-cli-functions-" + std::to_string(::getpid()));
    ~ScratchRoot() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

fs::path scratchDir() {
    static ScratchRoot root;
    auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    fs::path d = root.path / info->name();
    fs::create_directories(d);
    return d;
}

CliRun run(const std::string& args) { return loadline::test::runCli(args, scratchDir() / "stderr.txt"); }

// CSV rows as maps keyed by the header (the files have no quoted commas in these tests).
std::vector<std::map<std::string, std::string>> csvRecords(const std::string& text) {
    std::vector<std::map<std::string, std::string>> out;
    std::istringstream in(text);
    std::string line;
    std::vector<std::string> header;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ls(line);
        for (std::string c; std::getline(ls, c, ',');) cells.push_back(c);
        if (!line.empty() && line.back() == ',') cells.push_back("");
        if (header.empty()) {
            header = cells;
            continue;
        }
        EXPECT_EQ(cells.size(), header.size()) << line;
        std::map<std::string, std::string> rec;
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) rec[header[i]] = cells[i];
        out.push_back(rec);
    }
    return out;
}

std::map<std::string, std::string> byFunction(const std::vector<std::map<std::string, std::string>>& rows,
                                              const std::string& name) {
    for (const auto& r : rows)
        if (r.at("function") == name) return r;
    ADD_FAILURE() << "no row for " << name;
    return {};
}

}  // namespace

TEST(CliFunctions, PerFunctionCsvHasTheLoadKnownByConstruction) {
    const CliRun r = run("functions " + kSummary + " --csv");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto rows = csvRecords(r.out);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_NEAR(std::stod(byFunction(rows, "burst_call")["mean_system_cpu_percent"]), 100.0, 1e-4);
    EXPECT_NEAR(std::stod(byFunction(rows, "step_call")["mean_system_cpu_percent"]), 47.5, 1e-4);
    EXPECT_NEAR(std::stod(byFunction(rows, "between_call")["mean_system_cpu_percent"]), 37.0,
                1e-4);  // epoch doubles: ~1e-7 s of rounding in start times
    EXPECT_EQ(byFunction(rows, "outside_call")["mean_system_cpu_percent"], "");
    EXPECT_EQ(byFunction(rows, "burst_call")["contention"], "0");
    EXPECT_EQ(byFunction(rows, "burst_call")["unknown"], "1");
    EXPECT_EQ(byFunction(rows, "step_call")["waiting"], "1");
    EXPECT_EQ(byFunction(rows, "between_call")["own_work"], "1");
    EXPECT_EQ(byFunction(rows, "outside_call")["unknown"], "1");
    EXPECT_NEAR(std::stod(byFunction(rows, "burst_call")["mean_system_memory_percent"]), 50.0, 1e-9);
    // The timing on another clock base is reported, never silently attributed.
    EXPECT_NE(r.err.find("outside_call"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("outside the timeline"), std::string::npos) << r.err;
}

TEST(CliFunctions, PerCallVerdicts) {
    const CliRun r = run("functions " + kSummary + " --calls --csv");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto rows = csvRecords(r.out);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(byFunction(rows, "burst_call")["verdict"], "unknown");
    EXPECT_EQ(byFunction(rows, "step_call")["verdict"], "waiting");
    EXPECT_EQ(byFunction(rows, "between_call")["verdict"], "own work");
    EXPECT_EQ(byFunction(rows, "outside_call")["verdict"], "unknown");
    EXPECT_EQ(byFunction(rows, "burst_call")["samples_in_window"], "1");    // t = 5
    EXPECT_EQ(byFunction(rows, "between_call")["samples_in_window"], "0");  // between samples
}

TEST(CliFunctions, TableStatesTheThresholds) {
    const CliRun r = run("functions " + kSummary);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("burst_call"), std::string::npos);
    EXPECT_NE(r.out.find("CPU time / wall time >= 0.8"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(">= 70 %"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("fewer than 5 low-load calls"), std::string::npos) << r.out;
    // A custom threshold changes the verdict: at 30 % the step call (47.5 %) is under high
    // load, with no low-load call of its own to judge against: unknown, no longer waiting.
    const CliRun c = run("functions " + kSummary + " --calls --csv --high-load 30");
    EXPECT_EQ(byFunction(csvRecords(c.out), "step_call")["verdict"], "unknown");
    EXPECT_EQ(run("functions " + kSummary + " --min-low-load-calls 0").status, 2);
}

TEST(CliFunctions, BadInputIsAClearErrorNotACrash) {
    const CliRun missing = run("functions /nonexistent/x.json");
    EXPECT_EQ(missing.status, 2);
    EXPECT_NE(missing.err.find("/nonexistent/x.json"), std::string::npos);
    EXPECT_EQ(run("functions").status, 2);
    EXPECT_EQ(run("functions " + kSummary + " --high-load abc").status, 2);
    EXPECT_EQ(run("export-trace " + kSummary).status, 2);  // no -o
}

TEST(CliExportTrace, WritesCountersAndCallsOfTheFile) {
    const fs::path out = scratchDir() / "trace.json";
    const CliRun r = run("export-trace " + kSummary + " -o " + out.string());
    ASSERT_EQ(r.status, 0) << r.err;
    const auto trace = nlohmann::json::parse(slurp(out));
    int sysCpu = 0, procCpu = 0;
    std::map<std::string, nlohmann::json> calls;
    for (const auto& e : trace["traceEvents"]) {
        if (e["ph"] == "C" && e["name"] == "System CPU %") ++sysCpu;
        if (e["ph"] == "C" && e["pid"] == 12345 && e["name"] == "CPU %") ++procCpu;
        if (e["ph"] == "X") calls[e["name"]] = e;
    }
    EXPECT_EQ(sysCpu, 11);
    EXPECT_EQ(procCpu, 11);
    ASSERT_EQ(calls.size(), 4u);
    EXPECT_NEAR(calls["burst_call"]["ts"].get<double>(), 1700000004.2e6, 1.0);
    EXPECT_NEAR(calls["burst_call"]["dur"].get<double>(), 1.6e6, 1.0);
    EXPECT_EQ(calls["step_call"]["args"]["verdict"], "waiting");
    fs::remove_all(out.parent_path());
}

TEST(CliExportCsv, WritesOneFilePerTable) {
    const fs::path dir = scratchDir();
    const std::string prefix = (dir / "rec").string();
    const CliRun r = run("export-csv " + kSummary + " -o " + prefix);
    ASSERT_EQ(r.status, 0) << r.err;
    for (const char* t : {"system", "processes", "calls", "functions"})
        EXPECT_TRUE(fs::exists(prefix + "-" + t + ".csv")) << t;
    EXPECT_EQ(csvRecords(slurp(prefix + "-system.csv")).size(), 11u);
    EXPECT_EQ(csvRecords(slurp(prefix + "-processes.csv")).size(), 11u);
    EXPECT_EQ(csvRecords(slurp(prefix + "-calls.csv")).size(), 4u);
    // One table to standard output.
    const CliRun one = run("export-csv " + kSummary + " -o - --what functions");
    EXPECT_EQ(csvRecords(one.out).size(), 4u);
    EXPECT_EQ(run("export-csv " + kSummary + " -o x --what nonsense").status, 2);
    // A target that cannot be written (here a directory) fails the command before any file of
    // the set is replaced.
    const std::string kept = (dir / "kept").string();
    std::FILE* f = std::fopen((kept + "-system.csv").c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("earlier\n", f);
    std::fclose(f);
    fs::create_directory(kept + "-processes.csv");
    const CliRun refused = run("export-csv " + kSummary + " -o " + kept);
    EXPECT_EQ(refused.status, 1);
    EXPECT_NE(refused.err.find("nothing was written"), std::string::npos) << refused.err;
    EXPECT_EQ(slurp(kept + "-system.csv"), "earlier\n");
    fs::remove_all(dir);
}

TEST(CliInspect, JsonFunctionsCarryTheLoadFields) {
    const CliRun r = run("inspect " + kSummary + " --json");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    std::map<std::string, nlohmann::json> f;
    for (const auto& e : j["functions"]) f[e["name"]] = e;
    ASSERT_EQ(f.size(), 4u);
    // The base keys scripts rely on stay.
    EXPECT_EQ(f["burst_call"]["calls"], 1);
    EXPECT_NEAR(f["burst_call"]["mean_wall_time"].get<double>(), 1.6, 1e-9);
    // The load-correlation keys.
    EXPECT_NEAR(f["burst_call"]["mean_system_cpu_percent"].get<double>(), 100.0, 1e-4);
    EXPECT_NEAR(f["step_call"]["mean_system_cpu_percent"].get<double>(), 47.5, 1e-4);
    EXPECT_NEAR(f["step_call"]["mean_system_memory_percent"].get<double>(), 50.0, 1e-9);
    EXPECT_NEAR(f["burst_call"]["p95_wall_time"].get<double>(), 1.6, 1e-9);
    EXPECT_TRUE(f["burst_call"]["slowdown_under_load"].is_null());  // one call: no low-load group
    EXPECT_TRUE(f["outside_call"]["mean_system_cpu_percent"].is_null());
    EXPECT_TRUE(f["outside_call"]["mean_system_memory_percent"].is_null());
    EXPECT_EQ(f["step_call"]["verdicts"]["waiting"], 1);
}
