#include "core/timeline/seriestable.h"

#include <algorithm>
#include <numeric>

namespace loadline::core {

void RingColumn::overwriteOldest(double v) {
    // Full: overwrite the oldest row and advance the head.
    m_data[m_head] = v;
    m_head = (m_head + 1 == m_data.size()) ? 0 : m_head + 1;
}

std::size_t RingColumn::countPresent(std::size_t from, std::size_t to) const {
    std::size_t n = 0;
    if (m_head == 0) {  // not wrapped (always so for an unbounded ring): one straight loop
        const double* rows = m_data.data();
        for (std::size_t r = from; r < to; ++r) n += static_cast<std::size_t>(rows[r] == rows[r]);
        return n;
    }
    for (std::size_t r = from; r < to; ++r) n += static_cast<std::size_t>(!isMissing((*this)[r]));
    return n;
}

std::pair<std::span<const double>, std::span<const double>> RingColumn::pieces() const {
    std::span<const double> all(m_data);
    if (m_head == 0) return {all, {}};
    return {all.subspan(m_head), all.subspan(0, m_head)};
}

void SeriesTable::clear() {
    m_timestamps.clear();
    m_columns.clear();
    m_columnIndex.clear();
    m_denseColumns.clear();
    m_sparseValues = 0;
    m_appended = 0;
    ++m_rewrites;
}

void SeriesTable::reserve(std::size_t rows) {
    m_timestamps.reserve(rows);
    for (int c : m_denseColumns) m_columns[c].values.reserve(rows);
}

int SeriesTable::columnIndex(std::string_view name) const {
    auto it = m_columnIndex.find(name);
    return it == m_columnIndex.end() ? -1 : it->second;
}

int SeriesTable::ensureColumn(std::string_view name, bool text) {
    if (int i = columnIndex(name); i >= 0) return i;
    Column c;
    c.name = std::string(name);
    c.text = text;
    c.values = RingColumn(m_maxSamples);
    // An unbounded table's new column starts sparse (it holds nothing yet); its first values
    // make it dense when it is present in most rows, as every column of a normal file is.
    c.counted = m_maxSamples == 0;
    c.sparse = c.counted;
    if (!c.sparse) {
        // As many rows as the timestamps hold room for (SeriesTable::reserve): a live table's
        // columns, most of them created at the first sample, then fill without reallocating
        // at every doubling (the sampler allocates nothing per tick).
        c.values.reserve(std::max(m_timestamps.size(), m_timestamps.reserved()));
        for (std::size_t r = 0; r < m_timestamps.size(); ++r) c.values.push_back(kMissing);
    }
    m_columns.push_back(std::move(c));
    const int index = static_cast<int>(m_columns.size() - 1);
    if (!m_columns.back().sparse) m_denseColumns.push_back(index);
    m_columnIndex.emplace(m_columns.back().name, index);
    return index;
}

const RingColumn& SeriesTable::column(int col) const {
    // Densifying changes the representation, not the values: logically const.
    if (m_columns[col].sparse) const_cast<SeriesTable*>(this)->makeDense(col);
    return m_columns[col].values;
}

double SeriesTable::sparseValue(const Column& c, std::size_t row) {
    auto it = std::lower_bound(c.sparseRows.begin(), c.sparseRows.end(), row);
    if (it == c.sparseRows.end() || *it != row) return kMissing;
    return c.sparseValues[static_cast<std::size_t>(it - c.sparseRows.begin())];
}

void SeriesTable::setSparse(Column& c, std::size_t row, double v) {
    auto it = std::lower_bound(c.sparseRows.begin(), c.sparseRows.end(), row);
    const auto i = static_cast<std::size_t>(it - c.sparseRows.begin());
    if (it != c.sparseRows.end() && *it == row) {
        if (!isMissing(v)) {
            c.sparseValues[i] = v;
            return;
        }
        c.sparseRows.erase(it);  // a value removed: sparse storage holds present values only
        c.sparseValues.erase(c.sparseValues.begin() + static_cast<std::ptrdiff_t>(i));
        --c.present;
        --m_sparseValues;
        return;
    }
    if (isMissing(v)) return;
    c.sparseRows.insert(it, row);
    c.sparseValues.insert(c.sparseValues.begin() + static_cast<std::ptrdiff_t>(i), v);
    ++c.present;
    ++m_sparseValues;
    // Dense once at least half the rows hold a value (dense then costs no more than sparse).
    if (2 * c.present >= size()) makeDense(static_cast<int>(&c - m_columns.data()));
}

void SeriesTable::set(int col, std::size_t row, double v) {
    ++m_rewrites;
    Column& c = m_columns[col];
    if (c.sparse) return setSparse(c, row, v);
    double& cell = c.values[row];
    if (c.counted && row < c.countedRows)
        c.present += static_cast<std::size_t>(!isMissing(v)) - static_cast<std::size_t>(!isMissing(cell));
    cell = v;
}

void SeriesTable::countUpToNewest(Column& c) {
    const std::size_t newest = size() == 0 ? 0 : size() - 1;
    if (newest > c.countedRows) c.present += c.values.countPresent(c.countedRows, newest);
    c.countedRows = newest;
}

void SeriesTable::makeDense(int col) {
    Column& c = m_columns[col];
    if (!c.sparse) return;
    c.values.clear();
    c.values.reserve(size());
    std::size_t next = 0;
    for (std::size_t r = 0; r < size(); ++r) {
        const bool here = next < c.sparseRows.size() && c.sparseRows[next] == r;
        c.values.push_back(here ? c.sparseValues[next++] : kMissing);
    }
    m_sparseValues -= c.sparseRows.size();
    std::vector<std::size_t>().swap(c.sparseRows);
    std::vector<double>().swap(c.sparseValues);
    c.sparse = false;
    c.present = 0;
    c.countedRows = 0;
    countUpToNewest(c);
    m_denseColumns.push_back(col);
}

void SeriesTable::makeSparse(int col) {
    Column& c = m_columns[col];
    if (c.sparse) return;
    countUpToNewest(c);
    c.sparseRows.reserve(c.present + 1);
    c.sparseValues.reserve(c.present + 1);
    for (std::size_t r = 0; r < c.values.size(); ++r) {
        if (isMissing(c.values[r])) continue;
        c.sparseRows.push_back(r);
        c.sparseValues.push_back(c.values[r]);
    }
    m_sparseValues += c.sparseRows.size();
    c.present = c.sparseRows.size();
    c.values = RingColumn(m_maxSamples);  // frees the dense rows
    c.sparse = true;
    m_denseColumns.erase(std::find(m_denseColumns.begin(), m_denseColumns.end(), col));
}

double SeriesTable::value(std::string_view name, std::size_t row) const {
    int c = columnIndex(name);
    return c < 0 ? kMissing : value(c, row);
}

void SeriesTable::appendRow(double timestamp) {
    ++m_appended;
    m_timestamps.push_back(timestamp);
    if (bounded()) {  // every column dense
        for (Column& c : m_columns) c.values.push_back(kMissing);
        return;
    }
    for (int col : m_denseColumns) m_columns[col].values.push_back(kMissing);
    if (size() % kSparseCheckRows == 0) makeSparseColumnsThatAreMostlyMissing();
}

void SeriesTable::makeSparseColumnsThatAreMostlyMissing() {
    // Unbounded: a dense column that is now mostly missing goes sparse (at most a quarter of
    // its rows present), so memory stays proportional to the values present.
    if (size() < kSparseMinRows) return;
    for (std::size_t i = 0; i < m_denseColumns.size();) {
        Column& c = m_columns[m_denseColumns[i]];
        countUpToNewest(c);
        if (4 * c.present < size()) {
            makeSparse(m_denseColumns[i]);  // removes entry i
            continue;
        }
        ++i;
    }
}

void SeriesTable::setLastText(int col, std::string_view text) {
    constexpr std::size_t kLinearScanMax = 32;
    auto& c = m_columns[col];
    std::size_t code;
    if (c.dictionary.size() <= kLinearScanMax) {
        auto it = std::find(c.dictionary.begin(), c.dictionary.end(), text);
        code = static_cast<std::size_t>(it - c.dictionary.begin());
        if (it == c.dictionary.end()) {
            c.dictionary.emplace_back(text);
            if (c.dictionary.size() > kLinearScanMax)
                for (std::size_t i = 0; i < c.dictionary.size(); ++i) c.index.emplace(c.dictionary[i], i);
        }
    } else if (auto it = c.index.find(text); it != c.index.end()) {
        code = it->second;
    } else {
        code = c.dictionary.size();
        c.dictionary.emplace_back(text);
        c.index.emplace(c.dictionary.back(), code);
    }
    setLast(col, static_cast<double>(code));
}

std::string_view SeriesTable::text(int col, std::size_t row) const {
    const auto& c = m_columns[col];
    double code = value(col, row);
    if (isMissing(code)) return {};
    return c.dictionary[static_cast<std::size_t>(code)];
}

std::size_t SeriesTable::lowerBound(double t) const {
    std::size_t lo = 0, hi = size();
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        if (m_timestamps[mid] < t) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

std::size_t SeriesTable::upperBound(double t) const {
    std::size_t lo = 0, hi = size();
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        if (m_timestamps[mid] <= t) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

bool SeriesTable::isSorted() const {
    for (std::size_t i = 1; i < size(); ++i)
        if (m_timestamps[i] < m_timestamps[i - 1]) return false;
    return true;
}

void SeriesTable::sortByTime() {
    ++m_rewrites;
    const std::size_t n = size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return m_timestamps[a] < m_timestamps[b]; });
    auto permute = [&](RingColumn& col) {
        std::vector<double> tmp(n);
        for (std::size_t i = 0; i < n; ++i) tmp[i] = col[order[i]];
        col.clear();
        for (double v : tmp) col.push_back(v);
    };
    permute(m_timestamps);
    std::vector<std::size_t> newRow(n);  // old row -> its row once sorted
    for (std::size_t i = 0; i < n; ++i) newRow[order[i]] = i;
    std::vector<std::pair<std::size_t, double>> entries;
    for (auto& c : m_columns) {
        if (!c.sparse) {
            permute(c.values);
            if (c.counted) {  // the counted rows are other rows now
                c.present = 0;
                c.countedRows = 0;
                countUpToNewest(c);
            }
            continue;
        }
        entries.clear();
        for (std::size_t i = 0; i < c.sparseRows.size(); ++i)
            entries.emplace_back(newRow[c.sparseRows[i]], c.sparseValues[i]);
        std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t i = 0; i < entries.size(); ++i) {
            c.sparseRows[i] = entries[i].first;
            c.sparseValues[i] = entries[i].second;
        }
    }
}

}  // namespace loadline::core
