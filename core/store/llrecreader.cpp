// Reading a .llrec store (docs/llrec-format.md) into a Recording, in one read transaction: a
// store that is being written (or whose writer was killed) opens as its last commit.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <unordered_map>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/store/llrec.h"
#include "core/store/llreclevels.h"
#include "core/store/llrecsql.h"
#include "core/store/packednumber.h"

namespace loadline::core::store {

bool hasStoreExtension(std::string_view path) {
    const std::string_view ext = kExtension;
    return path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext;
}

bool looksLikeStore(const std::string& path) {
    // O_NONBLOCK: a FIFO given as a recording must not block here (the loader refuses it).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return false;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return false;
    }
    char head[16] = {};
    const ssize_t n = ::read(fd, head, sizeof head);
    ::close(fd);
    return n == 16 && std::memcmp(head, "SQLite format 3\0", 16) == 0;
}

namespace {

// A cursor over the packed JSON of a tick: arrays of numbers/null, objects keyed by PID.
struct Packed {
    const char* p;
    const char* end;
    bool ok = true;

    void ws() {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')) ++p;
    }
    bool eat(char c) {
        ws();
        if (p < end && *p == c) {
            ++p;
            return true;
        }
        return false;
    }
    double number() { return readPackedNumber(p, end, ok); }
    // Calls f(position, value) for each element of an array.
    template <class F>
    void array(F&& f) {
        if (!eat('[')) {
            ok = false;
            return;
        }
        if (eat(']')) return;
        for (int pos = 0; ok; ++pos) {
            f(pos, number());
            if (eat(',')) continue;
            if (!eat(']')) ok = false;
            return;
        }
    }
};

struct Column {
    std::string name;
    bool text = false;
};

// Store position -> table column, per table (created on first non-missing value).
struct TableMap {
    std::vector<int> col;
};

}  // namespace

namespace {

std::atomic<std::uint64_t> gTicksRead{0};

// loadStore(), or with a cursor loadStoreTicksAfter(): the ticks after cursor->lastSeq only.
LoadResult readStore(const std::string& path, const ReadOptions& options, StoreCursor* cursor, double after) {
    // Errors say "PATH: message".
    auto fail = [&](const std::string& message, ErrorKind kind = ErrorKind::Invalid) -> LoadResult {
        Error e;
        e.kind = kind;
        e.path = path;
        e.message = message;
        return tl::unexpected<Error>(std::move(e));
    };
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return fail(std::strerror(errno), ErrorKind::Io);
    if (!S_ISREG(st.st_mode)) return fail("not a regular file");

    std::vector<std::string> warnings;
    Db db;
    std::string error;
    if (!succeeded(db.open(path, SQLITE_OPEN_READONLY), &error)) return fail(error, ErrorKind::Io);
    // A read transaction: every query below sees the same commit.
    if (!succeeded(db.exec("BEGIN; SELECT count(*) FROM meta;"), &error)) {
        // WAL mode needs the -shm file writable (or creatable): without write access to the
        // directory or the files, open the database file as it is, ignoring the WAL.
        const int code = db.code() & 0xff;
        if (error.find("no such table") != std::string::npos)
            return fail("an SQLite database, but not a loadline .llrec store (it has no meta table)");
        if (code != SQLITE_CANTOPEN && code != SQLITE_READONLY && code != SQLITE_PERM)
            return fail(error, ErrorKind::Io);
        std::string uri = "file:";
        for (char c : path) {
            if (c == '?' || c == '#' || c == '%') {
                char buf[4];
                std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
                uri += buf;
            } else {
                uri += c;
            }
        }
        uri += "?immutable=1";
        if (!succeeded(db.open(uri, SQLITE_OPEN_READONLY), &error)) return fail(error, ErrorKind::Io);
        if (!succeeded(db.exec("BEGIN; SELECT count(*) FROM meta;"), &error))
            return fail(error + " (opened read-only without write access to the -shm file)", ErrorKind::Io);
        warnings.push_back(
            std::string("opened immutable (no write access for SQLite's -shm file): samples still in the ") +
            "write-ahead log (" + path + "-wal) are not shown");
    }

    std::string format, header, closed, version;
    {
        Statement q(db, "SELECT key, value FROM meta");
        if (!q.ok()) return fail("not a .llrec store (no meta table): " + db.message());
        while (q.step() == SQLITE_ROW) {
            const std::string_view k = q.getText(0);
            const std::string v(q.getText(1));
            if (k == "format") format = v;
            else if (k == "header") header = v;
            else if (k == "closed") closed = v;
            else if (k == "format_version") version = v;
        }
    }
    if (format != "loadline-llrec") return fail("not a .llrec store (meta format is \"" + format + "\")");
    if (!version.empty() && std::atoi(version.c_str()) > kFormatVersion)
        return fail("format version " + version + " is newer than this loadline reads (" +
                    std::to_string(kFormatVersion) + ")");

    Recording rec;
    if (!header.empty()) {
        LoadResult h = loadRecordingFromString(header, path + " (header)");
        if (!h) return fail(h.error().message);
        rec = std::move(*h);
    }
    Timeline& tl = rec.timeline;

    std::vector<Column> columns[2];
    {
        Statement q(db, "SELECT kind, pos, name, is_text FROM series_column ORDER BY kind, pos");
        while (q.step() == SQLITE_ROW) {
            const auto kind = q.getInt(0), pos = q.getInt(1);
            if (kind < 0 || kind > 1 || pos < 0 || pos > 1000000) return fail("series_column: bad kind or position");
            auto& cols = columns[kind];
            if (cols.size() <= static_cast<std::size_t>(pos)) cols.resize(pos + 1);
            cols[pos] = {std::string(q.getText(2)), q.getInt(3) != 0};
        }
    }
    std::unordered_map<std::int64_t, std::string> strings;
    {
        Statement q(db, "SELECT id, text FROM string");
        while (q.step() == SQLITE_ROW) strings.emplace(q.getInt(0), std::string(q.getText(1)));
    }

    // Which ticks: a time range, then the newest maxSamples of it. Ticks are in time order and
    // seq is the rowid: a time bound becomes a seq bound by binary search (a few look-ups), so
    // a range read costs the ticks in the range, not a scan of the whole table.
    std::string where = " WHERE 1";
    if (!std::isnan(options.from)) where += " AND t >= ?1";
    if (!std::isnan(options.to)) where += " AND t <= ?2";
    std::int64_t seqFrom = 0, seqTo = -1;
    if (!cursor && (!std::isnan(options.from) || !std::isnan(options.to))) {
        Statement m(db, "SELECT max(seq) FROM tick");
        const std::int64_t maxSeq = m.step() == SQLITE_ROW && !m.isNull(0) ? m.getInt(0) : -1;
        Statement at(db, "SELECT t FROM tick WHERE seq = ?");
        // The first seq whose time is >= t (or > t with `after`); maxSeq + 1 when none.
        auto firstAt = [&](double t, bool after) {
            std::int64_t lo = 0, hi = maxSeq + 1;
            while (lo < hi) {
                const std::int64_t mid = lo + (hi - lo) / 2;
                at.reset();
                at.bindInt(1, mid);
                const double tm = at.step() == SQLITE_ROW ? at.getDouble(0) : kMissing;
                if (after ? tm <= t : tm < t) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        };
        seqFrom = std::isnan(options.from) ? 0 : firstAt(options.from, false);
        seqTo = std::isnan(options.to) ? maxSeq : firstAt(options.to, true) - 1;
        where += " AND seq BETWEEN ?6 AND ?7";
    }
    auto bindRange = [&](Statement& q) {
        if (!std::isnan(options.from)) q.bindDouble(1, options.from);
        if (!std::isnan(options.to)) q.bindDouble(2, options.to);
        if (seqTo >= -1 && where.find("?6") != std::string::npos) {
            q.bindInt(6, seqFrom);
            q.bindInt(7, seqTo);
        }
    };
    std::int64_t total = 0, lastSeq = -1;
    double lastT = kMissing;
    std::int64_t afterSeq = -1;
    if (cursor) {
        // Following: no count (a scan of the whole table), just where the new ticks start.
        afterSeq = cursor->lastSeq;
        if (afterSeq < 0 && !std::isnan(after)) {
            // Seeks back from the newest tick (seq is the rowid): cheap when few are newer.
            Statement s(db, "SELECT seq FROM tick WHERE t <= ?1 ORDER BY seq DESC LIMIT 1");
            s.bindDouble(1, after);
            if (s.step() == SQLITE_ROW) afterSeq = s.getInt(0);
        }
        where += " AND seq > ?5";
    } else {
        // seq has no holes (docs/llrec-format.md): the count without a scan of the table (two
        // queries: SQLite looks up min() or max() of the rowid alone, but scans for both at once).
        Statement lo(db, "SELECT min(seq) FROM tick");
        Statement hi(db, "SELECT max(seq) FROM tick");
        if (lo.step() == SQLITE_ROW && hi.step() == SQLITE_ROW && !hi.isNull(0)) {
            lastSeq = hi.getInt(0);
            total = lastSeq - lo.getInt(0) + 1;
        }
        Statement l(db, "SELECT t FROM tick ORDER BY seq DESC LIMIT 1");
        if (l.step() == SQLITE_ROW) lastT = l.getDouble(0);
    }
    std::int64_t minSeq = 0;
    if (options.maxSamples && !cursor) {
        Statement q(db, ("SELECT seq FROM tick" + where + " ORDER BY seq DESC LIMIT 1 OFFSET ?3").c_str());
        bindRange(q);
        q.bindInt(3, static_cast<std::int64_t>(options.maxSamples) - 1);
        if (q.step() == SQLITE_ROW) minSeq = q.getInt(0);
    }
    Statement q(db,
                ("SELECT seq, t, sys, procs, self_cpu, late, missed FROM tick" + where + " AND seq >= ?4 ORDER BY seq")
                    .c_str());
    if (!q.ok()) return fail("tick table: " + db.message());
    bindRange(q);
    q.bindInt(4, minSeq);
    if (cursor) q.bindInt(5, afterSeq);

    TableMap sysMap;
    std::unordered_map<int, TableMap> procMaps;
    int cpuCol = -1, lateCol = -1, missedCol = -1;
    // A tick's packed values are checked whole before any of them is added, so a damaged tick
    // (a disk error, a hand edit) is skipped with a warning and the rest of the store still opens,
    // as the py-perf loader skips a bad sample.
    std::vector<std::pair<int, double>> values;                                   // one array: (position, value)
    std::vector<std::pair<int, std::vector<std::pair<int, double>>>> procValues;  // per PID
    std::string damage;                                                           // why the current tick is skipped
    auto readArray = [&](Packed& pk, const std::vector<Column>& cols, std::vector<std::pair<int, double>>& out,
                         const char* what) -> bool {
        out.clear();
        pk.array([&](int pos, double v) {
            if (!std::isnan(v)) out.emplace_back(pos, v);
        });
        if (!pk.ok) {
            damage = std::string(what) + " is not an array of numbers";
            return false;
        }
        for (const auto& [pos, v] : out) {
            if (pos >= static_cast<int>(cols.size())) {
                damage = std::string(what) + ": value at position " + std::to_string(pos) +
                         " has no column in series_column";
                return false;
            }
            if (cols[pos].text && !strings.contains(static_cast<std::int64_t>(v))) {
                damage = std::string(what) + ": unknown string id " + std::to_string(v);
                return false;
            }
        }
        return true;
    };
    auto put = [&](SeriesTable& table, TableMap& map, const std::vector<Column>& cols,
                   const std::vector<std::pair<int, double>>& vals) {
        for (const auto& [pos, v] : vals) {
            if (map.col.size() <= static_cast<std::size_t>(pos)) map.col.resize(pos + 1, -1);
            int& c = map.col[pos];
            if (c < 0) c = table.ensureColumn(cols[pos].name, cols[pos].text);
            if (cols[pos].text) table.setLastText(c, strings.find(static_cast<std::int64_t>(v))->second);
            else table.setLast(c, v);
        }
    };
    std::int64_t loaded = 0, skipped = 0;
    std::string firstDamage;
    auto skip = [&](std::int64_t seq) {
        if (skipped++ == 0) firstDamage = "tick " + std::to_string(seq) + ": " + damage;
        damage.clear();
    };
    for (int rc; (rc = q.step()) != SQLITE_DONE;) {
        if (rc != SQLITE_ROW) return fail("reading ticks: " + db.message());
        const std::int64_t seq = q.getInt(0);
        lastSeq = seq;
        gTicksRead.fetch_add(1, std::memory_order_relaxed);
        const double t = q.getDouble(1);
        if (!q.isNull(2)) {
            const std::string_view sys = q.getText(2);
            Packed pk{sys.data(), sys.data() + sys.size()};
            if (!readArray(pk, columns[0], values, "sys")) {
                skip(seq);
                continue;  // without its system sample the tick's processes have no time to sit at
            }
            tl.system.appendRow(t);
            put(tl.system, sysMap, columns[0], values);
            if (!q.isNull(4)) {
                if (cpuCol < 0) {
                    cpuCol = tl.system.ensureColumn("loadline_recorder_cpu_s");
                    lateCol = tl.system.ensureColumn("loadline_tick_late_s");
                    missedCol = tl.system.ensureColumn("loadline_missed_ticks");
                }
                tl.system.setLast(cpuCol, q.getDouble(4));
                tl.system.setLast(lateCol, q.getDouble(5));
                tl.system.setLast(missedCol, q.getDouble(6));
            }
        }
        if (!q.isNull(3)) {
            const std::string_view procs = q.getText(3);
            Packed pk{procs.data(), procs.data() + procs.size()};
            procValues.clear();
            bool good = pk.eat('{');
            if (good && !pk.eat('}')) {
                for (;;) {
                    int pid = 0;
                    if (!pk.eat('"')) {
                        good = false;
                        break;
                    }
                    auto r = std::from_chars(pk.p, pk.end, pid);
                    if (r.ec != std::errc()) {
                        good = false;
                        break;
                    }
                    pk.p = r.ptr;
                    if (!pk.eat('"') || !pk.eat(':')) {
                        good = false;
                        break;
                    }
                    procValues.emplace_back(pid, std::vector<std::pair<int, double>>{});
                    if (!readArray(pk, columns[1], procValues.back().second, "procs")) {
                        good = false;
                        break;
                    }
                    if (pk.eat(',')) continue;
                    good = pk.eat('}');
                    break;
                }
            }
            if (!good) {
                if (damage.empty()) damage = "procs is not an object of PID arrays";
                skip(seq);  // the system sample stays: only the processes of this tick are lost
            } else {
                for (const auto& [pid, vals] : procValues) {
                    SeriesTable& table = tl.process(pid).samples;
                    table.appendRow(t);
                    put(table, procMaps[pid], columns[1], vals);
                }
            }
        }
        ++loaded;
        if (options.progress && (loaded & 0xffff) == 0 && total > 0 &&
            !options.progress(static_cast<double>(loaded) / static_cast<double>(total))) {
            return fail("cancelled", ErrorKind::Cancelled);
        }
    }
    (void)db.exec("COMMIT");
    if (options.progress) options.progress(1.0);

    if (cursor) {
        cursor->lastSeq = loaded ? lastSeq : afterSeq;
        cursor->closed = closed == "1";
        return rec;
    }
    if (skipped)
        warnings.push_back("skipped " + std::to_string(skipped) + " damaged tick" + (skipped == 1 ? "" : "s") +
                           " (first: " + firstDamage + ")");
    if (closed != "1") {
        char when[64] = "";
        if (!std::isnan(lastT)) std::snprintf(when, sizeof when, " (last at %.3f)", lastT);
        warnings.push_back(
            std::string("the recording was not closed (still being written, or its recorder was killed): ") +
            "it holds the " + std::to_string(total) + " ticks committed so far" + when +
            "; samples taken after the last commit (at most about 1 s) are not in it");
        if (!std::isnan(lastT)) tl.metadata.endTime = lastT;
    }
    rec.warnings.insert(rec.warnings.begin(), warnings.begin(), warnings.end());
    return rec;
}

void appendTable(SeriesTable& into, const SeriesTable& from) {
    const int columns = from.columnCount();
    std::vector<int> map(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) map[c] = into.ensureColumn(from.columnName(c), from.isTextColumn(c));
    for (std::size_t row = 0; row < from.size(); ++row) {
        into.appendRow(from.timestamp(row));
        for (int c = 0; c < columns; ++c) {
            if (from.isTextColumn(c)) {
                const std::string_view text = from.text(c, row);
                if (!text.empty()) into.setLastText(map[c], text);
            } else {
                const double v = from.value(c, row);
                if (!isMissing(v)) into.setLast(map[c], v);
            }
        }
    }
}

}  // namespace

std::uint64_t ticksReadCount() { return gTicksRead.load(std::memory_order_relaxed); }

LoadResult loadStore(const std::string& path, const ReadOptions& options) {
    return readStore(path, options, nullptr, kMissing);
}

LoadResult loadStoreTicksAfter(const std::string& path, StoreCursor& cursor, double after) {
    return readStore(path, {}, &cursor, after);
}

void appendTicks(Timeline& into, const Timeline& from) {
    appendTable(into.system, from.system);
    for (const auto& [pid, series] : from.processes) appendTable(into.process(pid).samples, series.samples);
    // A recording in progress ends at its newest tick (as loadStore says for an unclosed store).
    if (const auto last = from.lastTime(); last && (!into.metadata.endTime || *into.metadata.endTime < *last))
        into.metadata.endTime = last;
}

Result<std::vector<LevelBlock>> readLevel(const std::string& path, int level, int pid, const std::string& column) {
    std::vector<LevelBlock> out;
    Db db;
    if (Status opened = db.open(path, SQLITE_OPEN_READONLY); !opened) return fail(std::move(opened.error()));
    Statement c(db, "SELECT pos FROM series_column WHERE kind = ? AND name = ?");
    c.bindInt(1, pid < 0 ? 0 : 1);
    c.bindText(2, column);
    if (c.step() != SQLITE_ROW) {
        Error e;
        e.path = path;
        e.message = "no column " + column;
        e.field = column;
        return fail(std::move(e));
    }
    const int pos = static_cast<int>(c.getInt(0));
    const std::string key = pid < 0 ? "sys" : std::to_string(pid);
    Statement q(db, "SELECT t0, t1, data FROM level WHERE level = ? ORDER BY block");
    q.bindInt(1, level);
    while (q.step() == SQLITE_ROW) {
        LevelBlock b;
        b.t0 = q.getDouble(0);
        b.t1 = q.getDouble(1);
        b.lo = b.hi = std::numeric_limits<float>::quiet_NaN();
        const std::string_view data = q.getText(2);
        // {"KEY":[[lo,hi,area,duration]|null,...],...}: find the key, then the position.
        const std::string needle = "\"" + key + "\":[";
        const auto at = data.find(needle);
        if (at != std::string_view::npos) {
            Packed pk{data.data() + at + needle.size(), data.data() + data.size()};
            for (int p = 0; pk.ok; ++p) {
                if (pk.eat('[')) {
                    double v[4];
                    for (int i = 0; i < 4; ++i) {
                        v[i] = pk.number();
                        if (i < 3 && !pk.eat(',')) pk.ok = false;
                    }
                    if (!pk.eat(']')) pk.ok = false;
                    if (p == pos) {
                        b.lo = static_cast<float>(v[0]);
                        b.hi = static_cast<float>(v[1]);
                        b.area = v[2];
                        b.duration = v[3];
                        break;
                    }
                } else {
                    pk.number();  // null
                    if (p == pos) break;
                }
                if (!pk.eat(',')) break;
            }
        }
        out.push_back(b);
    }
    return out;
}

}  // namespace loadline::core::store
