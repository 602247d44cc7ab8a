// The process picker's models: consistent under QAbstractItemModelTester while rows come and
// go, filtering by name / PID / command line, numeric sorting by CPU and memory, tracking.
#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <thread>

#include "widgets/processfiltermodel.h"
#include "widgets/processpicker.h"
#include "widgets/processtablemodel.h"

using loadline::widgets::ProcessFilterModel;
using loadline::widgets::ProcessPicker;
using loadline::widgets::ProcessRow;
using loadline::widgets::ProcessTableModel;

namespace {
ProcessRow row(int pid, const QString& name, double cpu, double mem, const QString& cmd = {}) {
    ProcessRow r;
    r.pid = pid;
    r.name = name;
    r.cpuPercent = cpu;
    r.memoryPercent = mem;
    r.cmdline = cmd.isEmpty() ? name : cmd;
    return r;
}

QList<int> pidsInOrder(const QAbstractItemModel& m) {
    QList<int> out;
    for (int r = 0; r < m.rowCount(); ++r) out << m.index(r, 0).data(ProcessTableModel::PidRole).toInt();
    return out;
}

const QVector<ProcessRow> kRows = {
    row(1, "systemd", 0.1, 0.5, "/sbin/init splash"),
    row(420, "python3", 250.0, 12.0, "python3 train.py --epochs 3"),
    row(4242, "firefox", 35.5, 20.0, "/usr/lib/firefox/firefox"),
    row(77, "bash", 9.0, 0.2, "-bash"),
};
}  // namespace

class TestProcessPicker : public QObject {
    Q_OBJECT
private slots:
    // The CPU column on the chart's scale (% of the machine), said in its header; kernel threads
    // (no command line) hidden unless asked for or tracked.
    void cpuOnTheChartsScaleAndKernelThreadsHidden() {
        ProcessTableModel model;
        ProcessRow kthread = row(2, "kthreadd", 0.0, 0.0);
        kthread.cmdline.clear();  // a kernel thread has no command line
        model.setRows({row(10, "busy", 200.0, 1.0), kthread});
        model.setCpuCount(4);
        QCOMPARE(model.index(model.rowOfPid(10), ProcessTableModel::CpuColumn).data().toString(),
                 QStringLiteral("50.0"));
        QVERIFY(model.headerData(ProcessTableModel::CpuColumn, Qt::Horizontal)
                    .toString()
                    .contains(QStringLiteral("machine")));
        ProcessFilterModel filter;
        filter.setSourceModel(&model);
        QCOMPARE(filter.rowCount(), 1);
        filter.setShowKernelThreads(true);
        QCOMPARE(filter.rowCount(), 2);
        filter.setShowKernelThreads(false);
        model.setTrackedPids({2});
        filter.invalidate();
        QCOMPARE(filter.rowCount(), 2);  // tracked: always listed
    }
    void modelIsConsistentWhileRowsChange() {
        ProcessTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ProcessFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.sort(ProcessTableModel::CpuColumn, Qt::DescendingOrder);

        model.setRows(kRows);
        QCOMPARE(model.rowCount(), 4);
        // 420 and 1 vanish, 9000 appears, the others update in place.
        model.setRows({row(4242, "firefox", 1.0, 21.0), row(77, "bash", 2.0, 0.2), row(9000, "make", 99.0, 1.0)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOfPid(420), -1);
        QCOMPARE(model.rowOfPid(1), -1);
        QCOMPARE(model.index(model.rowOfPid(4242), ProcessTableModel::CpuColumn).data().toString(),
                 QStringLiteral("1.0"));
        QCOMPARE(pidsInOrder(filter), (QList<int>{9000, 77, 4242}));
        model.setRows({});
        QCOMPARE(model.rowCount(), 0);
    }

    void updateKeepsRowPositionOfSurvivors() {
        ProcessTableModel model;
        model.setRows(kRows);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setRows({kRows[0], kRows[2], kRows[3]});
        QCOMPARE(removed.count(), 1);  // only 420's row, no reset that would lose the selection
        QCOMPARE(reset.count(), 0);
        QCOMPARE(pidsInOrder(model), (QList<int>{1, 4242, 77}));
    }

    void filtersByNamePidOrCommandLine_data() {
        QTest::addColumn<QString>("search");
        QTest::addColumn<QList<int>>("expected");  // sorted by PID
        QTest::addRow("empty shows all") << "" << QList<int>{1, 77, 420, 4242};
        QTest::addRow("name, any case") << "FireFox" << QList<int>{4242};
        QTest::addRow("pid prefix") << "42" << QList<int>{420, 4242};
        QTest::addRow("exact pid") << "77" << QList<int>{77};
        QTest::addRow("command line only") << "train.py" << QList<int>{420};
        QTest::addRow("command line path") << "/sbin" << QList<int>{1};
        QTest::addRow("no match") << "nonexistent" << QList<int>{};
    }
    void filtersByNamePidOrCommandLine() {
        QFETCH(QString, search);
        QFETCH(QList<int>, expected);
        ProcessTableModel model;
        model.setRows(kRows);
        ProcessFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.sort(ProcessTableModel::PidColumn, Qt::AscendingOrder);
        filter.setSearchText(search);
        QCOMPARE(pidsInOrder(filter), expected);
    }

    void sortsNumericallyByCpuAndMemory() {
        ProcessTableModel model;
        model.setRows(kRows);
        ProcessFilterModel filter;
        filter.setSourceModel(&model);
        // 250 > 35.5 > 9 > 0.1 numerically; as text "9.0" would sort above "250.0".
        filter.sort(ProcessTableModel::CpuColumn, Qt::DescendingOrder);
        QCOMPARE(pidsInOrder(filter), (QList<int>{420, 4242, 77, 1}));
        filter.sort(ProcessTableModel::MemoryColumn, Qt::DescendingOrder);
        QCOMPARE(pidsInOrder(filter), (QList<int>{4242, 420, 1, 77}));
        filter.sort(ProcessTableModel::MemoryColumn, Qt::AscendingOrder);
        QCOMPARE(pidsInOrder(filter), (QList<int>{77, 1, 420, 4242}));
    }

    void checkingTracksAndSignals() {
        ProcessPicker picker;
        picker.setProcesses(kRows);
        QSignalSpy tracked(&picker, &ProcessPicker::trackedPidsChanged);
        ProcessTableModel* model = picker.model();
        const QModelIndex firefox = model->index(model->rowOfPid(4242), ProcessTableModel::TrackColumn);
        QVERIFY(model->flags(firefox) & Qt::ItemIsUserCheckable);
        QVERIFY(model->setData(firefox, Qt::Checked, Qt::CheckStateRole));
        QVERIFY(model->setData(model->index(model->rowOfPid(77), 0), Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(tracked.count(), 2);
        QCOMPARE(tracked.last().first().value<QList<int>>(), (QList<int>{4242, 77}));
        QCOMPARE(picker.trackedPids(), (QList<int>{4242, 77}));
        QCOMPARE(firefox.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);

        // A tracked process that exits stays tracked (its samples stop; that is normal).
        picker.setProcesses({kRows[0], kRows[3]});
        QCOMPARE(picker.trackedPids(), (QList<int>{4242, 77}));

        QVERIFY(model->setData(model->index(model->rowOfPid(77), 0), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(picker.trackedPids(), (QList<int>{4242}));
    }

    // The list is re-sorted on every scan; under the pointer it must hold still, or a click on a
    // row's check box can land on another process that moved there.
    void rowsHoldStillUnderThePointer() {
        ProcessPicker picker;
        picker.resize(600, 400);
        picker.show();
        QVERIFY(QTest::qWaitForWindowExposed(&picker));
        picker.setProcesses(kRows);  // by CPU: 420, 4242, 77, 1
        ProcessFilterModel* view = picker.filterModel();
        QCOMPARE(pidsInOrder(*view), (QList<int>{420, 4242, 77, 1}));

        QEvent enter(QEvent::Enter);
        QCoreApplication::sendEvent(picker.view()->viewport(), &enter);
        // bash now busiest, python3 exited, make started: order and rows stay, values update.
        QVector<ProcessRow> next = {row(1, "systemd", 0.1, 0.5), row(4242, "firefox", 30.0, 20.0),
                                    row(77, "bash", 400.0, 0.2), row(9000, "make", 99.0, 1.0)};
        picker.setProcesses(next);
        QCOMPARE(pidsInOrder(*view), (QList<int>{420, 4242, 77, 1, 9000}));
        // On the chart's scale: % of the whole machine (psutil's 400 % of one core / the cores).
        const int cores = static_cast<int>(std::thread::hardware_concurrency());
        QCOMPARE(view->index(2, ProcessTableModel::CpuColumn).data().toString(),
                 QString::number(cores > 0 ? 400.0 / cores : 400.0, 'f', 1));

        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(picker.view()->viewport(), &leave);
        QCOMPARE(pidsInOrder(*view), (QList<int>{77, 9000, 4242, 1}));  // sorted, 420 gone
        picker.setProcesses({next[0], next[2]});
        QCOMPARE(pidsInOrder(*view), (QList<int>{77, 1}));  // live again
    }

    void searchFieldFiltersTheView() {
        ProcessPicker picker;
        picker.setProcesses(kRows);
        QTest::keyClicks(picker.searchField(), "bash");
        QCOMPARE(picker.filterModel()->rowCount(), 1);
        QCOMPARE(picker.filterModel()->index(0, 0).data(ProcessTableModel::PidRole).toInt(), 77);
    }
};

QTEST_MAIN(TestProcessPicker)
#include "tst_processpicker.moc"
