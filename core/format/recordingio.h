#pragma once
// Module core/format: recordings on disk: py-perf's JSON timelines and performance summaries
// read (a streaming loader with errors pinned to FILE:LINE:COLUMN) and written (atomic saves,
// checkpoints of a growing timeline), plus loadline's JSON helpers. Used by every command of
// loadline-cli that opens or writes a file, by the window's loader, by the .llrec store
// (core/store) and by serve's history.
//
// Reading and writing py-perf's two recording formats: the timeline
// ({"system","processes","metadata"}) and the performance summary
// ({"session_id","function_timings","system_timeline"}).
//
// API CONTRACT shared by every part of loadline; core/format implements it.
//
// Conventions (README "Opening recordings"):
//  - Every numeric key of a sample is a SeriesTable column of that name; a string key is a text
//    column (name, status, cmdline and unknown strings); an array of numbers "key": [a, b] is the
//    columns "key[0]", "key[1]" and is written back as the array. NaN = missing: a missing value
//    is left out of the sample when written (py-perf omits what it lacks).
//  - null, NaN and +-Infinity in a file are missing values. A sample with a missing timestamp or a
//    wrong-typed field is skipped with a warning naming its JSON path (Recording::warnings).
//  - Unknown keys outside samples are kept as ExtraFields (raw JSON) and written back.
//  - A summary whose system_timeline is {} / null / only a comment has an empty timeline.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/base/result.h"
#include "core/timeline/timeline.h"

namespace loadline::core {

/** Sample storage a load may allocate: kMaxLoadMemoryPerFileByte bytes per byte of the file plus
 *  kLoadMemoryAllowance; beyond it the load fails with an error naming the columns and samples. */
inline constexpr std::uint64_t kMaxLoadMemoryPerFileByte = 8;
inline constexpr std::uint64_t kLoadMemoryAllowance = 64ull * 1024 * 1024;

struct LoadOptions {
    /**
     * Called now and then (every 8 MB of input, then with 1.0) with the fraction done, on the
     * loading thread; return false to cancel (the result is then an error of kind Cancelled).
     */
    std::function<bool(double fraction)> progress;
    /**
     * Set (from any thread) to stop the load: checked at every sample and function timing, so a
     * load stops within one sample however small the file; the result is then an error of kind
     * Cancelled.
     */
    const std::atomic_bool* cancel = nullptr;
    /** Bound of the loaded tables (0 = keep everything). */
    std::size_t maxSamples = 0;
};

/**
 * A loaded recording (its warnings inside), or why it did not open: an Error with path, and
 * line/column (1-based) when it is about a position in the file (0 for OS errors, kind Io);
 * toString() is "FILE:LINE:COLUMN: message", or "FILE: message" without a position. A cancelled
 * load is an error of kind Cancelled ("FILE: loading cancelled").
 */
using LoadResult = Result<Recording>;

/** Opens a timeline or a performance summary, detecting which by its keys. */
LoadResult loadRecordingFile(const std::string& path, const LoadOptions& options = {});
/** The same from bytes in memory; nameForErrors stands in for the path in messages. */
LoadResult loadRecordingFromString(std::string_view json, std::string_view nameForErrors = "<input>",
                                   const LoadOptions& options = {});

/**
 * The file text of a recording, laid out as py-perf's json.dump(indent=2) writes it (py-perf's
 * key order, extra columns as extra keys, an array column "key[i]" as "key": [...]), with a final
 * newline. Streamed without a DOM: cheap for long recordings.
 */
std::string recordingToText(const Recording& recording);
std::string timelineToText(const Timeline& timeline);

/** One sample (row) of a table as py-perf writes it: a JSON object, indented as at the top level. */
std::string sampleToText(const SeriesTable& table, std::size_t row);
/** A table's samples as py-perf's array of sample objects ("[]" when empty). */
std::string samplesToText(const SeriesTable& table);

/** A DOM of the recording's text, for tests that look inside it; writers use the text functions. */
nlohmann::json recordingToJson(const Recording& recording);

/**
 * Writes bytes atomically: temp file in the same directory, fsync, rename, fsync of the directory.
 * On failure the old file (if any) is untouched; the error (kind Io, errno kept) has path and
 * reason, toString() "PATH: reason".
 */
Status writeFileAtomically(const std::string& path, std::string_view bytes);
/**
 * The same, with the bytes produced in pieces: produce calls write(chunk) as often as it likes
 * and returns false to give up (write returns false once writing failed). For big files.
 */
Status writeFileAtomically(const std::string& path,
                           const std::function<bool(const std::function<bool(std::string_view)>& write)>& produce);
/**
 * Where a command's single output goes: "-" is standard output (written directly, every write
 * checked: a full disk or closed pipe is an error naming "standard output"); any other path is
 * writeFileAtomically (a FIFO, socket or device is written directly, never replaced).
 */
Status writeOutput(const std::string& path, std::string_view bytes);

/** recordingToJson dumped with indent 2 (as py-perf's json.dump(indent=2)), saved atomically. */
Status saveRecordingFile(const std::string& path, const Recording& recording);
/** Convenience: a plain timeline file. */
Status saveTimelineFile(const std::string& path, const Timeline& timeline);

}  // namespace loadline::core
