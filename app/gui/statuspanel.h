#pragma once
// The main window's status bar fields: the progress of a file being opened by a RecordingLoader
// (with Cancel, Esc) and what is shown — how many samples, how often, the time range, and the source's own line
// ("run.llrec (following)", "Live: host"). Transient messages stay the status bar's own
// (QStatusBar::showMessage); these fields are permanent, on the right.

#include <QObject>
#include <QString>

class QLabel;
class QProgressBar;
class QStatusBar;
class QToolButton;

namespace loadline::core {
struct Timeline;
}

namespace loadline::app {

class DataSource;
class RecordingLoader;

class StatusPanel : public QObject {
    Q_OBJECT
public:
    /** Adds the fields to bar (which owns them, and this); loader's progress shows in it, until
     *  it loaded, failed or was cancelled ("Opening … cancelled"), and Cancel cancels it. */
    StatusPanel(QStatusBar* bar, RecordingLoader* loader);

    /** "Opening… 0%" and Cancel: a load was started. */
    void showProgress();

    /** The fields for timeline as source shows it (both null: nothing shown, "No file"). */
    void update(const core::Timeline* timeline, const DataSource* source);
    /** The visible fields joined by " | ", for tests and screen readers. */
    QString text() const;

private:
    void hideProgress();

    QProgressBar* m_progress = nullptr;
    QToolButton* m_cancelButton = nullptr;
    QLabel* m_samplesLabel = nullptr;
    QLabel* m_intervalLabel = nullptr;
    QLabel* m_rangeLabel = nullptr;
    QLabel* m_fileLabel = nullptr;
};

}  // namespace loadline::app
