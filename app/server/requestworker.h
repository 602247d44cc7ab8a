#pragma once
// One thread that serves the requests whose cost grows with what clients send (parsing pushed
// bodies, correlating performance summaries, slicing history), so the HTTP thread keeps answering
// /api/health and Prometheus scrapes meanwhile. The queue is bounded (a full queue is the caller's
// 503) and a job that waited too long is expired instead of run: both bound the time a request
// can wait. The thread runs at a lower priority than the HTTP thread.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace loadline::server {

class RequestWorker {
public:
    RequestWorker(int maxQueue, int maxWaitMs);
    /** Stops the thread after the job in progress; jobs still queued are dropped. */
    ~RequestWorker();
    RequestWorker(const RequestWorker&) = delete;
    RequestWorker& operator=(const RequestWorker&) = delete;

    /** Queues run (on the worker); false when the queue is full. If the job waited longer than
     *  maxWaitMs when its turn comes, expired runs (on the worker) instead. */
    bool submit(std::function<void()> run, std::function<void()> expired);

private:
    struct Job {
        std::function<void()> run;
        std::function<void()> expired;
        std::chrono::steady_clock::time_point queued;
    };
    void loop();

    const std::size_t m_maxQueue;
    const std::chrono::milliseconds m_maxWait;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace loadline::server
