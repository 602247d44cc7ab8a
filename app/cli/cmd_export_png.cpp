// loadline-cli export-png FILE -o OUT.png: the desktop chart rendered headless (raster engine,
// offscreen platform chosen here when QT_QPA_PLATFORM is unset, so no display is needed).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <tuple>

#include "cmdline.h"
#include "commands.h"
#include "offscreenqt.h"
#include "core/format/recordingio.h"
#include "core/sampler/contentioncolumns.h"
#include "core/store/llrec.h"
#include "core/store/llreclevels.h"
#include "core/store/llrecsummary.h"

#ifdef LOADLINE_WITH_GUI
#include <QApplication>
#include <QBuffer>
#include <QFileInfo>

#include "core/compare/compare.h"
#include "core/correlate/correlate.h"
#include "widgets/functionexport.h"
#include "widgets/storelevels.h"
#include "widgets/timelineview.h"
#endif

namespace loadline::cli {

namespace {

struct Options {
    std::string file, out;
    bool memory = false;
    bool pressure = false;     // CPU pressure stall share and run-queue wait
    bool memoryBytes = false;  // --memory-unit bytes
    std::optional<int> pid;    // -1 = no process line
    int width = 1600, height = 900;
    double scale = 1.0;
    bool relative = false, perCore = false;
    bool noOthers = false;   // only the crimson process, as the window with Others off
    bool functions = false;  // draw the function-calls lane under the chart
    int cpus = 0;
    std::optional<std::string> from, to, title;
    std::string baseline, alignAt;  // compare mode: a baseline drawn dashed over the run
};

/**
 * A --from/--to value as epoch seconds: seconds since `start`, or HH:MM[:SS[.f]] local time on
 * the recording's first day (the next day if that is before the start). nullopt: malformed.
 */
std::optional<double> parseTimeArg(const std::string& s, double start) {
    double secs = 0;
    if (s.find(':') == std::string::npos) {
        if (!parseNumber(s, secs)) return std::nullopt;
        return start + secs;
    }
    int h = 0, m = 0;
    double sec = 0;
    int consumed = 0;
    const int fields = std::sscanf(s.c_str(), "%d:%d%n:%lf%n", &h, &m, &consumed, &sec, &consumed);
    if (fields < 2 || consumed != static_cast<int>(s.size()) || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 ||
        sec >= 61)
        return std::nullopt;
    const std::time_t startSec = static_cast<std::time_t>(std::floor(start));
    std::tm day{};
    localtime_r(&startSec, &day);
    day.tm_hour = h;
    day.tm_min = m;
    day.tm_sec = 0;
    day.tm_isdst = -1;
    double t = static_cast<double>(std::mktime(&day)) + sec;
    if (t < start - 1) t += 86400;  // past midnight
    return t;
}

// nullopt when parsed, else the exit status (after printing why, or the help).
std::optional<int> parseArgs(int argc, char** argv, Options& o) {
    CmdLine args(argv[0],
                 "Render a recording's timeline chart in py-perf's style (system load as a light-blue area, the "
                 "process as a crimson line) to a PNG. Needs no display.",
                 "Exit status: 0 written, 1 could not render or write, 2 bad arguments or bad FILE.");
    auto whole = [](const std::string& v, long long min, long long max, int& target) {
        long long n = 0;
        if (!parseWhole(v, n) || n < min || n > max) return false;
        target = static_cast<int>(n);
        return true;
    };
    auto optionalText = [](std::optional<std::string>& target) {
        return [&target](const std::string& v) {
            target = v;
            return true;
        };
    };
    args.positional(o.file, "FILE", "the recording (py-perf JSON or .llrec)")
        .needed()
        .text({"-o", "--output"}, o.out, "OUT.png", "an image file name",
              "where to write the image (written atomically; '-': standard output)")
        .needed()
        .option(
            {"--metric"}, "cpu|memory|pressure", "cpu, memory or pressure",
            [&](const std::string& v) {
                o.memory = v == "memory";
                o.pressure = v == "pressure";
                return v == "memory" || v == "cpu" || v == "pressure";
            },
            "what to chart (default cpu)")
        .option(
            {"--memory-unit"}, "percent|bytes", "percent or bytes",
            [&](const std::string& v) {
                o.memoryBytes = v == "bytes";
                return v == "bytes" || v == "percent";
            },
            "memory as % of total (default) or in MiB/GiB (RSS lines, the system's used memory as the area)")
        .option(
            {"--pid"}, "PID", "a PID or 'none'",
            [&](const std::string& v) {
                int pid = -1;
                if (v != "none" && !whole(v, 0, 1 << 30, pid)) return false;
                o.pid = pid;
                return true;
            },
            "the process drawn as the crimson line (default: the tracked process with the most samples; "
            "'none' for no line)")
        .flag({"--no-others"}, o.noOthers,
              "leave out the other processes' thin lines (drawn by default, as the window does with View > Show "
              "Other Processes)")
        .option(
            {"--width"}, "W", "64 to 16384 pixels", [&](const std::string& v) { return whole(v, 64, 16384, o.width); },
            "logical width in pixels (default 1600)")
        .option(
            {"--height"}, "H", "64 to 16384 pixels",
            [&](const std::string& v) { return whole(v, 64, 16384, o.height); },
            "logical height in pixels (default 900)")
        .number({"--scale"}, o.scale, 0.25, 8, "S", "0.25 to 8",
                "device pixels per logical pixel, e.g. 2 for HiDPI (default 1)")
        .flag({"--relative"}, o.relative, "time axis in seconds since the start instead of HH:MM:SS")
        .option({"--from"}, "T", "seconds since the start or HH:MM[:SS]", optionalText(o.from),
                "the start of the time range: seconds since the start (e.g. 90.5) or a local clock time "
                "HH:MM[:SS] (default: the whole recording)")
        .option({"--to"}, "T", "seconds since the start or HH:MM[:SS]", optionalText(o.to),
                "the end of the time range (like --from)")
        .flag({"--per-core"}, o.perCore, "process CPU on psutil's scale (100 = one core; axis grows past 100)")
        .option(
            {"--cpus"}, "N", "a core count", [&](const std::string& v) { return whole(v, 1, 1 << 20, o.cpus); },
            "logical cores for the whole-machine scale (default: from the file)")
        .option({"--title"}, "TEXT", "a title", optionalText(o.title),
                "chart title (default: the file name and platform)")
        .flag({"--functions"}, o.functions, "draw a performance summary's calls as spans under the chart")
        .text({"--baseline"}, o.baseline, "BASE.json", "a recording file",
              "draw the baseline run dashed over this one (relative time axis)")
        .text({"--align-at"}, o.alignAt, "FUNCTION", "a function name",
              "align the runs at that function's first call (default: their starts)");
    if (auto status = args.parse(argc, argv)) return status;
    if (o.file.empty()) return args.fail("missing FILE");
    if (o.out.empty()) return args.fail("missing -o OUT.png");
    if (!o.alignAt.empty() && o.baseline.empty()) return args.fail("--align-at needs --baseline");
    if (static_cast<double>(o.width) * o.height * o.scale * o.scale > 400e6)
        return args.fail("the image would exceed 400 megapixels");
    return std::nullopt;
}

#ifdef LOADLINE_WITH_GUI
// --baseline / --align-at: 0, or the exit status after saying what is wrong.
int applyBaseline(widgets::TimelineView& view, const core::Recording& run, const Options& o, const char* argv0) {
    core::LoadResult base = core::loadRecordingFile(o.baseline);
    if (!base) {
        std::fprintf(stderr, "%s: %s\n", argv0,
                     !base.has_value() ? base.error().toString().c_str() : o.baseline.c_str());
        return 2;
    }
    for (const auto& w : base->warnings) std::fprintf(stderr, "%s: warning: %s\n", o.baseline.c_str(), w.c_str());
    std::optional<std::pair<double, double>> anchors;
    if (!o.alignAt.empty()) {
        const auto a = core::firstCallStart(run, o.alignAt), b = core::firstCallStart(*base, o.alignAt);
        if (!a || !b) {
            std::fprintf(stderr, "%s: --align-at: %s has no call of '%s'\n", argv0, (!a ? o.file : o.baseline).c_str(),
                         o.alignAt.c_str());
            return 2;
        }
        anchors = std::pair{*a, *b};
    }
    view.setBaseline(std::make_shared<core::Timeline>(std::move(base->timeline)), anchors);
    return 0;
}
#endif

}  // namespace

int runExportPng(int argc, char** argv) {
    Options o;
    if (auto status = parseArgs(argc, argv, o)) return *status;
#ifndef LOADLINE_WITH_GUI
    std::fprintf(stderr, "%s: this loadline-cli was built without Qt (LOADLINE_BUILD_GUI=OFF)\n", argv[0]);
    return 1;
#else
    // A store too long to read tick by tick (core::store::opensFromLevels) is drawn as the window
    // draws it: its header and newest ticks, the rest from the consolidated level that fits the
    // image's columns for the range (widgets/storelevels.h); --functions correlates the calls
    // with the ticks during them (read for the calls' span only).
    std::optional<core::store::StoreOutline> outline;
    if (core::store::looksLikeStore(o.file)) {
        auto found = core::store::readStoreOutline(o.file);
        if (found && core::store::opensFromLevels(*found)) outline = std::move(*found);
    }
    core::LoadResult loaded = outline ? core::store::loadStoreTail(o.file, *outline) : core::loadRecordingFile(o.file);
    if (!loaded) {
        if (!loaded.has_value()) std::fprintf(stderr, "%s\n", loaded.error().toString().c_str());
        else std::fprintf(stderr, "%s: cannot open\n", o.file.c_str());
        return 2;
    }
    for (const auto& w : loaded->warnings) std::fprintf(stderr, "%s: warning: %s\n", o.file.c_str(), w.c_str());
    auto timeline = std::make_shared<core::Timeline>(std::move(loaded->timeline));

    int pid = -1;
    if (o.pid) {
        pid = *o.pid;
        if (pid >= 0 && !timeline->processes.count(pid)) {
            std::string have;
            for (const auto& [p, s] : timeline->processes) have += (have.empty() ? "" : ", ") + std::to_string(p);
            std::fprintf(stderr, "%s: %s has no process %d (tracked: %s)\n", argv[0], o.file.c_str(), pid,
                         have.empty() ? "none" : have.c_str());
            return 2;
        }
    } else {
        std::size_t most = 0;
        for (const auto& [p, s] : timeline->processes)
            if (s.samples.size() > most) {
                most = s.samples.size();
                pid = p;
            }
    }

    if (o.pressure) {
        // An empty chart would read as "no contention": say the file has no such measurement.
        bool measured = timeline->system.columnIndex(core::col::kPressureCpuSomePercent) >= 0;
        for (const auto& [p, s] : timeline->processes)
            measured = measured || s.samples.columnIndex(core::col::kRunQueueWaitPercent) >= 0;
        if (!measured) {
            std::fprintf(stderr,
                         "%s: %s has no pressure or run-queue wait columns to chart (loadline-cli record writes "
                         "them where the kernel has /proc/pressure and schedstat; py-perf files have none)\n",
                         argv[0], o.file.c_str());
            return 2;
        }
    }

    const double start = outline ? outline->first : timeline->firstTime().value_or(0);
    std::optional<double> from, to;
    for (auto [arg, out, name] : {std::tuple{&o.from, &from, "--from"}, std::tuple{&o.to, &to, "--to"}}) {
        if (!*arg) continue;
        *out = parseTimeArg(**arg, start);
        if (!*out) {
            std::fprintf(stderr, "%s: %s %s: expected seconds since the start or HH:MM[:SS]\n", argv[0], name,
                         (*arg)->c_str());
            return 2;
        }
    }

    prepareOffscreenQt();  // no display needed
    int qargc = 1;
    char* qargv[] = {argv[0], nullptr};
    QApplication app(qargc, qargv);

    widgets::TimelineView view;
    view.setTimeline(timeline);
    view.setMetric(o.memory ? widgets::Metric::Memory : o.pressure ? widgets::Metric::Pressure : widgets::Metric::Cpu);
    view.setMemoryInBytes(o.memoryBytes);
    view.setTimeAxisMode(o.relative || !o.baseline.empty() ? widgets::TimeAxisMode::Relative
                                                           : widgets::TimeAxisMode::Clock);
    view.setPerCoreScale(o.perCore);
    if (o.cpus > 0) view.setCpuCount(o.cpus);
    view.setHighlightedPid(pid);
    if (!o.noOthers) {
        // The same set of processes as the window shows by default: every other one as a thin line.
        QList<int> others;
        for (const auto& entry : timeline->processes)
            if (entry.first != pid) others << entry.first;
        view.setExtraPids(others);
    }
    if (!o.baseline.empty()) {
        if (const int status = applyBaseline(view, *loaded, o, argv[0])) return status;
    }
    QString title = o.title ? QString::fromStdString(*o.title) : QFileInfo(QString::fromStdString(o.file)).fileName();
    if (!o.title && timeline->metadata.platform)
        title += QStringLiteral(" — ") + QString::fromStdString(*timeline->metadata.platform);
    view.setTitle(title);
    // The whole recording.
    const auto [lo, hi] = outline ? std::pair{outline->first, outline->last} : view.viewRange();
    if (from || to) {
        const double a = from.value_or(lo), b = to.value_or(hi);
        const auto rel = [start](double t) { return t - start; };
        if (!(b > a)) {
            if (from && to) std::fprintf(stderr, "%s: --to must be after --from\n", argv[0]);
            else if (from)
                std::fprintf(stderr, "%s: --from %g s is not before the recording's end (%g s)\n", argv[0], rel(a),
                             rel(hi));
            else std::fprintf(stderr, "%s: --to %g s is not after the recording's start (0 s)\n", argv[0], rel(b));
            return 2;
        }
        // The view would shift a range that sticks out back inside the data, drawing a span
        // nobody asked for: clip it instead, and refuse one that misses the data.
        if (a >= hi || b <= lo) {
            std::fprintf(stderr, "%s: the range %g s to %g s lies outside the recording (0 s to %g s)\n", argv[0],
                         rel(a), rel(b), rel(hi));
            return 2;
        }
    }
    const bool ranged = from || to;
    const double a = ranged ? std::max(from.value_or(lo), lo) : lo, b = ranged ? std::min(to.value_or(hi), hi) : hi;
    if (outline) {
        // The plot's width in device columns at this image size picks the level.
        core::TimeMapping plot;
        (void)view.renderImage(QSize(o.width, o.height), o.scale, &plot);
        const int columns = std::max(1, static_cast<int>(std::lround(plot.width * o.scale)));
        auto frame = widgets::readStoreFrame(o.file, *outline, widgets::levelColumns(view.settings()),
                                             ranged ? a : core::kMissing, ranged ? b : core::kMissing, columns);
        if (!frame) {
            std::fprintf(stderr, "%s\n", frame.error().toString().c_str());
            return 2;
        }
        view.setLevels(frame->levels, frame->ticks
                                          ? std::shared_ptr<const core::Timeline>(frame->ticks, &frame->ticks->timeline)
                                          : std::shared_ptr<const core::Timeline>(timeline));
    }
    if (ranged) view.zoomToRange(a, b);

    if (o.functions && loaded->functionTimings.empty())
        std::fprintf(stderr, "%s: warning: %s has no function timings: no calls lane\n", argv[0], o.file.c_str());
    // The ticks the calls are correlated with: all of them, or for a long store those of the
    // calls' span (and a few intervals around it).
    std::shared_ptr<const core::Timeline> callTicks = timeline;
    if (o.functions && outline && !loaded->functionTimings.empty()) {
        core::LoadResult ticks = core::store::loadCallTicks(o.file, *outline, loaded->functionTimings);
        if (!ticks) {
            std::fprintf(stderr, "%s\n", ticks.error().toString().c_str());
            return 2;
        }
        callTicks = std::make_shared<const core::Timeline>(std::move(ticks->timeline));
    }
    const QImage image =
        o.functions && !loaded->functionTimings.empty()
            ? widgets::renderChartWithFunctions(view, core::correlate(loaded->functionTimings, *callTicks),
                                                QSize(o.width, o.height), o.scale)
            : view.renderImage(QSize(o.width, o.height), o.scale);
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, "PNG")) {
        std::fprintf(stderr, "%s: could not render the image\n", argv[0]);
        return 1;
    }
    std::string error;
    if (!core::succeeded(
            core::writeOutput(o.out, std::string_view(png.constData(), static_cast<std::size_t>(png.size()))),
            &error)) {
        std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
        return 1;
    }
    // With '-o -' the image is standard output: the summary goes to stderr.
    std::fprintf(o.out == "-" ? stderr : stdout, "%s: %d x %d px\n", o.out.c_str(), image.width(), image.height());
    return 0;
#endif
}

}  // namespace loadline::cli
