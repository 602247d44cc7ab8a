#include "app/gui/mainwindow.h"

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
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>

#include "app/gui/agentclient.h"
#include "app/gui/agentdialog.h"
#include "app/gui/prometheusbrowser.h"
#include "app/gui/appsettings.h"
#include "app/gui/exportdialog.h"
#include "app/gui/livesession.h"
#include "app/gui/processchoice.h"
#include "app/gui/processscanner.h"
#include "app/gui/recentfiles.h"
#include "app/gui/comparebaseline.h"
#include "app/gui/datasources.h"
#include "app/gui/alertsdock.h"
#include "app/gui/functionsdock.h"
#include "app/gui/footprintcontrol.h"
#include "app/gui/recordingloader.h"
#include "app/gui/levelloader.h"
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
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
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
      m_loader(new RecordingLoader(this, &LevelLoader::load)),
      m_follower(new StoreFollower(this)),
      m_levels(new LevelLoader(this)),
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
    installAlertsPanel(this);                                       // thresholds, alert lane and Alerts panel
    installFootprintLane(this);  // the recorder's own CPU and gaps in sampling (View → Monitor Footprint)
    createStatusBar();
    installPrometheusBrowser(this);  // File → Open from Prometheus… (fleet data)

    connect(m_loader, &RecordingLoader::progressChanged, m_progress, &QProgressBar::setValue);
    connect(m_loader, &RecordingLoader::loaded, this, &MainWindow::onLoaded);
    connect(m_loader, &RecordingLoader::failed, this, &MainWindow::onLoadFailed);
    connect(m_loader, &RecordingLoader::cancelled, this, [this](const QString& path) {
        if (!m_loader->isRunning()) {
            m_progress->hide();
            m_cancelButton->hide();
        }
        statusBar()->showMessage(tr("Opening %1 cancelled").arg(QFileInfo(path).fileName()), 5000);
    });
    // Panning or zooming the chart ends following; the action shows it.
    connect(m_view, &widgets::TimelineView::followLatestChanged, this, [this](bool on) {
        if (isLive() && m_followAction->isChecked() != on) {
            const QSignalBlocker block(m_followAction);
            m_followAction->setChecked(on);
        }
    });
    m_agent = new AgentClient(this);
    // The picker belongs to this machine's sampling, whatever is shown.
    connect(m_live, &LiveSession::processesChanged, this, [this] {
        // Processes matched by a pattern show as tracked in the picker too (unchecking untracks).
        QList<int> pids;
        for (const auto& entry : m_live->recording()->timeline.processes) pids << entry.first;
        m_live->adoptTrackedPids(pids);
        m_picker->setTrackedPids(m_live->trackedPids());
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
    if (m_source) m_source->disconnect(this);
    m_live->stop();
    if (m_saveWatcher->isRunning()) m_saveWatcher->waitForFinished();  // never lose a save half-way
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

void MainWindow::addPanel(QDockWidget* dock, Qt::DockWidgetArea area) {
    if (dock->objectName().isEmpty()) dock->setObjectName(dock->windowTitle());  // for saveState()
    addDockWidget(area, dock);
    m_panelsMenu->addAction(dock->toggleViewAction());
}

// ---------------------------------------------------------------------------------------------
// Opening

void MainWindow::openDialog() {
    const QString dir = QSettings().value(settings::kLastDirectory).toString();
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Recording"), dir, tr("Recordings (*.json *.llrec);;All files (*)"));
    if (!path.isEmpty()) openFile(path);
}

// Every file the window shows comes through here: openFile → RecordingLoader (a worker thread)
// → onLoaded, which shows it as a FileSource (and follows a store still being recorded).
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
    m_progress->hide();
    m_cancelButton->hide();
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
    connect(m_source.get(), &DataSource::message, this,
            [this](const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
    connect(m_source.get(), &DataSource::failed, this, &MainWindow::showError);
    connect(m_source.get(), &DataSource::finished, this, &MainWindow::onFollowedStoreClosed);
    if (m_source->isLive()) m_followAction->setChecked(true);
    m_source->start();

    m_recording = m_source->recording();
    m_knownProcessCount = 0;
    m_highlightPid = -1;
    m_view->setTimeline(timelineOf(m_recording));
    m_view->setTitle(m_source->title());
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

void MainWindow::onSourceData() {
    m_view->dataAppended();
    if (m_recording->timeline.processes.size() != m_knownProcessCount) rebuildProcessChoices();
    updateStatus();
}

void MainWindow::onFollowedStoreClosed() {
    // Closed now: the store's "not closed" warning from when it was opened no longer holds.
    std::size_t removed = 0;
    for (int i = m_warningsList->count() - 1; i >= 0; --i)
        if (m_warningsList->item(i)->text().startsWith(QStringLiteral("the recording was not closed"))) {
            delete m_warningsList->takeItem(i);
            ++removed;
        }
    if (!removed) return;
    m_warningDefects -= std::min(removed, m_warningDefects);
    finishWarningsList();
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
    QString suggestion = currentFile();
    if (suggestion.isEmpty()) {
        const QString dir = QSettings().value(settings::kLastDirectory, QDir::homePath()).toString();
        suggestion =
            QDir(dir).filePath(QStringLiteral("loadline-%1.json")
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
    std::shared_ptr<const core::Recording> snapshot =
        m_source->isGrowing() ? std::make_shared<const core::Recording>(*m_recording) : m_recording;
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
    else showError(tr("Could not export the image"), error);
}

QString MainWindow::defaultExportPath() const {
    const QString file = currentFile();
    const QString base =
        file.isEmpty() ? QStringLiteral("loadline.png") : QFileInfo(file).completeBaseName() + QLatin1String(".png");
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
        if (error)
            *error = tr("%1: %2").arg(QDir::toNativeSeparators(path),
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
    m_loader->cancel();
    m_live->setTrackedPids(m_picker->trackedPids());
    setSource(std::make_unique<LiveSource>(m_live, m_intervalBox->value()));  // started() or startFailed() follows
    m_processDock->show();
    return true;
}

void MainWindow::trackPatternDialog() {
    bool ok = false;
    QStringList tracked = m_live->trackPatterns();
    for (const QString& p : m_live->trackCmdlinePatterns()) tracked << QLatin1String("cmdline:") + p;
    const QString current = tracked.join(QLatin1String(", "));
    QString pattern =
        QInputDialog::getText(this, tr("Track Processes Matching"),
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
    else
        statusBar()->showMessage(m_live->isRunning()
                                     ? tr("Tracking processes matching %1").arg(pattern)
                                     : tr("Processes matching %1 are tracked from the next Start").arg(pattern),
                                 5000);
}

void MainWindow::stopLive() {
    if (m_source && m_source->isLive() && m_source->isRunning()) {
        m_source->stop();  // the data stays
        if (m_source->kind() == DataSource::Kind::Agent)
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
    m_loader->cancel();
    setSource(std::make_unique<AgentSource>(m_agent, endpoint));  // polls; never blocks this thread
    // The picker lists this machine's processes, which an agent elsewhere cannot track.
    m_processDock->hide();
}

void MainWindow::showImported(std::shared_ptr<core::Recording> recording, const QString& title) {
    m_loader->cancel();
    setSource(std::make_unique<PrometheusSource>(std::move(recording), title));
}

void MainWindow::agentDialog() {
    AgentDialog dialog(this);
    dialog.setEndpoint(m_agent->endpoint());
    if (dialog.exec() != QDialog::Accepted) return;
    connectToAgent(dialog.endpoint());
}

// ---------------------------------------------------------------------------------------------
// View options and processes

void MainWindow::applyViewOptions() {
    m_view->setMetric(m_memoryAction->isChecked()     ? widgets::Metric::Memory
                      : m_pressureAction->isChecked() ? widgets::Metric::Pressure
                                                      : widgets::Metric::Cpu);
    m_view->setMemoryInBytes(m_memoryBytesAction->isChecked());
    m_view->setTimeAxisMode(m_relativeAction->isChecked() ? widgets::TimeAxisMode::Relative
                                                          : widgets::TimeAxisMode::Clock);
    m_view->setPerCoreScale(m_perCoreAction->isChecked());
    m_view->setFollowLatest(isLive() && m_followAction->isChecked(), m_windowBox->value() * 60.0);
}

void MainWindow::rebuildProcessChoices() {
    const QSignalBlocker block(m_processCombo);
    m_processCombo->clear();
    m_knownProcessCount = m_recording ? m_recording->timeline.processes.size() : 0;
    if (m_recording)
        for (const auto& [pid, series] : m_recording->timeline.processes)
            m_processCombo->addItem(processChoiceLabel(pid, series), pid);
    if (m_processCombo->count() == 0) m_processCombo->addItem(tr("(none)"), -1);
    m_processCombo->setEnabled(m_knownProcessCount > 0);
    // Others draws the processes besides the crimson one: none to draw, nothing to toggle.
    m_othersAction->setEnabled(m_knownProcessCount > 1);
    m_highlightPid =
        chooseHighlightedPid(m_recording ? &m_recording->timeline : nullptr, m_highlightPid, m_picker->trackedPids());
    m_processCombo->setCurrentIndex(std::max(0, m_processCombo->findData(m_highlightPid)));
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

    const std::optional<double> interval = m_source ? m_source->sampleInterval() : std::nullopt;
    m_intervalLabel->setText(interval ? tr("every %1 s").arg(*interval) : tr("interval unknown"));
    m_intervalLabel->setVisible(t != nullptr);

    if (t && t->firstTime() && t->lastTime()) {
        const double a = *t->firstTime(), b = *t->lastTime();
        const bool sameDay =
            QDateTime::fromSecsSinceEpoch(qint64(a)).date() == QDateTime::fromSecsSinceEpoch(qint64(b)).date();
        m_rangeLabel->setText(
            tr("%1 – %2 (%3)").arg(formatTime(a, true), formatTime(b, !sameDay), formatDuration(b - a)));
        m_rangeLabel->show();
    } else {
        m_rangeLabel->setText(tr("no samples"));
        m_rangeLabel->setVisible(t != nullptr);
    }

    m_fileLabel->setText(m_source ? m_source->statusLabel() : tr("No file"));
    m_fileLabel->setToolTip(QDir::toNativeSeparators(currentFile()));
}

bool MainWindow::showingAgent() const { return m_source && m_source->kind() == DataSource::Kind::Agent; }

bool MainWindow::isLive() const { return m_source && m_source->isLive(); }

QString MainWindow::currentFile() const { return m_source ? m_source->path() : QString(); }

QString MainWindow::statusText() const {
    QStringList parts;
    for (QLabel* l : {m_samplesLabel, m_intervalLabel, m_rangeLabel, m_fileLabel})
        if (!l->isHidden()) parts << l->text();
    return parts.join(QLatin1String(" | "));
}

void MainWindow::updateActions() {
    m_startAction->setEnabled(!m_live->isRunning());
    m_stopAction->setEnabled(isLive() && m_source->isRunning());  // sampling, or connected to an agent
    m_saveAction->setEnabled(m_recording != nullptr && !m_saveWatcher->isRunning());
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
    if (files.size() > 1) statusBar()->showMessage(tr("Opened the first of %1 dropped files").arg(files.size()), 5000);
}

}  // namespace loadline::app
