#include "app/server/requestworker.h"

#include <algorithm>
#include <cerrno>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace loadline::server {

RequestWorker::RequestWorker(int maxQueue, int maxWaitMs)
    : m_maxQueue(static_cast<std::size_t>(std::max(1, maxQueue))), m_maxWait(std::max(1, maxWaitMs)) {
    m_thread = std::thread([this] { loop(); });
}

RequestWorker::~RequestWorker() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_jobs.clear();
    }
    m_wake.notify_all();
    m_thread.join();
}

bool RequestWorker::submit(std::function<void()> run, std::function<void()> expired) {
    {
        std::lock_guard lock(m_mutex);
        if (m_jobs.size() >= m_maxQueue) return false;
        m_jobs.push_back(Job{std::move(run), std::move(expired), std::chrono::steady_clock::now()});
    }
    m_wake.notify_one();
    return true;
}

void RequestWorker::loop() {
    {
        // Below the HTTP thread (itself below the sampler): a stream of heavy pushes takes
        // the CPU that is left over, not the one health checks and scrapes need.
        const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
        errno = 0;
        const int nice = ::getpriority(PRIO_PROCESS, tid);
        if (errno == 0) ::setpriority(PRIO_PROCESS, tid, std::min(nice + 5, 19));
    }
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
            if (m_stop) return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        if (std::chrono::steady_clock::now() - job.queued > m_maxWait) job.expired();
        else job.run();
    }
}

}  // namespace loadline::server
