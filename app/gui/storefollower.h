#pragma once
// Follows a .llrec store that a recorder is still writing (`loadline RUN.llrec` during
// `loadline-cli record -o RUN.llrec`), like `tail -f`: a timer polls the store on a worker
// thread, which reads only the ticks committed after the last one seen
// (core::store::loadStoreTicksAfter); the GUI thread appends them to the shown recording and
// signals. It stops by itself when the store says the recording is closed, or when it is not
// closed and its recorder no longer holds its lock (the recorder was killed). The GUI thread
// never touches the file; the worker never touches the shown recording.

#include <memory>

#include <QObject>
#include <QString>

#include "core/timeline/timeline.h"

class QTimer;

namespace loadline::app {

class StoreFollower : public QObject {
    Q_OBJECT
public:
    explicit StoreFollower(QObject* parent = nullptr);
    ~StoreFollower() override;

    /** Starts following path into recording (loaded from it: ticks after its last time are new). */
    void follow(const QString& path, std::shared_ptr<core::Recording> recording);
    /** Stops (a read in flight is dropped). */
    void stop();
    /** Reading or waiting to read: the followed recording may still grow (on the GUI thread). */
    bool isActive() const { return m_recording != nullptr; }
    /** A store was found still being written and is followed (false until the first read says so). */
    bool isFollowing() const { return m_recording != nullptr && m_open; }
    QString path() const { return m_path; }
    /** Milliseconds between polls (the recorder commits about once a second). */
    void setPollInterval(int ms);
    int pollInterval() const;

signals:
    /** Ticks were appended to the followed recording's timeline (on the GUI thread). */
    void ticksAppended();
    /** isFollowing() changed. */
    void followingChanged(bool following);
    /** The store says the recording is closed: following stopped. */
    void finished();
    /** A read failed (the file went away, was replaced by a non-store), or the store is still open
     *  but no recorder holds it any more (killed): following stopped. */
    void failed(const QString& message);

private:
    struct Job;
    void poll();
    void onRead(const std::shared_ptr<Job>& job);

    QTimer* m_timer = nullptr;
    QString m_path;
    std::shared_ptr<core::Recording> m_recording;
    std::shared_ptr<Job> m_job;  // the read in flight, if any
    std::int64_t m_lastSeq = -1;
    bool m_open = false;  // the last read found the recording not closed
};

}  // namespace loadline::app
