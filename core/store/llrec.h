#pragma once
// Module core/store: the .llrec store for recordings of any length (SQLite). It registers
// itself as a backend of core/format, so loadRecordingFile()/saveRecordingFile() open and
// write .llrec files; loadline-cli record/convert/inspect and the window (following a store as
// it grows) use it through that and through this header.
//
// The .llrec store: a recording of any length in one SQLite database (WAL mode), appended to as
// it records, readable while it is written and after a crash, and by anyone with the `sqlite3`
// command-line tool. The layout is specified in docs/llrec-format.md; in short:
//
//   meta(key, value)                  format, version, sample interval, the py-perf header (the
//                                     recording without samples, as JSON), whether it was closed
//   series_column(kind, pos, name, is_text)   column names of the packed arrays (kind 0: system,
//                                     1: processes; every process shares one list)
//   string(id, text)                  text values (name, status, cmdline), referenced by id
//   tick(seq, t, sys, procs, self_cpu, late, missed)
//                                     one packed row per tick: sys is a JSON array of the system
//                                     sample's values in series_column order, procs a JSON object
//                                     {"PID": [values...]}; the recorder's own CPU seconds and the
//                                     tick's lateness ride along
//   level(level, block, ...)          consolidated levels: per block of 32^level ticks and per
//                                     column, the chart's per-column summary (BlockSummary: min,
//                                     max, integral and duration of the joined line)
//
// Writing costs what the new ticks cost: nothing already stored is read or rewritten.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/format/recordingio.h"
#include "core/timeline/timeline.h"

struct sqlite3;

namespace loadline::core::store {

/** The file name extension of a store. */
inline constexpr const char* kExtension = ".llrec";
/** A py-perf JSON output FILE is journaled in FILE + kJournalSuffix while recording. */
inline constexpr const char* kJournalSuffix = ".llrec";
/** Ticks per block of consolidated level 1; level L has kLevelBase^L ticks per block. */
inline constexpr std::uint64_t kLevelBase = 32;
inline constexpr int kLevels = 4;
/** Format version written in meta("format_version"). */
inline constexpr int kFormatVersion = 1;

/** Whether the file starts with SQLite's header ("SQLite format 3\0"). */
bool looksLikeStore(const std::string& path);
/** Whether the name ends in .llrec. */
bool hasStoreExtension(std::string_view path);

/** The recorder's own cost at one tick (stored beside the tick). */
struct TickFootprint {
    double time = 0;           // the tick's system timestamp (epoch seconds)
    double selfCpu = 0;        // CPU seconds the recorder process used so far (all threads)
    double late = 0;           // seconds the tick started after its deadline
    std::uint64_t missed = 0;  // whole periods skipped before this tick (a stall, a suspended VM)
};

struct WriterOptions {
    /** Seconds between samples (meta, and the gap limit of the levels: 3 x interval). */
    double sampleInterval = 0;
    /** Replace an existing file (convert) instead of refusing to overwrite a non-store. */
    bool replace = false;
};

/**
 * Appends a growing timeline to a store. Not thread-safe; the recorder calls stage() under the
 * sampler's lock (a copy of the new rows, no I/O) and commit() outside it (one transaction).
 * Per-call cost and memory are proportional to the rows new since the last stage(): the
 * timeline may be a bounded ring, as long as stage() runs before the ring drops unstaged rows.
 */
class StoreWriter {
public:
    StoreWriter();
    ~StoreWriter();
    StoreWriter(const StoreWriter&) = delete;
    StoreWriter& operator=(const StoreWriter&) = delete;

    /** Creates path (refusing an existing file that is not empty unless options.replace). */
    Status create(const std::string& path, const WriterOptions& options);
    /** Copies the rows of timeline not staged yet, and the header (metadata, extras, PIDs) when
     *  it changed or when header is true (the last stage before finish(): end_time). */
    void stage(const Timeline& timeline, bool header = false);
    /** The same for a whole recording (performance summaries keep their timings in the header). */
    void stage(const Recording& recording);
    /** Remembers the recorder's footprint for the tick with this system timestamp. */
    void noteFootprint(const TickFootprint& footprint);
    /** Writes everything staged in one transaction (the data survives a kill -9 after it returns). */
    Status commit();
    /** Commits and marks the recording as closed (a reader then gives no "not closed" warning). */
    Status finish();
    /** Rows written so far (system + process rows). */
    std::uint64_t rowsWritten() const;
    std::uint64_t ticksWritten() const;
    /** Ticks in the file as of the last successful commit (what a reader or a crash keeps). */
    std::uint64_t ticksCommitted() const;
    const std::string& path() const;

private:
    friend Status saveStore(const std::string& path, const Recording& recording);
    struct Impl;
    std::unique_ptr<Impl> d;
};

struct ReadOptions {
    /** Only ticks with from <= t <= to (NaN: unbounded). */
    double from = kMissing;
    double to = kMissing;
    /** Keep only the newest N ticks of the range (0 = all). */
    std::size_t maxSamples = 0;
    /** Progress and cancel, as LoadOptions::progress. */
    std::function<bool(double)> progress;
};

/** Opens a store as a Recording (warnings say when it was not closed, or opened immutable). */
LoadResult loadStore(const std::string& path, const ReadOptions& options = {});

/**
 * Where a reader following a recording in progress stands (like `tail -f`): the last tick it
 * read and whether the store says the recording is closed (its writer finished).
 */
struct StoreCursor {
    std::int64_t lastSeq = -1;  // tick.seq of the last tick read; -1: none yet
    bool closed = false;
};
/**
 * Reads only the ticks committed after cursor.lastSeq, as a Recording holding just them (header
 * and metadata as stored now, no warnings), and advances the cursor. With lastSeq -1, the ticks
 * after time `after` (a caller that loaded the store with loadStore() and holds ticks up to its
 * last timestamp), or every tick when `after` is NaN. The cost is that of the new ticks (and a
 * seek back from the newest tick to `after` once), not of the whole store.
 */
LoadResult loadStoreTicksAfter(const std::string& path, StoreCursor& cursor, double after = kMissing);
/**
 * Appends the rows of `from` (ticks read by loadStoreTicksAfter) to `into`: the system table and
 * every process, columns matched by name (new columns and processes are added).
 */
void appendTicks(Timeline& into, const Timeline& from);

/** One consolidated block of one column, as stored. */
struct LevelBlock {
    double t0 = 0, t1 = 0;  // first and last tick time of the block
    float lo = 0, hi = 0;   // NaN when the block holds no value
    double area = 0, duration = 0;
};
/**
 * The consolidated blocks of level `level` for one column of the system table (pid < 0) or of
 * a process, in time order; an error when the store or column is unknown.
 */
Result<std::vector<LevelBlock>> readLevel(const std::string& path, int level, int pid, const std::string& column);

/** Saves a recording as a store (convert): atomically, via a temporary file and rename. */
Status saveStore(const std::string& path, const Recording& recording);

}  // namespace loadline::core::store
