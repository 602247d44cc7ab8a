#include "core/format/filebytes.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <new>

namespace loadline::core::detail {

namespace {
/** Offset of the first byte that is not whitespace or a UTF-8 byte order mark, or size. */
std::size_t firstSignificantByte(const std::string& bytes) {
    std::size_t i = bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) ++i;
    return i;
}
}  // namespace

FileBytes::~FileBytes() {
    m_guard.reset();  // before the pages go: a stray fault must not be taken for ours
    if (m_map) ::munmap(m_map, m_size);
    if (m_fd >= 0) ::close(m_fd);
}

namespace {
/** The failing step ("cannot open", ...) as message, errno kept; the caller adds the path. */
tl::unexpected<Error> stepFailed(std::string what, int err) { return failIo(std::move(what), err); }
}  // namespace

Status FileBytes::open(const std::string& path) {
    // O_NONBLOCK: opening a FIFO without a writer would block for ever; it is refused below.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        const int e = errno;
        return stepFailed("cannot open", e);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int e = errno;
        ::close(fd);
        return stepFailed("cannot stat", e);
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        return stepFailed("cannot open as a recording", EISDIR);
    }
    if (!S_ISREG(st.st_mode)) {
        // A FIFO, socket or device may never end (or never start): recordings are regular files.
        ::close(fd);
        return stepFailed(std::string("not a regular file (") +
                              (S_ISFIFO(st.st_mode)   ? "a FIFO"
                               : S_ISSOCK(st.st_mode) ? "a socket"
                               : S_ISCHR(st.st_mode)  ? "a character device"
                               : S_ISBLK(st.st_mode)  ? "a block device"
                                                      : "a special file") +
                              "); recordings are read from regular files only",
                          EINVAL);
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
        m_size = static_cast<std::size_t>(st.st_size);
        void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            m_map = p;
            m_guard = std::make_unique<SigbusGuard>(m_map, m_size);
            ::madvise(m_map, m_size, MADV_SEQUENTIAL);
            m_fd = fd;  // kept to see afterwards whether someone wrote to the file meanwhile
            m_opened = st;
            return {};
        }
        m_size = 0;
    }
    // Pipes, devices, /proc files, or a failed mmap: read the bytes. A stream need not end
    // (/dev/zero): once its first significant byte shows it is no JSON object, stop there and
    // let the parser name that byte.
    char buf[1 << 16];
    bool judged = false;
    try {
        for (;;) {
            ssize_t n = ::read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                int e = errno;
                ::close(fd);
                return stepFailed("cannot read", e);
            }
            if (n == 0) break;
            m_copy.append(buf, static_cast<std::size_t>(n));
            if (!judged) {
                const std::size_t first = firstSignificantByte(m_copy);
                if (first < m_copy.size()) {
                    judged = true;
                    if (m_copy[first] != '{' && m_copy[first] != '/') break;  // not '{' nor a comment
                }
            }
        }
    } catch (const std::bad_alloc&) {
        m_copy = std::string();
        ::close(fd);
        return stepFailed("cannot read (the input does not fit in memory)", ENOMEM);
    }
    ::close(fd);
    return {};
}

std::string_view FileBytes::bytes() const {
    return m_map ? std::string_view(static_cast<const char*>(m_map), m_size) : std::string_view(m_copy);
}

bool FileBytes::changedSinceOpen() const {
    if (m_guard && m_guard->faulted()) return true;
    if (m_fd < 0) return false;  // read in one go: a consistent copy, or a short one
    struct stat now {};
    if (::fstat(m_fd, &now) != 0) return true;
    return now.st_size != m_opened.st_size || now.st_mtim.tv_sec != m_opened.st_mtim.tv_sec ||
           now.st_mtim.tv_nsec != m_opened.st_mtim.tv_nsec;
}

void FileBytes::dropBefore(std::size_t offset) {
    if (!m_map) return;
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t end = (offset / page) * page;
    if (end > m_dropped) {
        ::madvise(static_cast<char*>(m_map) + m_dropped, end - m_dropped, MADV_DONTNEED);
        m_dropped = end;
    }
}

}  // namespace loadline::core::detail
