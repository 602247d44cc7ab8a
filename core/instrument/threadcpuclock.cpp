#include "core/instrument/threadcpuclock.h"

#include <linux/perf_event.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace loadline::core::instrument {

std::atomic<bool> ThreadCpuClock::s_derive{false};
constinit thread_local ThreadCpuClock::Base ThreadCpuClock::t_base;
constinit thread_local const std::uint32_t* ThreadCpuClock::t_lock = nullptr;
constinit thread_local std::uint64_t ThreadCpuClock::t_resyncs = 0;
constinit thread_local std::int64_t ThreadCpuClock::t_last = 0;

namespace {

constinit thread_local bool t_pageGone = false;  // the thread's PerfPage was destroyed (thread exit)

// One per thread that reads the clock: the task-clock event on itself and its mapped control
// page. Closed when the thread exits (or, in a forked child, at once: the event measures the
// parent's thread).
struct PerfPage {
    int fd = -1;
    void* page = nullptr;
    bool tried = false;

    ~PerfPage() {
        // Reads from later thread-exit code (other thread_local destructors) must not touch the
        // unmapped page, nor this destroyed object: they become exact.
        ThreadCpuClock::forgetPage();
        t_pageGone = true;
        close();
    }
    void close() noexcept {
        if (page) ::munmap(page, pageSize());
        if (fd >= 0) ::close(fd);
        page = nullptr;
        fd = -1;
    }
    static std::size_t pageSize() noexcept { return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)); }

    /** The page's seqlock, or nullptr where perf events are not allowed. */
    const std::uint32_t* open() noexcept {
        tried = true;
        perf_event_attr attr;
        std::memset(&attr, 0, sizeof attr);
        attr.size = sizeof attr;
        attr.type = PERF_TYPE_SOFTWARE;
        attr.config = PERF_COUNT_SW_TASK_CLOCK;  // counting only: no samples, no ring buffer
        attr.exclude_kernel = 1;                 // what perf_event_paranoid 2 allows for own threads
        attr.exclude_hv = 1;
        fd = static_cast<int>(::syscall(SYS_perf_event_open, &attr, 0 /* this thread */, -1, -1, PERF_FLAG_FD_CLOEXEC));
        if (fd < 0) return nullptr;
        page = ::mmap(nullptr, pageSize(), PROT_READ, MAP_SHARED, fd, 0);
        if (page == MAP_FAILED) {
            page = nullptr;
            close();
            return nullptr;
        }
        return &static_cast<const perf_event_mmap_page*>(page)->lock;
    }
};

PerfPage& perfPage() noexcept {
    thread_local PerfPage p;  // its destructor runs at thread exit
    return p;
}

struct Init {
    Init() {
        const char* exact = std::getenv("LOADLINE_EXACT_CPU_CLOCK");
        ThreadCpuClock::setExact(exact && *exact && std::strcmp(exact, "0") != 0);
        // A forked child's CPU clock restarts from zero and the inherited event measures the
        // parent's thread: its first read must be exact, with an event of its own.
        pthread_atfork(nullptr, nullptr, &ThreadCpuClock::forgetBase);
    }
} g_init;

}  // namespace

void ThreadCpuClock::setExact(bool exact) noexcept { s_derive.store(!exact, std::memory_order_relaxed); }

void ThreadCpuClock::forgetPage() noexcept {
    t_lock = nullptr;
    t_base = Base{};
}

bool ThreadCpuClock::derivesFromMonotonic() noexcept {
    if (!s_derive.load(std::memory_order_relaxed) || t_pageGone) return false;
    PerfPage& p = perfPage();
    if (!p.tried) t_lock = p.open();
    return t_lock != nullptr;
}

void ThreadCpuClock::forgetBase() noexcept {
    t_base = Base{};
    t_last = 0;
    t_lock = nullptr;
    PerfPage& p = perfPage();
    p.close();
    p.tried = false;
}

std::int64_t ThreadCpuClock::resync() noexcept {
    ++t_resyncs;
    if (!s_derive.load(std::memory_order_relaxed)) return clockNs(CLOCK_THREAD_CPUTIME_ID);
    if (!t_lock) {
        if (t_pageGone) return clockNs(CLOCK_THREAD_CPUTIME_ID);
        PerfPage& p = perfPage();
        if (!p.tried) t_lock = p.open();
        if (!t_lock) return clockNs(CLOCK_THREAD_CPUTIME_ID);  // perf not allowed: exact
    }
    // Read both clocks between two looks at the lock: unchanged (and even, no update in
    // progress) means no switch came between them, so (cpu, mono) is a valid base.
    const std::uint32_t before = __atomic_load_n(t_lock, __ATOMIC_ACQUIRE);
    const std::int64_t cpu = clockNs(CLOCK_THREAD_CPUTIME_ID);
    const std::int64_t mono = clockNs(CLOCK_MONOTONIC);
    const std::uint32_t after = __atomic_load_n(t_lock, __ATOMIC_ACQUIRE);
    if (before == after && (before & 1) == 0) t_base = Base{cpu, mono, before};
    else t_base = Base{};
    return cpu;
}

}  // namespace loadline::core::instrument
