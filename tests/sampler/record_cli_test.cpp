// loadline-cli record end to end: a fixed sample count, SIGTERM while recording (with the
// checkpoint observed first), and the errors at start. Files are checked with Python's json.load.
#include <gtest/gtest.h>

#include "core/format/recordingio.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/collect/procfile.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kCli = std::string(LOADLINE_BIN_DIR) + "/loadline-cli";

std::string tempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("loadline-record-" + std::to_string(::getpid()) + "-" + name)).string();
}

std::string run(const std::string& cmd, int* rc = nullptr) {
    std::string out;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int status = ::pclose(p);
    if (rc) *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

/** The file as Python's json.load sees it, summarised: {"ok", "system", "processes": {pid: n}, "keys"...}. */
json pythonSummary(const std::string& path) {
    std::string script =
        "import json,sys\n"
        "d = json.load(open(sys.argv[1]))\n"
        "procs = d[\"processes\"]\n"
        "first = next(iter(procs.values()))[0] if procs else {}\n"
        "print(json.dumps({\"top\": sorted(d.keys()), \"system\": len(d[\"system\"]),"
        " \"system_keys\": sorted(d[\"system\"][0].keys()) if d[\"system\"] else [],"
        " \"processes\": {k: len(v) for k, v in procs.items()}, \"process_keys\": sorted(first.keys()),"
        " \"metadata\": d[\"metadata\"]}))\n";
    std::string out = run(std::string(LOADLINE_SYSTEM_PYTHON) + " -c '" + script + "' " + path);
    json j = json::parse(out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "python json.load failed: " << out;
    return j;
}

/** Starts `loadline-cli record -o OUT --interval 0.02 --self EXTRA...` in the background. */
pid_t spawnRecord(const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> args = {kCli, "record", "-o", out, "--interval", "0.02", "--self"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
        ::execv(kCli.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

/** Exit status of a child, or -1 when it did not exit normally. */
int waitExit(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

bool contains(const json& arr, const char* key) {
    for (const auto& k : arr)
        if (k == key) return true;
    return false;
}

}  // namespace

TEST(RecordCli, FixedSampleCountWritesAPyPerfTimeline) {
    const std::string out = tempPath("count.json");
    int rc = -1;
    std::string log = run(kCli + " record -o " + out + " --interval 0.02 --samples 3 --self --per-cpu", &rc);
    ASSERT_EQ(rc, 0) << log;
    EXPECT_NE(log.find("saved 3 samples"), std::string::npos) << log;
    json s = pythonSummary(out);
    ASSERT_TRUE(s.is_object());
    EXPECT_EQ(s["top"], json({"metadata", "processes", "system"}));
    EXPECT_EQ(s["system"], 3);
    for (const char* k : {"timestamp", "cpu_percent", "memory_percent", "memory_available_mb", "memory_used_mb",
                          "load_avg_1m", "load_avg_5m", "load_avg_15m"})
        EXPECT_TRUE(contains(s["system_keys"], k)) << k;
    EXPECT_TRUE(contains(s["system_keys"], "cpu_percent_per_core")) << s["system_keys"];
    ASSERT_EQ(s["processes"].size(), 1u);  // --self: the recorder
    EXPECT_EQ(s["processes"].begin().value(), 3);
    for (const char* k : {"timestamp", "pid", "name", "cpu_percent", "memory_rss_mb", "memory_vms_mb", "num_threads",
                          "status", "create_time", "cmdline"})
        EXPECT_TRUE(contains(s["process_keys"], k)) << k;
    EXPECT_EQ(s["metadata"]["platform"], "Linux");
    EXPECT_DOUBLE_EQ(s["metadata"]["sample_interval"].get<double>(), 0.02);
    EXPECT_LE(s["metadata"]["start_time"].get<double>(), s["metadata"]["end_time"].get<double>());
    fs::remove(out);
}

TEST(RecordCli, AnExplicitMaxSamplesBelowTheRunIsKeptAndSaid) {
    const std::string out = tempPath("bounded.json");
    int rc = -1;
    const std::string log =
        run(kCli + " record -o " + out + " --interval 0.02 --samples 6 --max-samples 3 --self", &rc);
    ASSERT_EQ(rc, 0) << log;
    EXPECT_NE(log.find("keeps only the newest 3 of about 6 samples"), std::string::npos) << log;
    json s = pythonSummary(out);
    ASSERT_TRUE(s.is_object());
    EXPECT_EQ(s["system"], 3);
    fs::remove(out);
}

TEST(RecordCli, SigtermStopsAndSavesAfterJournalCommits) {
    const std::string out = tempPath("sigterm.json");
    const std::string journal = out + ".llrec";
    fs::remove(out);
    const pid_t pid = spawnRecord(out, {"--checkpoint", "0.1"});
    ASSERT_GT(pid, 0);
    // While recording, the samples go to the journal store beside the JSON (committed every
    // 0.1 s here); every version a reader opens is a consistent prefix. The bound only keeps a
    // broken build from hanging.
    std::size_t committed = 0;
    for (int i = 0; i < 1200 && committed < 2; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (!fs::exists(journal)) continue;
        auto loaded = loadline::core::loadRecordingFile(journal);
        ASSERT_TRUE(loaded) << (!loaded.has_value() ? loaded.error().toString() : "");
        committed = loaded->timeline.system.size();
    }
    ASSERT_GE(committed, 2u);
    ASSERT_EQ(::kill(pid, SIGTERM), 0);
    EXPECT_EQ(waitExit(pid), 0);
    json s = pythonSummary(out);
    ASSERT_TRUE(s.is_object());
    EXPECT_GE(s["system"].get<std::size_t>(), committed);
    ASSERT_EQ(s["processes"].size(), 1u);
    EXPECT_EQ(s["processes"].begin().key(), std::to_string(pid));
    EXPECT_FALSE(fs::exists(journal)) << "the journal is removed once the JSON is written";
    fs::remove(out);
}

// --samples N is ended by the sampler's own SIGUSR1; one sent by someone else must not cut the
// recording short.
TEST(RecordCli, StraySigusr1DoesNotEndASampleCount) {
    const std::string out = tempPath("usr1.json");
    fs::remove(out);
    const pid_t pid = spawnRecord(out, {"--samples", "25"});
    ASSERT_GT(pid, 0);
    // The empty timeline is saved once the stop signals are blocked: only then is SIGUSR1 safe.
    for (int i = 0; i < 1000 && !fs::exists(out); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_TRUE(fs::exists(out));
    ASSERT_EQ(::kill(pid, SIGUSR1), 0);
    EXPECT_EQ(waitExit(pid), 0);
    json s = pythonSummary(out);
    ASSERT_TRUE(s.is_object());
    EXPECT_EQ(s["system"], 25);
    fs::remove(out);
}

// --match is the process name, --match-cmdline the command line: a shell whose command line
// mentions the name is not a name match, and the shell's `sleep` child matches neither.
TEST(RecordCli, MatchIsTheNameAndMatchCmdlineTheCommandLine) {
    const std::string dir = tempPath("bin");
    fs::create_directories(dir);
    const std::string named = dir + "/llrec-name";
    fs::copy_file("/bin/sleep", named, fs::copy_options::overwrite_existing);
    const std::string out = tempPath("match.json");
    // A shell script named llrec-marker.sh (its command line mentions the marker) starts the named
    // program and a plain sleep, then the recorder.
    const std::string scriptPath = dir + "/llrec-marker.sh";
    {
        std::FILE* f = std::fopen(scriptPath.c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fprintf(
            f,
            "cd %s\n./llrec-name 30 & echo $! > name.pid\nsleep 30 & echo $! > sleep.pid\necho $$ > sh.pid\n"
            "%s record -o %s --interval 0.05 --samples 6 --match '^llrec-name$' --match-cmdline 'llrec-marker'\n"
            "rc=$?\nkill $(cat name.pid) $(cat sleep.pid)\nexit $rc\n",
            dir.c_str(), kCli.c_str(), out.c_str());
        std::fclose(f);
    }
    int rc = 0;
    const std::string log = run("/bin/sh " + scriptPath, &rc);
    ASSERT_EQ(rc, 0) << log;
    auto pidIn = [&](const char* file) {
        std::string text;
        loadline::core::readWholeFile(dir + "/" + file, text);
        return std::to_string(std::atoi(text.c_str()));
    };
    const json j = pythonSummary(out);
    const json& procs = j["processes"];
    EXPECT_TRUE(procs.contains(pidIn("name.pid"))) << procs.dump();    // by name
    EXPECT_TRUE(procs.contains(pidIn("sh.pid"))) << procs.dump();      // by command line (the shell)
    EXPECT_FALSE(procs.contains(pidIn("sleep.pid"))) << procs.dump();  // neither
    fs::remove_all(dir);
    fs::remove(out);
}

TEST(RecordCli, ErrorsAtStart) {
    int rc = -1;
    std::string log = run(kCli + " record -o " + tempPath("x.json") + " --pid 1073741800", &rc);
    EXPECT_EQ(rc, 2);
    EXPECT_NE(log.find("no process with PID 1073741800"), std::string::npos) << log;
    log = run(kCli + " record --samples 1", &rc);
    EXPECT_EQ(rc, 2);
    EXPECT_NE(log.find("-o FILE"), std::string::npos) << log;
    log = run(kCli + " record -o " + tempPath("y.json") + " --duration 1 --samples 2", &rc);
    EXPECT_EQ(rc, 2);
    log = run(kCli + " record -o " + tempPath("z.json") + " --duration 0.05", &rc);  // < the 0.5 s interval
    EXPECT_EQ(rc, 2) << log;  // it used to save 0 samples and exit 0
    EXPECT_NE(log.find("shorter than --interval"), std::string::npos) << log;
    log = run(kCli + " record -o " + tempPath("z.json") + " --interval 0.001", &rc);
    EXPECT_EQ(rc, 2);
    EXPECT_NE(log.find("0.01"), std::string::npos) << log;
    // A start error must not touch the output: here an earlier recording the user keeps.
    const std::string kept = tempPath("w.json");
    {
        std::FILE* f = std::fopen(kept.c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::fputs("{\"system\": [], \"processes\": {}, \"metadata\": {\"kept\": true}}\n", f);
        std::fclose(f);
    }
    log = run(kCli + " record -o " + kept + " --match '(bad' --samples 1", &rc);
    EXPECT_EQ(rc, 2);
    EXPECT_NE(log.find("(bad"), std::string::npos) << log;
    json keptJson = pythonSummary(kept);
    EXPECT_EQ(keptJson["metadata"]["kept"], true) << "a bad --match overwrote the output file";
    fs::remove(kept);
    for (const char* name : {"x.json", "y.json", "z.json"})
        EXPECT_FALSE(fs::exists(tempPath(name))) << name << " was created by a command that failed at start";
    log = run(kCli + " record -o /nonexistent-dir-loadline/out.json --samples 1", &rc);
    EXPECT_EQ(rc, 1);
    EXPECT_NE(log.find("/nonexistent-dir-loadline/out.json"), std::string::npos) << log;
}

TEST(SnapshotCli, JsonHasEveryCategory) {
    int rc = -1;
    std::string out = run(kCli + " snapshot --json --window 0.1 --top 3", &rc);
    ASSERT_EQ(rc, 0) << out;
    json j = json::parse(out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << out;
    for (const char* k : {"cpu_percent",
                          "cpu_count_logical",
                          "cpu_count_physical",
                          "cpu_per_core",
                          "load_average",
                          "memory_total",
                          "memory_available",
                          "memory_used",
                          "memory_percent",
                          "swap_total",
                          "swap_used",
                          "disk_total",
                          "disk_used",
                          "disk_free",
                          "disk_percent",
                          "disk_read_bytes",
                          "disk_write_bytes",
                          "network_bytes_sent",
                          "network_bytes_recv",
                          "network_packets_sent",
                          "network_packets_recv",
                          "gpu_count",
                          "gpu",
                          "processes",
                          "filesystems",
                          "uptime"})
        EXPECT_TRUE(j.contains(k)) << k;
    EXPECT_EQ(j["cpu_per_core"].size(), j["cpu_count_logical"].get<std::size_t>());
    EXPECT_EQ(j["processes"].size(), 3u);
    for (const auto& p : j["processes"]) {
        EXPECT_TRUE(p["num_threads"].is_number_integer()) << p.dump();  // a count, as psutil gives it
        EXPECT_TRUE(p["pid"].is_number_integer()) << p.dump();
    }
    EXPECT_EQ(j["gpu_count"], j["gpu"].size());
    out = run(kCli + " snapshot --window 0.1", &rc);
    EXPECT_EQ(rc, 0);
    EXPECT_NE(out.find("Memory"), std::string::npos) << out;
    run(kCli + " snapshot --bogus", &rc);
    EXPECT_EQ(rc, 2);
}
