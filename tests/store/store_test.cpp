// The .llrec store: every sample of a long run comes back exactly, a reader during writing sees
// a consistent prefix, conversion to and from py-perf JSON is lossless, and the consolidated
// levels agree with the per-column summary computed directly over the raw samples.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>

#include "core/format/recordingio.h"
#include "core/store/llrec.h"
#include "core/timeline/decimate.h"

namespace fs = std::filesystem;
using namespace loadline::core;

namespace {

std::string tempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("loadline-store-" + std::to_string(::getpid()) + "-" + name)).string();
}

void removeStore(const std::string& p) {
    for (const char* s : {"", "-wal", "-shm", "-journal"}) fs::remove(p + s);
}

constexpr int kProcs = 10;

// The value of column c at tick i: deterministic, with missing values, awkward doubles and
// integers, so the test can recompute any sample without keeping the run.
double sysValue(std::uint64_t i, int c) {
    std::mt19937_64 g(i * 131 + static_cast<std::uint64_t>(c));
    const std::uint64_t r = g();
    if (r % 97 == 0) return kMissing;
    if (c == 1) return static_cast<double>(r % 1000);                                   // an integer column
    return std::ldexp(static_cast<double>(r >> 11), -53) * 100.0 + (c == 2 ? 1e9 : 0);  // full 53-bit mantissas
}
double procValue(std::uint64_t i, int pid, int c) {
    std::mt19937_64 g(i * 7919 + static_cast<std::uint64_t>(pid) * 31 + static_cast<std::uint64_t>(c));
    const std::uint64_t r = g();
    if (r % 53 == 0) return kMissing;
    return std::ldexp(static_cast<double>(r >> 11), -53) * 400.0;
}
double tickTime(std::uint64_t i) { return 1.7e9 + static_cast<double>(i) * 0.5 + (i % 7) * 1e-6; }

const char* kSysCols[] = {"cpu_percent", "memory_percent", "memory_available_mb", "load_avg_1m"};
const char* kProcCols[] = {"cpu_percent", "memory_rss_mb", "num_threads"};

// Appends tick i to a (bounded) timeline as the sampler does: one system row, one row per process.
void appendTick(Timeline& t, std::uint64_t i) {
    t.system.appendRow(tickTime(i));
    for (int c = 0; c < 4; ++c) t.system.setLast(t.system.ensureColumn(kSysCols[c]), sysValue(i, c));
    for (int k = 0; k < kProcs; ++k) {
        const int pid = 1000 + k;
        if (k == 9 && i % 3 == 0) continue;  // a process that is sometimes not sampled
        SeriesTable& p = t.process(pid).samples;
        p.appendRow(tickTime(i));
        p.setLast(p.ensureColumn("pid"), pid);
        p.setLastText(p.ensureColumn("name", true), "worker-" + std::to_string(k));
        p.setLastText(p.ensureColumn("status", true), i % 5 ? "running" : "sleeping");
        for (int c = 0; c < 3; ++c) p.setLast(p.ensureColumn(kProcCols[c]), procValue(i, pid, c));
    }
    t.metadata.endTime = tickTime(i);
}

bool sameDouble(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// Checks that a loaded timeline holds exactly ticks [0, n) (values and timestamps).
void expectTicks(const Timeline& t, std::uint64_t n, const std::string& what) {
    ASSERT_EQ(t.system.size(), n) << what;
    for (std::uint64_t i = 0; i < n; ++i) {
        ASSERT_EQ(t.system.timestamp(i), tickTime(i)) << what << " tick " << i;
        for (int c = 0; c < 4; ++c)
            ASSERT_TRUE(sameDouble(t.system.value(kSysCols[c], i), sysValue(i, c)))
                << what << " tick " << i << " " << kSysCols[c] << ": " << t.system.value(kSysCols[c], i) << " vs "
                << sysValue(i, c);
    }
    for (int k = 0; k < kProcs; ++k) {
        const int pid = 1000 + k;
        auto it = t.processes.find(pid);
        ASSERT_NE(it, t.processes.end()) << what << " pid " << pid;
        const SeriesTable& p = it->second.samples;
        std::size_t row = 0;
        for (std::uint64_t i = 0; i < n; ++i) {
            if (k == 9 && i % 3 == 0) continue;
            ASSERT_LT(row, p.size()) << what << " pid " << pid << " tick " << i;
            ASSERT_EQ(p.timestamp(row), tickTime(i));
            ASSERT_EQ(p.value("pid", row), pid);
            ASSERT_EQ(p.text(p.columnIndex("name"), row), "worker-" + std::to_string(k));
            ASSERT_EQ(p.text(p.columnIndex("status"), row), i % 5 ? "running" : "sleeping");
            for (int c = 0; c < 3; ++c)
                ASSERT_TRUE(sameDouble(p.value(kProcCols[c], row), procValue(i, pid, c)))
                    << what << " pid " << pid << " tick " << i << " " << kProcCols[c];
            ++row;
        }
        ASSERT_EQ(row, p.size()) << what << " pid " << pid;
    }
}

// Writes n ticks as the recorder does: a bounded ring, staged and committed every few ticks.
void writeRun(const std::string& path, std::uint64_t n, bool finish = true) {
    removeStore(path);
    store::StoreWriter w;
    std::string error;
    ASSERT_TRUE(succeeded(w.create(path, {0.5, false}), &error)) << error;
    Timeline ring(64);
    ring.metadata.platform = "Linux";
    ring.metadata.sampleInterval = 0.5;
    for (std::uint64_t i = 0; i < n; ++i) {
        appendTick(ring, i);
        if (i % 7 == 6 || i + 1 == n) w.stage(ring);  // before the ring of 64 drops rows
        if (i % 49 == 48 || i + 1 == n) {
            ASSERT_TRUE(succeeded(w.commit(), &error)) << error;
        }
    }
    if (finish) {
        ASSERT_TRUE(succeeded(w.finish(), &error)) << error;
    }
}

}  // namespace

TEST(Store, EverySampleOfALongRunComesBackExactly) {
    const std::string path = tempPath("long.llrec");
    const std::uint64_t n = 40000;  // > 32^3 ticks: three levels of blocks are closed too
    writeRun(path, n);
    LoadResult r = loadRecordingFile(path);
    ASSERT_TRUE(r) << (!r.has_value() ? r.error().toString() : "");
    EXPECT_TRUE(r->warnings.empty()) << r->warnings.front();
    EXPECT_EQ(r->timeline.metadata.platform, "Linux");
    expectTicks(r->timeline, n, "long run");
    removeStore(path);
}

TEST(Store, ARangeAndTheNewestSamplesAreReadAlone) {
    const std::string path = tempPath("range.llrec");
    writeRun(path, 500);
    store::ReadOptions o;
    o.from = tickTime(100);
    o.to = tickTime(299);
    o.maxSamples = 50;
    LoadResult r = store::loadStore(path, o);
    ASSERT_TRUE(r) << (!r.has_value() ? r.error().toString() : "");
    const auto& sys = r->timeline.system;
    ASSERT_EQ(sys.size(), 50u);
    EXPECT_EQ(sys.timestamp(0), tickTime(250));
    EXPECT_EQ(sys.timestamp(49), tickTime(299));
    removeStore(path);
}

TEST(Store, AnUnclosedStoreOpensWithAWarningSayingWhatWasCut) {
    const std::string path = tempPath("open.llrec");
    writeRun(path, 100, /*finish=*/false);
    LoadResult r = loadRecordingFile(path);
    ASSERT_TRUE(r) << (!r.has_value() ? r.error().toString() : "");
    expectTicks(r->timeline, 100, "unclosed");
    ASSERT_FALSE(r->warnings.empty());
    EXPECT_NE(r->warnings.front().find("not closed"), std::string::npos) << r->warnings.front();
    EXPECT_NE(r->warnings.front().find("100 ticks"), std::string::npos) << r->warnings.front();
    removeStore(path);
}

// A damaged tick (bad bytes in its packed arrays) is skipped with a warning naming it; the rest
// of the store opens, as the py-perf loader skips a bad sample.
TEST(Store, ADamagedTickIsSkippedAndTheRestOpens) {
    const std::string path = tempPath("damaged.llrec");
    writeRun(path, 100);
    const std::string sql =
        "UPDATE tick SET sys = 'garbage' WHERE seq = (SELECT min(seq) + 3 FROM tick); "
        "UPDATE tick SET procs = '{\"12\": [1, oops]}' WHERE seq = (SELECT min(seq) + 5 FROM tick);";
    ASSERT_EQ(std::system(("sqlite3 '" + path + "' \"" + sql + "\"").c_str()), 0);
    LoadResult r = loadRecordingFile(path);
    ASSERT_TRUE(r) << (!r.has_value() ? r.error().toString() : "");
    EXPECT_EQ(r->timeline.system.size(), 99u);  // tick 3 lost; tick 5 keeps its system sample
    ASSERT_FALSE(r->warnings.empty());
    EXPECT_NE(r->warnings.front().find("skipped 2 damaged ticks"), std::string::npos) << r->warnings.front();
    EXPECT_NE(r->warnings.front().find("sys is not an array of numbers"), std::string::npos) << r->warnings.front();
    removeStore(path);
}

// An SQLite file of another program says so, once.
TEST(Store, AnotherSqliteDatabaseIsNamedAsSuch) {
    const std::string path = tempPath("other.db");
    fs::remove(path);
    ASSERT_EQ(std::system(("sqlite3 '" + path + "' 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'").c_str()), 0);
    LoadResult r = store::loadStore(path);
    ASSERT_FALSE(r);
    const std::string message = r.error().toString();
    EXPECT_NE(message.find("not a loadline .llrec store"), std::string::npos) << message;
    EXPECT_EQ(message.find(path), message.rfind(path)) << "the path is named once: " << message;
    fs::remove(path);
}

TEST(Store, NotAStoreIsAClearError) {
    const std::string path = tempPath("bad.llrec");
    {
        std::ofstream f(path);
        f << "SQLite format 3";  // 15 bytes: not the 16-byte header
    }
    LoadResult r = store::loadStore(path);
    EXPECT_FALSE(r);
    ASSERT_TRUE(!r.has_value());
    EXPECT_NE(r.error().toString().find(path), std::string::npos);
    // A writer does not overwrite a file that is not a store.
    store::StoreWriter w;
    std::string error;
    EXPECT_FALSE(succeeded(w.create(path, {}), &error));
    EXPECT_NE(error.find("not a .llrec store"), std::string::npos) << error;
    fs::remove(path);
}

TEST(Store, AReaderDuringWritingAlwaysSeesAConsistentPrefix) {
    const std::string path = tempPath("follow.llrec");
    removeStore(path);
    store::StoreWriter w;
    std::string error;
    ASSERT_TRUE(succeeded(w.create(path, {0.5, false}), &error)) << error;
    std::atomic<bool> done{false};
    std::atomic<std::uint64_t> written{0};
    std::thread writer([&] {
        Timeline ring(64);
        for (std::uint64_t i = 0; i < 3000; ++i) {
            appendTick(ring, i);
            if (i % 5 == 4) {
                w.stage(ring);
                std::string e;
                if (!succeeded(w.commit(), &e)) ADD_FAILURE() << e;
                written = i + 1;
            }
        }
        done = true;
    });
    int reads = 0;
    std::uint64_t last = 0;
    while (!done || reads < 3) {
        const std::uint64_t before = written.load();
        LoadResult r = loadRecordingFile(path);
        ASSERT_TRUE(r) << (!r.has_value() ? r.error().toString() : "");
        const std::uint64_t n = r->timeline.system.size();
        // A prefix: every tick it holds is complete (system and every process), none skipped,
        // at least what was committed before the read began, never fewer than the last read.
        EXPECT_GE(n, before);
        EXPECT_GE(n, last);
        EXPECT_EQ(n % 5, 0u);
        if (n) expectTicks(r->timeline, n, "read " + std::to_string(reads));
        if (::testing::Test::HasFailure()) break;
        last = n;
        ++reads;
    }
    writer.join();
    EXPECT_GE(reads, 3);
    removeStore(path);
}

TEST(Store, ConversionBothWaysIsLosslessForPyPerfFiles) {
    for (const char* name : {"timeline_trainer.json", "summary_busy.json", "summary_quiet.json"}) {
        const std::string in = std::string(LOADLINE_TEST_DATA) + "/pyperf/" + name;
        LoadResult a = loadRecordingFile(in);
        ASSERT_TRUE(a) << name;
        const std::string text = recordingToText(*a);
        const std::string st = tempPath(std::string(name) + ".llrec");
        std::string error;
        ASSERT_TRUE(succeeded(saveRecordingFile(st, *a), &error)) << error;
        ASSERT_TRUE(store::looksLikeStore(st));
        LoadResult b = loadRecordingFile(st);
        ASSERT_TRUE(b) << (!b.has_value() ? b.error().toString() : "");
        EXPECT_TRUE(b->warnings.empty()) << name;
        EXPECT_EQ(recordingToText(*b), text) << name;
        // And back: the JSON written from the store is the JSON the file gives.
        const std::string js = tempPath(std::string(name) + ".back.json");
        ASSERT_TRUE(succeeded(saveRecordingFile(js, *b), &error)) << error;
        LoadResult c = loadRecordingFile(js);
        ASSERT_TRUE(c);
        EXPECT_EQ(recordingToText(*c), text) << name;
        removeStore(st);
        fs::remove(js);
    }
}

TEST(Store, ConsolidatedLevelsAgreeWithTheSummaryOverRawSamples) {
    const std::string path = tempPath("levels.llrec");
    const std::uint64_t n = 32 * 32 * 3 + 17;
    writeRun(path, n);
    LoadResult r = loadRecordingFile(path);
    ASSERT_TRUE(r);
    const SeriesTable& sys = r->timeline.system;
    std::vector<double> times(sys.size()), values(sys.size());
    for (std::size_t i = 0; i < sys.size(); ++i) {
        times[i] = sys.timestamp(i);
        values[i] = sys.value("cpu_percent", i);
    }
    const double maxGap = 3 * 0.5;
    // Level 1: blocks of 32 ticks, exactly what the chart's BlockSummary computes.
    BlockSummary direct;
    direct.update(times, values, maxGap);
    std::string error;
    auto l1 = store::readLevel(path, 1, -1, "cpu_percent").value_or(std::vector<store::LevelBlock>{});
    ASSERT_EQ(l1.size(), n / 32) << error;
    ASSERT_EQ(direct.lo.size(), l1.size());
    for (std::size_t b = 0; b < l1.size(); ++b) {
        EXPECT_EQ(l1[b].lo, direct.lo[b]) << b;
        EXPECT_EQ(l1[b].hi, direct.hi[b]) << b;
        EXPECT_EQ(l1[b].area, direct.area[b]) << b;
        EXPECT_EQ(l1[b].duration, direct.duration[b]) << b;
        EXPECT_EQ(l1[b].t0, times[b * 32]);
        EXPECT_EQ(l1[b].t1, times[b * 32 + 31]);
    }
    // Level 2: blocks of 1024 ticks, against one block of that length over the raw samples.
    auto l2 = store::readLevel(path, 2, -1, "cpu_percent").value_or(std::vector<store::LevelBlock>{});
    ASSERT_EQ(l2.size(), n / 1024) << error;
    for (std::size_t b = 0; b < l2.size(); ++b) {
        BlockSummary one;
        one.maxGap = maxGap;
        one.appendBlock(times, values, b * 1024, (b + 1) * 1024);
        EXPECT_EQ(l2[b].lo, one.lo[0]);
        EXPECT_EQ(l2[b].hi, one.hi[0]);
        EXPECT_NEAR(l2[b].area, one.area[0], 1e-9 * std::abs(one.area[0]));
        EXPECT_NEAR(l2[b].duration, one.duration[0], 1e-9 * one.duration[0]);
        EXPECT_GT(l2[b].duration, 0);
    }
    // A process column (pid 1009 is missing every third tick: its rows are not 32 per block).
    const SeriesTable& p = r->timeline.processes.at(1009).samples;
    auto pl = store::readLevel(path, 1, 1009, "memory_rss_mb").value_or(std::vector<store::LevelBlock>{});
    ASSERT_EQ(pl.size(), n / 32);
    std::vector<double> pt(p.size()), pv(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        pt[i] = p.timestamp(i);
        pv[i] = p.value("memory_rss_mb", i);
    }
    for (std::size_t b = 0; b < pl.size(); ++b) {
        const std::size_t first = p.lowerBound(tickTime(b * 32)), end = p.upperBound(tickTime(b * 32 + 31));
        BlockSummary one;
        one.maxGap = maxGap;
        one.appendBlock(pt, pv, first, end);
        EXPECT_EQ(pl[b].lo, one.lo[0]) << b;
        EXPECT_EQ(pl[b].hi, one.hi[0]) << b;
        EXPECT_EQ(pl[b].area, one.area[0]) << b;
        EXPECT_EQ(pl[b].duration, one.duration[0]) << b;
    }
    removeStore(path);
}

TEST(Store, AFollowerReadsOnlyTheTicksCommittedSinceItsLastRead) {
    // loadline RUN.llrec on a recording in progress: the window loads what is committed, then
    // reads only newer ticks (loadStoreTicksAfter) and appends them, until the store is closed.
    const std::string path = tempPath("tail.llrec");
    removeStore(path);
    store::StoreWriter w;
    std::string error;
    ASSERT_TRUE(succeeded(w.create(path, {0.5, false}), &error)) << error;
    Timeline ring(64);
    std::uint64_t i = 0;
    auto writeTicks = [&](std::uint64_t n) {
        for (std::uint64_t end = i + n; i < end; ++i) appendTick(ring, i);
        w.stage(ring);
        ASSERT_TRUE(succeeded(w.commit(), &error)) << error;
    };
    writeTicks(20);
    LoadResult first = loadRecordingFile(path);
    ASSERT_TRUE(first) << (!first.has_value() ? first.error().toString() : "");
    Timeline shown = std::move(first->timeline);
    ASSERT_EQ(shown.system.size(), 20u);

    // Nothing new yet: the first read (after the last shown time) finds no tick.
    store::StoreCursor cursor;
    LoadResult none = store::loadStoreTicksAfter(path, cursor, *shown.lastTime());
    ASSERT_TRUE(none) << (!none.has_value() ? none.error().toString() : "");
    EXPECT_EQ(none->timeline.system.size(), 0u);
    EXPECT_EQ(cursor.lastSeq, 19);
    EXPECT_FALSE(cursor.closed);

    for (int round = 0; round < 3; ++round) {
        writeTicks(static_cast<std::uint64_t>(7 + round));
        LoadResult more = store::loadStoreTicksAfter(path, cursor);
        ASSERT_TRUE(more) << (!more.has_value() ? more.error().toString() : "");
        // Exactly the ticks of this commit: none read twice, none skipped.
        ASSERT_EQ(more->timeline.system.size(), static_cast<std::size_t>(7 + round));
        EXPECT_EQ(more->timeline.system.timestamp(0), tickTime(i - 7 - round));
        EXPECT_TRUE(more->warnings.empty());
        store::appendTicks(shown, more->timeline);
        EXPECT_FALSE(cursor.closed);
    }
    expectTicks(shown, i, "followed");

    ASSERT_TRUE(succeeded(w.finish(), &error)) << error;
    LoadResult last = store::loadStoreTicksAfter(path, cursor);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->timeline.system.size(), 0u);
    EXPECT_TRUE(cursor.closed);
    removeStore(path);
}
