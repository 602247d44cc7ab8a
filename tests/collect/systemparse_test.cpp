// Pure parsers of system-wide /proc files, on strings.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/collect/counters.h"
#include "core/collect/systemparse.h"
#include "core/collect/textscan.h"

using namespace loadline::core;

TEST(ProcStatParse, TotalPerCpuAndCounters) {
    ProcStat st;
    ASSERT_TRUE(
        parseProcStat("cpu  10 1 5 100 3 0 2 1 4 0\ncpu0 5 1 2 50 1 0 1 0 2 0\ncpu1 5 0 3 50 2 0 1 1 2 0\n"
                      "intr 1 2 3\nctxt 77\nbtime 1700000000\nprocesses 9\nprocs_running 3\nprocs_blocked 1\n",
                      st));
    EXPECT_EQ(st.total.user, 10u);
    EXPECT_EQ(st.total.steal, 1u);
    EXPECT_EQ(st.total.guest, 4u);
    // guest is part of user already: not counted twice
    EXPECT_EQ(st.total.total(), 10u + 1 + 5 + 100 + 3 + 0 + 2 + 1);
    EXPECT_EQ(st.total.busy(), st.total.total() - 100 - 3);
    ASSERT_EQ(st.perCpu.size(), 2u);
    EXPECT_EQ(st.onlineCount, 2);
    EXPECT_EQ(st.perCpu[1].system, 3u);
    EXPECT_EQ(st.bootTime, 1700000000u);
    EXPECT_EQ(st.contextSwitches, 77u);
    EXPECT_EQ(st.procsRunning, 3u);
    EXPECT_EQ(st.procsBlocked, 1u);
}

TEST(ProcStatParse, OfflineCpuLeavesAGap) {
    ProcStat st;
    ASSERT_TRUE(parseProcStat("cpu  1 0 1 10\ncpu0 1 0 1 5\ncpu3 0 0 0 5\n", st));  // old 4-column kernel
    ASSERT_EQ(st.perCpu.size(), 4u);
    EXPECT_EQ(st.onlineCount, 2);
    EXPECT_EQ(st.online[0], 1);
    EXPECT_EQ(st.online[1], 0);
    EXPECT_EQ(st.online[2], 0);
    EXPECT_EQ(st.online[3], 1);
    // A CPU going offline on the next read is marked so, though the vector keeps its size.
    ASSERT_TRUE(parseProcStat("cpu  1 0 1 10\ncpu0 1 0 1 5\n", st));
    EXPECT_EQ(st.onlineCount, 1);
    EXPECT_EQ(st.online[3], 0);
}

TEST(ProcStatParse, RejectsGarbage) {
    ProcStat st;
    EXPECT_FALSE(parseProcStat("", st));
    EXPECT_FALSE(parseProcStat("hello world\n", st));
    EXPECT_FALSE(parseProcStat("cpu  a b c d\n", st));
    EXPECT_FALSE(parseProcStat("cpu  1 2\n", st));
}

TEST(MemInfoParse, PsutilDefinitions) {
    MemInfo m;
    ASSERT_TRUE(
        parseMemInfo("MemTotal:        8000000 kB\nMemFree:         1000000 kB\nMemAvailable:    5000000 kB\n"
                     "Buffers:          200000 kB\nCached:          3000000 kB\nSReclaimable:     300000 kB\n"
                     "SwapTotal:       2000000 kB\nSwapFree:        1500000 kB\nHugePages_Total: 0\n",
                     m));
    EXPECT_EQ(m.total, 8000000ull * 1024);
    EXPECT_TRUE(m.hasAvailable);
    MemoryUsage u = computeMemoryUsage(m);
    EXPECT_DOUBLE_EQ(u.total, 8000000.0 * 1024);
    EXPECT_DOUBLE_EQ(u.available, 5000000.0 * 1024);
    // used = total - free - buffers - (cached + SReclaimable)
    EXPECT_DOUBLE_EQ(u.used, (8000000.0 - 1000000 - 200000 - 3000000 - 300000) * 1024);
    EXPECT_DOUBLE_EQ(u.percent, 3000000.0 / 8000000.0 * 100);
    EXPECT_DOUBLE_EQ(u.swapUsed, 500000.0 * 1024);
    EXPECT_DOUBLE_EQ(u.swapPercent, 25.0);
}

TEST(MemInfoParse, NegativeUsedFallsBackAndNoSwapIsZeroPercent) {
    MemInfo m;
    ASSERT_TRUE(parseMemInfo("MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 2000 kB\nCached: 950 kB\n", m));
    MemoryUsage u = computeMemoryUsage(m);
    EXPECT_DOUBLE_EQ(u.used, 900.0 * 1024);        // total - free
    EXPECT_DOUBLE_EQ(u.available, 1000.0 * 1024);  // clamped to total
    EXPECT_DOUBLE_EQ(u.percent, 0.0);
    EXPECT_DOUBLE_EQ(u.swapPercent, 0.0);
    EXPECT_FALSE(parseMemInfo("Cached: 1 kB\n", m));  // no MemTotal
    EXPECT_FALSE(parseMemInfo("MemTotal: x kB\n", m));
}

TEST(LoadAvgParse, Fields) {
    LoadAvg la;
    ASSERT_TRUE(parseLoadAvg("0.52 0.58 1.59 2/345 12345\n", la));
    EXPECT_DOUBLE_EQ(la.load1, 0.52);
    EXPECT_DOUBLE_EQ(la.load15, 1.59);
    EXPECT_EQ(la.runnable, 2u);
    EXPECT_EQ(la.threads, 345u);
    EXPECT_FALSE(parseLoadAvg("x", la));
}

TEST(LoadAvgSysinfo, RoundsAsProcLoadavgPrints) {
    // sysinfo's loads[] is the kernel's avenrun (11 fraction bits) << 5. /proc/loadavg adds the
    // integer FIXED_1/200 = 10 to avenrun and truncates to hundredths; worked by hand:
    auto sysinfoLoad = [](unsigned long avenrun) { return avenrun << 5; };
    EXPECT_EQ(loadFromSysinfoFixedPoint(sysinfoLoad(0)), 0.0);
    EXPECT_EQ(loadFromSysinfoFixedPoint(sysinfoLoad(2048)), 1.0);
    // 3881/2048 = 1.89502: (3881 + 10) * 100 / 2048 = 189.99 -> "1.89". Adding an exact 1/200
    // instead (the bug CI caught) crosses to 1.90.
    EXPECT_EQ(loadFromSysinfoFixedPoint(sysinfoLoad(3881)), 1.89);
    EXPECT_EQ(loadFromSysinfoFixedPoint(sysinfoLoad(3882)), 1.90);
    // 297/2048 = 0.14502 -> (307 * 100) / 2048 = 14.99 -> "0.14".
    EXPECT_EQ(loadFromSysinfoFixedPoint(sysinfoLoad(297)), 0.14);
    // The low 5 bits sysinfo adds are always zero and must not matter.
    EXPECT_EQ(loadFromSysinfoFixedPoint(sysinfoLoad(3881) | 31), 1.89);
}

TEST(UptimeParse, Fields) {
    Uptime u;
    ASSERT_TRUE(parseUptime("12345.67 23456.78\n", u));
    EXPECT_DOUBLE_EQ(u.uptime, 12345.67);
    EXPECT_DOUBLE_EQ(u.idle, 23456.78);
    EXPECT_FALSE(parseUptime("", u));
}

TEST(DiskStatsParse, LinesOldAndNewFormats) {
    std::vector<std::string> names;
    std::vector<DiskStatLine> lines;
    int n = forEachDiskStat(
        " 254 0 vda 1000 10 20000 500 400 20 8000 300 0 600 900 0 0 0 0 0 0\n"
        "   8 1 sda1 5 0 10 0 6 0 12 0 0 0 0\n"  // 14-field kernel
        "garbage line\n",
        [&](const DiskStatLine& d) {
            names.emplace_back(d.name);
            lines.push_back(d);
        });
    ASSERT_EQ(n, 2);
    EXPECT_EQ(names[0], "vda");
    EXPECT_EQ(lines[0].reads, 1000u);
    EXPECT_EQ(lines[0].sectorsRead, 20000u);
    EXPECT_EQ(lines[0].writes, 400u);
    EXPECT_EQ(lines[0].sectorsWritten, 8000u);
    EXPECT_EQ(names[1], "sda1");
    EXPECT_EQ(lines[1].sectorsWritten, 12u);
}

TEST(DiskStatsParse, OnlyWantedDevicesAreParsed) {
    std::vector<std::string> asked, got;
    int n = forEachDiskStat(
        " 254 0 vda 1000 10 20000 500 400 20 8000 300 0 600 900 0 0 0 0 0 0\n"
        " 254 1 vda1 not numbers at all\n"  // unwanted: its counters are never parsed
        "   7 0 loop0 1 0 2 0 0 0 0 0 0 0 0\n"
        " 259 0 nvme0n1 broken\n",  // wanted but malformed: dropped
        [&](std::string_view name) {
            asked.emplace_back(name);
            return name == "vda" || name == "nvme0n1";
        },
        [&](const DiskStatLine& d) { got.emplace_back(d.name); });
    EXPECT_EQ(n, 1);
    EXPECT_EQ(asked, (std::vector<std::string>{"vda", "vda1", "loop0", "nvme0n1"}));
    EXPECT_EQ(got, (std::vector<std::string>{"vda"}));
}

TEST(NetDevParse, SkipsHeadersAndHandlesNoSpaceAfterColon) {
    std::vector<NetDevLine> lines;
    std::vector<std::string> names;
    int n = forEachNetDev(
        "Inter-|   Receive                                                |  Transmit\n"
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls "
        "carrier compressed\n"
        "    lo:    3000      30    0    0    0     0          0         0     3000      30    0    0    0     0       "
        "0          0\n"
        "  eth0:1000000    1500    1    2    0     0          0         0   200000     800    3    4    0     0       "
        "0          0\n",
        [&](const NetDevLine& d) {
            lines.push_back(d);
            names.emplace_back(d.name);
        });
    ASSERT_EQ(n, 2);
    EXPECT_EQ(names[1], "eth0");
    EXPECT_EQ(lines[1].rxBytes, 1000000u);
    EXPECT_EQ(lines[1].rxPackets, 1500u);
    EXPECT_EQ(lines[1].rxErrors, 1u);
    EXPECT_EQ(lines[1].rxDrops, 2u);
    EXPECT_EQ(lines[1].txBytes, 200000u);
    EXPECT_EQ(lines[1].txPackets, 800u);
    EXPECT_EQ(lines[1].txErrors, 3u);
    EXPECT_EQ(lines[1].txDrops, 4u);
}

TEST(CpuList, Ranges) {
    std::vector<int> cpus;
    ASSERT_TRUE(forEachInCpuList("0-2,5,7-8\n", [&](int c) { cpus.push_back(c); }));
    EXPECT_EQ(cpus, (std::vector<int>{0, 1, 2, 5, 7, 8}));
    EXPECT_FALSE(forEachInCpuList("3-1", [](int) {}));
    EXPECT_FALSE(forEachInCpuList("a", [](int) {}));
}

TEST(CpuUsageComputer, PercentAndBackwardsCountersClamp) {
    CpuUsageComputer c;
    CpuTimes a{};
    a.user = 100;
    a.idle = 100;
    a.iowait = 50;
    EXPECT_TRUE(std::isnan(c.update(a)));
    CpuTimes b = a;
    b.user = 150;  // +50 busy
    b.idle = 200;  // +100 idle
    b.iowait = 0;  // went backwards: clamped to 0, not -50
    EXPECT_DOUBLE_EQ(c.update(b), 100.0 * 50 / 150);
    // No time passed: keep the last value instead of dividing by zero.
    EXPECT_DOUBLE_EQ(c.update(b), 100.0 * 50 / 150);
    // Everything went backwards (counter reset): never negative, never NaN.
    CpuTimes z{};
    double v = c.update(z);
    EXPECT_GE(v, 0.0);
    EXPECT_LE(v, 100.0);
}

TEST(CounterRate, RateAndReset) {
    CounterRate r;
    EXPECT_TRUE(std::isnan(r.update(1000, 10.0)));
    EXPECT_DOUBLE_EQ(r.update(3000, 12.0), 1000.0);
    EXPECT_DOUBLE_EQ(r.update(100, 13.0), 0.0);  // backwards: 0, not a huge unsigned wrap
    EXPECT_DOUBLE_EQ(r.update(600, 14.0), 500.0);
    EXPECT_TRUE(std::isnan(r.update(700, 14.0)));  // no time passed
}

TEST(ProcessCpuComputer, OneCoreIsHundred) {
    ProcessCpuComputer c;
    EXPECT_TRUE(std::isnan(c.update(1000, 5.0, 100)));
    EXPECT_DOUBLE_EQ(c.update(1200, 7.0, 100), 100.0);  // 2 s CPU in 2 s wall
    EXPECT_DOUBLE_EQ(c.update(1600, 9.0, 100), 200.0);  // two threads busy
    EXPECT_DOUBLE_EQ(c.update(1500, 10.0, 100), 0.0);   // backwards clamps
}

TEST(TextScan, U64AcceptsDigitsOnlyAndDetectsOverflow) {
    std::uint64_t v = 7;
    EXPECT_TRUE(scan::toU64("0", v));
    EXPECT_EQ(v, 0u);
    EXPECT_TRUE(scan::toU64("18446744073709551615", v));
    EXPECT_EQ(v, 18446744073709551615ull);
    v = 7;
    EXPECT_FALSE(scan::toU64("18446744073709551616", v));  // 2^64
    EXPECT_FALSE(scan::toU64("99999999999999999999", v));
    EXPECT_FALSE(scan::toU64("", v));
    EXPECT_FALSE(scan::toU64("-1", v));
    EXPECT_FALSE(scan::toU64("12a", v));
    EXPECT_FALSE(scan::toU64(" 12", v));
    EXPECT_EQ(v, 7u);  // untouched on failure
}
