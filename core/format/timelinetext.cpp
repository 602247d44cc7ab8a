// py-perf timeline text: the column plan of a table, one sample's object, a table's array and
// the timeline object (see jsontextwriter.h for the layout rules).
#include "core/format/timelinetext.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace loadline::core::timelinetext {

void writeSampleRow(TextWriter& w, const SeriesTable& table, const ColumnPlan& plan, std::size_t row, int depth) {
    std::string& out = w.out();
    w.newline(depth + 1);
    bool first = true;
    w.key(col::kTimestamp, depth + 2, first);
    w.number(table.timestamp(row));
    for (const auto& e : plan.entries) {
        if (e.column >= 0) {
            const double v = table.value(e.column, row);
            if (isMissing(v)) continue;
            w.key(e.key, depth + 2, first);
            if (e.text) w.string(table.text(e.column, row));
            else w.number(v, e.integer);
            continue;
        }
        bool any = false;
        for (int c : e.elements) any = any || (c >= 0 && !isMissing(table.value(c, row)));
        if (!any) continue;
        w.key(e.key, depth + 2, first);
        out.push_back('[');
        for (std::size_t i = 0; i < e.elements.size(); ++i) {
            if (i) out.push_back(',');
            w.newline(depth + 3);
            const int c = e.elements[i];
            const double v = c >= 0 ? table.value(c, row) : kMissing;
            if (isMissing(v)) out.append("null");
            else w.number(v);
        }
        w.newline(depth + 2);
        out.push_back(']');
    }
    w.closeObject(depth + 2, first);
}

void writeSamples(TextWriter& w, const SeriesTable& table, int depth) {
    std::string& out = w.out();
    if (table.empty()) {
        out.append("[]");
        return;
    }
    const ColumnPlan plan(table);
    out.push_back('[');
    for (std::size_t row = 0; row < table.size(); ++row) {
        if (row) out.push_back(',');
        writeSampleRow(w, table, plan, row, depth);
        w.maybeFlush();
    }
    w.newline(depth);
    out.push_back(']');
}

void writeOptionalNumber(TextWriter& w, const std::optional<double>& v) {
    if (v && std::isfinite(*v)) w.number(*v);
    else w.out().append("null");
}

void writeTimeline(TextWriter& w, const Timeline& timeline, int depth, const SamplesWriter* samples) {
    bool first = true;
    w.key("system", depth + 1, first);
    if (samples) (*samples)(w, timeline.system, -1, depth + 1);
    else writeSamples(w, timeline.system, depth + 1);

    w.key("processes", depth + 1, first);
    bool firstPid = true;
    for (const auto& [pid, series] : timeline.processes) {
        w.key(std::to_string(pid), depth + 2, firstPid);
        if (samples) (*samples)(w, series.samples, pid, depth + 2);
        else writeSamples(w, series.samples, depth + 2);
    }
    w.closeObject(depth + 2, firstPid);

    w.key("metadata", depth + 1, first);
    const auto& m = timeline.metadata;
    bool firstMeta = true;
    w.key("platform", depth + 2, firstMeta);
    if (m.platform) w.string(*m.platform);
    else w.out().append("null");
    w.key("sample_interval", depth + 2, firstMeta);
    writeOptionalNumber(w, m.sampleInterval);
    w.key("start_time", depth + 2, firstMeta);
    writeOptionalNumber(w, m.startTime);
    w.key("end_time", depth + 2, firstMeta);
    writeOptionalNumber(w, m.endTime);
    w.extras(m.extra, depth + 2, firstMeta);
    w.closeObject(depth + 2, firstMeta);

    w.extras(timeline.extra, depth + 1, first);
    w.closeObject(depth + 1, first);
}

}  // namespace loadline::core::timelinetext
