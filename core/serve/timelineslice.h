#pragma once
// Copies the part of a timeline inside a time range, for the history endpoints.

#include <optional>

#include "core/serve/redact.h"
#include "core/timeline/timeline.h"

namespace loadline::core::serve {

/** Rows with start <= timestamp <= end of the system table and of each process (or only one PID).
 *  Process "cmdline" texts are shown, redacted or left out per cmdline. */
Timeline sliceTimeline(const Timeline& src, double start, double end, std::optional<int> onlyPid = std::nullopt,
                       CmdlineMode cmdline = CmdlineMode::Show);

/** Applies cmdline to every process "cmdline" text of t (a timeline that came from elsewhere). */
void filterCmdlines(Timeline& t, CmdlineMode cmdline);

/** Appends row `row` of src to dst, adding dst's columns by name as needed. */
void appendRowFrom(SeriesTable& dst, const SeriesTable& src, std::size_t row);

}  // namespace loadline::core::serve
