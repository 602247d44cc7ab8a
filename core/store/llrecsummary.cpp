#include "core/store/llrecsummary.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "core/store/llrec.h"
#include "core/timeline/columns.h"

namespace loadline::core::store {

namespace {

// The cover of the recording read back: each span's blocks, in time order.
struct CoverSpan {
    LevelSpan span;
    LevelRange range;
};

}  // namespace

LoadResult loadCallTicks(const std::string& path, const StoreOutline& outline,
                         const std::vector<FunctionTiming>& timings) {
    if (timings.empty()) return loadStoreTail(path, outline);
    double first = timings.front().startTime(), last = timings.front().timestamp;
    for (const auto& t : timings) {
        first = std::min(first, t.startTime());
        last = std::max(last, t.timestamp);
    }
    const double pad = 10 * outlineInterval(outline);
    ReadOptions span;
    span.from = first - pad;
    span.to = last + pad;
    return loadStore(path, span);
}

Result<StoreSummary> summariseStore(const std::string& path, const StoreOutline& outline) {
    StoreSummary out;
    out.outline = outline;
    LoadResult tail = loadStoreTail(path, outline);
    if (!tail) return fail(std::move(tail.error()));
    out.tail = std::move(*tail);
    const Timeline& tl = out.tail.timeline;

    std::vector<LevelSeriesRequest> requests{{-1, col::kCpuPercent}};
    for (const auto& [pid, series] : tl.processes) requests.push_back({pid, col::kCpuPercent});
    std::vector<CoverSpan> cover;
    for (const LevelSpan& span : levelCover(outline)) {
        auto read = readLevelBlocks(path, span.level, span.firstBlock, span.endBlock, requests);
        if (!read) return fail(std::move(read.error()));
        cover.push_back({span, std::move(*read)});
    }

    // Down from a block that holds request i to the first (or last) level-1 block under it that
    // does, then that block's ticks (from the end of the block before it: its extent).
    auto ticksOf = [&](std::size_t i, int level, std::int64_t block, double t0, double t1, bool first) -> LoadResult {
        while (level > 1) {
            const std::int64_t child = block * static_cast<std::int64_t>(kLevelBase);
            auto read =
                readLevelBlocks(path, level - 1, child, child + static_cast<std::int64_t>(kLevelBase), {requests[i]});
            if (!read) return fail(std::move(read.error()));
            const auto& present = read->present[0];
            std::optional<std::size_t> found;
            for (std::size_t k = 0; k < present.size(); ++k) {
                const std::size_t at = first ? k : present.size() - 1 - k;
                if (present[at]) {
                    found = at;
                    break;
                }
            }
            if (!found)
                return fail(path + ": level " + std::to_string(level) + " block " + std::to_string(block) +
                            " holds a series that none of its level " + std::to_string(level - 1) + " blocks holds");
            --level;
            block = child + static_cast<std::int64_t>(*found);
            t0 = read->series[0].t0[*found];
            t1 = read->series[0].t1[*found];
        }
        ReadOptions options;
        options.from = t0;
        options.to = t1;
        return loadStore(path, options);
    };
    // The first (or last) block of the cover that holds request i.
    auto ticksAtEnd = [&](std::size_t i, bool first) -> std::optional<LoadResult> {
        for (std::size_t n = 0; n < cover.size(); ++n) {
            const CoverSpan& c = cover[first ? n : cover.size() - 1 - n];
            const auto& present = c.range.present[i];
            for (std::size_t k = 0; k < present.size(); ++k) {
                const std::size_t at = first ? k : present.size() - 1 - k;
                if (!present[at]) continue;
                return ticksOf(i, c.span.level, c.span.firstBlock + static_cast<std::int64_t>(at),
                               c.range.series[i].t0[at], c.range.series[i].t1[at], first);
            }
        }
        return std::nullopt;
    };

    std::size_t i = 0;
    for (const auto& [pid, tailSeries] : tl.processes) {
        ++i;
        StoreSummary::Process& p = out.processes[pid];
        const SeriesTable& ts = tailSeries.samples;
        auto firstOf = [&, pid = pid](const Recording& r, bool first) {
            auto it = r.timeline.processes.find(pid);
            if (it == r.timeline.processes.end() || it->second.samples.empty()) return kMissing;
            const SeriesTable& s = it->second.samples;
            return s.timestamp(first ? 0 : s.size() - 1);
        };
        if (auto read = ticksAtEnd(i, true)) {
            if (!*read) return fail(std::move(read->error()));
            p.first = firstOf(**read, true);
        } else if (!ts.empty()) p.first = ts.timestamp(0);
        if (!ts.empty()) {
            p.last = ts.timestamp(ts.size() - 1);
            p.name = std::string(tailSeries.latestText(col::kName));
        }
        if (p.name.empty()) {
            // Not in the tail, or no name there: the last block that holds it.
            if (auto read = ticksAtEnd(i, false)) {
                if (!*read) return fail(std::move(read->error()));
                if (ts.empty()) p.last = firstOf(**read, false);
                if (auto it = (*read)->timeline.processes.find(pid); it != (*read)->timeline.processes.end())
                    p.name = std::string(it->second.latestText(col::kName));
            }
        }
    }

    // cpu_percent's extremes per block, then the tail's samples.
    Timeline& x = out.cpuExtremes;
    x.metadata = tl.metadata;
    auto extremes = [&](SeriesTable& table, std::size_t r, bool both) {
        const int c = table.ensureColumn(col::kCpuPercent);
        for (const CoverSpan& span : cover) {
            const BlockSeries& b = span.range.series[r];
            for (std::size_t k = 0; k < b.size(); ++k) {
                if (std::isnan(b.lo[k]) && std::isnan(b.hi[k])) continue;
                if (both) {
                    table.appendRow(b.t1[k]);
                    table.setLast(c, b.lo[k]);
                }
                table.appendRow(b.t1[k]);
                table.setLast(c, b.hi[k]);
            }
        }
    };
    auto tailValues = [&](SeriesTable& table, const SeriesTable& from) {
        const int c = table.ensureColumn(col::kCpuPercent), fc = from.columnIndex(col::kCpuPercent);
        for (std::size_t r = 0; r < from.size(); ++r) {
            table.appendRow(from.timestamp(r));
            table.setLast(c, fc < 0 ? kMissing : from.value(fc, r));
        }
    };
    extremes(x.system, 0, false);
    tailValues(x.system, tl.system);
    i = 0;
    for (const auto& [pid, tailSeries] : tl.processes) {
        ++i;
        SeriesTable& s = x.process(pid).samples;
        extremes(s, i, true);
        tailValues(s, tailSeries.samples);
        const std::string& name = out.processes[pid].name;
        if (!name.empty() && !s.empty()) s.setLastText(s.ensureColumn(col::kName, true), name);
    }
    return out;
}

}  // namespace loadline::core::store
