#include "core/timeline/seriestable.h"

#include <algorithm>
#include <numeric>

namespace loadline::core {

void RingColumn::push_back(double v) {
    if (!bounded() || m_data.size() < m_capacity) {
        m_data.push_back(v);
        m_size = m_data.size();
        return;
    }
    // Full: overwrite the oldest row and advance the head.
    m_data[m_head] = v;
    m_head = (m_head + 1 == m_data.size()) ? 0 : m_head + 1;
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
    m_appended = 0;
    ++m_rewrites;
}

void SeriesTable::reserve(std::size_t rows) {
    m_timestamps.reserve(rows);
    for (auto& c : m_columns) c.values.reserve(rows);
}

int SeriesTable::columnIndex(std::string_view name) const {
    auto it = m_columnIndex.find(name);
    return it == m_columnIndex.end() ? -1 : it->second;
}

int SeriesTable::ensureColumn(std::string_view name, bool text) {
    if (int i = columnIndex(name); i >= 0) return i;
    Column c{std::string(name), text, RingColumn(m_maxSamples), {}, {}};
    c.values.reserve(m_timestamps.size());
    for (std::size_t r = 0; r < m_timestamps.size(); ++r) c.values.push_back(kMissing);
    m_columns.push_back(std::move(c));
    const int index = static_cast<int>(m_columns.size() - 1);
    m_columnIndex.emplace(m_columns.back().name, index);
    return index;
}

double SeriesTable::value(std::string_view name, std::size_t row) const {
    int c = columnIndex(name);
    return c < 0 ? kMissing : value(c, row);
}

void SeriesTable::appendRow(double timestamp) {
    ++m_appended;
    m_timestamps.push_back(timestamp);
    for (auto& c : m_columns) c.values.push_back(kMissing);
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
    c.values.back() = static_cast<double>(code);
}

std::string_view SeriesTable::text(int col, std::size_t row) const {
    const auto& c = m_columns[col];
    double code = c.values[row];
    if (isMissing(code)) return {};
    return c.dictionary[static_cast<std::size_t>(code)];
}

std::size_t SeriesTable::lowerBound(double t) const {
    std::size_t lo = 0, hi = size();
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        if (m_timestamps[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
}

std::size_t SeriesTable::upperBound(double t) const {
    std::size_t lo = 0, hi = size();
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        if (m_timestamps[mid] <= t) lo = mid + 1; else hi = mid;
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
    for (auto& c : m_columns) permute(c.values);
}

}  // namespace loadline::core
