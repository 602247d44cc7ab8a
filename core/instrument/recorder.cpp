#include "core/instrument/recorder.h"

#include <algorithm>
#include <bit>

namespace loadline::core::instrument {

ThreadBuffer::ThreadBuffer(std::size_t capacity)
    : m_mask(std::bit_ceil(std::max<std::size_t>(capacity, 2)) - 1),
      m_records(std::make_unique<CallRecord[]>(m_mask + 1)) {}

std::size_t ThreadBuffer::drainInto(std::vector<CallRecord>& out) {
    const std::uint64_t tail = m_tail.load(std::memory_order_relaxed);
    const std::uint64_t head = m_head.load(std::memory_order_acquire);
    for (std::uint64_t i = tail; i != head; ++i) out.push_back(m_records[i & m_mask]);
    m_tail.store(head, std::memory_order_release);
    return static_cast<std::size_t>(head - tail);
}

thread_local ThreadBuffer* Recorder::t_buffer = nullptr;

namespace {
// Marks the thread's ring retired when the thread exits (its records stay until drained).
struct RetireOnExit {
    std::atomic<bool>* flag = nullptr;
    ~RetireOnExit() {
        if (flag) flag->store(true, std::memory_order_release);
    }
};
thread_local RetireOnExit t_retire;
}  // namespace

Recorder& Recorder::global() {
    static Recorder* r = new Recorder;  // never destroyed: threads may record during exit
    return *r;
}

ThreadBuffer& Recorder::registerThread() {
    auto buffer = std::make_unique<ThreadBuffer>(m_capacity.load(std::memory_order_relaxed));
    t_buffer = buffer.get();
    t_retire.flag = &buffer->m_retired;
    std::lock_guard lock(m_mutex);
    m_buffers.push_back(std::move(buffer));
    return *t_buffer;
}

std::vector<FunctionTiming> Recorder::drain() {
    std::lock_guard lock(m_mutex);
    m_scratch.clear();
    for (auto& b : m_buffers) {
        // Read "retired" before draining: a ring retired then drained is empty for good.
        const bool retired = b->m_retired.load(std::memory_order_acquire);
        b->drainInto(m_scratch);
        if (retired) {
            m_droppedByRetired += b->dropped();
            b.reset();
        }
    }
    std::erase(m_buffers, nullptr);

    // Map the monotonic clock to the epoch now, so timestamps agree with a sampler's clock.
    const double offset = double(clockNs(CLOCK_REALTIME) - clockNs(CLOCK_MONOTONIC)) * 1e-9;
    std::vector<FunctionTiming> out;
    out.reserve(m_scratch.size());
    for (const auto& r : m_scratch) {
        FunctionTiming t;
        t.functionName = r.name;
        t.wallTime = double(r.endNs - r.startNs) * 1e-9;
        t.cpuTime = double(r.cpuNs) * 1e-9;
        t.timestamp = double(r.endNs) * 1e-9 + offset;
        out.push_back(std::move(t));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const FunctionTiming& a, const FunctionTiming& b) { return a.timestamp < b.timestamp; });
    return out;
}

std::uint64_t Recorder::dropped() const {
    std::lock_guard lock(m_mutex);
    std::uint64_t n = m_droppedByRetired;
    for (const auto& b : m_buffers) n += b->dropped();
    return n;
}

const char* Recorder::internName(std::string_view name) {
    std::lock_guard lock(m_mutex);
    for (const auto& n : m_names)
        if (*n == name) return n->c_str();
    m_names.push_back(std::make_unique<std::string>(name));
    return m_names.back()->c_str();
}

}  // namespace loadline::core::instrument
