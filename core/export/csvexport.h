#pragma once
// Module core/export (see chrometrace.h): CSV for loadline-cli export-csv.
//
// CSV for spreadsheets (RFC 4180: comma-separated, CRLF-free "\n" lines, fields with commas,
// quotes or newlines quoted). Numbers in the shortest form that reads back exactly; a missing
// value is an empty cell. Timestamps are Unix epoch seconds, as in the py-perf files.

#include <string>
#include <string_view>

#include "core/correlate/correlate.h"
#include "core/timeline/timeline.h"

namespace loadline::core {

/** "timestamp" then every system column, one row per system sample. */
std::string systemSamplesCsv(const Timeline& timeline);
/** "pid","timestamp" then the union of the processes' columns, one row per process sample. */
std::string processSamplesCsv(const Timeline& timeline);
/** One row per call: function, start, end, wall/CPU time, load during the call, verdict. */
std::string callsCsv(const Correlation& correlation);
/** One row per function: the statistics of FunctionStats. */
std::string functionsCsv(const Correlation& correlation);

/** A field quoted when it needs to be. */
std::string csvField(std::string_view text);
/** Shortest round-trip text of a number; empty for NaN. */
std::string csvNumber(double v);

}  // namespace loadline::core
