// The function table model (under QAbstractItemModelTester), the lane's pixels and hit-testing,
// and the panel's moment list and call selection. Offscreen.
#include <QAbstractItemModelTester>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

#include "core/correlate/moment.h"
#include "core/format/recordingio.h"
#include "widgets/functionlane.h"
#include "widgets/functionpanel.h"
#include "widgets/functiontablemodel.h"
#include "widgets/timelineview.h"

using namespace loadline;
using namespace loadline::widgets;

namespace {

// System CPU 10 % on [0, 4], 100 % on [5, 10]; calls: "slow" x2 (one under load), "fast", and a
// "child" nested in the first "slow"; one process.
std::shared_ptr<core::Recording> makeRecording() {
    auto rec = std::make_shared<core::Recording>();
    rec->kind = core::Recording::Kind::PerformanceSummary;
    auto& sys = rec->timeline.system;
    const int cpu = sys.ensureColumn(core::col::kCpuPercent);
    const int mem = sys.ensureColumn(core::col::kMemoryPercent);
    for (int t = 0; t <= 10; ++t) {
        sys.appendRow(t);
        sys.setLast(cpu, t <= 4 ? 10 : 100);
        sys.setLast(mem, 30);
    }
    auto& p = rec->timeline.process(99).samples;
    const int pc = p.ensureColumn(core::col::kCpuPercent);
    const int nm = p.ensureColumn(core::col::kName, true);
    for (int t = 0; t <= 10; ++t) {
        p.appendRow(t);
        p.setLast(pc, 42);
        p.setLastText(nm, "busybee");
    }
    auto add = [&](const char* n, double end, double wall, double cpuTime) {
        core::FunctionTiming f;
        f.functionName = n;
        f.timestamp = end;
        f.wallTime = wall;
        f.cpuTime = cpuTime;
        rec->functionTimings.push_back(f);
    };
    add("slow", 3.0, 2.0, 0.2);   // [1, 3]  low load: waiting
    add("child", 2.5, 1.0, 0.1);  // [1.5, 2.5] nested
    add("slow", 9.0, 3.0, 0.3);   // [6, 9]  high load, one low-load call to judge against: unknown
    add("fast", 4.0, 0.5, 0.5);   // [3.5, 4] own work
    return rec;
}

}  // namespace

class TestFunctionWidgets : public QObject {
    Q_OBJECT
private slots:
    void modelPassesTheTesterAndSortsNumerically();
    void modelShowsTheStatsAndTheRule();
    void laneDrawsSpansInFunctionColours();
    void laneHitTestingAndHover();
    void panelMomentListsCallsAndProcesses();
    void panelSelectionHighlightsAndZooms();
    void attachedLaneFollowsTheChart();
    void manyThinCallsLeaveNoGaps();
};

void TestFunctionWidgets::modelPassesTheTesterAndSortsNumerically() {
    FunctionTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto rec = makeRecording();
    auto c = std::make_shared<const core::Correlation>(core::correlate(*rec));
    model.setCorrelation(c);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(FunctionTableModel::Before));  // the compare columns come with a baseline only

    QSortFilterProxyModel proxy;
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&model);
    proxy.setSortRole(FunctionTableModel::SortRole);
    proxy.sort(FunctionTableModel::Calls, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("slow"));  // 2 calls
    proxy.sort(FunctionTableModel::TotalWall, Qt::AscendingOrder);
    // fast 0.5 s < child 1 s < slow 5 s: numeric, not the text "500.00 ms" vs "1.000 s".
    QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("fast"));
    QCOMPARE(proxy.index(1, 0).data().toString(), QStringLiteral("child"));
    QCOMPARE(proxy.index(2, 0).data().toString(), QStringLiteral("slow"));
    model.setCorrelation(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void TestFunctionWidgets::modelShowsTheStatsAndTheRule() {
    FunctionTableModel model;
    auto rec = makeRecording();
    model.setCorrelation(std::make_shared<const core::Correlation>(core::correlate(*rec)));
    int slow = -1;
    for (int r = 0; r < model.rowCount(); ++r)
        if (model.index(r, 0).data().toString() == QLatin1String("slow")) slow = r;
    QVERIFY(slow >= 0);
    // Mean wall time of the call under high load (3 s) / the one under low load (2 s).
    QCOMPARE(model.index(slow, FunctionTableModel::Slowdown).data(FunctionTableModel::SortRole).toDouble(), 1.5);
    QCOMPARE(model.index(slow, FunctionTableModel::Slowdown).data().toString(), QStringLiteral("1.50×"));
    QCOMPARE(model.index(slow, FunctionTableModel::SystemCpu).data(FunctionTableModel::SortRole).toDouble(), 55.0);
    // Under high load with a single low-load call to compare with: too few to call it contention.
    QVERIFY(model.index(slow, FunctionTableModel::Verdicts).data().toString().contains(QStringLiteral("0 cont.")));
    QVERIFY(model.index(slow, FunctionTableModel::Verdicts).data().toString().contains(QStringLiteral("1 unkn.")));
    // The short words are spelled out in the tooltip.
    QVERIFY(model.index(slow, FunctionTableModel::Verdicts)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("0 contention")));
    const QString rule = model.headerData(FunctionTableModel::Verdicts, Qt::Horizontal, Qt::ToolTipRole).toString();
    QVERIFY2(rule.contains(QStringLiteral("0.8")) && rule.contains(QStringLiteral("70 %")), qPrintable(rule));
    {
        // A call outside the timeline has no load, so no verdict: the column still counts it.
        auto summary = core::loadRecordingFile(LOADLINE_TEST_DATA "/correlate/handmade_summary.json");
        QVERIFY(summary);
        FunctionTableModel fixture;
        fixture.setCorrelation(std::make_shared<const core::Correlation>(core::correlate(*summary)));
        bool seen = false;
        for (int r = 0; r < fixture.rowCount(); ++r) {
            if (fixture.index(r, 0).data().toString() != QLatin1String("outside_call")) continue;
            seen = true;
            const QString verdicts = fixture.index(r, FunctionTableModel::Verdicts).data().toString();
            QVERIFY2(verdicts.contains(QStringLiteral("1 unkn.")), qPrintable(verdicts));
        }
        QVERIFY(seen);
    }
    // The name carries the lane's colour.
    QCOMPARE(model.index(slow, 0).data(Qt::DecorationRole).value<QColor>(), FunctionLane::functionColor(slow));
}

void TestFunctionWidgets::laneDrawsSpansInFunctionColours() {
    auto rec = makeRecording();
    auto c = std::make_shared<const core::Correlation>(core::correlate(*rec));
    FunctionLane lane;
    lane.setCorrelation(c);
    QCOMPARE(lane.rowCount(), 2);  // "child" nests under the first "slow"
    lane.resize(1000, lane.sizeHint().height());
    lane.setMapping(0, 10, 0, 1000);  // 100 px a second
    QImage img(lane.size(), QImage::Format_ARGB32);
    lane.render(&img);
    const int row0 = 2 + 7, row1 = 2 + 14 + 7;  // middle of each row
    const int slow = c->calls[0].functionIndex, child = c->calls[1].functionIndex;
    QCOMPARE(img.pixelColor(200, row0).rgb(), FunctionLane::functionColor(slow).rgb());   // t=2: first slow
    QCOMPARE(img.pixelColor(200, row1).rgb(), FunctionLane::functionColor(child).rgb());  // t=2: nested child
    QCOMPARE(img.pixelColor(750, row0).rgb(), FunctionLane::functionColor(slow).rgb());   // t=7.5: second slow
    QVERIFY(img.pixelColor(500, row0).rgb() != FunctionLane::functionColor(slow).rgb());  // t=5: nothing runs
    // Highlighting another function fades "slow".
    lane.setHighlightedFunction(child);
    lane.render(&img);
    QVERIFY(img.pixelColor(750, row0).rgb() != FunctionLane::functionColor(slow).rgb());
    QCOMPARE(img.pixelColor(200, row1).rgb(), FunctionLane::functionColor(child).rgb());
}

void TestFunctionWidgets::laneHitTestingAndHover() {
    auto rec = makeRecording();
    auto c = std::make_shared<const core::Correlation>(core::correlate(*rec));
    FunctionLane lane;
    lane.setCorrelation(c);
    lane.resize(1000, lane.sizeHint().height());
    lane.setMapping(0, 10, 0, 1000);
    QCOMPARE(lane.callAt(QPointF(200, 9)), 0);
    QCOMPARE(lane.callAt(QPointF(200, 23)), 1);
    QCOMPARE(lane.callAt(QPointF(500, 9)), -1);
    const QString text = lane.describeCall(2);
    QVERIFY2(text.contains(QStringLiteral("slow")) && text.contains(QStringLiteral("verdict: unknown")) &&
                 text.contains(QStringLiteral("100.0 %")) && text.contains(QStringLiteral("wall 3.0000 s")),
             qPrintable(text));
    QSignalSpy clicked(&lane, &FunctionLane::callClicked);
    lane.show();
    QTest::mouseClick(&lane, Qt::LeftButton, {}, QPoint(750, 9));
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.first().first().toInt(), 2);
    QCOMPARE(lane.selectedCall(), 2);
}

void TestFunctionWidgets::panelMomentListsCallsAndProcesses() {
    FunctionPanel panel;
    panel.setRecording(makeRecording());
    panel.showMoment(2.0);
    const QString text = panel.momentText();
    QVERIFY2(text.contains(QStringLiteral("slow")) && text.contains(QStringLiteral("child")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("fast")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("busybee (99)")) && text.contains(QStringLiteral("42.0 % CPU")),
             qPrintable(text));
    // Longest first: "slow" (2 s) before "child" (1 s).
    QVERIFY(text.indexOf(QStringLiteral("slow")) < text.indexOf(QStringLiteral("child")));
}

void TestFunctionWidgets::panelSelectionHighlightsAndZooms() {
    FunctionPanel panel;
    panel.setRecording(makeRecording());
    QSignalSpy selected(&panel, &FunctionPanel::functionSelected);
    QSignalSpy zoom(&panel, &FunctionPanel::zoomRequested);
    // Select the "fast" row through the (sorted) view.
    auto* view = panel.tableView();
    int fastRow = -1;
    for (int r = 0; r < view->model()->rowCount(); ++r)
        if (view->model()->index(r, 0).data().toString() == QLatin1String("fast")) fastRow = r;
    view->selectRow(fastRow);
    QCOMPARE(selected.count(), 1);
    const int fast = selected.first().first().toInt();
    QCOMPARE(panel.correlation()->functions[fast].name, std::string("fast"));
    QCOMPARE(panel.lane()->highlightedFunction(), fast);
    // Selecting a call zooms to it, with room either side.
    panel.selectCall(2);  // [6, 9]
    QCOMPARE(zoom.count(), 1);
    QVERIFY(zoom.first().at(0).toDouble() < 6.0 && zoom.first().at(0).toDouble() > 5.0);
    QVERIFY(zoom.first().at(1).toDouble() > 9.0 && zoom.first().at(1).toDouble() < 10.0);
    QCOMPARE(panel.lane()->selectedCall(), 2);
}

void TestFunctionWidgets::attachedLaneFollowsTheChart() {
    auto rec = makeRecording();
    TimelineView view;
    view.setTimeline(std::shared_ptr<const core::Timeline>(rec, &rec->timeline));
    FunctionPanel panel;
    panel.setRecording(rec);
    panel.attachTo(&view);
    view.resize(900, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(panel.lane()->parentWidget(), &view);
    // A call selected in the panel zooms the chart; the lane follows the chart's range...
    panel.selectCall(2);  // [6, 9]
    const auto [t0, t1] = view.viewRange();
    QVERIFY2(t0 > 5.0 && t0 < 6.0 && t1 > 9.0 && t1 < 10.0, qPrintable(QStringLiteral("%1 %2").arg(t0).arg(t1)));
    QCOMPARE(panel.lane()->visibleRange().first, t0);
    QCOMPARE(panel.lane()->visibleRange().second, t1);
    // ...and its pixels line up with the chart's: time t is at the same x in both.
    const core::TimeMapping m = view.timeMapping();
    const double laneX = panel.lane()->xForTime(7.0) + panel.lane()->mapTo(&view, QPoint(0, 0)).x();
    QVERIFY2(std::abs(laneX - m.toX(7.0)) < 1.0, qPrintable(QStringLiteral("%1 vs %2").arg(laneX).arg(m.toX(7.0))));
    // A click on the chart lists that moment.
    emit view.timeClicked(7.0);
    QVERIFY(panel.momentText().contains(QStringLiteral("slow")));
}

void TestFunctionWidgets::manyThinCallsLeaveNoGaps() {
    // 20,000 back-to-back calls of 0.5 ms over [0, 10] s on 500 px: 40 calls a pixel, drawn as
    // about one rectangle a pixel, yet every pixel column is painted.
    auto rec = makeRecording();
    rec->functionTimings.clear();
    for (int i = 0; i < 20000; ++i) {
        core::FunctionTiming f;
        f.functionName = i % 1000 == 999 ? "rare" : "tiny";
        f.wallTime = 0.0005;
        f.timestamp = (i + 1) * 0.0005;
        rec->functionTimings.push_back(f);
    }
    auto c = std::make_shared<const core::Correlation>(core::correlate(*rec));
    FunctionLane lane;
    lane.setCorrelation(c);
    QCOMPARE(lane.rowCount(), 1);
    lane.resize(500, lane.sizeHint().height());
    lane.setMapping(0, 10, 0, 500);
    QImage img(lane.size(), QImage::Format_ARGB32);
    lane.render(&img);
    int tiny = 0;
    for (const auto& f : c->functions)
        if (f.name == "tiny") tiny = int(&f - &c->functions[0]);
    int painted = 0;
    for (int x = 0; x < 500; ++x)
        painted += img.pixelColor(x, 9).rgb() == FunctionLane::functionColor(tiny).rgb() ||
                   img.pixelColor(x, 9).rgb() == FunctionLane::functionColor(1 - tiny).rgb();
    QCOMPARE(painted, 500);
}

QTEST_MAIN(TestFunctionWidgets)
#include "tst_functionwidgets.moc"
