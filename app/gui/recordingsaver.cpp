#include "app/gui/recordingsaver.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include "app/gui/appsettings.h"
#include "core/format/recordingio.h"

namespace loadline::app {

RecordingSaver::RecordingSaver(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        const QString error = m_watcher.result();
        if (error.isEmpty()) emit message(tr("Saved %1").arg(QDir::toNativeSeparators(m_path)), 5000);
        else emit failed(tr("Could not save the recording"), error);
        emit finished(m_path, error.isEmpty(), error);
    });
}

RecordingSaver::~RecordingSaver() {
    if (m_watcher.isRunning()) m_watcher.waitForFinished();
}

QString RecordingSaver::suggestedPath(const QString& shownFile) {
    if (!shownFile.isEmpty()) return shownFile;
    const QString dir = QSettings().value(settings::kLastDirectory, QDir::homePath()).toString();
    return QDir(dir).filePath(QStringLiteral("loadline-%1.json")
                                  .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
}

QString RecordingSaver::askPath(QWidget* parent, const QString& shownFile) {
    return QFileDialog::getSaveFileName(parent, tr("Save Recording"), suggestedPath(shownFile),
                                        tr("py-perf recordings (*.json);;loadline stores (*.llrec)"));
}

bool RecordingSaver::save(const QString& path, std::shared_ptr<const core::Recording> recording, bool growing) {
    if (!recording || m_watcher.isRunning()) return false;
    // Serializing and fsync-ing a long recording takes from milliseconds to seconds, so it runs
    // on the thread pool. Live data keeps growing on the GUI thread: the worker gets a snapshot
    // (a copy of the columns, a few ms even for 200,000 rows), as does a store being followed
    // (it grows too). A loaded file that is not followed is never modified: the worker shares it.
    std::shared_ptr<const core::Recording> snapshot =
        growing ? std::make_shared<const core::Recording>(*recording) : std::move(recording);
    m_path = path;
    emit message(tr("Saving %1…").arg(QDir::toNativeSeparators(path)), 0);
    m_watcher.setFuture(QtConcurrent::run([snapshot, file = path.toStdString()] {
        std::string error;
        if (core::succeeded(core::saveRecordingFile(file, *snapshot), &error)) return QString();
        return QString::fromStdString(error);
    }));
    return true;
}

}  // namespace loadline::app
