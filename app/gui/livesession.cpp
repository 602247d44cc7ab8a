#include "app/gui/livesession.h"

#include <mutex>
#include <vector>

#include <QFutureWatcher>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include "core/sampler/sampler.h"
#include "core/sampler/timelinewriter.h"

namespace loadline::app {

namespace {
/** One tick copied out of the sampler's buffers. Reused: assignment keeps string/vector capacity. */
struct TickCopy {
    core::SystemSample system;
    std::vector<core::ProcessSample> processes;
};

struct StartResult {
    std::shared_ptr<core::Sampler> sampler;
    QString error;
    QList<int> tracked;  // PIDs the worker asked the sampler to track
};
}  // namespace

/**
 * The hand-over between the sampler thread and the GUI thread. The sink copies each tick into
 * a reused TickCopy under a short lock and posts one drain() per batch (a GUI thread that is
 * busy gets several ticks in one call instead of a backlog of events). The GUI thread appends
 * them to its own Timeline; the sampler never touches it.
 */
struct LiveSession::Impl {
    std::shared_ptr<core::Sampler> sampler;  // running
    QFutureWatcher<StartResult> starting;    // a start on the thread pool
    bool startPending = false;               // its result is not taken yet
    core::TimelineWriter writer;

    std::mutex mutex;               // guards pending, spare, drainPosted
    std::vector<TickCopy> pending;  // filled by the sampler thread
    std::vector<TickCopy> spare;    // emptied buffers, reused by the sink
    bool drainPosted = false;
    std::vector<TickCopy> draining;  // GUI thread only
};

LiveSession::LiveSession(QObject* parent) : QObject(parent), d(std::make_unique<Impl>()) {
    connect(&d->starting, &QFutureWatcherBase::finished, this, [this] {
        if (!d->startPending) return;  // stopSampler() took it
        d->startPending = false;
        if (d->starting.future().resultCount() == 0) return;
        StartResult r = d->starting.result();
        if (!r.sampler) {
            emit startFailed(r.error);
            return;
        }
        d->sampler = std::move(r.sampler);
        // Tracking changed while it started: apply the difference (a stat of /proc/PID each).
        for (int pid : std::as_const(r.tracked))
            if (!m_tracked.contains(pid)) d->sampler->untrackPid(pid);
        for (int pid : std::as_const(m_tracked))
            if (!r.tracked.contains(pid)) d->sampler->trackPid(pid);
        emit started();
    });
}

LiveSession::~LiveSession() {
    d->starting.disconnect(this);
    stopSampler();
}

bool LiveSession::isRunning() const { return d->sampler || d->startPending; }

void LiveSession::start(double intervalSeconds) {
    if (isRunning()) return;
    m_interval = intervalSeconds;
    m_recording = std::make_shared<core::Recording>();
    m_recording->timeline = core::Timeline(kMaxSamples);
    m_recording->timeline.metadata.platform = "Linux";
    m_recording->timeline.metadata.sampleInterval = intervalSeconds;
    d->writer.reset();
    startSampler();
}

void LiveSession::startSampler() {
    core::SamplerOptions options;
    options.interval = m_interval;
    options.maxSamples = 4;  // the sampler's own history is unused: the GUI keeps the timeline
    options.system.perCpu = true;
    for (const QString& p : std::as_const(m_patterns)) options.namePatterns.push_back(p.toStdString());
    for (const QString& p : std::as_const(m_cmdlinePatterns)) options.cmdlinePatterns.push_back(p.toStdString());

    // Runs on the sampler thread. `this` outlives the sampler: stopSampler() joins it first.
    core::Sampler::Sink sink = [this](const core::SamplerTick& tick) {
        bool post = false;
        {
            std::lock_guard lock(d->mutex);
            if (d->spare.empty()) d->spare.emplace_back();
            TickCopy copy = std::move(d->spare.back());
            d->spare.pop_back();
            copy.system = *tick.system;
            copy.processes.assign(tick.processes.begin(), tick.processes.end());
            d->pending.push_back(std::move(copy));
            post = !d->drainPosted;
            d->drainPosted = true;
        }
        if (post) QMetaObject::invokeMethod(this, &LiveSession::drain, Qt::QueuedConnection);
    };

    d->startPending = true;
    d->starting.setFuture(QtConcurrent::run([options, sink = std::move(sink), tracked = m_tracked] {
        StartResult r;
        auto sampler = std::make_shared<core::Sampler>(options);
        sampler->setSink(sink);
        std::string message;
        if (!core::succeeded(sampler->start(), &message)) {
            r.error = QString::fromStdString(message);
            return r;
        }
        for (int pid : tracked)
            if (sampler->trackPid(pid)) r.tracked << pid;  // one that exited is skipped
        r.sampler = std::move(sampler);
        return r;
    }));
}

void LiveSession::stopSampler() {
    // A start not taken yet is waited for (it takes the first readings: milliseconds), so there
    // is a sampler to stop and no sink call can come after this.
    if (d->startPending) {
        d->startPending = false;
        d->starting.waitForFinished();
        if (d->starting.future().resultCount() > 0) d->sampler = d->starting.result().sampler;
    }
    if (d->sampler) {
        d->sampler->stop();  // joins the thread: at most the tick in progress
        d->sampler.reset();
    }
    drain();  // what the last ticks delivered
}

void LiveSession::stop() {
    if (!isRunning()) return;
    stopSampler();
    emit stopped();
}

void LiveSession::setInterval(double seconds) {
    if (qFuzzyCompare(seconds, m_interval)) return;
    m_interval = seconds;
    if (!isRunning()) return;
    // The sampler's schedule is fixed at start: restart it, keeping the same recording.
    stopSampler();
    if (m_recording) m_recording->timeline.metadata.sampleInterval = seconds;
    startSampler();
}

void LiveSession::setTrackedPids(const QList<int>& pids) {
    if (d->sampler) {
        for (int pid : std::as_const(m_tracked))
            if (!pids.contains(pid)) d->sampler->untrackPid(pid);
        for (int pid : pids)
            if (!m_tracked.contains(pid)) d->sampler->trackPid(pid);  // a stat of /proc/PID; exited: skipped
    }
    m_tracked = pids;
}

void LiveSession::adoptTrackedPids(const QList<int>& pids) {
    for (int pid : pids)
        if (!m_tracked.contains(pid)) m_tracked << pid;
}

bool LiveSession::addTrackPattern(const QString& regex, QString* error, Match match) {
    const std::string pattern = regex.toStdString();
    std::string why;
    if (!core::succeeded(core::ProcessMatcher::check(pattern), &why)) {
        if (error) *error = tr("Not a valid pattern: %1 (%2)").arg(regex, QString::fromStdString(why));
        return false;
    }
    QStringList& patterns = match == Match::Cmdline ? m_cmdlinePatterns : m_patterns;
    if (patterns.contains(regex)) return true;
    patterns << regex;
    if (d->sampler)
        (void)d->sampler->trackPattern(pattern, match == Match::Cmdline ? core::ProcessMatcher::Field::Cmdline
                                                                        : core::ProcessMatcher::Field::Name);
    return true;
}

void LiveSession::drain() {
    {
        std::lock_guard lock(d->mutex);
        d->draining.swap(d->pending);
        d->drainPosted = false;
    }
    if (d->draining.empty()) return;
    const bool append = m_recording != nullptr;
    const std::size_t processesBefore = append ? m_recording->timeline.processes.size() : 0;
    if (append) {
        core::Timeline& timeline = m_recording->timeline;
        for (const TickCopy& tick : d->draining) {
            d->writer.appendSystem(timeline, tick.system);
            for (const core::ProcessSample& p : tick.processes) d->writer.appendProcess(timeline, p);
            if (!timeline.metadata.startTime) timeline.metadata.startTime = tick.system.timestamp;
            timeline.metadata.endTime = tick.system.timestamp;
        }
    }
    {
        std::lock_guard lock(d->mutex);
        for (TickCopy& t : d->draining) d->spare.push_back(std::move(t));
    }
    d->draining.clear();
    if (!append) return;
    if (m_recording->timeline.processes.size() != processesBefore) emit processesChanged();
    emit samplesAppended();
}

}  // namespace loadline::app
