#include "widgets/processtablemodel.h"

#include <algorithm>

#include <QHash>
#include <cmath>

namespace loadline::widgets {

ProcessTableModel::ProcessTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int ProcessTableModel::rowOfPid(int pid) const {
    for (int r = 0; r < m_rows.size(); ++r)
        if (m_rows[r].pid == pid) return r;
    return -1;
}

void ProcessTableModel::setRows(const QVector<ProcessRow>& rows, bool keepVanished) {
    QHash<int, int> incoming;  // pid -> index in rows
    incoming.reserve(rows.size());
    for (int i = 0; i < rows.size(); ++i) incoming.insert(rows[i].pid, i);

    // Remove vanished PIDs, walking backwards in contiguous runs so each removal is one signal.
    for (int r = keepVanished ? -1 : m_rows.size() - 1; r >= 0;) {
        if (incoming.contains(m_rows[r].pid)) {
            --r;
            continue;
        }
        int last = r;
        while (r >= 0 && !incoming.contains(m_rows[r].pid)) --r;
        beginRemoveRows({}, r + 1, last);
        m_rows.remove(r + 1, last - r);
        endRemoveRows();
    }
    // Update the kept ones in place.
    QHash<int, int> present;
    present.reserve(m_rows.size());
    for (int r = 0; r < m_rows.size(); ++r) {
        const auto in = incoming.constFind(m_rows[r].pid);
        if (in != incoming.cend()) m_rows[r] = rows[*in];
        present.insert(m_rows[r].pid, r);
    }
    if (!m_rows.isEmpty()) emit dataChanged(index(0, 0), index(m_rows.size() - 1, ColumnCount - 1));
    // Append the new ones.
    QVector<ProcessRow> added;
    for (const ProcessRow& row : rows)
        if (!present.contains(row.pid)) added.push_back(row);
    if (!added.isEmpty()) {
        beginInsertRows({}, m_rows.size(), m_rows.size() + added.size() - 1);
        m_rows += added;
        endInsertRows();
    }
}

QList<int> ProcessTableModel::trackedPids() const { return m_tracked; }

void ProcessTableModel::setTrackedPids(const QList<int>& pids) {
    QList<int> changed = m_tracked;
    for (int pid : pids) changed.append(pid);
    m_tracked = pids;
    for (int pid : changed) {
        int r = rowOfPid(pid);
        if (r >= 0) emit dataChanged(index(r, TrackColumn), index(r, TrackColumn), {Qt::CheckStateRole});
    }
}

int ProcessTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows.size(); }

int ProcessTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ProcessTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const ProcessRow& p = m_rows[index.row()];
    if (role == PidRole) return p.pid;
    if (role == Qt::CheckStateRole && index.column() == TrackColumn)
        return m_tracked.contains(p.pid) ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case PidColumn:
        case CpuColumn:
        case MemoryColumn: return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default: return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == CmdlineColumn || index.column() == NameColumn)
            return p.cmdline.isEmpty() ? p.name : p.cmdline;
        if (index.column() == MemoryColumn) return tr("%1 MB resident").arg(p.rssMb, 0, 'f', 1);
        if (index.column() == CpuColumn && m_cpuCount > 0 && !std::isnan(p.cpuPercent))
            return tr("%1 % of the machine (%2 cores); %3 % of one core")
                .arg(p.cpuPercent / m_cpuCount, 0, 'f', 1)
                .arg(m_cpuCount)
                .arg(p.cpuPercent, 0, 'f', 1);
        return {};
    }
    if (role == SortRole) {
        switch (index.column()) {
        case TrackColumn: return m_tracked.contains(p.pid) ? 1 : 0;
        case PidColumn: return p.pid;
        case NameColumn: return p.name.toLower();
        case CpuColumn: return std::isnan(p.cpuPercent) ? -1.0 : p.cpuPercent;  // unknown sorts last
        case MemoryColumn: return p.memoryPercent;
        case CmdlineColumn: return p.cmdline;
        }
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case PidColumn: return p.pid;
        case NameColumn: return p.name;
        case CpuColumn:
            return std::isnan(p.cpuPercent)
                       ? QStringLiteral("–")
                       : QString::number(m_cpuCount > 0 ? p.cpuPercent / m_cpuCount : p.cpuPercent, 'f', 1);
        case MemoryColumn: return QString::number(p.memoryPercent, 'f', 1);
        case CmdlineColumn: return p.cmdline;
        }
    }
    return {};
}

bool ProcessTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::CheckStateRole || index.column() != TrackColumn) return false;
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return false;
    const int pid = m_rows[index.row()].pid;
    const bool track = value.value<Qt::CheckState>() == Qt::Checked;
    if (track == m_tracked.contains(pid)) return true;
    if (track) m_tracked.append(pid);
    else m_tracked.removeAll(pid);
    emit dataChanged(index, index, {Qt::CheckStateRole});
    emit trackingToggled(pid, track);
    return true;
}

Qt::ItemFlags ProcessTableModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == TrackColumn) f |= Qt::ItemIsUserCheckable;
    return f;
}

void ProcessTableModel::setCpuCount(int cores) {
    cores = std::max(0, cores);
    if (cores == m_cpuCount) return;
    m_cpuCount = cores;
    if (!m_rows.isEmpty()) emit dataChanged(index(0, CpuColumn), index(rowCount() - 1, CpuColumn));
    emit headerDataChanged(Qt::Horizontal, CpuColumn, CpuColumn);
}

QVariant ProcessTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == CpuColumn)
        return m_cpuCount > 0 ? tr("CPU as % of the whole machine (%1 cores), as the chart plots it").arg(m_cpuCount)
                              : tr("CPU as psutil gives it: 100 = one core busy");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case TrackColumn: return tr("Track");
    case PidColumn: return tr("PID");
    case NameColumn: return tr("Name");
    case CpuColumn: return m_cpuCount > 0 ? tr("CPU % machine") : tr("CPU % core");
    case MemoryColumn: return tr("Memory %");
    case CmdlineColumn: return tr("Command line");
    }
    return {};
}

}  // namespace loadline::widgets
