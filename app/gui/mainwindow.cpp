#include "app/gui/mainwindow.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSysInfo>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "app/gui/agentclient.h"
#include "app/gui/agentdialog.h"
#include "app/gui/prometheusbrowser.h"
#include "app/gui/appsettings.h"
#include "app/gui/exportdialog.h"
#include "app/gui/livesession.h"
#include "app/gui/processscanner.h"
#include "app/gui/recentfiles.h"
#include "app/gui/comparebaseline.h"
#include "app/gui/alertsdock.h"
#include "app/gui/functionsdock.h"
#include "app/gui/footprintcontrol.h"
#include "app/gui/recordingloader.h"
#include "app/gui/storefollower.h"
#include "app/gui/theme.h"
#include "core/timeline/cpumeasured.h"
#include "core/format/recordingio.h"
#include "widgets/processpicker.h"
#include "widgets/timelineview.h"

namespace loadline::app {

namespace {

QString formatTime(double t, bool withDate) {
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(t * 1000.0));
    return dt.toString(withDate ? QStringLiteral("yyyy-MM-dd HH:mm:ss") : QStringLiteral("HH:mm:ss"));
}

QString formatDuration(double seconds) {
    const qint64 s = static_cast<qint64>(seconds + 0.5);
    if (s < 60) return QCoreApplication::translate("loadline::app::MainWindow", "%1 s").arg(s);
    if (s < 3600) return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString processLabel(int pid, const core::ProcessSeries& series) {
    const std::string_view name = series.latestText(core::col::kName);
    if (name.empty()) return QString::number(pid);
    return QStringLiteral("%1  %2").arg(pid).arg(QString::fromUtf8(name.data(), static_cast<int>(name.size())));
}

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
      m_loader(new RecordingLoader(this)),
      m_follower(new StoreFollower(this)),
      m_live(new LiveSession(this)),
      m_scanner(new ProcessScanner(this)),
      m_recent(new RecentFiles(this)),
      m_saveWatcher(new QFutureWatcher<QString>(this)) {
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

    createActions();
    createMenus();
    createToolBars();
    createPanels();
    installCompareWithBaseline(this, installFunctionsPanel(this));  // function table, calls lane; compare mode
    installAlertsPanel(this);  // thresholds, alert lane and Alerts panel
    installFootprintLane(this);  // the recorder's own CPU and gaps in sampling (View → Monitor Footprint)
    createStatusBar();
    installPrometheusBrowser(this);  // File → Open from Prometheus… (fleet data)

    connect(m_loader, &RecordingLoader::progressChanged, m_progress, &QProgressBar::setValue);
    connect(m_loader, &RecordingLoader::loaded, this, &MainWindow::onLoaded);
    connect(m_loader, &RecordingLoader::failed, this, &MainWindow::onLoadFailed);
    // A .llrec store still being recorded grows in the window like `tail -f`.
    connect(m_follower, &StoreFollower::ticksAppended, this, [this] {
        m_view->dataAppended();
        if (m_recording->timeline.processes.size() != m_knownProcessCount) rebuildProcessChoices();
        updateStatus();
    });
    connect(m_follower, &StoreFollower::followingChanged, this, &MainWindow::updateStatus);
    // Closed now: the store's "not closed" warning from when it was opened no longer holds.
    connect(m_follower, &StoreFollower::finished, this, [this] {
        std::size_t removed = 0;
        for (int i = m_warningsList->count() - 1; i >= 0; --i)
            if (m_warningsList->item(i)->text().startsWith(QStringLiteral("the recording was not closed"))) {
                delete m_warningsList->takeItem(i);
                ++removed;
            }
        if (!removed) return;
        m_warningDefects -= std::min(removed, m_warningDefects);
        finishWarningsList();
    });
    connect(m_follower, &StoreFollower::failed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Stopped following: %1").arg(message), 10000);
        updateStatus();
    });
    connect(m_loader, &RecordingLoader::cancelled, this, [this](const QString& path) {
        if (!m_loader->isRunning()) { m_progress->hide(); m_cancelButton->hide(); }
        statusBar()->showMessage(tr("Opening %1 cancelled").arg(QFileInfo(path).fileName()), 5000);
    });
    // Panning or zooming the chart ends following; the action shows it.
    connect(m_view, &widgets::TimelineView::followLatestChanged, this, [this](bool on) {
        if (m_showingLive && m_followAction->isChecked() != on) {
            const QSignalBlocker block(m_followAction);
            m_followAction->setChecked(on);
        }
    });
    connect(m_live, &LiveSession::samplesAppended, this, &MainWindow::onLiveSamples);
    m_agent = new AgentClient(this);
    connect(m_agent, &AgentClient::timelineUpdated, this, &MainWindow::onAgentSamples);
    connect(m_agent, &AgentClient::stateChanged, this, [this](AgentClient::State, const QString& message) {
        if (m_recording == m_agent->recording()) statusBar()->showMessage(message);  // lost / retrying / live
        updateActions();  // Stop disconnects while connected or retrying
    });
    connect(m_live, &LiveSession::processesChanged, this, [this] {
        // Processes matched by a pattern show as tracked in the picker too (unchecking untracks).
        QList<int> pids;
        for (const auto& entry : m_live->recording()->timeline.processes) pids << entry.first;
        m_live->adoptTrackedPids(pids);
        m_picker->setTrackedPids(m_live->trackedPids());
    });
    connect(m_live, &LiveSession::started, this, &MainWindow::updateActions);
    connect(m_live, &LiveSession::stopped, this, &MainWindow::updateActions);
    connect(m_live, &LiveSession::startFailed, this, [this](const QString& message) {
        updateActions();
        showError(tr("Could not start sampling"), message);
    });
    connect(m_scanner, &ProcessScanner::scanned, m_picker, &widgets::ProcessPicker::setProcesses);
    connect(m_picker, &widgets::ProcessPicker::trackedPidsChanged, m_live, &LiveSession::setTrackedPids);
    connect(m_recent, &RecentFiles::openRequested, this, &MainWindow::openFile);
    connect(m_saveWatcher, &QFutureWatcherBase::finished, this, [this] {
        const QString error = m_saveWatcher->result();
        const QString path = m_saveWatcher->property("path").toString();
        if (error.isEmpty()) {
            m_recent->add(path);
            statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
        } else {
            showError(tr("Could not save the recording"), error);
        }
        m_saveAction->setEnabled(m_recording != nullptr);
        emit saveFinished(path, error.isEmpty(), error);
    });

    readSettings();
    applyViewOptions();
    rebuildProcessChoices();  // nothing shown: "(none)", and no Others to draw
    updateActions();
    updateStatus();
    updateTitle();
}

MainWindow::~MainWindow() {
    m_live->stop();
    if (m_saveWatcher->isRunning()) m_saveWatcher->waitForFinished();  // never lose a save half-way
}

// ---------------------------------------------------------------------------------------------
// Construction

void MainWindow::createActions() {
    m_openAction = new QAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setStatusTip(tr("Open a py-perf timeline or performance summary"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openDialog);

    m_saveAction = new QAction(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("&Save Recording…"), this);
    m_saveAction->setShortcuts({QKeySequence::Save, QKeySequence::SaveAs});
    m_saveAction->setStatusTip(tr("Write the shown timeline as py-perf JSON"));
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::saveDialog);

    m_exportAction = new QAction(QIcon::fromTheme(QStringLiteral("image-x-generic")), tr("&Export PNG…"), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setStatusTip(tr("Save the chart as a PNG image"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::exportDialog);

    m_quitAction = new QAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_startAction = new QAction(QIcon::fromTheme(QStringLiteral("media-record")), tr("&Start"), this);
    m_startAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_startAction->setStatusTip(tr("Sample this machine live"));
    connect(m_startAction, &QAction::triggered, this, &MainWindow::startLive);

    m_stopAction = new QAction(QIcon::fromTheme(QStringLiteral("media-playback-stop")), tr("S&top"), this);
    m_stopAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_stopAction->setStatusTip(tr("Stop sampling (the data stays; save it with File → Save Recording)"));
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stopLive);

    m_followAction = new QAction(tr("&Follow Newest Data"), this);
    m_followAction->setCheckable(true);
    m_followAction->setChecked(true);
    m_followAction->setShortcut(QKeySequence(Qt::Key_End));
    m_followAction->setStatusTip(tr("Keep the newest samples in view while sampling"));
    connect(m_followAction, &QAction::toggled, this, &MainWindow::applyViewOptions);

    auto* metricGroup = new QActionGroup(this);
    m_cpuAction = new QAction(tr("&CPU"), metricGroup);
    m_cpuAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    m_memoryAction = new QAction(tr("&Memory"), metricGroup);
    m_memoryAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    m_pressureAction = new QAction(tr("&Pressure"), metricGroup);
    m_pressureAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    m_pressureAction->setStatusTip(tr("Contention measured by the kernel: the share of time tasks waited for a CPU "
                                      "(PSI) and the process's run-queue wait"));
    for (QAction* a : {m_cpuAction, m_memoryAction, m_pressureAction}) {
        a->setCheckable(true);
        connect(a, &QAction::triggered, this, &MainWindow::applyViewOptions);
    }
    m_cpuAction->setChecked(true);
    m_memoryBytesAction = new QAction(tr("Memory in &Bytes (MiB/GiB)"), this);
    m_memoryBytesAction->setCheckable(true);
    m_memoryBytesAction->setStatusTip(tr("Memory as RSS and used memory in MiB/GiB instead of % of total memory"));
    connect(m_memoryBytesAction, &QAction::toggled, this, &MainWindow::applyViewOptions);

    m_relativeAction = new QAction(tr("&Relative Time"), this);
    m_relativeAction->setCheckable(true);
    m_relativeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_relativeAction->setStatusTip(tr("Time axis as time since the start instead of clock time"));
    connect(m_relativeAction, &QAction::toggled, this, &MainWindow::applyViewOptions);

    m_perCoreAction = new QAction(tr("Process CPU per &Core (psutil scale)"), this);
    m_perCoreAction->setCheckable(true);
    m_perCoreAction->setStatusTip(tr("100 % = one core busy; the axis grows past 100 %"));
    connect(m_perCoreAction, &QAction::toggled, this, &MainWindow::applyViewOptions);

    m_othersAction = new QAction(tr("Show &Other Processes"), this);
    m_othersAction->setCheckable(true);
    m_othersAction->setChecked(true);
    m_othersAction->setStatusTip(tr("Draw the other processes as thin lines"));
    // Short on the tool bar, so that the whole bar fits a 1280-px window without the overflow menu.
    m_othersAction->setIconText(tr("Others"));
    m_othersAction->setToolTip(tr("Show other processes as thin lines"));
    connect(m_othersAction, &QAction::toggled, this, &MainWindow::applyProcessSelection);

    m_resetZoomAction = new QAction(QIcon::fromTheme(QStringLiteral("zoom-original")), tr("&Reset Zoom"), this);
    m_resetZoomAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_resetZoomAction, &QAction::triggered, this, [this] { m_view->resetZoom(); });

    m_themeGroup = new QActionGroup(this);
    for (Theme t : {Theme::System, Theme::Light, Theme::Dark}) {
        const QString text = t == Theme::System ? tr("&System") : t == Theme::Light ? tr("&Light") : tr("&Dark");
        QAction* a = new QAction(text, m_themeGroup);
        a->setCheckable(true);
        a->setData(themeToString(t));
        connect(a, &QAction::triggered, this, [t] {
            QSettings().setValue(settings::kTheme, themeToString(t));
            applyTheme(*qApp, t);
        });
    }
}

void MainWindow::createMenus() {
    m_fileMenu = menuBar()->addMenu(tr("&File"));
    m_fileMenu->addAction(m_openAction);
    m_recentMenu = m_fileMenu->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, [this] { m_recent->populate(m_recentMenu); });
    m_recent->populate(m_recentMenu);  // so the menu is not empty before it is first shown
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_saveAction);
    m_fileMenu->addAction(m_exportAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);

    m_liveMenu = menuBar()->addMenu(tr("&Live"));
    m_liveMenu->addAction(m_startAction);
    m_liveMenu->addAction(m_stopAction);
    m_liveMenu->addSeparator();
    m_liveMenu->addAction(m_followAction);
    m_liveMenu->addSeparator();
    m_liveMenu->addAction(tr("Track Processes &Matching…"), this, &MainWindow::trackPatternDialog);
    m_liveMenu->addSeparator();
    m_liveMenu->addAction(tr("Connect to &Agent…"), this, &MainWindow::agentDialog)->setObjectName(QStringLiteral("connectAgentAction"));

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_cpuAction);
    m_viewMenu->addAction(m_memoryAction);
    m_viewMenu->addAction(m_pressureAction);
    m_viewMenu->addAction(m_memoryBytesAction);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_relativeAction);
    m_viewMenu->addAction(m_perCoreAction);
    m_viewMenu->addAction(m_othersAction);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_resetZoomAction);
    m_viewMenu->addSeparator();
    m_panelsMenu = m_viewMenu->addMenu(tr("&Panels"));
    QMenu* toolBarsMenu = m_viewMenu->addMenu(tr("&Tool Bars"));
    connect(toolBarsMenu, &QMenu::aboutToShow, this, [this, toolBarsMenu] {
        toolBarsMenu->clear();
        for (QToolBar* bar : findChildren<QToolBar*>()) toolBarsMenu->addAction(bar->toggleViewAction());
    });
    m_viewMenu->addMenu(tr("T&heme"))->addActions(m_themeGroup->actions());
    QAction* fullScreen = m_viewMenu->addAction(tr("&Full Screen"));
    fullScreen->setShortcut(QKeySequence::FullScreen);
    fullScreen->setCheckable(true);
    connect(fullScreen, &QAction::toggled, this, [this](bool on) { on ? showFullScreen() : showNormal(); });

    m_helpMenu = menuBar()->addMenu(tr("&Help"));
    m_helpMenu->addAction(tr("&About loadline"), this, &MainWindow::about);
    m_helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createToolBars() {
    QToolBar* main = addToolBar(tr("Main"));
    main->setObjectName(QStringLiteral("mainToolBar"));
    main->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    main->addAction(m_openAction);
    main->addAction(m_saveAction);
    main->addAction(m_exportAction);
    main->addSeparator();
    // Start and Stop on the tool bar are live-only controls like Every and Window: hidden while a
    // file is shown (Live → Start, F5, still turns a file view into a live one).
    for (QAction* live : {m_startAction, m_stopAction}) {
        auto* button = new QAction(live->icon(), live->iconText(), this);
        button->setObjectName(live == m_startAction ? QStringLiteral("startToolAction") : QStringLiteral("stopToolAction"));
        button->setToolTip(live->toolTip());
        button->setStatusTip(live->statusTip());
        button->setEnabled(live->isEnabled());
        connect(button, &QAction::triggered, live, &QAction::trigger);
        connect(live, &QAction::enabledChanged, button, &QAction::setEnabled);
        main->addAction(button);
        m_liveOnlyActions << button;
    }

    m_intervalBox = new QDoubleSpinBox(this);
    m_intervalBox->setObjectName(QStringLiteral("intervalBox"));
    m_intervalBox->setRange(0.05, 60.0);
    m_intervalBox->setDecimals(2);
    m_intervalBox->setSingleStep(0.1);
    m_intervalBox->setSuffix(tr(" s"));
    m_intervalBox->setToolTip(tr("Sampling interval"));
    connect(m_intervalBox, &QDoubleSpinBox::valueChanged, this, &MainWindow::setLiveInterval);
    auto* intervalLabel = new QLabel(tr(" Every "), this);
    intervalLabel->setBuddy(m_intervalBox);
    m_liveOnlyActions << main->addWidget(intervalLabel) << main->addWidget(m_intervalBox);

    m_windowBox = new QDoubleSpinBox(this);
    m_windowBox->setObjectName(QStringLiteral("windowBox"));
    m_windowBox->setRange(0.5, 24 * 60.0);
    m_windowBox->setDecimals(1);
    m_windowBox->setSuffix(tr(" min"));
    m_windowBox->setToolTip(tr("How much of the newest data is in view while following live data"));
    connect(m_windowBox, &QDoubleSpinBox::valueChanged, this, [this](double minutes) { setLiveWindow(minutes * 60.0); });
    m_liveOnlyActions << main->addWidget(new QLabel(tr(" Window "), this)) << main->addWidget(m_windowBox);

    QToolBar* chart = addToolBar(tr("Chart"));
    chart->setObjectName(QStringLiteral("chartToolBar"));
    chart->setToolButtonStyle(Qt::ToolButtonTextOnly);
    chart->addAction(m_cpuAction);
    chart->addAction(m_memoryAction);
    // Pressure is in the View menu (Ctrl+3) only: the toolbars must fit a 1280-pixel window.
    chart->addSeparator();
    chart->addAction(m_relativeAction);
    chart->addSeparator();
    m_processCombo = new QComboBox(this);
    m_processCombo->setObjectName(QStringLiteral("processCombo"));
    m_processCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_processCombo->setMinimumContentsLength(14);
    m_processCombo->setToolTip(tr("The process drawn as the crimson line"));
    connect(m_processCombo, &QComboBox::activated, this,
            [this] { setHighlightedPid(m_processCombo->currentData().toInt()); });
    auto* processLabel = new QLabel(tr(" Process "), this);
    processLabel->setBuddy(m_processCombo);
    chart->addWidget(processLabel);
    chart->addWidget(m_processCombo);
    chart->addAction(m_othersAction);
    chart->addSeparator();
    chart->addAction(m_resetZoomAction);
}

void MainWindow::createPanels() {
    m_picker = new widgets::ProcessPicker(this);
    m_processDock = new QDockWidget(tr("Processes"), this);
    m_processDock->setObjectName(QStringLiteral("processesPanel"));
    m_processDock->setWidget(m_picker);
    addPanel(m_processDock, Qt::RightDockWidgetArea);
    m_processDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    // Scan /proc only while someone looks at the list.
    connect(m_processDock, &QDockWidget::visibilityChanged, m_scanner, [this](bool visible) { m_scanner->setActive(visible); });
    m_liveMenu->addSeparator();
    m_liveMenu->addAction(m_processDock->toggleViewAction());

    m_warningsList = new QListWidget(this);
    m_warningsList->setWordWrap(true);
    m_warningsDock = new QDockWidget(tr("Warnings"), this);
    m_warningsDock->setObjectName(QStringLiteral("warningsPanel"));
    m_warningsDock->setWidget(m_warningsList);
    addPanel(m_warningsDock, Qt::BottomDockWidgetArea);
    m_warningsDock->hide();
}

void MainWindow::createStatusBar() {
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(160);
    m_progress->setFormat(tr("Opening… %p%"));
    m_progress->hide();
    m_cancelButton = new QToolButton(this);
    m_cancelButton->setText(tr("Cancel"));
    m_cancelButton->setToolTip(tr("Stop opening the file (Esc)"));
    m_cancelButton->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelButton->hide();
    connect(m_cancelButton, &QToolButton::clicked, m_loader, &RecordingLoader::cancel);

    m_samplesLabel = new QLabel(this);
    m_intervalLabel = new QLabel(this);
    m_rangeLabel = new QLabel(this);
    m_fileLabel = new QLabel(this);
    m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
    for (QLabel* l : {m_samplesLabel, m_intervalLabel, m_rangeLabel, m_fileLabel}) statusBar()->addPermanentWidget(l);
}

QMenu* MainWindow::menu(Menu which) const {
    switch (which) {
    case Menu::File: return m_fileMenu;
    case Menu::Live: return m_liveMenu;
    case Menu::View: return m_viewMenu;
    case Menu::Help: return m_helpMenu;
    }
    return nullptr;
}

void MainWindow::addPanel(QDockWidget* dock, Qt::DockWidgetArea area) {
    if (dock->objectName().isEmpty()) dock->setObjectName(dock->windowTitle());  // for saveState()
    addDockWidget(area, dock);
    m_panelsMenu->addAction(dock->toggleViewAction());
}

// ---------------------------------------------------------------------------------------------
// Settings

void MainWindow::readSettings() {
    QSettings s;
    if (!restoreGeometry(s.value(settings::kGeometry).toByteArray())) resize(1280, 800);
    if (!restoreState(s.value(settings::kWindowState).toByteArray())) {
        // First run: the picker appears with Live → Start; a file needs the whole width.
        m_processDock->hide();
        resizeDocks({m_processDock}, {440}, Qt::Horizontal);
    }
    // The Functions panel comes back with a recording that has calls, not empty at start.
    if (auto* functions = findChild<QDockWidget*>(QStringLiteral("functionsPanel"))) functions->hide();
    {
        const QSignalBlocker b1(m_intervalBox), b2(m_windowBox);
        m_intervalBox->setValue(s.value(settings::kInterval, settings::kDefaultInterval).toDouble());
        m_windowBox->setValue(s.value(settings::kWindow, settings::kDefaultWindow).toDouble() / 60.0);
    }
    const QString metric = s.value(settings::kMetric).toString();
    (metric == QLatin1String("memory") ? m_memoryAction : metric == QLatin1String("pressure") ? m_pressureAction : m_cpuAction)
        ->setChecked(true);
    const QSignalBlocker b3(m_relativeAction), b4(m_perCoreAction), b5(m_othersAction), b6(m_memoryBytesAction);
    m_memoryBytesAction->setChecked(s.value(settings::kMemoryUnit).toString() == QLatin1String("bytes"));
    m_relativeAction->setChecked(s.value(settings::kTimeAxis).toString() == QLatin1String("relative"));
    m_perCoreAction->setChecked(s.value(settings::kPerCore, false).toBool());
    m_othersAction->setChecked(s.value(settings::kShowOthers, true).toBool());
    const QString theme = themeToString(themeFromString(s.value(settings::kTheme).toString()));
    for (QAction* a : m_themeGroup->actions()) a->setChecked(a->data().toString() == theme);
}

void MainWindow::writeSettings() const {
    QSettings s;
    s.setValue(settings::kGeometry, saveGeometry());
    s.setValue(settings::kWindowState, saveState());
    s.setValue(settings::kInterval, m_intervalBox->value());
    s.setValue(settings::kWindow, m_windowBox->value() * 60.0);
    s.setValue(settings::kMetric, m_memoryAction->isChecked()     ? QStringLiteral("memory")
                                  : m_pressureAction->isChecked() ? QStringLiteral("pressure")
                                                                  : QStringLiteral("cpu"));
    s.setValue(settings::kMemoryUnit, m_memoryBytesAction->isChecked() ? QStringLiteral("bytes") : QStringLiteral("percent"));
    s.setValue(settings::kTimeAxis, m_relativeAction->isChecked() ? QStringLiteral("relative") : QStringLiteral("clock"));
    s.setValue(settings::kPerCore, m_perCoreAction->isChecked());
    s.setValue(settings::kShowOthers, m_othersAction->isChecked());
}

// ---------------------------------------------------------------------------------------------
// Opening

void MainWindow::openDialog() {
    const QString dir = QSettings().value(settings::kLastDirectory).toString();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Recording"), dir,
                                                      tr("Recordings (*.json *.llrec);;All files (*)"));
    if (!path.isEmpty()) openFile(path);
}

void MainWindow::openFile(const QString& path) {
    QSettings().setValue(settings::kLastDirectory, QFileInfo(path).absolutePath());
    m_progress->setValue(0);
    m_progress->show();
    m_cancelButton->show();
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
    m_loader->load(path);
}

void MainWindow::onLoaded(const QString& path, std::shared_ptr<core::Recording> recording) {
    m_progress->hide();
    m_cancelButton->hide();
    statusBar()->clearMessage();
    m_agent->disconnectFromAgent();  // one thing shown at a time
    if (m_live->isRunning()) {
        m_live->stop();
        statusBar()->showMessage(tr("Live sampling stopped to show %1").arg(QFileInfo(path).fileName()), 5000);
    }
    m_recent->add(path);
    showRecording(std::move(recording), QFileInfo(path).absoluteFilePath());
    m_follower->follow(m_filePath, m_recording);  // only a store still being written keeps it going
    emit fileOpened(path);
}

void MainWindow::onLoadFailed(const QString& path, const QString& message) {
    m_progress->hide();
    m_cancelButton->hide();
    statusBar()->showMessage(tr("Could not open %1").arg(QFileInfo(path).fileName()), 5000);
    if (!QFileInfo::exists(path)) m_recent->remove(path);
    // The view keeps showing what it showed: nothing was replaced.
    showError(tr("Could not open the recording"), message);
    emit openFailed(path, message);
}

void MainWindow::showRecording(std::shared_ptr<core::Recording> recording, const QString& path) {
    m_follower->stop();
    m_recording = std::move(recording);
    m_filePath = path;
    m_showingLive = path.isEmpty();
    m_knownProcessCount = 0;
    m_highlightPid = -1;
    m_view->setTimeline(timelineOf(m_recording));
    m_view->setTitle(showingAgent()  ? tr("Agent: %1").arg(agentName())
                     : m_showingLive ? tr("Live: %1").arg(QSysInfo::machineHostName())
                                     : QFileInfo(path).fileName());
    m_stack->setCurrentWidget(m_view);
    m_view->setFocus();  // arrows pan, +/- zoom straight away
    applyViewOptions();
    rebuildProcessChoices();
    {
        // Findings about the data itself (py-perf's never-measured process CPU) join the
        // loader's warnings: they change how the chart must be read.
        std::vector<std::string> warnings = m_recording->warnings;
        std::size_t defects = m_recording->defectCount();
        const auto& tl = m_recording->timeline;
        for (auto& w : core::cpuMeasurementWarnings(tl, m_view->cpuMeasurement())) {  // found by the chart
            warnings.push_back(std::move(w));
            ++defects;
        }
        setWarnings(warnings, defects);
    }
    updateActions();
    updateStatus();
    updateTitle();
    emit recordingChanged(m_recording);
}

void MainWindow::setWarnings(const std::vector<std::string>& warnings, std::size_t defects) {
    m_warningDefects = defects;
    m_warningsList->clear();
    for (const std::string& w : warnings) {
        auto* item = new QListWidgetItem(QString::fromStdString(w), m_warningsList);
        item->setToolTip(item->text());  // a long line is read whole on hover
    }
    finishWarningsList();
    if (!warnings.empty()) {
        const bool wasHidden = m_warningsDock->isHidden();
        m_warningsDock->show();
        m_warningsDock->raise();
        if (wasHidden) {
            // As tall as its lines (up to 6), not a third of the window for two of them.
            const int rows = static_cast<int>(std::min<std::size_t>(warnings.size(), 6));
            const int height = rows * (m_warningsList->fontMetrics().height() + 4) + 2 * m_warningsList->frameWidth() +
                               m_warningsDock->fontMetrics().height() + 16;  // + the title bar
            resizeDocks({m_warningsDock}, {height}, Qt::Vertical);
        }
        statusBar()->showMessage(defects == 1
                                     ? tr("1 warning while reading the file: see the Warnings panel")
                                     : tr("%1 warnings while reading the file: see the Warnings panel").arg(defects),
                                 10000);
    }
}

void MainWindow::finishWarningsList() {
    const bool empty = m_warningsList->count() == 0;
    if (empty) {
        // Said plainly, so an empty panel is not mistaken for one that failed to fill.
        auto* none = new QListWidgetItem(tr("No warnings"), m_warningsList);
        none->setFlags(Qt::NoItemFlags);
        none->setData(Qt::UserRole, QStringLiteral("placeholder"));
    }
    // The title counts defects: a line that only sums up others ("skipped 7 entries ...") is none.
    m_warningsDock->setWindowTitle(empty ? tr("Warnings") : tr("Warnings (%1)").arg(m_warningDefects));
}

QStringList MainWindow::warnings() const {
    QStringList out;
    for (int i = 0; i < m_warningsList->count(); ++i)
        if (m_warningsList->item(i)->data(Qt::UserRole).toString() != QLatin1String("placeholder"))
            out << m_warningsList->item(i)->text();
    return out;
}

void MainWindow::showError(const QString& title, const QString& message) {
    // Window-modal and non-blocking, so no nested event loop runs inside a signal handler.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->open();
}

// ---------------------------------------------------------------------------------------------
// Saving and exporting

void MainWindow::saveDialog() {
    if (!m_recording) return;
    QString suggestion = m_filePath;
    if (suggestion.isEmpty()) {
        const QString dir = QSettings().value(settings::kLastDirectory, QDir::homePath()).toString();
        suggestion = QDir(dir).filePath(QStringLiteral("loadline-%1.json")
                                            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Recording"), suggestion,
                                                      tr("py-perf recordings (*.json);;loadline stores (*.llrec)"));
    if (!path.isEmpty()) saveRecording(path);
}

void MainWindow::saveRecording(const QString& path) {
    if (!m_recording || m_saveWatcher->isRunning()) return;
    // Serializing and fsync-ing a long recording takes from milliseconds to seconds, so it runs
    // on the thread pool. Live data keeps growing on the GUI thread: the worker gets a snapshot
    // (a copy of the columns, a few ms even for 200,000 rows), as does a store being followed
    // (it grows too). A loaded file that is not followed is never modified: the worker shares it.
    std::shared_ptr<const core::Recording> snapshot = m_showingLive || m_follower->isActive()
                                                          ? std::make_shared<const core::Recording>(*m_recording)
                                                          : m_recording;
    m_saveAction->setEnabled(false);
    m_saveWatcher->setProperty("path", path);
    statusBar()->showMessage(tr("Saving %1…").arg(QDir::toNativeSeparators(path)));
    m_saveWatcher->setFuture(QtConcurrent::run([snapshot, file = path.toStdString()] {
        std::string error;
        if (core::succeeded(core::saveRecordingFile(file, *snapshot), &error)) return QString();
        return QString::fromStdString(error);
    }));
}

void MainWindow::exportDialog() {
    QSettings s;
    ExportDialog dialog(this);
    dialog.setPath(defaultExportPath());
    dialog.setImageSize({s.value(settings::kExportWidth, 1600).toInt(), s.value(settings::kExportHeight, 900).toInt()});
    dialog.setScale(s.value(settings::kExportScale, devicePixelRatioF() > 1.0 ? 2.0 : 1.0).toReal());
    if (dialog.exec() != QDialog::Accepted) return;
    s.setValue(settings::kExportWidth, dialog.imageSize().width());
    s.setValue(settings::kExportHeight, dialog.imageSize().height());
    s.setValue(settings::kExportScale, dialog.scale());
    QString error;
    if (exportPng(dialog.path(), dialog.imageSize(), dialog.scale(), &error, dialog.withLanes()))
        statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(dialog.path())), 5000);
    else
        showError(tr("Could not export the image"), error);
}

QString MainWindow::defaultExportPath() const {
    const QString base = m_filePath.isEmpty() ? QStringLiteral("loadline.png")
                                              : QFileInfo(m_filePath).completeBaseName() + QLatin1String(".png");
    QString dir = QSettings().value(settings::kExportDirectory).toString();
    if (dir.isEmpty() || !QFileInfo(dir).isDir()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
        if (dir.isEmpty() || !QFileInfo(dir).isDir()) dir = QDir::homePath();
    }
    return QDir(dir).filePath(base);
}

bool MainWindow::exportPng(const QString& path, QSize size, qreal scale, QString* error, bool withLanes) {
    // What the window shows: the chart in its theme, its processes, and (withLanes) its lanes.
    const QImage image = m_view->renderImage(size, scale, nullptr, withLanes);
    QSaveFile file(path);  // atomic: the old file stays if anything fails
    if (image.isNull() || !file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        if (error) *error = tr("%1: %2").arg(QDir::toNativeSeparators(path),
                                             image.isNull() ? tr("nothing to render") : file.errorString());
        return false;
    }
    QSettings().setValue(settings::kExportDirectory, QFileInfo(path).absolutePath());  // proposed next time
    return true;
}

// ---------------------------------------------------------------------------------------------
// Live

bool MainWindow::startLive() {
    if (m_live->isRunning()) return true;
    m_agent->disconnectFromAgent();
    m_loader->cancel();
    m_live->setTrackedPids(m_picker->trackedPids());
    m_live->start(m_intervalBox->value());  // started() or startFailed() follows
    m_followAction->setChecked(true);
    showRecording(m_live->recording(), QString());
    m_processDock->show();
    return true;
}

void MainWindow::trackPatternDialog() {
    bool ok = false;
    QStringList tracked = m_live->trackPatterns();
    for (const QString& p : m_live->trackCmdlinePatterns()) tracked << QLatin1String("cmdline:") + p;
    const QString current = tracked.join(QLatin1String(", "));
    QString pattern = QInputDialog::getText(
        this, tr("Track Processes Matching"),
        tr("Track every process whose name matches this regular expression (like pgrep;\n"
           "e.g. ^python3$|node), including processes that start or exec later.\n"
           "Begin with cmdline: to match the command line instead (like pgrep -f).%1")
            .arg(current.isEmpty() ? QString() : tr("\nTracked so far: %1").arg(current)),
        QLineEdit::Normal, QString(), &ok);
    pattern = pattern.trimmed();
    if (!ok || pattern.isEmpty()) return;
    LiveSession::Match match = LiveSession::Match::Name;
    if (pattern.startsWith(QLatin1String("cmdline:"))) {
        match = LiveSession::Match::Cmdline;
        pattern = pattern.mid(8).trimmed();
        if (pattern.isEmpty()) return;
    }
    QString error;
    if (!m_live->addTrackPattern(pattern, &error, match)) showError(tr("Could not track the pattern"), error);
    else statusBar()->showMessage(m_live->isRunning() ? tr("Tracking processes matching %1").arg(pattern)
                                                      : tr("Processes matching %1 are tracked from the next Start").arg(pattern), 5000);
}

void MainWindow::stopLive() {
    m_live->stop();
    if (m_agent->state() != AgentClient::State::Idle) {
        m_agent->disconnectFromAgent();  // the data stays, like a stopped live session's
        statusBar()->showMessage(tr("Disconnected from the agent"), 5000);
    }
    updateActions();
}

void MainWindow::setLiveInterval(double seconds) {
    if (!qFuzzyCompare(m_intervalBox->value(), seconds)) {
        const QSignalBlocker block(m_intervalBox);
        m_intervalBox->setValue(seconds);
    }
    QSettings().setValue(settings::kInterval, seconds);
    m_live->setInterval(seconds);
    updateStatus();
}

void MainWindow::setLiveWindow(double seconds) {
    if (!qFuzzyCompare(m_windowBox->value(), seconds / 60.0)) {
        const QSignalBlocker block(m_windowBox);
        m_windowBox->setValue(seconds / 60.0);
    }
    QSettings().setValue(settings::kWindow, seconds);
    applyViewOptions();
}

void MainWindow::connectToAgent(const QString& host, quint16 port, const QString& token) {
    AgentEndpoint e;
    e.host = host;
    e.port = port;
    e.token = token;
    connectToAgent(e);
}

void MainWindow::connectToAgent(const AgentEndpoint& endpoint) {
    m_live->stop();  // one live source at a time
    m_loader->cancel();
    m_agent->connectTo(endpoint);  // polls; never blocks this thread
    m_followAction->setChecked(true);
    showRecording(m_agent->recording(), QString());
    // The picker lists this machine's processes, which an agent elsewhere cannot track.
    m_processDock->hide();
}

void MainWindow::showImported(std::shared_ptr<core::Recording> recording, const QString& title) {
    m_loader->cancel();
    m_agent->disconnectFromAgent();  // one thing shown at a time
    m_live->stop();
    showRecording(std::move(recording), QStringLiteral("prometheus:") + title);
    m_view->setTitle(title);
}

void MainWindow::agentDialog() {
    AgentDialog dialog(this);
    dialog.setEndpoint(m_agent->endpoint());
    if (dialog.exec() != QDialog::Accepted) return;
    connectToAgent(dialog.endpoint());
}

void MainWindow::onAgentSamples() {
    if (m_recording != m_agent->recording()) return;
    m_view->dataAppended();
    if (m_recording->timeline.processes.size() != m_knownProcessCount) rebuildProcessChoices();
    updateStatus();
}

void MainWindow::onLiveSamples() {
    if (!m_showingLive || m_recording != m_live->recording()) return;
    m_view->dataAppended();
    if (m_recording->timeline.processes.size() != m_knownProcessCount) rebuildProcessChoices();
    updateStatus();
}

// ---------------------------------------------------------------------------------------------
// View options and processes

void MainWindow::applyViewOptions() {
    m_view->setMetric(m_memoryAction->isChecked()     ? widgets::Metric::Memory
                      : m_pressureAction->isChecked() ? widgets::Metric::Pressure
                                                      : widgets::Metric::Cpu);
    m_view->setMemoryInBytes(m_memoryBytesAction->isChecked());
    m_view->setTimeAxisMode(m_relativeAction->isChecked() ? widgets::TimeAxisMode::Relative : widgets::TimeAxisMode::Clock);
    m_view->setPerCoreScale(m_perCoreAction->isChecked());
    m_view->setFollowLatest(m_showingLive && m_followAction->isChecked(), m_windowBox->value() * 60.0);
}

void MainWindow::rebuildProcessChoices() {
    const QSignalBlocker block(m_processCombo);
    m_processCombo->clear();
    m_knownProcessCount = m_recording ? m_recording->timeline.processes.size() : 0;
    if (m_recording)
        for (const auto& [pid, series] : m_recording->timeline.processes) m_processCombo->addItem(processLabel(pid, series), pid);
    if (m_processCombo->count() == 0) m_processCombo->addItem(tr("(none)"), -1);
    m_processCombo->setEnabled(m_knownProcessCount > 0);
    // Others draws the processes besides the crimson one: none to draw, nothing to toggle.
    m_othersAction->setEnabled(m_knownProcessCount > 1);
    int pid = m_highlightPid;
    if (m_processCombo->findData(pid) < 0 || pid < 0) {
        // Default: the first process the user tracked, else the one sampled longest (in a
        // py-perf file, the tracked script rather than a helper that came and went).
        pid = -1;
        for (int tracked : m_picker->trackedPids())
            if (m_processCombo->findData(tracked) >= 0) { pid = tracked; break; }
        if (pid < 0 && m_recording) {
            std::size_t most = 0;
            for (const auto& [p, series] : m_recording->timeline.processes)
                if (pid < 0 || series.samples.size() > most) { pid = p; most = series.samples.size(); }
        }
    }
    m_highlightPid = pid;
    m_processCombo->setCurrentIndex(std::max(0, m_processCombo->findData(pid)));
    applyProcessSelection();
}

void MainWindow::setHighlightedPid(int pid) {
    m_highlightPid = pid;
    const int i = m_processCombo->findData(pid);
    if (i >= 0 && i != m_processCombo->currentIndex()) {
        const QSignalBlocker block(m_processCombo);
        m_processCombo->setCurrentIndex(i);
    }
    applyProcessSelection();
}

void MainWindow::applyProcessSelection() {
    m_view->setHighlightedPid(m_highlightPid);
    QList<int> others;
    if (m_othersAction->isChecked() && m_recording)
        for (const auto& entry : m_recording->timeline.processes)
            if (entry.first != m_highlightPid) others << entry.first;
    m_view->setExtraPids(others);
}

// ---------------------------------------------------------------------------------------------
// Status, title, actions

void MainWindow::updateStatus() {
    const core::Timeline* t = m_recording ? &m_recording->timeline : nullptr;
    const std::size_t n = t ? t->system.size() : 0;
    m_samplesLabel->setText(n == 1 ? tr("1 sample") : tr("%1 samples").arg(QLocale().toString(qulonglong(n))));
    m_samplesLabel->setVisible(t != nullptr);

    std::optional<double> interval = t ? t->metadata.sampleInterval : std::nullopt;
    if (m_showingLive && !showingAgent()) interval = m_live->interval();  // an agent's comes with its data
    m_intervalLabel->setText(interval ? tr("every %1 s").arg(*interval) : tr("interval unknown"));
    m_intervalLabel->setVisible(t != nullptr);

    if (t && t->firstTime() && t->lastTime()) {
        const double a = *t->firstTime(), b = *t->lastTime();
        const bool sameDay = QDateTime::fromSecsSinceEpoch(qint64(a)).date() == QDateTime::fromSecsSinceEpoch(qint64(b)).date();
        m_rangeLabel->setText(tr("%1 – %2 (%3)").arg(formatTime(a, true), formatTime(b, !sameDay), formatDuration(b - a)));
        m_rangeLabel->show();
    } else {
        m_rangeLabel->setText(tr("no samples"));
        m_rangeLabel->setVisible(t != nullptr);
    }

    if (showingAgent())
        m_fileLabel->setText(m_agent->state() == AgentClient::State::Idle ? tr("Agent (disconnected): %1").arg(agentName())
                                                                          : tr("Agent: %1").arg(agentName()));
    else if (m_showingLive)
        m_fileLabel->setText(m_live->isRunning() ? tr("Live: %1").arg(QSysInfo::machineHostName())
                                                 : tr("Live (stopped): %1").arg(QSysInfo::machineHostName()));
    else
        m_fileLabel->setText(m_filePath.isEmpty()        ? tr("No file")
                             : m_follower->isFollowing() ? tr("%1 (following)").arg(QFileInfo(m_filePath).fileName())
                                                         : QFileInfo(m_filePath).fileName());
    m_fileLabel->setToolTip(QDir::toNativeSeparators(m_filePath));
}

bool MainWindow::showingAgent() const { return m_recording && m_recording == m_agent->recording(); }

QString MainWindow::agentName() const {
    return QStringLiteral("%1:%2").arg(m_agent->endpoint().host).arg(m_agent->endpoint().port);
}

QString MainWindow::statusText() const {
    QStringList parts;
    for (QLabel* l : {m_samplesLabel, m_intervalLabel, m_rangeLabel, m_fileLabel})
        if (!l->isHidden()) parts << l->text();
    return parts.join(QLatin1String(" | "));
}

void MainWindow::updateActions() {
    const bool live = m_live->isRunning();
    m_startAction->setEnabled(!live);
    m_stopAction->setEnabled(live || m_agent->state() != AgentClient::State::Idle);
    m_saveAction->setEnabled(m_recording != nullptr && !m_saveWatcher->isRunning());
    m_exportAction->setEnabled(m_recording != nullptr);
    m_resetZoomAction->setEnabled(m_recording != nullptr);
    // Sampling interval, live window, Start and Stop mean nothing for a file: hidden from the
    // tool bar while one is shown (the status bar gives the file's own interval; the Live menu
    // keeps Start, F5, the way from a file view to a live one).
    const bool fileShown = m_recording && !m_showingLive && !showingAgent();
    for (QAction* a : m_liveOnlyActions) a->setVisible(!fileShown);
    updateStatus();
}

void MainWindow::updateTitle() {
    if (showingAgent()) {
        setWindowFilePath(QString());
        setWindowTitle(tr("Agent: %1 — loadline").arg(agentName()));
    } else if (m_showingLive) {
        setWindowFilePath(QString());
        setWindowTitle(tr("Live: %1 — loadline").arg(QSysInfo::machineHostName()));
    } else if (!m_filePath.isEmpty()) {
        setWindowTitle(tr("%1 — loadline").arg(QFileInfo(m_filePath).fileName()));
        setWindowFilePath(m_filePath);
    } else {
        setWindowTitle(QStringLiteral("loadline"));
    }
}

void MainWindow::about() {
    QMessageBox::about(this, tr("About loadline"),
                       tr("<h3>loadline %1</h3>"
                          "<p>Timeline viewer and live monitor for system and process load.</p>"
                          "<p>Reads and writes py-perf recordings.</p>")
                           .arg(QCoreApplication::applicationVersion()));
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
    if (files.size() > 1)
        statusBar()->showMessage(tr("Opened the first of %1 dropped files").arg(files.size()), 5000);
}

}  // namespace loadline::app
