#include "core/timeline/seriestable.h"
#include "core/timeline/timeline.h"

#include <gtest/gtest.h>

using namespace loadline::core;

TEST(RingColumn, UnboundedGrows) {
    RingColumn c;
    for (int i = 0; i < 10; ++i) c.push_back(i);
    ASSERT_EQ(c.size(), 10u);
    EXPECT_EQ(c[0], 0);
    EXPECT_EQ(c[9], 9);
    EXPECT_TRUE(c.pieces().second.empty());
}

TEST(RingColumn, BoundedKeepsNewestInOrder) {
    RingColumn c(4);
    for (int i = 0; i < 10; ++i) c.push_back(i);
    ASSERT_EQ(c.size(), 4u);
    for (std::size_t r = 0; r < 4; ++r) EXPECT_EQ(c[r], 6 + static_cast<double>(r));
    auto [a, b] = c.pieces();
    ASSERT_EQ(a.size() + b.size(), 4u);
    std::vector<double> joined(a.begin(), a.end());
    joined.insert(joined.end(), b.begin(), b.end());
    EXPECT_EQ(joined, (std::vector<double>{6, 7, 8, 9}));
}

TEST(SeriesTable, ColumnsStayInLockStep) {
    SeriesTable t(3);
    int cpu = t.ensureColumn("cpu_percent");
    for (int i = 0; i < 5; ++i) {
        t.appendRow(100.0 + i);
        t.setLast(cpu, i * 10.0);
    }
    int late = t.ensureColumn("late");  // added after rows exist: missing for them
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t.timestamp(0), 102.0);
    EXPECT_EQ(t.value(cpu, 0), 20.0);
    EXPECT_EQ(t.value(cpu, 2), 40.0);
    EXPECT_TRUE(isMissing(t.value(late, 2)));
    EXPECT_TRUE(isMissing(t.value("absent", 0)));
}

TEST(SeriesTable, TextColumnsAreDictionaryCoded) {
    SeriesTable t;
    int st = t.ensureColumn("status", true);
    const char* states[] = {"running", "sleeping", "running", "zombie"};
    for (const char* s : states) {
        t.appendRow(1);
        t.setLastText(st, s);
    }
    t.appendRow(2);  // no status in this row
    EXPECT_EQ(t.text(st, 0), "running");
    EXPECT_EQ(t.text(st, 3), "zombie");
    EXPECT_EQ(t.text(st, 4), "");
    EXPECT_EQ(t.dictionary(st).size(), 3u);
}

TEST(SeriesTable, TimeQueriesAndSorting) {
    SeriesTable t;
    int v = t.ensureColumn("v");
    for (double ts : {3.0, 1.0, 2.0, 2.0}) {
        t.appendRow(ts);
        t.setLast(v, ts * 10);
    }
    EXPECT_FALSE(t.isSorted());
    t.sortByTime();
    EXPECT_TRUE(t.isSorted());
    EXPECT_EQ(t.value(v, 0), 10);
    EXPECT_EQ(t.value(v, 3), 30);
    EXPECT_EQ(t.lowerBound(2.0), 1u);
    EXPECT_EQ(t.upperBound(2.0), 3u);
    EXPECT_EQ(t.lowerBound(9.0), 4u);
}

TEST(Timeline, ProcessesShareTheBound) {
    Timeline tl(2);
    auto& p = tl.process(42);
    int name = p.samples.ensureColumn(col::kName, true);
    for (int i = 0; i < 3; ++i) {
        p.samples.appendRow(i);
        p.samples.setLastText(name, i == 2 ? "late" : "early");
    }
    EXPECT_EQ(p.samples.size(), 2u);
    EXPECT_EQ(p.latestText(col::kName), "late");
    EXPECT_FALSE(tl.firstTime().has_value());
}
