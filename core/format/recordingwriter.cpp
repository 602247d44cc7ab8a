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
#include "core/format/recordingio.h"

namespace loadline::core {

namespace {

using ChunkSink = std::function<bool(std::string_view)>;

class TextWriter {
public:
    /** sink, when set, takes the text every few MB (then out is cleared): saving streams. */
    explicit TextWriter(std::string& out, const ChunkSink* sink = nullptr) : m_out(out), m_sink(sink) {}

    /** Hands a full buffer to the sink; called between samples. */
    void maybeFlush() {
        if (m_sink && m_out.size() >= kChunk) flush();
    }
    void flush() {
        if (!m_sink || m_failed) return;
        if (!(*m_sink)(m_out)) m_failed = true;
        m_out.clear();
    }
    bool failed() const { return m_failed; }

    void newline(int depth) {
        m_out.push_back('\n');
        m_out.append(static_cast<std::size_t>(depth) * 2, ' ');
    }

    void string(std::string_view s) {
        m_out.push_back('"');
        const auto* p = reinterpret_cast<const unsigned char*>(s.data());
        const auto* end = p + s.size();
        while (p < end) {
            unsigned char c = *p;
            if (c == '"' || c == '\\') {
                m_out.push_back('\\');
                m_out.push_back(static_cast<char>(c));
                ++p;
            } else if (c < 0x20) {
                switch (c) {
                    case '\n': m_out.append("\\n"); break;
                    case '\r': m_out.append("\\r"); break;
                    case '\t': m_out.append("\\t"); break;
                    case '\b': m_out.append("\\b"); break;
                    case '\f': m_out.append("\\f"); break;
                    default: {
                        char buf[8];
                        std::snprintf(buf, sizeof buf, "\\u%04x", c);
                        m_out.append(buf);
                    }
                }
                ++p;
            } else if (c < 0x80) {
                m_out.push_back(static_cast<char>(c));
                ++p;
            } else {
                // Copy a valid UTF-8 sequence; replace invalid bytes with U+FFFD so that
                // Python (which decodes the file as UTF-8) can read what we wrote.
                const int len = detail::utf8SequenceLength(p, end);
                const bool ok = len > 0;
                if (ok) {
                    m_out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(len));
                    p += len;
                } else {
                    m_out.append("\xef\xbf\xbd");
                    ++p;
                }
            }
        }
        m_out.push_back('"');
    }

    /** A double as Python's repr writes a float (shortest round trip, ".0" on whole numbers). */
    void number(double v, bool asInteger = false) {
        if (!std::isfinite(v)) {  // NaN/Infinity are not JSON; missing values never get here
            m_out.append("null");
            return;
        }
        char buf[64];
        if (asInteger && v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) {
            auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
            m_out.append(buf, r.ptr);
            return;
        }
        appendPythonRepr(v);
    }

    /**
     * Python's repr of a float: the shortest digits that read back exactly, in fixed notation
     * when the decimal exponent is in [-4, 16), else as 1.5e+16 / 1e-05.
     */
    void appendPythonRepr(double v) {
        char sci[64];
        auto r = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
        std::string_view text(sci, static_cast<std::size_t>(r.ptr - sci));
        const std::size_t e = text.find('e');
        int exponent = 0;
        const char* expStart = sci + e + 1;
        const bool negativeExp = *expStart == '-';
        if (*expStart == '+' || *expStart == '-') ++expStart;
        std::from_chars(expStart, r.ptr, exponent);
        if (negativeExp) exponent = -exponent;
        if (exponent < -4 || exponent >= 16) {
            m_out.append(text);
            return;
        }
        std::string_view mantissa = text.substr(0, e);
        if (mantissa.front() == '-') {
            m_out.push_back('-');
            mantissa.remove_prefix(1);
        }
        char digits[32];
        std::size_t n = 0;
        for (char c : mantissa)
            if (c != '.') digits[n++] = c;
        if (exponent < 0) {
            m_out.append("0.");
            m_out.append(static_cast<std::size_t>(-exponent - 1), '0');
            m_out.append(digits, n);
            return;
        }
        const std::size_t intDigits = static_cast<std::size_t>(exponent) + 1;
        if (n <= intDigits) {
            m_out.append(digits, n);
            m_out.append(intDigits - n, '0');
            m_out.append(".0");
        } else {
            m_out.append(digits, intDigits);
            m_out.push_back('.');
            m_out.append(digits + intDigits, n - intDigits);
        }
    }

    void key(std::string_view k, int depth, bool& first) {
        m_out.push_back(first ? '{' : ',');
        first = false;
        newline(depth);
        string(k);
        m_out.append(": ");
    }
    void closeObject(int depth, bool first) {
        if (first) {
            m_out.append("{}");
            return;
        }
        newline(depth - 1);
        m_out.push_back('}');
    }

    /** A raw JSON value (ExtraFields), re-indented to sit at this depth. */
    void raw(std::string_view json, int depth) {
        auto value = nlohmann::ordered_json::parse(json, nullptr, false, true);
        if (value.is_discarded()) {
            m_out.append("null");
            return;
        }
        std::string text = value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        const std::string indent = "\n" + std::string(static_cast<std::size_t>(depth) * 2, ' ');
        for (char c : text) {
            if (c == '\n')
                m_out.append(indent);
            else
                m_out.push_back(c);
        }
    }

    void extras(const ExtraFields& extra, int depth, bool& first) {
        for (const auto& [k, v] : extra) {
            key(k, depth, first);
            raw(v, depth);
        }
    }

    std::string& out() { return m_out; }

private:
    static constexpr std::size_t kChunk = 4u << 20;
    std::string& m_out;
    const ChunkSink* m_sink;
    bool m_failed = false;
};

bool isIntegerColumn(std::string_view name) { return name == col::kPid || name == col::kNumThreads; }

/** How each column of a table is written: plain, text, or element of an array key. */
struct ColumnPlan {
    struct Entry {
        std::string key;
        int column = -1;                  // plain or text
        bool text = false;
        bool integer = false;
        std::vector<int> elements;        // array key: column of each index (-1 when absent)
    };
    std::vector<Entry> entries;

    explicit ColumnPlan(const SeriesTable& table) {
        std::map<std::string, std::size_t, std::less<>> arrays;  // base key -> entry
        for (int c = 0; c < table.columnCount(); ++c) {
            const std::string& name = table.columnName(c);
            if (name == col::kTimestamp) continue;  // never a column; written first
            std::size_t open = name.rfind('[');
            std::size_t index = 0;
            bool element = !table.isTextColumn(c) && open != std::string::npos && open > 0 &&
                           name.back() == ']' && open + 2 < name.size() + 0 &&
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
            col::kPid,         col::kName,        col::kCpuPercent,  col::kMemoryPercent, col::kMemoryAvailableMb,
            col::kMemoryUsedMb, col::kLoadAvg1m,  col::kLoadAvg5m,   col::kLoadAvg15m,    col::kMemoryRssMb,
            col::kMemoryVmsMb, col::kNumThreads,  col::kStatus,      col::kCreateTime,    col::kCmdline};
        for (int i = 0; i < static_cast<int>(std::size(kOrder)); ++i)
            if (key == kOrder[i]) return i;
        return kUnranked;
    }
};

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
        w.newline(depth + 1);
        bool first = true;
        w.key(col::kTimestamp, depth + 2, first);
        w.number(table.timestamp(row));
        for (const auto& e : plan.entries) {
            if (e.column >= 0) {
                const double v = table.value(e.column, row);
                if (isMissing(v)) continue;
                w.key(e.key, depth + 2, first);
                if (e.text)
                    w.string(table.text(e.column, row));
                else
                    w.number(v, e.integer);
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
                if (isMissing(v))
                    out.append("null");
                else
                    w.number(v);
            }
            w.newline(depth + 2);
            out.push_back(']');
        }
        w.closeObject(depth + 2, first);
        w.maybeFlush();
    }
    w.newline(depth);
    out.push_back(']');
}

void writeOptionalNumber(TextWriter& w, const std::optional<double>& v) {
    if (v && std::isfinite(*v))
        w.number(*v);
    else
        w.out().append("null");
}

void writeTimeline(TextWriter& w, const Timeline& timeline, int depth) {
    bool first = true;
    w.key("system", depth + 1, first);
    writeSamples(w, timeline.system, depth + 1);

    w.key("processes", depth + 1, first);
    bool firstPid = true;
    for (const auto& [pid, series] : timeline.processes) {
        w.key(std::to_string(pid), depth + 2, firstPid);
        writeSamples(w, series.samples, depth + 2);
    }
    w.closeObject(depth + 2, firstPid);

    w.key("metadata", depth + 1, first);
    const auto& m = timeline.metadata;
    bool firstMeta = true;
    w.key("platform", depth + 2, firstMeta);
    if (m.platform)
        w.string(*m.platform);
    else
        w.out().append("null");
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

nlohmann::json timelineToJson(const Timeline& timeline) { return nlohmann::json::parse(timelineToText(timeline)); }

nlohmann::json recordingToJson(const Recording& recording) {
    return nlohmann::json::parse(recordingToText(recording));
}

bool saveRecordingFile(const std::string& path, const Recording& recording, std::string* error) {
    // Streamed in chunks to the temp file: saving a long recording needs no copy of its text.
    return writeFileAtomically(
        path, [&](const ChunkSink& write) { return streamRecording(recording, write); }, error);
}

bool saveTimelineFile(const std::string& path, const Timeline& timeline, std::string* error) {
    // A Recording view of the timeline without copying its columns is not possible (Recording
    // owns its Timeline), so write the timeline object directly.
    return writeFileAtomically(
        path,
        [&](const ChunkSink& write) {
            std::string buffer;
            TextWriter w(buffer, &write);
            writeTimeline(w, timeline, 0);
            buffer.push_back('\n');
            w.flush();
            return !w.failed();
        },
        error);
}

}  // namespace loadline::core
