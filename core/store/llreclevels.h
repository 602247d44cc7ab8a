#pragma once
// Reading a .llrec store without reading its ticks (docs/llrec-format.md): its outline (how
// many ticks, their time range, the consolidated levels present) and the blocks of one level
// over a time range, for the series a chart draws. This is how the window shows a recording of
// any length: the whole range from the coarsest level whose blocks are narrower than a pixel
// column, finer levels or the raw ticks (loadStore with a time range) only for a narrow range.

#include <cstdint>
#include <functional>
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

/** Stores with more ticks than this are read from their levels, not tick by tick: the window,
 *  `loadline-cli export-png` and `inspect` (a smaller store is read whole). */
inline constexpr std::int64_t kLevelThreshold = 200000;
/** kLevelThreshold, or the tick count in the environment variable LOADLINE_LEVEL_THRESHOLD
 *  (tests use it to take the level path with a small store, or to force a full read). */
std::int64_t levelThreshold();
/** Whether a store of this outline is read from its levels: more than levelThreshold() ticks
 *  and at least one complete level-1 block. */
bool opensFromLevels(const StoreOutline& outline);
/** A finer level is read for a range only up to this many blocks (else a coarser one). */
inline constexpr std::int64_t kMaxBlocksPerRead = 20000;
/** Seconds between ticks: meta sample_interval, else the mean spacing of the ticks. */
double outlineInterval(const StoreOutline& outline);
/** The level the whole recording is drawn from at `columns` pixel columns: the coarsest whose
 *  blocks are narrower than a column, at least 1, and one the store has blocks of. */
int wholeRangeLevel(const StoreOutline& outline, int columns);
/**
 * The level a view of `span` seconds at `columns` pixel columns is drawn from when the whole
 * recording is drawn from `baseLevel`: baseLevel when its blocks fit (or a finer read would
 * exceed kMaxBlocksPerRead blocks); 0 when even level-1 blocks are wider than a column (the
 * ticks of the range are read); else a finer level, read for the span plus a quarter of it on
 * either side (rangeMargin).
 */
int rangeLevel(const StoreOutline& outline, int baseLevel, double span, int columns);
inline double rangeMargin(double span) { return span / 4; }

/** The part of a long store read tick by tick: its header (processes, metadata, function
 *  timings) and the ticks after the last complete level-1 block (fewer than kLevelBase). */
LoadResult loadStoreTail(const std::string& path, const StoreOutline& outline,
                         std::function<bool(double)> progress = {});

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
    double from = kMissing, to = kMissing;  // the range asked for
    std::vector<BlockSeries> series;        // per request, blocks of the range in time order
    /** Per request and block: whether the block has the series' key ("sys" or the PID), i.e. the
     *  system or that process was sampled in it (its values may still all be missing). */
    std::vector<std::vector<char>> present;
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

/** The blocks firstBlock .. endBlock - 1 of `level` (by block number; clamped to those stored). */
Result<LevelRange> readLevelBlocks(const std::string& path, int level, std::int64_t firstBlock, std::int64_t endBlock,
                                   const std::vector<LevelSeriesRequest>& requests);

/** A run of complete blocks of one level: blocks firstBlock .. endBlock - 1. */
struct LevelSpan {
    int level = 0;
    std::int64_t firstBlock = 0, endBlock = 0;
};
/** The whole recording up to the last complete level-1 block as the fewest complete blocks, in
 *  time order: those of the top level, then of each finer level after them. With the ticks
 *  after outline.levelEndSeq (loadStoreTail) this covers every tick exactly once. */
std::vector<LevelSpan> levelCover(const StoreOutline& outline);

/** Tick rows read from stores by this process so far (loadStore, loadStoreTicksAfter):
 *  how a test tells that a level path did not read every tick. */
std::uint64_t ticksReadCount();

}  // namespace loadline::core::store
