#include "app/gui/commandline.h"

#include <QCoreApplication>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace loadline::app {

void setApplicationInfo() {
    QCoreApplication::setApplicationName(QStringLiteral("loadline"));
    QCoreApplication::setOrganizationName(QStringLiteral("loadline"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LOADLINE_VERSION));
}

bool wantsHelpOrVersion(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        if (std::strcmp(a, "--") == 0) return false;
        for (const char* o : {"-h", "--help", "-?", "--help-all", "-v", "--version"})
            if (std::strcmp(a, o) == 0) return true;
    }
    return false;
}

void configureParser(QCommandLineParser& parser) {
    parser.setApplicationDescription(QCoreApplication::translate(
        "main",
        "Timeline viewer and live monitor for system and process load.\n"
        "Opens py-perf recordings (timelines and performance summaries) and samples this machine live."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption(
        {QStringLiteral("live"), QCoreApplication::translate("main", "Start sampling this machine at once.")});
    parser.addOption({QStringLiteral("interval"),
                      QCoreApplication::translate("main", "Live sampling interval in seconds (default 0.5)."),
                      QStringLiteral("seconds")});
    parser.addOption({QStringLiteral("track"),
                      QCoreApplication::translate("main",
                                                  "Track processes whose name matches this regular expression while "
                                                  "sampling live, also ones started or exec'd later (psutil's name(), "
                                                  "searched like pgrep: ^python3$ for an exact name; repeatable)."),
                      QStringLiteral("regex")});
    parser.addOption({QStringLiteral("track-cmdline"),
                      QCoreApplication::translate("main",
                                                  "Track processes whose command line matches this regular expression "
                                                  "while sampling live (like pgrep -f; repeatable)."),
                      QStringLiteral("regex")});
    parser.addOption({QStringLiteral("theme"),
                      QCoreApplication::translate("main", "Colour theme: system, light or dark."),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("baseline"),
                      QCoreApplication::translate("main",
                                                  "Compare with this earlier run of the same program: drawn dashed "
                                                  "over the chart, before/after columns in the Functions table."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("align-at"),
                      QCoreApplication::translate("main",
                                                  "With --baseline: align the runs at this function's first call "
                                                  "(default: at their starts)."),
                      QStringLiteral("function")});
    parser.addPositionalArgument(
        QStringLiteral("file"),
        QCoreApplication::translate("main", "Recording to open (py-perf JSON or a .llrec store)."),
        QStringLiteral("[file...]"));
}

GuiOptions parseCommandLine(QCommandLineParser& parser, const QStringList& arguments) {
    // A usage error exits 2 like every other one (QCommandLineParser::process would exit 1);
    // process() then handles --help, --help-all and --version as Qt does.
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "loadline: %s\nTry 'loadline --help'.\n", qPrintable(parser.errorText()));
        std::exit(2);
    }
    parser.process(arguments);
    GuiOptions o;
    o.files = parser.positionalArguments();
    o.startLive = parser.isSet(QStringLiteral("live"));
    o.trackPatterns = parser.values(QStringLiteral("track"));
    o.trackCmdlinePatterns = parser.values(QStringLiteral("track-cmdline"));
    o.baseline = parser.value(QStringLiteral("baseline"));
    o.alignAt = parser.value(QStringLiteral("align-at"));
    if (parser.isSet(QStringLiteral("align-at")) && o.baseline.isEmpty()) {
        qCritical("loadline: --align-at needs --baseline");
        std::exit(2);
    }
    if (parser.isSet(QStringLiteral("theme"))) {
        const QString name = parser.value(QStringLiteral("theme"));
        if (name != QLatin1String("system") && name != QLatin1String("light") && name != QLatin1String("dark")) {
            qCritical("loadline: --theme must be system, light or dark, not '%s'", qPrintable(name));
            std::exit(2);
        }
        o.themeGiven = true;
        o.theme = themeFromString(name);
    }
    if (parser.isSet(QStringLiteral("interval"))) {
        bool ok = false;
        o.interval = parser.value(QStringLiteral("interval")).toDouble(&ok);
        if (!ok || o.interval < 0.05 || o.interval > 3600) {
            qCritical("loadline: --interval must be a number of seconds from 0.05 to 3600");
            std::exit(2);
        }
    }
    return o;
}

}  // namespace loadline::app
