// The Functions panel in the main window: opening a performance summary shows the table beside
// the chart and the calls lane under it; a click on the chart lists that moment; selecting a call
// zooms the chart to it. Offscreen.
#include <QDockWidget>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include "app/gui/mainwindow.h"
#include "widgets/functionlane.h"
#include "widgets/functionpanel.h"
#include "widgets/functiontablemodel.h"
#include "widgets/timelineview.h"

using namespace loadline;

class TestMainWindowFunctions : public QObject {
    Q_OBJECT
private slots:
    void summaryShowsPanelAndLane();
    void timelineHidesTheLane();
};

namespace {
widgets::FunctionPanel* panelOf(app::MainWindow& w) { return w.findChild<widgets::FunctionPanel*>(); }
QDockWidget* dockOf(app::MainWindow& w) { return w.findChild<QDockWidget*>(QStringLiteral("functionsPanel")); }

bool open(app::MainWindow& w, const QString& path) {
    QSignalSpy opened(&w, &app::MainWindow::fileOpened);
    w.openFile(path);
    return opened.count() > 0 || opened.wait(60000);
}
}  // namespace

void TestMainWindowFunctions::summaryShowsPanelAndLane() {
    app::MainWindow w;
    w.resize(1400, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(panelOf(w) && dockOf(w));
    QVERIFY(open(w, QStringLiteral(LOADLINE_TEST_DATA "/correlate/handmade_summary.json")));
    auto* panel = panelOf(w);
    QVERIFY(dockOf(w)->isVisible());
    QCOMPARE(panel->model()->rowCount(), 4);
    QVERIFY(panel->lane()->isVisible());
    QCOMPARE(panel->lane()->parentWidget(), w.timelineView());
    // The lane follows the chart's range.
    QCOMPARE(panel->lane()->visibleRange(), w.timelineView()->viewRange());
    // A click on the chart at t = start + 5 s: burst_call ran then.
    const double start = w.recording()->timeline.firstTime().value();
    emit w.timelineView()->timeClicked(start + 5.0);
    QVERIFY2(panel->momentText().contains(QStringLiteral("burst_call")), qPrintable(panel->momentText()));
    QVERIFY2(panel->momentText().contains(QStringLiteral("python (12345)")), qPrintable(panel->momentText()));
    // Selecting burst_call's call zooms the chart to it.
    int burst = -1;
    const auto& calls = panel->correlation()->calls;
    for (std::size_t i = 0; i < calls.size(); ++i)
        if (panel->correlation()->functions[calls[i].functionIndex].name == "burst_call") burst = int(i);
    panel->selectCall(burst);
    const auto [t0, t1] = w.timelineView()->viewRange();
    QVERIFY(t0 < start + 4.2 && t0 > start + 3.0);
    QVERIFY(t1 > start + 5.8 && t1 < start + 7.0);

    // A plain timeline opened next has no calls: the panel goes, rather than sit there empty.
    QVERIFY(open(w, QStringLiteral(LOADLINE_TEST_DATA "/format/good/seed000_timeline.json")));
    QVERIFY(!dockOf(w)->isVisible());
    QVERIFY(!panel->lane()->isVisible());
    QVERIFY(open(w, QStringLiteral(LOADLINE_TEST_DATA "/correlate/handmade_summary.json")));
    QVERIFY(dockOf(w)->isVisible());
}

void TestMainWindowFunctions::timelineHidesTheLane() {
    app::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(open(w, QStringLiteral(LOADLINE_TEST_DATA "/format/good/seed000_timeline.json")));
    QVERIFY(!panelOf(w)->lane()->isVisible());
    QCOMPARE(panelOf(w)->model()->rowCount(), 0);
}

QTEST_MAIN(TestMainWindowFunctions)
#include "tst_mainwindowfunctions.moc"
