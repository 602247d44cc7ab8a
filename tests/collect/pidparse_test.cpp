// Pure parsers of /proc/PID files, on strings.
#include <gtest/gtest.h>

#include <string>

#include "core/collect/pidparse.h"

using namespace loadline::core;
using namespace std::string_literals;

TEST(PidStatParse, PlainFields) {
    PidStat st;
    ASSERT_TRUE(
        parsePidStat("1 (systemd) S 0 1 1 0 -1 4194560 1000 2000 10 20 150 50 30 40 20 0 1 0 10 170000000 3000 "
                     "18446744073709551615 1 1 0 0 0 0 671173123 4096 1260 0 0 0 17 3 0 0 0 0 0\n",
                     st));
    EXPECT_EQ(st.pid, 1);
    EXPECT_EQ(st.comm, "systemd");
    EXPECT_EQ(st.state, 'S');
    EXPECT_EQ(st.ppid, 0);
    EXPECT_EQ(st.utime, 150u);
    EXPECT_EQ(st.stime, 50u);
    EXPECT_EQ(st.numThreads, 1);
    EXPECT_EQ(st.startTime, 10u);
    EXPECT_EQ(st.vsize, 170000000u);
    EXPECT_EQ(st.rssPages, 3000);
}

TEST(PidStatParse, CommWithSpacesAndParentheses) {
    PidStat st;
    ASSERT_TRUE(
        parsePidStat("42 (my (weird) app) x) R 1 42 42 0 -1 4194304 500 0 0 0 700 300 0 0 20 0 4 0 5000 "
                     "104857600 2560 18446744073709551615\n",
                     st));
    EXPECT_EQ(st.comm, "my (weird) app) x");
    EXPECT_EQ(st.state, 'R');
    EXPECT_EQ(st.utime, 700u);
    EXPECT_EQ(st.numThreads, 4);
    EXPECT_EQ(st.rssPages, 2560);
    // A comm that looks like fields: ") S 1 2 3"
    ASSERT_TRUE(parsePidStat("7 () S 1 2 3) Z 9 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 77 0 0\n", st));
    EXPECT_EQ(st.comm, ") S 1 2 3");
    EXPECT_EQ(st.state, 'Z');
    EXPECT_EQ(st.ppid, 9);
    EXPECT_EQ(st.startTime, 77u);
}

TEST(PidStatParse, RejectsTruncatedAndGarbage) {
    PidStat st;
    EXPECT_FALSE(parsePidStat("", st));
    EXPECT_FALSE(parsePidStat("12 (x) S 1 2 3\n", st));  // cut short before rss
    EXPECT_FALSE(parsePidStat("abc (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22\n", st));
    EXPECT_FALSE(parsePidStat("12 x S\n", st));
}

TEST(PidStatmParse, Pages) {
    PidStatm m;
    ASSERT_TRUE(parsePidStatm("25600 2560 500 10 0 3000 0\n", m));
    EXPECT_EQ(m.size, 25600u);
    EXPECT_EQ(m.resident, 2560u);
    EXPECT_EQ(m.data, 3000u);
    EXPECT_FALSE(parsePidStatm("1 2\n", m));
}

TEST(PidStatusParse, FieldsAndNameWithSpaces) {
    PidStatus s;
    ASSERT_TRUE(
        parsePidStatus("Name:\tmy (weird) app) x\nState:\tR (running)\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\n"
                       "VmSize:\t  102400 kB\nVmRSS:\t   10240 kB\nThreads:\t4\nvoluntary_ctxt_switches:\t10\n",
                       s));
    EXPECT_EQ(s.name, "my (weird) app) x");
    EXPECT_EQ(s.state, 'R');
    EXPECT_EQ(s.ppid, 1);
    EXPECT_EQ(s.uid, 1000);
    EXPECT_EQ(s.threads, 4);
    EXPECT_EQ(s.vmRss, 10240ull * 1024);
    EXPECT_EQ(s.vmSize, 102400ull * 1024);
    EXPECT_EQ(s.voluntaryCtxt, 10u);
    EXPECT_FALSE(s.nonvoluntaryCtxt.has_value());
    // A kernel thread has no Vm* lines: those stay absent.
    ASSERT_TRUE(parsePidStatus("Name:\tkthreadd\nState:\tS (sleeping)\nThreads:\t1\n", s));
    EXPECT_FALSE(s.vmRss.has_value());
    EXPECT_FALSE(parsePidStatus("garbage", s));
}

TEST(PidIoParse, Fields) {
    PidIo io;
    ASSERT_TRUE(
        parsePidIo("rchar: 100\nwchar: 200\nsyscr: 3\nsyscw: 4\nread_bytes: 4096\nwrite_bytes: 8192\n"
                   "cancelled_write_bytes: 0\n",
                   io));
    EXPECT_EQ(io.rchar, 100u);
    EXPECT_EQ(io.syscw, 4u);
    EXPECT_EQ(io.readBytes, 4096u);
    EXPECT_EQ(io.writeBytes, 8192u);
    EXPECT_FALSE(parsePidIo("", io));
}

TEST(Cmdline, JoinedLikePyPerf) {
    std::string out;
    cmdlineToString("python\0my_script.py\0--x\0"s, out);
    EXPECT_EQ(out, "python my_script.py --x");
    cmdlineToString("./app\0a b\0\0c\0"s, out);  // empty argument kept (psutil's split + join)
    EXPECT_EQ(out, "./app a b  c");
    cmdlineToString(""s, out);  // kernel thread / zombie
    EXPECT_EQ(out, "");
    cmdlineToString("nginx: worker process"s, out);  // rewrote its argv, no NUL
    EXPECT_EQ(out, "nginx: worker process");
    EXPECT_EQ(cmdlineFirstArg("/usr/bin/python3\0-m\0"s), "/usr/bin/python3");
    EXPECT_EQ(cmdlineFirstArg("nginx: worker process"s), "nginx:");
    EXPECT_EQ(cmdlineFirstArg("postgres: writer \0"s), "postgres:");  // psutil's space split of a single NUL-ended arg
}

TEST(ProcessStatus, PsutilStrings) {
    EXPECT_STREQ(processStatusName('R'), "running");
    EXPECT_STREQ(processStatusName('S'), "sleeping");
    EXPECT_STREQ(processStatusName('D'), "disk-sleep");
    EXPECT_STREQ(processStatusName('T'), "stopped");
    EXPECT_STREQ(processStatusName('t'), "tracing-stop");
    EXPECT_STREQ(processStatusName('Z'), "zombie");
    EXPECT_STREQ(processStatusName('X'), "dead");
    EXPECT_STREQ(processStatusName('I'), "idle");
    EXPECT_STREQ(processStatusName('P'), "parked");
    EXPECT_STREQ(processStatusName('?'), "unknown");
}

TEST(ProcessName, TruncatedCommCompletedFromArgv0) {
    EXPECT_EQ(processName("bash", "/bin/bash\0"s), "bash");
    EXPECT_EQ(processName("python3.11-work", "/usr/bin/python3.11-worker-pool\0-m\0"s), "python3.11-worker-pool");
    // argv[0] that does not start with comm: keep comm
    EXPECT_EQ(processName("kworker/0:1-eve", ""s), "kworker/0:1-eve");
    EXPECT_EQ(processName("abcdefghijklmno", "/x/zzz\0"s), "abcdefghijklmno");
}
