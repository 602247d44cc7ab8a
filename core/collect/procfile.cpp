#include "core/collect/procfile.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace loadline::core {

ProcFile::ProcFile(ProcFile&& o) noexcept : m_fd(o.m_fd), m_error(o.m_error), m_buf(std::move(o.m_buf)) { o.m_fd = -1; }

ProcFile& ProcFile::operator=(ProcFile&& o) noexcept {
    if (this != &o) {
        close();
        m_fd = o.m_fd;
        m_error = o.m_error;
        m_buf = std::move(o.m_buf);
        o.m_fd = -1;
    }
    return *this;
}

bool ProcFile::open(const std::string& path) {
    close();
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    m_error = m_fd < 0 ? errno : 0;
    return m_fd >= 0;
}

bool ProcFile::openAt(int dirFd, const char* name) {
    close();
    m_fd = ::openat(dirFd, name, O_RDONLY | O_CLOEXEC);
    m_error = m_fd < 0 ? errno : 0;
    return m_fd >= 0;
}

void ProcFile::close() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

std::optional<std::string_view> ProcFile::read() {
    if (m_fd < 0) return std::nullopt;
    if (m_buf.empty()) m_buf.resize(4096);
    for (;;) {
        // One pread from offset 0: seq_file fills the whole buffer when the content fits, so a
        // result shorter than the buffer is the whole file. A full buffer means "maybe more":
        // grow and read again (the grown buffer is kept, so this happens once per file).
        ssize_t n = ::pread(m_fd, m_buf.data(), m_buf.size(), 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            m_error = errno;
            return std::nullopt;
        }
        if (static_cast<std::size_t>(n) < m_buf.size()) {
            m_error = 0;
            return std::string_view(m_buf.data(), static_cast<std::size_t>(n));
        }
        if (m_buf.size() >= (std::size_t{64} << 20)) {  // 64 MiB: not a /proc file we expect
            m_error = EFBIG;
            return std::nullopt;
        }
        m_buf.resize(m_buf.size() * 2);
    }
}

bool readWholeFile(const std::string& path, std::string& out, int* error) {
    out.clear();
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (error) *error = errno;
        return false;
    }
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (error) *error = errno;
            ::close(fd);
            return false;
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (error) *error = 0;
    return true;
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
