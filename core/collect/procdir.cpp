#include "core/collect/procdir.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace loadline::core {

namespace {

struct LinuxDirent64 {
    std::uint64_t d_ino;
    std::int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/** Calls f(const char* name, ino) for each entry; 0, or the errno of the failing call. */
template <class F>
int forEachEntry(int dirFd, std::vector<char>& buf, F&& f) {
    if (::lseek(dirFd, 0, SEEK_SET) < 0) return errno;
    if (buf.size() < 32768) buf.resize(32768);
    for (;;) {
        long n = ::syscall(SYS_getdents64, dirFd, buf.data(), buf.size());
        if (n < 0) return errno;
        if (n == 0) return 0;
        for (long off = 0; off < n;) {
            auto* d = reinterpret_cast<const LinuxDirent64*>(buf.data() + off);
            f(static_cast<const char*>(d->d_name), d->d_ino);
            off += d->d_reclen;
        }
    }
}

}  // namespace

int countDirEntries(int dirFd, std::vector<char>& buf) {
    int count = 0;
    const int err = forEachEntry(dirFd, buf, [&](const char* nm, std::uint64_t) {
        if (!(nm[0] == '.' && (nm[1] == 0 || (nm[1] == '.' && nm[2] == 0)))) ++count;
    });
    return err == 0 ? count : -1;
}

PidLister::PidLister(const std::string& procRoot) : m_root(procRoot) {
    m_fd = ::open(procRoot.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (m_fd < 0) m_openErrno = errno;
}

Status PidLister::failed(int errnum) const {
    return failIoAt(m_root, std::string("cannot list processes: ") + std::strerror(errnum), errnum);
}

PidLister::~PidLister() {
    if (m_fd >= 0) ::close(m_fd);
}

namespace {
/** The PID an entry name spells, 0 when it is not one (".", "self", "net", ...). */
int pidOfName(const char* nm) {
    long v = 0;
    const char* p = nm;
    if (*p < '1' || *p > '9') return 0;
    for (; *p; ++p) {
        if (*p < '0' || *p > '9') return 0;
        v = v * 10 + (*p - '0');
        if (v > 0x3fffffff) return 0;
    }
    return static_cast<int>(v);
}
}  // namespace

Status PidLister::list(std::vector<int>& pids) {
    pids.clear();
    if (m_fd < 0) return failed(m_openErrno);
    if (int err = forEachEntry(m_fd, m_buf, [&](const char* nm, std::uint64_t) {
            if (int pid = pidOfName(nm)) pids.push_back(pid);
        }))
        return failed(err);
    return {};
}

Status PidLister::list(std::vector<Entry>& entries) {
    entries.clear();
    if (m_fd < 0) return failed(m_openErrno);
    if (int err = forEachEntry(m_fd, m_buf, [&](const char* nm, std::uint64_t ino) {
            if (int pid = pidOfName(nm)) entries.push_back({pid, ino});
        }))
        return failed(err);
    return {};
}

}  // namespace loadline::core
