#pragma once
// File → Save Recording…: writes the shown recording as py-perf JSON (or a .llrec store, by the
// name's extension) with core::saveRecordingFile — atomically, never replacing a FIFO or device —
// on the thread pool, one save at a time, so the GUI thread never waits on the disk.

#include <memory>

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include "core/timeline/timeline.h"

class QWidget;

namespace loadline::app {

class RecordingSaver : public QObject {
    Q_OBJECT
public:
    explicit RecordingSaver(QObject* parent = nullptr);
    ~RecordingSaver() override;  ///< waits for a save under way: never lose one half-way

    /** Asks where to save, proposing suggestedPath(shownFile); "" when cancelled. */
    static QString askPath(QWidget* parent, const QString& shownFile);
    /** shownFile, else loadline-DATE-TIME.json in the folder a file was last opened from. */
    static QString suggestedPath(const QString& shownFile);

    /** Starts writing recording to path; false (nothing started) for no recording or while a
     *  save runs. growing: the recording may still change on the GUI thread (live data, a
     *  store being followed), so the worker writes a copy. */
    bool save(const QString& path, std::shared_ptr<const core::Recording> recording, bool growing);
    bool isRunning() const { return m_watcher.isRunning(); }

signals:
    /** "Saving …", "Saved …": lines for the status bar. */
    void message(const QString& text, int timeoutMs);
    /** A save failed: the dialog's title and the error (with the path). */
    void failed(const QString& title, const QString& message);
    /** After message() or failed(); isRunning() is false again. */
    void finished(const QString& path, bool ok, const QString& error);

private:
    QFutureWatcher<QString> m_watcher;  // the worker's error, "" when saved
    QString m_path;                     // where the running save writes
};

}  // namespace loadline::app
