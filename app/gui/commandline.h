#pragma once
// `loadline [OPTIONS] [FILE...]`: the desktop app's command line (QCommandLineParser).

#include <QCommandLineParser>
#include <QStringList>

#include "app/gui/theme.h"

class QCoreApplication;

namespace loadline::app {

struct GuiOptions {
    QStringList files;  // recordings to open, one window each
    bool startLive = false;
    bool themeGiven = false;
    Theme theme = Theme::System;
    double interval = 0;               // 0 = from settings
    QStringList trackPatterns;         // --track: regexes over the process name
    QStringList trackCmdlinePatterns;  // --track-cmdline: regexes over the command line
    QString baseline;                  // --baseline: compare every window's recording with this run
    QString alignAt;                   // --align-at: align the baseline at this function's first call
};

/** Application name, organization and version, used by QSettings and --version. */
void setApplicationInfo();
/** True when argv asks for --help or --version, answerable without a display. */
bool wantsHelpOrVersion(int argc, char** argv);
/** Declares the options on parser. */
void configureParser(QCommandLineParser& parser);
/**
 * Processes arguments (argv as QCoreApplication::arguments() gives it): exits for --help,
 * --version and bad options, as QCommandLineParser::process does, and reads the rest.
 */
GuiOptions parseCommandLine(QCommandLineParser& parser, const QStringList& arguments);

}  // namespace loadline::app
