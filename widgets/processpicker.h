#pragma once
// The process picker: a search field over the table of running processes (sortable by CPU or
// memory) and a check box per process to track it. It only shows rows it is given
// (setProcesses); scanning /proc is the app's job. Which tracked process is drawn crimson is
// chosen in the main window, where the processes of opened files are listed too.

#include <QList>
#include <QVector>
#include <QWidget>

#include "widgets/processtablemodel.h"

class QLabel;
class QLineEdit;
class QTableView;

namespace loadline::widgets {

class ProcessFilterModel;

class ProcessPicker : public QWidget {
    Q_OBJECT
public:
    explicit ProcessPicker(QWidget* parent = nullptr);

    /** The running processes. While the pointer is over the table, rows keep their places. */
    void setProcesses(const QVector<ProcessRow>& rows);
    QList<int> trackedPids() const;
    void setTrackedPids(const QList<int>& pids);

    ProcessTableModel* model() const { return m_model; }
    ProcessFilterModel* filterModel() const { return m_filter; }
    QLineEdit* searchField() const { return m_search; }
    QTableView* view() const { return m_view; }

signals:
    void trackedPidsChanged(const QList<int>& pids);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateCount();
    void setFrozen(bool frozen);

    ProcessTableModel* m_model;
    ProcessFilterModel* m_filter;
    QLineEdit* m_search;
    QTableView* m_view;
    QLabel* m_count;
    // While the pointer is over the table its rows stay put (no re-sort, no removal), so a click
    // lands on the process that was under it; the newest rows are applied when it leaves.
    bool m_frozen = false;
    QVector<ProcessRow> m_latest;
};

}  // namespace loadline::widgets
