#pragma once
// A bounded, columnar table of samples: one contiguous ring of doubles per metric,
// all columns in lock step with the timestamp column. Missing values are NaN.
// Text fields (status, name) are dictionary-coded so the hot arrays stay numeric.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace loadline::core {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
inline bool isMissing(double v) { return std::isnan(v); }

/** A ring of doubles addressed by logical row (0 = oldest). Capacity 0 means unbounded. */
class RingColumn {
public:
    explicit RingColumn(std::size_t capacity = 0) : m_capacity(capacity) {}

    std::size_t size() const { return m_size; }
    std::size_t capacity() const { return m_capacity; }
    /** Rows that fit before the storage grows (reserve()). */
    std::size_t reserved() const { return m_data.capacity(); }
    bool bounded() const { return m_capacity != 0; }

    double operator[](std::size_t row) const { return m_data[physical(row)]; }
    double& operator[](std::size_t row) { return m_data[physical(row)]; }
    double back() const { return (*this)[m_size - 1]; }
    double& back() { return (*this)[m_size - 1]; }

    void push_back(double v) {
        if (!bounded() || m_data.size() < m_capacity) {
            m_data.push_back(v);
            m_size = m_data.size();
            return;
        }
        overwriteOldest(v);
    }
    void clear() {
        m_data.clear();
        m_head = 0;
        m_size = 0;
    }
    void reserve(std::size_t n) { m_data.reserve(bounded() && n > m_capacity ? m_capacity : n); }

    /** How many of rows [from, to) hold a value (are not NaN). */
    std::size_t countPresent(std::size_t from, std::size_t to) const;

    /** The rows in logical order as at most two contiguous pieces (the ring may wrap). */
    std::pair<std::span<const double>, std::span<const double>> pieces() const;

private:
    void overwriteOldest(double v);
    std::size_t physical(std::size_t row) const {
        std::size_t i = m_head + row;
        return i >= m_data.size() ? i - m_data.size() : i;
    }
    std::vector<double> m_data;
    std::size_t m_capacity;
    std::size_t m_head = 0;  // physical index of the oldest row once the ring is full
    std::size_t m_size = 0;
};

/**
 * Columns of samples keyed by name. Row i of every column belongs to timestamp(i).
 * Appending never allocates once a bounded table is full (the ring overwrites the oldest row).
 *
 * A bounded table (live sampling) keeps every column dense. An unbounded table (a loaded file)
 * keeps a column dense only while at least a quarter of its rows hold a value; otherwise it stores
 * (row, value) pairs of the values present. So memory follows the values actually present: a file
 * of 10,000 keys each in one of 10,000 samples holds 10,000 values, not 100 million NaNs.
 */
class SeriesTable {
public:
    explicit SeriesTable(std::size_t maxSamples = 0) : m_timestamps(maxSamples), m_maxSamples(maxSamples) {}

    std::size_t size() const { return m_timestamps.size(); }
    bool empty() const { return size() == 0; }
    std::size_t maxSamples() const { return m_maxSamples; }
    bool bounded() const { return m_maxSamples != 0; }
    /** Drops every row and column. */
    void clear();
    void reserve(std::size_t rows);

    // --- schema ---
    /** Index of a column, or -1. */
    int columnIndex(std::string_view name) const;
    /** Index of a column, adding it (NaN for existing rows) when absent. */
    int ensureColumn(std::string_view name, bool text = false);
    int columnCount() const { return static_cast<int>(m_columns.size()); }
    const std::string& columnName(int col) const { return m_columns[col].name; }
    bool isTextColumn(int col) const { return m_columns[col].text; }

    // --- rows ---
    const RingColumn& timestamps() const { return m_timestamps; }
    double timestamp(std::size_t row) const { return m_timestamps[row]; }
    /** The rows of a column as a ring. A sparse column is made dense first (8 bytes a row):
     *  prefer value() to read columns that may be sparse. */
    const RingColumn& column(int col) const;
    double value(int col, std::size_t row) const {
        const Column& c = m_columns[col];
        return c.sparse ? sparseValue(c, row) : c.values[row];
    }
    /** Value by name; NaN when the column is absent. */
    double value(std::string_view name, std::size_t row) const;

    /** Appends a row whose values are all missing; fill it with setLast(). */
    void appendRow(double timestamp);
    void setLast(int col, double v) {
        Column& c = m_columns[col];
        // A dense column's newest row is never counted yet (see Column::countedRows), so this
        // is a plain store, for the sampler's live table and a loader's alike.
        if (c.sparse) return setSparse(c, size() - 1, v);
        c.values.back() = v;
    }
    void set(int col, std::size_t row, double v);

    // --- storage (what a loader bounds) ---
    /** Whether a column stores only its present values. */
    bool isSparse(int col) const { return m_columns[col].sparse; }
    /** Doubles held for sample values: dense cells (missing ones included) plus two per stored
     *  sparse value (its row and value). Timestamps not included. */
    std::uint64_t storedCells() const {
        return static_cast<std::uint64_t>(size()) * m_denseColumns.size() + 2 * m_sparseValues;
    }

    // --- identity of rows, for caches of their text (TimelineCheckpoint) ---
    /** Rows appended since construction or clear(): row r is appended row appendedRows() - size() + r. */
    std::uint64_t appendedRows() const { return m_appended; }
    /** Bumped whenever existing rows change other than through setLast on the newest row. */
    std::uint64_t rewrites() const { return m_rewrites; }

    // --- text columns (dictionary-coded; the code is stored as a double, NaN = missing) ---
    /** Stores text in the last row. Allocation-free when the text was seen before. */
    void setLastText(int col, std::string_view text);
    /** Text of a row, or empty view when missing. */
    std::string_view text(int col, std::size_t row) const;
    const std::vector<std::string>& dictionary(int col) const { return m_columns[col].dictionary; }

    // --- time queries ---
    /** First row with timestamp >= t (size() if none). Assumes rows sorted by time. */
    std::size_t lowerBound(double t) const;
    /** First row with timestamp > t (size() if none). */
    std::size_t upperBound(double t) const;
    /** Whether timestamps are non-decreasing. */
    bool isSorted() const;
    /** Stable-sorts rows by timestamp (used by loaders when a file is out of order). */
    void sortByTime();

private:
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct Column {
        std::string name;
        bool text = false;
        RingColumn values;  // dense storage (empty while sparse)
        // An unbounded table's column: may go sparse, and counts its present values to decide.
        // A bounded table's columns stay dense and count nothing (its ring overwrites rows, so
        // a count would drift anyway).
        bool counted = false;
        bool sparse = false;
        // Non-missing values: every one while sparse; while dense, those of rows [0, countedRows).
        // A dense column counts its new rows only when appendRow checks sparsity (every
        // kSparseCheckRows rows), so loading a file pays no count per cell written.
        std::size_t present = 0;
        std::size_t countedRows = 0;
        // Sparse storage: rows ascending, with their values.
        std::vector<std::size_t> sparseRows;
        std::vector<double> sparseValues;
        std::vector<std::string> dictionary;
        // Built once the dictionary outgrows a linear scan, so that a column of many distinct
        // texts (a loaded file's free-form notes) does not make loading quadratic.
        std::unordered_map<std::string, std::size_t, TextHash, std::equal_to<>> index;
    };
    // Tables shorter than this keep their columns dense (too few rows to be worth converting).
    static constexpr std::size_t kSparseMinRows = 16;
    // Dense columns are checked for going sparse every this many appended rows, not at each.
    static constexpr std::size_t kSparseCheckRows = 64;
    static double sparseValue(const Column& c, std::size_t row);
    void setSparse(Column& c, std::size_t row, double v);
    void makeDense(int col);
    void makeSparse(int col);
    /** Counts a dense column's values up to (excluding) the newest row. */
    void countUpToNewest(Column& c);
    void makeSparseColumnsThatAreMostlyMissing();

    RingColumn m_timestamps;
    std::vector<Column> m_columns;
    std::vector<int> m_denseColumns;   // the columns appendRow extends
    std::uint64_t m_sparseValues = 0;  // entries of every sparse column
    // Column by name: a file with 100,000 keys made a linear lookup per key quadratic.
    std::unordered_map<std::string, int, TextHash, std::equal_to<>> m_columnIndex;
    std::size_t m_maxSamples;
    std::uint64_t m_appended = 0;
    std::uint64_t m_rewrites = 0;
};

}  // namespace loadline::core
