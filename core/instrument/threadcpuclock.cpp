#include "core/instrument/threadcpuclock.h"

#include <pthread.h>

#if __has_include(<sys/rseq.h>)
#include <sys/rseq.h>  // glibc >= 2.35: __rseq_offset, __rseq_size, RSEQ_SIG
#define LOADLINE_HAVE_RSEQ 1
#endif

namespace loadline::core::instrument {

std::atomic<std::int64_t> ThreadCpuClock::s_rseqCsOffset{-1};
std::uint64_t ThreadCpuClock::s_dummyAddress = 0;
constinit thread_local ThreadCpuClock::Base ThreadCpuClock::t_base;
constinit thread_local std::uint64_t ThreadCpuClock::t_resyncs = 0;

namespace {

#ifdef LOADLINE_HAVE_RSEQ
// The critical section rseq_cs points at. Its range is one byte of this data block, where no
// thread ever executes, so the kernel never aborts into it; it only validates it on each switch
// (and kills the thread if invalid): the abort address lies outside the range, after the
// signature the kernel checks at abort_ip - 4.
struct alignas(32) DummySection {
    struct rseq_cs cs;
};
alignas(8) const std::uint32_t kSignatureBlock[2] = {RSEQ_SIG, 0};
DummySection g_dummy;
#endif

std::int64_t computeRseqCsOffset() {
#ifdef LOADLINE_HAVE_RSEQ
    if (__rseq_size == 0) return -1;  // glibc did not register rseq for its threads
    g_dummy.cs.version = 0;
    g_dummy.cs.flags = 0;
    g_dummy.cs.start_ip = reinterpret_cast<std::uintptr_t>(&kSignatureBlock[0]);
    g_dummy.cs.post_commit_offset = 1;
    g_dummy.cs.abort_ip = reinterpret_cast<std::uintptr_t>(&kSignatureBlock[1]);
    return static_cast<std::int64_t>(__rseq_offset) + static_cast<std::int64_t>(offsetof(struct rseq, rseq_cs));
#else
    return -1;
#endif
}

const std::int64_t g_rseqCsOffset = computeRseqCsOffset();

struct Init {
    Init() {
        ThreadCpuClock::setExact(false);
        // A forked child's CPU clock restarts from zero, but it inherits the parent thread's
        // base and an armed rseq_cs: its first read must be exact.
        pthread_atfork(nullptr, nullptr, &ThreadCpuClock::forgetBase);
    }
} g_init;

}  // namespace

void ThreadCpuClock::setExact(bool exact) noexcept {
#ifdef LOADLINE_HAVE_RSEQ
    s_dummyAddress = reinterpret_cast<std::uintptr_t>(&g_dummy.cs);
#endif
    s_rseqCsOffset.store(exact ? -1 : g_rseqCsOffset, std::memory_order_relaxed);
}

void ThreadCpuClock::forgetBase() noexcept { t_base = Base{}; }

std::int64_t ThreadCpuClock::resync() noexcept {
    ++t_resyncs;
    const std::int64_t offset = s_rseqCsOffset.load(std::memory_order_relaxed);
    if (offset < 0) return clockNs(CLOCK_THREAD_CPUTIME_ID);
    std::uint64_t* cs = rseqCsField(offset);
    // Arm the detector, then read both clocks: if rseq_cs is still ours afterwards, the thread
    // ran without a switch from the arming on, so (cpu, mono) is a valid base.
    __atomic_store_n(cs, s_dummyAddress, __ATOMIC_RELAXED);
    const std::int64_t cpu = clockNs(CLOCK_THREAD_CPUTIME_ID);
    const std::int64_t mono = clockNs(CLOCK_MONOTONIC);
    if (__atomic_load_n(cs, __ATOMIC_RELAXED) == s_dummyAddress) t_base = Base{cpu, mono};
    else t_base = Base{};
    return cpu;
}

}  // namespace loadline::core::instrument
