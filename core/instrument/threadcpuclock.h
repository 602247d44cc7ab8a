#pragma once
// The calling thread's CPU time, cheaply enough for a per-call profiler.
//
// CLOCK_THREAD_CPUTIME_ID has no vDSO fast path: every read is a system call (about 0.5 µs on
// our VM), which alone blew LOADLINE_SCOPE's 100 ns budget. But between two context switches a
// thread is on a CPU the whole time, so its CPU clock advances exactly as fast as the monotonic
// clock. What is needed is a cheap, reliable "did this thread get switched out?" test.
//
// Each thread opens one software perf event on itself (task-clock, counting, no samples) and maps
// its control page: the kernel rewrites that page, bumping its seqlock `lock`, whenever it
// schedules the event in or out with the thread. So: read the real clock once (a system call,
// "resync") together with the page's lock; from then on derive CPU time from the monotonic clock
// for as long as the lock is unchanged. A resync happens when it changed (the thread slept, was
// preempted, yielded the CPU) or when the last exact reading is older than kMaxDerivedNs, which
// bounds what we count that the kernel would not: interrupt and, on a VM, steal time.
//
// (An earlier version used the rseq ABI's rseq_cs field, which the kernel used to clear on every
// switch; newer kernels skip that after a system call, and CI caught sleeps counted as CPU.)
//
// Where perf events are not allowed (perf_event_paranoid 3, seccomp filters in containers), with
// setExact(true) or LOADLINE_EXACT_CPU_CLOCK=1 in the environment, every read is the system call.

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
        const Base& b = t_base;
        const std::int64_t since = monoNs - b.monoNs;
        std::int64_t v;
        if (t_lock && __atomic_load_n(t_lock, __ATOMIC_ACQUIRE) == b.lock && since >= 0 && since < kMaxDerivedNs &&
            s_derive.load(std::memory_order_relaxed)) [[likely]]
            v = b.cpuNs + since;
        else v = resync();
        // A derived reading may run ahead of the kernel's clock by the interrupt or steal time
        // it counted; the exact reading after it would then be smaller. Never go back: a scope
        // across such a resync would get a negative CPU time. Held flat until the kernel's clock
        // catches up, the lead does not accumulate.
        if (v < t_last) v = t_last;
        t_last = v;
        return v;
    }

    /** Whether this thread's reads can avoid the system call (perf page mapped, not setExact). */
    static bool derivesFromMonotonic() noexcept;

    /** true: always read the kernel's clock (exact, one system call per read). */
    static void setExact(bool exact) noexcept;

    /** Drops the calling thread's base so its next read is exact (the pthread_atfork child handler). */
    static void forgetBase() noexcept;

    /** Stops using this thread's perf page (it is being closed); the next reads are exact. */
    static void forgetPage() noexcept;

    /** System calls made by this thread's reads so far (tests and benchmarks). */
    static std::uint64_t resyncCount() noexcept { return t_resyncs; }

private:
    struct Base {
        std::int64_t cpuNs = 0;
        std::int64_t monoNs = INT64_MIN / 2;  // "no base yet": every read resyncs
        std::uint32_t lock = 0;               // the perf page's seqlock when the base was taken
    };

    static std::int64_t resync() noexcept;

    static std::atomic<bool> s_derive;  // false: exact mode
    // constinit: other translation units access them directly, without a TLS wrapper call.
    constinit static thread_local Base t_base;
    constinit static thread_local const std::uint32_t* t_lock;  // this thread's perf page lock
    constinit static thread_local std::uint64_t t_resyncs;
    constinit static thread_local std::int64_t t_last;  // the last value at() returned
};

}  // namespace loadline::core::instrument
