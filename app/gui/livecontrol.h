#pragma once
// Data arriving now, as the user controls it: Live → Start and Stop, the tool bar's sampling
// interval and live window (both remembered), Live → Track Processes Matching…, and Live →
// Connect to Agent…, with the Processes panel's checked processes tracked while sampling. What is
// shown stays the window's business: LiveControl makes the
// LiveSource or AgentSource and hands it to ShowSource, and Stop stops the one it handed while it
// still runs (the data stays).

#include <functional>
#include <memory>

#include <QList>
#include <QObject>
#include <QPointer>

class QDoubleSpinBox;
class QWidget;

namespace loadline::widgets {
class ProcessPicker;
}

namespace loadline::app {

class AgentClient;
struct AgentEndpoint;
class DataSource;
class LiveSession;

class LiveControl : public QObject {
    Q_OBJECT
public:
    using ShowSource = std::function<void(std::unique_ptr<DataSource>)>;

    /** session and agent outlive this; window parents the controls and the dialogs. The
     *  interval and live window are read from the settings. */
    LiveControl(LiveSession* session, AgentClient* agent, ShowSource show, QWidget* window);

    /** The tool bar's "Every" box (seconds) and "Window" box (minutes), named intervalBox and
     *  windowBox. */
    QDoubleSpinBox* intervalBox() const { return m_intervalBox; }
    QDoubleSpinBox* windowBox() const { return m_windowBox; }
    /** How much of the newest data is in view while following live data. */
    double windowSeconds() const;

    /** Tracks the processes checked in picker while sampling, and checks there the processes a
     *  pattern matched (unchecking one untracks it). */
    void setPicker(widgets::ProcessPicker* picker);

    /** Samples this machine into a fresh recording (tracking the picker's processes); nothing
     *  while it samples. */
    void start();
    /** Follows a remote `loadline-cli serve` agent. */
    void connectToAgent(const AgentEndpoint& endpoint);
    /** Stops sampling or disconnects, when what this started still runs. */
    void stop();

    void setInterval(double seconds);  ///< sets the box, remembers it, and resamples at it
    void setWindow(double seconds);    ///< sets the box and remembers it
    /** Writes the interval and the window to the settings. */
    void writeSettings() const;

    void trackPatternDialog();
    void agentDialog();

signals:
    void intervalChanged(double seconds);
    void windowChanged(double seconds);
    void message(const QString& text, int timeoutMs);
    void failed(const QString& title, const QString& message);

private:
    void show(std::unique_ptr<DataSource> source);

    LiveSession* m_session;
    AgentClient* m_agent;
    ShowSource m_show;
    QWidget* m_window;
    QDoubleSpinBox* m_intervalBox = nullptr;
    QDoubleSpinBox* m_windowBox = nullptr;
    widgets::ProcessPicker* m_picker = nullptr;
    QPointer<DataSource> m_started;  // the source handed last (gone once the window drops it)
};

}  // namespace loadline::app
