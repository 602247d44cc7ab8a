#include "app/gui/mainwindow.h"

#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

#include "app/gui/agentclient.h"
#include "app/gui/alertsdock.h"
#include "app/gui/appsettings.h"
#include "app/gui/comparebaseline.h"
#include "app/gui/datasources.h"
#include "app/gui/exportcontroller.h"
#include "app/gui/footprintcontrol.h"
#include "app/gui/functionsdock.h"
#include "app/gui/levelloader.h"
#include "app/gui/livecontrol.h"
#include "app/gui/livesession.h"
#include "app/gui/processbox.h"
#include "app/gui/processscanner.h"
#include "app/gui/prometheusbrowser.h"
#include "app/gui/recentfiles.h"
#include "app/gui/recordingloader.h"
#include "app/gui/recordingsaver.h"
#include "app/gui/statuspanel.h"
#include "app/gui/storefollower.h"
#include "app/gui/warningspanel.h"
#include "widgets/processpicker.h"
#include "widgets/timelineview.h"

namespace loadline::app {

namespace {

QStringList localFiles(const QMimeData* mime) {
    QStringList files;
    if (!mime || !mime->hasUrls()) return files;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile()) files << url.toLocalFile();
    return files;
}

std::shared_ptr<const core::Timeline> timelineOf(const std::shared_ptr<core::Recording>& r) {
    if (!r) return {};
    return std::shared_ptr<const core::Timeline>(r, &r->timeline);  // shares the recording's lifetime
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_loader(new RecordingLoader(this, &LevelLoader::load)),
      m_follower(new StoreFollower(this)),
      m_levels(new LevelLoader(this)),
      m_live(new LiveSession(this)),
      m_agent(new AgentClient(this)),
      m_scanner(new ProcessScanner(this)),
      m_recent(new RecentFiles(this)) {
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks);

    m_view = new widgets::TimelineView(this);
    m_view->setObjectName(QStringLiteral("timelineView"));
    m_view->setFocusPolicy(Qt::StrongFocus);

    auto* startPage = new QLabel(this);
    startPage->setObjectName(QStringLiteral("startPage"));
    startPage->setAlignment(Qt::AlignCenter);
    startPage->setWordWrap(true);
    startPage->setTextFormat(Qt::RichText);
    startPage->setText(tr("<h2>loadline</h2>"
                          "<p>Open a py-perf recording with <b>File → Open</b> (%1) or drop it here,<br>"
                          "or watch this machine with <b>Live → Start</b> (%2).</p>")
                           .arg(QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText),
                                QKeySequence(Qt::Key_F5).toString(QKeySequence::NativeText)));

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(startPage);
    m_stack->addWidget(m_view);
    setCentralWidget(m_stack);

    m_liveControl = new LiveControl(
        m_live, m_agent, [this](std::unique_ptr<DataSource> source) { showLiveSource(std::move(source)); }, this);
    m_saver = new RecordingSaver(this);
    m_exporter = new ExportController(m_view, this);
    createActions();
    m_processes = new ProcessBox(
        m_view, m_othersAction, [this] { return m_picker->trackedPids(); }, this);
    createMenus();
    createToolBars();
    createPanels();
    installCompareWithBaseline(this, installFunctionsPanel(this));  // function table, calls lane; compare mode
    installAlertsPanel(this);                                       // thresholds, alert lane and Alerts panel
    installFootprintLane(this);  // the recorder's own CPU and gaps in sampling (View → Monitor Footprint)
    m_status = new StatusPanel(statusBar(), m_loader);
    installPrometheusBrowser(this);  // File → Open from Prometheus… (fleet data)

    connect(m_loader, &RecordingLoader::loaded, this, &MainWindow::onLoaded);
    connect(m_loader, &RecordingLoader::failed, this, &MainWindow::onLoadFailed);
    // Panning or zooming the chart ends following; the action shows it.
    connect(m_view, &widgets::TimelineView::followLatestChanged, this, [this](bool on) {
        if (isLive() && m_followAction->isChecked() != on) {
            const QSignalBlocker block(m_followAction);
            m_followAction->setChecked(on);
        }
    });
    // The picker belongs to this machine's sampling, whatever is shown.
    m_liveControl->setPicker(m_picker);
    connect(m_scanner, &ProcessScanner::scanned, m_picker, &widgets::ProcessPicker::setProcesses);
    connect(m_recent, &RecentFiles::openRequested, this, &MainWindow::openFile);
    connect(m_warnings, &WarningsPanel::message, this, &MainWindow::showMessage);
    connect(m_liveControl, &LiveControl::message, this, &MainWindow::showMessage);
    connect(m_liveControl, &LiveControl::failed, this, &MainWindow::showError);
    connect(m_liveControl, &LiveControl::intervalChanged, this, &MainWindow::updateStatus);
    connect(m_liveControl, &LiveControl::windowChanged, this, &MainWindow::applyViewOptions);
    connect(m_exporter, &ExportController::message, this, &MainWindow::showMessage);
    connect(m_exporter, &ExportController::failed, this, &MainWindow::showError);
    connect(m_saver, &RecordingSaver::message, this, &MainWindow::showMessage);
    connect(m_saver, &RecordingSaver::failed, this, &MainWindow::showError);
    connect(m_saver, &RecordingSaver::finished, this, [this](const QString& path, bool ok, const QString& error) {
        if (ok) m_recent->add(path);
        m_saveAction->setEnabled(m_recording != nullptr);
        emit saveFinished(path, ok, error);
    });

    readSettings();
    applyViewOptions();
    updateActions();
    updateStatus();
    updateTitle();
}

MainWindow::~MainWindow() {
    if (m_source) m_source->disconnect(this);
    m_live->stop();
    // m_saver, a child, waits for a save under way when it is deleted.
}

// ---------------------------------------------------------------------------------------------
// Construction (actions, menus, tool bars and settings: mainactions.cpp)

void MainWindow::createPanels() {
    m_picker = new widgets::ProcessPicker(this);
    m_processDock = new QDockWidget(tr("Processes"), this);
    m_processDock->setObjectName(QStringLiteral("processesPanel"));
    m_processDock->setWidget(m_picker);
    addPanel(m_processDock, Qt::RightDockWidgetArea);
    m_processDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    // Scan /proc only while someone looks at the list.
    connect(m_processDock, &QDockWidget::visibilityChanged, m_scanner,
            [this](bool visible) { m_scanner->setActive(visible); });
    m_liveMenu->addSeparator();
    m_liveMenu->addAction(m_processDock->toggleViewAction());

    m_warnings = new WarningsPanel(this);
    addPanel(m_warnings, Qt::BottomDockWidgetArea);
    m_warnings->hide();
}

void MainWindow::addPanel(QDockWidget* dock, Qt::DockWidgetArea area) {
    if (dock->objectName().isEmpty()) dock->setObjectName(dock->windowTitle());  // for saveState()
    addDockWidget(area, dock);
    m_panelsMenu->addAction(dock->toggleViewAction());
}

// ---------------------------------------------------------------------------------------------
// Opening

// Every file the window shows comes through here: openFile → RecordingLoader (a worker thread)
// → onLoaded, which shows it as a FileSource (and follows a store still being recorded).
void MainWindow::openFile(const QString& path) {
    QSettings().setValue(settings::kLastDirectory, QFileInfo(path).absolutePath());
    m_status->showProgress();
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
    m_loader->load(path);
}

void MainWindow::onLoaded(const QString& path, std::shared_ptr<core::Recording> recording) {
    statusBar()->clearMessage();
    if (m_source && m_source->isLive() && m_source->isRunning()) {
        m_source->stop();  // one thing shown at a time
        if (m_source->kind() == DataSource::Kind::Live)
            statusBar()->showMessage(tr("Live sampling stopped to show %1").arg(QFileInfo(path).fileName()), 5000);
    }
    m_recent->add(path);
    // A .llrec store still being recorded grows in the window like `tail -f`; a long one gets
    // the rest of its range from its consolidated levels.
    const QString absolute = QFileInfo(path).absoluteFilePath();
    setSource(std::make_unique<FileSource>(absolute, std::move(recording), m_follower));
    m_levels->attach(m_view, absolute, m_recording);
    emit fileOpened(path);
}

void MainWindow::onLoadFailed(const QString& path, const QString& message) {
    statusBar()->showMessage(tr("Could not open %1").arg(QFileInfo(path).fileName()), 5000);
    if (!QFileInfo::exists(path)) m_recent->remove(path);
    // The view keeps showing what it showed: nothing was replaced.
    showError(tr("Could not open the recording"), message);
    emit openFailed(path, message);
}

void MainWindow::setSource(std::unique_ptr<DataSource> source) {
    m_levels->detach();  // a long store's level reads belong to the source shown until now
    if (m_source) {
        m_source->stop();                   // what it says while stopping ("Disconnected") still reaches the status bar
        m_source->disconnect(this);         // and then nothing more: it is no longer shown
        m_source.release()->deleteLater();  // it may be inside one of its workers' signals
    }
    m_source = std::move(source);
    m_source->setParent(this);
    connect(m_source.get(), &DataSource::dataAppended, this, &MainWindow::onSourceData);
    connect(m_source.get(), &DataSource::stateChanged, this, &MainWindow::updateActions);
    connect(m_source.get(), &DataSource::message, this, &MainWindow::showMessage);
    connect(m_source.get(), &DataSource::failed, this, &MainWindow::showError);
    connect(m_source.get(), &DataSource::finished, this, &MainWindow::onFollowedStoreClosed);
    if (m_source->isLive()) m_followAction->setChecked(true);
    m_source->start();

    m_recording = m_source->recording();
    m_view->setTimeline(timelineOf(m_recording));
    m_view->setTitle(m_source->title());
    m_stack->setCurrentWidget(m_view);
    m_view->setFocus();  // arrows pan, +/- zoom straight away
    applyViewOptions();
    m_processes->setRecording(m_recording);
    m_warnings->showFindings(*m_recording, m_view->cpuMeasurement());  // the loader's and the chart's
    updateActions();
    updateStatus();
    updateTitle();
    emit recordingChanged(m_recording);
}

void MainWindow::onSourceData() {
    m_view->dataAppended();
    m_processes->dataAppended();
    updateStatus();
}

void MainWindow::onFollowedStoreClosed() {
    // Closed now: the store's "not closed" warning from when it was opened no longer holds.
    m_warnings->removeStartingWith(QStringLiteral("the recording was not closed"));
}

QStringList MainWindow::warnings() const { return m_warnings->warnings(); }

void MainWindow::showMessage(const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); }

void MainWindow::showError(const QString& title, const QString& message) {
    // Window-modal and non-blocking, so no nested event loop runs inside a signal handler.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->open();
}

// ---------------------------------------------------------------------------------------------
// Saving and exporting (RecordingSaver, ExportController)

void MainWindow::saveRecording(const QString& path) {
    if (m_recording && m_saver->save(path, m_recording, m_source->isGrowing())) m_saveAction->setEnabled(false);
}

QString MainWindow::defaultExportPath() const { return m_exporter->defaultPath(currentFile()); }

bool MainWindow::exportPng(const QString& path, QSize size, qreal scale, QString* error, bool withLanes) {
    return m_exporter->exportPng(path, size, scale, error, withLanes);
}

// ---------------------------------------------------------------------------------------------
// Live and agents (LiveControl)

bool MainWindow::startLive() {
    m_liveControl->start();
    return true;
}

void MainWindow::showLiveSource(std::unique_ptr<DataSource> source) {
    m_loader->cancel();
    const bool agent = source->kind() == DataSource::Kind::Agent;
    setSource(std::move(source));  // live: started() or startFailed() follows; an agent is polled
    // The picker lists this machine's processes, which an agent elsewhere cannot track.
    m_processDock->setVisible(!agent);
}

void MainWindow::stopLive() {
    m_liveControl->stop();
    updateActions();
}

void MainWindow::setLiveInterval(double seconds) { m_liveControl->setInterval(seconds); }

void MainWindow::setLiveWindow(double seconds) { m_liveControl->setWindow(seconds); }

void MainWindow::connectToAgent(const QString& host, quint16 port, const QString& token) {
    AgentEndpoint e;
    e.host = host;
    e.port = port;
    e.token = token;
    connectToAgent(e);
}

void MainWindow::connectToAgent(const AgentEndpoint& endpoint) { m_liveControl->connectToAgent(endpoint); }

void MainWindow::showImported(std::shared_ptr<core::Recording> recording, const QString& title) {
    m_loader->cancel();
    setSource(std::make_unique<PrometheusSource>(std::move(recording), title));
}

// ---------------------------------------------------------------------------------------------
// View options and processes (ProcessBox)

void MainWindow::applyViewOptions() {
    m_view->setMetric(m_memoryAction->isChecked()     ? widgets::Metric::Memory
                      : m_pressureAction->isChecked() ? widgets::Metric::Pressure
                                                      : widgets::Metric::Cpu);
    m_view->setMemoryInBytes(m_memoryBytesAction->isChecked());
    m_view->setTimeAxisMode(m_relativeAction->isChecked() ? widgets::TimeAxisMode::Relative
                                                          : widgets::TimeAxisMode::Clock);
    m_view->setPerCoreScale(m_perCoreAction->isChecked());
    m_view->setFollowLatest(isLive() && m_followAction->isChecked(), m_liveControl->windowSeconds());
}

void MainWindow::setHighlightedPid(int pid) { m_processes->setHighlightedPid(pid); }

int MainWindow::highlightedPid() const { return m_processes->highlightedPid(); }

// ---------------------------------------------------------------------------------------------
// Status, title, actions

void MainWindow::updateStatus() { m_status->update(m_recording ? &m_recording->timeline : nullptr, m_source.get()); }

QString MainWindow::statusText() const { return m_status->text(); }

bool MainWindow::showingAgent() const { return m_source && m_source->kind() == DataSource::Kind::Agent; }

bool MainWindow::isLive() const { return m_source && m_source->isLive(); }

QString MainWindow::currentFile() const { return m_source ? m_source->path() : QString(); }

void MainWindow::updateActions() {
    m_startAction->setEnabled(!m_live->isRunning());
    m_stopAction->setEnabled(isLive() && m_source->isRunning());  // sampling, or connected to an agent
    m_saveAction->setEnabled(m_recording != nullptr && !m_saver->isRunning());
    m_exportAction->setEnabled(m_recording != nullptr);
    m_resetZoomAction->setEnabled(m_recording != nullptr);
    // Sampling interval, live window, Start and Stop mean nothing for a file: hidden from the
    // tool bar while one is shown (the status bar gives the file's own interval; the Live menu
    // keeps Start, F5, the way from a file view to a live one).
    const bool fileShown = m_source && !m_source->isLive();
    for (QAction* a : m_liveOnlyActions) a->setVisible(!fileShown);
    updateStatus();
}

void MainWindow::updateTitle() {
    if (m_source && m_source->path().isEmpty()) {  // live data: named by its title
        setWindowFilePath(QString());
        setWindowTitle(tr("%1 — loadline").arg(m_source->title()));
    } else if (m_source) {
        setWindowTitle(tr("%1 — loadline").arg(QFileInfo(m_source->path()).fileName()));
        setWindowFilePath(m_source->path());
    } else {
        setWindowTitle(QStringLiteral("loadline"));
    }
}

// ---------------------------------------------------------------------------------------------
// Events

void MainWindow::closeEvent(QCloseEvent* event) {
    m_loader->cancel();
    m_live->stop();
    writeSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!localFiles(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList files = localFiles(event->mimeData());
    if (files.isEmpty()) return;
    event->acceptProposedAction();
    openFile(files.first());
    if (files.size() > 1) statusBar()->showMessage(tr("Opened the first of %1 dropped files").arg(files.size()), 5000);
}

}  // namespace loadline::app
