#pragma once
// A table of running processes for the process picker. It knows no /proc: the app scans the
// process table off the GUI thread and hands the rows over with setRows(), which updates rows
// in place (matched by PID) so selection and scroll position survive a refresh.

#include <QAbstractTableModel>
#include <QList>
#include <QSet>
#include <QString>
#include <QVector>

namespace loadline::widgets {

/** One running process as the picker shows it. */
struct ProcessRow {
    int pid = 0;
    QString name;
    QString cmdline;
    double cpuPercent = 0;     // psutil scale: 100 = one core busy; NaN = not known yet
    double memoryPercent = 0;  // RSS over total memory
    double rssMb = 0;
};

class ProcessTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TrackColumn, PidColumn, NameColumn, CpuColumn, MemoryColumn, CmdlineColumn, ColumnCount };
    enum Role { PidRole = Qt::UserRole + 1, SortRole };

    explicit ProcessTableModel(QObject* parent = nullptr);

    /** Replaces the rows: kept PIDs update in place, vanished ones are removed, new ones appended. */
    /** Updates rows in place by PID, appends new ones and, unless keepVanished, removes the PIDs
     *  not in rows (kept, they show their last values). */
    void setRows(const QVector<ProcessRow>& rows, bool keepVanished = false);
    const QVector<ProcessRow>& rows() const { return m_rows; }
    /** Row index of a PID, or -1. */
    int rowOfPid(int pid) const;

    /** Logical cores of the machine: CPU is then shown as % of the machine, the chart's scale
     *  (psutil's per-core value / cores). 0: psutil's scale (100 = one core). */
    void setCpuCount(int cores);
    int cpuCount() const { return m_cpuCount; }

    /** PIDs shown as checked (tracked). A tracked PID may be absent from the rows (it exited). */
    QList<int> trackedPids() const;
    void setTrackedPids(const QList<int>& pids);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    /** The user checked or unchecked a process (not emitted by setTrackedPids). */
    void trackingToggled(int pid, bool tracked);

private:
    QVector<ProcessRow> m_rows;
    QList<int> m_tracked;  // in the order the user picked them
    int m_cpuCount = 0;
};

}  // namespace loadline::widgets
