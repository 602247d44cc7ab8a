#pragma once
// Opens recordings on a worker thread so a big file never freezes the window. Progress arrives
// as signals on the GUI thread; cancel() sets the load's cancellation flag, which the parser
// checks at every sample, so a cancelled load stops at once. One load at a time: a new load()
// cancels the one running. A cancelled or superseded load never emits loaded().
//
// The worker is a detached thread of its own, not one of Qt's global pool: the application
// waits for the global pool when it quits, so a worker stuck in the kernel (a read from a hung
// network file system) would keep the process alive after the window closed. A detached worker
// shares only reference-counted state with the loader and never outlives the process.

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <QObject>
#include <QString>

#include "core/format/recordingio.h"

namespace loadline::app {

class RecordingLoader : public QObject {
    Q_OBJECT
public:
    /** What the worker runs; core::loadRecordingFile unless a test supplies another. */
    using LoadFunction = std::function<core::LoadResult(const std::string& path, const core::LoadOptions& options)>;

    explicit RecordingLoader(QObject* parent = nullptr, LoadFunction load = {});
    ~RecordingLoader() override;

    void load(const QString& path);
    void cancel();
    bool isRunning() const { return m_job != nullptr; }
    QString currentPath() const;
    /** Workers started and not yet returned (stuck or cancelled ones included), process-wide. */
    static int workersRunning();

signals:
    /** 0..100 while loading. */
    void progressChanged(int percent);
    void loaded(const QString& path, std::shared_ptr<loadline::core::Recording> recording);
    /** message is the loader's "FILE:LINE:COLUMN: message". */
    void failed(const QString& path, const QString& message);
    void cancelled(const QString& path);

private:
    struct Job;
    void finish(const std::shared_ptr<Job>& job, const std::shared_ptr<core::LoadResult>& result);

    LoadFunction m_load;
    std::shared_ptr<Job> m_job;
};

}  // namespace loadline::app
