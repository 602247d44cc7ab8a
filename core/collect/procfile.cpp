#include "core/collect/procfile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace loadline::core {

namespace {

// what is a literal short enough for std::string's in-place buffer (15 characters in libstdc++),
// so building the Error allocates nothing.
tl::unexpected<Error> procFileError(const char* what, int errnum) {
    Error e;
    e.kind = ErrorKind::Io;
    e.message = what;
    e.errnum = errnum;
    return tl::unexpected<Error>(std::move(e));
}

}  // namespace

ProcFile::ProcFile(ProcFile&& o) noexcept : m_fd(o.m_fd), m_openErrno(o.m_openErrno), m_buf(std::move(o.m_buf)) {
    o.m_fd = -1;
}

ProcFile& ProcFile::operator=(ProcFile&& o) noexcept {
    if (this != &o) {
        close();
        m_fd = o.m_fd;
        m_openErrno = o.m_openErrno;
        m_buf = std::move(o.m_buf);
        o.m_fd = -1;
    }
    return *this;
}

Status ProcFile::open(const std::string& path) {
    close();
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    m_openErrno = m_fd < 0 ? errno : 0;
    if (m_fd < 0) return procFileError("cannot open", m_openErrno);
    return {};
}

Status ProcFile::openAt(int dirFd, const char* name) {
    close();
    m_fd = ::openat(dirFd, name, O_RDONLY | O_CLOEXEC);
    m_openErrno = m_fd < 0 ? errno : 0;
    if (m_fd < 0) return procFileError("cannot open", m_openErrno);
    return {};
}

void ProcFile::close() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

Result<std::string_view> ProcFile::read() {
    if (m_fd < 0) return procFileError("not open", m_openErrno ? m_openErrno : EBADF);
    if (m_buf.empty()) m_buf.resize(4096);
    for (;;) {
        // One pread from offset 0: seq_file fills the whole buffer when the content fits, so a
        // result shorter than the buffer is the whole file. A full buffer means "maybe more":
        // grow and read again (the grown buffer is kept, so this happens once per file).
        ssize_t n = ::pread(m_fd, m_buf.data(), m_buf.size(), 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return procFileError("cannot read", errno);
        }
        if (static_cast<std::size_t>(n) < m_buf.size())
            return std::string_view(m_buf.data(), static_cast<std::size_t>(n));
        if (m_buf.size() >= (std::size_t{64} << 20))  // 64 MiB: not a /proc file we expect
            return procFileError("too large", EFBIG);
        m_buf.resize(m_buf.size() * 2);
    }
}

Status readWholeFile(const std::string& path, std::string& out) {
    auto failed = [&](int errnum) {
        Error e;
        e.kind = ErrorKind::Io;
        e.message = std::strerror(errnum);
        e.path = path;
        e.errnum = errnum;
        return tl::unexpected<Error>(std::move(e));
    };
    out.clear();
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return failed(errno);
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int e = errno;
            ::close(fd);
            return failed(e);
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return {};
}

HostConstants HostConstants::fromSystem() {
    HostConstants c;
    long t = ::sysconf(_SC_CLK_TCK);
    long p = ::sysconf(_SC_PAGESIZE);
    if (t > 0) c.clockTicks = t;
    if (p > 0) c.pageSize = p;
    return c;
}

}  // namespace loadline::core
