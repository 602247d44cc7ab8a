#include "core/serve/timelineslice.h"

namespace loadline::core::serve {

namespace {

void copyRange(SeriesTable& dst, const SeriesTable& src, double start, double end) {
    std::size_t first = src.lowerBound(start), last = src.upperBound(end);
    if (first >= last) return;
    // Map columns once, not per row.
    std::vector<int> map(static_cast<std::size_t>(src.columnCount()));
    for (int c = 0; c < src.columnCount(); ++c) map[c] = dst.ensureColumn(src.columnName(c), src.isTextColumn(c));
    dst.reserve(last - first);
    for (std::size_t r = first; r < last; ++r) {
        dst.appendRow(src.timestamp(r));
        for (int c = 0; c < src.columnCount(); ++c) {
            if (src.isTextColumn(c)) {
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

Timeline sliceTimeline(const Timeline& src, double start, double end, std::optional<int> onlyPid) {
    Timeline out;
    out.metadata.platform = src.metadata.platform;
    out.metadata.sampleInterval = src.metadata.sampleInterval;
    if (!onlyPid) copyRange(out.system, src.system, start, end);
    for (const auto& [pid, series] : src.processes) {
        if (onlyPid && pid != *onlyPid) continue;
        std::size_t first = series.samples.lowerBound(start), last = series.samples.upperBound(end);
        if (first >= last) continue;
        copyRange(out.process(pid).samples, series.samples, start, end);
    }
    out.metadata.startTime = out.firstTime();
    out.metadata.endTime = out.lastTime();
    return out;
}

}  // namespace loadline::core::serve
