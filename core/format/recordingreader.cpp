// Loading py-perf recordings: one pass of JsonCursor over the bytes, samples streamed straight
// into the columnar tables. Rules (real files vary; bad input loses nothing):
//  - a sample with a missing timestamp or a field of the wrong type is skipped and named in a
//    warning; the rest of the file opens;
//  - null is a missing value, never an error; unknown keys become columns (numbers, strings,
//    arrays of numbers as key[0], key[1], ...), other unknown values are ignored with a warning;
//  - unknown keys outside samples are kept as ExtraFields so a save writes them back;
//  - samples out of time order are sorted, with a warning.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/format/outputlock.h"  // noteBeingRecorded
#include "core/format/filebytes.h"
#include "core/format/jsoncursor.h"
#include "core/format/recordingbackend.h"
#include "core/format/recordingio.h"

namespace loadline::core {

namespace {

/** A load error about path: at line/column (1-based) of the file, or (0, 0) about the file. */
tl::unexpected<Error> loadError(std::string path, int line, int column, std::string message,
                                ErrorKind kind = ErrorKind::Invalid, int errnum = 0) {
    Error e;
    e.kind = kind;
    e.path = std::move(path);
    e.line = line;
    e.column = column;
    e.message = std::move(message);
    e.errnum = errnum;
    return tl::unexpected<Error>(std::move(e));
}

using detail::JsonCursor;
using detail::JsonType;
using detail::describeJsonType;

enum class SlotKind { Timestamp, Number, Text, NumberArray, Unknown, Ignored };

struct KnownField {
    const char* key;
    SlotKind kind;
};

constexpr KnownField kSystemFields[] = {
    {col::kTimestamp, SlotKind::Timestamp},  {col::kCpuPercent, SlotKind::Number},
    {col::kMemoryPercent, SlotKind::Number}, {col::kMemoryAvailableMb, SlotKind::Number},
    {col::kMemoryUsedMb, SlotKind::Number},  {col::kLoadAvg1m, SlotKind::Number},
    {col::kLoadAvg5m, SlotKind::Number},     {col::kLoadAvg15m, SlotKind::Number},
};
constexpr KnownField kProcessFields[] = {
    {col::kTimestamp, SlotKind::Timestamp}, {col::kPid, SlotKind::Number},
    {col::kName, SlotKind::Text},           {col::kCpuPercent, SlotKind::Number},
    {col::kMemoryRssMb, SlotKind::Number},  {col::kMemoryVmsMb, SlotKind::Number},
    {col::kNumThreads, SlotKind::Number},   {col::kStatus, SlotKind::Text},
    {col::kCreateTime, SlotKind::Number},   {col::kCmdline, SlotKind::Text},
};

/** Python's json.dump writes NaN and +-Infinity; loadline reads them as missing values. */
double finite(double v) { return std::isfinite(v) ? v : kMissing; }

const char* expectedFor(SlotKind kind) {
    switch (kind) {
    case SlotKind::Timestamp:
    case SlotKind::Number: return "a number";
    case SlotKind::Text: return "a string";
    case SlotKind::NumberArray: return "an array of numbers";
    default: return "a value";
    }
}

/** One key seen in the samples of a table, and the column(s) it fills (made on first use). */
struct Slot {
    Slot(std::string k, SlotKind kd) : key(std::move(k)), kind(kd) {
        if (key.find_first_of("\"\\") == std::string::npos &&
            std::none_of(key.begin(), key.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
            quoted = "\"" + key + "\"";
    }
    std::string key;
    std::string quoted;  // the key as it appears in the file, for JsonCursor's guess; empty if escaped
    SlotKind kind;
    int column = -1;                  // plain number or text column
    std::vector<int> elementColumns;  // key[0], key[1], ... for NumberArray
    std::string lastText;             // the text column's last value and its code: a cheap
    double lastCode = kMissing;       // path for names/statuses that repeat every sample
};

/** Per-table decoding state: the slots by key, and the pending values of the current sample. */
class TableDecoder {
public:
    template <std::size_t N>
    explicit TableDecoder(const KnownField (&known)[N]) {
        for (const auto& f : known) {
            m_index.emplace(f.key, static_cast<int>(m_slots.size()));
            m_slots.push_back(Slot{f.key, f.kind});
        }
    }

    int slotFor(std::string_view key) {
        // Samples repeat their keys in the same order: try the slot after the last one first;
        // otherwise scan a few slots (a file whose keys come in another order than the known
        // fields misses the hint once a sample, and hashing the key costs more than a short
        // scan), or look the key up by hash (a scan made thousands of distinct keys quadratic).
        if (m_hint < m_slots.size() && m_slots[m_hint].key == key) return static_cast<int>(m_hint++);
        if (m_slots.size() <= kScanSlotsMax) {
            for (std::size_t i = 0; i < m_slots.size(); ++i)
                if (m_slots[i].key == key) {
                    m_hint = i + 1;
                    return static_cast<int>(i);
                }
        } else if (auto it = m_index.find(key); it != m_index.end()) {
            m_hint = static_cast<std::size_t>(it->second) + 1;
            return it->second;
        }
        const int i = static_cast<int>(m_slots.size());
        m_slots.push_back(Slot{std::string(key), SlotKind::Unknown});
        m_index.emplace(m_slots.back().key, i);
        m_hint = m_slots.size();
        return i;
    }
    Slot& slot(int i) { return m_slots[static_cast<std::size_t>(i)]; }
    /** The key expected next (the file's key order so far), quoted as in the file. */
    std::string_view expectedKey() const {
        return m_hint < m_slots.size() ? std::string_view(m_slots[m_hint].quoted) : std::string_view();
    }
    /** The slot of the expected key, after the cursor matched it. */
    int takeExpected() { return static_cast<int>(m_hint++); }

    /** One value of the sample being read; kept in key order so new columns follow the file. */
    struct Pending {
        int slot;
        int element;  // index in a NumberArray, else -1
        double value;
        int text;  // index in texts for a Text slot, else -1
    };
    std::vector<Pending> pending;  // [0, pendingCount) used; grown, never shrunk
    std::size_t pendingCount = 0;
    std::vector<std::string> texts;  // reused strings: no allocation per sample
    std::size_t textCount = 0;

    void clear() {
        pendingCount = 0;
        textCount = 0;
        m_hint = 0;
    }
    void add(const Pending& p) {
        if (pendingCount == pending.size()) [[unlikely]]
            grow();
        pending[pendingCount++] = p;
    }
    [[gnu::noinline]] void grow() { pending.resize(pending.size() * 2 + 16); }
    void addNumber(int slot, int element, double value) { add({slot, element, value, -1}); }
    void addText(int slot, std::string_view text) {
        if (textCount == texts.size()) texts.emplace_back();
        texts[textCount].assign(text);
        add({slot, -1, 0.0, static_cast<int>(textCount)});
        ++textCount;
    }

    void commit(SeriesTable& table, double timestamp) {
        table.appendRow(timestamp);
        for (std::size_t i = 0; i < pendingCount; ++i) {
            const Pending& p = pending[i];
            Slot& s = slot(p.slot);
            if (p.text >= 0) {
                if (s.column < 0) s.column = table.ensureColumn(s.key, /*text=*/true);
                const std::string& text = texts[static_cast<std::size_t>(p.text)];
                if (!isMissing(s.lastCode) && text == s.lastText) {
                    table.setLast(s.column, s.lastCode);  // same text as before: reuse its code
                } else {
                    table.setLastText(s.column, text);
                    s.lastText = text;
                    s.lastCode = table.value(s.column, table.size() - 1);
                }
                continue;
            }
            int c;
            if (p.element < 0) {
                if (s.column < 0) s.column = table.ensureColumn(s.key);
                c = s.column;
            } else {
                auto e = static_cast<std::size_t>(p.element);
                if (s.elementColumns.size() <= e) s.elementColumns.resize(e + 1, -1);
                if (s.elementColumns[e] < 0)
                    s.elementColumns[e] = table.ensureColumn(s.key + "[" + std::to_string(e) + "]");
                c = s.elementColumns[e];
            }
            table.setLast(c, p.value);
        }
    }

private:
    struct KeyHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    // Up to this many slots, slotFor scans them rather than hashing the key.
    static constexpr std::size_t kScanSlotsMax = 32;
    std::vector<Slot> m_slots;
    std::unordered_map<std::string, int, KeyHash, std::equal_to<>> m_index;  // slot by key
    std::size_t m_hint = 0;
};

class RecordingReader {
public:
    RecordingReader(std::string_view bytes, std::string name, const LoadOptions& options)
        : m_bytes(bytes), m_cursor(bytes.data(), bytes.size()), m_name(std::move(name)), m_options(options) {}

    /** Called every few MB with the offset parsed so far (the file loader drops pages behind). */
    std::function<void(std::size_t)> onConsumed;

    LoadResult run();

private:
    void readTopLevel(Recording& rec);
    bool readTimelineMember(Timeline& timeline, std::string_view key, const std::string& prefix);
    void readTimelineObject(Timeline& timeline, const std::string& path);
    template <std::size_t N>
    void readSamples(SeriesTable& table, const std::string& path, const KnownField (&known)[N]);
    bool readSample(SeriesTable& table, TableDecoder& decoder, const std::string& path, std::string& problem);
    void readProcesses(Timeline& timeline, const std::string& path);
    void readMetadata(TimelineMetadata& metadata, const std::string& path);
    void readFunctionTimings(std::vector<FunctionTiming>& timings, const std::string& path);
    bool readFunctionTiming(FunctionTiming& timing, std::string& problem);
    bool readSystemContext(SystemContext& context, std::string& problem);
    void finishTable(SeriesTable& table, const std::string& path);
    [[gnu::cold, gnu::noinline]] void storageCapExceeded(const SeriesTable& table);

    std::string extraValue() {
        std::string raw;
        m_cursor.copyValueCompact(raw);
        return raw;
    }
    /** Valid JSON of the wrong shape (not a recording): recorded as the cursor's error (unless
     *  one came first), which ends the parse like a syntax error. */
    [[gnu::cold]] void shapeError(std::size_t offset, std::string message) {
        m_cursor.fail(offset, std::move(message));
    }
    [[gnu::cold]] void cancel() {
        if (!m_cursor.failed()) m_cancelled = true;  // an error found before the request stands
        m_cursor.fail(m_cursor.offset(), "loading cancelled");
    }
    void skipped(std::size_t offset, const std::string& where, const std::string& problem) {
        ++m_skippedCount;
        if (m_skippedPaths.size() < kListedSkips) {
            m_skippedPaths.push_back(where + problem);
            m_skippedOffsets.push_back(offset);
        }
    }
    /** A warning about the value at a byte offset of the file (npos: none in particular). */
    void warn(std::size_t offset, std::string text) {
        m_warnings.push_back(std::move(text));
        m_warningOffsets.push_back(offset);
    }
    /** Prefixes each warning with the file line it is about ("line 12: ..."): one pass over the
     *  file for all of them, and only when there are any. */
    void addLineNumbers();
    void maybeProgress() {
        if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) [[unlikely]]
            return cancel();
        if (m_cursor.offset() < m_nextProgress) return;
        // After an error the cursor sits at the end of the input: no progress to report.
        if (m_cursor.failed()) return;
        m_nextProgress = m_cursor.offset() + kProgressStep;
        if (onConsumed) onConsumed(m_cursor.offset());
        if (m_options.progress &&
            !m_options.progress(static_cast<double>(m_cursor.offset()) / static_cast<double>(m_bytes.size())))
            cancel();
    }

    static constexpr std::size_t kListedSkips = 5;
    static constexpr std::size_t kSamplesBeforeReserve = 256;
    static constexpr std::size_t kProgressStep = 8u << 20;

    std::string_view m_bytes;
    JsonCursor m_cursor;
    std::string m_name;
    const LoadOptions& m_options;
    std::vector<std::string> m_warnings;
    std::vector<std::size_t> m_warningOffsets;  // per warning: the byte it is about, or npos
    std::size_t m_skippedCount = 0;
    std::vector<std::string> m_skippedPaths;
    std::vector<std::size_t> m_skippedOffsets;
    std::size_t m_nextProgress = kProgressStep;
    bool m_cancelled = false;
    std::size_t m_reservedBytes = 0;
    std::uint64_t m_cells = 0;  // doubles held for samples: timestamps, dense cells, sparse pairs
};

LoadResult RecordingReader::run() {
    // A syntax error, a value of the wrong shape or a cancel request deep inside the parse is
    // recorded in the cursor, which then reads as the end of the input, so that every loop ends
    // at once; it is looked at once, here (docs/errors.md). Nothing is thrown but std::bad_alloc.
    try {
        Recording rec;
        rec.timeline = Timeline(m_options.maxSamples);
        readTopLevel(rec);
        if (m_cancelled) return loadError(m_name, 0, 0, "loading cancelled", ErrorKind::Cancelled);
        if (m_cursor.failed()) {
            const detail::JsonError& e = m_cursor.error();
            auto pos = detail::positionOf(m_bytes, e.offset);
            return loadError(m_name, pos.line, pos.column, e.message);
        }
        if (m_skippedCount > 0) {
            for (std::size_t i = 0; i < m_skippedPaths.size(); ++i) warn(m_skippedOffsets[i], m_skippedPaths[i]);
            std::string summary = "skipped " + std::to_string(m_skippedCount) +
                                  (m_skippedCount == 1 ? " entry" : " entries") +
                                  " with a missing or wrong-typed field (first: ";
            for (std::size_t i = 0; i < m_skippedPaths.size(); ++i) {
                if (i) summary += "; ";
                summary += m_skippedPaths[i].substr(0, m_skippedPaths[i].find(':'));
            }
            addLineNumbers();
            warn(std::string::npos, summary + ")");
            // The summary repeats the entries above: it is no defect of its own, and the skipped
            // entries it does not list are.
            rec.warningSummaryLines = 1;
            rec.unlistedDefects = m_skippedCount - m_skippedPaths.size();
        } else {
            addLineNumbers();
        }
        rec.warnings = std::move(m_warnings);
        if (m_options.progress) m_options.progress(1.0);
        return rec;
    } catch (const std::bad_alloc&) {  // allocation failure is an exception in C++
        return loadError(m_name, 0, 0, "out of memory while loading", ErrorKind::Io, ENOMEM);
    }
}

void RecordingReader::addLineNumbers() {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < m_warnings.size(); ++i)
        if (m_warningOffsets[i] != std::string::npos && m_warningOffsets[i] <= m_bytes.size()) order.push_back(i);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return m_warningOffsets[a] < m_warningOffsets[b]; });
    std::size_t line = 1, scanned = 0;
    for (std::size_t i : order) {
        const std::size_t to = m_warningOffsets[i];
        line += static_cast<std::size_t>(std::count(m_bytes.data() + scanned, m_bytes.data() + to, '\n'));
        scanned = to;
        m_warnings[i] = "line " + std::to_string(line) + ": " + m_warnings[i];
    }
}

void RecordingReader::readTopLevel(Recording& rec) {
    const std::size_t start = m_cursor.offset();
    JsonType type = m_cursor.peek();
    if (type != JsonType::Object) {
        // peek() judges by the first byte: "Nope" would pass for a number (NaN). Read the value,
        // so that text which is no JSON at all is reported as the syntax error it is.
        m_cursor.skipValue();
        shapeError(start, std::string("not a py-perf recording: expected a JSON object (a timeline with "
                                      "\"system\", \"processes\", \"metadata\" or a performance summary with "
                                      "\"session_id\", \"function_timings\", \"system_timeline\"), got ") +
                              describeJsonType(type));
    }
    bool timelineKeys = false, summaryKeys = false;
    std::vector<std::string> seenKeys;
    ExtraFields extra;
    m_cursor.beginObject();
    std::string_view key;
    for (bool first = true; m_cursor.nextKey(first, key);) {
        if (seenKeys.size() < 8) seenKeys.emplace_back(key);
        if (key == "system" || key == "processes" || key == "metadata") {
            timelineKeys = true;
            readTimelineMember(rec.timeline, key, "");
        } else if (key == "session_id") {
            summaryKeys = true;
            JsonType t = m_cursor.peek();
            if (t == JsonType::String) {
                rec.sessionId = std::string(m_cursor.readString());
            } else {
                if (t != JsonType::Null)
                    warn(m_cursor.offset(),
                         std::string("session_id: expected a string, got ") + describeJsonType(t) + "; ignored");
                m_cursor.skipValue();
            }
        } else if (key == "function_timings") {
            summaryKeys = true;
            readFunctionTimings(rec.functionTimings, "function_timings");
        } else if (key == "system_timeline") {
            summaryKeys = true;
            readTimelineObject(rec.timeline, "system_timeline");
        } else {
            std::string k(key);
            extra.emplace_back(std::move(k), extraValue());
        }
    }
    m_cursor.expectEnd();
    if (timelineKeys && summaryKeys)
        shapeError(start,
                   "ambiguous recording: it has keys of a timeline (\"system\", \"processes\", "
                   "\"metadata\") and of a performance summary (\"session_id\", "
                   "\"function_timings\", \"system_timeline\") at the top level");
    if (!timelineKeys && !summaryKeys) {
        std::string found;
        for (const auto& k : seenKeys) found += (found.empty() ? "\"" : ", \"") + k + "\"";
        shapeError(start,
                   "not a py-perf recording: expected a timeline (keys \"system\", "
                   "\"processes\", \"metadata\") or a performance summary (keys "
                   "\"session_id\", \"function_timings\", \"system_timeline\"); found " +
                       (found.empty() ? std::string("an empty object") : "keys " + found));
    }
    rec.kind = summaryKeys ? Recording::Kind::PerformanceSummary : Recording::Kind::Timeline;
    if (summaryKeys) rec.extra = std::move(extra);
    else rec.timeline.extra = std::move(extra);
}

bool RecordingReader::readTimelineMember(Timeline& timeline, std::string_view key, const std::string& prefix) {
    if (key == "system") {
        readSamples(timeline.system, prefix + "system", kSystemFields);
    } else if (key == "processes") {
        readProcesses(timeline, prefix + "processes");
    } else if (key == "metadata") {
        readMetadata(timeline.metadata, prefix + "metadata");
    } else {
        return false;
    }
    return true;
}

void RecordingReader::readTimelineObject(Timeline& timeline, const std::string& path) {
    JsonType type = m_cursor.peek();
    if (type == JsonType::Null) {  // a summary recorded without system monitoring
        m_cursor.readNull();
        return;
    }
    if (type != JsonType::Object)
        shapeError(m_cursor.offset(), path +
                                          ": expected a timeline object (\"system\", \"processes\", "
                                          "\"metadata\"), got " +
                                          describeJsonType(type));
    m_cursor.beginObject();
    std::string_view key;
    const std::string prefix = path + ".";
    for (bool first = true; m_cursor.nextKey(first, key);) {
        if (!readTimelineMember(timeline, key, prefix)) {
            std::string k(key);
            timeline.extra.emplace_back(std::move(k), extraValue());
        }
    }
}

template <std::size_t N>
void RecordingReader::readSamples(SeriesTable& table, const std::string& path, const KnownField (&known)[N]) {
    JsonType type = m_cursor.peek();
    if (type == JsonType::Null) {
        m_cursor.readNull();
        return;
    }
    if (type != JsonType::Array) {
        const std::size_t at = m_cursor.offset();
        m_cursor.skipValue();  // as in readTopLevel: a malformed value is a syntax error
        shapeError(at, path + ": expected an array of samples, got " + describeJsonType(type));
    }
    TableDecoder decoder(known);
    m_cursor.beginArray();
    std::size_t index = 0;
    std::string problem;
    const std::size_t arrayStart = m_cursor.offset();
    for (bool first = true; m_cursor.nextElement(first); ++index) {
        const std::size_t at = m_cursor.offset();
        if (!readSample(table, decoder, path, problem)) skipped(at, path + "[" + std::to_string(index) + "]", problem);
        maybeProgress();
        if (index == kSamplesBeforeReserve && table.maxSamples() == 0) {
            // Reserve for the rest of the file at the size of the samples so far: an upper
            // bound, and only the pages actually filled become resident. Saves the copies of
            // growing columns (and their peak) on big files.
            // The reservations of all tables together stay under the file size, so many
            // processes cannot add up to an absurd amount of address space.
            const std::size_t perSample = std::max<std::size_t>(1, (m_cursor.offset() - arrayStart) / (index + 1));
            const std::size_t rows = (m_bytes.size() - m_cursor.offset()) / perSample + 1;
            const std::size_t bytes = rows * (static_cast<std::size_t>(table.columnCount()) + 1) * sizeof(double);
            if (m_reservedBytes + bytes <= m_bytes.size()) {
                table.reserve(table.size() + rows);
                m_reservedBytes += bytes;
            }
        }
    }
    if (!m_cursor.failed()) finishTable(table, path);  // after an error nothing is kept: no sort
}

bool RecordingReader::readSample(SeriesTable& table, TableDecoder& d, const std::string& path, std::string& problem) {
    JsonType type = m_cursor.peek();
    if (type != JsonType::Object) {
        m_cursor.skipValue();
        problem = std::string(": expected a sample object, got ") + describeJsonType(type);
        return false;
    }
    d.clear();
    double timestamp = kMissing;
    bool bad = false;
    m_cursor.beginObject();
    std::string_view key;
    bool guessed = false;
    for (bool first = true; m_cursor.nextKey(first, key, d.expectedKey(), guessed);) {
        if (bad) {
            m_cursor.skipValue();
            continue;
        }
        const int s = guessed ? d.takeExpected() : d.slotFor(key);
        Slot& slot = d.slot(s);
        const JsonType t = m_cursor.peek();
        if (t == JsonType::Null) {  // null = no value this time
            m_cursor.readNull();
            continue;
        }
        SlotKind kind = slot.kind;
        bool consumed = false;
        if (kind == SlotKind::Unknown) {
            if (t == JsonType::Number) kind = SlotKind::Number;
            else if (t == JsonType::String) kind = SlotKind::Text;
            else if (t == JsonType::Array) kind = SlotKind::NumberArray;
        }
        switch (kind) {
        case SlotKind::Timestamp:
            if (t != JsonType::Number) break;
            timestamp = m_cursor.readNumber();  // NaN/inf: named below, the sample skipped
            continue;
        case SlotKind::Number:
            if (t != JsonType::Number) break;
            if (double v = m_cursor.readNumber(); std::isfinite(v)) d.addNumber(s, -1, v);
            slot.kind = kind;
            continue;
        case SlotKind::Text:
            if (t != JsonType::String) break;
            d.addText(s, m_cursor.readString());
            slot.kind = kind;
            continue;
        case SlotKind::NumberArray: {
            if (t != JsonType::Array) break;
            const std::size_t before = d.pendingCount;
            bool numbersOnly = true;
            int element = 0;
            m_cursor.beginArray();
            for (bool firstElement = true; m_cursor.nextElement(firstElement); ++element) {
                JsonType et = m_cursor.peek();
                if (et == JsonType::Number && numbersOnly) {
                    if (double v = m_cursor.readNumber(); std::isfinite(v)) d.addNumber(s, element, v);
                } else {
                    if (et != JsonType::Null) numbersOnly = false;
                    m_cursor.skipValue();
                }
            }
            if (numbersOnly) {
                slot.kind = kind;
                continue;
            }
            d.pendingCount = before;
            if (slot.kind == SlotKind::NumberArray) {
                problem = "." + slot.key + ": expected an array of numbers, got an array holding other values";
                bad = true;
                continue;
            }
            kind = SlotKind::Ignored;  // an unknown key holding mixed arrays: not a metric
            consumed = true;
            break;
        }
        case SlotKind::Unknown:
        case SlotKind::Ignored: break;
        }
        if (kind == SlotKind::Unknown || kind == SlotKind::Ignored) {
            // Unknown key whose value is not a metric (object, boolean, mixed array): ignored.
            if (!consumed) m_cursor.skipValue();
            if (slot.kind != SlotKind::Ignored) {
                slot.kind = SlotKind::Ignored;
                warn(m_cursor.offset(), path + "[*]." + slot.key + ": ignored (got " + describeJsonType(t) +
                                            "; sample fields keep numbers, strings and arrays of numbers)");
            }
            continue;
        }
        problem = "." + slot.key + ": expected " + expectedFor(kind) + ", got " + describeJsonType(t);
        m_cursor.skipValue();
        bad = true;
    }
    if (bad) return false;
    if (!std::isfinite(timestamp)) {
        // 1e309 reads as infinity (as in Python): present, but no point in time.
        problem = std::isinf(timestamp) ? ".timestamp: out of range (expected epoch seconds, got an infinite number)"
                                        : ".timestamp: missing (expected a number)";
        return false;
    }
    const std::uint64_t cellsBefore = table.storedCells() + table.size();
    d.commit(table, timestamp);
    m_cells += table.storedCells() + table.size() - cellsBefore;
    // The tables keep mostly-missing columns sparse, so storage follows the values present; this
    // bound is the backstop: sample storage stays within a documented multiple of the file.
    const std::uint64_t budget = kMaxLoadMemoryPerFileByte * m_bytes.size() + kLoadMemoryAllowance;
    if (m_cells * sizeof(double) > budget) [[unlikely]]
        storageCapExceeded(table);
    return true;
}

void RecordingReader::storageCapExceeded(const SeriesTable& table) {
    shapeError(m_cursor.offset(), "the samples would need " + std::to_string(m_cells * sizeof(double) >> 20) +
                                      " MiB (" + std::to_string(table.columnCount()) + " columns x " +
                                      std::to_string(table.size()) + " samples), more than " +
                                      std::to_string(kMaxLoadMemoryPerFileByte) + "x the file's size plus " +
                                      std::to_string(kLoadMemoryAllowance >> 20) +
                                      " MiB; a recording with that many "
                                      "distinct keys is not supported");
}

void RecordingReader::finishTable(SeriesTable& table, const std::string& path) {
    if (!table.isSorted()) {
        table.sortByTime();
        warn(std::string::npos, path + ": samples were out of time order; sorted by timestamp");
    }
}

void RecordingReader::readProcesses(Timeline& timeline, const std::string& path) {
    JsonType type = m_cursor.peek();
    if (type == JsonType::Null) {
        m_cursor.readNull();
        return;
    }
    if (type != JsonType::Object)
        shapeError(m_cursor.offset(), path +
                                          ": expected an object mapping each PID (a string) to its "
                                          "samples, got " +
                                          describeJsonType(type));
    m_cursor.beginObject();
    std::string_view key;
    for (bool first = true; m_cursor.nextKey(first, key);) {
        std::string pidText(key);
        int pid = 0;
        auto [ptr, ec] = std::from_chars(pidText.data(), pidText.data() + pidText.size(), pid);
        const std::string where = path + "[\"" + pidText + "\"]";
        if (ec != std::errc() || ptr != pidText.data() + pidText.size() || pid < 0) {
            warn(m_cursor.offset(), where + ": the key is not a PID; its samples are ignored");
            m_cursor.skipValue();
            continue;
        }
        const JsonType samplesType = m_cursor.peek();
        if (samplesType != JsonType::Array && samplesType != JsonType::Null) {
            // One odd entry should not cost the whole file: skip this process only.
            warn(m_cursor.offset(), where + ": expected an array of samples, got " + describeJsonType(samplesType) +
                                        "; the process is ignored");
            m_cursor.skipValue();
            continue;
        }
        readSamples(timeline.process(pid).samples, where, kProcessFields);
    }
}

void RecordingReader::readMetadata(TimelineMetadata& metadata, const std::string& path) {
    JsonType type = m_cursor.peek();
    if (type != JsonType::Object) {
        if (type != JsonType::Null)
            warn(m_cursor.offset(), path + ": expected an object, got " + describeJsonType(type) + "; ignored");
        m_cursor.skipValue();
        return;
    }
    m_cursor.beginObject();
    std::string_view key;
    for (bool first = true; m_cursor.nextKey(first, key);) {
        std::optional<double>* number = nullptr;
        if (key == "sample_interval") number = &metadata.sampleInterval;
        else if (key == "start_time") number = &metadata.startTime;
        else if (key == "end_time") number = &metadata.endTime;
        const JsonType t = m_cursor.peek();
        if (number || key == "platform") {
            const JsonType wanted = number ? JsonType::Number : JsonType::String;
            if (t == wanted) {
                if (number) {
                    const double v = m_cursor.readNumber();
                    if (number == &metadata.sampleInterval && !(v > 0)) {
                        // 0 or less would mean no spacing at all: treated as unknown (estimated).
                        char text[32];
                        std::snprintf(text, sizeof text, "%g", v);
                        warn(m_cursor.offset(),
                             path + ".sample_interval: " + text + " is not a positive number of seconds; ignored");
                    } else if (std::isfinite(v)) {
                        *number = v;
                    }
                } else metadata.platform = std::string(m_cursor.readString());
            } else {
                if (t != JsonType::Null)
                    warn(m_cursor.offset(), path + "." + std::string(key) + ": expected " + describeJsonType(wanted) +
                                                " or null, got " + describeJsonType(t) + "; ignored");
                m_cursor.skipValue();
            }
            continue;
        }
        std::string k(key);
        metadata.extra.emplace_back(std::move(k), extraValue());
    }
}

void RecordingReader::readFunctionTimings(std::vector<FunctionTiming>& timings, const std::string& path) {
    JsonType type = m_cursor.peek();
    if (type == JsonType::Null) {
        m_cursor.readNull();
        return;
    }
    if (type != JsonType::Array)
        shapeError(m_cursor.offset(), path + ": expected an array of function timings, got " + describeJsonType(type));
    m_cursor.beginArray();
    std::size_t index = 0;
    std::string problem;
    for (bool first = true; m_cursor.nextElement(first); ++index) {
        FunctionTiming timing;
        const std::size_t at = m_cursor.offset();
        if (readFunctionTiming(timing, problem)) timings.push_back(std::move(timing));
        else skipped(at, path + "[" + std::to_string(index) + "]", problem);
        maybeProgress();
    }
}

bool RecordingReader::readFunctionTiming(FunctionTiming& timing, std::string& problem) {
    JsonType type = m_cursor.peek();
    if (type != JsonType::Object) {
        m_cursor.skipValue();
        problem = std::string(": expected a function timing object, got ") + describeJsonType(type);
        return false;
    }
    bool haveName = false, haveWall = false, haveCpu = false, haveTime = false;
    bool bad = false;
    m_cursor.beginObject();
    std::string_view key;
    for (bool first = true; m_cursor.nextKey(first, key);) {
        if (bad) {
            m_cursor.skipValue();
            continue;
        }
        const JsonType t = m_cursor.peek();
        double* number = nullptr;
        bool* have = nullptr;
        if (key == "wall_time") number = &timing.wallTime, have = &haveWall;
        else if (key == "cpu_time") number = &timing.cpuTime, have = &haveCpu;
        else if (key == "timestamp") number = &timing.timestamp, have = &haveTime;
        if (number) {
            if (t == JsonType::Null) {
                m_cursor.readNull();
            } else if (t != JsonType::Number) {
                problem = "." + std::string(key) + ": expected a number, got " + describeJsonType(t);
                bad = true;
                m_cursor.skipValue();
            } else if (double v = m_cursor.readNumber(); std::isfinite(v)) {
                *number = v;
                *have = true;
            }
        } else if (key == "function_name") {
            if (t == JsonType::String) {
                timing.functionName = std::string(m_cursor.readString());
                haveName = true;
            } else if (t == JsonType::Null) {
                m_cursor.readNull();
            } else {
                problem = std::string(".function_name: expected a string, got ") + describeJsonType(t);
                bad = true;
                m_cursor.skipValue();
            }
        } else if (key == "system_context") {
            if (t == JsonType::Null) {
                m_cursor.readNull();
            } else if (t != JsonType::Object) {
                problem = std::string(".system_context: expected an object, got ") + describeJsonType(t);
                bad = true;
                m_cursor.skipValue();
            } else {
                SystemContext context;
                if (readSystemContext(context, problem)) timing.systemContext = std::move(context);
                else bad = true;
            }
        } else {
            std::string k(key);
            timing.extra.emplace_back(std::move(k), extraValue());
        }
    }
    if (bad) return false;
    const char* missing = !haveName   ? "function_name"
                          : !haveWall ? "wall_time"
                          : !haveCpu  ? "cpu_time"
                          : !haveTime ? "timestamp"
                                      : nullptr;
    if (missing) {
        problem = "." + std::string(missing) + ": missing (expected " + (haveName ? "a number" : "a string") + ")";
        return false;
    }
    // Durations below zero are no measurement: the call would run backwards in time.
    if (timing.wallTime < 0 || timing.cpuTime < 0) {
        const bool wall = timing.wallTime < 0;
        char value[32];
        std::snprintf(value, sizeof value, "%g", wall ? timing.wallTime : timing.cpuTime);
        problem = std::string(wall ? ".wall_time" : ".cpu_time") + ": negative (" + value + "; expected seconds >= 0)";
        return false;
    }
    return true;
}

bool RecordingReader::readSystemContext(SystemContext& context, std::string& problem) {
    bool bad = false;
    m_cursor.beginObject();
    std::string_view key;
    for (bool first = true; m_cursor.nextKey(first, key);) {
        if (bad) {
            m_cursor.skipValue();
            continue;
        }
        double* number = nullptr;
        if (key == "timestamp") number = &context.timestamp;
        else if (key == "cpu_percent") number = &context.cpuPercent;
        else if (key == "memory_percent") number = &context.memoryPercent;
        if (!number) {
            std::string k(key);
            context.extra.emplace_back(std::move(k), extraValue());
            continue;
        }
        const JsonType t = m_cursor.peek();
        if (t == JsonType::Number) {
            *number = finite(m_cursor.readNumber());
        } else if (t == JsonType::Null) {
            m_cursor.readNull();
        } else {
            problem = ".system_context." + std::string(key) + ": expected a number, got " + describeJsonType(t);
            bad = true;
            m_cursor.skipValue();
        }
    }
    return !bad;
}

LoadResult osError(const std::string& path, const std::string& what, int err) {
    const bool explained = what.rfind("not a regular file", 0) == 0;  // says all there is to say
    return loadError(path, 0, 0, explained ? what : what + ": " + std::strerror(err), ErrorKind::Io, err);
}

}  // namespace

LoadResult loadRecordingFromString(std::string_view json, std::string_view nameForErrors, const LoadOptions& options) {
    if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return loadError(std::string(nameForErrors), 0, 0,
                         json.empty() ? "the file is empty (0 bytes); expected a py-perf JSON recording"
                                      : "the file holds only whitespace; expected a py-perf JSON recording");
    }
    RecordingReader reader(json, std::string(nameForErrors), options);
    return reader.run();
}

namespace {
// Constant-initialised: safe to set from another library's static initialiser.
constinit std::atomic<const RecordingFileBackend*> g_backend{nullptr};
}  // namespace

void setRecordingFileBackend(const RecordingFileBackend* backend) { g_backend.store(backend); }

const RecordingFileBackend* recordingFileBackend() { return g_backend.load(); }

LoadResult loadRecordingFile(const std::string& path, const LoadOptions& options) {
    // A .llrec store (SQLite) is recognised by its header, whatever its name.
    if (const RecordingFileBackend* backend = recordingFileBackend(); backend && backend->recognises(path))
        return backend->load(path, options);
    detail::FileBytes file;
    if (Status opened = file.open(path); !opened)
        return noteBeingRecorded(path, osError(path, opened.error().message, opened.error().errnum));
    std::string_view bytes = file.bytes();
    if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return loadRecordingFromString(bytes, path, options);
    RecordingReader reader(bytes, path, options);
    reader.onConsumed = [&file](std::size_t offset) {
        // Keep a margin: the sample being parsed may start before the offset.
        if (offset > (1u << 20)) file.dropBefore(offset - (1u << 20));
    };
    LoadResult result = reader.run();
    if ((result || result.error().kind != ErrorKind::Cancelled) && file.changedSinceOpen()) {
        // Whatever was parsed may mix two versions (py-perf rewrites its file in place).
        return loadError(path, 0, 0,
                         "the file changed while it was being read (another program is writing it; "
                         "py-perf rewrites its file in place): nothing was loaded, open it again "
                         "when the writer is done",
                         ErrorKind::Io);
    }
    return noteBeingRecorded(path, std::move(result));
}

}  // namespace loadline::core
