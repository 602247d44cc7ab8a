// The Warnings panel on its own, docked in a bare QMainWindow: the lines it lists, the defect
// count in its title (a summary line counts none), the "No warnings" line that is no warning,
// dropping a warning that no longer holds, the chart's never-measured CPU joining the loader's
// warnings, and the height it takes for two lines.
#include <QListWidget>
#include <QMainWindow>
#include <QSignalSpy>
#include <QTest>

#include "app/gui/warningspanel.h"
#include "core/timeline/cpumeasured.h"

using loadline::app::WarningsPanel;
namespace core = loadline::core;

class TestWarningsPanel : public QObject {
    Q_OBJECT
private slots:
    void listsWarningsAndCountsDefects() {
        QMainWindow window;
        auto* panel = new WarningsPanel(&window);
        window.addDockWidget(Qt::BottomDockWidgetArea, panel);
        panel->hide();
        window.setCentralWidget(new QWidget);
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(panel->objectName(), QStringLiteral("warningsPanel"));

        QSignalSpy said(panel, &WarningsPanel::message);
        // One skipped sample and the line that sums it up: two lines, one defect.
        panel->setWarnings({"line 4: system[1]: skipped", "skipped 1 entry"}, 1);
        QCOMPARE(panel->warnings(),
                 QStringList({QStringLiteral("line 4: system[1]: skipped"), QStringLiteral("skipped 1 entry")}));
        QCOMPARE(panel->defectCount(), std::size_t(1));
        QCOMPARE(panel->windowTitle(), QStringLiteral("Warnings (1)"));
        QVERIFY(panel->isVisible());
        QCOMPARE(said.count(), 1);
        QCOMPARE(said.first().at(0).toString(),
                 QStringLiteral("1 warning while reading the file: see the Warnings panel"));
        auto* list = qobject_cast<QListWidget*>(panel->widget());
        QVERIFY(list);
        QCOMPARE(list->item(0)->toolTip(), list->item(0)->text());  // a long line is read whole on hover
        // Two lines take a strip, not a third of the window.
        QCoreApplication::processEvents();
        QVERIFY2(panel->height() < window.height() / 3,
                 qPrintable(QStringLiteral("%1 of %2").arg(panel->height()).arg(window.height())));

        panel->setWarnings({"a", "b", "c"}, 3);
        QCOMPARE(panel->windowTitle(), QStringLiteral("Warnings (3)"));
        QCOMPARE(said.last().at(0).toString(),
                 QStringLiteral("3 warnings while reading the file: see the Warnings panel"));
    }

    void emptySaysNoWarningsWhichIsNoWarning() {
        QMainWindow window;
        auto* panel = new WarningsPanel(&window);
        window.addDockWidget(Qt::BottomDockWidgetArea, panel);
        panel->setWarnings({"x"}, 1);
        QSignalSpy said(panel, &WarningsPanel::message);
        panel->setWarnings({}, 0);
        QVERIFY(panel->warnings().isEmpty());
        auto* list = qobject_cast<QListWidget*>(panel->widget());
        QCOMPARE(list->count(), 1);
        QCOMPARE(list->item(0)->text(), QStringLiteral("No warnings"));
        QCOMPARE(list->item(0)->flags(), Qt::NoItemFlags);
        QCOMPARE(panel->windowTitle(), QStringLiteral("Warnings"));
        QCOMPARE(said.count(), 0);  // nothing to tell
    }

    // A followed store that its recorder closed: its "not closed" warning goes, with its defect.
    void dropsAWarningThatNoLongerHolds() {
        WarningsPanel panel;
        panel.setWarnings({"the recording was not closed (the recorder may still run)", "line 9: bad"}, 2);
        QCOMPARE(panel.removeStartingWith(QStringLiteral("the recording was not closed")), std::size_t(1));
        QCOMPARE(panel.warnings(), QStringList{QStringLiteral("line 9: bad")});
        QCOMPARE(panel.windowTitle(), QStringLiteral("Warnings (1)"));
        QCOMPARE(panel.removeStartingWith(QStringLiteral("the recording was not closed")), std::size_t(0));
        QCOMPARE(panel.removeStartingWith(QStringLiteral("line 9")), std::size_t(1));
        QVERIFY(panel.warnings().isEmpty());
        QCOMPARE(panel.windowTitle(), QStringLiteral("Warnings"));
        // The "No warnings" line is not a warning to drop.
        QCOMPARE(panel.removeStartingWith(QStringLiteral("No")), std::size_t(0));
        QCOMPARE(qobject_cast<QListWidget*>(panel.widget())->count(), 1);
    }

    // The chart's finding (py-perf's never-measured process CPU) is a defect of its own.
    void findingsJoinTheLoadersWarnings() {
        core::Recording recording;
        recording.warnings = {"line 4: skipped", "skipped 1 entry"};
        recording.warningSummaryLines = 1;
        core::CpuMeasurement measured;
        measured.unmeasured = {4242};
        measured.systemPeak = 97.0;
        WarningsPanel panel;
        panel.showFindings(recording, measured);
        const QStringList lines = panel.warnings();
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines.last().startsWith(QStringLiteral("process 4242: CPU not measured")), qPrintable(lines.last()));
        QCOMPARE(panel.defectCount(), std::size_t(2));
        QCOMPARE(panel.windowTitle(), QStringLiteral("Warnings (2)"));
    }
};

QTEST_MAIN(TestWarningsPanel)
#include "tst_warningspanel.moc"
