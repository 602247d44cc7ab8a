#pragma once
// An advisory lock that one recorder holds on its output for as long as it writes it, so a second
// `loadline-cli record -o SAME` is refused with a clear message instead of both rewriting the
// file and one silently winning. The recording itself is replaced atomically (a new inode at each
// checkpoint), so the lock lives on a companion file "OUTPUT.lock" (flock(2); the kernel drops
// it when the process ends, however it ends); the holder's PID is written into it for the message.

#include <string>

namespace loadline::core {

class OutputLock {
public:
    OutputLock() = default;
    ~OutputLock();
    OutputLock(OutputLock&& other) noexcept;
    OutputLock& operator=(OutputLock&& other) noexcept;
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;

    /** Takes the lock for output; false with *error set ("... is being written by PID N") when
     *  another process (or another lock in this one) holds it. */
    bool acquire(const std::string& output, std::string* error);
    bool held() const { return m_fd >= 0; }
    /** Releases the lock and removes the companion file. */
    void release();

private:
    int m_fd = -1;
    std::string m_path;
};

}  // namespace loadline::core
