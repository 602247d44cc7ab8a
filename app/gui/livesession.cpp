#include "app/gui/livesession.h"

#include <mutex>
#include <vector>

#include <QMetaObject>
#include <QPointer>

#include "core/sampler/sampler.h"
#include "core/sampler/timelinewriter.h"

namespace loadline::app {

namespace {
/** One tick copied out of the sampler's buffers. Reused: assignment keeps string/vector capacity. */
struct TickCopy {
    core::SystemSample system;
    std::vector<core::ProcessSample> processes;
};
}  // namespace

/**
 * The hand-over between the sampler thread and the GUI thread. The sink copies each tick into
 * a reused TickCopy under a short lock and posts one drain() per batch (a GUI thread that is
 * busy gets several ticks in one call instead of a backlog of events). The GUI thread appends
 * them to its own Timeline; the sampler never touches it.
 */
struct LiveSession::Impl {
    std::unique_ptr<core::Sampler> sampler;
    core::TimelineWriter writer;

    std::mutex mutex;              // guards pending, spare, drainPosted
    std::vector<TickCopy> pending;  // filled by the sampler thread
    std::vector<TickCopy> spare;    // emptied buffers, reused by the sink
    bool drainPosted = false;
    std::vector<TickCopy> draining;  // GUI thread only
};

LiveSession::LiveSession(QObject* parent) : QObject(parent), d(std::make_unique<Impl>()) {}

LiveSession::~LiveSession() { stop(); }

bool LiveSession::isRunning() const { return d->sampler && d->sampler->running(); }

bool LiveSession::start(double intervalSeconds, QString* error) {
    if (isRunning()) return true;
    m_interval = intervalSeconds;
    m_recording = std::make_shared<core::Recording>();
    m_recording->timeline = core::Timeline(kMaxSamples);
    m_recording->timeline.metadata.platform = "Linux";
    m_recording->timeline.metadata.sampleInterval = intervalSeconds;
    d->writer.reset();
    if (!startSampler(error)) {
        m_recording.reset();
        return false;
    }
    emit started();
    return true;
}

bool LiveSession::startSampler(QString* error) {
    core::SamplerOptions options;
    options.interval = m_interval;
    options.maxSamples = 4;  // the sampler's own history is unused: the GUI keeps the timeline
    options.system.perCpu = true;
    auto sampler = std::make_unique<core::Sampler>(options);

    // Runs on the sampler thread. `this` outlives the sampler: stop() joins it first.
    sampler->setSink([this](const core::SamplerTick& tick) {
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
    });

    std::string message;
    if (!sampler->start(&message)) {
        if (error) *error = QString::fromStdString(message);
        return false;
    }
    for (int pid : std::as_const(m_tracked)) sampler->trackPid(pid);  // one that exited is skipped
    d->sampler = std::move(sampler);
    return true;
}

void LiveSession::stop() {
    if (!d->sampler) return;
    const bool wasRunning = d->sampler->running();
    d->sampler->stop();  // joins: no sink call after this
    d->sampler.reset();
    drain();  // what the last ticks delivered
    if (wasRunning) emit stopped();
}

bool LiveSession::setInterval(double seconds, QString* error) {
    if (qFuzzyCompare(seconds, m_interval)) return true;
    m_interval = seconds;
    if (!isRunning()) return true;
    // The sampler's schedule is fixed at start: restart it, keeping the same recording.
    d->sampler->stop();
    d->sampler.reset();
    drain();
    m_recording->timeline.metadata.sampleInterval = seconds;
    if (!startSampler(error)) {
        emit stopped();
        return false;
    }
    return true;
}

void LiveSession::setTrackedPids(const QList<int>& pids) {
    if (d->sampler) {
        for (int pid : std::as_const(m_tracked))
            if (!pids.contains(pid)) d->sampler->untrackPid(pid);
        for (int pid : pids)
            if (!m_tracked.contains(pid)) d->sampler->trackPid(pid);
    }
    m_tracked = pids;
}

void LiveSession::drain() {
    {
        std::lock_guard lock(d->mutex);
        d->draining.swap(d->pending);
        d->drainPosted = false;
    }
    if (d->draining.empty() || !m_recording) return;
    core::Timeline& timeline = m_recording->timeline;
    const std::size_t processesBefore = timeline.processes.size();
    for (const TickCopy& tick : d->draining) {
        d->writer.appendSystem(timeline, tick.system);
        for (const core::ProcessSample& p : tick.processes) d->writer.appendProcess(timeline, p);
        if (!timeline.metadata.startTime) timeline.metadata.startTime = tick.system.timestamp;
        timeline.metadata.endTime = tick.system.timestamp;
    }
    {
        std::lock_guard lock(d->mutex);
        for (TickCopy& t : d->draining) d->spare.push_back(std::move(t));
    }
    d->draining.clear();
    if (timeline.processes.size() != processesBefore) emit processesChanged();
    emit samplesAppended();
}

}  // namespace loadline::app
