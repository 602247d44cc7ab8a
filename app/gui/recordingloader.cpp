#include "app/gui/recordingloader.h"

#include <QtConcurrent/QtConcurrentRun>

namespace loadline::app {

struct RecordingLoader::Job {
    QString path;
    // Shared with the worker, which may outlive this Job when it is superseded.
    std::shared_ptr<std::atomic_bool> cancelRequested = std::make_shared<std::atomic_bool>(false);
    // Deleted later: finish() runs inside the watcher's own finished() signal.
    QFutureWatcher<std::shared_ptr<core::LoadResult>>* watcher = new QFutureWatcher<std::shared_ptr<core::LoadResult>>;
    ~Job() { watcher->disconnect(); watcher->deleteLater(); }
};

RecordingLoader::RecordingLoader(QObject* parent) : QObject(parent) {}

RecordingLoader::~RecordingLoader() {
    // The worker only touches its own captures, so it may finish after we are gone;
    // the flag makes it stop early and the Job's watcher drops its result. No signal here.
    if (m_job) m_job->cancelRequested->store(true);
}

QString RecordingLoader::currentPath() const { return m_job ? m_job->path : QString(); }

void RecordingLoader::load(const QString& path) {
    cancel();
    auto job = std::make_unique<Job>();
    job->path = path;
    Job* raw = job.get();
    connect(raw->watcher, &QFutureWatcherBase::progressValueChanged, this, [this, raw](int value) {
        if (m_job.get() == raw && !raw->cancelRequested->load()) emit progressChanged(value);
    });
    connect(raw->watcher, &QFutureWatcherBase::finished, this, [this, raw] { finish(raw); });

    const std::string file = path.toStdString();
    auto flag = raw->cancelRequested;
    raw->watcher->setFuture(QtConcurrent::run([file, flag](QPromise<std::shared_ptr<core::LoadResult>>& promise) {
        promise.setProgressRange(0, 100);
        core::LoadOptions options;
        int lastPercent = -1;
        options.progress = [&](double fraction) {
            const int percent = static_cast<int>(fraction * 100.0);
            if (percent != lastPercent) {  // the watcher throttles too; this keeps the worker cheap
                lastPercent = percent;
                promise.setProgressValue(percent);
            }
            return !flag->load();
        };
        auto result = std::make_shared<core::LoadResult>(core::loadRecordingFile(file, options));
        promise.addResult(std::move(result));
    }));
    m_job = std::move(job);
}

void RecordingLoader::cancel() {
    if (!m_job) return;
    m_job->cancelRequested->store(true);
    const QString path = m_job->path;
    m_job.reset();  // the worker keeps its flag; its result is dropped
    emit cancelled(path);
}

void RecordingLoader::finish(Job* job) {
    if (m_job.get() != job) return;
    std::unique_ptr<Job> done = std::move(m_job);
    const QString path = done->path;
    std::shared_ptr<core::LoadResult> result;
    if (done->watcher->future().resultCount() > 0) result = done->watcher->future().result();
    if (!result || result->cancelled || done->cancelRequested->load()) {
        emit cancelled(path);
    } else if (result->recording) {
        auto recording = std::make_shared<core::Recording>(std::move(*result->recording));
        emit loaded(path, std::move(recording));
    } else {
        const QString message = result->error ? QString::fromStdString(result->error->toString())
                                              : tr("%1: could not be read").arg(path);
        emit failed(path, message);
    }
}

}  // namespace loadline::app
