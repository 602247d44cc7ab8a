#pragma once
// Opens recordings on a worker thread (QtConcurrent) so a big file never freezes the window.
// Progress arrives as signals on the GUI thread; cancel() makes the loader's progress callback
// return false. One load at a time: a new load() cancels the one running. A cancelled or
// superseded load never emits loaded().

#include <atomic>
#include <memory>

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include "core/format/recordingio.h"

namespace loadline::app {

class RecordingLoader : public QObject {
    Q_OBJECT
public:
    explicit RecordingLoader(QObject* parent = nullptr);
    ~RecordingLoader() override;

    void load(const QString& path);
    void cancel();
    bool isRunning() const { return m_job != nullptr; }
    QString currentPath() const;

signals:
    /** 0..100 while loading. */
    void progressChanged(int percent);
    void loaded(const QString& path, std::shared_ptr<loadline::core::Recording> recording);
    /** message is the loader's "FILE:LINE:COLUMN: message". */
    void failed(const QString& path, const QString& message);
    void cancelled(const QString& path);

private:
    struct Job;
    void finish(Job* job);

    std::unique_ptr<Job> m_job;
};

}  // namespace loadline::app
