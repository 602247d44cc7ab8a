// Atomic save: write a temp file beside the target, fsync it, rename it over the target, fsync the
// directory. A crash or a full disk leaves either the old file or the new one, never half of one.
// Only regular files (and new paths) are replaced so; a FIFO, socket or device is written directly.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

#include "core/format/recordingio.h"

namespace loadline::core {

namespace {

std::string directoryOf(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

/** An OS error about path: toString() is "PATH: what: strerror". */
tl::unexpected<Error> failOs(const std::string& path, const char* what, int err) {
    Error e;
    e.kind = ErrorKind::Io;
    e.path = path;
    e.message = std::string(what) + ": " + std::strerror(err);
    e.errnum = err;
    return tl::unexpected<Error>(std::move(e));
}

bool writeAll(int fd, std::string_view bytes) {
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) {
            errno = ENOSPC;
            return false;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

Status writeSpecialFile(const std::string& path, const std::string& file,
                        const std::function<bool(const std::function<bool(std::string_view)>& write)>& produce) {
    // O_NONBLOCK: a FIFO nobody reads would block open() for ever; it fails with ENXIO instead.
    const int fd = ::open(file.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int err = errno;
        if (err == ENXIO) {
            Error e;
            e.kind = ErrorKind::Io;
            e.path = path;
            e.message = "cannot write: a FIFO with no reader (start the reading side first)";
            e.errnum = err;
            return fail(std::move(e));
        }
        return failOs(path, "cannot open this special file for writing", err);
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    int writeErrno = 0;
    const bool produced = produce([&](std::string_view chunk) {
        if (writeErrno) return false;
        if (!writeAll(fd, chunk)) writeErrno = errno ? errno : EIO;
        return writeErrno == 0;
    });
    const int closed = ::close(fd);
    if (writeErrno) return failOs(path, "cannot write", writeErrno);
    if (!produced) return failOs(path, "cannot write", ECANCELED);
    if (closed != 0) return failOs(path, "cannot write", errno);
    return {};
}

}  // namespace

Status writeFileAtomically(const std::string& path, std::string_view bytes) {
    return writeFileAtomically(path,
                               [bytes](const std::function<bool(std::string_view)>& write) { return write(bytes); });
}

Status writeFileAtomically(const std::string& path,
                           const std::function<bool(const std::function<bool(std::string_view)>& write)>& produce) {
    if (path.empty()) return failOs(path, "cannot save", ENOENT);
    // Saving through a symbolic link updates the file it points to; renaming over the link
    // would replace the link itself with a plain file.
    std::string file = path;
    struct stat link {};
    if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
        if (char* real = ::realpath(path.c_str(), nullptr)) {
            file = real;
            std::free(real);
        }
    }
    struct stat target {};
    const bool exists = ::stat(file.c_str(), &target) == 0;
    if (exists && S_ISDIR(target.st_mode)) return failOs(path, "cannot save", EISDIR);
    // Atomic replace is for regular files (and new paths). A FIFO, socket or device (/dev/stdout
    // in a pipeline, /dev/null) is written to directly: renaming over it would replace the
    // device node or pipe with a plain file.
    if (exists && !S_ISREG(target.st_mode)) return writeSpecialFile(path, file, produce);

    // A unique temp name in the same directory (rename is only atomic within one file system).
    static std::atomic<unsigned> counter{0};
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        tmp = file + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) return failOs(path, "cannot create a temporary file to save", errno);
    }
    if (fd < 0) return failOs(path, "cannot create a temporary file to save", EEXIST);

    auto abandon = [&](const char* what) -> Status {
        const int err = errno;
        if (fd >= 0) ::close(fd);
        ::unlink(tmp.c_str());
        return failOs(path, what, err);
    };
    // Saving over a file keeps its permissions.
    if (exists && ::fchmod(fd, target.st_mode & 07777) != 0) return abandon("cannot set permissions");
    int writeErrno = 0;
    const bool produced = produce([&](std::string_view chunk) {
        if (writeErrno) return false;
        if (!writeAll(fd, chunk)) writeErrno = errno ? errno : EIO;
        return writeErrno == 0;
    });
    if (writeErrno) {
        errno = writeErrno;
        return abandon("cannot write");
    }
    if (!produced) {
        errno = ECANCELED;
        return abandon("cannot write");
    }
    if (::fsync(fd) != 0) return abandon("cannot flush to disk");
    const int closing = fd;
    fd = -1;
    if (::close(closing) != 0) return abandon("cannot write");
    if (::rename(tmp.c_str(), file.c_str()) != 0) return abandon("cannot replace");

    // Make the rename itself durable.
    const std::string dir = directoryOf(file);
    int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return {};
}

Status writeOutput(const std::string& path, std::string_view bytes) {
    if (path != "-") return writeFileAtomically(path, bytes);
    std::fflush(stdout);  // whatever stdio buffered goes first
    if (!writeAll(STDOUT_FILENO, bytes)) return failOs("standard output", "cannot write", errno ? errno : EIO);
    return {};
}

}  // namespace loadline::core
