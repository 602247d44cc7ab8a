#pragma once
// Saving a growing, bounded timeline again and again (loadline-cli record's checkpoints) at the
// cost of what is new. Each sample's text is made once and kept until the ring drops the sample,
// so a checkpoint of 3,600 samples x 11 series formats the last few seconds' samples and copies
// the rest, instead of formatting every number again. The file is byte for byte what
// saveTimelineFile writes for the same timeline (tested), and is saved atomically.
//
//   TimelineCheckpoint checkpoint;
//   sampler.withTimeline([&](const Timeline& t) { checkpoint.update(t); });  // under the lock
//   checkpoint.save(path);                                                    // the I/O, unlocked
//
// A sample's text is reused only while its table's columns (and so its keys) are unchanged, and
// while no existing row was rewritten (SeriesTable::rewrites()); otherwise it is made again.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/timeline/timeline.h"

namespace loadline::core {

namespace jsontext {
class TextWriter;
}

class TimelineCheckpoint {
public:
    TimelineCheckpoint();
    ~TimelineCheckpoint();

    /** Brings the cached text up to date with timeline (formats only rows not seen before). */
    void update(const Timeline& timeline);

    /** Writes the timeline as of the last update() to path atomically (temp file, fsync, rename). */
    Status save(const std::string& path);

    /** The text save() writes (for tests). */
    std::string text();

    /** Rows formatted by the updates so far (tests and benchmarks: a measure of the work). */
    std::uint64_t rowsFormatted() const { return m_rowsFormatted; }

private:
    struct Series;
    void updateSeries(Series& cache, const SeriesTable& table, int depth);
    void write(jsontext::TextWriter& w);

    std::map<int, Series> m_series;  // key -1: the system table; else a PID
    Timeline m_shell;                // metadata, extras and the PIDs, without samples
    std::uint64_t m_rowsFormatted = 0;
    std::string m_buffer;  // kept between saves: no fresh pages to fault in each time
};

}  // namespace loadline::core
