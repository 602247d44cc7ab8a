// Outline and consolidated-level reads of a .llrec store (docs/llrec-format.md, "level").
#include "core/store/llreclevels.h"

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "core/store/llrecsql.h"
#include "core/store/packednumber.h"

namespace loadline::core::store {

namespace {

Status openReadOnly(Db& db, const std::string& path) {
    if (Status opened = db.open(path, SQLITE_OPEN_READONLY); !opened) return opened;
    // One read transaction: every query sees the same commit.
    return db.exec("BEGIN; SELECT count(*) FROM meta;");
}

// Skips one JSON value of a level row's arrays (number, null, or a nested array).
const char* skipValue(const char* p, const char* end) {
    int depth = 0;
    for (; p < end; ++p) {
        const char c = *p;
        if (c == '[') ++depth;
        else if (c == ']') {
            if (depth == 0) return p;
            if (--depth == 0) return p + 1;
        } else if (c == ',' && depth == 0) return p;
    }
    return p;
}

}  // namespace

Result<StoreOutline> readStoreOutline(const std::string& path) {
    StoreOutline o;
    Db db;
    if (Status opened = openReadOnly(db, path); !opened) return fail(std::move(opened.error()));
    {
        Statement q(db, "SELECT key, value FROM meta");
        std::string format;
        while (q.step() == SQLITE_ROW) {
            const std::string_view k = q.getText(0);
            if (k == "format") format = std::string(q.getText(1));
            else if (k == "format_version" && q.getInt(1) > kFormatVersion) {
                return fail(path + ": format version " + std::string(q.getText(1)) +
                            " is newer than this loadline reads");
            } else if (k == "sample_interval") o.interval = q.getDouble(1);
            else if (k == "level_max_gap") o.maxGap = q.getDouble(1);
            else if (k == "closed") o.closed = q.getText(1) == "1";
        }
        if (format != "loadline-llrec") {
            return fail(path + ": not a .llrec store");
        }
    }
    {
        Statement q(db, "SELECT max(seq) FROM tick");
        if (q.step() == SQLITE_ROW && !q.isNull(0)) o.ticks = q.getInt(0) + 1;
    }
    if (o.ticks > 0) {
        Statement a(db, "SELECT t FROM tick ORDER BY seq LIMIT 1");
        if (a.step() == SQLITE_ROW) o.first = a.getDouble(0);
        Statement b(db, "SELECT t FROM tick ORDER BY seq DESC LIMIT 1");
        if (b.step() == SQLITE_ROW) o.last = b.getDouble(0);
    }
    for (int level = 1; level <= kLevels; ++level) {
        Statement q(db, "SELECT block, last_seq, t1 FROM level WHERE level = ? ORDER BY block DESC LIMIT 1");
        q.bindInt(1, level);
        if (q.step() == SQLITE_ROW) {
            o.blocks[level] = q.getInt(0) + 1;
            if (level == 1) {
                o.levelEndSeq = q.getInt(1);
                o.levelEndTime = q.getDouble(2);
            }
        }
    }
    (void)db.exec("COMMIT");
    return o;
}

int levelForColumn(double secondsPerColumn, double interval) {
    if (!(interval > 0) || !(secondsPerColumn > 0)) return 0;
    int best = 0;
    double width = interval;
    for (int level = 1; level <= kLevels; ++level) {
        width *= static_cast<double>(kLevelBase);
        if (width <= secondsPerColumn) best = level;
    }
    return best;
}

namespace {

// Where each requested series is in a level row: its key in the row's data and its position.
struct SeriesLookup {
    std::vector<std::string> needles;
    std::vector<int> positions;
    double maxGap = std::numeric_limits<double>::infinity();
};

SeriesLookup lookUp(Db& db, const std::vector<LevelSeriesRequest>& requests) {
    SeriesLookup l;
    {
        Statement q(db, "SELECT value FROM meta WHERE key = 'level_max_gap'");
        if (q.step() == SQLITE_ROW) l.maxGap = q.getDouble(0);
    }
    l.needles.resize(requests.size());
    l.positions.assign(requests.size(), -1);
    Statement c(db, "SELECT pos FROM series_column WHERE kind = ? AND name = ?");
    for (std::size_t i = 0; i < requests.size(); ++i) {
        c.reset();
        c.bindInt(1, requests[i].pid < 0 ? 0 : 1);
        c.bindText(2, requests[i].column);
        if (c.step() == SQLITE_ROW) l.positions[i] = static_cast<int>(c.getInt(0));
        l.needles[i] = "\"" + (requests[i].pid < 0 ? std::string("sys") : std::to_string(requests[i].pid)) + "\":[";
    }
    return l;
}

std::int64_t blockCount(Db& db, int level) {
    Statement q(db, "SELECT max(block) FROM level WHERE level = ?");
    q.bindInt(1, level);
    if (q.step() == SQLITE_ROW && !q.isNull(0)) return q.getInt(0) + 1;
    return 0;
}

// Reads blocks firstBlock .. endBlock - 1 of out.level into out (one block before them too:
// where the first block's line starts, its extent).
Status readBlocks(Db& db, const std::string& path, std::int64_t firstBlock, std::int64_t endBlock,
                  const std::vector<LevelSeriesRequest>& requests, const SeriesLookup& l, LevelRange& out) {
    const int level = out.level;
    Statement q(db,
                "SELECT block, first_seq, last_seq, t0, t1, data FROM level WHERE level = ? AND block >= ? "
                "AND block < ? ORDER BY block");
    q.bindInt(1, level);
    q.bindInt(2, std::max<std::int64_t>(firstBlock - 1, 0));
    q.bindInt(3, endBlock);
    double prevT1 = kMissing;
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
        if (rc != SQLITE_ROW) return fail(path + ": reading level " + std::to_string(level) + ": " + db.message());
        const std::int64_t block = q.getInt(0), firstSeq = q.getInt(1), lastSeq = q.getInt(2);
        const double t0 = q.getDouble(3), t1 = q.getDouble(4);
        const double start = !std::isnan(prevT1) && t0 - prevT1 <= l.maxGap ? prevT1 : t0;
        prevT1 = t1;
        if (block < firstBlock) continue;
        ++out.rowsRead;
        if (out.firstSeq < 0) out.firstSeq = firstSeq;
        out.lastSeq = lastSeq;
        const std::string_view data = q.getText(5);
        const auto ticks = static_cast<std::uint32_t>(lastSeq - firstSeq + 1);
        for (std::size_t i = 0; i < requests.size(); ++i) {
            double v[4] = {kMissing, kMissing, 0, 0};
            const auto k = data.find(l.needles[i]);
            out.present[i].push_back(k != std::string_view::npos);
            if (k != std::string_view::npos && l.positions[i] >= 0) {
                const char* p = data.data() + k + l.needles[i].size();
                const char* end = data.data() + data.size();
                for (int pos = 0; pos < l.positions[i] && p < end && *p != ']'; ++pos) {
                    p = skipValue(p, end);
                    if (p < end && *p == ',') ++p;
                }
                if (p < end && *p == '[') {
                    ++p;
                    bool ok = true;
                    for (int j = 0; j < 4 && ok; ++j) {
                        v[j] = readPackedNumber(p, end, ok);
                        if (j < 3 && !(p < end && *p++ == ',')) ok = false;
                    }
                    if (!ok) v[0] = v[1] = kMissing;
                }
            }
            out.series[i].push(start, t1, static_cast<float>(v[0]), static_cast<float>(v[1]), v[2], v[3], ticks);
        }
    }
    return {};
}

}  // namespace

Result<LevelRange> readLevelRange(const std::string& path, int level, double from, double to,
                                  const std::vector<LevelSeriesRequest>& requests) {
    LevelRange out;
    out.level = level;
    out.from = from;
    out.to = to;
    out.series.assign(requests.size(), BlockSeries{});
    out.present.assign(requests.size(), {});
    Db db;
    if (Status opened = openReadOnly(db, path); !opened) return fail(std::move(opened.error()));
    const SeriesLookup l = lookUp(db, requests);
    const std::int64_t blocks = blockCount(db, level);
    if (blocks == 0) {
        (void)db.exec("COMMIT");
        return out;
    }
    // Binary searches over the blocks (numbered 0..blocks-1, in time order) by the primary key.
    Statement at(db, "SELECT t0, t1 FROM level WHERE level = ? AND block = ?");
    auto times = [&](std::int64_t b, double& t0, double& t1) {
        at.reset();
        at.bindInt(1, level);
        at.bindInt(2, b);
        if (at.step() != SQLITE_ROW) return false;
        t0 = at.getDouble(0);
        t1 = at.getDouble(1);
        return true;
    };
    std::int64_t firstBlock = 0, endBlock = blocks;
    if (!std::isnan(from)) {  // first block with t1 >= from
        std::int64_t lo = 0, hi = blocks;
        while (lo < hi) {
            const std::int64_t mid = lo + (hi - lo) / 2;
            double t0 = 0, t1 = 0;
            if (times(mid, t0, t1) && t1 < from) lo = mid + 1;
            else hi = mid;
        }
        firstBlock = lo;
    }
    if (!std::isnan(to)) {  // first block with t0 > to
        std::int64_t lo = firstBlock, hi = blocks;
        while (lo < hi) {
            const std::int64_t mid = lo + (hi - lo) / 2;
            double t0 = 0, t1 = 0;
            if (times(mid, t0, t1) && t0 <= to) lo = mid + 1;
            else hi = mid;
        }
        endBlock = lo;
    }
    if (Status read = readBlocks(db, path, firstBlock, endBlock, requests, l, out); !read)
        return fail(std::move(read.error()));
    (void)db.exec("COMMIT");
    return out;
}

Result<LevelRange> readLevelBlocks(const std::string& path, int level, std::int64_t firstBlock, std::int64_t endBlock,
                                   const std::vector<LevelSeriesRequest>& requests) {
    LevelRange out;
    out.level = level;
    out.series.assign(requests.size(), BlockSeries{});
    out.present.assign(requests.size(), {});
    Db db;
    if (Status opened = openReadOnly(db, path); !opened) return fail(std::move(opened.error()));
    const SeriesLookup l = lookUp(db, requests);
    endBlock = std::min(endBlock, blockCount(db, level));
    if (firstBlock < endBlock) {
        if (Status read = readBlocks(db, path, std::max<std::int64_t>(firstBlock, 0), endBlock, requests, l, out);
            !read)
            return fail(std::move(read.error()));
    }
    (void)db.exec("COMMIT");
    return out;
}

std::int64_t levelThreshold() {
    if (const char* env = std::getenv("LOADLINE_LEVEL_THRESHOLD"); env && *env) {
        std::int64_t n = 0;
        const char* end = env + std::strlen(env);
        if (auto [p, ec] = std::from_chars(env, end, n); ec == std::errc() && p == end && n >= 0) return n;
    }
    return kLevelThreshold;
}

bool opensFromLevels(const StoreOutline& outline) { return outline.ticks > levelThreshold() && outline.blocks[1] > 0; }

double outlineInterval(const StoreOutline& o) {
    return o.interval > 0 ? o.interval : (o.last - o.first) / std::max<double>(static_cast<double>(o.ticks), 1);
}

int wholeRangeLevel(const StoreOutline& o, int columns) {
    const double spc = (o.last - o.first) / std::max(columns, 1);
    int level = std::max(1, levelForColumn(spc, o.interval));
    while (level > 1 && o.blocks[level] == 0) --level;
    return level;
}

int rangeLevel(const StoreOutline& o, int baseLevel, double span, int columns) {
    const double interval = outlineInterval(o);
    int level = levelForColumn(span / std::max(columns, 1), interval);
    if (level >= baseLevel) return baseLevel;
    if (level == 0) return 0;
    const double margin = rangeMargin(span);
    auto blockSeconds = [&](int l) { return std::pow(static_cast<double>(kLevelBase), l) * interval; };
    while (level < baseLevel && (span + 2 * margin) / blockSeconds(level) > kMaxBlocksPerRead) ++level;
    return std::min(level, baseLevel);
}

LoadResult loadStoreTail(const std::string& path, const StoreOutline& outline, std::function<bool(double)> progress) {
    ReadOptions read;
    read.from = std::isnan(outline.levelEndTime) ? outline.first : outline.levelEndTime;
    read.progress = std::move(progress);
    return loadStore(path, read);
}

std::vector<LevelSpan> levelCover(const StoreOutline& outline) {
    std::vector<LevelSpan> out;
    std::int64_t next = 0;  // the first tick not covered yet
    for (int level = kLevels; level >= 1; --level) {
        std::int64_t size = 1;
        for (int i = 0; i < level; ++i) size *= static_cast<std::int64_t>(kLevelBase);
        const std::int64_t first = next / size, end = outline.blocks[level];
        if (end <= first) continue;
        out.push_back({level, first, end});
        next = end * size;
    }
    return out;
}

}  // namespace loadline::core::store
