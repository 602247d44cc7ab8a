// The contention readers against this machine's kernel:
//  - a busy process sharing one CPU with two more busy loops (N + 1 = 2 loops on N = 1 core) is
//    runnable but waiting about two thirds of the time: its run_queue_wait_percent is
//    100 % - (the three loops' share of the core) / 3 (66.7 % on an otherwise idle core) within
//    10 points, at least 56.7 %, and system CPU "some" pressure > 0;
//  - a busy process that owns its core (SCHED_FIFO) waits almost never;
//  - a busy child in a cgroup v2 with cpu.max = 20 % is reported throttled (created here when
//    cgroup2 with the cpu controller is mounted and writable; skipped with the reason otherwise).
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sched.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "core/collect/contention.h"
#include "core/collect/processreader.h"
#include "core/collect/systemcollector.h"

using namespace loadline::core;

namespace {

/** A forked busy loop, optionally pinned to one CPU and made SCHED_FIFO; killed at scope exit. */
struct Spinner {
    explicit Spinner(int cpu, bool fifo = false) {
        pid = ::fork();
        if (pid == 0) {
            if (cpu >= 0) {
                cpu_set_t set;
                CPU_ZERO(&set);
                CPU_SET(cpu, &set);
                ::sched_setaffinity(0, sizeof set, &set);
            }
            if (fifo) {
                sched_param sp{};
                sp.sched_priority = 1;
                if (::sched_setscheduler(0, SCHED_FIFO, &sp) != 0) ::_exit(3);
            }
            volatile unsigned long spins = 0;
            for (;;) spins = spins + 1;
        }
    }
    ~Spinner() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    bool exited() const {
        int st = 0;
        return ::waitpid(pid, &st, WNOHANG) == pid;
    }
    pid_t pid = -1;
};

int firstAllowedCpu() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set)) return c;
    return 0;
}

void sleepSeconds(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

bool writeFile(const std::string& path, const std::string& text, int* err = nullptr) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) {
        if (err) *err = errno;
        return false;
    }
    const bool ok = std::fputs(text.c_str(), f) >= 0;
    const bool closed = std::fclose(f) == 0;
    if (err) *err = errno;
    return ok && closed;
}

std::string readFile(const std::string& path) {
    std::string s;
    readWholeFile(path, s);
    return s;
}

/** Whether a space-separated list (cgroup.controllers) has this word. */
bool hasToken(const std::string& list, const std::string& word) {
    std::size_t pos = 0;
    while (pos < list.size()) {
        std::size_t e = list.find_first_of(" \n", pos);
        if (e == std::string::npos) e = list.size();
        if (list.compare(pos, e - pos, word) == 0) return true;
        pos = e + 1;
    }
    return false;
}

}  // namespace

TEST(ContentionLive, CompetingProcessWaitsItsShareAndCpuPressureRises) {
    if (readFile("/proc/self/schedstat").empty())
        GTEST_SKIP() << "/proc/PID/schedstat is absent (CONFIG_SCHED_INFO off)";
    const int cpu = firstAllowedCpu();
    Spinner measured(cpu), other1(cpu), other2(cpu);  // three busy loops on one core
    sleepSeconds(0.2);
    SystemCollector sys({}, [] {
        SystemCollectorOptions o;
        o.gpu = false;
        return o;
    }());
    SystemSample s;
    ASSERT_TRUE(sys.collect(s));
    ProcessReader r({}, readBootTime()), r1({}, readBootTime()), r2({}, readBootTime());
    std::string err;
    ASSERT_TRUE(succeeded(r.attach(measured.pid), &err)) << err;
    ASSERT_TRUE(succeeded(r1.attach(other1.pid), &err)) << err;
    ASSERT_TRUE(succeeded(r2.attach(other2.pid), &err)) << err;
    sleepSeconds(2.0);
    ProcessSample p, p1, p2;
    const double epoch = epochNow(), mono = monotonicNow();
    ASSERT_TRUE(r.sample(p, epoch, mono));
    ASSERT_TRUE(r1.sample(p1, epoch, mono));
    ASSERT_TRUE(r2.sample(p2, epoch, mono));
    ASSERT_TRUE(sys.collect(s));
    // The three loops share what the core gives them (all of it on an idle machine; less on a
    // shared one, where other work also runs there), a third each: the measured one runs a
    // third of that and waits the rest. Alone on an idle core: 33.3 % run, 66.7 % wait.
    const double coreShare = p.cpuPercent + p1.cpuPercent + p2.cpuPercent;
    const double expectedWait = 100.0 - coreShare / 3.0;
    std::printf(
        "measured: run-queue wait %.1f %% (expected %.1f %%), cpu %.1f %% of the loops' %.1f %%, %.0f "
        "preemptions/s, system cpu some pressure %.1f %%\n",
        p.sched.runQueueWaitPercent, expectedWait, p.cpuPercent, coreShare, p.sched.nonvoluntarySwitchesPerS,
        s.pressure.somePercent[kPressureCpu]);
    // Tolerance: 10 points (CFS fairness over 2 s and the 10 ms tick resolution of cpu_percent).
    EXPECT_NEAR(p.sched.runQueueWaitPercent, expectedWait, 10.0);
    // Two other loops on its core: it waits at least their two thirds (minus the tolerance).
    EXPECT_GE(p.sched.runQueueWaitPercent, 66.7 - 10.0);
    EXPECT_GT(p.sched.nonvoluntarySwitchesPerS, 0.0);  // it was preempted
    if (std::isnan(s.pressure.somePercent[kPressureCpu])) {
        std::printf("note: /proc/pressure/cpu is absent here (Linux < 4.20 or psi=0): pressure not checked\n");
    } else {
        EXPECT_GT(s.pressure.somePercent[kPressureCpu], 0.0);
    }
}

TEST(ContentionLive, ProcessOwningItsCoreBarelyWaits) {
    if (readFile("/proc/self/schedstat").empty())
        GTEST_SKIP() << "/proc/PID/schedstat is absent (CONFIG_SCHED_INFO off)";
    Spinner alone(firstAllowedCpu(), /*fifo=*/true);
    sleepSeconds(0.1);
    if (alone.exited())
        GTEST_SKIP()
            << "SCHED_FIFO is not permitted here (needs CAP_SYS_NICE): cannot make a process alone on a shared machine";
    ProcessReader r({}, readBootTime());
    std::string err;
    ASSERT_TRUE(succeeded(r.attach(alone.pid), &err)) << err;
    sleepSeconds(1.0);
    ProcessSample p;
    ASSERT_TRUE(r.sample(p, epochNow(), monotonicNow()));
    std::printf("measured: run-queue wait %.1f %%, cpu %.1f %%\n", p.sched.runQueueWaitPercent, p.cpuPercent);
    // The kernel's RT throttling (sched_rt_runtime_us, default 95 %) takes the core away 5 % of
    // the time, which counts as waiting: "near zero" is below 10 %.
    EXPECT_LT(p.sched.runQueueWaitPercent, 10.0) << "cpu " << p.cpuPercent;
    EXPECT_GT(p.cpuPercent, 80.0);
}

TEST(ContentionLive, ChildInACgroupWithTwentyPercentQuotaIsThrottled) {
    const std::string mount = cgroup2MountPoint({});
    if (mount.empty()) GTEST_SKIP() << "no cgroup2 filesystem is mounted here (cgroup v1 only)";
    std::string controllers = readFile(mount + "/cgroup.controllers");
    while (!controllers.empty() && controllers.back() == '\n') controllers.pop_back();
    if (!hasToken(controllers, "cpu"))
        GTEST_SKIP() << "cgroup2 at " << mount << " has no cpu controller (controllers: '" << controllers
                     << "'; here it is bound to a cgroup v1 hierarchy)";
    int err = 0;
    if (!hasToken(readFile(mount + "/cgroup.subtree_control"), "cpu") &&
        !writeFile(mount + "/cgroup.subtree_control", "+cpu", &err))
        GTEST_SKIP() << "cannot enable the cpu controller in " << mount
                     << "/cgroup.subtree_control: " << std::strerror(err);
    const std::string name = "/loadline-test-" + std::to_string(::getpid());
    const std::string dir = mount + name;
    if (::mkdir(dir.c_str(), 0755) != 0) GTEST_SKIP() << "cannot create " << dir << ": " << std::strerror(errno);
    struct Cleanup {
        std::string dir;
        ~Cleanup() { ::rmdir(dir.c_str()); }
    } cleanup{dir};
    ASSERT_TRUE(writeFile(dir + "/cpu.max", "20000 100000", &err)) << dir << "/cpu.max: " << std::strerror(err);
    {
        Spinner child(-1);
        ASSERT_TRUE(writeFile(dir + "/cgroup.procs", std::to_string(child.pid), &err)) << std::strerror(err);
        sleepSeconds(0.3);
        ProcessReader r({}, readBootTime());
        std::string msg;
        ASSERT_TRUE(succeeded(r.attach(child.pid), &msg)) << msg;
        sleepSeconds(1.5);
        ProcessSample p;
        ASSERT_TRUE(r.sample(p, epochNow(), monotonicNow()));
        std::printf("measured: throttled in %.0f %% of periods, %.0f ms/s; cgroup cpu %.1f %%\n",
                    p.cgroup.throttledPeriodsPercent, p.cgroup.throttledMsPerS, p.cgroup.cpuPercent);
        EXPECT_EQ(p.cgroup.path, name);
        // A busy loop under a 20 % quota runs out of it in (nearly) every 100 ms period.
        EXPECT_GT(p.cgroup.throttledPeriodsPercent, 50.0);
        EXPECT_GT(p.cgroup.throttledMsPerS, 0.0);
        EXPECT_NEAR(p.cgroup.cpuPercent, 20.0, 6.0);
        EXPECT_NEAR(p.cpuPercent, 20.0, 6.0);
    }
}
