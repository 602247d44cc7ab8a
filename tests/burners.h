#pragma once
// Load made on purpose for the tests that record real runs: child processes that each spin a
// core until killed, optionally all on one CPU, and pinning of the measuring thread to a CPU.
//
// Pinning the measured thread and its burners to the same CPU makes them time-share that CPU:
// the thread's wall time grows by the number of burners while its CPU time for fixed work stays
// what it was (no SMT sibling or other core racing it for caches and frequency), and the time
// it spends waiting on that CPU's run queue is the measured cause.
#include <sched.h>
#include <csignal>
#include <cstddef>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace loadline::test {

/** The highest-numbered CPU this thread may run on (a CPU both the thread and burners can use). */
inline int pinnableCpu() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    for (int cpu = CPU_SETSIZE - 1; cpu >= 0; --cpu)
        if (CPU_ISSET(cpu, &set)) return cpu;
    return 0;
}

/** Runs the calling thread (only it: threads started before keep their CPUs) on one CPU until
 *  destroyed, then restores its CPUs. */
class PinThread {
public:
    explicit PinThread(int cpu) {
        CPU_ZERO(&m_saved);
        m_ok = ::sched_getaffinity(0, sizeof m_saved, &m_saved) == 0;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        m_ok = m_ok && ::sched_setaffinity(0, sizeof one, &one) == 0;
    }
    ~PinThread() {
        if (m_ok) ::sched_setaffinity(0, sizeof m_saved, &m_saved);
    }
    PinThread(const PinThread&) = delete;
    PinThread& operator=(const PinThread&) = delete;
    bool ok() const { return m_ok; }

private:
    cpu_set_t m_saved;
    bool m_ok = false;
};

/**
 * Child processes that each spin until killed; cpu >= 0 pins them all to that CPU. The
 * constructor returns once every child runs (each reports on a pipe, after pinning itself), so
 * the load is there when the next call starts.
 */
class Burners {
public:
    explicit Burners(int count, int cpu = -1) {
        int fds[2];
        if (::pipe(fds) != 0) return;
        for (int i = 0; i < count; ++i) {
            const pid_t pid = ::fork();
            if (pid == 0) {
                ::close(fds[0]);
                if (cpu >= 0) {
                    cpu_set_t one;
                    CPU_ZERO(&one);
                    CPU_SET(cpu, &one);
                    if (::sched_setaffinity(0, sizeof one, &one) != 0) ::_exit(1);  // never reports: count() says so
                }
                const char ready = 1;
                (void)!::write(fds[1], &ready, 1);
                volatile unsigned long x = 0;
                for (;;) x = x + 1;
            }
            if (pid > 0) m_pids.push_back(pid);
        }
        ::close(fds[1]);
        char c;
        for (; m_ready < m_pids.size() && ::read(fds[0], &c, 1) == 1;) ++m_ready;
        ::close(fds[0]);
    }
    ~Burners() {
        for (pid_t p : m_pids) ::kill(p, SIGKILL);
        for (pid_t p : m_pids) ::waitpid(p, nullptr, 0);
    }
    Burners(const Burners&) = delete;
    Burners& operator=(const Burners&) = delete;
    /** Children spinning (on their CPU). */
    std::size_t count() const { return m_ready; }

private:
    std::vector<pid_t> m_pids;
    std::size_t m_ready = 0;
};

}  // namespace loadline::test
