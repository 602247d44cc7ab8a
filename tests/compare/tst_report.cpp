// loadline-cli report: one self-contained HTML file, checked in its text, in the chart image it
// carries, and as a real browser draws it (headless Chromium's screenshot, checked in pixels):
// the chart's light-blue system-CPU area (#ADD8E6) and the function table's header band
// (#33415C) must be on screen.
#include <QByteArray>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "core/format/recordingio.h"
#include "widgets/baselineoverlay.h"

using namespace loadline;

class TestReport : public QObject {
    Q_OBJECT
private slots:
    void comparisonReportIsSelfContained();
    void reportWithoutBaselineHasTheFunctionTable();
    void namesAreEscaped();
    void badInputExits2();
    void chromiumRendersTheChartAndTheTable();
    void exportPngDrawsTheBaseline();
};

namespace {

const QString kQuiet = QStringLiteral(LOADLINE_TEST_DATA "/compare/summary_quiet.json");
const QString kBusy = QStringLiteral(LOADLINE_TEST_DATA "/compare/summary_busy.json");

struct Run {
    int status = -1;
    QString err;
};

Run cli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(LOADLINE_BIN_DIR "/loadline-cli"), args);
    if (!p.waitForFinished(120000)) return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardError())};
}

QString readText(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

bool near(QRgb c, int r, int g, int b, int tol) {
    return std::abs(qRed(c) - r) <= tol && std::abs(qGreen(c) - g) <= tol && std::abs(qBlue(c) - b) <= tol;
}

int countColor(const QImage& img, int r, int g, int b, int tol) {
    int n = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) n += near(img.pixel(x, y), r, g, b, tol);
    return n;
}

// The images the HTML carries as data: URIs, decoded.
QList<QImage> inlineImages(const QString& html) {
    QList<QImage> out;
    static const QRegularExpression re(QStringLiteral("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\""));
    for (auto it = re.globalMatch(html); it.hasNext();) {
        const auto m = it.next();
        out.append(QImage::fromData(QByteArray::fromBase64(m.captured(1).toLatin1()), "PNG"));
    }
    return out;
}

}  // namespace

void TestReport::comparisonReportIsSelfContained() {
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("report.html"));
    const Run r =
        cli({QStringLiteral("report"), kBusy, QStringLiteral("--baseline"), kQuiet, QStringLiteral("-o"), out});
    QCOMPARE(r.status, 0);
    const QString html = readText(out);
    QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
    // Nothing outside the file: no scripts, no links, no remote images.
    QVERIFY(!html.contains(QStringLiteral("<script")));
    QVERIFY(!html.contains(QStringLiteral("http://")));
    QVERIFY(!html.contains(QStringLiteral("https://")));
    QVERIFY(!html.contains(QStringLiteral("<link")));
    // Both runs' charts, decodable, with the light-blue system CPU area.
    const auto images = inlineImages(html);
    QCOMPARE(images.size(), 2);
    for (const QImage& img : images) {
        QVERIFY(!img.isNull());
        QCOMPARE(img.width(), 1100);
        QVERIFY2(countColor(img, 0xAD, 0xD8, 0xE6, 4) > 10000, "no light-blue system CPU area in the chart");
    }
    // The busy run's area covers far more of its chart than the quiet baseline's.
    QVERIFY(countColor(images[0], 0xAD, 0xD8, 0xE6, 4) > 2 * countColor(images[1], 0xAD, 0xD8, 0xE6, 4));
    // Findings and the table rows with before -> after.
    QVERIFY(html.contains(QStringLiteral("f-machine\">machine</span> <b>checksum</b>")));
    QVERIFY(html.contains(QStringLiteral("f-no-change\">no change</span> <b>download</b>")));
    QVERIFY(html.contains(QStringLiteral("<td>checksum</td><td class=\"n\">29 → 23</td>")));
    QVERIFY(html.contains(QStringLiteral("Mann-Whitney")));
    QVERIFY(html.contains(QStringLiteral("7d33ca25-1b2c-4a22-8348-c0ee178ffbd5")));  // the run's session id
}

void TestReport::reportWithoutBaselineHasTheFunctionTable() {
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("report.html"));
    QCOMPARE(cli({QStringLiteral("report"), kQuiet, QStringLiteral("-o"), out}).status, 0);
    const QString html = readText(out);
    QCOMPARE(inlineImages(html).size(), 1);
    QVERIFY(html.contains(QStringLiteral("<td>checksum</td><td class=\"n\">29</td>")));
    QVERIFY(!html.contains(QStringLiteral("Findings")));
    QVERIFY(html.contains(QStringLiteral("own work / contention / waiting / unknown")));
}

void TestReport::namesAreEscaped() {
    auto loaded = core::loadRecordingFile(kQuiet.toStdString());
    QVERIFY(loaded);
    auto rec = *loaded;
    for (auto& t : rec.functionTimings)
        if (t.functionName == "checksum") t.functionName = "<img src=x onerror=alert(1)>&";
    QTemporaryDir dir;
    const QString summary = dir.filePath(QStringLiteral("evil.json"));
    std::string error;
    QVERIFY2(succeeded(core::saveRecordingFile(summary.toStdString(), rec), &error), error.c_str());
    const QString out = dir.filePath(QStringLiteral("report.html"));
    QCOMPARE(cli({QStringLiteral("report"), summary, QStringLiteral("-o"), out}).status, 0);
    const QString html = readText(out);
    QVERIFY(!html.contains(QStringLiteral("<img src=x")));
    QVERIFY(html.contains(QStringLiteral("&lt;img src=x onerror=alert(1)&gt;&amp;")));
}

void TestReport::badInputExits2() {
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("report.html"));
    Run r = cli({QStringLiteral("report"), kQuiet});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains(QStringLiteral("missing -o")), qPrintable(r.err));
    r = cli({QStringLiteral("report"), kQuiet, QStringLiteral("--baseline"), QStringLiteral("/nonexistent/base.json"),
             QStringLiteral("-o"), out});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains(QStringLiteral("/nonexistent/base.json")), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
}

void TestReport::chromiumRendersTheChartAndTheTable() {
    QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    if (chromium.isEmpty()) chromium = QStandardPaths::findExecutable(QStringLiteral("chromium-browser"));
    if (chromium.isEmpty())
        QSKIP(
            "chromium is not installed (Debian package 'chromium', installed by scripts/install-deps.sh): the report "
            "was not checked in a real browser");
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("report.html"));
    QCOMPARE(
        cli({QStringLiteral("report"), kBusy, QStringLiteral("--baseline"), kQuiet, QStringLiteral("-o"), out}).status,
        0);
    const QString shot = dir.filePath(QStringLiteral("shot.png"));
    QProcess browser;
    browser.start(chromium,
                  {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                   QStringLiteral("--disable-background-networking"), QStringLiteral("--hide-scrollbars"),
                   QStringLiteral("--user-data-dir=") + dir.filePath(QStringLiteral("profile")),
                   QStringLiteral("--screenshot=") + shot, QStringLiteral("--window-size=1280,2600"),
                   QStringLiteral("file://") + out});
    QVERIFY2(browser.waitForFinished(120000), "chromium did not finish");
    QVERIFY2(browser.exitCode() == 0, browser.readAllStandardError().constData());
    const QImage img(shot);
    QVERIFY2(!img.isNull(), "chromium wrote no screenshot");
    QCOMPARE(img.width(), 1280);
    // Both charts' light-blue areas are drawn (the busy one alone fills most of a 1100 x 500 plot).
    const int blue = countColor(img, 0xAD, 0xD8, 0xE6, 6);
    QVERIFY2(blue > 150000, qPrintable(QStringLiteral("light-blue pixels: %1").arg(blue)));
    // The function table: its dark header band spans most of the page's width on some row.
    int widestHeader = 0, headerRow = -1;
    for (int y = 0; y < img.height(); ++y) {
        int n = 0;
        for (int x = 0; x < img.width(); ++x) n += near(img.pixel(x, y), 0x33, 0x41, 0x5C, 6);
        if (n > widestHeader) {
            widestHeader = n;
            headerRow = y;
        }
    }
    QVERIFY2(widestHeader > 900, qPrintable(QStringLiteral("widest table header band: %1 px").arg(widestHeader)));
    // The table comes after the charts: below the last light-blue pixel.
    int lastBlue = -1;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); x += 2)
            if (near(img.pixel(x, y), 0xAD, 0xD8, 0xE6, 6)) lastBlue = y;
    QVERIFY2(headerRow > lastBlue,
             qPrintable(QStringLiteral("table header at y %1, chart ends at %2").arg(headerRow).arg(lastBlue)));
    // Rows under the header: light separators (#DFE4EA) across the table's width.
    int separators = 0;
    for (int y = headerRow; y < std::min(img.height(), headerRow + 200); ++y) {
        int n = 0;
        for (int x = 0; x < img.width(); ++x) n += near(img.pixel(x, y), 0xDF, 0xE4, 0xEA, 3);
        separators += n > 900;
    }
    QVERIFY2(separators >= 4, qPrintable(QStringLiteral("table row separators: %1").arg(separators)));
}

// export-png NEW --baseline BASE: the same dashed overlay as the window (its pixels), and
// --align-at naming a function a run lacks is an error.
void TestReport::exportPngDrawsTheBaseline() {
    QTemporaryDir dir;
    const QString plain = dir.filePath(QStringLiteral("plain.png")), compared = dir.filePath(QStringLiteral("cmp.png"));
    QCOMPARE(cli({QStringLiteral("export-png"), kBusy, QStringLiteral("-o"), plain}).status, 0);
    QCOMPARE(cli({QStringLiteral("export-png"), kBusy, QStringLiteral("--baseline"), kQuiet,
                  QStringLiteral("--align-at"), QStringLiteral("checksum"), QStringLiteral("-o"), compared})
                 .status,
             0);
    const QColor c = widgets::kBaselineSystemColor;
    QCOMPARE(countColor(QImage(plain).convertToFormat(QImage::Format_RGB32), c.red(), c.green(), c.blue(), 0), 0);
    QVERIFY(countColor(QImage(compared).convertToFormat(QImage::Format_RGB32), c.red(), c.green(), c.blue(), 0) > 500);
    const Run r =
        cli({QStringLiteral("export-png"), kBusy, QStringLiteral("--baseline"), kQuiet, QStringLiteral("--align-at"),
             QStringLiteral("no_such_function"), QStringLiteral("-o"), compared});
    QCOMPARE(r.status, 2);
    QVERIFY2(r.err.contains(QStringLiteral("no call of 'no_such_function'")), qPrintable(r.err));
}

QTEST_MAIN(TestReport)
#include "tst_report.moc"
