// loadline-cli export-png --functions: the calls lane drawn under the chart, checked in the pixels
// of the written PNG against the hand-made summary (tests/data/correlate/handmade_summary.json):
// between_call [3.2, 3.4], burst_call [4.2, 5.8], step_call [6.5, 7.5] (seconds after the start).
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "core/correlate/correlate.h"
#include "core/format/recordingio.h"
#include "widgets/functionlane.h"

using namespace loadline;

class TestExportPngFunctions : public QObject {
    Q_OBJECT
private slots:
    void laneShowsTheCallsAtTheirTimes();
};

namespace {
// First and last x of a colour in one pixel row; {-1, -1} when absent.
std::pair<int, int> extent(const QImage& img, int y, QRgb color) {
    int first = -1, last = -1;
    for (int x = 0; x < img.width(); ++x)
        if (img.pixel(x, y) == color) {
            if (first < 0) first = x;
            last = x;
        }
    return {first, last};
}
}  // namespace

void TestExportPngFunctions::laneShowsTheCallsAtTheirTimes() {
    const QString file = QStringLiteral(LOADLINE_TEST_DATA "/correlate/handmade_summary.json");
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("f.png"));
    QProcess cli;
    cli.start(QStringLiteral(LOADLINE_BIN_DIR "/loadline-cli"),
              {QStringLiteral("export-png"), file, QStringLiteral("--functions"), QStringLiteral("-o"), out,
               QStringLiteral("--width"), QStringLiteral("1000"), QStringLiteral("--height"), QStringLiteral("500")});
    QVERIFY(cli.waitForFinished(120000));
    QCOMPARE(cli.exitCode(), 0);
    QImage img(out);
    QVERIFY(!img.isNull());
    QCOMPARE(img.size(), QSize(1000, 500));

    auto loaded = core::loadRecordingFile(file.toStdString());
    QVERIFY(loaded);
    const auto c = core::correlate(*loaded);
    auto colorOf = [&](const char* name) {
        for (std::size_t f = 0; f < c.functions.size(); ++f)
            if (c.functions[f].name == name) return widgets::FunctionLane::functionColor(int(f)).rgb();
        return QRgb(0);
    };
    // The lane is in the bottom strip, below the chart: find the row where burst_call shows as a
    // span (the legend under the lane has 10 px squares of the same colours).
    int y = -1;
    for (int row = img.height() - 1; row > img.height() - 80 && y < 0; --row) {
        const auto e = extent(img, row, colorOf("burst_call"));
        if (e.first >= 0 && e.second - e.first > 30) y = row;
    }
    QVERIFY2(y > 0, "no burst_call span in the bottom strip");
    // Rows above the lane's strip are the chart: no call colour up there at mid-height.
    QCOMPARE(extent(img, img.height() / 2, colorOf("burst_call")).first, -1);

    const auto between = extent(img, y, colorOf("between_call"));
    const auto burst = extent(img, y, colorOf("burst_call"));
    const auto step = extent(img, y, colorOf("step_call"));
    QVERIFY(between.first >= 0 && step.first >= 0);
    // In time order, and with widths proportional to the wall times (1.6 s vs 1.0 s).
    QVERIFY(between.second < burst.first);
    QVERIFY(burst.second < step.first);
    const double pxPerSecond = (step.second - step.first + 1) / 1.0;
    QVERIFY2(std::abs((burst.second - burst.first + 1) - 1.6 * pxPerSecond) <= 3,
             qPrintable(QStringLiteral("burst %1..%2, step %3..%4")
                            .arg(burst.first)
                            .arg(burst.second)
                            .arg(step.first)
                            .arg(step.second)));
    // Positions: burst starts 0.8 s after between ends, step 0.7 s after burst ends.
    QVERIFY(std::abs((burst.first - between.second) - 0.8 * pxPerSecond) <= 3);
    QVERIFY(std::abs((step.first - burst.second) - 0.7 * pxPerSecond) <= 3);
}

QTEST_MAIN(TestExportPngFunctions)
#include "tst_exportpngfunctions.moc"
