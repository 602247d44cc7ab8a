// Alerts in the desktop app, offscreen: a recording with alert_intervals shows them as bands in
// the lane under the plot (pixels checked) and in the Alerts panel (a click zooms the chart);
// View → Thresholds… checks rules and the rules are remembered; dashed threshold lines sit at the
// threshold's y; and in live mode a critical alert raises a freedesktop notification, received
// by a fake notification server on a private session bus (dbus-daemon --session).
#include <QApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDockWidget>
#include <QImage>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "app/gui/alertsdock.h"
#include "app/gui/mainwindow.h"
#include "app/gui/thresholdsdialog.h"
#include "core/alert/alertjson.h"
#include "core/format/recordingio.h"
#include "widgets/alertlane.h"
#include "widgets/thresholdoverlay.h"
#include "widgets/timelineview.h"

using namespace loadline;

/** Stands in for a notification daemon: owns org.freedesktop.Notifications, records each Notify. */
class FakeNotifications : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Received {
        QString app, summary, body;
        int urgency = -1;
    };
    QList<Received> received;
public slots:
    uint Notify(const QString& app, uint, const QString&, const QString& summary, const QString& body,
                const QStringList&, const QVariantMap& hints, int) {
        received.append({app, summary, body, hints.value(QStringLiteral("urgency")).toInt()});
        return static_cast<uint>(received.size());
    }
    QStringList GetCapabilities() { return {QStringLiteral("body")}; }
};

namespace {

QString g_busAddress;

/** cpu_percent at t = 1000..1019 (interval 1 s): 10, except 95 at 1005..1009; one saved interval. */
QString writeRecording(const QTemporaryDir& dir) {
    core::Timeline t;
    t.metadata.sampleInterval = 1.0;
    const int c = t.system.ensureColumn("cpu_percent");
    const int m = t.system.ensureColumn("memory_percent");
    for (int i = 0; i < 20; ++i) {
        t.system.appendRow(1000 + i);
        t.system.setLast(c, i >= 5 && i < 10 ? 95 : 10);
        t.system.setLast(m, 40);
    }
    auto rule = core::alert::parseRule("cpu_percent > 80");
    auto intervals = core::alert::evaluate(t, {*rule}, {1.0});
    core::alert::setAlertIntervals(t, intervals);
    const QString path = dir.filePath(QStringLiteral("run.json"));
    std::string error;
    if (!succeeded(core::saveTimelineFile(path.toStdString(), t), &error)) qFatal("%s", error.c_str());
    return path;
}

app::AlertsController* controllerOf(app::MainWindow& w) {
    return w.findChild<app::AlertsController*>(QStringLiteral("alertsController"));
}

}  // namespace

class TestAlerts : public QObject {
    Q_OBJECT
    QTemporaryDir m_settingsDir;

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("loadline-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_alerts"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QSettings::setDefaultFormat(QSettings::NativeFormat);
        QSettings().clear();
    }

    void recordingWithIntervalsShowsBandsAndPanel() {
        QTemporaryDir dir;
        const QString path = writeRecording(dir);
        app::MainWindow w;
        w.resize(1000, 700);
        w.show();
        QSignalSpy opened(&w, &app::MainWindow::fileOpened);
        w.openFile(path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
        auto* ctl = controllerOf(w);
        QVERIFY(ctl);
        QCOMPARE(ctl->intervals().size(), std::size_t(1));
        QCOMPARE(ctl->intervals()[0].start, 1005.0);
        QCOMPARE(*ctl->intervals()[0].end, 1010.0);
        QVERIFY(ctl->dock()->isVisible());
        QCOMPARE(ctl->list()->topLevelItemCount(), 1);
        QCOMPARE(ctl->list()->topLevelItem(0)->text(1), QStringLiteral("cpu_percent > 80"));
        QCOMPARE(ctl->list()->topLevelItem(0)->text(0), QStringLiteral("critical"));

        // The lane: red inside the band, not red outside it.
        auto* lane = ctl->lane();
        QVERIFY(lane->isVisible());
        w.timelineView()->zoomToRange(1000, 1019);
        QCoreApplication::processEvents();
        const core::TimeMapping m = w.timelineView()->timeMapping();
        lane->setMapping(m.t0, m.t1, m.x0, m.width);
        const QImage img = lane->grab().toImage();
        const double inX = m.toX(1007.5) - lane->x();
        const double outX = m.toX(1015) - lane->x();
        const int y = widgets::AlertLane::kRowHeight / 2 + 2;
        const qreal dpr = img.devicePixelRatio();
        const QColor in = img.pixelColor(int(inX * dpr), int(y * dpr));
        const QColor out = img.pixelColor(int(outX * dpr), int(y * dpr));
        QCOMPARE(in, widgets::AlertLane::criticalColor());
        QVERIFY2(out != widgets::AlertLane::criticalColor(), qPrintable(out.name()));
        QCOMPARE(lane->intervalAt(QPointF(inX, y)), 0);
        QCOMPARE(lane->intervalAt(QPointF(outX, y)), -1);

        // A click in the panel zooms the chart around the interval.
        w.timelineView()->zoomToRange(1000, 1019);
        ctl->zoomTo(0);
        const auto [t0, t1] = w.timelineView()->viewRange();
        QVERIFY2(t0 < 1005 && t0 > 1000 && t1 > 1010 && t1 < 1019, qPrintable(QStringLiteral("%1 %2").arg(t0).arg(t1)));
        w.grab().save(dir.filePath(QStringLiteral("window.png")));
        // With LOADLINE_TEST_SCREENSHOTS=DIR set, kept for a person to look at.
        if (const QString keep = qEnvironmentVariable("LOADLINE_TEST_SCREENSHOTS"); !keep.isEmpty())
            w.grab().save(keep + QStringLiteral("/alerts_window.png"));
        if (qEnvironmentVariableIsSet("LOADLINE_ALERTS_PNG"))
            w.grab().save(qEnvironmentVariable("LOADLINE_ALERTS_PNG"));
    }

    void thresholdsDialogChecksAndRulesAreRemembered() {
        app::ThresholdsDialog dialog({});
        dialog.setText(QStringLiteral("cpu_percent > 80\nmemory_percent >> 5\n"));
        QVERIFY(!dialog.check());
        QVERIFY2(dialog.errorText().startsWith(QStringLiteral("Line 2, column 17")), qPrintable(dialog.errorText()));
        dialog.setText(QStringLiteral("# busy\ncpu_percent > 80 for 10s\n\nmemory_percent > 90 critical 95\n"));
        QVERIFY(dialog.check());
        QCOMPARE(dialog.rules(), QStringList({QStringLiteral("cpu_percent > 80 for 10s"),
                                              QStringLiteral("memory_percent > 90 critical 95")}));

        QTemporaryDir dir;
        const QString path = writeRecording(dir);
        {
            app::MainWindow w;
            w.resize(1000, 700);
            w.show();
            QSignalSpy opened(&w, &app::MainWindow::fileOpened);
            w.openFile(path);
            QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
            auto* ctl = controllerOf(w);
            ctl->setRules({QStringLiteral("cpu_percent > 50 for 3s"), QStringLiteral("memory_percent > 30")});
            // The saved interval plus the two rules' own.
            QCOMPARE(ctl->intervals().size(), std::size_t(3));
            QCoreApplication::processEvents();
            // Dashed lines at 50 (warning) and 55 (critical) on the CPU chart, at the axis' y.
            const auto& lines = ctl->overlay()->lines();
            QCOMPARE(lines.size(), std::size_t(2));
            QCOMPARE(lines[0].value, 50.0);
            QCOMPARE(lines[1].value, 55.0);
            const QImage img = w.timelineView()->grab().toImage();
            const core::TimeMapping m = w.timelineView()->timeMapping();
            const double y = w.timelineView()->valueMapping().toY(50);
            int amber = 0;
            const qreal dpr = img.devicePixelRatio();
            for (int x = int(m.x0) + 2; x < int(m.x0 + m.width) - 2; ++x)
                if (img.pixelColor(int(x * dpr), int(std::round(y) * dpr)) == widgets::AlertLane::warningColor() ||
                    img.pixelColor(int(x * dpr), int(std::floor(y) * dpr)) == widgets::AlertLane::warningColor())
                    ++amber;
            // Dashed: much of the width, not all of it.
            QVERIFY2(amber > m.width * 0.2 && amber < m.width * 0.95, qPrintable(QString::number(amber)));
            if (qEnvironmentVariableIsSet("LOADLINE_THRESHOLDS_PNG"))
                w.grab().save(qEnvironmentVariable("LOADLINE_THRESHOLDS_PNG"));
        }
        // A new window reads the rules back.
        app::MainWindow w2;
        QCOMPARE(controllerOf(w2)->ruleTexts(),
                 QStringList({QStringLiteral("cpu_percent > 50 for 3s"), QStringLiteral("memory_percent > 30")}));
        controllerOf(w2)->setRules({});
    }

    void liveCriticalAlertRaisesADesktopNotification() {
        QVERIFY2(!g_busAddress.isEmpty(), "no private dbus-daemon (Debian's dbus-daemon package)");
        QDBusConnection fakeBus = QDBusConnection::connectToBus(g_busAddress, QStringLiteral("fake-notifications"));
        QVERIFY(fakeBus.isConnected());
        FakeNotifications fake;
        QVERIFY(fakeBus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &fake,
                                       QDBusConnection::ExportAllSlots));
        QVERIFY(fakeBus.registerService(QStringLiteral("org.freedesktop.Notifications")));
        QVERIFY(QDBusConnection::sessionBus().isConnected());
        QCOMPARE(QDBusConnection::sessionBus()
                     .interface()
                     ->isServiceRegistered(QStringLiteral("org.freedesktop.Notifications"))
                     .value(),
                 true);

        app::MainWindow w;
        w.resize(900, 600);
        w.show();
        auto* ctl = controllerOf(w);
        // memory_percent >= 0 holds from the first sample; its default critical value is 0.
        ctl->setRules({QStringLiteral("memory_percent >= 0"), QStringLiteral("memory_percent > 1000")});
        w.setLiveInterval(0.1);
        QVERIFY(w.startLive());
        QTRY_VERIFY_WITH_TIMEOUT(!fake.received.isEmpty(), 15000);
        w.stopLive();
        QCOMPARE(fake.received.size(), 1);  // one alert opened: one notification, not one per second
        QCOMPARE(fake.received[0].app, QStringLiteral("loadline"));
        QCOMPARE(fake.received[0].summary, QStringLiteral("loadline: memory_percent >= 0"));
        QVERIFY2(fake.received[0].body.startsWith(QStringLiteral("memory_percent reached ")),
                 qPrintable(fake.received[0].body));
        QCOMPARE(fake.received[0].urgency, 2);
        QCOMPARE(ctl->notificationsSent(), 1);
        ctl->setRules({});
        fakeBus.unregisterService(QStringLiteral("org.freedesktop.Notifications"));
        QDBusConnection::disconnectFromBus(QStringLiteral("fake-notifications"));
    }
};

int main(int argc, char** argv) {
    // A private session bus, before Qt could connect to another one.
    int fds[2];
    pid_t daemon = -1;
    if (::pipe(fds) == 0) {
        daemon = ::fork();
        if (daemon == 0) {
            ::dup2(fds[1], 1);
            ::close(fds[0]);
            ::execlp("dbus-daemon", "dbus-daemon", "--session", "--nofork", "--print-address=1", nullptr);
            ::_exit(127);
        }
        ::close(fds[1]);
        std::string line;
        char c;
        while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
        if (!line.empty()) {
            g_busAddress = QString::fromStdString(line);
            ::setenv("DBUS_SESSION_BUS_ADDRESS", line.c_str(), 1);
        }
    }
    int rc = 0;
    {
        QApplication app(argc, argv);
        TestAlerts tc;
        rc = QTest::qExec(&tc, argc, argv);
    }
    if (daemon > 0) {
        ::kill(daemon, SIGTERM);
        ::waitpid(daemon, nullptr, 0);
    }
    return rc;
}

#include "tst_alerts.moc"
