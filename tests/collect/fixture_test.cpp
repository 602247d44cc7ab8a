// Readers on fixture /proc and /sys trees (tests/data/proc/<case>/{proc,sys}): the edge cases
// that break monitors. Cases that change files copy the tree to a temporary directory first.
#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/collect/gpu.h"
#include "core/collect/processreader.h"
#include "core/collect/processmatcher.h"
#include "core/collect/processtable.h"
#include "core/collect/sysinfo.h"
#include "core/collect/systemcollector.h"

using namespace loadline::core;
namespace fs = std::filesystem;

namespace {

const std::string kData = std::string(LOADLINE_TEST_DATA) + "/proc/";
const HostConstants kHost{100, 4096};
constexpr double kMiB = 1024.0 * 1024.0;

ProcRoots rootsOf(const std::string& base) { return {base + "/proc", base + "/sys"}; }
ProcRoots fixture(const std::string& name) { return rootsOf(kData + name); }

SystemCollectorOptions noNvml() {
    SystemCollectorOptions o;
    o.nvmlLibrary = nullptr;
    return o;
}

/** A private copy of a fixture case, removed at the end of the test. */
struct TempTree {
    explicit TempTree(const std::string& name) {
        dir = fs::temp_directory_path() / ("loadline-fixture-" + name + "-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::copy(kData + name, dir, fs::copy_options::recursive);
    }
    ~TempTree() {
        std::error_code ec;
        fs::permissions(dir, fs::perms::all, ec);
        for (auto& e : fs::recursive_directory_iterator(dir, ec))
            fs::permissions(e.path(), fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(dir, ec);
    }
    ProcRoots roots() const { return rootsOf(dir.string()); }
    /** Rewrites a file in place (same inode), so kept-open fds see the new content. */
    void overwrite(const std::string& rel, const std::string& content) const {
        std::ofstream f(dir / rel, std::ios::in | std::ios::out | std::ios::trunc);
        f << content;
    }
    void overwriteFrom(const std::string& rel, const std::string& relSource) const {
        std::ifstream in(dir / relSource);
        std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        overwrite(rel, s);
    }
    fs::path dir;
};

}  // namespace

TEST(SystemCollectorFixture, BasicTree) {
    SystemCollector c(fixture("basic"), noNvml());
    SystemSample s;
    Status collected = c.collect(s, 1000.0, 1.0);
    ASSERT_TRUE(collected) << collected.error().toString();
    EXPECT_DOUBLE_EQ(s.timestamp, 1000.0);
    EXPECT_TRUE(std::isnan(s.cpuPercent));  // needs two readings
    EXPECT_EQ(s.cpuCountLogical, 2);
    EXPECT_EQ(s.cpuCountPhysical, 2);
    EXPECT_DOUBLE_EQ(s.bootTime, 1700000000.0);
    EXPECT_DOUBLE_EQ(s.memory.total, 8000000.0 * 1024);
    EXPECT_DOUBLE_EQ(s.memory.available, 5000000.0 * 1024);
    EXPECT_DOUBLE_EQ(s.memory.swapPercent, 25.0);
    EXPECT_DOUBLE_EQ(s.loadAvg1, 0.52);
    EXPECT_DOUBLE_EQ(s.loadAvg15, 1.59);
    EXPECT_DOUBLE_EQ(s.uptime, 12345.67);
    // Whole disks only (vda and loop0 exist in /sys/block; the partition vda1 does not).
    ASSERT_EQ(s.disks.size(), 2u);
    EXPECT_DOUBLE_EQ(s.diskReadBytes, (80.0 + 20000.0) * 512);
    EXPECT_DOUBLE_EQ(s.diskWriteBytes, 8000.0 * 512);
    EXPECT_DOUBLE_EQ(s.diskReadCount, 1010.0);
    // Network: every interface summed, as psutil.net_io_counters().
    ASSERT_EQ(s.interfaces.size(), 2u);
    EXPECT_EQ(s.interfaces[1].name, "eth0");
    EXPECT_DOUBLE_EQ(s.netBytesRecv, 1003000.0);
    EXPECT_DOUBLE_EQ(s.netBytesSent, 203000.0);
    EXPECT_DOUBLE_EQ(s.netPacketsRecv, 1530.0);
    EXPECT_TRUE(s.gpus.empty());
    EXPECT_TRUE(std::isnan(s.cpuTemperatureC));
    EXPECT_TRUE(std::isnan(s.cpuFreqMhz));
    // Same files again one second later: rates are zero, not NaN; CPU keeps its last (none) value.
    ASSERT_TRUE(c.collect(s, 1001.0, 2.0));
    EXPECT_DOUBLE_EQ(s.diskReadBytesPerS, 0.0);
    EXPECT_DOUBLE_EQ(s.netRecvBytesPerS, 0.0);
}

TEST(SystemCollectorFixture, MissingProcIsAClearError) {
    SystemCollector c({"/nonexistent-loadline-root/proc", "/nonexistent-loadline-root/sys"}, noNvml());
    SystemSample s;
    Status collected = c.collect(s);
    ASSERT_FALSE(collected);
    const Error& e = collected.error();
    EXPECT_EQ(e.kind, ErrorKind::Io);
    EXPECT_EQ(e.errnum, ENOENT);
    EXPECT_EQ(e.path, "/nonexistent-loadline-root/proc/stat");
    EXPECT_EQ(e.toString(), "/nonexistent-loadline-root/proc/stat: " + std::string(std::strerror(ENOENT)));
}

TEST(SystemCollectorFixture, UnparsableMeminfoNamesTheFile) {
    TempTree t("basic");
    SystemCollector c(t.roots(), noNvml());
    SystemSample s;
    ASSERT_TRUE(c.collect(s, 0, 1.0));
    t.overwrite("proc/meminfo", "not a meminfo\n");
    Status collected = c.collect(s, 0, 2.0);
    ASSERT_FALSE(collected);
    EXPECT_EQ(collected.error().kind, ErrorKind::Io);
    EXPECT_EQ(collected.error().errnum, 0);  // no system call failed: the content is wrong
    EXPECT_EQ(collected.error().toString(), (t.dir / "proc/meminfo").string() + ": unexpected content");
}

TEST(ProcFileErrors, OpenAndReadCarryErrno) {
    ProcFile f;
    Status opened = f.open("/nonexistent-loadline-root/proc/stat");
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().kind, ErrorKind::Io);
    EXPECT_EQ(opened.error().errnum, ENOENT);
    Result<std::string_view> text = f.read();  // not open: the open's reason, not EBADF
    ASSERT_FALSE(text);
    EXPECT_EQ(text.error().errnum, ENOENT);
    EXPECT_EQ(ProcFile().read().error().errnum, EBADF);  // never opened

    ASSERT_TRUE(f.open(kData + "basic/proc/loadavg"));
    text = f.read();
    ASSERT_TRUE(text) << std::strerror(text.error().errnum);
    EXPECT_EQ(text->substr(0, 5), "0.52 ") << *text;

    std::string whole;
    Status read = readWholeFile(kData + "basic/proc/no-such-file", whole);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().errnum, ENOENT);
    EXPECT_EQ(read.error().path, kData + "basic/proc/no-such-file");
    EXPECT_EQ(read.error().toString(), kData + "basic/proc/no-such-file: " + std::strerror(ENOENT));
}

// A kept-open /proc/PID/stat of a process that exited and was reaped reads ESRCH: the reason
// ProcessReader stops for good instead of reading a reused PID.
TEST(ProcFileErrors, ExitedProcessIsEsrch) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        for (;;) ::pause();
    }
    ProcFile f;
    ASSERT_TRUE(f.open("/proc/" + std::to_string(child) + "/stat"));
    ASSERT_TRUE(f.read());
    ::kill(child, SIGKILL);
    ASSERT_EQ(::waitpid(child, nullptr, 0), child);
    Result<std::string_view> text = f.read();
    ASSERT_FALSE(text);
    EXPECT_EQ(text.error().kind, ErrorKind::Io);
    EXPECT_EQ(text.error().errnum, ESRCH);
}

TEST(SystemCollectorFixture, OfflineCpu) {
    TempTree t("offline_cpu");
    SystemCollector c(t.roots(), noNvml());
    SystemSample s;
    ASSERT_TRUE(c.collect(s, 0, 1.0));
    EXPECT_EQ(s.cpuCountLogical, 3);
    ASSERT_EQ(s.cpuPercentPerCore.size(), 4u);
    t.overwriteFrom("proc/stat", "proc/stat.next");
    ASSERT_TRUE(c.collect(s, 0, 2.0));
    ASSERT_EQ(s.cpuPercentPerCore.size(), 4u);
    EXPECT_DOUBLE_EQ(s.cpuPercentPerCore[0], 50.0);
    EXPECT_TRUE(std::isnan(s.cpuPercentPerCore[1]));  // offline
    EXPECT_DOUBLE_EQ(s.cpuPercentPerCore[2], 0.0);
    EXPECT_DOUBLE_EQ(s.cpuPercentPerCore[3], 75.0);
    EXPECT_DOUBLE_EQ(s.cpuPercent, 400.0 / 800.0 * 100);
}

TEST(SystemCollectorFixture, CountersGoingBackwardsAreClamped) {
    TempTree t("backwards");
    SystemCollector c(t.roots(), noNvml());
    SystemSample s;
    ASSERT_TRUE(c.collect(s, 0, 10.0));
    t.overwriteFrom("proc/stat", "proc/stat.next");
    t.overwriteFrom("proc/diskstats", "proc/diskstats.next");
    t.overwriteFrom("proc/net/dev", "proc/net/dev.next");
    ASSERT_TRUE(c.collect(s, 0, 11.0));
    // user +100, idle +100, iowait -100 (clamped to 0): 50 % busy, not 100 % or negative.
    EXPECT_DOUBLE_EQ(s.cpuPercent, 50.0);
    EXPECT_DOUBLE_EQ(s.cpuPercentPerCore[0], 50.0);
    EXPECT_DOUBLE_EQ(s.diskReadBytesPerS, 0.0);
    EXPECT_DOUBLE_EQ(s.diskWriteBytesPerS, 0.0);
    EXPECT_DOUBLE_EQ(s.diskReadCountPerS, 0.0);
    EXPECT_DOUBLE_EQ(s.netRecvBytesPerS, 0.0);
    EXPECT_DOUBLE_EQ(s.netSentBytesPerS, 100000.0);
    EXPECT_DOUBLE_EQ(s.interfaces[0].recvBytesPerS, 0.0);
}

TEST(SensorsFixture, FrequencyAndCoretempPreferred) {
    CpuSensors sensors(fixture("sensors_gpu"));
    EXPECT_DOUBLE_EQ(sensors.frequencyMhz(), 3000.0);
    EXPECT_DOUBLE_EQ(sensors.temperatureC(), 55.5);  // coretemp's hottest, not acpitz's 99
}

TEST(SensorsFixture, ThermalZoneOfTheCpu) {
    CpuSensors sensors(fixture("thermal_only"));
    EXPECT_FALSE(sensors.hasFrequency());
    EXPECT_TRUE(std::isnan(sensors.frequencyMhz()));
    EXPECT_DOUBLE_EQ(sensors.temperatureC(), 48.0);  // x86_pkg_temp, not the wifi's 70
}

TEST(SensorsFixture, NoSensorsIsNaN) {
    CpuSensors sensors(fixture("basic"));
    EXPECT_TRUE(std::isnan(sensors.temperatureC()));
    EXPECT_TRUE(std::isnan(sensors.frequencyMhz()));
}

TEST(TopologyFixture, PhysicalCores) {
    EXPECT_EQ(countPhysicalCores(fixture("smt")), 2);           // SMT siblings share a core
    EXPECT_EQ(countPhysicalCores(fixture("cpuinfo_only")), 4);  // 2 packages x 2 cores, from cpuinfo
    EXPECT_EQ(countPhysicalCores(fixture("thermal_only")), 0);  // unknown
    std::string cpuinfo;
    ASSERT_TRUE(readWholeFile(kData + "cpuinfo_only/proc/cpuinfo", cpuinfo));
    EXPECT_DOUBLE_EQ(meanCpuMhzFromCpuInfo(cpuinfo), 2050.5);
}

// No cpufreq in /sys (as on most VMs): the frequency comes from /proc/cpuinfo, as psutil's does.
TEST(SystemFixture, FrequencyFallsBackToCpuInfo) {
    SystemCollectorOptions o;
    o.disk = o.network = o.gpu = false;
    SystemCollector c(fixture("cpuinfo_only"), o);
    SystemSample s;
    Status collected = c.collect(s, 1000.0, 1.0);
    ASSERT_TRUE(collected) << collected.error().toString();
    EXPECT_DOUBLE_EQ(s.cpuFreqMhz, 2050.5);
    ASSERT_TRUE(c.collect(s, 1001.0, 2.0));  // read again at most every 10 s; the value stays
    EXPECT_DOUBLE_EQ(s.cpuFreqMhz, 2050.5);
}

TEST(GpuFixture, AmdFromSysfs) {
    GpuCollector g(fixture("sensors_gpu"), nullptr);
    ASSERT_EQ(g.count(), 1);  // card0 is amdgpu; card1 (Intel) and connectors are not
    std::vector<GpuSample> out;
    g.sample(out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].vendor, "amd");
    EXPECT_EQ(out[0].name, "AMD Radeon RX 6600");
    EXPECT_DOUBLE_EQ(out[0].utilizationPercent, 37.0);
    EXPECT_DOUBLE_EQ(out[0].memoryUsedBytes, 1073741824.0);
    EXPECT_DOUBLE_EQ(out[0].memoryTotalBytes, 8589934592.0);
    EXPECT_DOUBLE_EQ(out[0].temperatureC, 61.0);
}

TEST(GpuFixture, NoGpuIsEmptyNotAnError) {
    GpuCollector g(fixture("basic"), "libnvidia-ml-does-not-exist.so.1");
    EXPECT_EQ(g.count(), 0);
    EXPECT_FALSE(g.nvidiaStatus().empty());
    std::vector<GpuSample> out(3);
    g.sample(out);
    EXPECT_TRUE(out.empty());
}

TEST(GpuFixture, RealNvmlAbsentHereFailsCleanly) {
    NvidiaGpus nv;  // the real soname: absent on machines without the NVIDIA driver
    if (nv.available()) GTEST_SKIP() << "an NVIDIA GPU is present: " << nv.count();
    EXPECT_EQ(nv.count(), 0);
    EXPECT_FALSE(nv.status().empty());
}

TEST(MountsFixture, RealFilesystemsOnly) {
    std::string mounts, filesystems;
    ASSERT_TRUE(readWholeFile(kData + "basic/proc/self/mounts", mounts));
    ASSERT_TRUE(readWholeFile(kData + "basic/proc/filesystems", filesystems));
    auto m = parseMounts(mounts, filesystems);
    ASSERT_EQ(m.size(), 2u);  // proc and tmpfs skipped, the duplicate "/" once
    EXPECT_EQ(m[0].mountPoint, "/");
    EXPECT_EQ(m[0].device, "/dev/vda1");
    EXPECT_EQ(m[1].mountPoint, "/media/My Disk");  // \040 unescaped
    EXPECT_EQ(m[1].fsType, "vfat");
    std::vector<FilesystemUsage> usage;
    readFilesystemUsage(fixture("basic"), usage);
    ASSERT_EQ(usage.size(), 1u);  // "/media/My Disk" does not exist here: skipped
    EXPECT_EQ(usage[0].mountPoint, "/");
    EXPECT_GT(usage[0].total, 0.0);
    EXPECT_NEAR(usage[0].percent, usage[0].used / (usage[0].used + usage[0].free) * 100, 1e-9);
}

TEST(ProcessTableFixture, EdgeCases) {
    TempTree t("basic");
    ProcessTable table(t.roots(), kHost);
    ASSERT_TRUE(table.scan(1.0));
    std::set<int> pids;
    for (auto* e : table.entries()) pids.insert(e->pid);
    // 555 is listed but has no stat (vanished between listing and reading): skipped, no error.
    EXPECT_EQ(pids, (std::set<int>{1, 7, 42, 99, 123, 600}));
    ProcessTableEntry* weird = table.find(42);
    ASSERT_NE(weird, nullptr);
    EXPECT_EQ(weird->name, "my (weird) app) x");
    EXPECT_STREQ(weird->status, "running");
    EXPECT_DOUBLE_EQ(weird->rssBytes, 2560.0 * 4096);
    EXPECT_DOUBLE_EQ(weird->vmsBytes, 104857600.0);
    EXPECT_DOUBLE_EQ(weird->numThreads, 4.0);
    EXPECT_DOUBLE_EQ(weird->createTime, 1700000000.0 + 5000.0 / 100);
    EXPECT_DOUBLE_EQ(weird->memoryPercent, 2560.0 * 4096 / (8000000.0 * 1024) * 100);
    EXPECT_TRUE(std::isnan(weird->cpuPercent));  // first scan
    EXPECT_STREQ(table.find(99)->status, "zombie");
    EXPECT_EQ(table.find(123)->name, "python3.11-worker-pool");  // truncated comm completed
    ProcessTableEntry* kthread = table.find(7);
    EXPECT_DOUBLE_EQ(kthread->rssBytes, 0.0);
    table.loadCmdline(*kthread);
    EXPECT_EQ(kthread->cmdline, "");
    table.loadCmdline(*weird);
    EXPECT_EQ(weird->cmdline, "./app --flag a b");

    std::vector<ProcessTableEntry*> top;
    table.top(ProcessSort::Memory, 3, top);
    ASSERT_EQ(top.size(), 3u);
    EXPECT_EQ(top[0]->pid, 123);
    EXPECT_EQ(top[1]->pid, 1);
    EXPECT_EQ(top[2]->pid, 42);

    // Two seconds later pid 42 used 2 s of CPU (utime +150, stime +50 ticks): 100 %.
    t.overwrite("proc/42/stat",
                "42 (my (weird) app) x) R 1 42 42 0 -1 4194304 500 0 0 0 850 350 0 0 20 0 4 0 5000 104857600 2560 0\n");
    // pid 1 disappears; pid 7's slot now holds a different process (new start time).
    fs::remove_all(t.dir / "proc/1");
    t.overwrite("proc/7/stat", "7 (newcomer) S 1 7 7 0 -1 0 0 0 0 0 500 0 0 0 20 0 1 0 99999 4096 1 0\n");
    ASSERT_TRUE(table.scan(3.0));
    EXPECT_EQ(table.find(1), nullptr);
    ASSERT_NE(table.find(42), nullptr);
    EXPECT_DOUBLE_EQ(table.find(42)->cpuPercent, 100.0);
    EXPECT_DOUBLE_EQ(table.find(99)->cpuPercent, 0.0);
    ASSERT_NE(table.find(7), nullptr);
    EXPECT_EQ(table.find(7)->name, "newcomer");
    EXPECT_TRUE(std::isnan(table.find(7)->cpuPercent));  // a new process: no delta against the old one
    table.top(ProcessSort::Cpu, 1, top);
    ASSERT_EQ(top.size(), 1u);
    EXPECT_EQ(top[0]->pid, 42);
}

TEST(ProcessReaderFixture, FieldsOfAWeirdProcess) {
    ProcessReader r(fixture("basic"), 1700000000.0, kHost);
    std::string err;
    ASSERT_TRUE(succeeded(r.attach(42, 0, 1.0), &err)) << err;
    ProcessSample s;
    ASSERT_TRUE(r.sample(s, 1234.5, 2.0));
    EXPECT_EQ(s.pid, 42);
    EXPECT_EQ(s.name, "my (weird) app) x");
    EXPECT_EQ(s.cmdline, "./app --flag a b");
    EXPECT_STREQ(s.status, "running");
    EXPECT_DOUBLE_EQ(s.timestamp, 1234.5);
    EXPECT_DOUBLE_EQ(s.cpuPercent, 0.0);
    EXPECT_DOUBLE_EQ(s.memoryRssMb, 10.0);
    EXPECT_DOUBLE_EQ(s.memoryVmsMb, 100.0);
    EXPECT_DOUBLE_EQ(s.numThreads, 4.0);
    EXPECT_DOUBLE_EQ(s.createTime, 1700000050.0);
    EXPECT_DOUBLE_EQ(s.ioReadBytes, 1048576.0);
    EXPECT_DOUBLE_EQ(s.ioWriteBytes, 2097152.0);
    EXPECT_DOUBLE_EQ(s.numFds, 2.0);
}

TEST(ProcessReaderFixture, KernelThreadAndZombie) {
    ProcessReader r(fixture("basic"), 1700000000.0, kHost);
    ASSERT_TRUE(r.attach(7));
    ProcessSample s;
    ASSERT_TRUE(r.sample(s, 0, monotonicNow() + 1));
    EXPECT_EQ(s.name, "kthreadd");
    EXPECT_EQ(s.cmdline, "");
    EXPECT_DOUBLE_EQ(s.memoryRssMb, 0.0);
    EXPECT_TRUE(std::isnan(s.ioReadBytes));  // no io file in the fixture: absent
    EXPECT_TRUE(std::isnan(s.numFds));
    ProcessReader z(fixture("basic"), 1700000000.0, kHost);
    ASSERT_TRUE(z.attach(99));
    ASSERT_TRUE(z.sample(s, 0, monotonicNow() + 1));
    EXPECT_STREQ(s.status, "zombie");
}

TEST(ProcessReaderFixture, MissingAndVanishedProcesses) {
    ProcessReader r(fixture("basic"), 0, kHost);
    std::string err;
    EXPECT_FALSE(succeeded(r.attach(4242), &err));
    EXPECT_NE(err.find("4242"), std::string::npos) << err;
    EXPECT_FALSE(succeeded(r.attach(555), &err));  // directory listed, files gone
    EXPECT_FALSE(r.alive());
    ProcessSample s;
    EXPECT_FALSE(r.sample(s, 0, 0));
}

TEST(ProcessReaderFixture, ReusedPidIsNotTheTrackedProcess) {
    TempTree t("basic");
    ProcessReader r(t.roots(), 1700000000.0, kHost);
    ASSERT_TRUE(r.attach(42, 0, 1.0));
    ProcessSample s;
    ASSERT_TRUE(r.sample(s, 0, 2.0));
    // The PID now holds another process (different start time).
    t.overwrite("proc/42/stat", "42 (other) S 1 42 42 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 777777 4096 1 0\n");
    EXPECT_FALSE(r.sample(s, 0, 3.0));
    EXPECT_FALSE(r.alive());
    // Even if the old content came back, the reader stays detached.
    t.overwriteFrom("proc/42/stat", "proc/1/stat");
    EXPECT_FALSE(r.sample(s, 0, 4.0));
    // Attaching with an expected start time refuses the impostor.
    ProcessReader r2(t.roots(), 0, kHost);
    t.overwrite("proc/42/stat", "42 (other) S 1 42 42 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 777777 4096 1 0\n");
    std::string err;
    EXPECT_FALSE(succeeded(r2.attach(42, 5000), &err));
    EXPECT_NE(err.find("another process"), std::string::npos) << err;
}

TEST(ProcessReaderFixture, PermissionDeniedFieldsAreAbsentNotErrors) {
    TempTree t("basic");
    ::chmod((t.dir / "proc/600/io").c_str(), 0);
    fs::create_directories(t.dir / "proc/600/fd");
    ::chmod((t.dir / "proc/600/fd").c_str(), 0);
    // Root ignores permission bits: check in a child that drops to "nobody" when we are root.
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
        int code = 0;
        ProcessReader r(t.roots(), 1700000000.0, kHost);
        ProcessSample s;
        if (!r.attach(600)) code = 1;
        else if (!r.sample(s, 0, monotonicNow() + 1)) code = 2;
        else if (!std::isnan(s.ioReadBytes) || !std::isnan(s.numFds)) code = 3;  // unreadable: absent
        else if (s.name != "secretd" || std::isnan(s.memoryRssMb)) code = 4;     // the rest is there
        // The real thing: another user's /proc/1/io and fd/ are EACCES for "nobody".
        if (code == 0 && ::geteuid() != 0) {
            ProcessReader real({}, 0);
            if (!real.attach(1)) code = 5;
            else if (!real.sample(s, 0, monotonicNow() + 1)) code = 6;
            else if (!std::isnan(s.ioReadBytes) || !std::isnan(s.numFds)) code = 7;
        }
        ::_exit(code);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "1 attach, 2 sample, 3 io/fds not absent, 4 fields, 5-7 real /proc/1, 10 setuid";
}

namespace {
/** /proc/77/stat of a test process: state, threads and RSS pages as given. */
std::string stat77(char state, int threads, int rssPages, int utime = 1) {
    return "77 (idle) " + std::string(1, state) + " 1 77 77 0 -1 4194304 0 0 0 0 " + std::to_string(utime) +
           " 1 0 0 20 0 " + std::to_string(threads) + " 0 9000 10485760 " + std::to_string(rssPages) +
           " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
}
std::string io77(int readBytes) {
    return "rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: " + std::to_string(readBytes) +
           "\nwrite_bytes: 6\ncancelled_write_bytes: 0\n";
}
}  // namespace

// A process that has not been on a CPU since the last full read (schedstat's run time and
// timeslices unchanged; one thread and not runnable at that read) keeps everything stat, statm,
// io and fd/ said without reading them; anything that says it ran, a second thread, R, or 5 s
// since the last full read, reads everything again.
TEST(ProcessReaderFixture, AStillProcessCostsOneRead) {
    TempTree t("basic");
    fs::create_directories(t.dir / "proc/77/fd");
    for (const char* f : {"stat", "statm", "io", "schedstat", "cmdline"}) std::ofstream(t.dir / "proc/77" / f).flush();
    t.overwrite("proc/77/stat", stat77('S', 1, 256));
    t.overwrite("proc/77/statm", "2560 300 10 1 0 50 0\n");
    t.overwrite("proc/77/io", io77(100));
    t.overwrite("proc/77/schedstat", "5000000 1000 40\n");
    ProcessReader r(t.roots(), 1700000000.0, kHost);
    ASSERT_TRUE(r.attach(77, 0, 1.0));
    ProcessSample s;
    ASSERT_TRUE(r.sample(s, 0, 2.0));
    EXPECT_EQ(r.fullReads(), 1u);
    EXPECT_DOUBLE_EQ(s.ioReadBytes, 100.0);
    EXPECT_DOUBLE_EQ(s.memoryRssMb, 300 * 4096.0 / kMiB);  // statm's exact resident, not stat's 256

    // Not run since: the values stand, and they are what a fresh full read gives.
    ASSERT_TRUE(r.sample(s, 0, 2.5));
    EXPECT_EQ(r.stillReads(), 1u);
    EXPECT_DOUBLE_EQ(s.ioReadBytes, 100.0);
    EXPECT_DOUBLE_EQ(s.ioReadBytesPerS, 0.0);
    EXPECT_DOUBLE_EQ(s.cpuPercent, 0.0);
    {
        ProcessReader fresh(t.roots(), 1700000000.0, kHost);
        ASSERT_TRUE(fresh.attach(77, 0, 1.0));
        ProcessSample f;
        ASSERT_TRUE(fresh.sample(f, 0, 2.5));
        EXPECT_EQ(f.status, s.status);
        EXPECT_EQ(f.ppid, s.ppid);
        EXPECT_DOUBLE_EQ(f.memoryVmsMb, s.memoryVmsMb);
        EXPECT_DOUBLE_EQ(f.numThreads, s.numThreads);
        EXPECT_DOUBLE_EQ(f.createTime, s.createTime);
        EXPECT_DOUBLE_EQ(f.ioReadBytes, s.ioReadBytes);
        EXPECT_DOUBLE_EQ(f.memoryRssMb, s.memoryRssMb);
        EXPECT_DOUBLE_EQ(f.numFds, s.numFds);
    }
    // Only schedstat was read: a stat that does not parse (which ends a process that reads it)
    // goes unnoticed while it stands still.
    t.overwrite("proc/77/stat", "not a stat line\n");
    ASSERT_TRUE(r.sample(s, 0, 3.0));
    EXPECT_EQ(r.stillReads(), 2u);
    t.overwrite("proc/77/stat", stat77('S', 1, 256));

    // It ran (run time moved): everything read again, io with its new rate.
    t.overwrite("proc/77/schedstat", "6000000 1000 41\n");
    t.overwrite("proc/77/io", io77(600));
    t.overwrite("proc/77/stat", stat77('S', 1, 256, /*utime=*/6));
    ASSERT_TRUE(r.sample(s, 0, 3.5));
    EXPECT_EQ(r.fullReads(), 2u);
    EXPECT_DOUBLE_EQ(s.ioReadBytes, 600.0);
    EXPECT_DOUBLE_EQ(s.ioReadBytesPerS, 1000.0);  // 500 bytes since the last sample, 0.5 s before
    EXPECT_GT(s.cpuPercent, 0.0);
    // Only timeslices moved (a run too short to add run time): a full read as well.
    t.overwrite("proc/77/schedstat", "6000000 1000 42\n");
    ASSERT_TRUE(r.sample(s, 0, 4.0));
    EXPECT_EQ(r.fullReads(), 3u);

    // Reclaim shrank it while it slept: shown by the next full read, at most 5 s on.
    t.overwrite("proc/77/stat", stat77('S', 1, 200, 6));
    t.overwrite("proc/77/statm", "2560 210 10 1 0 50 0\n");
    ASSERT_TRUE(r.sample(s, 0, 4.5));
    EXPECT_EQ(r.stillReads(), 3u);
    ASSERT_TRUE(r.sample(s, 0, 9.1));
    EXPECT_EQ(r.fullReads(), 4u);
    EXPECT_DOUBLE_EQ(s.memoryRssMb, 210 * 4096.0 / kMiB);

    // Runnable at a full read (woken, waiting for a CPU): the next sample reads everything.
    t.overwrite("proc/77/stat", stat77('R', 1, 200, 6));
    t.overwrite("proc/77/schedstat", "6000000 1000 43\n");
    ASSERT_TRUE(r.sample(s, 0, 9.5));
    EXPECT_EQ(r.fullReads(), 5u);
    EXPECT_EQ(s.status, "running");
    t.overwrite("proc/77/stat", stat77('S', 1, 200, 6));
    ASSERT_TRUE(r.sample(s, 0, 10.0));
    EXPECT_EQ(r.fullReads(), 6u);
    EXPECT_EQ(s.status, "sleeping");

    // Two threads: the other thread may run while this one's schedstat stands: always full.
    t.overwrite("proc/77/stat", stat77('S', 2, 200, 6));
    t.overwrite("proc/77/schedstat", "6000000 1000 44\n");
    ASSERT_TRUE(r.sample(s, 0, 10.5));
    ASSERT_TRUE(r.sample(s, 0, 11.0));
    EXPECT_EQ(r.fullReads(), 8u);
    // Back to one thread (it ran to end the other): still again after that full read.
    t.overwrite("proc/77/stat", stat77('S', 1, 200, 6));
    t.overwrite("proc/77/schedstat", "6000000 1000 45\n");
    ASSERT_TRUE(r.sample(s, 0, 11.5));
    EXPECT_EQ(r.fullReads(), 9u);
    ASSERT_TRUE(r.sample(s, 0, 12.0));
    EXPECT_EQ(r.stillReads(), 4u);
    // At most 5 s between full reads, still or not.
    ASSERT_TRUE(r.sample(s, 0, 16.6));
    EXPECT_EQ(r.fullReads(), 10u);

    // Gone: schedstat unreadable while stat still reads (a fixture cannot make stat fail with
    // ESRCH): no gate, full reads.
    fs::remove(t.dir / "proc/77/schedstat");
    ProcessReader noSched(t.roots(), 1700000000.0, kHost);
    ASSERT_TRUE(noSched.attach(77, 0, 1.0));
    ASSERT_TRUE(noSched.sample(s, 0, 2.0));
    ASSERT_TRUE(noSched.sample(s, 0, 2.5));
    EXPECT_EQ(noSched.fullReads(), 2u);
    EXPECT_EQ(noSched.stillReads(), 0u);
}

// A /proc that cannot be listed is an Io error naming the directory and its errno, for the
// process table and the matcher alike (both list through PidLister).
TEST(ProcListing, AnUnlistableProcRootIsAnIoErrorNamingIt) {
    const std::string missing = (fs::temp_directory_path() / "loadline-no-such-proc").string();
    ProcRoots roots;
    roots.proc = missing;
    ProcessTable table(roots);
    const Status scanned = table.scan(1.0);
    ASSERT_FALSE(scanned);
    EXPECT_EQ(scanned.error().kind, ErrorKind::Io);
    EXPECT_EQ(scanned.error().errnum, ENOENT);
    EXPECT_EQ(scanned.error().path, missing) << scanned.error().toString();

    ProcessMatcherOptions options;
    options.procRoot = missing;
    ProcessMatcher matcher(options);
    std::vector<MatchedProcess> matched;
    const Status listed = matcher.scan(matched, 1.0);
    ASSERT_FALSE(listed);
    EXPECT_EQ(listed.error().errnum, ENOENT);

    ProcessTable real;
    EXPECT_TRUE(real.scan(1.0));
    EXPECT_GT(real.size(), 0u);
}
