#pragma once
// Module core/sampler: the sampling thread: collects (core/collect) on a drift-free schedule
// and appends to a bounded timeline with py-perf's columns, evaluating alerts as it goes.
// Used by loadline-cli record and serve (core/serve's ServeSampler), by instrumented runs
// (core/instrument's Session) and by the window's live monitor.
//
// The sampler: a std::jthread that collects system and process metrics on a drift-free
// schedule (absolute deadlines on steady_clock; samples carry Unix epoch timestamps) and
// appends them to a bounded core::Timeline (py-perf columns + extras, see timelinewriter.h).
//
// Consumers:
//  - a sink callback, called on the sampler thread after each tick with that tick's values
//    (the GUI forwards it with QMetaObject::invokeMethod(..., Qt::QueuedConnection); the HTTP
//    server copies what it needs). Keep it short: it delays the next tick.
//  - latest(): a thread-safe copy of the last tick;
//  - withTimeline()/timeline(): thread-safe access to the recorded history.
//
// Tracking: by PID, the current process, or regexes over a process's name or command line
// (core/collect/processmatcher.h: the one matcher of record, serve and the window), including
// processes that start later or exec later (py-perf's track_python_processes); new matches are
// looked for every tick. A tracked process that exits stops being sampled; its history stays.
// A later process reusing its PID is not the tracked one (kept-open fds + start time); when it
// matches too, it is attached as a new process.
//
// Steady state allocates nothing per tick (bounded tables, reused sample structs).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <span>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "core/alert/timelinealerts.h"
#include "core/base/result.h"
#include "core/collect/processmatcher.h"
#include "core/collect/processreader.h"
#include "core/collect/processtable.h"
#include "core/collect/samples.h"
#include "core/collect/systemcollector.h"
#include "core/sampler/timelinewriter.h"
#include "core/timeline/timeline.h"

namespace loadline::core {

struct SamplerOptions {
    double interval = 0.5;                     // seconds; values below 0.01 are raised to 0.01
    std::size_t maxSamples = 3600;             // py-perf's default history bound (0 = unbounded)
    SystemCollectorOptions system;             // which system metrics (system.perCpu: per-core columns)
    ProcessReadOptions process;                // per tracked process: io bytes and fd count (on by default)
    std::vector<int> pids;                     // track these PIDs (each must exist at start())
    bool trackSelf = false;                    // track the current process
    std::vector<std::string> namePatterns;     // --match: regexes over the process name (processmatcher.h)
    std::vector<std::string> cmdlinePatterns;  // --match-cmdline: regexes over the command line
    std::size_t topN = 0;                      // also record the top N processes (by topSort) each tick
    ProcessSort topSort = ProcessSort::Cpu;
    bool extraColumns = true;    // write loadline's extra columns (see timelinewriter.h)
    std::uint64_t maxTicks = 0;  // stop by itself after this many ticks (0 = run until stop())
    ProcRoots roots;
};

/** What a tick delivers to the sink. Valid only during the call. */
struct SamplerTick {
    std::uint64_t index = 0;  // 0 for the first tick
    const SystemSample* system = nullptr;
    std::span<const ProcessSample> processes;       // tracked processes alive at this tick
    std::span<const ProcessSample> top;             // the top-N processes (topN > 0)
    const alert::AlertEvaluator* alerts = nullptr;  // with setAlerts(): the intervals after this tick
    double late = 0;                                // seconds this tick started after its deadline
    std::uint64_t missed = 0;                       // whole periods skipped just before it (a stall, a suspended VM)
};

/** A copy of one tick. */
struct SamplerSnapshot {
    std::uint64_t tickCount = 0;  // ticks so far (0: nothing collected yet)
    SystemSample system;
    std::vector<ProcessSample> processes;
    std::vector<ProcessSample> top;
};

/** A tracked process and whether it still runs. */
struct TrackedProcess {
    int pid = 0;
    std::string name, cmdline;
    double createTime = 0;
    bool alive = false;
    bool matchedByPattern = false;
};

/** The deadline after prev: prev + period, or, when now is already past it (a tick overran),
 *  the first prev + k * period after now. Deadlines stay on the original grid: no drift, no burst. */
std::chrono::steady_clock::time_point nextDeadline(std::chrono::steady_clock::time_point prev,
                                                   std::chrono::steady_clock::time_point now,
                                                   std::chrono::steady_clock::duration period);

class Sampler {
public:
    using Sink = std::function<void(const SamplerTick&)>;

    explicit Sampler(SamplerOptions options = {});
    ~Sampler();  // stops the thread
    Sampler(const Sampler&) = delete;
    Sampler& operator=(const Sampler&) = delete;

    /** Called on the sampler thread after each tick. Set before start() (or any time; it is locked). */
    void setSink(Sink sink);

    /** Called on the sampler thread for each alert that opens, escalates or closes (mtaio's
     *  on_threshold_exceeded); it delays the next tick, so hand slow work to another thread. */
    using AlertCallback = std::function<void(const alert::AlertEvent&)>;
    /** Evaluates rules after every tick (core/alert); the intervals are kept in the timeline's
     *  "alert_intervals" key. Call before start(). */
    void setAlerts(std::vector<alert::AlertRule> rules, AlertCallback onAlert = {});
    /** The alert intervals so far (open ones without an end). Thread-safe. */
    std::vector<alert::AlertInterval> alertIntervals() const;

    /**
     * Validates the options (a PID that does not exist, a bad regex: an error), takes the first
     * readings, and starts the thread; the first sample comes one interval later.
     */
    Status start();
    /** Stops and joins the thread (idempotent). The timeline stays readable. */
    void stop();
    bool running() const { return m_thread.joinable(); }
    /** True once options.maxTicks samples are taken (set before the sink sees the last one); the
     *  thread then ends by itself. */
    bool finished() const { return m_finished.load(); }

    /** Tracks a PID from the next tick on; an error when it does not exist. Thread-safe. */
    Status trackPid(int pid);
    /** Adds a regex over the process name (or, with field Cmdline, the command line); an error
     *  when it does not compile. Every running process is checked against it. Thread-safe. */
    Status trackPattern(const std::string& regex, ProcessMatcher::Field field = ProcessMatcher::Field::Name);
    /** Stops sampling a PID (its history stays). Thread-safe. */
    void untrackPid(int pid);
    std::vector<TrackedProcess> trackedProcesses() const;

    /** Runs one tick on the calling thread (tests, benches, single-shot tools). Not while running().
     *  The first call takes the first readings (and attaches the options' PIDs) like start(). */
    void tickNow();

    std::uint64_t tickCount() const { return m_ticks.load(); }
    SamplerSnapshot latest() const;
    /** Calls f(const Timeline&) under the sampler's lock: keep it short. */
    template <class F>
    void withTimeline(F&& f) const {
        std::lock_guard lock(m_mutex);
        f(static_cast<const Timeline&>(m_timeline));
    }
    /** A copy of the history (metadata.start_time/end_time/sample_interval/platform set). */
    Timeline timeline() const;
    const SamplerOptions& options() const { return m_options; }

private:
    struct Tracked {
        ProcessReader reader;
        bool alive = true;
        bool byPattern = false;
        double createTime = 0;
        std::string lastName;
    };
    void run(std::stop_token st);
    Status prime();
    void tick();
    void applyPending();
    std::unique_ptr<ProcessMatcher> makeMatcher() const;
    void discover(double mono);
    /** expectedStartTicks != 0: only that process (PID, start time), never a later one. */
    Status attach(int pid, bool byPattern, std::uint64_t expectedStartTicks = 0);

    SamplerOptions m_options;
    double m_interval;
    SystemCollector m_system;
    std::unique_ptr<ProcessTable> m_table;
    std::unique_ptr<ProcessMatcher> m_matcher;  // with patterns
    TimelineWriter m_writer;
    double m_bootTime = 0;
    HostConstants m_host;

    // Sampler-thread state.
    SystemSample m_sys;
    std::vector<Tracked> m_tracked;
    std::vector<ProcessSample> m_procSamples;
    std::vector<ProcessSample> m_topSamples;
    std::vector<ProcessTableEntry*> m_topEntries;
    std::vector<MatchedProcess> m_matched;
    bool m_primed = false;

    std::unique_ptr<alert::TimelineAlerts> m_alerts;  // written under m_mutex, by the sampler thread
    AlertCallback m_onAlert;
    std::vector<int> m_alivePids;

    // Shared state (m_mutex).
    mutable std::mutex m_mutex;
    Timeline m_timeline;
    SamplerSnapshot m_latest;
    Sink m_sink;
    std::vector<int> m_pendingPids, m_pendingUntrack;
    std::vector<std::pair<ProcessMatcher::Field, std::string>> m_pendingPatterns;
    std::vector<TrackedProcess> m_trackedInfo;
    std::atomic<std::uint64_t> m_ticks{0};
    std::atomic<bool> m_finished{false};
    double m_late = 0;  // of the tick being taken (sampler thread only)
    std::uint64_t m_missed = 0;

    std::mutex m_waitMutex;
    std::condition_variable_any m_wake;
    std::jthread m_thread;
};

}  // namespace loadline::core
