#include "core/format/outputlock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace loadline::core {

namespace {

std::string realPath(const std::string& path) {
    std::string out;
    if (char* real = ::realpath(path.c_str(), nullptr)) {
        out = real;
        std::free(real);
    }
    return out;
}

long readPid(int fd) {
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return -1;
    char* end = nullptr;
    const long pid = std::strtol(buf, &end, 10);
    return end != buf && pid > 0 ? pid : -1;
}

Result<OutputTarget> resolveOutputAt(const std::string& output, const std::string& named, int depth);

}  // namespace

Result<OutputTarget> resolveOutput(const std::string& output) { return resolveOutputAt(output, output, 0); }

namespace {

/** resolveOutput for named, a name output leads to (output itself, or a link's target). */
Result<OutputTarget> resolveOutputAt(const std::string& output, const std::string& named, int depth) {
    OutputTarget target;
    // toString() is "OUTPUT: why".
    auto fail = [&](const std::string& why, int err = 0) -> Result<OutputTarget> {
        Error e;
        e.kind = ErrorKind::Io;
        e.path = output;
        e.message = why;
        e.errnum = err;
        return tl::unexpected<Error>(std::move(e));
    };
    if (output.empty()) return fail("no file name");
    struct stat link {};
    if (::lstat(named.c_str(), &link) == 0) {
        struct stat st {};
        if (::stat(named.c_str(), &st) != 0) {
            if (S_ISLNK(link.st_mode)) {
                // A link to a file not written yet: the file it names is created (the link stays).
                std::string to(PATH_MAX, '\0');
                const ssize_t n = ::readlink(named.c_str(), to.data(), to.size());
                if (n <= 0 || depth >= 40) return fail("cannot resolve the symbolic link");
                to.resize(static_cast<std::size_t>(n));
                const std::size_t slash = named.rfind('/');
                if (to.front() != '/' && slash != std::string::npos) to = named.substr(0, slash + 1) + to;
                return resolveOutputAt(output, to, depth + 1);
            }
            return fail(std::string("cannot stat: ") + std::strerror(errno), errno);
        }
        if (S_ISDIR(st.st_mode)) return fail("is a directory");
        if (!S_ISREG(st.st_mode)) {
            // /dev/stdout resolves to "pipe:[N]" (no path): the name itself is what is opened.
            target.path = named;
            target.special = true;
            return target;
        }
        if (S_ISLNK(link.st_mode)) {
            target.path = realPath(named);
            if (target.path.empty())
                return fail(std::string("cannot resolve the symbolic link: ") + std::strerror(errno), errno);
            return target;
        }
    }
    const std::size_t slash = named.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : named.substr(0, slash);
    const std::string name = slash == std::string::npos ? named : named.substr(slash + 1);
    if (name.empty() || name == "." || name == "..") return fail("is a directory");
    struct stat d {};
    if (::stat(dir.c_str(), &d) != 0) {
        const int err = errno;
        if (err == ENOENT) return fail("cannot write: its directory " + dir + " does not exist", err);
        return fail("cannot write in the directory " + dir + ": " + std::strerror(err), err);
    }
    if (!S_ISDIR(d.st_mode)) return fail("cannot write: " + dir + " is not a directory");
    std::string realDir = realPath(dir);
    if (realDir.empty()) return fail("cannot resolve the directory " + dir + ": " + std::strerror(errno), errno);
    target.path = (realDir == "/" ? "" : realDir) + "/" + name;
    return target;
}

}  // namespace

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

Status OutputLock::acquire(const std::string& output) {
    release();
    Result<OutputTarget> resolved = resolveOutput(output);
    if (!resolved) return fail(std::move(resolved.error()));
    const OutputTarget& target = *resolved;
    // A FIFO or device output (`-o /dev/stdout`) has no companion file to lock beside it.
    if (target.special) return {};
    const std::string path = target.path + ".lock";
    // A holder that releases unlinks the lock file while it still holds it: a lock taken on that
    // unlinked inode would be no lock at all, so it is taken again on the new file.
    int busy = 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
            return failIo(output + ": cannot create the lock file " + path + ": " + std::strerror(errno), errno);
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            // holder() takes a shared lock for a moment: try again briefly before refusing.
            if (err == EWOULDBLOCK && ++busy < 5) {
                ::close(fd);
                ::usleep(10000);
                continue;
            }
            const long pid = readPid(fd);
            ::close(fd);
            if (err == EWOULDBLOCK)
                return failIo(output + ": another loadline recorder (PID " +
                                  (pid > 0 ? std::to_string(pid) : std::string("?")) + ") is writing this file" +
                                  (target.path == output ? std::string() : " (" + target.path + ")") +
                                  "; stop it first or choose another -o",
                              err);
            return failIo(path + ": cannot lock: " + std::strerror(err), err);
        }
        struct stat held {
        }, now{};
        if (::fstat(fd, &held) != 0 || ::stat(path.c_str(), &now) != 0 || held.st_ino != now.st_ino ||
            held.st_dev != now.st_dev) {
            ::close(fd);
            continue;
        }
        const std::string pid = std::to_string(::getpid()) + "\n";
        if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
        m_fd = fd;
        m_path = path;
        return {};
    }
    return fail(path + ": cannot lock: the lock file keeps being replaced", ErrorKind::Io);
}

long OutputLock::holder(const std::string& output) {
    const Result<OutputTarget> target = resolveOutput(output);
    if (!target || target->special) return 0;
    const std::string path = target->path + ".lock";
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return 0;
    // A shared lock, dropped at once: it fails only while a writer holds the exclusive one.
    long pid = 0;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0) pid = errno == EWOULDBLOCK ? readPid(fd) : 0;
    ::close(fd);
    return pid;
}

void OutputLock::release() {
    if (m_fd < 0) return;
    ::unlink(m_path.c_str());  // while still locked: a waiting recorder then creates a fresh one
    ::close(m_fd);
    m_fd = -1;
}

LoadResult noteBeingRecorded(const std::string& path, LoadResult result) {
    if (path == "-" || (!result && result.error().kind == ErrorKind::Cancelled)) return result;
    const Result<OutputTarget> target = resolveOutput(path);
    if (!target || target->special) return result;
    const std::string journal = target->path + kRecordJournalSuffix;
    const long pid = OutputLock::holder(journal);
    if (!pid) return result;
    const std::string note = "being recorded (loadline-cli record, PID " +
                             (pid > 0 ? std::to_string(pid) : std::string("?")) + "); its samples so far are in " +
                             journal;
    if (result) result->warnings.push_back(note);
    else result.error().message += "; this file is " + note;
    return result;
}

}  // namespace loadline::core
