#include "core/sampler/sampler.h"

#include <algorithm>
#include <chrono>
#include <unistd.h>

#include "core/collect/pidparse.h"
#include "core/timeline/cpumeasured.h"

namespace loadline::core {

Sampler::Sampler(SamplerOptions options)
    : m_options(std::move(options)),
      m_interval(std::max(0.01, m_options.interval)),
      m_system(m_options.roots, m_options.system),
      m_writer(m_options.system.perCpu, m_options.extraColumns),
      m_host(HostConstants::fromSystem()),
      m_timeline(m_options.maxSamples) {
    m_bootTime = readBootTime(m_options.roots);
    m_timeline.metadata.platform = "Linux";
    // Says that process CPU was measured (core/timeline/cpumeasured.h): a 0.0 here is real.
    m_timeline.metadata.extra.emplace_back(kRecorderKey, kRecorderLoadline);
    m_timeline.metadata.sampleInterval = m_interval;
    if (m_options.maxSamples) m_timeline.system.reserve(m_options.maxSamples);
    if (m_options.topN > 0) m_table = std::make_unique<ProcessTable>(m_options.roots, m_host);
}

Sampler::~Sampler() { stop(); }

void Sampler::setSink(Sink sink) {
    std::lock_guard lock(m_mutex);
    m_sink = std::move(sink);
}

Status Sampler::attach(int pid, bool byPattern, std::uint64_t expectedStartTicks) {
    for (auto& t : m_tracked) {
        if (!t.alive || t.reader.pid() != pid) continue;
        if (expectedStartTicks == 0 || t.reader.startTicks() == expectedStartTicks) return {};  // already tracked
        // The PID now belongs to another process: the tracked one exited since the last tick.
        t.alive = false;
        std::lock_guard lock(m_mutex);
        for (auto& i : m_trackedInfo)
            if (i.pid == pid && i.alive && i.createTime == t.createTime) i.alive = false;
    }
    ProcessReader r(m_options.roots, m_bootTime, m_host, m_options.process);
    if (Status attached = r.attach(pid, expectedStartTicks); !attached) return attached;
    Tracked t{std::move(r), true, byPattern, 0, {}};
    t.lastName = t.reader.name();
    t.createTime = m_bootTime + static_cast<double>(t.reader.startTicks()) / static_cast<double>(m_host.clockTicks);
    {
        std::lock_guard lock(m_mutex);
        m_trackedInfo.push_back({pid, t.reader.name(), t.reader.cmdline(), t.createTime, true, byPattern});
    }
    m_tracked.push_back(std::move(t));
    m_procSamples.reserve(m_tracked.size());
    return {};
}

Status Sampler::start() {
    if (running()) return {};
    if (Status primed = prime(); !primed) return primed;
    m_thread = std::jthread([this](std::stop_token st) { run(st); });
    return {};
}

void Sampler::stop() {
    if (!m_thread.joinable()) return;
    m_thread.request_stop();
    m_wake.notify_all();
    m_thread.join();
}

std::unique_ptr<ProcessMatcher> Sampler::makeMatcher() const {
    ProcessMatcherOptions mo;
    mo.procRoot = m_options.roots.proc;
    if (!m_options.trackSelf) mo.excludePid = static_cast<int>(::getpid());  // the recorder matching its own --match
    return std::make_unique<ProcessMatcher>(mo);
}

Status Sampler::prime() {
    if (m_primed) return {};
    if (!m_options.namePatterns.empty() || !m_options.cmdlinePatterns.empty()) {
        auto matcher = makeMatcher();
        for (const auto& p : m_options.namePatterns)
            if (Status added = matcher->add(ProcessMatcher::Field::Name, p); !added) return added;
        for (const auto& p : m_options.cmdlinePatterns)
            if (Status added = matcher->add(ProcessMatcher::Field::Cmdline, p); !added) return added;
        m_matcher = std::move(matcher);
    }
    std::vector<int> pids = m_options.pids;
    if (m_options.trackSelf) pids.push_back(static_cast<int>(::getpid()));
    for (int pid : pids) {
        if (Status attached = attach(pid, false); !attached) {
            m_tracked.clear();
            std::lock_guard lock(m_mutex);
            m_trackedInfo.clear();
            return attached;
        }
    }
    m_primed = true;
    m_system.collect(m_sys);  // the first reading: percents and rates need a previous one
    if (m_table) m_table->scan();
    discover(monotonicNow());
    return {};
}

Status Sampler::trackPid(int pid) {
    if (!processExists(pid, m_options.roots)) return fail("no process with PID " + std::to_string(pid), ErrorKind::Io);
    if (running()) {
        std::lock_guard lock(m_mutex);
        m_pendingPids.push_back(pid);
        return {};
    }
    return attach(pid, false);
}

Status Sampler::trackPattern(const std::string& regex, ProcessMatcher::Field field) {
    if (Status ok = ProcessMatcher::check(regex); !ok) return ok;
    std::lock_guard lock(m_mutex);
    m_pendingPatterns.emplace_back(field, regex);
    return {};
}

void Sampler::untrackPid(int pid) {
    std::lock_guard lock(m_mutex);
    m_pendingUntrack.push_back(pid);
}

std::vector<TrackedProcess> Sampler::trackedProcesses() const {
    std::lock_guard lock(m_mutex);
    return m_trackedInfo;
}

void Sampler::applyPending() {
    std::vector<int> pids, untrack;
    std::vector<std::pair<ProcessMatcher::Field, std::string>> patterns;
    {
        std::lock_guard lock(m_mutex);
        if (m_pendingPids.empty() && m_pendingUntrack.empty() && m_pendingPatterns.empty()) return;
        pids.swap(m_pendingPids);
        untrack.swap(m_pendingUntrack);
        patterns.swap(m_pendingPatterns);
    }
    for (int pid : pids) (void)attach(pid, false);
    for (const auto& [field, p] : patterns) {
        if (!m_matcher) m_matcher = makeMatcher();
        (void)m_matcher->add(field, p);  // checked by trackPattern(); every process is decided again
    }
    for (int pid : untrack) {
        for (auto& t : m_tracked)
            if (t.alive && t.reader.pid() == pid) t.alive = false;
        std::lock_guard lock(m_mutex);
        for (auto& i : m_trackedInfo)
            if (i.pid == pid) i.alive = false;
    }
}

void Sampler::discover(double mono) {
    if (!m_matcher || m_matcher->empty()) return;
    m_matcher->scan(m_matched, mono);
    for (const MatchedProcess& m : m_matched) (void)attach(m.pid, true, m.startTicks);  // gone already: skipped
}

void Sampler::tickNow() {
    if (running()) return;
    if (!m_primed && !prime()) return;
    tick();
}

void Sampler::tick() {
    const double mono = monotonicNow();
    const double epoch = epochNow();
    applyPending();
    discover(mono);  // new matches, every tick (processmatcher.h: the cost is bounded)
    m_system.collect(m_sys, epoch, mono);

    std::size_t n = 0;
    for (auto& t : m_tracked) {
        if (!t.alive) continue;
        if (m_procSamples.size() <= n) m_procSamples.emplace_back();
        if (t.reader.sample(m_procSamples[n], epoch, mono)) {
            if (m_procSamples[n].name != t.lastName) {  // exec'd: keep trackedProcesses() current
                t.lastName = m_procSamples[n].name;
                std::lock_guard lock(m_mutex);
                for (auto& i : m_trackedInfo)
                    if (i.pid == t.reader.pid() && i.alive && i.createTime == t.createTime) {
                        i.name = t.reader.name();
                        i.cmdline = t.reader.cmdline();
                    }
            }
            ++n;
        } else {
            t.alive = false;  // exited: stop sampling, keep its history
            std::lock_guard lock(m_mutex);
            for (auto& i : m_trackedInfo)
                if (i.pid == t.reader.pid() && i.alive && i.createTime == t.createTime) i.alive = false;
        }
    }
    // Exited ones leave the list (their history stays): many short-lived matches do not slow ticks.
    if (n < m_tracked.size())
        m_tracked.erase(std::remove_if(m_tracked.begin(), m_tracked.end(), [](const Tracked& t) { return !t.alive; }),
                        m_tracked.end());
    std::span<const ProcessSample> procs(m_procSamples.data(), n);

    std::size_t nTop = 0;
    // A /proc that cannot be listed this tick gives no top rows: the last scan's entries again
    // would be recorded (and drawn) as measured now.
    if (m_table && m_table->scan(mono)) {
        m_table->top(m_options.topSort, m_options.topN, m_topEntries);
        for (ProcessTableEntry* e : m_topEntries) {
            m_table->loadCmdline(*e);  // once per process
            if (m_topSamples.size() <= nTop) m_topSamples.emplace_back();
            ProcessSample& s = m_topSamples[nTop++];
            s.timestamp = epoch;
            s.pid = e->pid;
            s.ppid = e->ppid;
            if (s.name != e->name) s.name = e->name;
            if (s.cmdline != e->cmdline) s.cmdline = e->cmdline;
            s.status = e->status;
            s.cpuPercent = e->cpuPercent;
            s.memoryRssMb = e->rssBytes / (1024.0 * 1024.0);
            s.memoryVmsMb = e->vmsBytes / (1024.0 * 1024.0);
            s.numThreads = e->numThreads;
            s.createTime = e->createTime;
            s.startTicks = e->startTicks;
            s.ioReadBytes = s.ioWriteBytes = s.ioReadBytesPerS = s.ioWriteBytesPerS = s.numFds = kMissing;
        }
    }
    std::span<const ProcessSample> top(m_topSamples.data(), nTop);

    const std::uint64_t index = m_ticks.load();
    Sink sink;
    const std::vector<alert::AlertEvent>* alertEvents = nullptr;
    {
        std::lock_guard lock(m_mutex);
        m_writer.appendSystem(m_timeline, m_sys);
        for (const auto& p : procs) m_writer.appendProcess(m_timeline, p);
        for (const auto& p : top) {
            bool tracked =
                std::any_of(procs.begin(), procs.end(), [&](const ProcessSample& q) { return q.pid == p.pid; });
            if (!tracked) m_writer.appendProcess(m_timeline, p);
        }
        if (!m_timeline.metadata.startTime) m_timeline.metadata.startTime = epoch;
        m_timeline.metadata.endTime = epoch;
        m_latest.tickCount = index + 1;
        m_latest.system = m_sys;
        m_latest.processes.assign(procs.begin(), procs.end());
        m_latest.top.assign(top.begin(), top.end());
        m_ticks.store(index + 1);
        if (m_alerts) {
            m_alivePids.clear();
            for (const auto& p : procs) m_alivePids.push_back(p.pid);
            for (const auto& p : top)
                if (std::find(m_alivePids.begin(), m_alivePids.end(), p.pid) == m_alivePids.end())
                    m_alivePids.push_back(p.pid);
            alertEvents = &m_alerts->update(m_timeline, m_alivePids);
        }
        // Before the sink: a sink that wakes someone on the last tick (record --samples) must
        // find finished() already true, or the woken thread goes back to sleep.
        if (m_options.maxTicks && index + 1 >= m_options.maxTicks) m_finished.store(true);
        if (m_sink) {
            SamplerTick t{index, &m_sys, procs, top};
            t.late = m_late;
            t.missed = m_missed;
            if (m_alerts) t.alerts = &m_alerts->evaluator();
            // Called under the lock so setSink() cannot swap it mid-call; sinks must not call
            // back into latest()/withTimeline() (they would deadlock): the tick carries the data.
            m_sink(t);
        }
    }
    // Outside the lock: only this thread changes the intervals the events point to.
    if (alertEvents && m_onAlert)
        for (const auto& e : *alertEvents) m_onAlert(e);
}

void Sampler::setAlerts(std::vector<alert::AlertRule> rules, AlertCallback onAlert) {
    std::lock_guard lock(m_mutex);
    m_alerts = rules.empty()
                   ? nullptr
                   : std::make_unique<alert::TimelineAlerts>(std::move(rules), alert::EvaluatorOptions{m_interval});
    m_onAlert = std::move(onAlert);
}

std::vector<alert::AlertInterval> Sampler::alertIntervals() const {
    std::lock_guard lock(m_mutex);
    return m_alerts ? m_alerts->intervals() : std::vector<alert::AlertInterval>{};
}

void Sampler::run(std::stop_token st) {
    using clock = std::chrono::steady_clock;
    const auto period = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(m_interval));
    auto next = clock::now() + period;
    while (!st.stop_requested()) {
        {
            std::unique_lock lock(m_waitMutex);
            m_wake.wait_until(lock, st, next, [] { return false; });
        }
        if (st.stop_requested()) break;
        m_late = std::chrono::duration<double>(clock::now() - next).count();
        tick();
        if (m_finished.load()) break;
        const auto following = nextDeadline(next, clock::now(), period);
        m_missed = static_cast<std::uint64_t>((following - next) / period) - 1;
        next = following;
    }
}

std::chrono::steady_clock::time_point nextDeadline(std::chrono::steady_clock::time_point prev,
                                                   std::chrono::steady_clock::time_point now,
                                                   std::chrono::steady_clock::duration period) {
    // Absolute deadlines: no drift. If a tick overran whole periods, skip them (no burst).
    auto next = prev + period;
    if (next <= now) next += ((now - next) / period + 1) * period;
    return next;
}

SamplerSnapshot Sampler::latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

Timeline Sampler::timeline() const {
    std::lock_guard lock(m_mutex);
    return m_timeline;
}

}  // namespace loadline::core
