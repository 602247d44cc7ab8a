// The contention readers on fixture trees (tests/data/proc/contention: PSI with "full", a process
// in cgroup /app.slice/job.scope with a CPU quota that throttles; tests/data/proc/basic: no PSI,
// no cgroup v2). Rates are checked by rewriting the counters in a private copy of the tree.
#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <fcntl.h>
#include <unistd.h>

#include "core/collect/contention.h"
#include "core/collect/processreader.h"
#include "core/collect/systemcollector.h"
#include "core/sampler/timelinewriter.h"

using namespace loadline::core;
namespace fs = std::filesystem;

namespace {

const std::string kData = std::string(LOADLINE_TEST_DATA) + "/proc/";
const HostConstants kHost{100, 4096};
constexpr double kMiB = 1024.0 * 1024.0;

ProcRoots rootsOf(const std::string& base) { return {base + "/proc", base + "/sys"}; }

SystemCollectorOptions options(const std::string& cgroup = {}) {
    SystemCollectorOptions o;
    o.nvmlLibrary = nullptr;
    o.cgroup = cgroup;
    return o;
}

/** A private copy of a fixture case, removed at the end of the test. */
struct TempTree {
    explicit TempTree(const std::string& name) {
        dir = fs::temp_directory_path() / ("loadline-contention-" + name + "-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::copy(kData + name, dir, fs::copy_options::recursive);
    }
    ~TempTree() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    ProcRoots roots() const { return rootsOf(dir.string()); }
    /** Rewrites a file in place (same inode), so kept-open fds see the new content. */
    void overwrite(const std::string& rel, const std::string& content) const {
        std::ofstream f(dir / rel, std::ios::in | std::ios::out | std::ios::trunc);
        f << content;
    }
    fs::path dir;
};

std::string psi(std::uint64_t some, std::uint64_t full) {
    return "some avg10=1.00 avg60=0.00 avg300=0.00 total=" + std::to_string(some) +
           "\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=" + std::to_string(full) + "\n";
}

}  // namespace

TEST(PressureFixture, SystemPressureRatesFromTotals) {
    TempTree t("contention");
    SystemCollector c(t.roots(), options());
    SystemSample s;
    Status collected = c.collect(s, 1000.0, 10.0);
    ASSERT_TRUE(collected) << collected.error().toString();
    EXPECT_TRUE(s.pressure.any());
    EXPECT_DOUBLE_EQ(s.pressure.someTotalSeconds[kPressureCpu], 4.0);
    EXPECT_DOUBLE_EQ(s.pressure.someAvg10[kPressureCpu], 12.5);
    EXPECT_TRUE(std::isnan(s.pressure.somePercent[kPressureCpu]));       // a rate needs two readings
    EXPECT_TRUE(std::isnan(s.pressure.fullTotalSeconds[kPressureCpu]));  // system-wide CPU full is undefined
    EXPECT_DOUBLE_EQ(s.pressure.fullTotalSeconds[kPressureIo], 1.0);

    t.overwrite("proc/pressure/cpu", psi(4000000 + 500000, 0));  // +0.5 s in 2 s
    t.overwrite("proc/pressure/memory", psi(5520335 + 20000, 5131299 + 10000));
    t.overwrite("proc/pressure/io", psi(2000000 + 4000000, 1000000));  // more than the interval
    ASSERT_TRUE(c.collect(s, 1002.0, 12.0));
    EXPECT_DOUBLE_EQ(s.pressure.somePercent[kPressureCpu], 25.0);
    EXPECT_DOUBLE_EQ(s.pressure.somePercent[kPressureMemory], 1.0);
    EXPECT_DOUBLE_EQ(s.pressure.fullPercent[kPressureMemory], 0.5);
    EXPECT_DOUBLE_EQ(s.pressure.somePercent[kPressureIo], 100.0);  // clamped
    EXPECT_DOUBLE_EQ(s.pressure.fullPercent[kPressureIo], 0.0);
    EXPECT_TRUE(std::isnan(s.pressure.fullPercent[kPressureCpu]));
}

TEST(PressureFixture, FullLineAbsentAndTotalsGoingBackwards) {
    TempTree t("contention");
    SystemCollector c(t.roots(), options());
    SystemSample s;
    ASSERT_TRUE(c.collect(s, 0, 1.0));
    t.overwrite("proc/pressure/memory", "some avg10=0.00 avg60=0.00 avg300=0.00 total=5520335\n");
    t.overwrite("proc/pressure/cpu", psi(1000, 0));  // went backwards: 0, never negative
    ASSERT_TRUE(c.collect(s, 0, 2.0));
    EXPECT_DOUBLE_EQ(s.pressure.somePercent[kPressureMemory], 0.0);
    EXPECT_TRUE(std::isnan(s.pressure.fullPercent[kPressureMemory]));
    EXPECT_TRUE(std::isnan(s.pressure.fullTotalSeconds[kPressureMemory]));
    EXPECT_DOUBLE_EQ(s.pressure.somePercent[kPressureCpu], 0.0);
    t.overwrite("proc/pressure/io", "garbage\n");  // unreadable content: absent, not zero
    ASSERT_TRUE(c.collect(s, 0, 3.0));
    EXPECT_TRUE(std::isnan(s.pressure.somePercent[kPressureIo]));
}

TEST(PressureFixture, NoPressureFilesMeansAbsentNotZero) {
    SystemCollector c(rootsOf(kData + "basic"), options());
    SystemSample s;
    ASSERT_TRUE(c.collect(s, 0, 1.0));
    ASSERT_TRUE(c.collect(s, 1, 2.0));
    EXPECT_FALSE(s.pressure.any());
    for (int r = 0; r < kPressureResources; ++r)
        EXPECT_TRUE(std::isnan(s.pressure.somePercent[static_cast<std::size_t>(r)]));
    EXPECT_TRUE(s.cgroup.path.empty());

    Timeline tl(10);
    TimelineWriter w;
    w.appendSystem(tl, s);
    EXPECT_LT(tl.system.columnIndex(col::kPressureCpuSomePercent), 0);
    EXPECT_LT(tl.system.columnIndex(col::kCgroupCpuPercent), 0);
}

TEST(CgroupFixture, TrackedCgroupThrottlingMemoryAndPressure) {
    TempTree t("contention");
    SystemCollector c(t.roots(), options("/app.slice/job.scope"));
    SystemSample s;
    ASSERT_TRUE(c.collect(s, 0, 1.0));
    EXPECT_EQ(s.cgroup.path, "/app.slice/job.scope");
    EXPECT_DOUBLE_EQ(s.cgroup.memoryCurrentBytes, 100 * kMiB);
    EXPECT_DOUBLE_EQ(s.cgroup.memoryMaxBytes, 200 * kMiB);
    EXPECT_DOUBLE_EQ(s.cgroup.nrThrottled, 40.0);
    EXPECT_DOUBLE_EQ(s.cgroup.throttledSeconds, 2.0);
    EXPECT_TRUE(std::isnan(s.cgroup.throttledPeriodsPercent));

    const std::string cg = "sys/fs/cgroup/app.slice/job.scope/";
    t.overwrite(cg + "cpu.stat",
                "usage_usec 5200000\nuser_usec 4100000\nsystem_usec 1100000\nnr_periods 110\n"
                "nr_throttled 48\nthrottled_usec 2400000\n");
    t.overwrite(cg + "memory.max", "max\n");
    t.overwrite(cg + "cpu.pressure", psi(3000000 + 300000, 2500000 + 100000));
    ASSERT_TRUE(c.collect(s, 1, 2.0));
    EXPECT_DOUBLE_EQ(s.cgroup.cpuPercent, 20.0);               // 0.2 s of CPU in 1 s
    EXPECT_DOUBLE_EQ(s.cgroup.throttledPeriodsPercent, 80.0);  // 8 of 10 periods
    EXPECT_DOUBLE_EQ(s.cgroup.throttledMsPerS, 400.0);
    EXPECT_TRUE(std::isnan(s.cgroup.memoryMaxBytes));  // "max": no limit, no column
    EXPECT_DOUBLE_EQ(s.cgroup.pressure.somePercent[kPressureCpu], 30.0);
    EXPECT_DOUBLE_EQ(s.cgroup.pressure.fullPercent[kPressureCpu], 10.0);  // defined for a cgroup
    EXPECT_DOUBLE_EQ(s.cgroup.pressure.somePercent[kPressureMemory], 0.0);

    Timeline tl(10);
    TimelineWriter w;
    w.appendSystem(tl, s);
    const int th = tl.system.columnIndex(col::kCgroupThrottledPeriodsPercent);
    ASSERT_GE(th, 0);
    EXPECT_DOUBLE_EQ(tl.system.value(th, 0), 80.0);
    EXPECT_LT(tl.system.columnIndex(col::kCgroupMemoryMaxMb), 0);
    const int pc = tl.system.columnIndex(col::kPressureCpuSomePercent);
    ASSERT_GE(pc, 0);
    EXPECT_DOUBLE_EQ(tl.system.value(pc, 0), 0.0);  // cpu total unchanged in this tree: 0 %, measured
}

TEST(CgroupFixture, ResolveNamesTheBadPath) {
    std::string path, err;
    const ProcRoots roots = rootsOf(kData + "contention");
    EXPECT_EQ(resolveCgroupDir(roots, "app.slice/job.scope", path).value_or(""),
              roots.sys + "/fs/cgroup/app.slice/job.scope");
    EXPECT_EQ(path, "/app.slice/job.scope");
    EXPECT_EQ(resolveCgroupDir(roots, roots.sys + "/fs/cgroup/app.slice/job.scope/", path).value_or(""),
              roots.sys + "/fs/cgroup/app.slice/job.scope");
    EXPECT_FALSE(succeeded(resolveCgroupDir(roots, "/no/such.slice", path), &err));
    EXPECT_NE(err.find("/no/such.slice"), std::string::npos) << err;
    EXPECT_NE(err.find("no such cgroup"), std::string::npos) << err;
    EXPECT_FALSE(succeeded(resolveCgroupDir(roots, "/app.slice", path), &err));  // a directory without cpu.stat
    EXPECT_NE(err.find("cpu.stat"), std::string::npos) << err;
    EXPECT_FALSE(succeeded(resolveCgroupDir(rootsOf(kData + "basic"), "/app.slice", path), &err));
    EXPECT_NE(err.find("no cgroup v2"), std::string::npos) << err;
}

TEST(SchedFixture, RunQueueWaitSwitchesAndTheProcessCgroup) {
    TempTree t("contention");
    ProcessReader r(t.roots(), 1700000000.0, kHost);
    std::string err;
    ASSERT_TRUE(succeeded(r.attach(42, 0, 5.0), &err)) << err;
    t.overwrite("proc/42/schedstat", "7100000000 3250000000 1300\n");  // +0.25 s waiting in 1 s
    t.overwrite("proc/42/status",
                "Name:\tx\nThreads:\t4\nvoluntary_ctxt_switches:\t10\nnonvoluntary_ctxt_switches:\t12\n");
    t.overwrite("sys/fs/cgroup/app.slice/job.scope/cpu.stat",
                "usage_usec 5000000\nnr_periods 200\nnr_throttled 140\nthrottled_usec 2000000\n");
    ProcessSample p;
    ASSERT_TRUE(r.sample(p, 1000.0, 6.0));
    EXPECT_DOUBLE_EQ(p.sched.runQueueWaitPercent, 25.0);
    EXPECT_DOUBLE_EQ(p.sched.runQueueWaitSeconds, 3.25);
    EXPECT_DOUBLE_EQ(p.sched.nonvoluntarySwitchesPerS, 10.0);
    EXPECT_EQ(p.cgroup.path, "/app.slice/job.scope");
    EXPECT_DOUBLE_EQ(p.cgroup.throttledPeriodsPercent, 100.0);  // 100 of 100 periods
    EXPECT_DOUBLE_EQ(p.cgroup.cpuPercent, 0.0);

    Timeline tl(10);
    TimelineWriter w;
    w.appendProcess(tl, p);
    const SeriesTable& pt = tl.processes.at(42).samples;
    ASSERT_GE(pt.columnIndex(col::kRunQueueWaitPercent), 0);
    EXPECT_DOUBLE_EQ(pt.value(pt.columnIndex(col::kRunQueueWaitPercent), 0), 25.0);
    ASSERT_GE(pt.columnIndex(col::kCgroupThrottledPeriodsPercent), 0);
}

TEST(SchedFixture, StatusIsReadOnlyAfterTheThreadRanAgain) {
    // An involuntary switch needs the thread on a CPU: while schedstat's timeslice count stands
    // still, status (the costly file) is not read again and the count stands.
    TempTree t("contention");
    const int dirFd = ::open((t.dir / "proc/42").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(dirFd, 0);
    SchedReader r;
    r.open(dirFd);
    SchedSample s;
    r.read(s, 1.0);
    EXPECT_DOUBLE_EQ(s.nonvoluntarySwitches, 2.0);
    EXPECT_EQ(r.statusReads(), 1u);

    // Same timeslices (1234): a changed status is not looked at; no switches in that second.
    t.overwrite("proc/42/status", "Name:\tx\nvoluntary_ctxt_switches:\t10\nnonvoluntary_ctxt_switches:\t50\n");
    t.overwrite("proc/42/schedstat", "7000000000 3500000000 1234\n");
    r.read(s, 2.5);
    EXPECT_EQ(r.statusReads(), 1u);
    EXPECT_EQ(r.statusSkips(), 1u);
    EXPECT_DOUBLE_EQ(s.nonvoluntarySwitches, 2.0);
    EXPECT_DOUBLE_EQ(s.nonvoluntarySwitchesPerS, 0.0);
    EXPECT_DOUBLE_EQ(s.runQueueWaitSeconds, 3.5);  // schedstat itself is read every time

    // It ran again (one more timeslice): status is read and the new count shows.
    t.overwrite("proc/42/schedstat", "7100000000 3500000000 1235\n");
    r.read(s, 4.0);
    EXPECT_EQ(r.statusReads(), 2u);
    EXPECT_DOUBLE_EQ(s.nonvoluntarySwitches, 50.0);
    EXPECT_DOUBLE_EQ(s.nonvoluntarySwitchesPerS, 48.0 / 1.5);

    // Within a second of the last read nothing is read, whatever the timeslices.
    t.overwrite("proc/42/schedstat", "7200000000 3500000000 1300\n");
    r.read(s, 4.5);
    EXPECT_EQ(r.statusReads() + r.statusSkips(), 3u);
    r.close();
    ::close(dirFd);
}

TEST(SchedFixture, NoSchedstatNoCgroupV2MeansAbsent) {
    // basic: /proc/42 has no schedstat, its status has the switch lines, no cgroup file.
    ProcessReader r(rootsOf(kData + "basic"), 1700000000.0, kHost);
    ASSERT_TRUE(r.attach(42, 0, 1.0));
    ProcessSample p;
    ASSERT_TRUE(r.sample(p, 0, 2.0));
    EXPECT_TRUE(std::isnan(p.sched.runQueueWaitPercent));
    EXPECT_DOUBLE_EQ(p.sched.nonvoluntarySwitchesPerS, 0.0);  // status is readable: measured
    EXPECT_TRUE(p.cgroup.path.empty());
    EXPECT_TRUE(std::isnan(p.cgroup.cpuPercent));
    Timeline tl(10);
    TimelineWriter w;
    w.appendProcess(tl, p);
    const SeriesTable& pt = tl.processes.at(42).samples;
    EXPECT_LT(pt.columnIndex(col::kRunQueueWaitPercent), 0);
    EXPECT_LT(pt.columnIndex(col::kCgroupCpuPercent), 0);
}

TEST(CgroupFixture, ProcessesInOneCgroupShareOneReadPerTick) {
    TempTree t("contention");
    ProcessReader a(t.roots(), 1700000000.0, kHost), b(t.roots(), 1700000000.0, kHost);
    ASSERT_TRUE(a.attach(42, 0, 5.0));
    ASSERT_TRUE(b.attach(42, 0, 5.0));
    const std::string stat = "sys/fs/cgroup/app.slice/job.scope/cpu.stat";
    t.overwrite(stat, "usage_usec 5500000\nnr_periods 110\nnr_throttled 45\nthrottled_usec 2000000\n");
    ProcessSample pa, pb;
    ASSERT_TRUE(a.sample(pa, 0, 6.0));
    EXPECT_DOUBLE_EQ(pa.cgroup.cpuPercent, 50.0);
    // The same tick: the second process gets that reading, not a second read of the files.
    t.overwrite(stat, "usage_usec 9000000\nnr_periods 120\nnr_throttled 50\nthrottled_usec 2000000\n");
    ASSERT_TRUE(b.sample(pb, 0, 6.0));
    EXPECT_DOUBLE_EQ(pb.cgroup.cpuPercent, 50.0);
    EXPECT_DOUBLE_EQ(pb.cgroup.nrThrottled, 45.0);
    // The next tick reads again.
    ASSERT_TRUE(b.sample(pb, 0, 7.0));
    EXPECT_DOUBLE_EQ(pb.cgroup.cpuPercent, 350.0);
    EXPECT_DOUBLE_EQ(pb.cgroup.throttledPeriodsPercent, 50.0);
}

// A kernel without PSI (no pressure files) or a cgroup without cpu.stat: an Io error naming the
// file, not a silent false.
TEST(ContentionOpen, MissingFilesAreIoErrorsNamingThem) {
    const fs::path dir = fs::temp_directory_path() / ("loadline-empty-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    PressureReader psi;
    const Status p = psi.open(dir.string() + "/", "");
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().kind, ErrorKind::Io);
    EXPECT_EQ(p.error().errnum, ENOENT);
    EXPECT_EQ(p.error().path, dir.string() + "/cpu");
    EXPECT_NE(p.error().toString().find(dir.string() + "/cpu: "), std::string::npos) << p.error().toString();
    CgroupReader cgroup;
    const Status c = cgroup.open(dir.string(), "/x");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().path.find("/cpu.stat"), std::string::npos) << c.error().toString();
    std::ofstream(dir / "memory") << "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
                                     "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";
    EXPECT_TRUE(psi.open(dir.string() + "/", ""));  // one of the three is enough
    fs::remove_all(dir);
}
