#pragma once
// Kept-open /proc and /sys files read with pread(2) into a reused buffer.
// Why: opening a /proc file costs more than reading it, and a kept-open /proc/PID/* fd fails
// with ESRCH once that process exits, so a reused PID can never be read through it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace loadline::core {

/** Where the readers look. Tests point these at fixture trees (tests/data/proc/<case>/). */
struct ProcRoots {
    std::string proc = "/proc";
    std::string sys = "/sys";
};

/**
 * One kept-open file, re-read from offset 0 on every read(). Move-only.
 *
 * Failures are an Error of kind Io whose errnum says why (ENOENT, EACCES, ESRCH when the
 * process exited, EOPNOTSUPP reading a cgroup's *.pressure under psi=0, EFBIG past 64 MiB)
 * and whose message is a short fixed text ("cannot open", "cannot read"): the Error
 * allocates nothing even on failure, since a file that fails on every tick must not allocate
 * on every tick. ProcFile does not keep its path (that would allocate per open): a caller that
 * reports the failure names the path and std::strerror(errnum) itself.
 */
class ProcFile {
public:
    ProcFile() = default;
    ~ProcFile() { close(); }
    ProcFile(ProcFile&& o) noexcept;
    ProcFile& operator=(ProcFile&& o) noexcept;
    ProcFile(const ProcFile&) = delete;
    ProcFile& operator=(const ProcFile&) = delete;

    /** Opens path read-only (closing what was open). */
    Status open(const std::string& path);
    /** Opens name relative to a directory fd. */
    Status openAt(int dirFd, const char* name);
    bool isOpen() const { return m_fd >= 0; }
    void close();

    /**
     * The whole content, or the read's Error (ESRCH when the process exited, EACCES, ...; the
     * open's errno when the file is not open because open() failed, else EBADF). The view
     * points into this object's buffer and stays valid until the next read().
     * Allocation-free once the buffer has grown to the file's size.
     */
    Result<std::string_view> read();

private:
    int m_fd = -1;
    int m_openErrno = 0;  // why the last open failed: what read() of a file not open reports
    std::vector<char> m_buf;
};

/**
 * Reads a whole file once (open, read, close) into out (cleared first). For files read rarely
 * (cmdline, mounts, sysfs). The Error (kind Io) has the file in path, its errno in errnum, and
 * std::strerror's text as message: toString() is "PATH: No such file or directory".
 */
Status readWholeFile(const std::string& path, std::string& out);

/** Clock ticks per second and page size, from sysconf (tests may pass others). */
struct HostConstants {
    long clockTicks = 100;
    long pageSize = 4096;
    static HostConstants fromSystem();
};

}  // namespace loadline::core
