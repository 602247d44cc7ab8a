#pragma once
// The calling thread's CPU time, cheaply enough for a per-call profiler.
//
// CLOCK_THREAD_CPUTIME_ID has no vDSO fast path: every read is a system call (about 0.5 µs on
// our VM), which alone blew LOADLINE_SCOPE's 100 ns budget. But between two context switches a
// thread is on a CPU the whole time, so its CPU clock advances exactly as fast as the monotonic
// clock. Linux's rseq ABI tells us cheaply whether a switch happened: the kernel clears
// rseq->rseq_cs whenever it preempts the thread, migrates it or delivers a signal outside the
// critical section that field names (uapi linux/rseq.h). So we point rseq_cs at a dummy section
// that never runs, read the real clock once (a system call, "resync"), and from then on derive
// CPU time from the monotonic clock for as long as rseq_cs is still ours. A resync happens when
// it was cleared (the thread slept, was preempted or got a signal) or when the last exact reading
// is older than kMaxDerivedNs, which bounds what we count that the kernel would not: interrupt
// and, on a VM, steal time during those stretches.
//
// Without rseq (glibc < 2.35, a kernel without it, GLIBC_TUNABLES=glibc.pthread.rseq=0) or with
// setExact(true), every read is the system call.

#include <atomic>
#include <cstdint>
#include <ctime>

namespace loadline::core::instrument {

inline std::int64_t clockNs(clockid_t clock) noexcept {
    timespec ts;
    clock_gettime(clock, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

class ThreadCpuClock {
public:
    /** Longest stretch whose CPU time is derived from the monotonic clock (1 ms). */
    static constexpr std::int64_t kMaxDerivedNs = 1'000'000;

    /**
     * The calling thread's CPU time (ns, CLOCK_THREAD_CPUTIME_ID's scale) at monotonic time
     * monoNs, which the caller has just read with clockNs(CLOCK_MONOTONIC).
     */
    static std::int64_t at(std::int64_t monoNs) noexcept {
        const std::int64_t offset = s_rseqCsOffset.load(std::memory_order_relaxed);
        if (offset >= 0 && __atomic_load_n(rseqCsField(offset), __ATOMIC_RELAXED) == s_dummyAddress) [[likely]] {
            const Base& b = t_base;
            const std::int64_t since = monoNs - b.monoNs;
            if (since >= 0 && since < kMaxDerivedNs) [[likely]]
                return b.cpuNs + since;
        }
        return resync();
    }

    /** Whether reads can avoid the system call (rseq registered and not setExact). */
    static bool derivesFromMonotonic() noexcept { return s_rseqCsOffset.load(std::memory_order_relaxed) >= 0; }

    /** true: always read the kernel's clock (exact, one system call per read). */
    static void setExact(bool exact) noexcept;

    /** Drops the calling thread's base so its next read is exact (the pthread_atfork child handler). */
    static void forgetBase() noexcept;

    /** System calls made by this thread's reads so far (tests and benchmarks). */
    static std::uint64_t resyncCount() noexcept { return t_resyncs; }

private:
    struct Base {
        std::int64_t cpuNs = 0;
        std::int64_t monoNs = INT64_MIN / 2;  // "no base yet": every read resyncs
    };

    static std::uint64_t* rseqCsField(std::int64_t offset) noexcept {
        return reinterpret_cast<std::uint64_t*>(static_cast<char*>(__builtin_thread_pointer()) + offset);
    }
    static std::int64_t resync() noexcept;

    // Offset of rseq_cs from the thread pointer; -1: no rseq, or exact mode. Until the library's
    // static initialiser has run it is -1, so early reads are exact, never wrong.
    static std::atomic<std::int64_t> s_rseqCsOffset;
    static std::uint64_t s_dummyAddress;  // what we store in rseq_cs
    // constinit: other translation units access them directly, without a TLS wrapper call.
    constinit static thread_local Base t_base;
    constinit static thread_local std::uint64_t t_resyncs;
};

}  // namespace loadline::core::instrument
