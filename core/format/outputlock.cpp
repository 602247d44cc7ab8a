#include "core/format/outputlock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace loadline::core {

OutputLock::~OutputLock() { release(); }

OutputLock::OutputLock(OutputLock&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_path(std::move(other.m_path)) {}

OutputLock& OutputLock::operator=(OutputLock&& other) noexcept {
    if (this != &other) {
        release();
        m_fd = std::exchange(other.m_fd, -1);
        m_path = std::move(other.m_path);
    }
    return *this;
}

bool OutputLock::acquire(const std::string& output, std::string* error) {
    release();
    // A FIFO or device output (`-o /dev/stdout`) has no companion file to lock beside it.
    struct stat st {};
    if (::stat(output.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return true;
    const std::string path = output + ".lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        if (error) *error = path + ": cannot create the lock file: " + std::strerror(errno);
        return false;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        char buf[32] = {};
        const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
        ::close(fd);
        if (err == EWOULDBLOCK) {
            std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("?");
            while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
            if (error)
                *error = output + ": another loadline recorder (PID " + pid +
                         ") is writing this file; stop it first or choose another -o";
        } else if (error) {
            *error = path + ": cannot lock: " + std::strerror(err);
        }
        return false;
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
    m_fd = fd;
    m_path = path;
    return true;
}

void OutputLock::release() {
    if (m_fd < 0) return;
    ::unlink(m_path.c_str());  // while still locked: a waiting recorder then creates a fresh one
    ::close(m_fd);
    m_fd = -1;
}

}  // namespace loadline::core
