// Parsers of the contention sources on strings: PSI files with and without "full", schedstat,
// the context-switch lines of status, cgroup v2 cpu.stat with and without throttling, limits,
// /proc/PID/cgroup and the cgroup2 mount in /proc/mounts.
#include <gtest/gtest.h>

#include "core/collect/contentionparse.h"

using namespace loadline::core;

TEST(PressureParse, SomeAndFull) {
    PressureStall p;
    ASSERT_TRUE(
        parsePressure("some avg10=16.07 avg60=6.68 avg300=1.88 total=13761293\n"
                      "full avg10=0.17 avg60=0.38 avg300=0.29 total=5131299\n",
                      p));
    EXPECT_DOUBLE_EQ(p.some.avg10, 16.07);
    EXPECT_DOUBLE_EQ(p.some.avg60, 6.68);
    EXPECT_DOUBLE_EQ(p.some.avg300, 1.88);
    EXPECT_EQ(p.some.totalUs, 13761293u);
    ASSERT_TRUE(p.hasFull);
    EXPECT_DOUBLE_EQ(p.full.avg60, 0.38);
    EXPECT_EQ(p.full.totalUs, 5131299u);
}

TEST(PressureParse, SomeOnlyAsCpuBeforeLinux513) {
    PressureStall p;
    p.hasFull = true;  // a stale value from an earlier parse must be cleared
    ASSERT_TRUE(parsePressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=42\n", p));
    EXPECT_FALSE(p.hasFull);
    EXPECT_EQ(p.some.totalUs, 42u);
    ASSERT_TRUE(parsePressure("some avg10=1.50 avg60=0.00 avg300=0.00 total=7", p));  // no final newline
    EXPECT_DOUBLE_EQ(p.some.avg10, 1.5);
}

TEST(PressureParse, RejectsOtherText) {
    PressureStall p;
    EXPECT_FALSE(parsePressure("", p));
    EXPECT_FALSE(parsePressure("full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", p));  // no some
    EXPECT_FALSE(parsePressure("some avg10=0.00 avg60=0.00 avg300=0.00\n", p));          // no total
    EXPECT_FALSE(parsePressure("some avg10=x avg60=0.00 avg300=0.00 total=1\n", p));
    EXPECT_FALSE(parsePressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n", p));
    EXPECT_FALSE(parsePressure("cpu  1 2 3 4\n", p));
}

TEST(SchedstatParse, ThreeCounters) {
    Schedstat s;
    ASSERT_TRUE(parseSchedstat("7000000000 3000000000 1234\n", s));
    EXPECT_EQ(s.runNs, 7000000000u);
    EXPECT_EQ(s.waitNs, 3000000000u);
    EXPECT_EQ(s.timeslices, 1234u);
    EXPECT_FALSE(parseSchedstat("1 2\n", s));
    EXPECT_FALSE(parseSchedstat("1 2 3 4\n", s));
    EXPECT_FALSE(parseSchedstat("", s));
}

TEST(ContextSwitchParse, FromStatus) {
    std::uint64_t vol = 99, nonvol = 99;
    ASSERT_TRUE(
        parseContextSwitches("Name:\tx\nThreads:\t4\nvoluntary_ctxt_switches:\t10\n"
                             "nonvoluntary_ctxt_switches:\t2\n",
                             vol, nonvol));
    EXPECT_EQ(vol, 10u);
    EXPECT_EQ(nonvol, 2u);
    // A process name "voluntary_ctxt_switches:" on the Name line must not be taken for the field.
    ASSERT_TRUE(
        parseContextSwitches("Name:\tnonvoluntary_ctxt_switches: 77\nvoluntary_ctxt_switches:\t5\n"
                             "nonvoluntary_ctxt_switches:\t6\n",
                             vol, nonvol));
    EXPECT_EQ(nonvol, 6u);
    EXPECT_FALSE(parseContextSwitches("Name:\tx\nThreads:\t4\n", vol, nonvol));
    EXPECT_FALSE(parseContextSwitches("Name:\tx\nnonvoluntary_ctxt_switches:\tabc\n", vol, nonvol));
}

TEST(CgroupCpuStatParse, WithThrottling) {
    CgroupCpuStat c;
    ASSERT_TRUE(
        parseCgroupCpuStat("usage_usec 5000000\nuser_usec 4000000\nsystem_usec 1000000\n"
                           "core_sched.force_idle_usec 0\nnr_periods 100\nnr_throttled 40\n"
                           "throttled_usec 2000000\nnr_bursts 0\nburst_usec 0\n",
                           c));
    EXPECT_EQ(c.usageUsec, 5000000u);
    EXPECT_EQ(c.userUsec, 4000000u);
    EXPECT_EQ(c.systemUsec, 1000000u);
    ASSERT_TRUE(c.hasThrottling);
    EXPECT_EQ(c.nrPeriods, 100u);
    EXPECT_EQ(c.nrThrottled, 40u);
    EXPECT_EQ(c.throttledUsec, 2000000u);
}

TEST(CgroupCpuStatParse, WithoutTheCpuController) {
    CgroupCpuStat c;
    c.hasThrottling = true;
    ASSERT_TRUE(parseCgroupCpuStat("usage_usec 12\nuser_usec 10\nsystem_usec 2\n", c));
    EXPECT_EQ(c.usageUsec, 12u);
    EXPECT_FALSE(c.hasThrottling);
    EXPECT_FALSE(parseCgroupCpuStat("user_usec 10\n", c));             // no usage_usec
    EXPECT_FALSE(parseCgroupCpuStat("usage_usec ten\n", c));           // not a number
    EXPECT_FALSE(parseCgroupCpuStat("some avg10=0.00 total=1\n", c));  // another file
}

TEST(CgroupLimitParse, NumberOrMax) {
    std::uint64_t v = 1;
    bool unlimited = true;
    ASSERT_TRUE(parseCgroupLimit("209715200\n", v, unlimited));
    EXPECT_EQ(v, 209715200u);
    EXPECT_FALSE(unlimited);
    ASSERT_TRUE(parseCgroupLimit("max\n", v, unlimited));
    EXPECT_TRUE(unlimited);
    EXPECT_FALSE(parseCgroupLimit("", v, unlimited));
    EXPECT_FALSE(parseCgroupLimit("20000 100000\n", v, unlimited));  // cpu.max is not a limit file
    EXPECT_FALSE(parseCgroupLimit("-5\n", v, unlimited));
}

TEST(ProcCgroupParse, V2LineOfAHybridOrUnifiedSystem) {
    std::string_view path;
    ASSERT_TRUE(parseProcCgroupV2("12:cpu,cpuacct:/old\n0::/app.slice/job.scope\n", path));
    EXPECT_EQ(path, "/app.slice/job.scope");
    ASSERT_TRUE(parseProcCgroupV2("0::/user.slice/gone.scope (deleted)\n", path));
    EXPECT_EQ(path, "/user.slice/gone.scope");
    ASSERT_TRUE(parseProcCgroupV2("0::/\n", path));
    EXPECT_EQ(path, "/");
    EXPECT_FALSE(parseProcCgroupV2("4:memory:/x\n1:cpu:/\n", path));  // cgroup v1 only
    EXPECT_FALSE(parseProcCgroupV2("", path));
}

TEST(Cgroup2MountParse, FindsAndUnescapes) {
    std::string mp;
    ASSERT_TRUE(
        findCgroup2Mount("proc /proc proc rw 0 0\ncgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n"
                         "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n",
                         mp));
    EXPECT_EQ(mp, "/sys/fs/cgroup/unified");
    ASSERT_TRUE(findCgroup2Mount("none /mnt/my\\040cg cgroup2 rw 0 0\n", mp));
    EXPECT_EQ(mp, "/mnt/my cg");
    EXPECT_FALSE(findCgroup2Mount("cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n", mp));
}
