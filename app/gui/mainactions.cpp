// The main window's actions, menus and tool bars, and the settings that restore their states:
// what the user can do and where it is offered. The commands they trigger are MainWindow's
// (mainwindow.cpp) and its parts' (LiveControl, ExportController, ProcessBox); panels and
// sources add their own entries through MainWindow::menu().

#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QToolBar>

#include "app/gui/appsettings.h"
#include "app/gui/exportcontroller.h"
#include "app/gui/livecontrol.h"
#include "app/gui/mainwindow.h"
#include "app/gui/processbox.h"
#include "app/gui/recentfiles.h"
#include "app/gui/recordingsaver.h"
#include "app/gui/theme.h"
#include "widgets/timelineview.h"

namespace loadline::app {

void MainWindow::createActions() {
    m_openAction = new QAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setStatusTip(tr("Open a py-perf timeline or performance summary"));
    connect(m_openAction, &QAction::triggered, this, [this] {
        const QString dir = QSettings().value(settings::kLastDirectory).toString();
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Recording"), dir,
                                                          tr("Recordings (*.json *.llrec);;All files (*)"));
        if (!path.isEmpty()) openFile(path);
    });

    m_saveAction = new QAction(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("&Save Recording…"), this);
    m_saveAction->setShortcuts({QKeySequence::Save, QKeySequence::SaveAs});
    m_saveAction->setStatusTip(tr("Write the shown timeline as py-perf JSON"));
    connect(m_saveAction, &QAction::triggered, this, [this] {
        const QString path = m_recording ? RecordingSaver::askPath(this, currentFile()) : QString();
        if (!path.isEmpty()) saveRecording(path);
    });

    m_exportAction = new QAction(QIcon::fromTheme(QStringLiteral("image-x-generic")), tr("&Export PNG…"), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setStatusTip(tr("Save the chart as a PNG image"));
    connect(m_exportAction, &QAction::triggered, this, [this] { m_exporter->exportDialog(this, currentFile()); });

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
    m_pressureAction->setStatusTip(
        tr("Contention measured by the kernel: the share of time tasks waited for a CPU "
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
    m_othersAction->setToolTip(tr("Show other processes as thin lines"));  // ProcessBox applies it

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
    m_liveMenu->addAction(tr("Track Processes &Matching…"), m_liveControl, &LiveControl::trackPatternDialog);
    m_liveMenu->addSeparator();
    m_liveMenu->addAction(tr("Connect to &Agent…"), m_liveControl, &LiveControl::agentDialog)
        ->setObjectName(QStringLiteral("connectAgentAction"));

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
    m_helpMenu->addAction(tr("&About loadline"), this, [this] {
        QMessageBox::about(this, tr("About loadline"),
                           tr("<h3>loadline %1</h3>"
                              "<p>Timeline viewer and live monitor for system and process load.</p>"
                              "<p>Reads and writes py-perf recordings.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
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
        button->setObjectName(live == m_startAction ? QStringLiteral("startToolAction")
                                                    : QStringLiteral("stopToolAction"));
        button->setToolTip(live->toolTip());
        button->setStatusTip(live->statusTip());
        button->setEnabled(live->isEnabled());
        connect(button, &QAction::triggered, live, &QAction::trigger);
        connect(live, &QAction::enabledChanged, button, &QAction::setEnabled);
        main->addAction(button);
        m_liveOnlyActions << button;
    }

    auto* intervalLabel = new QLabel(tr(" Every "), this);
    intervalLabel->setBuddy(m_liveControl->intervalBox());
    m_liveOnlyActions << main->addWidget(intervalLabel) << main->addWidget(m_liveControl->intervalBox());
    m_liveOnlyActions << main->addWidget(new QLabel(tr(" Window "), this))
                      << main->addWidget(m_liveControl->windowBox());

    QToolBar* chart = addToolBar(tr("Chart"));
    chart->setObjectName(QStringLiteral("chartToolBar"));
    chart->setToolButtonStyle(Qt::ToolButtonTextOnly);
    chart->addAction(m_cpuAction);
    chart->addAction(m_memoryAction);
    // Pressure is in the View menu (Ctrl+3) only: the toolbars must fit a 1280-pixel window.
    chart->addSeparator();
    chart->addAction(m_relativeAction);
    chart->addSeparator();
    auto* processLabel = new QLabel(tr(" Process "), this);
    processLabel->setBuddy(m_processes->combo());
    chart->addWidget(processLabel);
    chart->addWidget(m_processes->combo());
    chart->addAction(m_othersAction);
    chart->addSeparator();
    chart->addAction(m_resetZoomAction);
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
    // The interval and the live window: LiveControl reads and writes them.
    const QString metric = s.value(settings::kMetric).toString();
    (metric == QLatin1String("memory")     ? m_memoryAction
     : metric == QLatin1String("pressure") ? m_pressureAction
                                           : m_cpuAction)
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
    m_liveControl->writeSettings();
    s.setValue(settings::kMetric, m_memoryAction->isChecked()     ? QStringLiteral("memory")
                                  : m_pressureAction->isChecked() ? QStringLiteral("pressure")
                                                                  : QStringLiteral("cpu"));
    s.setValue(settings::kMemoryUnit,
               m_memoryBytesAction->isChecked() ? QStringLiteral("bytes") : QStringLiteral("percent"));
    s.setValue(settings::kTimeAxis,
               m_relativeAction->isChecked() ? QStringLiteral("relative") : QStringLiteral("clock"));
    s.setValue(settings::kPerCore, m_perCoreAction->isChecked());
    s.setValue(settings::kShowOthers, m_othersAction->isChecked());
}

}  // namespace loadline::app
