// `loadline --version` / `--help` answer without a display; options and files are read.
#include <QProcess>
#include <QTest>

#include "app/gui/commandline.h"

using namespace loadline::app;

class TestCommandLine : public QObject {
    Q_OBJECT
private:
    static QString binary() { return QStringLiteral(LOADLINE_BIN_DIR "/loadline"); }
    static QProcessEnvironment noDisplay() {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        return env;
    }

private slots:
    void versionWithoutADisplay() {
        QProcess p;
        p.setProcessEnvironment(noDisplay());
        p.start(binary(), {QStringLiteral("--version")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()).trimmed(), QStringLiteral("loadline " LOADLINE_VERSION));
    }

    void helpListsOptions() {
        QProcess p;
        p.setProcessEnvironment(noDisplay());
        p.start(binary(), {QStringLiteral("--help")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        for (const char* needle : {"Usage:", "--live", "--interval <seconds>", "--theme <name>", "--track <regex>", "--track-cmdline <regex>", "[file...]", "--version"})
            QVERIFY2(out.contains(QLatin1String(needle)), needle);
    }

    void unknownOptionFails() {
        QProcess p;
        p.setProcessEnvironment(noDisplay());
        p.start(binary(), {QStringLiteral("--no-such-option"), QStringLiteral("--version")});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY(p.exitCode() != 0);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("no-such-option")));
    }

    void readsFilesAndOptions() {
        QCommandLineParser parser;
        configureParser(parser);
        const GuiOptions o = parseCommandLine(parser, {QStringLiteral("loadline"), QStringLiteral("--live"),
                                                       QStringLiteral("--interval"), QStringLiteral("0.25"),
                                                       QStringLiteral("--theme"), QStringLiteral("dark"),
                                                       QStringLiteral("--track"), QStringLiteral("python"),
                                                       QStringLiteral("--track"), QStringLiteral("^node$"),
                                                       QStringLiteral("--track-cmdline"), QStringLiteral("train\\.py"),
                                                       QStringLiteral("a.json"), QStringLiteral("b.json")});
        QCOMPARE(o.files, (QStringList{QStringLiteral("a.json"), QStringLiteral("b.json")}));
        QVERIFY(o.startLive);
        QCOMPARE(o.interval, 0.25);
        QVERIFY(o.themeGiven);
        QCOMPARE(o.theme, Theme::Dark);
        QCOMPARE(o.trackPatterns, (QStringList{QStringLiteral("python"), QStringLiteral("^node$")}));
        QCOMPARE(o.trackCmdlinePatterns, (QStringList{QStringLiteral("train\\.py")}));
    }
};

QTEST_MAIN(TestCommandLine)
#include "tst_commandline.moc"
