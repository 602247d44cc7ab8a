#include "core/format/timelinecheckpoint.h"

#include <optional>

#include "core/format/recordingio.h"
#include "core/format/timelinetext.h"

namespace loadline::core {

using jsontext::ChunkSink;
using jsontext::TextWriter;
using timelinetext::ColumnPlan;

struct TimelineCheckpoint::Series {
    std::optional<ColumnPlan> plan;  // the keys the cached rows were written with
    std::uint64_t rewrites = 0;
    std::uint64_t firstRow = 0;     // appended-row number of the first live cached row
    std::string text;               // row texts back to back, each followed by ','
    std::vector<std::size_t> ends;  // end offset in text (after the ',') of each cached row
    std::size_t begin = 0;          // index in ends of the first live row

    std::size_t liveRows() const { return ends.size() - begin; }
    std::size_t liveOffset() const { return begin == 0 ? 0 : ends[begin - 1]; }

    void reset(std::uint64_t first) {
        text.clear();
        ends.clear();
        begin = 0;
        firstRow = first;
    }
    /** Drops the first n live rows (the ring dropped them); compacts once half is dead. */
    void dropFront(std::size_t n) {
        begin += n;
        firstRow += n;
        if (begin > ends.size() / 2 && begin > 64) {
            const std::size_t off = liveOffset();
            text.erase(0, off);
            ends.erase(ends.begin(), ends.begin() + static_cast<std::ptrdiff_t>(begin));
            for (auto& e : ends) e -= off;
            begin = 0;
        }
    }
};

TimelineCheckpoint::TimelineCheckpoint() = default;
TimelineCheckpoint::~TimelineCheckpoint() = default;

void TimelineCheckpoint::updateSeries(Series& cache, const SeriesTable& table, int depth) {
    const std::uint64_t appended = table.appendedRows();
    const std::uint64_t first = appended - table.size();  // appended-row number of row 0
    ColumnPlan plan(table);
    const bool reusable = cache.plan && *cache.plan == plan && cache.rewrites == table.rewrites() &&
                          cache.firstRow <= first && cache.firstRow + cache.liveRows() <= appended;
    if (!reusable) cache.reset(first);
    else if (first > cache.firstRow)
        cache.dropFront(static_cast<std::size_t>(std::min<std::uint64_t>(first - cache.firstRow, cache.liveRows())));
    if (cache.liveRows() == 0) cache.reset(first);
    cache.plan = std::move(plan);
    cache.rewrites = table.rewrites();

    TextWriter w(cache.text);
    for (std::uint64_t r = cache.firstRow + cache.liveRows(); r < appended; ++r) {
        timelinetext::writeSampleRow(w, table, *cache.plan, static_cast<std::size_t>(r - first), depth);
        cache.text.push_back(',');
        cache.ends.push_back(cache.text.size());
        ++m_rowsFormatted;
    }
}

void TimelineCheckpoint::update(const Timeline& timeline) {
    // Depths as writeTimeline(w, timeline, 0) uses them: system at 1, each process at 2.
    updateSeries(m_series[-1], timeline.system, 1);
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (it->first != -1 && !timeline.processes.count(it->first)) it = m_series.erase(it);
        else ++it;
    }
    m_shell = Timeline();
    m_shell.metadata = timeline.metadata;
    m_shell.extra = timeline.extra;
    for (const auto& [pid, series] : timeline.processes) {
        updateSeries(m_series[pid], series.samples, 2);
        m_shell.processes.try_emplace(pid);
    }
}

void TimelineCheckpoint::write(TextWriter& w) {
    const timelinetext::SamplesWriter samples = [&](TextWriter& tw, const SeriesTable&, int key, int depth) {
        const Series& cache = m_series.at(key);
        if (cache.liveRows() == 0) {
            tw.out().append("[]");
            return;
        }
        tw.out().push_back('[');
        // Straight from the cache to the file (not copied through the buffer); without the last ','.
        const std::size_t from = cache.liveOffset();
        tw.passThrough(std::string_view(cache.text).substr(from, cache.ends.back() - 1 - from));
        tw.newline(depth);
        tw.out().push_back(']');
    };
    timelinetext::writeTimeline(w, m_shell, 0, &samples);
    w.out().push_back('\n');
    w.flush();
}

std::string TimelineCheckpoint::text() {
    std::string out;
    TextWriter w(out);
    write(w);
    return out;
}

Status TimelineCheckpoint::save(const std::string& path) {
    return writeFileAtomically(path, [&](const ChunkSink& sink) {
        m_buffer.clear();
        TextWriter w(m_buffer, &sink);
        write(w);
        return !w.failed();
    });
}

}  // namespace loadline::core
