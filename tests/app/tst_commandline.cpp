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
        for (const char* needle : {"Usage:", "--live", "--interval <seconds>", "--theme <name>", "--track <regex>",
                                   "--track-cmdline <regex>", "[file...]", "--version"})
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
        const GuiOptions o = parseCommandLine(
            parser,
            {QStringLiteral("loadline"), QStringLiteral("--live"), QStringLiteral("--interval"), QStringLiteral("0.25"),
             QStringLiteral("--theme"), QStringLiteral("dark"), QStringLiteral("--track"), QStringLiteral("python"),
             QStringLiteral("--track"), QStringLiteral("^node$"), QStringLiteral("--track-cmdline"),
             QStringLiteral("train\\.py"), QStringLiteral("a.json"), QStringLiteral("b.json")});
        QCOMPARE(o.files, (QStringList{QStringLiteral("a.json"), QStringLiteral("b.json")}));
        QVERIFY(o.startLive);
        QCOMPARE(o.interval, 0.25);
        QVERIFY(o.themeGiven);
        QCOMPARE(o.theme, Theme::Dark);
        QCOMPARE(o.trackPatterns, (QStringList{QStringLiteral("python"), QStringLiteral("^node$")}));
        QCOMPARE(o.trackCmdlinePatterns, (QStringList{QStringLiteral("train\\.py")}));
        QVERIFY(o.baseline.isEmpty() && o.alignAt.isEmpty());
    }

    void readsBaselineAndAlignAt() {
        QCommandLineParser parser;
        configureParser(parser);
        const GuiOptions o = parseCommandLine(
            parser, {QStringLiteral("loadline"), QStringLiteral("new.json"), QStringLiteral("--baseline"),
                     QStringLiteral("base.json"), QStringLiteral("--align-at"), QStringLiteral("checksum")});
        QCOMPARE(o.files, QStringList{QStringLiteral("new.json")});
        QCOMPARE(o.baseline, QStringLiteral("base.json"));
        QCOMPARE(o.alignAt, QStringLiteral("checksum"));
    }

    // As export-png: --align-at means nothing without a baseline, and a function the baseline
    // does not call is an error naming it (exit status 2), not a silently different alignment.
    // An unknown option is a usage error like the others: exit status 2, the option named.
    void unknownOptionExitsTwo() {
        QProcessEnvironment env = noDisplay();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(binary(), {QStringLiteral("--bogus")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("bogus")));
    }

    void alignAtErrors() {
        QProcessEnvironment env = noDisplay();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(binary(), {QStringLiteral("--align-at"), QStringLiteral("checksum")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("--align-at needs --baseline")));

        const QString data = QStringLiteral(LOADLINE_TEST_DATA "/compare/");
        p.start(binary(), {data + QStringLiteral("summary_busy.json"), QStringLiteral("--baseline"),
                           data + QStringLiteral("summary_quiet.json"), QStringLiteral("--align-at"),
                           QStringLiteral("no_such_function")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("no call of 'no_such_function'")), qPrintable(err));
    }
};

QTEST_MAIN(TestCommandLine)
#include "tst_commandline.moc"
