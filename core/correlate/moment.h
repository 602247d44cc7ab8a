#pragma once
// "What was running at this moment?": the calls in progress at a time, and the tracked
// processes ranked by CPU then. Used by the window's click-on-the-chart panel.

#include <string>
#include <vector>

#include "core/correlate/correlate.h"

namespace loadline::core {

/** Indices (into correlation.calls) of the calls with start <= t <= end, longest first. */
std::vector<std::size_t> callsRunningAt(const Correlation& correlation, double t);

/** One tracked process at a moment: its latest sample at or before t. */
struct ProcessAtMoment {
    int pid = 0;
    std::string name;
    double sampleTime = 0;
    double cpuPercent = kMissing;
    double memoryRssMb = kMissing;
};

/**
 * Processes that have a sample in [t - maxAge, t] (the latest such sample each), ranked by
 * cpu_percent, highest first (missing CPU last). A process that vanished before t - maxAge, or
 * started after t, is not listed. maxAge <= 0 picks twice the timeline's sample interval (1 s
 * when unknown).
 */
std::vector<ProcessAtMoment> processesAt(const Timeline& timeline, double t, double maxAge = 0);

/**
 * Rows for drawing calls as spans: lane[i] for calls[i] such that calls sharing a lane do not
 * overlap in time (nested calls go one lane further down). Greedy by start time; lanes are
 * reused from the top. Returns the lane per call; *laneCount gets the number of lanes.
 */
std::vector<int> assignLanes(const std::vector<CallAnalysis>& calls, int* laneCount = nullptr);

}  // namespace loadline::core
