#pragma once
// An advisory lock that one writer (`loadline-cli record`, `convert`) holds on a file for as long
// as it writes it, so a second writer is refused with a clear message instead of both rewriting
// the file and one silently winning. Recordings and stores are replaced atomically (a new inode at
// each save), so the lock lives on a companion file "FILE.lock" (flock(2); the kernel drops it when
// the process ends, however it ends); the holder's PID is written into it for the message.
// FILE is the resolved path (resolveOutput): two names for one file (a symlink, "./x" and "x")
// take the same lock.

#include <string>

#include "core/format/recordingio.h"

namespace loadline::core {

/** `loadline-cli record -o FILE` journals a py-perf JSON FILE in FILE + this (a .llrec store). */
inline constexpr const char* kRecordJournalSuffix = ".llrec";

/** Where an output file really goes. */
struct OutputTarget {
    /** The file written: realpath of the directory + the name; for a symbolic link to a regular
     *  file, the file it points to. */
    std::string path;
    /** A FIFO, socket or device (or a symlink to one): written to directly, never replaced, and
     *  nothing is created beside it. */
    bool special = false;
};

/** Resolves output ("-" is not an output file); an error (path: the output) says what is wrong:
 *  its directory does not exist, it is a directory, a dangling symbolic link. */
Result<OutputTarget> resolveOutput(const std::string& output);

class OutputLock {
public:
    OutputLock() = default;
    ~OutputLock();
    OutputLock(OutputLock&& other) noexcept;
    OutputLock& operator=(OutputLock&& other) noexcept;
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;

    /** Takes the lock for output (resolved first; a special file is not locked); an error
     *  ("... is being written by PID N") when another process (or another lock in this one)
     *  holds it, or when output cannot be resolved. */
    Status acquire(const std::string& output);
    bool held() const { return m_fd >= 0; }
    /** Releases the lock and removes the companion file. */
    void release();

    /** The PID of the process that holds the lock of output (resolved), 0 when none does (or the
     *  holder's PID is unknown: -1). Never creates the lock file. */
    static long holder(const std::string& output);

private:
    int m_fd = -1;
    std::string m_path;
};

/**
 * A py-perf JSON that `loadline-cli record` is writing appears only when the recording ends;
 * until then its samples are in the journal beside it, which the recorder holds locked. When
 * path is such a file, says so: a warning on a loaded recording (an earlier version of the file),
 * or a note added to the error (no file yet). Otherwise result is returned as it is.
 */
LoadResult noteBeingRecorded(const std::string& path, LoadResult result);

}  // namespace loadline::core
