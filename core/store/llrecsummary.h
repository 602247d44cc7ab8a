#pragma once
// What `loadline-cli inspect` says about a store too long to read tick by tick
// (core::store::opensFromLevels), from its outline, its consolidated levels and the ticks of a
// few level-1 blocks (docs/llrec-format.md): the tick count and time range (the outline), each
// process's first and last sample and its name (the first and last blocks that hold it, found by
// descending the levels, then that block's ticks), and what the py-perf unmeasured-CPU rule
// (core/timeline/cpumeasured.h) needs (each block's min and max of cpu_percent). Reads a few
// hundred level rows and tick rows whatever the length of the recording.

#include <map>
#include <string>
#include <vector>

#include "core/store/llreclevels.h"
#include "core/timeline/timeline.h"

namespace loadline::core::store {

struct StoreSummary {
    StoreOutline outline;
    /** The header (metadata, processes, function timings, warnings) and the ticks after the
     *  last complete level-1 block (loadStoreTail). */
    Recording tail;
    struct Process {
        double first = kMissing, last = kMissing;  // times of its first and its last sample
        std::string name;                          // its name as of its last samples
    };
    std::map<int, Process> processes;  // every process of the header
    /**
     * cpu_percent as the unmeasured-CPU rule reads it: the system's and each process's, per
     * block of the levels its min and max as two samples at the block's end, then the tail's
     * samples; the tail's metadata; each process's name at its last row. detectUnmeasuredCpu()
     * finds on it what it finds on every tick (the rule asks only for the peak of the system and
     * whether a process ever read other than 0.0), and cpuMeasurementWarnings() names them.
     */
    Timeline cpuExtremes;
};

/** The ticks a performance summary's calls are correlated with (their load): those of the calls'
 *  span and 10 intervals either side, read alone (empty timings: the store's tail). */
LoadResult loadCallTicks(const std::string& path, const StoreOutline& outline,
                         const std::vector<FunctionTiming>& timings);

/** Summarises a store from its levels (for a store opensFromLevels() accepts). */
Result<StoreSummary> summariseStore(const std::string& path, const StoreOutline& outline);

}  // namespace loadline::core::store
