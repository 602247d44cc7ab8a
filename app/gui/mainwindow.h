#pragma once
// The loadline main window: the timeline chart in the middle, panels (docks) around it,
// menus File / Live / View / Help. Later features add a menu action with menu(...) and a
// panel with addPanel(...), and follow the shown data through recordingChanged().
//
// What is shown is one DataSource (datasource.h: a file or followed store, live sampling, an
// agent, a Prometheus import); the window lays out, wires the current source's signals to the
// chart and the status bar, and drops them when another source is shown. The actions, menus,
// tool bars and their saved settings are built in mainactions.cpp; each job behind them is a
// class of its own: the status bar's fields (StatusPanel), the Warnings panel (WarningsPanel),
// saving (RecordingSaver), PNG export (ExportController), live sampling and agents (LiveControl)
// and the Process box (ProcessBox).

#include <memory>

#include <QMainWindow>
#include <QSize>

#include "core/timeline/timeline.h"

class QActionGroup;
class QDockWidget;
class QStackedWidget;

namespace loadline::widgets {
class ProcessPicker;
class TimelineView;
}  // namespace loadline::widgets

namespace loadline::app {

class AgentClient;
struct AgentEndpoint;
class DataSource;
class ExportController;
class LiveControl;
class LiveSession;
class ProcessBox;
class ProcessScanner;
class RecentFiles;
class RecordingLoader;
class RecordingSaver;
class LevelLoader;
class StatusPanel;
class StoreFollower;
class WarningsPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class Menu { File, Live, View, Help };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // --- extension points ---
    QMenu* menu(Menu which) const;
    /** Docks a panel and lists it in View → Panels. */
    void addPanel(QDockWidget* dock, Qt::DockWidgetArea area);

    // --- what is shown ---
    /** The recording shown (file or live); null before anything was opened. */
    std::shared_ptr<const core::Recording> recording() const { return m_recording; }
    /** What is shown (null before anything was opened); replaced, never reused, on a switch. */
    DataSource* source() const { return m_source.get(); }
    /** The file shown ("" for live data or nothing). */
    QString currentFile() const;
    widgets::TimelineView* timelineView() const { return m_view; }
    widgets::ProcessPicker* processPicker() const { return m_picker; }
    LiveSession* liveSession() const { return m_live; }
    RecordingLoader* loader() const { return m_loader; }
    /** Appends the ticks a recorder still writing into the shown .llrec store commits. */
    StoreFollower* storeFollower() const { return m_follower; }
    LevelLoader* levelLoader() const { return m_levels; }
    QStringList warnings() const;
    /** The status bar's fields, for tests and screen readers. */
    QString statusText() const;
    /** True while the window shows what an agent (loadline-cli serve) sends. */
    bool showingAgent() const;

    // --- commands (the menu actions call these) ---
    /** Opens a recording on a worker thread; fileOpened or openFailed follows. */
    void openFile(const QString& path);
    /** Writes the shown recording as py-perf JSON on a worker thread; saveFinished follows. */
    void saveRecording(const QString& path);
    /** Renders the chart at size × scale and writes a PNG (atomically). */
    bool exportPng(const QString& path, QSize size, qreal scale, QString* error = nullptr, bool withLanes = true);
    /** Where File > Export PNG proposes to write: the folder of the last export (else the
     *  Pictures folder), named after what is shown. */
    QString defaultExportPath() const;
    bool startLive();
    void stopLive();  ///< also disconnects from an agent
    /** Follows a remote `loadline-cli serve` agent in the chart (Live → Connect to Agent…). */
    void connectToAgent(const QString& host, quint16 port, const QString& token = QString());
    /** The same with every setting of the endpoint (HTTPS, CA file, client certificate). */
    void connectToAgent(const AgentEndpoint& endpoint);
    AgentClient* agentClient() const { return m_agent; }
    /** Shows a recording that came from no file (File → Open from Prometheus…), titled title. */
    void showImported(std::shared_ptr<core::Recording> recording, const QString& title);
    void setLiveInterval(double seconds);
    void setLiveWindow(double seconds);
    void setHighlightedPid(int pid);
    int highlightedPid() const;

signals:
    void recordingChanged(std::shared_ptr<const loadline::core::Recording> recording);
    void fileOpened(const QString& path);
    void openFailed(const QString& path, const QString& message);
    void saveFinished(const QString& path, bool ok, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBars();
    void createPanels();
    void readSettings();
    void writeSettings() const;

    /** Stops the current source, shows source (started) instead, and connects its signals. */
    void setSource(std::unique_ptr<DataSource> source);
    void onLoaded(const QString& path, std::shared_ptr<core::Recording> recording);
    void onLoadFailed(const QString& path, const QString& message);
    void onSourceData();
    void onFollowedStoreClosed();
    /** Shows what LiveControl started (this machine live, or an agent). */
    void showLiveSource(std::unique_ptr<DataSource> source);
    void applyViewOptions();
    void updateStatus();
    void updateActions();
    void updateTitle();
    /** A line in the status bar (timeoutMs 0: until replaced) from the source or a part. */
    void showMessage(const QString& text, int timeoutMs);
    void showError(const QString& title, const QString& message);

    // Central area: a start page until something is shown, then the chart.
    QStackedWidget* m_stack = nullptr;
    widgets::TimelineView* m_view = nullptr;

    // Panels.
    QDockWidget* m_processDock = nullptr;
    widgets::ProcessPicker* m_picker = nullptr;
    WarningsPanel* m_warnings = nullptr;
    StatusPanel* m_status = nullptr;  // the status bar's fields

    // Menus and actions.
    QMenu* m_fileMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_liveMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_panelsMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_startAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_followAction = nullptr;
    QAction* m_cpuAction = nullptr;
    QAction* m_memoryAction = nullptr;
    QAction* m_pressureAction = nullptr;
    QAction* m_memoryBytesAction = nullptr;
    QList<QAction*> m_liveOnlyActions;  // tool bar: Start, Stop, interval, live window (hidden for a file)
    QAction* m_relativeAction = nullptr;
    QAction* m_perCoreAction = nullptr;
    QAction* m_othersAction = nullptr;
    QAction* m_resetZoomAction = nullptr;
    QActionGroup* m_themeGroup = nullptr;

    // What the actions do: live sampling and agents (with the tool bar's Every and Window
    // boxes), the Process box, saving, exporting.
    LiveControl* m_liveControl = nullptr;
    ProcessBox* m_processes = nullptr;
    RecordingSaver* m_saver = nullptr;
    ExportController* m_exporter = nullptr;

    // Workers.
    RecordingLoader* m_loader = nullptr;
    StoreFollower* m_follower = nullptr;
    LevelLoader* m_levels = nullptr;  // a long store: drawn from its consolidated levels
    LiveSession* m_live = nullptr;
    AgentClient* m_agent = nullptr;
    ProcessScanner* m_scanner = nullptr;
    RecentFiles* m_recent = nullptr;

    // State.
    std::unique_ptr<DataSource> m_source;  // what is shown; its recording is m_recording
    std::shared_ptr<core::Recording> m_recording;
    bool isLive() const;  // the source shown is live (sampling here or an agent)
};

}  // namespace loadline::app
