#pragma once
// Module core/timeline: the data model every other part shares: a recording as columnar,
// bounded sample tables (seriestable.h) with py-perf's column names (columns.h), the function
// timings of a performance summary, and the maths of drawing them (decimation, plot series,
// pixel/time maps). It depends on nothing else in loadline; every core module, widgets/, app/
// and bench/ build on it.
//
// The in-memory model of a recording: the py-perf timeline (system samples, per-process
// samples, metadata) and, for a performance summary, the function timings.

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/timeline/columns.h"
#include "core/timeline/seriestable.h"

namespace loadline::core {

/**
 * Keys a file held that loadline does not model, in file order: key and the value's raw JSON
 * text. Kept so that load → save does not lose what other tools wrote (DESIGN.md §2).
 */
using ExtraFields = std::vector<std::pair<std::string, std::string>>;

/** py-perf's "metadata" object. Absent values stay std::nullopt (written as null). */
struct TimelineMetadata {
    std::optional<std::string> platform;
    std::optional<double> sampleInterval;
    std::optional<double> startTime;
    std::optional<double> endTime;
    ExtraFields extra;  // unknown metadata keys
};

/** All samples of one tracked process. The PID is the key in Timeline::processes. */
struct ProcessSeries {
    explicit ProcessSeries(std::size_t maxSamples = 0) : samples(maxSamples) {}
    SeriesTable samples;  // columns as in col:: (name/status/cmdline are text columns)

    /** Latest non-empty text of a text column ("name", "cmdline"), or empty. */
    std::string_view latestText(const char* column) const;
};

/** A py-perf timeline: {"system": [...], "processes": {"<pid>": [...]}, "metadata": {...}}. */
struct Timeline {
    explicit Timeline(std::size_t maxSamples = 0) : system(maxSamples), m_maxSamples(maxSamples) {}

    TimelineMetadata metadata;
    SeriesTable system;
    std::map<int, ProcessSeries> processes;
    ExtraFields extra;  // unknown keys of the timeline object

    std::size_t maxSamples() const { return m_maxSamples; }
    /** The series of a PID, created (with this timeline's bound) when absent. */
    ProcessSeries& process(int pid);
    /** First and last system timestamps, if any. */
    std::optional<double> firstTime() const;
    std::optional<double> lastTime() const;

private:
    std::size_t m_maxSamples;
};

/** py-perf's optional "system_context" of a function timing: the nearest system sample. */
struct SystemContext {
    double timestamp = kMissing;
    double cpuPercent = kMissing;
    double memoryPercent = kMissing;
    ExtraFields extra;  // other keys of the context
};

/** One entry of "function_timings". timestamp is the END of the call (DESIGN.md §2). */
struct FunctionTiming {
    std::string functionName;
    double wallTime = 0;
    double cpuTime = 0;
    double timestamp = 0;
    std::optional<SystemContext> systemContext;
    ExtraFields extra;  // unknown keys of the timing

    double startTime() const { return timestamp - wallTime; }
};

/** What a file holds: a timeline, or a performance summary (timings + its system_timeline). */
struct Recording {
    enum class Kind { Timeline, PerformanceSummary };
    Kind kind = Kind::Timeline;
    std::string sessionId;  // performance summary only
    std::vector<FunctionTiming> functionTimings;
    Timeline timeline;
    ExtraFields extra;  // unknown top-level keys of a performance summary
    /** Non-fatal problems found while loading (skipped samples, re-sorted rows, ...). */
    std::vector<std::string> warnings;
    /** How many of the warnings (the last ones) only sum up others ("skipped 7 entries ..."). */
    std::size_t warningSummaryLines = 0;
    /** Defects counted in a summary line but not listed one by one. */
    std::size_t unlistedDefects = 0;
    /** The number of defects the warnings describe (summary lines are not defects). */
    std::size_t defectCount() const {
        return warnings.size() - std::min(warningSummaryLines, warnings.size()) + unlistedDefects;
    }
};

}  // namespace loadline::core
