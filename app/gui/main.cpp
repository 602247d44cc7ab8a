// loadline: the desktop app. Thin: parse the command line, apply the theme, open windows.
#include <QApplication>
#include <QSettings>

#include "app/gui/commandline.h"
#include "app/gui/comparebaseline.h"
#include "app/gui/appsettings.h"
#include "app/gui/livesession.h"
#include "app/gui/mainwindow.h"
#include "app/gui/theme.h"

using namespace loadline::app;

int main(int argc, char** argv) {
    setApplicationInfo();
    if (wantsHelpOrVersion(argc, argv)) {
        // Answer without a display: --help and --version must work over ssh and in scripts.
        QCoreApplication core(argc, argv);
        QCommandLineParser parser;
        configureParser(parser);
        parseCommandLine(parser, QCoreApplication::arguments());  // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/loadline/loadline.svg")));
    QApplication::setDesktopFileName(QStringLiteral("io.github.loadline"));
    QCommandLineParser parser;
    configureParser(parser);
    const GuiOptions options = parseCommandLine(parser, QCoreApplication::arguments());

    const Theme theme =
        options.themeGiven ? options.theme : themeFromString(QSettings().value(settings::kTheme).toString());
    if (theme != Theme::System) applyTheme(app, theme);

    // One window per file given; a plain window when none is.
    QList<MainWindow*> windows;
    const int count = std::max<int>(1, static_cast<int>(options.files.size()));
    for (int i = 0; i < count; ++i) {
        auto* w = new MainWindow;
        w->setAttribute(Qt::WA_DeleteOnClose);
        if (options.interval > 0) w->setLiveInterval(options.interval);
        if (!options.baseline.isEmpty()) {
            QString error;
            if (!w->findChild<BaselineController*>()->setBaselineFile(options.baseline, &error)) {
                qCritical("loadline: --baseline: %s", qPrintable(error));
                return 2;
            }
            if (!w->findChild<BaselineController*>()->setAlignFunction(options.alignAt, &error)) {
                qCritical("loadline: --align-at: %s", qPrintable(error));
                return 2;
            }
        }
        if (i < options.files.size()) w->openFile(options.files[i]);
        w->show();
        windows << w;
    }
    for (const QString& pattern : options.trackPatterns) {
        QString error;
        if (!windows.first()->liveSession()->addTrackPattern(pattern, &error)) {
            qCritical("loadline: --track: %s", qPrintable(error));
            return 2;
        }
    }
    for (const QString& pattern : options.trackCmdlinePatterns) {
        QString error;
        if (!windows.first()->liveSession()->addTrackPattern(pattern, &error, LiveSession::Match::Cmdline)) {
            qCritical("loadline: --track-cmdline: %s", qPrintable(error));
            return 2;
        }
    }
    if (options.startLive) windows.first()->startLive();
    return app.exec();
}
