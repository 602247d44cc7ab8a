// The sampler: schedule maths, timeline columns, bounded history, tracking (PID, self, pattern,
// processes started later, exits), the sink and thread-safe access while running.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

#include "core/sampler/sampler.h"

using namespace loadline::core;
using namespace std::chrono;

namespace {

pid_t spawnSleeper(const char* marker) {
    pid_t pid = ::fork();
    if (pid == 0) {
        ::setpgid(0, 0);  // its own group: killChild takes the shell's `sleep` along
        ::execl("/bin/sh", "sh", "-c", (std::string("sleep 60; echo ") + marker).c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here: no race with an early killChild
    // Wait (bounded) until the exec happened, so the child is "sh ... marker", not a copy of us.
    for (int i = 0; i < 2000; ++i) {
        std::string cmd;
        if (readWholeFile("/proc/" + std::to_string(pid) + "/cmdline", cmd) && cmd.find(marker) != std::string::npos)
            break;
        std::this_thread::sleep_for(milliseconds(5));
    }
    return pid;
}

// Kills the child and, when it leads a group (spawnSleeper), its children: a lingering `sleep 60`
// would keep ctest's output pipes open for a minute.
void killChild(pid_t pid) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

SamplerOptions quietOptions() {
    SamplerOptions o;
    o.system.gpu = false;
    return o;
}

}  // namespace

TEST(SamplerSchedule, DeadlinesStayOnTheGrid) {
    const steady_clock::time_point t0{seconds(100)};
    const auto p = milliseconds(500);
    // On time: the next slot.
    EXPECT_EQ(nextDeadline(t0, t0 + milliseconds(10), p), t0 + p);
    // A tick that overran 1.2 periods: skip the missed slot, stay on the grid (no burst, no drift).
    auto n = nextDeadline(t0, t0 + milliseconds(1100), p);
    EXPECT_EQ(n, t0 + 3 * p);
    // Exactly at the deadline: the following slot.
    EXPECT_EQ(nextDeadline(t0, t0 + p, p), t0 + 2 * p);
}

TEST(Sampler, TimelineHasPyPerfColumnsAndExtras) {
    SamplerOptions o = quietOptions();
    o.trackSelf = true;
    o.maxSamples = 4;
    Sampler s(o);
    for (int i = 0; i < 6; ++i) {
        // Let the kernel's CPU counters (USER_HZ) advance between ticks, as a real interval does.
        std::this_thread::sleep_for(milliseconds(30));
        s.tickNow();
    }
    EXPECT_EQ(s.tickCount(), 6u);
    Timeline t = s.timeline();
    EXPECT_EQ(t.system.size(), 4u);  // bounded
    for (const char* c : {col::kTimestamp, col::kCpuPercent, col::kMemoryPercent, col::kMemoryAvailableMb,
                          col::kMemoryUsedMb, col::kLoadAvg1m, col::kLoadAvg5m, col::kLoadAvg15m})
        EXPECT_TRUE(std::string(c) == col::kTimestamp || t.system.columnIndex(c) >= 0) << c;
    EXPECT_GE(t.system.columnIndex(col::kMemoryTotalMb), 0);
    EXPECT_GE(t.system.columnIndex(col::kSwapPercent), 0);
    EXPECT_GE(t.system.columnIndex(col::kNetRecvBytesPerS), 0);
    EXPECT_GE(t.system.columnIndex("cpu_percent_per_core[0]"), 0);
    EXPECT_TRUE(t.metadata.platform == std::string("Linux"));
    EXPECT_DOUBLE_EQ(*t.metadata.sampleInterval, 0.5);
    ASSERT_TRUE(t.metadata.startTime && t.metadata.endTime);
    EXPECT_LE(*t.metadata.startTime, *t.metadata.endTime);
    // Every system sample has a CPU percent (the sampler primes the counters first).
    int cpuCol = t.system.columnIndex(col::kCpuPercent);
    for (std::size_t r = 0; r < t.system.size(); ++r) {
        EXPECT_FALSE(isMissing(t.system.value(cpuCol, r)));
        EXPECT_GT(t.system.timestamp(r), 1.6e9);  // Unix epoch seconds
    }
    const int self = static_cast<int>(::getpid());
    ASSERT_EQ(t.processes.count(self), 1u);
    const SeriesTable& p = t.processes.at(self).samples;
    EXPECT_EQ(p.size(), 4u);
    for (const char* c : {col::kPid, col::kName, col::kCpuPercent, col::kMemoryRssMb, col::kMemoryVmsMb,
                          col::kNumThreads, col::kStatus, col::kCreateTime, col::kCmdline})
        EXPECT_GE(p.columnIndex(c), 0) << c;
    EXPECT_TRUE(p.isTextColumn(p.columnIndex(col::kName)));
    EXPECT_EQ(p.value(col::kPid, 0), self);
    EXPECT_GT(p.value(col::kMemoryRssMb, 3), 0.0);
    EXPECT_EQ(p.text(p.columnIndex(col::kStatus), 3), "running");  // we are running while we sample
    EXPECT_GE(p.columnIndex(col::kNumFds), 0);
    EXPECT_GT(p.value(col::kNumFds, 3), 2.0);
}

namespace {
// The per-core columns of a timeline, by index: "cpu_percent_per_core[i]" → column.
std::map<int, int> perCoreColumns(const SeriesTable& t) {
    const std::string prefix = "cpu_percent_per_core[";
    std::map<int, int> out;
    for (int c = 0; c < t.columnCount(); ++c) {
        const std::string& name = t.columnName(c);
        if (name.compare(0, prefix.size(), prefix) == 0) out[std::stoi(name.substr(prefix.size()))] = c;
    }
    return out;
}

// The kernel's own count, read here without the collector: one more than the highest N of the
// "cpuN" lines of /proc/stat (an offline core has no line but keeps its index).
int coresInProcStat() {
    std::string stat;
    if (!readWholeFile("/proc/stat", stat)) return -1;
    int highest = -1;
    for (std::size_t at = 0; at < stat.size();) {
        std::size_t end = stat.find('\n', at);
        if (end == std::string::npos) end = stat.size();
        if (end - at > 3 && stat.compare(at, 3, "cpu") == 0 && std::isdigit(static_cast<unsigned char>(stat[at + 3])))
            highest = std::max(highest, std::atoi(stat.c_str() + at + 3));
        at = end + 1;
    }
    return highest + 1;
}
}  // namespace

// perCpu on (the default): one column per core of /proc/stat, named [0]..[N-1], each a percent;
// off: no per-core column at all, while the machine's CPU percent is still recorded.
TEST(Sampler, PerCpuOptionDecidesThePerCoreColumns) {
    const int cores = coresInProcStat();
    ASSERT_GT(cores, 0);
    for (bool perCpu : {true, false}) {
        SCOPED_TRACE(perCpu ? "perCpu on" : "perCpu off");
        SamplerOptions o = quietOptions();
        o.system.perCpu = perCpu;
        Sampler s(o);
        for (int i = 0; i < 2; ++i) {
            std::this_thread::sleep_for(milliseconds(30));  // let the USER_HZ counters advance
            s.tickNow();
        }
        s.withTimeline([&](const Timeline& t) {
            ASSERT_EQ(t.system.size(), 2u);
            const int total = t.system.columnIndex(col::kCpuPercent);
            ASSERT_GE(total, 0);
            EXPECT_FALSE(isMissing(t.system.value(total, 1)));
            const auto perCore = perCoreColumns(t.system);
            if (!perCpu) {
                EXPECT_TRUE(perCore.empty()) << perCore.size() << " per-core columns";
                return;
            }
            ASSERT_EQ(static_cast<int>(perCore.size()), cores);
            EXPECT_EQ(perCore.begin()->first, 0);
            EXPECT_EQ(perCore.rbegin()->first, cores - 1);
            int measured = 0;
            for (const auto& [core, column] : perCore) {
                const double v = t.system.value(column, 1);
                if (isMissing(v)) continue;  // an offline core
                ++measured;
                EXPECT_GE(v, 0.0) << "core " << core;
                EXPECT_LE(v, 100.0) << "core " << core;
            }
            EXPECT_GE(measured, 1);  // the core running this test is online
        });
    }
}

TEST(Sampler, NonexistentPidIsAnErrorAtStart) {
    SamplerOptions o = quietOptions();
    o.pids = {0x3ffffff0};
    Sampler s(o);
    std::string err;
    EXPECT_FALSE(succeeded(s.start(), &err));
    EXPECT_NE(err.find(std::to_string(0x3ffffff0)), std::string::npos) << err;
    EXPECT_FALSE(s.running());
    SamplerOptions bad = quietOptions();
    bad.cmdlinePatterns = {"(unclosed"};
    Sampler s2(bad);
    EXPECT_FALSE(succeeded(s2.start(), &err));
    EXPECT_NE(err.find("(unclosed"), std::string::npos) << err;
}

TEST(Sampler, ExitedProcessStopsButKeepsItsHistory) {
    pid_t child = spawnSleeper("loadline-exit-test");
    SamplerOptions o = quietOptions();
    o.pids = {child};
    Sampler s(o);
    std::vector<std::size_t> counts;
    s.setSink([&](const SamplerTick& t) { counts.push_back(t.processes.size()); });
    std::string err;
    ASSERT_TRUE(succeeded(s.trackPid(child), &err)) << err;  // already tracked via options: no duplicate
    s.tickNow();
    s.tickNow();
    killChild(child);
    s.tickNow();
    s.tickNow();
    EXPECT_EQ(counts, (std::vector<std::size_t>{1, 1, 0, 0}));
    Timeline t = s.timeline();
    ASSERT_EQ(t.processes.count(child), 1u);
    EXPECT_EQ(t.processes.at(child).samples.size(), 2u);
    EXPECT_EQ(t.system.size(), 4u);
    auto tracked = s.trackedProcesses();
    ASSERT_EQ(tracked.size(), 1u);
    EXPECT_FALSE(tracked[0].alive);
    EXPECT_EQ(tracked[0].name, "sh");
}

TEST(Sampler, PatternTracksProcessesStartedLaterWhileRunning) {
    SamplerOptions o = quietOptions();
    o.interval = 0.02;
    o.cmdlinePatterns = {"loadline-pattern-marker-[0-9]+"};
    Sampler s(o);
    std::mutex m;
    std::condition_variable cv;
    std::set<int> seen;
    std::uint64_t lastIndex = 0;
    bool ordered = true;
    s.setSink([&](const SamplerTick& t) {
        std::lock_guard lock(m);
        if (t.index != 0 && t.index != lastIndex + 1) ordered = false;
        lastIndex = t.index;
        for (const auto& p : t.processes) seen.insert(p.pid);
        cv.notify_all();
    });
    std::string err;
    ASSERT_TRUE(succeeded(s.start(), &err)) << err;
    pid_t later = spawnSleeper("loadline-pattern-marker-42");
    pid_t other = spawnSleeper("something-else");
    {
        std::unique_lock lock(m);
        // Waits for the event itself; the bound only keeps a broken build from hanging CI.
        cv.wait_for(lock, seconds(60), [&] { return seen.count(later) > 0; });
    }
    // The timeline is readable while the thread runs.
    std::size_t rows = 0;
    s.withTimeline([&](const Timeline& t) { rows = t.system.size(); });
    s.stop();
    killChild(later);
    killChild(other);
    EXPECT_TRUE(seen.count(later));
    EXPECT_FALSE(seen.count(other));
    EXPECT_FALSE(seen.count(static_cast<int>(::getpid())));
    EXPECT_TRUE(ordered);
    EXPECT_GT(rows, 0u);
    SamplerSnapshot latest = s.latest();
    EXPECT_EQ(latest.tickCount, s.tickCount());
    EXPECT_GT(latest.system.memory.total, 0.0);
    Timeline t = s.timeline();
    ASSERT_TRUE(t.processes.count(later));
    EXPECT_NE(t.processes.at(later).latestText(col::kCmdline).find("loadline-pattern-marker-42"), std::string::npos);
}

TEST(Sampler, TopProcessesAreRecorded) {
    SamplerOptions o = quietOptions();
    o.topN = 3;
    o.topSort = ProcessSort::Memory;
    Sampler s(o);
    std::size_t topSize = 0;
    s.setSink([&](const SamplerTick& t) { topSize = t.top.size(); });
    s.tickNow();
    EXPECT_EQ(topSize, 3u);
    SamplerSnapshot snap = s.latest();
    ASSERT_EQ(snap.top.size(), 3u);
    EXPECT_GE(snap.top[0].memoryRssMb, snap.top[1].memoryRssMb);
    EXPECT_GE(snap.top[1].memoryRssMb, snap.top[2].memoryRssMb);
    Timeline t = s.timeline();
    EXPECT_TRUE(t.processes.count(snap.top[0].pid));
}

// The busiest processes come from a scan of the whole /proc each tick. A tick whose scan fails
// records no top rows, rather than the previous scan's as if measured again. Here the proc root
// is deleted after the first tick: listing a deleted directory fails (ENOENT), while the files
// the system sample reads stay readable through their kept-open descriptors.
TEST(Sampler, ATopScanThatFailsRecordsNoTopRows) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("loadline-sampler-top-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::copy(std::string(LOADLINE_TEST_DATA) + "/proc/basic", dir, fs::copy_options::recursive);
    SamplerOptions o = quietOptions();
    o.roots = {(dir / "proc").string(), (dir / "sys").string()};
    o.topN = 3;
    Sampler s(o);
    std::vector<std::size_t> topSizes;
    s.setSink([&](const SamplerTick& t) { topSizes.push_back(t.top.size()); });
    s.tickNow();
    fs::remove_all(dir);
    s.tickNow();
    ASSERT_EQ(topSizes.size(), 2u);
    EXPECT_EQ(topSizes[0], 3u);
    EXPECT_EQ(topSizes[1], 0u);
    EXPECT_TRUE(s.latest().top.empty());
    EXPECT_EQ(s.timeline().system.size(), 2u);  // the tick itself was taken
}

TEST(Sampler, StopIsPromptAndIdempotent) {
    SamplerOptions o = quietOptions();
    o.interval = 3600;  // would sleep an hour: stop() must wake it
    Sampler s(o);
    ASSERT_TRUE(s.start());
    EXPECT_TRUE(s.running());
    s.stop();
    s.stop();
    EXPECT_FALSE(s.running());
    EXPECT_EQ(s.tickCount(), 0u);
}

// record --samples N sleeps until its sink says the last sample is in, then checks finished():
// that must already be true when the sink runs, or the recorder slept through a whole
// checkpoint period (CI saw a 3-sample recording take 10 s).
TEST(Sampler, FinishedIsTrueWhenTheSinkSeesTheLastTick) {
    SamplerOptions o = quietOptions();
    o.interval = 0.01;
    o.maxTicks = 3;
    Sampler s(o);
    std::vector<std::pair<std::uint64_t, bool>> seen;  // (tick index, finished() then)
    s.setSink([&](const SamplerTick& t) { seen.emplace_back(t.index, s.finished()); });
    ASSERT_TRUE(s.start());
    for (int i = 0; i < 500 && s.running() && !s.finished(); ++i) std::this_thread::sleep_for(milliseconds(10));
    s.stop();
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_FALSE(seen[0].second);
    EXPECT_FALSE(seen[1].second);
    EXPECT_EQ(seen[2].first, 2u);
    EXPECT_TRUE(seen[2].second);
    EXPECT_EQ(s.tickCount(), 3u);
}

// A child seen between fork and exec still carries the parent's command line; the sampler must
// look again after it execs (shells and launchers fork, then exec).
TEST(Sampler, PatternMatchesAChildThatExecsAfterBeingSeen) {
    SamplerOptions o = quietOptions();
    o.interval = 0.02;
    o.cmdlinePatterns = {"loadline-late-exec-marker"};
    Sampler s(o);
    std::mutex m;
    std::condition_variable cv;
    std::set<int> seen;
    s.setSink([&](const SamplerTick& t) {
        std::lock_guard lock(m);
        for (const auto& p : t.processes) seen.insert(p.pid);
        cv.notify_all();
    });
    std::string err;
    ASSERT_TRUE(succeeded(s.start(), &err)) << err;
    const std::string script = "sleep 60; echo loadline-late-exec-marker";
    pid_t child = ::fork();
    if (child == 0) {
        ::setpgid(0, 0);      // its own group, so that the shell's `sleep` child dies with it
        ::usleep(1'200'000);  // > 2 discovery periods as a copy of this test binary
        ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::setpgid(child, child);  // also here: no race with the kill below
    bool found = false;
    {
        std::unique_lock lock(m);
        found = cv.wait_for(lock, seconds(60), [&] { return seen.count(child) > 0; });
    }
    s.stop();
    killChild(child);
    EXPECT_TRUE(found);
}
