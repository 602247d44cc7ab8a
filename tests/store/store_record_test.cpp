// `loadline-cli record -o FILE.llrec` killed with SIGKILL at random points: the store always opens,
// holds complete ticks only, and loses at most about the last commit period (1 s). Also: a
// truncated final write (a power cut mid-commit), a second writer refused, --keep-store.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <sys/time.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "core/format/recordingio.h"
#include "core/store/llrec.h"

namespace fs = std::filesystem;
using namespace loadline::core;

namespace {

const std::string kCli = std::string(LOADLINE_BIN_DIR) + "/loadline-cli";

std::string tempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("loadline-storerec-" + std::to_string(::getpid()) + "-" + name)).string();
}

void removeStore(const std::string& p) {
    for (const char* s : {"", "-wal", "-shm", "-journal", ".lock"}) fs::remove(p + s);
}

pid_t spawn(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
        std::freopen("/dev/null", "w", stderr);
        ::execv(kCli.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

double epochNow() {
    timeval tv{};
    ::gettimeofday(&tv, nullptr);
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
}

}  // namespace

TEST(StoreRecord, KillNineAtTwentyRandomPointsNeverLeavesAnUnreadableFile) {
    std::mt19937 rng(20261203);
    std::uniform_int_distribution<int> delayMs(150, 3000);
    const double interval = 0.05;
    double worstLoss = 0;
    for (int run = 0; run < 20; ++run) {
        const std::string out = tempPath("kill" + std::to_string(run) + ".llrec");
        removeStore(out);
        const pid_t pid = spawn({kCli, "record", "-o", out, "--interval", "0.05", "--self"});
        ASSERT_GT(pid, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(rng)));
        const double killedAt = epochNow();
        ASSERT_EQ(::kill(pid, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFSIGNALED(status)) << "run " << run << ": the recorder ended before the kill";
        // A power cut in the middle of the last commit: its WAL frames are cut short.
        const bool truncated = run % 4 == 3 && fs::exists(out + "-wal") && fs::file_size(out + "-wal") > 200;
        if (truncated) fs::resize_file(out + "-wal", fs::file_size(out + "-wal") - 100);
        if (!fs::exists(out)) continue;  // killed before the store was created: nothing to open
        LoadResult r = loadRecordingFile(out);
        ASSERT_TRUE(r) << "run " << run << ": " << (!r.has_value() ? r.error().toString() : "");
        const Timeline& t = r->timeline;
        ASSERT_FALSE(r->warnings.empty()) << "run " << run << ": no warning that the file was cut";
        EXPECT_NE(r->warnings.front().find("not closed"), std::string::npos);
        // Complete ticks only: the recorder's own row (--self) is there for every system row.
        ASSERT_EQ(t.processes.size(), t.system.size() ? 1u : t.processes.size());
        if (t.system.size()) {
            const SeriesTable& self = t.processes.begin()->second.samples;
            ASSERT_EQ(self.size(), t.system.size()) << "run " << run;
            for (std::size_t i = 0; i < self.size(); ++i) ASSERT_EQ(self.timestamp(i), t.system.timestamp(i));
        }
        const double lastSample = t.system.size() ? t.system.timestamp(t.system.size() - 1) : killedAt - 1e9;
        // Lost: the time between the last stored sample and the kill. Commits come every
        // second; one sampling interval and a little scheduling slack on a busy machine on top.
        if (t.system.size()) {
            const double loss = killedAt - lastSample;
            if (!truncated) {
                worstLoss = std::max(worstLoss, loss);
                EXPECT_LE(loss, 1.0 + interval + 0.35) << "run " << run << ": lost " << loss << " s";
            } else {
                EXPECT_LE(loss, 2.0 + interval + 0.35) << "run " << run << " (final write truncated): lost " << loss;
            }
        }
        removeStore(out);
    }
    std::printf("worst loss over the kills: %.3f s\n", worstLoss);
}

TEST(StoreRecord, ASecondWriterIsRefusedClearly) {
    const std::string out = tempPath("two.llrec");
    removeStore(out);
    const pid_t pid = spawn({kCli, "record", "-o", out, "--interval", "0.05"});
    for (int i = 0; i < 400 && !fs::exists(out); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(fs::exists(out));
    std::string log;
    FILE* p = ::popen((kCli + " record -o " + out + " --duration 1 2>&1").c_str(), "r");
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) log += buf;
    const int rc = ::pclose(p);
    EXPECT_NE(WEXITSTATUS(rc), 0);
    EXPECT_NE(log.find("is writing this file"), std::string::npos) << log;
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    LoadResult r = loadRecordingFile(out);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->warnings.empty()) << "closed by SIGTERM: " << r->warnings.front();
    removeStore(out);
}

TEST(StoreRecord, JsonOutputKeepsItsJournalOnlyWhenAsked) {
    const std::string out = tempPath("kept.json");
    fs::remove(out);
    removeStore(out + ".llrec");
    ASSERT_EQ(
        std::system((kCli + " record -o " + out + " --interval 0.02 --samples 30 --keep-store 2>/dev/null").c_str()),
        0);
    LoadResult json = loadRecordingFile(out), journal = loadRecordingFile(out + ".llrec");
    ASSERT_TRUE(json && journal);
    EXPECT_EQ(json->timeline.system.size(), 30u);
    // The journal holds the same samples (plus the recorder's footprint columns).
    ASSERT_EQ(journal->timeline.system.size(), 30u);
    for (std::size_t i = 0; i < 30; ++i) {
        EXPECT_EQ(journal->timeline.system.timestamp(i), json->timeline.system.timestamp(i));
        EXPECT_EQ(journal->timeline.system.value("cpu_percent", i), json->timeline.system.value("cpu_percent", i));
    }
    // The header is the final one: the same metadata as the JSON (end_time of the last sample).
    EXPECT_EQ(journal->timeline.metadata.endTime, json->timeline.metadata.endTime);
    EXPECT_EQ(journal->timeline.metadata.startTime, json->timeline.metadata.startTime);
    const SeriesTable& sys = journal->timeline.system;
    ASSERT_GE(sys.columnIndex("loadline_recorder_cpu_s"), 0);
    ASSERT_GE(sys.columnIndex("loadline_tick_late_s"), 0);
    EXPECT_GT(sys.value("loadline_recorder_cpu_s", 29), 0);
    EXPECT_GE(sys.value("loadline_recorder_cpu_s", 29), sys.value("loadline_recorder_cpu_s", 0));
    fs::remove(out);
    removeStore(out + ".llrec");
    ASSERT_EQ(std::system((kCli + " record -o " + out + " --interval 0.02 --samples 5 2>/dev/null").c_str()), 0);
    EXPECT_TRUE(fs::exists(out));
    EXPECT_FALSE(fs::exists(out + ".llrec"));
    fs::remove(out);
}

// `convert` both ways through the command line: store -> JSON equals JSON -> JSON, and
// --max-samples / --from / --to select the same samples from either kind of input.
TEST(Store, ConvertCliBothWays) {
    const std::string& cli = kCli;
    const std::string in = std::string(LOADLINE_TEST_DATA) + "/pyperf/timeline_trainer.json";
    const std::string st = tempPath("cli.llrec"), back = tempPath("cli.json"), norm = tempPath("norm.json");
    auto run = [](const std::string& cmd) { return std::system((cmd + " 2>/dev/null").c_str()); };
    ASSERT_EQ(run(cli + " convert " + in + " -o " + st), 0);
    ASSERT_EQ(run(cli + " convert " + st + " -o " + back), 0);
    ASSERT_EQ(run(cli + " convert " + in + " -o " + norm), 0);
    auto slurp = [](const std::string& p) {
        std::ifstream f(p);
        std::stringstream s;
        s << f.rdbuf();
        return s.str();
    };
    EXPECT_FALSE(slurp(back).empty());
    EXPECT_EQ(slurp(back), slurp(norm));
    // --max-samples keeps the newest N system samples, from either kind of input.
    ASSERT_EQ(run(cli + " convert " + st + " -o " + back + " --max-samples 10"), 0);
    ASSERT_EQ(run(cli + " convert " + in + " -o " + norm + " --max-samples 10"), 0);
    LoadResult a = loadRecordingFile(back), b = loadRecordingFile(norm);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->timeline.system.size(), 10u);
    EXPECT_EQ(b->timeline.system.size(), 10u);
    EXPECT_EQ(a->timeline.system.timestamp(0), b->timeline.system.timestamp(0));
    // --from/--to: the same range from the store and from the JSON gives the same file.
    const LoadResult whole = loadRecordingFile(in);
    ASSERT_TRUE(whole);
    const auto& sys = whole->timeline.system;
    ASSERT_GT(sys.size(), 60u);
    char range[128];
    std::snprintf(range, sizeof range, " --from %.17g --to %.17g", sys.timestamp(20), sys.timestamp(59));
    ASSERT_EQ(run(cli + " convert " + st + " -o " + back + range), 0);
    ASSERT_EQ(run(cli + " convert " + in + " -o " + norm + range), 0);
    EXPECT_EQ(slurp(back), slurp(norm));
    LoadResult c = loadRecordingFile(back);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->timeline.system.size(), 40u);
    // A summary's calls follow the range: those overlapping it stay, the others go.
    const std::string summary = std::string(LOADLINE_TEST_DATA) + "/pyperf/summary_quiet.json";
    const LoadResult full = loadRecordingFile(summary);
    ASSERT_TRUE(full);
    const auto& calls = full->functionTimings;
    ASSERT_GT(calls.size(), 20u);
    double to = 0;
    {
        std::vector<double> ends;
        for (const auto& f : calls) ends.push_back(f.timestamp);
        std::sort(ends.begin(), ends.end());
        to = ends[ends.size() / 2];  // about half of the calls end before it
    }
    std::snprintf(range, sizeof range, " --to %.17g", to);
    ASSERT_EQ(run(cli + " convert " + summary + " -o " + norm + range), 0);
    LoadResult half = loadRecordingFile(norm);
    ASSERT_TRUE(half);
    std::size_t overlapping = 0;
    for (const auto& f : calls) overlapping += f.startTime() <= to;
    EXPECT_EQ(half->functionTimings.size(), overlapping);
    EXPECT_LT(overlapping, calls.size());
    for (const auto& f : half->functionTimings) EXPECT_LE(f.startTime(), to);
    removeStore(st);
    fs::remove(back);
    fs::remove(norm);
}
