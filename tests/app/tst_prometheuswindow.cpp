// File → Open from Prometheus… against a real Prometheus (Debian's package, 1 s scrape) over a
// `loadline-cli serve` agent and a prometheus-node-exporter on loopback: the dialog lists both
// instances with job and exporter, a chosen one is charted from imported data, zooming in
// re-queries at a finer step, and two instances are overlaid as one line each.
#include <QAction>
#include <QImage>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "app/gui/mainwindow.h"
#include "app/gui/prometheusbrowser.h"
#include "app/gui/prometheusdialog.h"
#include "fleetenv.h"
#include "widgets/timelineview.h"

using namespace loadline::testing;
using loadline::app::MainWindow;
using loadline::app::PrometheusBrowser;
using loadline::app::PrometheusDialog;

namespace {
int countColor(const QImage& image, QColor color, int tolerance = 12) {
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    int n = 0;
    for (int y = 0; y < img.height(); ++y) {
        const QRgb* line = reinterpret_cast<const QRgb*>(img.constScanLine(y));
        for (int x = 0; x < img.width(); ++x)
            if (qAbs(qRed(line[x]) - color.red()) <= tolerance && qAbs(qGreen(line[x]) - color.green()) <= tolerance &&
                qAbs(qBlue(line[x]) - color.blue()) <= tolerance)
                ++n;
    }
    return n;
}
double now() { return static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0; }
}  // namespace

class TestPrometheusWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_settingsDir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_prometheuswindow"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings::setDefaultFormat(QSettings::NativeFormat);
    }
    void openFromPrometheus();

private:
    QTemporaryDir m_settingsDir;
};

void TestPrometheusWindow::openFromPrometheus() {
    QVERIFY2(::access(kPrometheusBin, X_OK) == 0, "scripts/install-deps.sh installs prometheus");
    QVERIFY2(::access(kNodeExporterBin, X_OK) == 0, "scripts/install-deps.sh installs prometheus-node-exporter");
    ServeProcess agent({"--interval", "0.5", "--node-id", "window-agent"});
    QVERIFY2(agent.ok(), agent.log().c_str());
    TempDir tmp;
    const int nodePort = freeLoopbackPort();
    Child node({kNodeExporterBin, "--web.listen-address=127.0.0.1:" + std::to_string(nodePort),
                "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.loadavg"},
               tmp.file("node.log"));
    PrometheusServer prom({{"agents", {agent.port()}}, {"node", {nodePort}}}, false);
    QVERIFY2(prom.waitForTargets(2, 12, 60), (prom.log() + node.log()).c_str());
    const QString agentInst = QStringLiteral("127.0.0.1:%1").arg(agent.port());
    const QString nodeInst = QStringLiteral("127.0.0.1:%1").arg(nodePort);

    MainWindow w;
    w.resize(1200, 800);
    auto* browser = w.findChild<PrometheusBrowser*>(QStringLiteral("prometheusBrowser"));
    QVERIFY(browser);
    QVERIFY(w.menu(MainWindow::Menu::File)->actions().contains(browser->openAction()));

    // The dialog lists what `up` knows, with job and exporter.
    PrometheusDialog dialog(&w);
    dialog.setUrl(QString::fromStdString(prom.url()));
    QSignalSpy listed(&dialog, &PrometheusDialog::instancesListed);
    dialog.refresh();
    QVERIFY(listed.wait(30000));
    const QStringList shown = dialog.instancesShown();
    QVERIFY2(shown.contains(agentInst + "|agents|loadline agent"), qPrintable(shown.join(", ") + dialog.errorText()));
    QVERIFY2(shown.contains(nodeInst + "|node|node_exporter"), qPrintable(shown.join(", ")));

    // One instance, a range of an hour: a coarse step (1 h / 2000 points = 1.8 s, whole seconds: 2 s).
    dialog.checkInstances({agentInst});
    dialog.setRangePreset(1);
    QString error;
    auto query = dialog.query(&error);
    QVERIFY2(query, qPrintable(error));
    query->from = now() - 3600;
    query->to = now();
    QSignalSpy shownSpy(browser, &PrometheusBrowser::shown);
    QSignalSpy failedSpy(browser, &PrometheusBrowser::failed);
    browser->open(*query);
    QVERIFY(shownSpy.wait(30000));
    QCOMPARE(failedSpy.count(), 0);
    QCOMPARE(browser->step(), 2.0);
    auto rec = w.recording();
    QVERIFY(rec);
    const auto& sys = rec->timeline.system;
    QVERIFY2(sys.size() >= 2, qPrintable(QString::number(sys.size())));
    QVERIFY(std::isfinite(sys.value("cpu_percent", sys.size() - 1)));
    QVERIFY(w.windowTitle().contains(agentInst) || w.timelineView()->title().contains(agentInst));
    const QImage img = w.timelineView()->renderImage(QSize(1000, 500));
    QVERIFY2(countColor(img, QColor(0xAD, 0xD8, 0xE6)) > 200, "no system CPU area drawn");
    img.save(QString::fromStdString(tmp.file("one.png")));

    // Zoom in on the last 6 s: re-queried at the scrape interval (1 s), spliced into the 2 s data.
    const std::size_t coarseRows = sys.size();
    const double t1 = sys.timestamp(sys.size() - 1);
    w.timelineView()->zoomToRange(t1 - 6, t1);
    const bool zoomed = shownSpy.wait(30000);
    QVERIFY2(zoomed, qPrintable(QStringLiteral("view %1..%2, data %3..%4 (%5 rows), failures %6 %7")
                                    .arg(w.timelineView()->viewRange().first, 0, 'f', 1)
                                    .arg(w.timelineView()->viewRange().second, 0, 'f', 1)
                                    .arg(sys.timestamp(0), 0, 'f', 1)
                                    .arg(t1, 0, 'f', 1)
                                    .arg(sys.size())
                                    .arg(failedSpy.count())
                                    .arg(failedSpy.isEmpty() ? QString() : failedSpy.last().at(0).toString())));
    QCOMPARE(browser->step(), 1.0);
    QVERIFY2(w.recording()->timeline.system.size() > coarseRows,
             qPrintable(QStringLiteral("%1 rows after zoom, %2 before")
                            .arg(w.recording()->timeline.system.size())
                            .arg(coarseRows)));
    QCOMPARE(w.recording()->timeline.metadata.sampleInterval.value_or(0), 2.0);  // gaps judged on the coarse step

    // Two instances overlaid: each one's system CPU as a named line.
    query->instances = {agentInst, nodeInst};
    query->from = now() - 300;
    query->to = now();
    browser->open(*query);
    QVERIFY(shownSpy.wait(30000));
    QCOMPARE(failedSpy.count(), 0);
    const auto& procs = w.recording()->timeline.processes;
    QCOMPARE(procs.size(), std::size_t(2));
    QCOMPARE(QString::fromUtf8(procs.at(1).latestText("name").data(), int(procs.at(1).latestText("name").size())),
             agentInst);
    QCOMPARE(QString::fromUtf8(procs.at(2).latestText("name").data(), int(procs.at(2).latestText("name").size())),
             nodeInst);
    QVERIFY(procs.at(2).samples.size() >= 5);
    const QImage both = w.timelineView()->renderImage(QSize(1000, 500));
    both.save(QString::fromStdString(tmp.file("both.png")));
    QVERIFY2(countColor(both, QColor(0xDC, 0x14, 0x3C), 40) > 50, "no crimson line for the first instance");
    if (qEnvironmentVariableIsSet("LOADLINE_SHOTS")) {
        img.save(qEnvironmentVariable("LOADLINE_SHOTS") + "/prometheus-one.png");
        both.save(qEnvironmentVariable("LOADLINE_SHOTS") + "/prometheus-both.png");
    }

    // Follow: the newest range is re-queried every few seconds (the scrape step, at least 2 s).
    const int importsBefore = browser->imports();
    browser->setFollow(true);
    QVERIFY(shownSpy.wait(30000));
    QVERIFY(shownSpy.wait(30000));
    browser->setFollow(false);
    QVERIFY(browser->imports() >= importsBefore + 2);
    QVERIFY(w.timelineView()->followLatest());

    // An unreachable server: failed(), the chart keeps what it showed.
    auto before = w.recording();
    query->url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(freeLoopbackPort()));
    browser->open(*query);
    QVERIFY(failedSpy.wait(30000));
    QVERIFY(failedSpy.last().at(0).toString().contains("cannot reach Prometheus"));
    QCOMPARE(w.recording(), before);
}

QTEST_MAIN(TestPrometheusWindow)
#include "tst_prometheuswindow.moc"
