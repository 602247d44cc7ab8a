#include "app/gui/processscanner.h"

#include <cmath>
#include <mutex>

#include <QtConcurrent/QtConcurrentRun>

#include "core/collect/processtable.h"

namespace loadline::app {

struct ProcessScanner::State {
    std::mutex mutex;  // one scan at a time (the watcher guarantees it; the lock documents it)
    core::ProcessTable table;
};

ProcessScanner::ProcessScanner(QObject* parent) : QObject(parent), m_state(std::make_shared<State>()) {
    connect(&m_timer, &QTimer::timeout, this, &ProcessScanner::refresh);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        if (m_watcher.future().resultCount() > 0) emit scanned(m_watcher.result());
    });
}

ProcessScanner::~ProcessScanner() {
    // The worker holds its own reference to the state, so it may finish after we are gone.
    m_watcher.disconnect(this);
}

void ProcessScanner::setActive(bool active, int intervalMs) {
    if (active) {
        m_timer.start(intervalMs);
        refresh();
        // CPU % needs two readings: a quick second scan fills the column without a long wait.
        QTimer::singleShot(500, this, [this] {
            if (m_timer.isActive()) refresh();
        });
    } else {
        m_timer.stop();
    }
}

void ProcessScanner::refresh() {
    if (m_watcher.isRunning()) return;
    m_watcher.setFuture(QtConcurrent::run([state = m_state] {
        std::lock_guard lock(state->mutex);
        QVector<widgets::ProcessRow> rows;
        if (!state->table.scan()) return rows;
        rows.reserve(static_cast<int>(state->table.size()));
        for (core::ProcessTableEntry* e : state->table.entries()) {
            state->table.loadCmdline(*e);  // read once per process, then cached
            widgets::ProcessRow r;
            r.pid = e->pid;
            r.name = QString::fromStdString(e->name);
            r.cmdline = QString::fromStdString(e->cmdline);
            r.cpuPercent = e->cpuPercent;  // NaN on a process's first scan
            r.memoryPercent = e->memoryPercent;
            r.rssMb = e->rssBytes / (1024.0 * 1024.0);
            rows.push_back(std::move(r));
        }
        return rows;
    }));
}

}  // namespace loadline::app
