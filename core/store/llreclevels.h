#pragma once
// Reading a .llrec store without reading its ticks (docs/llrec-format.md): its outline (how
// many ticks, their time range, the consolidated levels present) and the blocks of one level
// over a time range, for the series a chart draws. This is how the window shows a recording of
// any length: the whole range from the coarsest level whose blocks are narrower than a pixel
// column, finer levels or the raw ticks (loadStore with a time range) only for a narrow range.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/store/llrec.h"
#include "core/timeline/blockseries.h"

namespace loadline::core::store {

struct StoreOutline {
    std::int64_t ticks = 0;                                   // committed ticks (tick.seq has no holes: max(seq) + 1)
    double first = kMissing, last = kMissing;                 // times of the first and the newest tick
    double interval = 0;                                      // meta sample_interval (0: unknown)
    double maxGap = std::numeric_limits<double>::infinity();  // meta level_max_gap
    /** Complete blocks per level (index 1..kLevels; [0] unused). */
    std::int64_t blocks[kLevels + 1] = {};
    /** The last tick (seq) covered by the complete blocks of level 1 (-1: none): the ticks after
     *  it are only in `tick` (the newest, partial block). */
    std::int64_t levelEndSeq = -1;
    double levelEndTime = kMissing;
    bool closed = false;
};

/** The outline of a store: a few indexed look-ups, whatever its length. */
Result<StoreOutline> readStoreOutline(const std::string& path);

/** The coarsest level whose blocks (kLevelBase^L ticks of `interval` s) fit in `secondsPerColumn`
 *  (a pixel column); 0 when even level 1 is wider (raw ticks are needed). */
int levelForColumn(double secondsPerColumn, double interval);

/** A series of the store: the system table (pid < 0) or a process, one column by name. */
struct LevelSeriesRequest {
    int pid = -1;
    std::string column;
};

struct LevelRange {
    int level = 0;
    double from = kMissing, to = kMissing;     // the range asked for
    std::vector<BlockSeries> series;           // per request, blocks of the range in time order
    std::size_t rowsRead = 0;                  // level rows read (one per block)
    std::int64_t firstSeq = -1, lastSeq = -1;  // ticks the blocks read cover
};

/**
 * The blocks of `level` that touch [from, to] (NaN: unbounded), for each requested series (a
 * series the store does not have comes back empty). Cost: a binary search over the level's
 * blocks, then the rows of the range.
 */
Result<LevelRange> readLevelRange(const std::string& path, int level, double from, double to,
                                  const std::vector<LevelSeriesRequest>& requests);

/** Tick rows read from stores by this process so far (loadStore, loadStoreTicksAfter):
 *  how a test tells that a level path did not read every tick. */
std::uint64_t ticksReadCount();

}  // namespace loadline::core::store
