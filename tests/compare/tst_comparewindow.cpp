// Compare mode in the main window with the real py-perf quiet/busy pair (tests/data/compare):
// the File menu's entries, the Functions table's Before / After / Change / Finding columns
// (model and sorting), the chart's dashed baseline, and clearing it. Offscreen.
#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

#include "app/gui/comparebaseline.h"
#include "app/gui/mainwindow.h"
#include "widgets/baselineoverlay.h"
#include "widgets/functionlane.h"
#include "widgets/functionpanel.h"
#include "widgets/functiontablemodel.h"
#include "widgets/timelineview.h"

using namespace loadline;
using Model = widgets::FunctionTableModel;

class TestCompareWindow : public QObject {
    Q_OBJECT
private slots:
    void baselineAddsColumnsAndOverlay();
    void badBaselineKeepsTheCurrentOne();
};

namespace {
const QString kQuiet = QStringLiteral(LOADLINE_TEST_DATA "/compare/summary_quiet.json");
const QString kBusy = QStringLiteral(LOADLINE_TEST_DATA "/compare/summary_busy.json");

bool open(app::MainWindow& w, const QString& path) {
    QSignalSpy opened(&w, &app::MainWindow::fileOpened);
    w.openFile(path);
    return opened.count() > 0 || opened.wait(60000);
}

int rowOf(const QAbstractItemModel& m, const QString& name) {
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.index(r, Model::Name).data().toString() == name) return r;
    return -1;
}

int countColor(const QImage& img, const QColor& c) {
    int n = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const QRgb p = img.pixel(x, y);
            n += qRed(p) == c.red() && qGreen(p) == c.green() && qBlue(p) == c.blue();
        }
    return n;
}
}  // namespace

void TestCompareWindow::baselineAddsColumnsAndOverlay() {
    app::MainWindow w;
    w.resize(1400, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* controller = w.findChild<app::BaselineController*>(QStringLiteral("baselineController"));
    QVERIFY(controller);
    auto* compareAction = w.findChild<QAction*>(QStringLiteral("compareBaselineAction"));
    auto* clearAction = w.findChild<QAction*>(QStringLiteral("clearBaselineAction"));
    QVERIFY(compareAction && clearAction);
    QVERIFY(w.menu(app::MainWindow::Menu::File)->actions().contains(compareAction));
    QVERIFY(!clearAction->isEnabled());

    QVERIFY(open(w, kBusy));
    auto* panel = w.findChild<widgets::FunctionPanel*>();
    Model* model = panel->model();
    QCOMPARE(model->columnCount(), int(Model::Before));  // no compare columns without a baseline

    QString error;
    QVERIFY2(controller->setBaselineFile(kQuiet, &error), qPrintable(error));
    QVERIFY(clearAction->isEnabled());
    QCOMPARE(model->columnCount(), int(Model::ColumnCount));
    QCOMPARE(model->headerData(Model::Finding, Qt::Horizontal).toString(), QStringLiteral("Finding"));
    const int checksum = rowOf(*model, QStringLiteral("checksum"));
    const int download = rowOf(*model, QStringLiteral("download"));
    QVERIFY(checksum >= 0 && download >= 0);
    QCOMPARE(model->index(checksum, Model::Finding).data().toString(), QStringLiteral("machine"));
    QCOMPARE(model->index(download, Model::Finding).data().toString(), QStringLiteral("no change"));
    QCOMPARE(model->index(checksum, Model::Before).data().toString(), QStringLiteral("147.52 ms"));
    QCOMPARE(model->index(checksum, Model::After).data().toString(), QStringLiteral("249.75 ms"));
    QVERIFY(model->index(checksum, Model::Change).data().toString().startsWith(QStringLiteral("+69.")));
    QVERIFY(model->index(checksum, Model::Finding).data(Qt::ToolTipRole).toString().contains(QStringLiteral("busier")));

    // Sortable: by change, largest first, through the panel's own proxy.
    auto* table = panel->tableView();
    table->sortByColumn(Model::Change, Qt::DescendingOrder);
    const QAbstractItemModel* shown = table->model();
    QCOMPARE(shown->index(0, Model::Name).data().toString(), QStringLiteral("write_batch"));  // +76 %
    QCOMPARE(shown->index(1, Model::Name).data().toString(), QStringLiteral("checksum"));     // +69 %
    QCOMPARE(shown->index(3, Model::Name).data().toString(), QStringLiteral("download"));     // +0.6 %
    table->sortByColumn(Model::Finding, Qt::AscendingOrder);
    QCOMPARE(shown->index(0, Model::Name).data().toString(), QStringLiteral("download"));  // no change first

    // The chart: relative axis, the baseline dashed over the run.
    widgets::TimelineView* view = w.timelineView();
    QVERIFY(view->baseline());
    QCOMPARE(view->timeAxisMode(), widgets::TimeAxisMode::Relative);
    const QImage img = view->renderImage(QSize(1000, 500)).convertToFormat(QImage::Format_RGB32);
    QVERIFY(countColor(img, widgets::kBaselineSystemColor) > 200);
    QVERIFY(controller->comparison());
    // To look at it: LOADLINE_TEST_SCREENSHOT_DIR=/tmp ctest -R tst_comparewindow
    if (const QString dir = qEnvironmentVariable("LOADLINE_TEST_SCREENSHOT_DIR"); !dir.isEmpty()) {
        table->sortByColumn(Model::Change, Qt::DescendingOrder);
        table->scrollTo(shown->index(0, Model::Finding));
        QTest::qWait(200);
        w.grab().save(dir + QStringLiteral("/compare_window.png"));
    }

    // Selecting a function shows both runs' calls in the lane: the baseline's as outlines.
    auto* lane = panel->lane();
    const int checksumIndex = model->index(checksum, Model::Name).data(Model::FunctionIndexRole).toInt();
    const QColor outline = widgets::FunctionLane::baselineCallColor(checksumIndex);
    QCOMPARE(countColor(lane->grab().toImage().convertToFormat(QImage::Format_RGB32), outline), 0);
    panel->selectFunction(checksumIndex);
    QCOMPARE(lane->highlightedFunction(), checksumIndex);
    const QImage laneImage = lane->grab().toImage().convertToFormat(QImage::Format_RGB32);
    QVERIFY2(countColor(laneImage, outline) > 29 * 6,
             qPrintable(QStringLiteral("%1 outline pixels").arg(countColor(laneImage, outline))));
    if (const QString dir = qEnvironmentVariable("LOADLINE_TEST_SCREENSHOT_DIR"); !dir.isEmpty())
        laneImage.save(dir + QStringLiteral("/compare_lane.png"));

    // Another run opened: compared with the same baseline.
    QVERIFY(open(w, kQuiet));
    QCOMPARE(model->index(rowOf(*model, QStringLiteral("checksum")), Model::Finding).data().toString(),
             QStringLiteral("no change"));

    clearAction->trigger();
    QVERIFY(!view->baseline());
    QCOMPARE(model->columnCount(), int(Model::Before));
    QCOMPARE(countColor(view->renderImage(QSize(1000, 500)).convertToFormat(QImage::Format_RGB32),
                        widgets::kBaselineSystemColor),
             0);
}

void TestCompareWindow::badBaselineKeepsTheCurrentOne() {
    app::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(open(w, kBusy));
    auto* controller = w.findChild<app::BaselineController*>();
    QVERIFY(controller->setBaselineFile(kQuiet));
    QString error;
    QVERIFY(!controller->setBaselineFile(QStringLiteral("/nonexistent/base.json"), &error));
    QVERIFY2(error.contains(QStringLiteral("/nonexistent/base.json")), qPrintable(error));
    QCOMPARE(controller->baselinePath(), kQuiet);
    QVERIFY(w.timelineView()->baseline());
}

QTEST_MAIN(TestCompareWindow)
#include "tst_comparewindow.moc"
