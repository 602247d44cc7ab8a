// Writing the py-perf formats as text, the way py-perf's json.dump(..., indent=2) lays them out:
// py-perf's key names, nesting and key order; loadline's extra columns as extra keys (an array
// column key[0], key[1], ... as "key": [..]); missing values (NaN) left out; ExtraFields written
// back. Streamed into one string: no DOM, so saving a long recording stays cheap.
#include <algorithm>
#include <charconv>
#include <iterator>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/format/jsoncursor.h"
#include "core/format/recordingbackend.h"
#include "core/format/recordingio.h"
#include "core/format/timelinetext.h"

namespace loadline::core {

namespace {

using jsontext::ChunkSink;
using jsontext::TextWriter;
using timelinetext::writeSamples;
using timelinetext::writeTimeline;
using timelinetext::writeOptionalNumber;
void writeTiming(TextWriter& w, const FunctionTiming& t, int depth) {
    bool first = true;
    w.key("function_name", depth + 1, first);
    w.string(t.functionName);
    w.key("wall_time", depth + 1, first);
    w.number(t.wallTime);
    w.key("cpu_time", depth + 1, first);
    w.number(t.cpuTime);
    w.key("timestamp", depth + 1, first);
    w.number(t.timestamp);
    if (t.systemContext) {
        const auto& c = *t.systemContext;
        w.key("system_context", depth + 1, first);
        bool firstCtx = true;
        if (!isMissing(c.timestamp)) w.key("timestamp", depth + 2, firstCtx), w.number(c.timestamp);
        if (!isMissing(c.cpuPercent)) w.key("cpu_percent", depth + 2, firstCtx), w.number(c.cpuPercent);
        if (!isMissing(c.memoryPercent)) w.key("memory_percent", depth + 2, firstCtx), w.number(c.memoryPercent);
        w.extras(c.extra, depth + 2, firstCtx);
        w.closeObject(depth + 2, firstCtx);
    }
    w.extras(t.extra, depth + 1, first);
    w.closeObject(depth + 1, first);
}

void writeRecording(TextWriter& w, const Recording& recording) {
    std::string& out = w.out();
    if (recording.kind == Recording::Kind::Timeline) {
        writeTimeline(w, recording.timeline, 0);
        return;
    }
    bool first = true;
    w.key("session_id", 1, first);
    w.string(recording.sessionId);
    w.key("function_timings", 1, first);
    if (recording.functionTimings.empty()) {
        out.append("[]");
    } else {
        out.push_back('[');
        for (std::size_t i = 0; i < recording.functionTimings.size(); ++i) {
            if (i) out.push_back(',');
            w.newline(2);
            writeTiming(w, recording.functionTimings[i], 2);
            w.maybeFlush();
        }
        w.newline(1);
        out.push_back(']');
    }
    w.key("system_timeline", 1, first);
    writeTimeline(w, recording.timeline, 1);
    w.extras(recording.extra, 1, first);
    w.closeObject(1, first);
}

/** Writes the recording's text to a sink in chunks; false when the sink failed. */
bool streamRecording(const Recording& recording, const ChunkSink& sink) {
    std::string buffer;
    buffer.reserve(5u << 20);
    TextWriter w(buffer, &sink);
    writeRecording(w, recording);
    buffer.push_back('\n');
    w.flush();
    return !w.failed();
}

}  // namespace

std::string recordingToText(const Recording& recording) {
    std::string out;
    TextWriter w(out);
    writeRecording(w, recording);
    out.push_back('\n');
    return out;
}

std::string timelineToText(const Timeline& timeline) {
    std::string out;
    TextWriter w(out);
    writeTimeline(w, timeline, 0);
    out.push_back('\n');
    return out;
}

std::string sampleToText(const SeriesTable& table, std::size_t row) {
    std::string out;
    TextWriter w(out);
    timelinetext::writeSampleRow(w, table, timelinetext::ColumnPlan(table), row, 0);
    if (!out.empty() && out.front() == '\n') out.erase(0, 1);  // the row's own line break
    return out;
}

std::string samplesToText(const SeriesTable& table) {
    std::string out;
    TextWriter w(out);
    timelinetext::writeSamples(w, table, 0);
    return out;
}

nlohmann::json recordingToJson(const Recording& recording) { return nlohmann::json::parse(recordingToText(recording)); }

Status saveRecordingFile(const std::string& path, const Recording& recording) {
    // NAME.llrec: the SQLite store (docs/llrec-format.md) instead of py-perf JSON.
    if (const RecordingFileBackend* backend = recordingFileBackend(); backend && backend->claimsName(path))
        return backend->save(path, recording);
    // Streamed in chunks to the temp file: saving a long recording needs no copy of its text.
    return writeFileAtomically(path, [&](const ChunkSink& write) { return streamRecording(recording, write); });
}

Status saveTimelineFile(const std::string& path, const Timeline& timeline) {
    // A Recording view of the timeline without copying its columns is not possible (Recording
    // owns its Timeline), so write the timeline object directly.
    return writeFileAtomically(path, [&](const ChunkSink& write) {
        std::string buffer;
        TextWriter w(buffer, &write);
        writeTimeline(w, timeline, 0);
        buffer.push_back('\n');
        w.flush();
        return !w.failed();
    });
}

}  // namespace loadline::core
