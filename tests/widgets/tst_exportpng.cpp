// loadline-cli export-png on fixtures, run as a separate process with no display configured.
#include <QImage>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QString kCli = QStringLiteral(LOADLINE_BIN_DIR "/loadline-cli");
const QString kRamp = QStringLiteral(LOADLINE_TEST_DATA "/chart/ramp_with_gap.json");
const QString kBad = QStringLiteral(LOADLINE_TEST_DATA "/format/bad/syntax_error.json");
const QColor kBlue(0xAD, 0xD8, 0xE6);
const QColor kCrimson(0xDC, 0x14, 0x3C);

struct Run {
    int exitCode = -1;
    QString out, err;
};

// No DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM: the command must choose offscreen itself.
Run runCli(const QStringList& args) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) env.remove(QString::fromLatin1(v));
    p.setProcessEnvironment(env);
    p.start(kCli, QStringList{QStringLiteral("export-png")} + args);
    if (!p.waitForFinished(120000)) return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

int count(const QImage& img, const QColor& c) {
    int n = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const QColor p = img.pixelColor(x, y);
            n += std::abs(p.red() - c.red()) <= 8 && std::abs(p.green() - c.green()) <= 8 &&
                 std::abs(p.blue() - c.blue()) <= 8;
        }
    return n;
}

}  // namespace

class TestExportPng : public QObject {
    Q_OBJECT
private slots:
    void writesThePngWithoutADisplay();
    void scaleMultipliesPixels();
    void rangeAndMetricOptions();
    void badFileGivesLoaderPositionAndNonZeroExit();
    void drawsTheOtherProcessesLikeTheWindow();
    void badArguments_data();
    void badArguments();
};

void TestExportPng::writesThePngWithoutADisplay() {
    QTemporaryDir dir;
    const QString out = dir.filePath("chart.png");
    const Run r = runCli({kRamp, "-o", out, "--width", "800", "--height", "400"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QImage img(out);
    QCOMPARE(img.size(), QSize(800, 400));
    QVERIFY(count(img, kBlue) > 800 * 400 / 10);  // the system area
    QVERIFY(count(img, kCrimson) > 300);          // the process line
    // Left half vs right half of the gap: there is a blank band in the middle of the plot.
    int blankColumns = 0;
    for (int x = 0; x < img.width(); ++x) {
        bool blue = false;
        for (int y = 0; y < img.height() && !blue; ++y) blue = img.pixelColor(x, y) == kBlue;
        blankColumns += !blue && x > 100 && x < 700;
    }
    QVERIFY2(blankColumns > 80, qPrintable(QString::number(blankColumns)));  // 20 s of ~90 s
}

void TestExportPng::scaleMultipliesPixels() {
    QTemporaryDir dir;
    const QString out = dir.filePath("chart2x.png");
    const Run r = runCli({kRamp, "-o", out, "--width", "400", "--height", "250", "--scale", "2"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(QImage(out).size(), QSize(800, 500));
}

void TestExportPng::rangeAndMetricOptions() {
    QTemporaryDir dir;
    // 10 s to 30 s only: no gap in view, so every plot column has the area.
    const QString zoomed = dir.filePath("zoomed.png");
    Run r =
        runCli({kRamp, "-o", zoomed, "--from", "10", "--to", "30", "--relative", "--width", "600", "--height", "300"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    // Runs of the area along a row under 60 %, split only by background (not by grid lines).
    auto areaRuns = [](const QImage& img) {
        const int row = img.height() * 3 / 4;
        int runs = 0;
        bool inArea = false;
        for (int x = 0; x < img.width(); ++x) {
            const QColor c = img.pixelColor(x, row);
            if (c == kBlue && !inArea) ++runs;
            if (c == kBlue) inArea = true;
            else if (c == QColor(Qt::white)) inArea = false;
        }
        return runs;
    };
    QCOMPARE(areaRuns(QImage(zoomed)), 1);
    const QString full = dir.filePath("full.png");
    r = runCli({kRamp, "-o", full, "--relative", "--width", "600", "--height", "300"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(areaRuns(QImage(full)), 2);  // the gap splits the area
    // A range that runs past the end is clipped to it, not shifted back over earlier data (it
    // used to draw the whole recording): the same picture as --from alone.
    const QString pastEnd = dir.filePath("pastend.png"), fromOnly = dir.filePath("fromonly.png");
    r = runCli(
        {kRamp, "-o", pastEnd, "--from", "60", "--to", "500", "--relative", "--width", "600", "--height", "300"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = runCli({kRamp, "-o", fromOnly, "--from", "60", "--relative", "--width", "600", "--height", "300"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(QImage(pastEnd), QImage(fromOnly));
    QVERIFY(QImage(pastEnd) != QImage(full));
    // Memory with no process line: no crimson at all.
    const QString mem = dir.filePath("mem.png");
    r = runCli({kRamp, "-o", mem, "--metric", "memory", "--pid", "none", "--width", "600", "--height", "300"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QImage m(mem);
    QCOMPARE(count(m, kCrimson), 0);
    QVERIFY(count(m, kBlue) > 1000);
    // A file without pressure columns has no pressure chart: an error, not an empty picture.
    const QString pressure = dir.filePath("pressure.png");
    r = runCli({kRamp, "-o", pressure, "--metric", "pressure"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("no pressure or run-queue wait columns")), qPrintable(r.err));
    QVERIFY(!QFile::exists(pressure));
}

// The window draws every other process as a thin line by default (View > Show Other Processes):
// so does export-png, unless told --no-others. idle_and_busy.json: the crimson line is the idle
// process (first of the two with the most samples), cpuburn the first extra line (sea green).
void TestExportPng::drawsTheOtherProcessesLikeTheWindow() {
    const QString file = QStringLiteral(LOADLINE_TEST_DATA "/chart/idle_and_busy.json");
    const QColor firstExtra(0x2E, 0x8B, 0x57);
    QTemporaryDir dir;
    const QString all = dir.filePath("all.png"), one = dir.filePath("one.png");
    Run r = runCli({file, "-o", all, "--width", "800", "--height", "400"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    r = runCli({file, "-o", one, "--width", "800", "--height", "400", "--no-others"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(count(QImage(all), firstExtra) > 300, qPrintable(QString::number(count(QImage(all), firstExtra))));
    QCOMPARE(count(QImage(one), firstExtra), 0);
    // Its legend entry is drawn too, in the row above the plot (the top 60 px).
    QVERIFY(count(QImage(all).copy(0, 0, 800, 60), firstExtra) > 10);
}

void TestExportPng::badFileGivesLoaderPositionAndNonZeroExit() {
    QTemporaryDir dir;
    const QString out = dir.filePath("never.png");
    const Run r = runCli({kBad, "-o", out});
    QCOMPARE(r.exitCode, 2);
    // The loader's FILE:LINE:COLUMN: message.
    QVERIFY2(r.err.contains(QRegularExpression(QStringLiteral("syntax_error\\.json:\\d+:\\d+: "))), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
    const Run missing = runCli({dir.filePath("nope.json"), "-o", out});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains("nope.json"), qPrintable(missing.err));
}

void TestExportPng::badArguments_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addRow("no output") << QStringList{kRamp} << "missing -o";
    QTest::addRow("no file") << QStringList{"-o", "x.png"} << "missing FILE";
    QTest::addRow("bad metric") << QStringList{kRamp, "-o", "x.png", "--metric", "disk"} << "cpu, memory or pressure";
    QTest::addRow("unknown pid") << QStringList{kRamp, "-o", "x.png", "--pid", "99"} << "no process 99 (tracked: 4242)";
    QTest::addRow("bad time") << QStringList{kRamp, "-o", "x.png", "--from", "ten"} << "--from ten";
    QTest::addRow("reversed range") << QStringList{kRamp, "-o", "x.png", "--from", "50", "--to", "20"}
                                    << "after --from";
    QTest::addRow("from after the end") << QStringList{kRamp, "-o", "x.png", "--from", "120"}
                                        << "not before the recording's end";
    QTest::addRow("range after the end") << QStringList{kRamp, "-o", "x.png", "--from", "150", "--to", "200"}
                                         << "lies outside the recording (0 s to";
    QTest::addRow("tiny width") << QStringList{kRamp, "-o", "x.png", "--width", "3"} << "64 to 16384";
    QTest::addRow("unknown option") << QStringList{kRamp, "-o", "x.png", "--colour"} << "unknown option";
}

void TestExportPng::badArguments() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const Run r = runCli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestExportPng)
#include "tst_exportpng.moc"
