#pragma once
// Live monitoring: bridges the Qt-free core sampler (its own thread, a sink callback per tick)
// to the GUI thread, as KDAB hotspot's jobtracker does: the sink copies the tick and posts it
// with QMetaObject::invokeMethod(this, …, Qt::QueuedConnection); the GUI thread owns the
// Timeline and appends the rows, so drawing never races with sampling and the GUI thread
// never waits on /proc. Even starting (the sampler's first readings, opening the GPU
// libraries) runs on the thread pool; started() or startFailed() follows.

#include <memory>

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include "core/timeline/timeline.h"

namespace loadline::app {

class LiveSession : public QObject {
    Q_OBJECT
public:
    explicit LiveSession(QObject* parent = nullptr);
    ~LiveSession() override;  // stops and joins the sampler thread

    /** Starts sampling into a fresh recording(); started() or startFailed() follows. */
    void start(double intervalSeconds);
    /** Stops sampling; the recording stays. */
    void stop();
    /** Sampling, or starting to. */
    bool isRunning() const;
    double interval() const { return m_interval; }
    /** Changes the interval; when running, restarts the sampler into the same recording. */
    void setInterval(double seconds);

    /** Processes sampled besides the system (PIDs; applied at once when running). */
    void setTrackedPids(const QList<int>& pids);
    QList<int> trackedPids() const { return m_tracked; }
    /** Records PIDs the sampler already tracks (matched by a pattern), so unchecking them untracks. */
    void adoptTrackedPids(const QList<int>& pids);
    /** What a track pattern is matched against (core/collect/processmatcher.h). */
    enum class Match { Name, Cmdline };
    /**
     * Also tracks every process whose name (or, with Match::Cmdline, command line) matches a regex
     * (ECMAScript, searched like pgrep / pgrep -f), now and as they start or exec (py-perf's
     * track_python_processes). False with a message for a bad regex.
     */
    bool addTrackPattern(const QString& regex, QString* error = nullptr, Match match = Match::Name);
    QStringList trackPatterns() const { return m_patterns; }
    QStringList trackCmdlinePatterns() const { return m_cmdlinePatterns; }
    /** Forgets the patterns; processes matched so far stay tracked until the next start(). */
    void clearTrackPatterns() {
        m_patterns.clear();
        m_cmdlinePatterns.clear();
    }

    /** The recording being filled; owned and modified on the GUI thread only. */
    std::shared_ptr<core::Recording> recording() const { return m_recording; }
    /** Rows kept per table (a ring: the oldest are dropped). */
    static constexpr std::size_t kMaxSamples = 200'000;  // ~28 h at 0.5 s

signals:
    void started();
    void startFailed(const QString& message);
    void stopped();
    /** Rows were appended to recording()->timeline (on the GUI thread). */
    void samplesAppended();
    /** A tracked process got its first sample (a new series in the timeline). */
    void processesChanged();

private:
    void startSampler();
    void stopSampler();
    /** GUI thread: appends the ticks the sampler handed over, then signals. */
    void drain();

    struct Impl;
    std::unique_ptr<Impl> d;
    std::shared_ptr<core::Recording> m_recording;
    QList<int> m_tracked;
    QStringList m_patterns, m_cmdlinePatterns;
    double m_interval = 0.5;
};

}  // namespace loadline::app
