// TimelineCheckpoint: repeated saves of a growing, bounded timeline from cached sample text must
// be byte for byte what a full save writes, through ring wrap-around, new columns, processes that
// come and go, clear() and sortByTime(); and the cache must really spare the formatting.
#include "core/format/timelinecheckpoint.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/format/recordingio.h"

using namespace loadline::core;

namespace {

void appendSystem(Timeline& tl, double t, std::mt19937& rng, bool perCore3, bool gpu) {
    std::uniform_real_distribution<double> pct(0, 100);
    SeriesTable& s = tl.system;
    s.appendRow(t);
    s.setLast(s.ensureColumn(col::kCpuPercent), pct(rng));
    s.setLast(s.ensureColumn(col::kMemoryPercent), 41.5);
    s.setLast(s.ensureColumn("cpu_percent_per_core[0]"), pct(rng));
    s.setLast(s.ensureColumn("cpu_percent_per_core[1]"), pct(rng));
    if (perCore3) s.setLast(s.ensureColumn("cpu_percent_per_core[2]"), pct(rng));
    if (gpu) s.setLast(s.ensureColumn("gpu_utilization[0]"), 7);
}

void appendProcess(Timeline& tl, int pid, double t, std::mt19937& rng) {
    std::uniform_real_distribution<double> pct(0, 100);
    SeriesTable& s = tl.process(pid).samples;
    s.appendRow(t);
    s.setLast(s.ensureColumn(col::kPid), pid);
    s.setLastText(s.ensureColumn(col::kName, true), "worker \"q\" \xc3\xa9\xff");
    s.setLast(s.ensureColumn(col::kCpuPercent), pct(rng));
    s.setLast(s.ensureColumn(col::kMemoryRssMb), 12.25);
    s.setLastText(s.ensureColumn(col::kStatus, true), rng() % 2 ? "running" : "sleeping");
    s.setLastText(s.ensureColumn(col::kCmdline, true), "python3 -c 'print(1)'\n");
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST(TimelineCheckpoint, EveryUpdateGivesTheTextOfAFullSave) {
    std::mt19937 rng(7);
    Timeline tl(50);
    tl.metadata.platform = "Linux";
    tl.metadata.sampleInterval = 0.5;
    TimelineCheckpoint cp;
    double t = 1700000000.0;
    std::uint64_t fullRows = 0;
    for (int batch = 0; batch < 200; ++batch) {
        const int rows = static_cast<int>(rng() % 8);
        for (int r = 0; r < rows; ++r) {
            t += 0.5;
            appendSystem(tl, t, rng, batch >= 90, batch >= 60);
            appendProcess(tl, 100, t, rng);
            if (batch >= 20 && batch < 120) appendProcess(tl, 200, t, rng);
        }
        if (batch == 150) tl.processes.erase(200);  // a process dropped from the timeline
        tl.metadata.endTime = t;
        cp.update(tl);
        ASSERT_EQ(cp.text(), timelineToText(tl)) << "batch " << batch;
        fullRows += tl.system.size();
        for (const auto& [pid, p] : tl.processes) fullRows += p.samples.size();
    }
    // A full save formats every live row every time; the checkpoint only new rows (and all rows
    // of a table whose keys changed, which happens here 3 times).
    EXPECT_LT(cp.rowsFormatted() * 5, fullRows) << cp.rowsFormatted() << " rows formatted of " << fullRows;
}

TEST(TimelineCheckpoint, NoticesClearAndSortAndRewrites) {
    std::mt19937 rng(3);
    Timeline tl(100);
    TimelineCheckpoint cp;
    for (int i = 0; i < 30; ++i) appendSystem(tl, 10.0 + i, rng, false, false);
    cp.update(tl);
    ASSERT_EQ(cp.text(), timelineToText(tl));

    tl.system.set(tl.system.columnIndex(col::kCpuPercent), 3, 99.5);  // an old row changed
    cp.update(tl);
    EXPECT_EQ(cp.text(), timelineToText(tl));

    tl.system.appendRow(5.0);  // out of order, then sorted: every row moves
    tl.system.setLast(tl.system.columnIndex(col::kCpuPercent), 1);
    tl.system.sortByTime();
    cp.update(tl);
    EXPECT_EQ(cp.text(), timelineToText(tl));

    tl.system.clear();
    for (int i = 0; i < 5; ++i) appendSystem(tl, 100.0 + i, rng, false, false);
    cp.update(tl);
    EXPECT_EQ(cp.text(), timelineToText(tl));

    Timeline empty;
    cp.update(empty);
    EXPECT_EQ(cp.text(), timelineToText(empty));
}

TEST(TimelineCheckpoint, SaveWritesWhatSaveTimelineFileWrites) {
    std::mt19937 rng(11);
    Timeline tl(3600);
    TimelineCheckpoint cp;
    const auto dir = std::filesystem::temp_directory_path() / ("loadline-cp-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string a = (dir / "checkpoint.json").string(), b = (dir / "full.json").string();
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 2000; ++i) {  // about 2.5 MB of text per round: more than one chunk
            appendSystem(tl, 1e9 + round * 2000 + i, rng, true, false);
            appendProcess(tl, 42, 1e9 + round * 2000 + i, rng);
        }
        cp.update(tl);
        std::string err;
        ASSERT_TRUE(succeeded(cp.save(a), &err)) << err;
        ASSERT_TRUE(succeeded(saveTimelineFile(b, tl), &err)) << err;
        ASSERT_EQ(readFile(a), readFile(b)) << "round " << round;
    }
    std::filesystem::remove_all(dir);
}
