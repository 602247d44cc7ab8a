// The process matcher behind record/serve --match, --match-cmdline and the window's --track,
// --track-cmdline: name vs command line, psutil's name for a cut comm, (PID, start time) keys on
// a fixture /proc tree (a reused PID is a new process), exec re-checks, rules added later; and
// live: a burst of short-lived matching processes at 0.2 s, a process that execs into a match
// seconds after it started, and a PID reused by a matching process (as root, via ns_last_pid).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <spawn.h>
#include <string>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "core/collect/processmatcher.h"
#include "core/collect/procfile.h"
#include "core/sampler/sampler.h"

extern char** environ;

using namespace loadline::core;
namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

// ---- fixture /proc trees ---------------------------------------------------------------------

class FixtureProc {
public:
    FixtureProc() {
        m_root = fs::temp_directory_path() /
                 ("loadline-matcher-" + std::to_string(::getpid()) + "-" + std::to_string(s_count++));
        fs::remove_all(m_root);
        fs::create_directories(m_root);
    }
    ~FixtureProc() { fs::remove_all(m_root); }
    std::string root() const { return m_root.string(); }

    /** Writes ROOT/PID/{stat,comm,cmdline} (args joined by NULs) in a new directory that replaces
     *  any old one by rename, so the directory gets a new inode, as procfs gives a reused PID. */
    void put(int pid, const std::string& comm, const std::vector<std::string>& args, std::uint64_t startTicks,
             int ppid = 1) {
        const fs::path tmp = m_root / (".new-" + std::to_string(pid));
        fs::remove_all(tmp);
        fs::create_directories(tmp);
        writeFiles(tmp, pid, comm, args, startTicks, ppid);
        const fs::path dir = m_root / std::to_string(pid);
        if (fs::exists(dir)) {
            const fs::path old = m_root / (".old-" + std::to_string(pid));
            fs::rename(dir, old);
            fs::rename(tmp, dir);
            fs::remove_all(old);
        } else {
            fs::rename(tmp, dir);
        }
    }
    /** Rewrites the files in place (same directory, same inode): what exec does to /proc/PID. */
    void exec(int pid, const std::string& comm, const std::vector<std::string>& args, std::uint64_t startTicks) {
        writeFiles(m_root / std::to_string(pid), pid, comm, args, startTicks, 1);
    }
    void remove(int pid) { fs::remove_all(m_root / std::to_string(pid)); }

private:
    static void writeFiles(const fs::path& dir, int pid, const std::string& comm, const std::vector<std::string>& args,
                           std::uint64_t startTicks, int ppid) {
        std::ofstream(dir / "stat") << pid << " (" << comm << ") S " << ppid << " " << pid << " " << pid
                                    << " 0 -1 4194304 100 0 0 0 5 3 0 0 20 0 1 0 " << startTicks
                                    << " 10000000 500 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";
        std::ofstream(dir / "comm") << comm << "\n";
        std::ofstream cmd(dir / "cmdline", std::ios::binary);
        for (const auto& a : args) cmd << a << '\0';
    }
    static inline int s_count = 0;
    fs::path m_root;
};

std::vector<MatchedProcess> scanAt(ProcessMatcher& m, double now) {
    std::vector<MatchedProcess> out;
    EXPECT_TRUE(m.scan(out, now));
    return out;
}

std::set<int> pidsOf(const std::vector<MatchedProcess>& v) {
    std::set<int> s;
    for (const auto& m : v) s.insert(m.pid);
    return s;
}

ProcessMatcherOptions fixtureOptions(const FixtureProc& f) {
    ProcessMatcherOptions o;
    o.procRoot = f.root();
    return o;
}

}  // namespace

TEST(ProcessMatcher, NameRulesMatchTheNameCmdlineRulesTheCommandLine) {
    FixtureProc f;
    f.put(100, "sleep", {"sleep", "60"}, 1000);
    f.put(101, "python3", {"python3", "-c", "import time; time.sleep(9)"}, 1001);
    f.put(102, "bash", {"bash", "-c", "sleep 5; exec worker"}, 1002);
    f.put(103, "sleepy-daemon", {"/usr/sbin/sleepy-daemon"}, 1003);

    ProcessMatcher byName(fixtureOptions(f));
    ASSERT_TRUE(byName.add(ProcessMatcher::Field::Name, "sleep"));
    EXPECT_EQ(pidsOf(scanAt(byName, 0)), (std::set<int>{100, 103}));  // searched like pgrep: unanchored

    ProcessMatcher exact(fixtureOptions(f));
    ASSERT_TRUE(exact.add(ProcessMatcher::Field::Name, "^sleep$"));
    EXPECT_EQ(pidsOf(scanAt(exact, 0)), (std::set<int>{100}));

    ProcessMatcher byCmdline(fixtureOptions(f));
    ASSERT_TRUE(byCmdline.add(ProcessMatcher::Field::Cmdline, "sleep"));
    EXPECT_EQ(pidsOf(scanAt(byCmdline, 0)), (std::set<int>{100, 101, 102, 103}));

    ProcessMatcher joined(fixtureOptions(f));  // the command line is matched with spaces between arguments
    ASSERT_TRUE(joined.add(ProcessMatcher::Field::Cmdline, "^bash -c sleep 5"));
    EXPECT_EQ(pidsOf(scanAt(joined, 0)), (std::set<int>{102}));

    ProcessMatcher both(fixtureOptions(f));  // any rule
    ASSERT_TRUE(both.add(ProcessMatcher::Field::Name, "^python3$"));
    ASSERT_TRUE(both.add(ProcessMatcher::Field::Cmdline, "exec worker"));
    EXPECT_EQ(pidsOf(scanAt(both, 0)), (std::set<int>{101, 102}));
}

TEST(ProcessMatcher, ACutCommIsCompletedFromArgv0AsPsutilNames) {
    FixtureProc f;
    // comm keeps 15 characters; psutil's name() takes argv[0]'s base name when it starts with comm.
    f.put(200, "loadline-very-l", {"/opt/bin/loadline-very-long-name", "--x"}, 5);
    f.put(201, "other-very-long", {"/opt/bin/unrelated", "long-name"}, 6);
    ProcessMatcher m(fixtureOptions(f));
    ASSERT_TRUE(m.add(ProcessMatcher::Field::Name, "long-name$"));
    EXPECT_EQ(pidsOf(scanAt(m, 0)), (std::set<int>{200}));
    EXPECT_TRUE(m.matches("loadline-very-long-name", ""));
    EXPECT_FALSE(m.matches("sh", "loadline-very-long-name"));  // a name rule never reads the command line
}

TEST(ProcessMatcher, BadAndEmptyRulesAreRefusedWithTheirText) {
    std::string error;
    EXPECT_FALSE(succeeded(ProcessMatcher::check("(unclosed"), &error));
    EXPECT_NE(error.find("(unclosed"), std::string::npos) << error;
    EXPECT_FALSE(succeeded(ProcessMatcher::check(""), &error));
    ProcessMatcher m;
    EXPECT_FALSE(succeeded(m.add(ProcessMatcher::Field::Cmdline, "[z-a]"), &error));
    EXPECT_TRUE(m.empty());
}

TEST(ProcessMatcher, EachProcessIsReportedOnceAndSteadyScansReadNothingNew) {
    FixtureProc f;
    for (int pid = 300; pid < 320; ++pid)
        f.put(pid, pid % 2 ? "worker" : "idle", {pid % 2 ? "worker" : "idle"}, 7000 + pid);
    ProcessMatcher m(fixtureOptions(f));
    ASSERT_TRUE(m.add(ProcessMatcher::Field::Name, "^worker$"));
    EXPECT_EQ(scanAt(m, 0).size(), 10u);
    EXPECT_EQ(m.lastScan().listed, 20u);
    EXPECT_EQ(m.lastScan().evaluated, 20u);
    EXPECT_TRUE(scanAt(m, 0.2).empty());
    EXPECT_EQ(m.lastScan().evaluated, 0u);
    // The re-checks of non-matching processes are a share: 10 of them over recheckSeconds (2 s).
    EXPECT_LE(m.lastScan().rechecked, 2u);
    f.put(320, "worker", {"worker"}, 9000);
    const auto later = scanAt(m, 0.4);
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].pid, 320);
    EXPECT_EQ(later[0].startTicks, 9000u);
    EXPECT_EQ(m.lastScan().evaluated, 1u);
}

TEST(ProcessMatcher, AReusedPidIsANewProcessKeyedByItsStartTime) {
    FixtureProc f;
    f.put(400, "bash", {"bash"}, 100);      // does not match
    f.put(401, "worker", {"worker"}, 200);  // matches
    ProcessMatcher m(fixtureOptions(f));
    ASSERT_TRUE(m.add(ProcessMatcher::Field::Name, "^worker$"));
    auto first = scanAt(m, 0);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].pid, 401);
    EXPECT_EQ(first[0].startTicks, 200u);

    // Both exit and their PIDs are taken by new matching processes before the next scan.
    f.put(400, "worker", {"worker", "--new"}, 300);
    f.put(401, "worker", {"worker", "--again"}, 301);
    auto second = scanAt(m, 0.2);
    std::sort(second.begin(), second.end(), [](auto& a, auto& b) { return a.pid < b.pid; });
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(second[0].pid, 400);
    EXPECT_EQ(second[0].startTicks, 300u);
    EXPECT_EQ(second[1].pid, 401);
    EXPECT_EQ(second[1].startTicks, 301u);
    EXPECT_TRUE(scanAt(m, 0.4).empty());

    // A PID that vanished and came back (a new directory) is decided again too.
    f.remove(401);
    EXPECT_TRUE(scanAt(m, 0.6).empty());
    f.put(401, "worker", {"worker"}, 400);
    auto third = scanAt(m, 0.8);
    ASSERT_EQ(third.size(), 1u);
    EXPECT_EQ(third[0].startTicks, 400u);
}

TEST(ProcessMatcher, AProcessThatExecsIntoAMatchIsFoundWithinTheRecheckPeriod) {
    FixtureProc f;
    for (int pid = 500; pid < 600; ++pid) f.put(pid, "sh", {"sh", "-c", "sleep 4; exec worker"}, 10 + pid);
    f.put(2, "kthreadd", {}, 1);
    ProcessMatcherOptions o = fixtureOptions(f);
    o.recheckSeconds = 2.0;
    ProcessMatcher m(o);
    ASSERT_TRUE(m.add(ProcessMatcher::Field::Name, "^worker$"));
    EXPECT_TRUE(scanAt(m, 100.0).empty());
    f.exec(577, "worker", {"worker", "--serve"}, 10 + 577);  // long after it started: not young
    double now = 100.0;
    std::set<int> found;
    int scans = 0;
    while (found.empty() && now < 100.0 + o.recheckSeconds + 0.2) {
        now += 0.2;
        ++scans;
        for (const auto& p : scanAt(m, now)) found.insert(p.pid);
    }
    EXPECT_EQ(found, (std::set<int>{577}));
    EXPECT_LE(scans, 11);  // within recheckSeconds of scans at 0.2 s (+1 for rounding)

    // A process first seen shortly before it execs (fork, then exec) is re-read every scan.
    f.put(600, "sh", {"sh"}, 9999);
    EXPECT_TRUE(scanAt(m, now += 0.2).empty());
    f.exec(600, "worker", {"worker"}, 9999);
    EXPECT_EQ(pidsOf(scanAt(m, now += 0.2)), (std::set<int>{600}));
}

TEST(ProcessMatcher, ARuleAddedLaterDecidesEveryKnownProcessAgain) {
    FixtureProc f;
    f.put(700, "node", {"node", "server.js"}, 1);
    f.put(701, "python3", {"python3", "train.py"}, 2);
    ProcessMatcher m(fixtureOptions(f));
    ASSERT_TRUE(m.add(ProcessMatcher::Field::Name, "^node$"));
    EXPECT_EQ(pidsOf(scanAt(m, 0)), (std::set<int>{700}));
    ASSERT_TRUE(m.add(ProcessMatcher::Field::Cmdline, "train\\.py"));
    EXPECT_EQ(pidsOf(scanAt(m, 0.2)), (std::set<int>{701}));  // 700 is not reported twice
}

// A shell's child between fork and exec still shows the shell's command line: matched then, it
// would be tracked as the `sleep` it becomes. A copy of its parent waits one scan.
TEST(ProcessMatcher, AForkedCopyOfItsParentIsDecidedAfterItExecs) {
    FixtureProc f;
    f.put(900, "sh", {"sh", "-c", "sleep 5; serve.py"}, 1);
    ProcessMatcher m(fixtureOptions(f));
    ASSERT_TRUE(m.add(ProcessMatcher::Field::Cmdline, "serve\\.py"));
    EXPECT_EQ(pidsOf(scanAt(m, 0)), (std::set<int>{900}));
    f.put(901, "sh", {"sh", "-c", "sleep 5; serve.py"}, 2, 900);  // forked, about to exec sleep
    f.put(902, "sh", {"sh", "-c", "sleep 5; serve.py"}, 3, 900);  // a forked worker that stays
    EXPECT_TRUE(scanAt(m, 0.2).empty());
    f.exec(901, "sleep", {"sleep", "5"}, 2);
    EXPECT_EQ(pidsOf(scanAt(m, 0.4)), (std::set<int>{902}));
    EXPECT_TRUE(scanAt(m, 0.6).empty());
}

TEST(ProcessMatcher, TheExcludedPidIsNeverMatched) {
    FixtureProc f;
    f.put(800, "worker", {"worker"}, 1);
    f.put(801, "worker", {"worker"}, 2);
    ProcessMatcherOptions o = fixtureOptions(f);
    o.excludePid = 800;
    ProcessMatcher m(o);
    ASSERT_TRUE(m.add(ProcessMatcher::Field::Name, "worker"));
    EXPECT_EQ(pidsOf(scanAt(m, 0)), (std::set<int>{801}));
}

// ---- live ------------------------------------------------------------------------------------

namespace {

/** A copy of /bin/sleep under a name of our own, so that its comm (and name) is that name. */
class NamedSleep {
public:
    explicit NamedSleep(const std::string& name) {
        m_dir = fs::temp_directory_path() / ("loadline-matcher-bin-" + std::to_string(::getpid()) + "-" + name);
        fs::create_directories(m_dir);
        m_path = (m_dir / name).string();
        fs::copy_file("/bin/sleep", m_path, fs::copy_options::overwrite_existing);
        fs::permissions(m_path, fs::perms::owner_all);
    }
    ~NamedSleep() { fs::remove_all(m_dir); }
    const std::string& path() const { return m_path; }

private:
    fs::path m_dir;
    std::string m_path;
};

pid_t spawn(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);  // its own group: killed with its children
    posix_spawnattr_setpgroup(&attr, 0);
    const int rc = ::posix_spawn(&pid, argv[0], nullptr, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    return rc == 0 ? pid : -1;
}

void killGroup(pid_t pid) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

std::string commOf(int pid) {
    std::string s;
    readWholeFile("/proc/" + std::to_string(pid) + "/comm", s);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

SamplerOptions liveOptions(double interval) {
    SamplerOptions o;
    o.interval = interval;
    o.system.gpu = false;
    o.maxSamples = 0;
    return o;
}

}  // namespace

// At 0.2 s, a burst of 200 matching processes that each live 0.5 s: each must be recorded.
TEST(ProcessMatcherLive, ABurstOfShortLivedMatchesIsRecordedAtAFifthOfASecond) {
    NamedSleep bin("llmatchburst");
    SamplerOptions o = liveOptions(0.2);
    o.namePatterns = {"^llmatchburst$"};
    Sampler s(o);
    std::string error;
    ASSERT_TRUE(succeeded(s.start(), &error)) << error;
    std::vector<pid_t> children;
    for (int i = 0; i < 200; ++i) {
        pid_t pid = spawn({bin.path(), "0.5"});
        ASSERT_GT(pid, 0);
        children.push_back(pid);
    }
    for (pid_t pid : children) ::waitpid(pid, nullptr, 0);
    // Two more ticks after the last exit, so every tick that could see one has run.
    const std::uint64_t ticks = s.tickCount();
    for (int i = 0; i < 3000 && s.tickCount() < ticks + 2; ++i) std::this_thread::sleep_for(milliseconds(10));
    s.stop();
    std::set<int> recorded;
    for (const auto& p : s.trackedProcesses())
        if (p.name == "llmatchburst") recorded.insert(p.pid);
    std::size_t seen = 0;
    for (pid_t pid : children) seen += recorded.count(pid);
    EXPECT_GE(seen, 190u) << seen << " of 200 short-lived matching processes were recorded";
    // Each recorded one has samples of its own (not a stray entry).
    const Timeline t = s.timeline();
    std::size_t withSamples = 0;
    for (pid_t pid : children) withSamples += t.processes.count(pid) && t.processes.at(pid).samples.size() > 0;
    EXPECT_GE(withSamples, 190u);
}

// `sh -c 'sleep 3; exec NAME …'`: the shell becomes a match 3 s after it started.
TEST(ProcessMatcherLive, AProcessThatExecsIntoAMatchLaterIsTracked) {
    NamedSleep bin("llmatchexec");
    SamplerOptions o = liveOptions(0.2);
    o.namePatterns = {"^llmatchexec$"};
    Sampler s(o);
    std::mutex m;
    std::condition_variable cv;
    std::set<int> seen;
    s.setSink([&](const SamplerTick& t) {
        std::lock_guard lock(m);
        for (const auto& p : t.processes) seen.insert(p.pid);
        cv.notify_all();
    });
    std::string error;
    ASSERT_TRUE(succeeded(s.start(), &error)) << error;
    const pid_t child = spawn({"/bin/sh", "-c", "sleep 3; exec " + bin.path() + " 60"});
    ASSERT_GT(child, 0);
    bool found = false;
    {
        std::unique_lock lock(m);
        // Waits for the event itself; the bound only keeps a broken build from hanging CI.
        found = cv.wait_for(lock, seconds(60), [&] { return seen.count(child) > 0; });
    }
    const std::string comm = commOf(child);
    s.stop();
    killGroup(child);
    EXPECT_TRUE(found);
    EXPECT_EQ(comm, "llmatchexec");
    bool named = false;
    for (const auto& p : s.trackedProcesses()) named |= p.pid == child && p.name == "llmatchexec";
    EXPECT_TRUE(named);
}

// A PID reused by a matching process is recorded as a new process. Forcing the reuse needs
// /proc/sys/kernel/ns_last_pid (root); the fixture test above covers the same logic everywhere.
TEST(ProcessMatcherLive, APidReusedByAMatchingProcessIsANewTrackedProcess) {
    if (::geteuid() != 0) GTEST_SKIP() << "forcing a PID's reuse needs root (ns_last_pid)";
    NamedSleep bin("llmatchreuse");
    SamplerOptions o = liveOptions(0.2);
    o.namePatterns = {"^llmatchreuse$"};
    Sampler s(o);
    const pid_t first = spawn({bin.path(), "60"});
    ASSERT_GT(first, 0);
    for (int i = 0; i < 500 && commOf(first) != "llmatchreuse"; ++i) std::this_thread::sleep_for(milliseconds(5));
    s.tickNow();
    s.tickNow();
    killGroup(first);
    std::this_thread::sleep_for(milliseconds(50));  // a later start time (clock ticks are 10 ms)
    pid_t second = -1;
    for (int attempt = 0; attempt < 50 && second != first; ++attempt) {
        if (second > 0) killGroup(second);
        std::ofstream(("/proc/sys/kernel/ns_last_pid")) << (first - 1);
        second = spawn({bin.path(), "60"});
    }
    if (second != first) {
        if (second > 0) killGroup(second);
        GTEST_SKIP() << "another process took PID " << first << " first";
    }
    for (int i = 0; i < 500 && commOf(second) != "llmatchreuse"; ++i) std::this_thread::sleep_for(milliseconds(5));
    s.tickNow();
    s.tickNow();
    killGroup(second);
    std::vector<TrackedProcess> same;
    for (const auto& p : s.trackedProcesses())
        if (p.pid == first) same.push_back(p);
    ASSERT_EQ(same.size(), 2u) << "the reused PID was not tracked as a second process";
    EXPECT_FALSE(same[0].alive);
    EXPECT_LT(same[0].createTime, same[1].createTime);
    // The PID's rows: the first process's, then the second's, each with its own create_time.
    const Timeline t = s.timeline();
    ASSERT_TRUE(t.processes.count(first));
    const auto& rows = t.processes.at(first).samples;
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_DOUBLE_EQ(rows.value("create_time", 0), same[0].createTime);
    EXPECT_DOUBLE_EQ(rows.value("create_time", 3), same[1].createTime);
}
