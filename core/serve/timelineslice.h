#pragma once
// Copies the part of a timeline inside a time range, for the history endpoints.

#include <optional>

#include "core/timeline/timeline.h"

namespace loadline::core::serve {

/** Rows with start <= timestamp <= end of the system table and of each process (or only one PID). */
Timeline sliceTimeline(const Timeline& src, double start, double end, std::optional<int> onlyPid = std::nullopt);

/** Appends row `row` of src to dst, adding dst's columns by name as needed. */
void appendRowFrom(SeriesTable& dst, const SeriesTable& src, std::size_t row);

}  // namespace loadline::core::serve
