#include "core/serve/timelineslice.h"

#include <limits>

#include "core/timeline/columns.h"

namespace loadline::core::serve {

namespace {

void copyRange(SeriesTable& dst, const SeriesTable& src, double start, double end,
               CmdlineMode cmdline = CmdlineMode::Show) {
    std::size_t first = src.lowerBound(start), last = src.upperBound(end);
    if (first >= last) return;
    // Map columns once, not per row; the command line column is left out, or masked.
    std::vector<int> map(static_cast<std::size_t>(src.columnCount()));
    int cmdCol = -1;
    for (int c = 0; c < src.columnCount(); ++c) {
        if (src.columnName(c) == col::kCmdline && cmdline != CmdlineMode::Show) {
            cmdCol = c;
            if (cmdline == CmdlineMode::Omit) {
                map[c] = -1;
                continue;
            }
        }
        map[c] = dst.ensureColumn(src.columnName(c), src.isTextColumn(c));
    }
    std::string lastRaw, lastShown;  // a process's command line rarely changes: mask it once
    bool haveLast = false;
    dst.reserve(last - first);
    for (std::size_t r = first; r < last; ++r) {
        dst.appendRow(src.timestamp(r));
        for (int c = 0; c < src.columnCount(); ++c) {
            if (map[c] < 0) continue;
            if (c == cmdCol) {
                if (isMissing(src.value(c, r))) continue;
                const std::string_view raw = src.text(c, r);
                if (!haveLast || raw != lastRaw) {
                    lastRaw.assign(raw);
                    lastShown = redactCmdline(raw);
                    haveLast = true;
                }
                dst.setLastText(map[c], lastShown);
            } else if (src.isTextColumn(c)) {
                if (!isMissing(src.value(c, r))) dst.setLastText(map[c], src.text(c, r));
            } else {
                dst.setLast(map[c], src.value(c, r));
            }
        }
    }
}

}  // namespace

void appendRowFrom(SeriesTable& dst, const SeriesTable& src, std::size_t row) {
    dst.appendRow(src.timestamp(row));
    for (int c = 0; c < src.columnCount(); ++c) {
        int d = dst.ensureColumn(src.columnName(c), src.isTextColumn(c));
        if (src.isTextColumn(c)) {
            if (!isMissing(src.value(c, row))) dst.setLastText(d, src.text(c, row));
        } else {
            dst.setLast(d, src.value(c, row));
        }
    }
}

Timeline sliceTimeline(const Timeline& src, double start, double end, std::optional<int> onlyPid, CmdlineMode cmdline) {
    Timeline out;
    out.metadata.platform = src.metadata.platform;
    out.metadata.sampleInterval = src.metadata.sampleInterval;
    if (!onlyPid) copyRange(out.system, src.system, start, end);
    for (const auto& [pid, series] : src.processes) {
        if (onlyPid && pid != *onlyPid) continue;
        std::size_t first = series.samples.lowerBound(start), last = series.samples.upperBound(end);
        if (first >= last) continue;
        copyRange(out.process(pid).samples, series.samples, start, end, cmdline);
    }
    out.metadata.startTime = out.firstTime();
    out.metadata.endTime = out.lastTime();
    return out;
}

void filterCmdlines(Timeline& t, CmdlineMode cmdline) {
    if (cmdline == CmdlineMode::Show) return;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    for (auto& [pid, series] : t.processes) {
        SeriesTable filtered;
        copyRange(filtered, series.samples, -kInf, kInf, cmdline);
        series.samples = std::move(filtered);
    }
}

}  // namespace loadline::core::serve
