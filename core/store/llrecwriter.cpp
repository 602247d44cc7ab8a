// StoreWriter: appends a growing timeline to a .llrec store (docs/llrec-format.md).
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <unordered_map>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "core/store/llrec.h"
#include "core/store/llrecsql.h"
#include "core/timeline/decimate.h"

namespace loadline::core::store {

namespace {

void appendNumber(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
    out.append(buf, r.ptr);
}

void appendFloat(std::string& out, float v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// Per-column running summary of a block of a consolidated level above 1 (merged from level-1
// blocks: min of mins, max of maxes, sums of integrals and durations).
struct Acc {
    float lo = std::numeric_limits<float>::quiet_NaN();
    float hi = std::numeric_limits<float>::quiet_NaN();
    double area = 0, duration = 0;
    bool any = false;
    void merge(float l, float h, double a, double d) {
        if (!std::isnan(l) && (std::isnan(lo) || l < lo)) lo = l;
        if (!std::isnan(h) && (std::isnan(hi) || h > hi)) hi = h;
        area += a;
        duration += d;
        any = true;
    }
};

}  // namespace

struct StoreWriter::Impl {
    std::string path;
    WriterOptions options;
    Db db;
    // Prepared once and reused by every commit (after db: finalized before it closes): a commit
    // each second parses no SQL.
    std::unique_ptr<Statement> insTick, insLevel, insColumn, insString, putHeader, begin, commitTx;
    Statement* prepared(std::unique_ptr<Statement>& st, const char* sql) {
        if (!st || !st->ok()) st = std::make_unique<Statement>(db, sql);
        return st->ok() ? st.get() : nullptr;
    }
    /** Runs a statement without results (BEGIN, COMMIT), reset for the next time. */
    bool run(std::unique_ptr<Statement>& st, const char* sql) {
        Statement* p = prepared(st, sql);
        if (!p) return false;
        const int rc = p->step();
        p->reset();
        return rc == SQLITE_DONE;
    }
    void finalizeStatements() {
        for (auto* st : {&insTick, &insLevel, &insColumn, &insString, &putHeader, &begin, &commitTx}) st->reset();
    }
    double maxGap = std::numeric_limits<double>::infinity();

    // Store columns per kind (0 system, 1 process): name -> position.
    struct Kind {
        std::unordered_map<std::string, int> pos;
        std::vector<bool> text;
    };
    Kind kinds[2];
    struct PendingColumn {
        int kind, pos;
        std::string name;
        bool text;
    };
    std::vector<PendingColumn> newColumns;

    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    // Looked up by string_view: no allocation for a text seen before (every tick's name/status).
    std::unordered_map<std::string, std::int64_t, TextHash, std::equal_to<>> strings;
    std::vector<std::pair<std::int64_t, std::string>> newStrings;

    // A source table (system or one PID) and how far it was staged.
    struct Source {
        std::uint64_t staged = 0;  // appendedRows() already staged
        std::vector<int> map;      // table column -> store position (-1: not stored)
        int mappedColumns = 0;
        std::vector<double> row;  // scratch: one row by store position
        std::vector<char> rowText;
        // Consolidation window of the current level-1 block: the previous row, then the
        // block's rows (times, and values by store position).
        std::vector<double> times;
        std::vector<std::vector<double>> values;
        bool hasPrev = false;
        bool inBlock = false;           // has rows in the current level-1 block
        std::vector<Acc> acc[kLevels];  // levels 2..kLevels (index 1..kLevels-1)
        bool accAny[kLevels] = {};
    };
    Source system;
    std::map<int, Source> procs;

    struct PendingTick {
        double t = 0;
        bool hasSys = false;
        std::string sys, procs;
        bool hasFootprint = false;
        TickFootprint footprint;
    };
    std::vector<PendingTick> pending;
    std::size_t pendingCount = 0;
    std::vector<TickFootprint> footprints;
    std::size_t footprintHead = 0;

    struct PendingLevel {
        int level;
        std::uint64_t block, firstSeq, lastSeq;
        double t0, t1;
        std::string data;
    };
    std::vector<PendingLevel> pendingLevels;
    double blockStart[kLevels + 1] = {};

    std::uint64_t seq = 0;  // next tick number
    std::uint64_t rows = 0;
    bool headerDirty = true;
    std::string header;
    std::size_t headerPids = static_cast<std::size_t>(-1), headerExtras = static_cast<std::size_t>(-1);
    ExtraFields lastExtra, lastMetaExtra;  // as in the last header, to see them change

    std::int64_t stringId(std::string_view s) {
        auto it = strings.find(s);
        if (it != strings.end()) return it->second;
        const std::int64_t id = static_cast<std::int64_t>(strings.size()) + 1;
        strings.emplace(std::string(s), id);
        newStrings.emplace_back(id, std::string(s));
        return id;
    }

    int storePos(int kind, const std::string& name, bool text) {
        Kind& k = kinds[kind];
        auto it = k.pos.find(name);
        if (it != k.pos.end()) return it->second;
        const int p = static_cast<int>(k.text.size());
        k.pos.emplace(name, p);
        k.text.push_back(text);
        newColumns.push_back({kind, p, name, text});
        return p;
    }

    void syncColumns(Source& src, const SeriesTable& table, int kind) {
        if (src.mappedColumns == table.columnCount()) return;
        src.map.resize(table.columnCount(), -1);
        for (int c = src.mappedColumns; c < table.columnCount(); ++c) {
            const std::string& name = table.columnName(c);
            src.map[c] = name == "timestamp" ? -1 : storePos(kind, name, table.isTextColumn(c));
        }
        src.mappedColumns = table.columnCount();
    }

    // Appends row r of table as a JSON array by store position, and feeds the level window.
    void packRow(Source& src, const SeriesTable& table, std::size_t r, int kind, std::string& out) {
        const Kind& k = kinds[kind];
        const std::size_t n = k.text.size();
        src.row.assign(n, kMissing);
        for (int c = 0; c < table.columnCount(); ++c) {
            const int p = src.map[c];
            if (p < 0) continue;
            double v = table.value(c, r);
            if (table.isTextColumn(c) && !std::isnan(v)) v = static_cast<double>(stringId(table.text(c, r)));
            src.row[p] = v;
        }
        std::size_t last = n;
        while (last > 0 && std::isnan(src.row[last - 1])) --last;
        out += '[';
        for (std::size_t p = 0; p < last; ++p) {
            if (p) out += ',';
            appendNumber(out, src.row[p]);
        }
        out += ']';
        // Level window (text positions are kept too but never summarised).
        if (src.values.size() < n) {
            // A level-1 block's rows (and the previous one) fit from the start: packing a row
            // allocates nothing once its columns are known.
            src.values.resize(n);
            for (auto& col : src.values) col.reserve(kLevelBase + 1);
            src.times.reserve(kLevelBase + 1);
        }
        for (auto& col : src.values)
            if (col.size() < src.times.size()) col.resize(src.times.size(), kMissing);
        src.times.push_back(table.timestamp(r));
        for (std::size_t p = 0; p < n; ++p) src.values[p].push_back(k.text[p] ? kMissing : src.row[p]);
        src.inBlock = true;
        ++rows;
    }

    // Level-1 summary of one source over its rows in the block that just ended; merged upwards.
    void summarise(Source& src, int kind, std::string& data, bool& first, const std::string& key) {
        const std::size_t n = kinds[kind].text.size();
        const std::size_t firstRow = src.hasPrev ? 1 : 0;
        if (!src.inBlock || src.times.size() <= firstRow) return;
        if (!first) data += ',';
        first = false;
        data += '"';
        data += key;
        data += "\":[";
        BlockSummary bs;
        bs.maxGap = maxGap;
        for (int L = 1; L < kLevels; ++L)
            if (src.acc[L].size() < n) src.acc[L].resize(n);
        for (std::size_t p = 0; p < n; ++p) {
            if (p) data += ',';
            if (kinds[kind].text[p]) {
                data += "null";
                continue;
            }
            auto& col = src.values[p];
            col.resize(src.times.size(), kMissing);
            bs.clear();
            bs.appendBlock(src.times, col, firstRow, src.times.size());
            data += '[';
            appendFloat(data, bs.lo[0]);
            data += ',';
            appendFloat(data, bs.hi[0]);
            data += ',';
            appendNumber(data, bs.area[0]);
            data += ',';
            appendNumber(data, bs.duration[0]);
            data += ']';
            for (int L = 1; L < kLevels; ++L) src.acc[L][p].merge(bs.lo[0], bs.hi[0], bs.area[0], bs.duration[0]);
        }
        data += ']';
        for (int L = 1; L < kLevels; ++L) src.accAny[L] = true;
        // Keep the last row as the previous row of the next block.
        const std::size_t lastRow = src.times.size() - 1;
        src.times[0] = src.times[lastRow];
        src.times.resize(1);
        for (auto& col : src.values) {
            col[0] = col.size() > lastRow ? col[lastRow] : kMissing;
            col.resize(1);
        }
        src.hasPrev = true;
        src.inBlock = false;
    }

    void writeHigherLevel(Source& src, int kind, int L, std::string& data, bool& first, const std::string& key) {
        if (!src.accAny[L]) return;
        if (!first) data += ',';
        first = false;
        data += '"';
        data += key;
        data += "\":[";
        auto& acc = src.acc[L];
        for (std::size_t p = 0; p < kinds[kind].text.size(); ++p) {
            if (p) data += ',';
            if (kinds[kind].text[p] || p >= acc.size() || !acc[p].any) {
                data += "null";
                if (p < acc.size()) acc[p] = Acc{};
                continue;
            }
            data += '[';
            appendFloat(data, acc[p].lo);
            data += ',';
            appendFloat(data, acc[p].hi);
            data += ',';
            appendNumber(data, acc[p].area);
            data += ',';
            appendNumber(data, acc[p].duration);
            data += ']';
            acc[p] = Acc{};
        }
        data += ']';
        src.accAny[L] = false;
    }

    // After tick `s` (0-based) was staged: close the blocks that end with it.
    void closeBlocks(std::uint64_t s, double t) {
        std::uint64_t size = 1;
        for (int level = 1; level <= kLevels; ++level) {
            size *= kLevelBase;
            if ((s + 1) % size != 0) break;
            PendingLevel pl{level, s / size, s + 1 - size, s, blockStart[level], t, {}};
            std::string& data = pl.data;
            data += '{';
            bool first = true;
            if (level == 1) {
                summarise(system, 0, data, first, "sys");
                for (auto& [pid, src] : procs) summarise(src, 1, data, first, std::to_string(pid));
            } else {
                writeHigherLevel(system, 0, level - 1, data, first, "sys");
                for (auto& [pid, src] : procs) writeHigherLevel(src, 1, level - 1, data, first, std::to_string(pid));
            }
            data += '}';
            pendingLevels.push_back(std::move(pl));
        }
    }

    PendingTick& nextPending() {
        if (pendingCount == pending.size()) pending.emplace_back();
        PendingTick& p = pending[pendingCount++];
        p.sys.clear();
        p.procs.clear();
        p.hasSys = false;
        p.hasFootprint = false;
        return p;
    }

    void attachFootprint(PendingTick& p) {
        while (footprintHead < footprints.size() && footprints[footprintHead].time < p.t) ++footprintHead;
        if (footprintHead < footprints.size() && footprints[footprintHead].time == p.t) {
            p.hasFootprint = true;
            p.footprint = footprints[footprintHead++];
        }
        if (footprintHead == footprints.size()) {
            footprints.clear();
            footprintHead = 0;
        }
    }

    bool stageTimeline(const Timeline& timeline, std::size_t maxTicks);
    void updateHeader(const Recording& recording);
};

StoreWriter::StoreWriter() : d(std::make_unique<Impl>()) {}
StoreWriter::~StoreWriter() = default;
const std::string& StoreWriter::path() const { return d->path; }
std::uint64_t StoreWriter::rowsWritten() const { return d->rows; }
std::uint64_t StoreWriter::ticksWritten() const { return d->seq; }
std::uint64_t StoreWriter::ticksCommitted() const { return d->seq - d->pendingCount; }

Status StoreWriter::create(const std::string& path, const WriterOptions& options) {
    d->path = path;
    d->options = options;
    if (options.sampleInterval > 0) d->maxGap = 3.0 * options.sampleInterval;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        if (!S_ISREG(st.st_mode)) return fail(path + ": exists and is not a regular file", ErrorKind::Io);
        if (st.st_size > 0 && !options.replace && !looksLikeStore(path))
            return fail(path + ": exists and is not a .llrec store (refusing to overwrite it)", ErrorKind::Io);
    }
    // A store (of an earlier run, or a crashed one) or an empty file is replaced. Its WAL goes
    // first, also one left without its database: SQLite must never replay an old log onto the
    // new file.
    ::unlink((path + "-wal").c_str());
    ::unlink((path + "-shm").c_str());
    // The schema and meta are made in a temporary file and renamed into place, so that a
    // kill -9 at any moment leaves either no store or one that opens (never a file without
    // its tables).
    const std::string tmp = path + ".new-" + std::to_string(::getpid());
    ::unlink(tmp.c_str());
    {
        Db init;
        if (Status opened = init.open(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE); !opened) return opened;
        // Page size 1024: a commit (two ticks of ~1.4 KB at 0.5 s) rewrites the pages it
        // touches whole, so small pages write least (bench/store/store_bench: 1024-byte pages
        // write 0.57x the bytes per hour of 4096-byte ones; 512 saves 6 % more but makes the
        // file 9 % larger).
        const char* schema =
            "PRAGMA page_size=1024; PRAGMA synchronous=FULL;"
            "BEGIN;"
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value);"
            "CREATE TABLE series_column(kind INTEGER NOT NULL, pos INTEGER NOT NULL, name TEXT NOT NULL,"
            " is_text INTEGER NOT NULL, PRIMARY KEY(kind, pos));"
            "CREATE TABLE string(id INTEGER PRIMARY KEY, text TEXT NOT NULL);"
            "CREATE TABLE tick(seq INTEGER PRIMARY KEY, t REAL NOT NULL, sys TEXT, procs TEXT,"
            " self_cpu REAL, late REAL, missed INTEGER);"
            "CREATE TABLE level(level INTEGER NOT NULL, block INTEGER NOT NULL, first_seq INTEGER NOT NULL,"
            " last_seq INTEGER NOT NULL, t0 REAL NOT NULL, t1 REAL NOT NULL, data TEXT NOT NULL,"
            " PRIMARY KEY(level, block));";
        Status ok = init.exec(schema);
        Statement meta(init, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
        auto put = [&](const char* k, const std::string& v) {
            meta.reset();
            meta.bindText(1, k);
            meta.bindText(2, v);
            return meta.step() == SQLITE_DONE;
        };
        char buf[64];
        std::snprintf(buf, sizeof buf, "%d", kFormatVersion);
        bool put_ok = ok && put("format", "loadline-llrec") && put("format_version", buf) && put("closed", "0");
        if (options.sampleInterval > 0) {
            std::string s;
            appendNumber(s, options.sampleInterval);
            put_ok = put_ok && put("sample_interval", s);
            appendNumber(s = {}, d->maxGap);
            put_ok = put_ok && put("level_max_gap", s);
        }
        std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(kLevelBase));
        put_ok = put_ok && put("level_base", buf);
        if (ok && !put_ok) ok = failIo(path + ": " + init.message(), 0);
        if (ok) ok = init.exec("COMMIT");
        if (!ok) {
            ::unlink(tmp.c_str());
            return ok;
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return failIo(path + ": " + std::strerror(err), err);
    }
    // SQLite creates the WAL and grows it as commits come. Zero-filling it here first (so that
    // early commits overwrite blocks instead of allocating them) was measured and dropped: it
    // cost 2.5-6 ms of CPU and 1.1 MB of writes at every start and saved no measurable CPU per
    // commit (a 6 KB write plus fdatasync: ~200 us either way); after the first checkpoint
    // SQLite writes the log from its start again anyway.
    if (Status opened = d->db.open(path, SQLITE_OPEN_READWRITE); !opened) return opened;
    // WAL: readers never block the writer and see the last commit; synchronous=FULL: a commit
    // is on disk when it returns (a power cut loses at most the uncommitted second). In WAL mode
    // FULL costs one fdatasync of the WAL per commit (about 0.3 ms of CPU at a commit a second);
    // NORMAL would sync only at WAL checkpoints (every ~1000 pages, minutes of samples), which a
    // power cut could lose: the kill -9 / power-cut goal of ~1 s needs FULL.
    return d->db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
}

void StoreWriter::Impl::updateHeader(const Recording& recording) {
    const Timeline& t = recording.timeline;
    const std::size_t extras =
        t.extra.size() + t.metadata.extra.size() + recording.extra.size() + recording.functionTimings.size();
    if (!headerDirty && t.processes.size() == headerPids && extras == headerExtras) return;
    headerPids = t.processes.size();
    headerExtras = extras;
    Recording shell;
    shell.kind = recording.kind;
    shell.sessionId = recording.sessionId;
    shell.functionTimings = recording.functionTimings;
    shell.extra = recording.extra;
    shell.timeline.metadata = t.metadata;
    shell.timeline.extra = t.extra;
    for (const auto& [pid, series] : t.processes) shell.timeline.process(pid);
    header = recordingToText(shell);
    headerDirty = true;
}

bool StoreWriter::Impl::stageTimeline(const Timeline& timeline, std::size_t maxTicks) {
    syncColumns(system, timeline.system, 0);
    struct Cursor {
        Source* src;
        const SeriesTable* table;
        std::size_t row, end;
        int pid;
    };
    std::vector<Cursor> cursors;
    auto cursorFor = [&](Source& src, const SeriesTable& table, int pid) {
        const std::uint64_t fresh = table.appendedRows() - src.staged;
        // Rows the ring dropped before they were staged are lost (the caller stages often
        // enough that this does not happen; counted as staged so the cursor stays right).
        const std::size_t n = std::min<std::uint64_t>(fresh, table.size());
        src.staged += fresh - n;
        if (n) cursors.push_back({&src, &table, table.size() - n, table.size(), pid});
    };
    cursorFor(system, timeline.system, -1);
    for (const auto& [pid, series] : timeline.processes) {
        Source& src = procs[pid];
        syncColumns(src, series.samples, 1);
        cursorFor(src, series.samples, pid);
    }
    std::size_t ticks = 0;
    char pidText[16];
    while (!cursors.empty() && ticks < maxTicks) {
        double t = std::numeric_limits<double>::infinity();
        for (const auto& c : cursors) t = std::min(t, c.table->timestamp(c.row));
        if (!(t < std::numeric_limits<double>::infinity())) t = cursors.front().table->timestamp(cursors.front().row);
        if (seq % kLevelBase == 0)
            for (int L = 1; L <= kLevels; ++L) {
                std::uint64_t size = 1;
                for (int i = 0; i < L; ++i) size *= kLevelBase;
                if (seq % size == 0) blockStart[L] = t;
            }
        PendingTick& p = nextPending();
        p.t = t;
        bool anyProc = false;
        for (auto& c : cursors) {
            const double ct = c.table->timestamp(c.row);
            if (!(ct == t) && !(std::isnan(ct) && std::isnan(t))) continue;
            if (c.pid < 0) {
                p.hasSys = true;
                packRow(*c.src, *c.table, c.row, 0, p.sys);
            } else {
                p.procs += anyProc ? ",\"" : "{\"";
                anyProc = true;
                auto r = std::to_chars(pidText, pidText + sizeof pidText, c.pid);
                p.procs.append(pidText, r.ptr);
                p.procs += "\":";
                packRow(*c.src, *c.table, c.row, 1, p.procs);
            }
            ++c.row;
            ++c.src->staged;
        }
        if (anyProc) p.procs += '}';
        attachFootprint(p);
        closeBlocks(seq, t);
        ++seq;
        ++ticks;
        std::erase_if(cursors, [](const Cursor& c) { return c.row >= c.end; });
    }
    return cursors.empty();
}

void StoreWriter::stage(const Timeline& timeline, bool header) {
    // The header (metadata, unknown keys such as alert_intervals, the PIDs) is made again when
    // asked (at the end: end_time) or when it changed: new PIDs, changed extra keys.
    Impl& s = *d;
    if (header || s.headerPids != timeline.processes.size() || s.lastExtra != timeline.extra ||
        s.lastMetaExtra != timeline.metadata.extra) {
        Recording r;
        r.timeline.metadata = timeline.metadata;
        r.timeline.extra = timeline.extra;
        for (const auto& [pid, series] : timeline.processes) r.timeline.process(pid);
        s.headerExtras = static_cast<std::size_t>(-1);  // make updateHeader write it
        s.updateHeader(r);
        s.lastExtra = timeline.extra;
        s.lastMetaExtra = timeline.metadata.extra;
    }
    s.stageTimeline(timeline, std::numeric_limits<std::size_t>::max());
}

void StoreWriter::stage(const Recording& recording) {
    d->updateHeader(recording);
    d->stageTimeline(recording.timeline, std::numeric_limits<std::size_t>::max());
}

void StoreWriter::noteFootprint(const TickFootprint& footprint) {
    // Bounded: a writer that is never staged keeps at most a minute's worth at 0.01 s.
    if (d->footprints.size() >= 8192) return;
    d->footprints.push_back(footprint);
}

Status StoreWriter::commit() {
    Impl& s = *d;
    if (!s.pendingCount && s.newColumns.empty() && s.newStrings.empty() && s.pendingLevels.empty() && !s.headerDirty)
        return {};
    auto fail = [&](const char* what) -> Status {
        Status failed = failIo(s.path + ": " + what + ": " + s.db.message(), 0);
        (void)s.db.exec("ROLLBACK");
        return failed;
    };
    if (!s.run(s.begin, "BEGIN")) return failIo(s.path + ": " + s.db.message(), 0);
    if (!s.newColumns.empty()) {
        Statement* stp =
            s.prepared(s.insColumn, "INSERT INTO series_column(kind, pos, name, is_text) VALUES(?, ?, ?, ?)");
        if (!stp) return fail("writing columns");
        Statement& st = *stp;
        for (const auto& c : s.newColumns) {
            st.reset();
            st.bindInt(1, c.kind);
            st.bindInt(2, c.pos);
            st.bindText(3, c.name);
            st.bindInt(4, c.text ? 1 : 0);
            if (st.step() != SQLITE_DONE) return fail("writing columns");
        }
    }
    if (!s.newStrings.empty()) {
        Statement* stp = s.prepared(s.insString, "INSERT INTO string(id, text) VALUES(?, ?)");
        if (!stp) return fail("writing strings");
        Statement& st = *stp;
        for (const auto& [id, text] : s.newStrings) {
            st.reset();
            st.bindInt(1, id);
            st.bindText(2, text);
            if (st.step() != SQLITE_DONE) return fail("writing strings");
        }
    }
    if (s.headerDirty && !s.header.empty()) {
        Statement* st = s.prepared(s.putHeader, "INSERT OR REPLACE INTO meta(key, value) VALUES('header', ?)");
        if (!st) return fail("writing the header");
        st->reset();
        st->bindText(1, s.header);
        if (st->step() != SQLITE_DONE) return fail("writing the header");
        st->reset();  // releases the bound header text
    }
    if (s.pendingCount) {
        Statement* stp = s.prepared(
            s.insTick, "INSERT INTO tick(seq, t, sys, procs, self_cpu, late, missed) VALUES(?, ?, ?, ?, ?, ?, ?)");
        if (!stp) return fail("writing samples");
        Statement& st = *stp;
        const std::uint64_t firstSeq = s.seq - s.pendingCount;
        for (std::size_t i = 0; i < s.pendingCount; ++i) {
            const auto& p = s.pending[i];
            st.reset();
            st.bindInt(1, static_cast<std::int64_t>(firstSeq + i));
            st.bindDouble(2, p.t);
            if (p.hasSys) st.bindText(3, p.sys);
            else st.bindNull(3);
            if (!p.procs.empty()) st.bindText(4, p.procs);
            else st.bindNull(4);
            if (p.hasFootprint) {
                st.bindDouble(5, p.footprint.selfCpu);
                st.bindDouble(6, p.footprint.late);
                st.bindInt(7, static_cast<std::int64_t>(p.footprint.missed));
            } else {
                st.bindNull(5);
                st.bindNull(6);
                st.bindNull(7);
            }
            if (st.step() != SQLITE_DONE) return fail("writing samples");
        }
    }
    if (!s.pendingLevels.empty()) {
        Statement* stp = s.prepared(
            s.insLevel,
            "INSERT INTO level(level, block, first_seq, last_seq, t0, t1, data) VALUES(?, ?, ?, ?, ?, ?, ?)");
        if (!stp) return fail("writing levels");
        Statement& st = *stp;
        for (const auto& l : s.pendingLevels) {
            st.reset();
            st.bindInt(1, l.level);
            st.bindInt(2, static_cast<std::int64_t>(l.block));
            st.bindInt(3, static_cast<std::int64_t>(l.firstSeq));
            st.bindInt(4, static_cast<std::int64_t>(l.lastSeq));
            st.bindDouble(5, l.t0);
            st.bindDouble(6, l.t1);
            st.bindText(7, l.data);
            if (st.step() != SQLITE_DONE) return fail("writing levels");
        }
    }
    if (!s.run(s.commitTx, "COMMIT")) return fail("committing");
    s.newColumns.clear();
    s.newStrings.clear();
    s.pendingLevels.clear();
    s.pendingCount = 0;
    s.headerDirty = false;
    return {};
}

Status StoreWriter::finish() {
    d->headerDirty = true;
    if (Status committed = commit(); !committed) return committed;
    if (Status closed = d->db.exec("UPDATE meta SET value = '1' WHERE key = 'closed'"); !closed) return closed;
    // Fold the WAL into the database so that the file stands alone (and a reader without
    // write access opens it without the -shm file).
    (void)d->db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    // Back to a rollback journal when no reader holds it: a closed recording is then one file
    // that opens read-only anywhere (fails harmlessly while a viewer follows it).
    d->finalizeStatements();
    (void)d->db.exec("PRAGMA journal_mode=DELETE");
    return {};
}

Status saveStore(const std::string& path, const Recording& recording) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
        return fail(path + ": exists and is not a regular file", ErrorKind::Io);
    // Like `record`: a store (or an empty file) is replaced, anything else someone named
    // NAME.llrec is theirs.
    if (st.st_size > 0 && S_ISREG(st.st_mode) && !looksLikeStore(path))
        return fail(path + ": exists and is not a .llrec store (refusing to overwrite it)", ErrorKind::Io);
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    {
        StoreWriter w;
        WriterOptions o;
        o.replace = true;
        o.sampleInterval = recording.timeline.metadata.sampleInterval.value_or(0);
        if (Status created = w.create(tmp, o); !created) return created;
        w.d->updateHeader(recording);
        // In pieces: the text of a long recording is not held in memory at once.
        for (;;) {
            const bool done = w.d->stageTimeline(recording.timeline, 65536);
            if (Status committed = w.commit(); !committed) {
                ::unlink(tmp.c_str());
                return committed;
            }
            if (done) break;
        }
        if (Status finished = w.finish(); !finished) {
            ::unlink(tmp.c_str());
            return finished;
        }
        w.d->db.close();
    }
    ::unlink((tmp + "-wal").c_str());
    ::unlink((tmp + "-shm").c_str());
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return failIo(path + ": cannot rename into place: " + std::strerror(err), err);
    }
    ::unlink((path + "-wal").c_str());
    ::unlink((path + "-shm").c_str());
    return {};
}

}  // namespace loadline::core::store
