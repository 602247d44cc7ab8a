#pragma once
// Scans the running processes for the process picker on the thread pool, every few seconds
// while the picker is visible. The GUI thread only receives finished rows.

#include <memory>

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>
#include <QVector>

#include "widgets/processtablemodel.h"

namespace loadline::app {

class ProcessScanner : public QObject {
    Q_OBJECT
public:
    explicit ProcessScanner(QObject* parent = nullptr);
    ~ProcessScanner() override;

    /** Scans now and then every intervalMs while active. */
    void setActive(bool active, int intervalMs = 2000);
    bool isActive() const { return m_timer.isActive(); }
    /** Starts one scan unless one is running. */
    void refresh();

signals:
    void scanned(const QVector<loadline::widgets::ProcessRow>& rows);

private:
    struct State;  // the scanner's counters between scans (CPU % needs two readings)
    std::shared_ptr<State> m_state;
    QFutureWatcher<QVector<widgets::ProcessRow>> m_watcher;
    QTimer m_timer;
};

}  // namespace loadline::app
