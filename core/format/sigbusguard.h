#pragma once
// A file mapping must not kill the process when another program truncates the file under it
// (py-perf rewrites its JSON in place with open(path, "w")): reading a mapped page past the
// new end raises SIGBUS. The guard's handler replaces the rest of a registered mapping with
// zero pages, so the read goes on, and records that it happened; the owner then reports the
// load as failed. Faults outside registered mappings go to the previous handler (or kill the
// process as before). Internal to core/format.

#include <cstddef>

namespace loadline::core::detail {

class SigbusGuard {
public:
    /** Watches [begin, begin + size) until the guard is destroyed (size must be whole pages
     *  past begin, as mmap gives). Without a free slot (64 mappings at once) it watches nothing. */
    SigbusGuard(void* begin, std::size_t size);
    ~SigbusGuard();
    SigbusGuard(const SigbusGuard&) = delete;
    SigbusGuard& operator=(const SigbusGuard&) = delete;

    /** True once a read in the range faulted: the bytes from that page on read as zeros. */
    bool faulted() const;
    bool watching() const { return m_slot >= 0; }

private:
    int m_slot = -1;
};

}  // namespace loadline::core::detail
