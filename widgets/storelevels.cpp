#include "widgets/storelevels.h"

#include <cmath>
#include <limits>

#include "core/store/llrec.h"

namespace loadline::widgets {

namespace {

std::vector<core::store::LevelSeriesRequest> toRequests(const LevelSeriesList& series) {
    std::vector<core::store::LevelSeriesRequest> out;
    for (const auto& [pid, column] : series) out.push_back({pid, column});
    return out;
}

}  // namespace

core::Result<std::shared_ptr<ChartLevels>> readBaseLevels(const std::string& path,
                                                          const core::store::StoreOutline& outline, int level,
                                                          const LevelSeriesList& series) {
    auto read = core::store::readLevelRange(path, level, core::kMissing, core::kMissing, toRequests(series));
    if (!read) return core::fail(std::move(read.error()));
    auto out = std::make_shared<ChartLevels>();
    out->level = level;
    out->storeTicks = static_cast<std::size_t>(outline.ticks);
    out->first = outline.first;
    out->last = outline.last;
    // The ticks loaded with it are those after the last complete level-1 block ...
    out->rawFrom = std::isnan(outline.levelEndTime) ? outline.first : outline.levelEndTime;
    // ... and those a StoreFollower appends while the store is being recorded.
    out->rawTo = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < series.size(); ++i) out->series[series[i]] = std::move(read->series[i]);
    return out;
}

core::Result<std::shared_ptr<ChartLevels>> readFinerLevels(const std::string& path, const ChartLevels& base, int level,
                                                           double from, double to, const LevelSeriesList& series) {
    auto read = core::store::readLevelRange(path, level, from, to, toRequests(series));
    if (!read) return core::fail(std::move(read.error()));
    auto out = std::make_shared<ChartLevels>(base);
    out->level = level;
    for (std::size_t i = 0; i < series.size(); ++i) {
        core::BlockSeries& fine = read->series[i];
        const core::BlockSeries* coarse = base.find(series[i].first, series[i].second);
        if (fine.empty() || !coarse) continue;
        core::BlockSeries merged;
        const double a = fine.t0.front(), b = fine.t1.back();
        auto copy = [&](const core::BlockSeries& s, std::size_t k) {
            merged.push(s.t0[k], s.t1[k], s.lo[k], s.hi[k], s.area[k], s.duration[k], s.samples[k]);
        };
        for (std::size_t k = 0; k < coarse->size() && coarse->t1[k] <= a; ++k) copy(*coarse, k);
        for (std::size_t k = 0; k < fine.size(); ++k) copy(fine, k);
        for (std::size_t k = 0; k < coarse->size(); ++k)
            if (coarse->t0[k] >= b) copy(*coarse, k);
        out->series[series[i]] = std::move(merged);
    }
    return out;
}

core::Result<StoreFrame> readStoreFrame(const std::string& path, const core::store::StoreOutline& outline,
                                        const LevelSeriesList& series, double from, double to, int columns) {
    using namespace core::store;
    StoreFrame frame;
    frame.baseLevel = wholeRangeLevel(outline, columns);
    auto base = readBaseLevels(path, outline, frame.baseLevel, series);
    if (!base) return core::fail(std::move(base.error()));
    frame.levels = *base;
    const double v0 = std::isnan(from) ? outline.first : from, v1 = std::isnan(to) ? outline.last : to;
    if (!(v1 > v0)) return frame;
    const double span = v1 - v0, margin = rangeMargin(span);
    const int level = rangeLevel(outline, frame.baseLevel, span, columns);
    if (level == frame.baseLevel) return frame;
    if (level == 0) {
        // Level-1 blocks are wider than a column: the ticks of the range (the blocks outside it).
        ReadOptions options;
        options.from = v0 - margin;
        options.to = v1 + margin;
        core::LoadResult ticks = loadStore(path, options);
        if (!ticks) return core::fail(std::move(ticks.error()));
        auto levels = std::make_shared<ChartLevels>(**base);
        levels->rawFrom = options.from;
        levels->rawTo = options.to;
        frame.levels = std::move(levels);
        frame.ticks = std::make_shared<const core::Recording>(std::move(*ticks));
        return frame;
    }
    auto finer = readFinerLevels(path, **base, level, v0 - margin, v1 + margin, series);
    if (!finer) return core::fail(std::move(finer.error()));
    frame.levels = *finer;
    return frame;
}

}  // namespace loadline::widgets
