// Compare mode in the main window with the real py-perf quiet/busy pair (tests/data/compare):
// the File menu's entries, the Functions table's Before / After / Change / Finding columns
// (model and sorting), the chart's dashed baseline, and clearing it. Offscreen.
#include <QAction>
#include <cmath>
#include <QFile>
#include <QMenu>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "app/gui/comparebaseline.h"
#include "app/gui/mainwindow.h"
#include "core/compare/compare.h"
#include "core/format/recordingio.h"
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
    void functionsOfOneRunOnlyAreRows();
    void alignsAtAFunctionsFirstCall();
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

// A baseline whose "checksum" was still called "checksum_v1": checksum_v1 is a row of its own
// (removed, only the baseline's figures), checksum is added; both sort; selecting the removed
// row outlines its baseline calls in the lane.
void TestCompareWindow::functionsOfOneRunOnlyAreRows() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile quiet(kQuiet);
    QVERIFY(quiet.open(QIODevice::ReadOnly));
    QByteArray text = quiet.readAll();
    QVERIFY(text.contains("\"checksum\""));
    text.replace("\"checksum\"", "\"checksum_v1\"");
    const QString basePath = dir.filePath(QStringLiteral("base.json"));
    QFile base(basePath);
    QVERIFY(base.open(QIODevice::WriteOnly) && base.write(text) == text.size());
    base.close();

    app::MainWindow w;
    w.resize(1400, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(open(w, kBusy));
    auto* panel = w.findChild<widgets::FunctionPanel*>();
    Model* model = panel->model();
    const int runRows = model->rowCount();
    QCOMPARE(runRows, 4);
    QString error;
    QVERIFY2(w.findChild<app::BaselineController*>()->setBaselineFile(basePath, &error), qPrintable(error));
    QCOMPARE(model->rowCount(), runRows + 1);

    const int removed = rowOf(*model, QStringLiteral("checksum_v1"));
    QCOMPARE(removed, runRows);  // after this run's rows
    QCOMPARE(model->index(removed, Model::Finding).data().toString(), QStringLiteral("removed (baseline only)"));
    QCOMPARE(model->index(removed, Model::Before).data().toString(), QStringLiteral("147.52 ms"));
    QCOMPARE(model->index(removed, Model::After).data().toString(), QStringLiteral("–"));
    QCOMPARE(model->index(removed, Model::Calls).data().toString(), QStringLiteral("–"));
    QCOMPARE(model->index(removed, Model::Name).data(Model::FunctionIndexRole).toInt(), -1);
    const int baseIndex = model->index(removed, Model::Name).data(Model::BaselineFunctionIndexRole).toInt();
    QVERIFY(baseIndex >= 0);
    const int added = rowOf(*model, QStringLiteral("checksum"));
    QVERIFY(added >= 0 && added < runRows);
    QCOMPARE(model->index(added, Model::Finding).data().toString(), QStringLiteral("added (not in the baseline)"));
    QCOMPARE(model->index(added, Model::Before).data().toString(), QStringLiteral("–"));
    QCOMPARE(model->index(added, Model::After).data().toString(), QStringLiteral("249.75 ms"));
    QCOMPARE(model->index(added, Model::Name).data(Model::BaselineFunctionIndexRole).toInt(), -1);

    // Sortable with the others: by Before, largest first, the removed function (147.5 ms) leads
    // and the added one (no baseline) comes last.
    auto* table = panel->tableView();
    const QAbstractItemModel* shown = table->model();
    table->sortByColumn(Model::Before, Qt::DescendingOrder);
    QCOMPARE(shown->index(0, Model::Name).data().toString(), QStringLiteral("checksum_v1"));
    QCOMPARE(shown->index(shown->rowCount() - 1, Model::Name).data().toString(), QStringLiteral("checksum"));

    // Selecting the removed row: no call of this run highlighted, its baseline calls outlined.
    auto* lane = panel->lane();
    const QColor outline = widgets::FunctionLane::baselineCallColor(runRows + baseIndex);
    QCOMPARE(countColor(lane->grab().toImage().convertToFormat(QImage::Format_RGB32), outline), 0);
    table->selectRow(0);
    QCOMPARE(lane->highlightedFunction(), -1);
    QCOMPARE(lane->highlightedBaselineFunction(), baseIndex);
    const QImage laneImage = lane->grab().toImage().convertToFormat(QImage::Format_RGB32);
    QVERIFY2(countColor(laneImage, outline) > 29 * 6,
             qPrintable(QStringLiteral("%1 outline pixels").arg(countColor(laneImage, outline))));
    if (const QString shots = qEnvironmentVariable("LOADLINE_TEST_SCREENSHOT_DIR"); !shots.isEmpty()) {
        QTest::qWait(200);  // the chart redraws after a short delay
        laneImage.save(shots + QStringLiteral("/compare_lane_removed.png"));
        w.grab().save(shots + QStringLiteral("/compare_window_removed.png"));
    }
    // Another row: the removed function's outlines go.
    table->selectRow(shown->rowCount() - 1);
    QCOMPARE(lane->highlightedBaselineFunction(), -1);
    QCOMPARE(countColor(lane->grab().toImage().convertToFormat(QImage::Format_RGB32), outline), 0);
}

// File → Align Baseline At Function… (the controller's setAlignFunction): each run's first call
// of the function at the same x, in the chart's baseline and in the lane's baseline calls.
void TestCompareWindow::alignsAtAFunctionsFirstCall() {
    app::MainWindow w;
    w.resize(1400, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* align = w.findChild<QAction*>(QStringLiteral("alignBaselineAction"));
    QVERIFY(align);
    QVERIFY(w.menu(app::MainWindow::Menu::File)->actions().contains(align));
    QVERIFY(!align->isEnabled());  // nothing to align without a baseline
    QVERIFY(open(w, kBusy));
    auto* controller = w.findChild<app::BaselineController*>();
    QVERIFY(controller->setBaselineFile(kQuiet));
    QVERIFY(align->isEnabled());
    widgets::TimelineView* view = w.timelineView();
    const double startsOffset = view->baselineOffset();  // first samples at the same x

    const auto busy = core::loadRecordingFile(kBusy.toStdString());
    const auto quiet = core::loadRecordingFile(kQuiet.toStdString());
    QVERIFY(busy && quiet);
    const double runFirst = *core::firstCallStart(*busy, "write_batch");
    const double baseFirst = *core::firstCallStart(*quiet, "write_batch");
    // write_batch starts 0.48 s into the baseline, 0.65 s into the run: a different alignment.
    QVERIFY(std::abs((runFirst - baseFirst) - startsOffset) > 0.1);

    QString error;
    QVERIFY2(controller->setAlignFunction(QStringLiteral("write_batch"), &error), qPrintable(error));
    QVERIFY(controller->alignedAtFunction());
    QCOMPARE(view->baselineOffset(), runFirst - baseFirst);
    // The baseline's first write_batch call drawn where the run's is: in the lane's mapping, the
    // baseline call's start plus the offset is the run's start.
    auto* panel = w.findChild<widgets::FunctionPanel*>();
    const int writeBatch = rowOf(*panel->model(), QStringLiteral("write_batch"));
    panel->selectFunction(panel->model()->index(writeBatch, Model::Name).data(Model::FunctionIndexRole).toInt());
    auto* lane = panel->lane();
    QCOMPARE(lane->xForTime(baseFirst + view->baselineOffset()), lane->xForTime(runFirst));

    // A function the baseline does not call: refused, the alignment kept.
    QVERIFY(!controller->setAlignFunction(QStringLiteral("no_such_function"), &error));
    QVERIFY2(error.contains(QStringLiteral("no_such_function")), qPrintable(error));
    QCOMPARE(controller->alignFunction(), QStringLiteral("write_batch"));
    QCOMPARE(view->baselineOffset(), runFirst - baseFirst);

    // Back to the starts.
    QVERIFY(controller->setAlignFunction(QString()));
    QVERIFY(!controller->alignedAtFunction());
    QCOMPARE(view->baselineOffset(), startsOffset);
}

QTEST_MAIN(TestCompareWindow)
#include "tst_comparewindow.moc"
