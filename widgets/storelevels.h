#pragma once
// What a chart draws of a .llrec store too long to read tick by tick (docs/llrec-format.md): the
// blocks of one consolidated level for the whole recording, a finer level or the ticks for a
// narrow range. The window (app/gui/levelloader.h) reads these on a worker thread as the user
// zooms; `loadline-cli export-png` reads what one frame needs at once (readStoreFrame), through
// the same choice of level and the same ChartLevels, so the image is what the window shows.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/format/recordingio.h"
#include "core/store/llreclevels.h"

#include "widgets/chartdata.h"

namespace loadline::widgets {

/** The series a chart draws from levels: (PID or -1 for the system, column), as levelColumns(). */
using LevelSeriesList = std::vector<std::pair<int, std::string>>;

/** The whole recording from the blocks of `level`; the ticks drawn with it are the store's
 *  tail (after outline.levelEndTime, loadStoreTail) and any appended after it. */
core::Result<std::shared_ptr<ChartLevels>> readBaseLevels(const std::string& path,
                                                          const core::store::StoreOutline& outline, int level,
                                                          const LevelSeriesList& series);

/** `base` with the blocks of a finer `level` over [from, to] (base's outside it). */
core::Result<std::shared_ptr<ChartLevels>> readFinerLevels(const std::string& path, const ChartLevels& base, int level,
                                                           double from, double to, const LevelSeriesList& series);

/** One frame of a long store: the levels and the ticks a TimelineView draws (setLevels). */
struct StoreFrame {
    std::shared_ptr<const ChartLevels> levels;
    std::shared_ptr<const core::Recording> ticks;  // a range's ticks; null: the tail's (loadStoreTail)
    int baseLevel = 0;                             // the level of the whole recording
};

/**
 * What the window shows of [from, to] (NaN: the whole recording) at `columns` pixel columns once
 * its reads have arrived: the base level (core::store::wholeRangeLevel), then for a range that
 * needs more detail the finer level or the range's ticks (core::store::rangeLevel), each with
 * the margin the window reads.
 */
core::Result<StoreFrame> readStoreFrame(const std::string& path, const core::store::StoreOutline& outline,
                                        const LevelSeriesList& series, double from, double to, int columns);

}  // namespace loadline::widgets
