#pragma once
// Live monitoring: bridges the Qt-free core sampler (its own thread, a sink callback per tick)
// to the GUI thread, as KDAB hotspot's jobtracker does: the sink copies the tick and posts it
// with QMetaObject::invokeMethod(this, …, Qt::QueuedConnection); the GUI thread owns the
// Timeline and appends the rows, so drawing never races with sampling and the GUI thread
// never waits on /proc.

#include <memory>

#include <QList>
#include <QObject>
#include <QString>

#include "core/timeline/timeline.h"

namespace loadline::app {

class LiveSession : public QObject {
    Q_OBJECT
public:
    explicit LiveSession(QObject* parent = nullptr);
    ~LiveSession() override;  // stops and joins the sampler thread

    /** Starts sampling into a fresh recording. False with a message when the sampler cannot start. */
    bool start(double intervalSeconds, QString* error = nullptr);
    void stop();
    bool isRunning() const;
    double interval() const { return m_interval; }
    /** Changes the interval; when running, restarts the sampler into the same recording. */
    bool setInterval(double seconds, QString* error = nullptr);

    /** Processes sampled besides the system (PIDs; applied at once when running). */
    void setTrackedPids(const QList<int>& pids);
    QList<int> trackedPids() const { return m_tracked; }

    /** The recording being filled; owned and modified on the GUI thread only. */
    std::shared_ptr<core::Recording> recording() const { return m_recording; }
    /** Rows kept per table (a ring: the oldest are dropped). */
    static constexpr std::size_t kMaxSamples = 200'000;  // ~28 h at 0.5 s

signals:
    void started();
    void stopped();
    /** Rows were appended to recording()->timeline (on the GUI thread). */
    void samplesAppended();
    /** A tracked process got its first sample (a new series in the timeline). */
    void processesChanged();

private:
    bool startSampler(QString* error);
    /** GUI thread: appends the ticks the sampler handed over, then signals. */
    void drain();

    struct Impl;
    std::unique_ptr<Impl> d;
    std::shared_ptr<core::Recording> m_recording;
    QList<int> m_tracked;
    double m_interval = 0.5;
};

}  // namespace loadline::app
