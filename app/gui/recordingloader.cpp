#include "app/gui/recordingloader.h"

#include <mutex>
#include <thread>

#include <QMetaObject>
#include <QPointer>

namespace loadline::app {

namespace {
std::atomic<int> g_workers{0};
}

// Shared by the loader and its worker thread; the worker may outlive the loader.
struct RecordingLoader::Job {
    QString path;
    std::atomic_bool cancelRequested{false};
    // The loader while it wants this job's signals; null once cancelled, superseded or destroyed.
    // Held under the mutex while posting, so the loader is never deleted in between.
    std::mutex mutex;
    RecordingLoader* receiver = nullptr;

    template <typename F>
    void post(F&& f) {
        std::lock_guard lock(mutex);
        if (receiver) QMetaObject::invokeMethod(receiver, std::forward<F>(f), Qt::QueuedConnection);
    }
    void detach() {
        cancelRequested.store(true);
        std::lock_guard lock(mutex);
        receiver = nullptr;
    }
};

RecordingLoader::RecordingLoader(QObject* parent, LoadFunction load)
    : QObject(parent), m_load(load ? std::move(load) : LoadFunction(&core::loadRecordingFile)) {}

RecordingLoader::~RecordingLoader() {
    // The worker stops at its next check of the flag (or never, if stuck): no signal here.
    if (m_job) m_job->detach();
}

int RecordingLoader::workersRunning() { return g_workers.load(); }

QString RecordingLoader::currentPath() const { return m_job ? m_job->path : QString(); }

void RecordingLoader::load(const QString& path) {
    cancel();
    auto job = std::make_shared<Job>();
    job->path = path;
    job->receiver = this;
    m_job = job;
    const std::string file = path.toStdString();
    ++g_workers;
    std::thread([job, file, load = m_load] {
        core::LoadOptions options;
        options.cancel = &job->cancelRequested;
        int lastPercent = -1;
        options.progress = [&](double fraction) {
            const int percent = static_cast<int>(fraction * 100.0);
            if (percent != lastPercent) {
                lastPercent = percent;
                job->post([job, percent] {
                    // On the GUI thread; the event died with the loader had it been deleted.
                    RecordingLoader* receiver = nullptr;
                    {
                        std::lock_guard lock(job->mutex);
                        receiver = job->receiver;
                    }
                    if (receiver && !job->cancelRequested.load()) emit receiver->progressChanged(percent);
                });
            }
            return !job->cancelRequested.load();
        };
        auto result = std::make_shared<core::LoadResult>(load(file, options));
        job->post([job, result] {
            RecordingLoader* receiver = nullptr;
            {
                std::lock_guard lock(job->mutex);
                receiver = job->receiver;
            }
            if (receiver) receiver->finish(job, result);
        });
        --g_workers;
    }).detach();
}

void RecordingLoader::cancel() {
    if (!m_job) return;
    std::shared_ptr<Job> job = std::move(m_job);
    job->detach();  // the worker stops at its next check; its result is dropped
    emit cancelled(job->path);
}

void RecordingLoader::finish(const std::shared_ptr<Job>& job, const std::shared_ptr<core::LoadResult>& result) {
    if (m_job != job) return;
    m_job.reset();
    const QString path = job->path;
    if (!result || (!*result && result->error().kind == core::ErrorKind::Cancelled) || job->cancelRequested.load()) {
        emit cancelled(path);
    } else if (*result) {
        auto recording = std::make_shared<core::Recording>(std::move(**result));
        emit loaded(path, std::move(recording));
    } else {
        emit failed(path, QString::fromStdString(result->error().toString()));
    }
}

}  // namespace loadline::app
