#pragma once
// The bytes of a file for the loader: a read-only private mapping of a regular file (no copy; the
// pages already parsed are given back as loading goes, so peak memory stays near the size of
// the columns), or the bytes read into memory for pipes and /proc files. Internal to core/format.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <sys/stat.h>

#include "core/base/result.h"
#include "core/format/sigbusguard.h"

namespace loadline::core::detail {

class FileBytes {
public:
    FileBytes() = default;
    FileBytes(const FileBytes&) = delete;
    FileBytes& operator=(const FileBytes&) = delete;
    ~FileBytes();

    /** An error (kind Io, errnum set) whose message names the failing step ("cannot open", ...);
     *  the caller adds the path. */
    Status open(const std::string& path);
    std::string_view bytes() const;
    /** Gives back the mapped pages before offset (they stay in the page cache). */
    void dropBefore(std::size_t offset);
    /**
     * True when another program wrote to the file since open() (its size or modification time
     * moved, or it shrank under the mapping: those bytes then read as zeros, not a SIGBUS).
     * What was read may mix old and new bytes. A writer that replaces the file by rename (ours)
     * leaves the opened one untouched.
     */
    bool changedSinceOpen() const;

private:
    int m_fd = -1;
    struct stat m_opened {};
    std::unique_ptr<SigbusGuard> m_guard;
    void* m_map = nullptr;
    std::size_t m_size = 0;
    std::size_t m_dropped = 0;
    std::string m_copy;
};

}  // namespace loadline::core::detail
