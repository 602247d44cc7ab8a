// loadline-cli report RUN.json [--baseline BASE.json] -o report.html: one self-contained HTML file
// (charts inline, the function table, findings, metadata) to attach to a CI job or a bug.
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include "cmdline.h"
#include "commands.h"
#include "offscreenqt.h"
#include "core/compare/compare.h"
#include "core/compare/htmlreport.h"
#include "core/correlate/correlate.h"
#include "core/format/recordingio.h"

#ifdef LOADLINE_WITH_GUI
#include <QApplication>
#include <QBuffer>
#include <QFileInfo>

#include "widgets/functionexport.h"
#include "widgets/timelineview.h"
#endif

namespace loadline::cli {

namespace {

std::optional<core::Recording> load(const std::string& file, const char* argv0) {
    auto loaded = core::loadRecordingFile(file);
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", argv0, !loaded.has_value() ? loaded.error().toString().c_str() : file.c_str());
        return std::nullopt;
    }
    for (const auto& w : loaded->warnings) std::fprintf(stderr, "warning: %s: %s\n", file.c_str(), w.c_str());
    return std::move(*loaded);
}

#ifdef LOADLINE_WITH_GUI
// The chart as export-png --functions --relative draws it, as PNG bytes; empty on failure.
std::string chartPng(const core::Recording& rec, const core::Correlation& c, const std::string& file, int width) {
    auto timeline = std::make_shared<core::Timeline>(rec.timeline);
    int pid = -1;
    std::size_t most = 0;
    for (const auto& [p, s] : timeline->processes)
        if (s.samples.size() > most) {
            most = s.samples.size();
            pid = p;
        }
    widgets::TimelineView view;
    view.setTimeline(timeline);
    view.setMetric(widgets::Metric::Cpu);
    view.setTimeAxisMode(widgets::TimeAxisMode::Relative);
    view.setHighlightedPid(pid);
    QString title = QFileInfo(QString::fromStdString(file)).fileName();
    if (timeline->metadata.platform)
        title += QStringLiteral(" — ") + QString::fromStdString(*timeline->metadata.platform);
    view.setTitle(title);
    const QSize size(width, width * 9 / 16);
    const QImage image =
        c.calls.empty() ? view.renderImage(size, 1.0) : widgets::renderChartWithFunctions(view, c, size, 1.0);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, "PNG")) return {};
    return std::string(png.constData(), static_cast<std::size_t>(png.size()));
}

#endif

std::string nowUtc() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

}  // namespace

int runReport(int argc, char** argv) {
    std::string file, baselineFile, out;
    long long width = 1100;
    core::CompareOptions options;
    CmdLine args(argv[0],
                 "Writes one self-contained HTML file: the run's chart (PNG inline), its function table, "
                 "its metadata and, with --baseline, the comparison with the baseline (the findings of "
                 "'loadline-cli compare BASE RUN', both runs' charts, the system load of each). No scripts, "
                 "no external resources: attach it to a CI job or a bug.",
                 "Exit status: 0 written, 1 could not render or write, 2 bad arguments or bad input.");
    args.positional(file, "RUN.json", "the run to report on (py-perf JSON or .llrec)")
        .needed()
        .text({"-o", "--output"}, out, "REPORT.html", "an HTML file name",
              "where to write the report (written atomically; '-': standard output)")
        .needed()
        .text({"--baseline"}, baselineFile, "BASE.json", "a recording file",
              "the run to compare with (as 'compare BASE RUN')")
        .option(
            {"--min-change"}, "PCT", "a percentage >= 0, e.g. 5%",
            [&](const std::string& v) { return parsePercent(v, options.minChangePercent); },
            "smallest change of the mean that counts (default 5)")
        .count({"--width"}, width, 320, 8192, "W", "320 to 8192 pixels", "chart width in pixels (default 1100)");
    if (auto status = args.parse(argc, argv)) return *status;
    if (file.empty()) return args.fail("no RUN file");
    if (out.empty()) return args.fail("missing -o REPORT.html");

    auto run = load(file, argv[0]);
    if (!run) return 2;
    std::optional<core::Recording> base;
    if (!baselineFile.empty()) {
        base = load(baselineFile, argv[0]);
        if (!base) return 2;
    }
#ifndef LOADLINE_WITH_GUI
    std::fprintf(stderr, "%s: this loadline-cli was built without Qt (LOADLINE_BUILD_GUI=OFF): no charts\n", argv[0]);
#endif

    core::ReportInput in;
    in.generatedAt = nowUtc();
    in.generator = std::string("loadline-cli ") + LOADLINE_VERSION;
    std::optional<core::RunComparison> comparison;
    core::Correlation runCorrelation;
    core::ReportRun baseRun;
    if (base) {
        comparison = core::compareRuns(*base, *run, options);
        in.comparison = &*comparison;
        baseRun = {baselineFile, &*base, &comparison->correlations[0]};
        in.baseline = &baseRun;
        in.run = {file, &*run, &comparison->correlations[1]};
    } else {
        runCorrelation = core::correlate(*run);
        in.run = {file, &*run, &runCorrelation};
    }

#ifdef LOADLINE_WITH_GUI
    prepareOffscreenQt();
    int qargc = 1;
    char* qargv[] = {argv[0], nullptr};
    QApplication app(qargc, qargv);
    const int w = static_cast<int>(width);
    std::string png = chartPng(*run, *in.run.correlation, file, w);
    if (png.empty()) {
        std::fprintf(stderr, "%s: could not render the chart of %s\n", argv[0], file.c_str());
        return 1;
    }
    in.charts.push_back({"System CPU (light-blue area), the busiest tracked process (line) and the function calls of " +
                             file + ", seconds since its start",
                         std::move(png), w});
    if (base) {
        std::string basePng = chartPng(*base, *in.baseline->correlation, baselineFile, w);
        if (basePng.empty()) {
            std::fprintf(stderr, "%s: could not render the chart of %s\n", argv[0], baselineFile.c_str());
            return 1;
        }
        in.charts.push_back({"The baseline " + baselineFile + ", seconds since its start", std::move(basePng), w});
    }
#endif

    const std::string html = core::htmlReport(in);
    std::string error;
    if (!core::succeeded(core::writeOutput(out, html), &error)) {
        std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
        return 1;
    }
    // With '-o -' the report is standard output: the summary goes to stderr.
    std::fprintf(out == "-" ? stderr : stdout, "%s: %zu bytes, %zu chart(s)\n", out.c_str(), html.size(),
                 in.charts.size());
    return 0;
}

}  // namespace loadline::cli
