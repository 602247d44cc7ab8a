#pragma once
// Module core/export: a recording in other tools' formats: the Chrome Trace Event format
// (Perfetto, chrome://tracing), CSV for spreadsheets, and the function statistics as JSON.
// Used by loadline-cli export-trace/export-csv/inspect, core/compare's report and core/serve.
//
// The Chrome Trace Event format (JSON object form), which Perfetto and chrome://tracing open:
// https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU
//
// Layout: process 0 "System" holds the counters "System CPU %" and "System memory %" and the
// function calls as complete ("X") events on threads "calls", "calls (depth 1)", ... (overlapping
// calls go on separate threads, see assignLanes). Each tracked process is its own process (its
// PID) with counters "CPU %" and "RSS MB". Timestamps are microseconds since the Unix epoch.

#include <string>

#include <nlohmann/json.hpp>

#include "core/correlate/correlate.h"
#include "core/timeline/timeline.h"

namespace loadline::core {

/** The pid the system counters and the calls are written under. */
inline constexpr int kTraceSystemPid = 0;

/** The trace for a recording; correlation supplies the calls' load and verdict (may be empty). */
nlohmann::json chromeTraceJson(const Recording& recording, const Correlation& correlation);

}  // namespace loadline::core
