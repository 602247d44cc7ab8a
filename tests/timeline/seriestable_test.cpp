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

// An unbounded table (a loaded file) stores mostly-missing columns as their present values only:
// 10,000 columns each in one of 10,000 rows must not hold 100 million cells.
TEST(SeriesTable, UnboundedTableStoresOnlyPresentValuesOfSparseColumns) {
    SeriesTable t;
    const int dense = t.ensureColumn("cpu_percent");
    for (int i = 0; i < 10000; ++i) {
        t.appendRow(i);
        t.setLast(dense, i);
        t.setLast(t.ensureColumn("k" + std::to_string(i)), i * 2.0);
    }
    ASSERT_EQ(t.columnCount(), 10001);
    EXPECT_FALSE(t.isSparse(dense));
    EXPECT_TRUE(t.isSparse(t.columnIndex("k5000")));
    // cpu_percent dense (10,000 cells) plus a few pairs per sparse value; not 10,001 x 10,000.
    EXPECT_LE(t.storedCells(), 10000u + 2u * 10000u + 8u);
    EXPECT_EQ(t.value(t.columnIndex("k5000"), 5000), 10000.0);
    EXPECT_TRUE(isMissing(t.value(t.columnIndex("k5000"), 4999)));
    EXPECT_TRUE(isMissing(t.value(t.columnIndex("k5000"), 5001)));
    EXPECT_EQ(t.value(dense, 9999), 9999.0);
}

// A column present in the first rows only goes sparse once it is mostly missing.
TEST(SeriesTable, DenseColumnThatStopsGoesSparse) {
    SeriesTable t;
    for (int i = 0; i < 1000; ++i) {
        t.appendRow(i);
        if (i < 10)
            for (int k = 0; k < 100; ++k) t.setLast(t.ensureColumn("early" + std::to_string(k)), k + i);
    }
    const int c = t.columnIndex("early7");
    EXPECT_TRUE(t.isSparse(c));
    EXPECT_LE(t.storedCells(), 100u * 10u * 2u);
    EXPECT_EQ(t.value(c, 3), 10.0);
    EXPECT_TRUE(isMissing(t.value(c, 10)));
    // column() makes it dense again, values unchanged.
    const RingColumn& ring = t.column(c);
    ASSERT_EQ(ring.size(), 1000u);
    EXPECT_EQ(ring[9], 16.0);
    EXPECT_FALSE(t.isSparse(c));
}

// A dense column counts its values only when appendRow checks sparsity (every 64 rows): values
// removed by set() before and after the last check both count, and a sort keeps the count.
TEST(SeriesTable, SparsityFollowsValuesRemovedBySetAndSort) {
    SeriesTable t;
    const int c = t.ensureColumn("v");
    const int full = t.ensureColumn("full");
    for (int i = 0; i < 200; ++i) {
        t.appendRow(200 - i);  // descending: sorted below
        t.setLast(c, i);
        t.setLast(full, i);
    }
    ASSERT_FALSE(t.isSparse(c));
    t.sortByTime();
    for (int row = 10; row < 200; ++row) t.set(c, static_cast<std::size_t>(row), kMissing);
    EXPECT_FALSE(t.isSparse(c));  // not checked yet
    for (int i = 0; i < 64; ++i) {
        t.appendRow(201 + i);
        t.setLast(full, i);
    }
    EXPECT_TRUE(t.isSparse(c));  // 10 of 264 rows present
    EXPECT_FALSE(t.isSparse(full));
    EXPECT_EQ(t.value(c, 0), 199.0);  // time 1 was appended last (i = 199)
    EXPECT_EQ(t.value(c, 9), 190.0);
    EXPECT_TRUE(isMissing(t.value(c, 10)));
    EXPECT_TRUE(isMissing(t.value(c, 263)));
    EXPECT_EQ(t.value(full, 263), 63.0);
}

// set() on a row the last check counted adjusts the count; on a newer row it does not (the next
// check counts that row as it is then): 50 of 192 rows present keeps the column dense.
TEST(SeriesTable, ValuesRemovedBySetCountOnce) {
    SeriesTable t;
    const int c = t.ensureColumn("v");
    for (int i = 0; i < 191; ++i) {
        t.appendRow(i);
        t.setLast(c, i);
    }
    // The check at 128 rows counted rows 0..126.
    for (int row = 0; row <= 140; ++row) t.set(c, static_cast<std::size_t>(row), kMissing);
    t.appendRow(191);  // the check at 192 rows: rows 141..190 hold values
    EXPECT_FALSE(t.isSparse(c));
    for (int i = 192; i < 256; ++i) t.appendRow(i);
    EXPECT_TRUE(t.isSparse(c));  // 50 of 256
    EXPECT_EQ(t.value(c, 141), 141.0);
    EXPECT_TRUE(isMissing(t.value(c, 140)));
}

TEST(SeriesTable, SparseColumnsSortSetAndHoldText) {
    SeriesTable t;
    const int ts = t.ensureColumn("ts");
    for (int i = 0; i < 100; ++i) {
        t.appendRow(100 - i);  // descending: sorted later
        t.setLast(ts, 100 - i);
        if (i == 10) t.setLast(t.ensureColumn("rare"), 42);
        if (i == 20) t.setLastText(t.ensureColumn("note", true), "hello");
    }
    const int rare = t.columnIndex("rare");
    const int note = t.columnIndex("note");
    ASSERT_TRUE(t.isSparse(rare));
    ASSERT_TRUE(t.isSparse(note));
    t.sortByTime();
    // Row of time 90 (appended as i == 10) is row 89 once ascending.
    EXPECT_EQ(t.timestamp(89), 90.0);
    EXPECT_EQ(t.value(rare, 89), 42.0);
    EXPECT_TRUE(isMissing(t.value(rare, 10)));
    EXPECT_EQ(t.text(note, 79), "hello");
    EXPECT_EQ(t.text(note, 20), "");
    t.set(rare, 3, 7.0);
    t.set(rare, 89, kMissing);
    EXPECT_EQ(t.value(rare, 3), 7.0);
    EXPECT_TRUE(isMissing(t.value(rare, 89)));
    EXPECT_EQ(t.value(ts, 0), 1.0);
}

// A bounded (live) table keeps every column dense: appending never allocates once full.
TEST(SeriesTable, BoundedTableStaysDense) {
    SeriesTable t(8);
    for (int i = 0; i < 50; ++i) {
        t.appendRow(i);
        if (i == 3) t.setLast(t.ensureColumn("once"), 1);
    }
    EXPECT_FALSE(t.isSparse(t.columnIndex("once")));
}
