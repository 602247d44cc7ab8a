#pragma once
// Module core/instrument: timing C++ code from the inside: LOADLINE_SCOPE and timed() record
// each call's wall and CPU time (a cheap per-thread CPU clock, threadcpuclock.h), and a Session
// runs a sampler beside them and writes a py-perf performance summary. Used by C++ programs
// that want loadline's "code or machine?" answer, and by bench/correlate.
//
// C++ instrumentation, the counterpart of py-perf's decorator and mtaio's
// Profiler.trace: LOADLINE_SCOPE("name") times the rest of the block, instrument::timed() wraps a
// callable. Each call records wall time, the calling thread's CPU time and its end time.
//
// Hot path: two monotonic clock reads (vDSO), the thread's CPU time derived from them
// (ThreadCpuClock: no system call between context switches) and a store into the calling
// thread's own ring (single producer, single consumer, no lock, no allocation). A thread's ring is allocated once, on
// its first call. When a ring is full the call is dropped and counted (Recorder::dropped()), never blocking the
// program; drain often enough (Session does it on each sampler tick) to keep up.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/instrument/threadcpuclock.h"
#include "core/timeline/timeline.h"

namespace loadline::core::instrument {

/** One call as the hot path stores it: raw clock values, converted when drained. */
struct CallRecord {
    const char* name;      // must outlive the recorder: a string literal, or internName()
    std::int64_t startNs;  // CLOCK_MONOTONIC
    std::int64_t endNs;    // CLOCK_MONOTONIC
    std::int64_t cpuNs;    // the thread's CPU time, end - start (ThreadCpuClock)
};

/** A bounded single-producer/single-consumer ring of CallRecords (one per thread). */
class ThreadBuffer {
public:
    explicit ThreadBuffer(std::size_t capacity);  // rounded up to a power of two

    /** Producer (the owning thread only). False, counting a drop, when full. */
    bool push(const CallRecord& r) noexcept {
        const std::uint64_t head = m_head.load(std::memory_order_relaxed);
        if (head - m_cachedTail > m_mask) {
            m_cachedTail = m_tail.load(std::memory_order_acquire);
            if (head - m_cachedTail > m_mask) {
                m_dropped.store(m_dropped.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                return false;
            }
        }
        m_records[head & m_mask] = r;
        m_head.store(head + 1, std::memory_order_release);
        return true;
    }

    /** Consumer (one drainer at a time): appends what is there and frees the slots. */
    std::size_t drainInto(std::vector<CallRecord>& out);

    std::size_t capacity() const { return m_mask + 1; }
    std::uint64_t dropped() const { return m_dropped.load(std::memory_order_relaxed); }

private:
    friend class Recorder;
    alignas(64) std::atomic<std::uint64_t> m_head{0};  // written by the producer
    std::uint64_t m_cachedTail = 0;                    // producer's last view of m_tail
    std::atomic<std::uint64_t> m_dropped{0};
    alignas(64) std::atomic<std::uint64_t> m_tail{0};  // written by the consumer
    std::atomic<bool> m_retired{false};                // its thread has exited
    std::uint64_t m_mask;
    std::unique_ptr<CallRecord[]> m_records;
};

/** The process-wide recorder all scopes write to. */
class Recorder {
public:
    static Recorder& global();

    /** Scopes record only while enabled (one relaxed load when disabled). Off by default. */
    void setEnabled(bool on) { m_enabled.store(on, std::memory_order_relaxed); }
    bool enabled() const { return m_enabled.load(std::memory_order_relaxed); }

    /** Ring size (calls) for threads that make their first call from now on. Default 65536. */
    void setThreadCapacity(std::size_t calls) { m_capacity.store(calls, std::memory_order_relaxed); }

    /** The calling thread's ring, created on the thread's first call. */
    ThreadBuffer& threadBuffer() {
        if (t_buffer) [[likely]]
            return *t_buffer;
        return registerThread();
    }

    /**
     * Everything recorded since the last drain, from every thread, as py-perf timings sorted by
     * end time (timestamp = end, Unix epoch seconds). Safe to call from any one thread while
     * others record. The monotonic clock is mapped to the epoch at the moment of the drain.
     */
    std::vector<FunctionTiming> drain();

    /** Calls dropped because a ring was full, over all threads so far. */
    std::uint64_t dropped() const;

    /** A stable copy of a dynamic name for scopes (takes a lock: keep it off the hot path). */
    const char* internName(std::string_view name);

private:
    Recorder() = default;
    ThreadBuffer& registerThread();

    static thread_local ThreadBuffer* t_buffer;
    std::atomic<bool> m_enabled{false};
    std::atomic<std::size_t> m_capacity{65536};
    mutable std::mutex m_mutex;  // guards the lists below, never taken per call
    std::vector<std::unique_ptr<ThreadBuffer>> m_buffers;
    std::uint64_t m_droppedByRetired = 0;
    std::vector<std::unique_ptr<std::string>> m_names;
    std::vector<CallRecord> m_scratch;
};

/** Times the enclosing block: records one call when it ends. */
class Scope {
public:
    explicit Scope(const char* name) noexcept : m_name(Recorder::global().enabled() ? name : nullptr) {
        if (m_name) {
            m_start = clockNs(CLOCK_MONOTONIC);
            m_cpu = ThreadCpuClock::at(m_start);
        }
    }
    ~Scope() {
        if (!m_name) return;
        const std::int64_t end = clockNs(CLOCK_MONOTONIC);
        const std::int64_t cpu = ThreadCpuClock::at(end) - m_cpu;
        // Negative only for a scope that began in a parent and ends in a forked child.
        Recorder::global().threadBuffer().push({m_name, m_start, end, cpu < 0 ? 0 : cpu});
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

private:
    const char* m_name;
    std::int64_t m_start = 0;
    std::int64_t m_cpu = 0;
};

/** A callable that records each of its calls under name (a string literal or internName()). */
template <class F>
auto timed(const char* name, F&& f) {
    return [name, fn = std::forward<F>(f)](auto&&... args) mutable -> decltype(auto) {
        Scope scope(name);
        return fn(std::forward<decltype(args)>(args)...);
    };
}

}  // namespace loadline::core::instrument

#define LOADLINE_INSTRUMENT_CAT2(a, b) a##b
#define LOADLINE_INSTRUMENT_CAT(a, b) LOADLINE_INSTRUMENT_CAT2(a, b)
/** Records the rest of the enclosing block as one call of `name` (a string literal). */
#define LOADLINE_SCOPE(name) \
    ::loadline::core::instrument::Scope LOADLINE_INSTRUMENT_CAT(loadline_scope_, __LINE__)(name)
/** LOADLINE_SCOPE named after the enclosing function. */
#define LOADLINE_FUNCTION() LOADLINE_SCOPE(__func__)
