#pragma once
// py-perf timeline text: how a table's columns become keys (ColumnPlan), one sample's object, a
// table's array and the whole timeline object. Internal to core/format: recordingwriter writes
// whole files with it, timelinecheckpoint caches sample objects between saves.
#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/format/jsontextwriter.h"
#include "core/timeline/columns.h"
#include "core/timeline/timeline.h"

namespace loadline::core::timelinetext {

using jsontext::TextWriter;

inline bool isIntegerColumn(std::string_view name) { return name == col::kPid || name == col::kNumThreads; }

/** How each column of a table is written: plain, text, or element of an array key. */
struct ColumnPlan {
    struct Entry {
        std::string key;
        int column = -1;  // plain or text
        bool text = false;
        bool integer = false;
        std::vector<int> elements;  // array key: column of each index (-1 when absent)
        bool operator==(const Entry&) const = default;
    };
    std::vector<Entry> entries;
    bool operator==(const ColumnPlan&) const = default;

    explicit ColumnPlan(const SeriesTable& table) {
        std::map<std::string, std::size_t, std::less<>> arrays;  // base key -> entry
        for (int c = 0; c < table.columnCount(); ++c) {
            const std::string& name = table.columnName(c);
            if (name == col::kTimestamp) continue;  // never a column; written first
            std::size_t open = name.rfind('[');
            std::size_t index = 0;
            bool element = !table.isTextColumn(c) && open != std::string::npos && open > 0 && name.back() == ']' &&
                           open + 2 < name.size() + 0 &&
                           std::from_chars(name.data() + open + 1, name.data() + name.size() - 1, index).ptr ==
                               name.data() + name.size() - 1 &&
                           index < 4096;
            if (!element) {
                entries.push_back({name, c, table.isTextColumn(c), isIntegerColumn(name), {}});
                continue;
            }
            std::string base = name.substr(0, open);
            auto it = arrays.find(base);
            if (it == arrays.end()) {
                it = arrays.emplace(base, entries.size()).first;
                entries.push_back({base, -1, false, false, {}});
            }
            auto& elems = entries[it->second].elements;
            if (elems.size() <= index) elems.resize(index + 1, -1);
            elems[index] = c;
        }
        // A fixed key order, whatever order the columns were created in: py-perf's keys in
        // py-perf's order, then the others by name. So a save of a loaded file is the same
        // text however its samples were ordered or which sample first had a key.
        std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
            const int ra = pyPerfRank(a.key), rb = pyPerfRank(b.key);
            return ra != rb ? ra < rb : (ra == kUnranked && a.key < b.key);
        });
    }

    static constexpr int kUnranked = 1000;
    static int pyPerfRank(std::string_view key) {
        static constexpr const char* kOrder[] = {
            col::kPid,          col::kName,       col::kCpuPercent, col::kMemoryPercent, col::kMemoryAvailableMb,
            col::kMemoryUsedMb, col::kLoadAvg1m,  col::kLoadAvg5m,  col::kLoadAvg15m,    col::kMemoryRssMb,
            col::kMemoryVmsMb,  col::kNumThreads, col::kStatus,     col::kCreateTime,    col::kCmdline};
        for (int i = 0; i < static_cast<int>(std::size(kOrder)); ++i)
            if (key == kOrder[i]) return i;
        return kUnranked;
    }
};

/** One sample (row) as written at this depth: a newline and indent, then its object. */
void writeSampleRow(TextWriter& w, const SeriesTable& table, const ColumnPlan& plan, std::size_t row, int depth);

/** A table's samples array ("[]" when empty). */
void writeSamples(TextWriter& w, const SeriesTable& table, int depth);

void writeOptionalNumber(TextWriter& w, const std::optional<double>& v);

/** Writes one samples array in place of writeSamples: pid is -1 for the system table. */
using SamplesWriter = std::function<void(TextWriter& w, const SeriesTable& table, int pid, int depth)>;

/** The timeline object ({"system": [..], "processes": {..}, "metadata": {..}, extras}). */
void writeTimeline(TextWriter& w, const Timeline& timeline, int depth, const SamplesWriter* samples = nullptr);

}  // namespace loadline::core::timelinetext
