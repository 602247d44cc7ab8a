#include "app/gui/storefollower.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include <QMetaObject>
#include <QTimer>

#include "core/format/outputlock.h"
#include "core/store/llrec.h"

namespace loadline::app {

// Shared by the follower and its worker thread; the worker may outlive the follower (a read
// stuck on a hung file system), so it reaches the follower only through receiver, under mutex.
struct StoreFollower::Job {
    std::string path;
    core::store::StoreCursor cursor;
    double after = core::kMissing;
    core::LoadResult result;
    bool notStore = false;    // a py-perf JSON file: nothing to follow
    bool writerGone = false;  // not closed, and no recorder holds it: nothing more will come

    std::mutex mutex;
    StoreFollower* receiver = nullptr;
};

StoreFollower::StoreFollower(QObject* parent) : QObject(parent), m_timer(new QTimer(this)) {
    setObjectName(QStringLiteral("storeFollower"));
    m_timer->setSingleShot(true);
    m_timer->setInterval(500);
    connect(m_timer, &QTimer::timeout, this, &StoreFollower::poll);
}

StoreFollower::~StoreFollower() { stop(); }

void StoreFollower::setPollInterval(int ms) { m_timer->setInterval(std::max(10, ms)); }
int StoreFollower::pollInterval() const { return m_timer->interval(); }

void StoreFollower::follow(const QString& path, std::shared_ptr<core::Recording> recording) {
    stop();
    if (!recording) return;
    m_path = path;
    m_recording = std::move(recording);
    m_lastSeq = -1;
    poll();  // at once: a closed store stops following without waiting a period
}

void StoreFollower::stop() {
    m_timer->stop();
    if (m_job) {
        std::lock_guard lock(m_job->mutex);
        m_job->receiver = nullptr;
    }
    m_job.reset();
    m_recording.reset();
    if (m_open) {
        m_open = false;
        emit followingChanged(false);
    }
}

void StoreFollower::poll() {
    if (!m_recording || m_job) return;
    auto job = std::make_shared<Job>();
    job->path = m_path.toStdString();
    job->cursor.lastSeq = m_lastSeq;
    // The first read continues after what the loader read: ticks newer than the last shown.
    if (m_lastSeq < 0) job->after = m_recording->timeline.lastTime().value_or(core::kMissing);
    job->receiver = this;
    m_job = job;
    std::thread([job] {
        // Checked here, not on the GUI thread: any opened file may be followed, only stores are.
        job->notStore = !core::store::looksLikeStore(job->path);
        if (!job->notStore) {
            // A recorder holds the store's lock (FILE.lock, core/format/outputlock.h) until after
            // it closed the store, and the kernel drops the lock however the recorder ends. So
            // when nobody held it before this read and the read finds the store still open, its
            // recorder died (kill -9, a crash, the machine went down) and nothing more will come.
            const bool unlocked = core::OutputLock::holder(job->path) == 0;
            job->result = core::store::loadStoreTicksAfter(job->path, job->cursor, job->after);
            job->writerGone = unlocked && job->result && !job->cursor.closed;
        }
        std::lock_guard lock(job->mutex);
        if (job->receiver)
            QMetaObject::invokeMethod(
                job->receiver,
                [job] {
                    StoreFollower* receiver = nullptr;
                    {
                        std::lock_guard lock(job->mutex);
                        receiver = job->receiver;
                    }
                    if (receiver) receiver->onRead(job);
                },
                Qt::QueuedConnection);
    }).detach();
}

void StoreFollower::onRead(const std::shared_ptr<Job>& job) {
    if (job != m_job || !m_recording) return;
    m_job.reset();
    if (job->notStore) {
        stop();
        return;
    }
    if (!job->result) {
        const QString message = QString::fromStdString(job->result.error().toString());
        stop();
        emit failed(message);
        return;
    }
    m_lastSeq = job->cursor.lastSeq;
    const core::Timeline& delta = job->result->timeline;
    const bool any = !delta.system.empty() || std::any_of(delta.processes.begin(), delta.processes.end(),
                                                          [](const auto& p) { return !p.second.samples.empty(); });
    if (any) core::store::appendTicks(m_recording->timeline, delta);
    if (job->writerGone) {
        const auto samples = static_cast<int>(m_recording->timeline.system.size());
        stop();
        if (any) emit ticksAppended();
        emit failed(
            tr("the recorder ended without closing the store (killed, or the machine went down): %n "
               "sample(s), no more will come",
               nullptr, samples));
        return;
    }
    const bool closed = job->cursor.closed;
    if (closed) {
        if (job->result->timeline.metadata.endTime)
            m_recording->timeline.metadata.endTime = job->result->timeline.metadata.endTime;
        stop();
    } else {
        m_timer->start();
        if (!m_open) {
            m_open = true;
            emit followingChanged(true);
        }
    }
    if (any) emit ticksAppended();
    if (closed) emit finished();
}

}  // namespace loadline::app
