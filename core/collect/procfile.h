#pragma once
// Kept-open /proc and /sys files read with pread(2) into a reused buffer.
// Why: opening a /proc file costs more than reading it, and a kept-open /proc/PID/* fd fails
// with ESRCH once that process exits, so a reused PID can never be read through it.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loadline::core {

/** Where the readers look. Tests point these at fixture trees (tests/data/proc/<case>/). */
struct ProcRoots {
    std::string proc = "/proc";
    std::string sys = "/sys";
};

/** One kept-open file, re-read from offset 0 on every read(). Move-only. */
class ProcFile {
public:
    ProcFile() = default;
    ~ProcFile() { close(); }
    ProcFile(ProcFile&& o) noexcept;
    ProcFile& operator=(ProcFile&& o) noexcept;
    ProcFile(const ProcFile&) = delete;
    ProcFile& operator=(const ProcFile&) = delete;

    /** Opens path read-only. Returns false and keeps errno in lastError() on failure. */
    bool open(const std::string& path);
    /** Opens name relative to a directory fd. */
    bool openAt(int dirFd, const char* name);
    bool isOpen() const { return m_fd >= 0; }
    void close();

    /**
     * The whole content, or nullopt (lastError(): ESRCH when the process exited, EACCES, ...).
     * The view points into this object's buffer and stays valid until the next read().
     * Allocation-free once the buffer has grown to the file's size.
     */
    std::optional<std::string_view> read();
    int lastError() const { return m_error; }

private:
    int m_fd = -1;
    int m_error = 0;
    std::vector<char> m_buf;
};

/** Reads a whole file once (open, read, close). For files read rarely (cmdline, mounts, sysfs). */
bool readWholeFile(const std::string& path, std::string& out, int* error = nullptr);

/** Clock ticks per second and page size, from sysconf (tests may pass others). */
struct HostConstants {
    long clockTicks = 100;
    long pageSize = 4096;
    static HostConstants fromSystem();
};

}  // namespace loadline::core
