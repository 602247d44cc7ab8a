// The Functions panel in the main window: opening a performance summary shows the table beside
// the chart and the calls lane under it; a click on the chart lists that moment; selecting a call
// zooms the chart to it. Offscreen.
#include <QDockWidget>
#include <QFileInfo>
#include <QHeaderView>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

#include "app/gui/mainwindow.h"
#include "widgets/functionlane.h"
#include "widgets/functionpanel.h"
#include "widgets/functiontablemodel.h"
#include "widgets/timelineview.h"

using namespace loadline;

class TestMainWindowFunctions : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }  // settings of its own
    void summaryShowsPanelAndLane();
    void timelineHidesTheLane();
    void exportIsWhatTheWindowShows();
    void whyColumnsFitAt1280();
    void drillDownFollowsTheAxisMode();
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
    QVERIFY(open(w, QStringLiteral(LOADLINE_TEST_DATA "/format/good/pyperf_example_timeline.json")));
    QVERIFY(!dockOf(w)->isVisible());
    QVERIFY(!panel->lane()->isVisible());
    QVERIFY(open(w, QStringLiteral(LOADLINE_TEST_DATA "/correlate/handmade_summary.json")));
    QVERIFY(dockOf(w)->isVisible());
}

void TestMainWindowFunctions::timelineHidesTheLane() {
    app::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(open(w, QStringLiteral(LOADLINE_TEST_DATA "/format/good/pyperf_example_timeline.json")));
    QVERIFY(!panelOf(w)->lane()->isVisible());
    QCOMPARE(panelOf(w)->model()->rowCount(), 0);
}

// File > Export PNG draws what the window shows: the calls lane (labelled, with its colour
// legend) under the chart; and the next export is proposed in the folder of this one.
void TestMainWindowFunctions::exportIsWhatTheWindowShows() {
    app::MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(open(w, QStringLiteral(LOADLINE_TEST_DATA "/correlate/handmade_summary.json")));
    auto* lane = panelOf(w)->lane();
    QVERIFY(lane->isVisible());
    QVERIFY(!lane->legendEntries().empty());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("chart.png"));
    QString error;
    QVERIFY2(w.exportPng(path, QSize(1000, 600), 1.0, &error), qPrintable(error));
    const QImage img(path);
    QCOMPARE(img.size(), QSize(1000, 600));
    // The band under the chart (the lane's height from the bottom) holds the functions' colours.
    const int laneTop = 600 - lane->laneHeight();
    int functionPixels = 0;
    const QColor first = widgets::FunctionLane::functionColor(0);
    for (int y = laneTop; y < 600; ++y)
        for (int x = 0; x < img.width(); ++x) functionPixels += img.pixel(x, y) == first.rgb();
    QVERIFY2(functionPixels > 40, qPrintable(QString::number(functionPixels)));
    QCOMPARE(QFileInfo(w.defaultExportPath()).absolutePath(), QFileInfo(path).absolutePath());
}

// At 1280 x 800 the columns that answer "why was it slow" are all in view, no scrolling.
void TestMainWindowFunctions::whyColumnsFitAt1280() {
    app::MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(open(w, QStringLiteral(LOADLINE_TEST_DATA "/correlate/handmade_summary.json")));
    auto* table = panelOf(w)->findChild<QTableView*>();
    QVERIFY(table);
    QCoreApplication::processEvents();
    using M = widgets::FunctionTableModel;
    const QHeaderView* header = table->horizontalHeader();
    for (int c : {M::Calls, M::MeanWall, M::P95Wall, M::CpuWallRatio, M::SystemCpu, M::Slowdown, M::Verdicts}) {
        QVERIFY2(!header->isSectionHidden(c), qPrintable(QString::number(c)));
        const int right = header->sectionViewportPosition(c) + header->sectionSize(c);
        QVERIFY2(
            header->sectionViewportPosition(c) >= 0 && right <= table->viewport()->width(),
            qPrintable(QStringLiteral("column %1 ends at %2 of %3").arg(c).arg(right).arg(table->viewport()->width())));
    }
    QVERIFY(!table->horizontalScrollBar()->isVisible() || table->horizontalScrollBar()->maximum() == 0);
}

// The drill-down names the moment as the hover does: the same sample's time, in the axis's mode.
void TestMainWindowFunctions::drillDownFollowsTheAxisMode() {
    app::MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(open(w, QStringLiteral(LOADLINE_TEST_DATA "/correlate/handmade_summary.json")));
    auto* view = w.timelineView();
    view->setTimeAxisMode(widgets::TimeAxisMode::Relative);
    const double start = w.recording()->timeline.firstTime().value();
    const double t = view->sampleTimeNear(start + 5.03);
    emit view->timeClicked(t);
    const QString when = view->formatTime(t);
    QVERIFY2(when.startsWith(QLatin1Char('+')), qPrintable(when));  // seconds since the start
    QVERIFY2(panelOf(w)->momentText().contains(when), qPrintable(panelOf(w)->momentText()));
    QCOMPARE(view->describeTime(t).section(QLatin1Char('\n'), 0, 0), when);  // the hover's first line
    // Nothing in the drill-down is cut off without its whole text on hover.
    auto* tree = panelOf(w)->findChild<QTreeWidget*>();
    QVERIFY(tree);
    int cells = 0;
    for (QTreeWidgetItemIterator it(tree); *it; ++it)
        for (int c = 0; c < 2; ++c)
            if (!(*it)->text(c).isEmpty()) {
                ++cells;
                QVERIFY2((*it)->toolTip(c).contains((*it)->text(c)) || (c == 0 && !(*it)->toolTip(c).isEmpty()),
                         qPrintable((*it)->text(c)));
            }
    QVERIFY(cells > 3);
}

QTEST_MAIN(TestMainWindowFunctions)
#include "tst_mainwindowfunctions.moc"
