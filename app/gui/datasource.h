#pragma once
// What the main window shows, made explicit: one DataSource at a time (a file, a followed .llrec
// store, this machine live, a remote agent, a Prometheus query) plus, for comparisons, a baseline.
// A source says what it shows (a recording, a title, a status line), whether it is live (the
// tool-bar controls that only make sense for data arriving now), and signals new data, state
// changes, messages and errors. The window keeps to layout and wiring: it connects the current
// source's signals when it shows it and drops them when it shows another, so an old source can
// never reach the window (sources in datasources.h).

#include <memory>
#include <optional>

#include <QObject>
#include <QString>

#include "core/timeline/timeline.h"

namespace loadline::app {

class DataSource : public QObject {
    Q_OBJECT
public:
    enum class Kind { File, Live, Agent, Prometheus, Baseline };
    Q_ENUM(Kind)

    explicit DataSource(QObject* parent = nullptr) : QObject(parent) {}

    virtual Kind kind() const = 0;
    /** What is shown; set by the time start() returns (a live session or an agent starts a
     *  fresh recording), modified on the GUI thread only. */
    std::shared_ptr<core::Recording> recording() const { return m_recording; }
    /** The chart's title: a file's name, "Live: host", "Agent: host:port", a query's title. */
    virtual QString title() const = 0;
    /** The status bar's field for the source: "run.llrec (following)", "Live (stopped): host". */
    virtual QString statusLabel() const = 0;
    /** The document shown, for File → Save's proposal, the window's file path and the export
     *  name ("" for live data and agents). */
    virtual QString path() const { return QString(); }
    /** Data arrives now: follow-newest, and the tool bar's Start, Stop, interval and window. */
    virtual bool isLive() const { return false; }
    /** The recording may still grow on the GUI thread (live data, a store being followed): a
     *  save works on a copy. */
    virtual bool isGrowing() const { return isLive(); }
    /** Sampling or connected: what Stop ends. */
    virtual bool isRunning() const { return false; }
    /** The sampling interval to report (the recording's own unless the source sets it). */
    virtual std::optional<double> sampleInterval() const {
        return m_recording ? m_recording->timeline.metadata.sampleInterval : std::nullopt;
    }

    /** Begins delivering data (sampling, connecting, following); stop() ends it, the data stays. */
    virtual void start() {}
    virtual void stop() {}

signals:
    /** Rows were appended to recording()'s timeline. */
    void dataAppended();
    /** isRunning(), statusLabel() or sampleInterval() may have changed. */
    void stateChanged();
    /** A line for the status bar (timeoutMs 0: until replaced). */
    void message(const QString& text, int timeoutMs);
    /** Something failed that the user must read (a dialog). */
    void failed(const QString& title, const QString& message);
    /** The source will not grow any more (a followed store was closed by its recorder). */
    void finished();

protected:
    void setRecording(std::shared_ptr<core::Recording> recording) { m_recording = std::move(recording); }

private:
    std::shared_ptr<core::Recording> m_recording;
};

}  // namespace loadline::app
