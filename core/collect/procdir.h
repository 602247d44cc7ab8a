#pragma once
// Listing /proc and /proc/PID/fd through a kept-open directory fd and getdents64 into a reused
// buffer: no DIR* allocation per scan (opendir/readdir allocate).

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/result.h"

namespace loadline::core {

/** Number of entries (without . and ..) of a kept-open directory; -1 on error (EACCES...). */
int countDirEntries(int dirFd, std::vector<char>& buf);

/** The numeric entries (PIDs) of a /proc directory. */
class PidLister {
public:
    explicit PidLister(const std::string& procRoot = "/proc");
    ~PidLister();
    PidLister(const PidLister&) = delete;
    PidLister& operator=(const PidLister&) = delete;
    bool isOpen() const { return m_fd >= 0; }
    /** Fills pids (reused) with every PID now listed; an Io error (the directory, errno) when
     *  /proc cannot be opened or read. */
    Status list(std::vector<int>& pids);
    /** A PID and the inode number getdents64 reports for its /proc/PID directory. procfs gives
     *  a new PID's directory a new inode (its dentries are flushed when a process is reaped),
     *  so a changed inode under the same PID tells a reused PID without reading a file. */
    struct Entry {
        int pid;
        std::uint64_t ino;
    };
    /** Fills entries (reused) with every PID now listed and its inode; errors as list(pids). */
    Status list(std::vector<Entry>& entries);

private:
    Status failed(int errnum) const;
    std::string m_root;
    int m_fd = -1;
    int m_openErrno = 0;
    std::vector<char> m_buf;
};

}  // namespace loadline::core
