#include "core/format/sigbusguard.h"

#include <atomic>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>

namespace loadline::core::detail {

namespace {

constexpr int kSlots = 64;

// Lock-free: the handler may run while another thread registers or releases a slot.
struct Slot {
    std::atomic<bool> used{false};
    std::atomic<std::uintptr_t> begin{0};
    std::atomic<std::uintptr_t> end{0};
    std::atomic<bool> faulted{false};
};
Slot g_slots[kSlots];
struct sigaction g_previous {};
std::uintptr_t g_pageMask = ~std::uintptr_t(4095);
std::once_flag g_installed;

void passOn(int sig, siginfo_t* info, void* context) {
    const auto handler = g_previous.sa_handler;
    if (handler != SIG_DFL && handler != SIG_IGN) {
        if (g_previous.sa_flags & SA_SIGINFO) g_previous.sa_sigaction(sig, info, context);
        else handler(sig);
        return;
    }
    // What would have happened without us: a fault repeats on return and now ends the
    // process; a SIGBUS sent by kill() does not repeat, so raise it again.
    ::signal(SIGBUS, SIG_DFL);
    if (info->si_code <= 0) ::raise(SIGBUS);
}

void onSigbus(int sig, siginfo_t* info, void* context) {
    const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
    if (info->si_code > 0) {  // a fault, not a signal someone sent
        for (Slot& s : g_slots) {
            const std::uintptr_t begin = s.begin.load(std::memory_order_acquire);
            const std::uintptr_t end = s.end.load(std::memory_order_acquire);
            if (begin == 0 || addr < begin || addr >= end) continue;
            // Zero pages from the faulting one to the end of the mapping: one fault, not one
            // per page. mmap is a plain system call, safe here.
            const std::uintptr_t page = addr & g_pageMask;
            void* p = ::mmap(reinterpret_cast<void*>(page), end - page, PROT_READ,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            if (p == MAP_FAILED) break;
            s.faulted.store(true, std::memory_order_release);
            return;
        }
    }
    passOn(sig, info, context);
}

void install() {
    g_pageMask = ~(static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE)) - 1);
    struct sigaction sa {};
    sa.sa_sigaction = onSigbus;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    ::sigaction(SIGBUS, &sa, &g_previous);
}

}  // namespace

SigbusGuard::SigbusGuard(void* begin, std::size_t size) {
    std::call_once(g_installed, install);
    for (int i = 0; i < kSlots; ++i) {
        bool expected = false;
        if (!g_slots[i].used.compare_exchange_strong(expected, true)) continue;
        const auto b = reinterpret_cast<std::uintptr_t>(begin);
        g_slots[i].faulted.store(false);
        g_slots[i].end.store(b + size, std::memory_order_release);
        g_slots[i].begin.store(b, std::memory_order_release);
        m_slot = i;
        return;
    }
}

SigbusGuard::~SigbusGuard() {
    if (m_slot < 0) return;
    Slot& s = g_slots[m_slot];
    s.begin.store(0, std::memory_order_release);
    s.end.store(0, std::memory_order_release);
    s.used.store(false, std::memory_order_release);
}

bool SigbusGuard::faulted() const { return m_slot >= 0 && g_slots[m_slot].faulted.load(std::memory_order_acquire); }

}  // namespace loadline::core::detail
