#pragma once
// What loadline-cli record does with each alert that opens, escalates or closes, without ever
// blocking the sampler: the sampler's callback only copies the alert into a bounded queue; a
// worker thread prints it and runs the --on-alert command (/bin/sh -c CMD, the alert in
// LOADLINE_ALERT_* environment variables, not waited for). At most maxRunning commands run at
// once: an alert arriving while they all still run is skipped and counted, never queued without
// bound.
//
// Environment of the command: LOADLINE_ALERT_STATE (opened, escalated, closed), _RULE, _METRIC,
// _VALUE (the value that caused the change; empty for a process exit or a gap), _THRESHOLD,
// _CRITICAL, _SEVERITY (warning, critical), _PID and _PROCESS (empty for system metrics), _START,
// _END (empty while open), _PEAK, _PEAK_TIME, _TIME (epoch seconds).
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/alert/evaluator.h"

namespace loadline::cli {

class AlertDispatcher {
public:
    /** command: empty for none; log: where opened/closed lines go (nullptr: nowhere). */
    AlertDispatcher(std::vector<core::alert::AlertRule> rules, std::string command, std::FILE* log,
                    std::size_t maxRunning = 4, std::size_t maxQueued = 256);
    ~AlertDispatcher();  // finishes printing; does not wait for commands still running
    AlertDispatcher(const AlertDispatcher&) = delete;
    AlertDispatcher& operator=(const AlertDispatcher&) = delete;

    /** Sampler thread: copies the alert and returns at once. */
    void submit(const core::alert::AlertEvent& event);

    std::uint64_t commandsRun() const;
    std::uint64_t commandsSkipped() const;  // all maxRunning commands still busy
    std::uint64_t eventsDropped() const;    // the queue was full (the worker fell behind)
    /** Ends the worker after what is queued (called by the destructor). */
    void finish();

    /** The LOADLINE_ALERT_* variables of an alert, "NAME=value" each. */
    static std::vector<std::string> environment(const core::alert::AlertEvent& event,
                                                const core::alert::AlertRule& rule);

private:
    struct Item {
        core::alert::AlertState state;
        core::alert::AlertInterval interval;
        double time, value;
    };
    void work();
    void reap(bool block);
    void spawn(const Item& item);

    std::vector<core::alert::AlertRule> m_rules;
    std::string m_command;
    std::FILE* m_log;
    std::size_t m_maxRunning, m_maxQueued;

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Item> m_queue;
    bool m_stop = false;
    std::uint64_t m_run = 0, m_skipped = 0, m_dropped = 0;
    std::vector<pid_t> m_running;  // worker only
    std::thread m_worker;
};

}  // namespace loadline::cli
