// A long .llrec recording in the window: generate a store of N ticks (system + P processes,
// written through StoreWriter as the recorder writes it), then measure what the window does
// when it opens one: load + first draw of a TimelineView at 1600x900 (offscreen), the CPU of
// each zoom/pan frame, and the viewer's resident memory.
//
//   loadline_store_open_bench generate FILE TICKS [PROCESSES=10] [INTERVAL=0.06]
//   QT_QPA_PLATFORM=offscreen loadline_store_open_bench open FILE [FRAMES=40]
//   QT_QPA_PLATFORM=offscreen loadline_store_open_bench open-all FILE [FRAMES=40]
//
// `open` is the window's path (app/gui/levelloader.h): a store of more than 200,000 ticks is
// drawn from its consolidated levels, finer levels or ticks read on a worker only for a narrow
// range. `open-all` reads every tick into memory (core::loadRecordingFile, the path of small
// stores and of the window before levels), whose figures grow with the recording.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include <QApplication>
#include <QEventLoop>
#include <QImage>
#include <QPixmap>
#include <QTimer>

#include "app/gui/levelloader.h"
#include "core/store/llreclevels.h"
#include "widgets/chartdata.h"

#include "core/format/recordingio.h"
#include "core/store/llrec.h"
#include "widgets/timelineview.h"

using namespace loadline;

namespace {

double processCpu() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
double threadCpu() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
double wall() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
// VmRSS / VmHWM of /proc/self/status, in MB.
double statusMb(const char* key) {
    std::ifstream f("/proc/self/status");
    std::string k;
    double kb = 0;
    std::string line;
    while (std::getline(f, line))
        if (line.rfind(key, 0) == 0) return std::atof(line.c_str() + std::string(key).size()) / 1024.0;
    return kb;
}

int generate(const std::string& path, std::uint64_t ticks, int procs, double interval) {
    core::store::StoreWriter w;
    std::string error;
    if (!succeeded(w.create(path, {interval, true}), &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    core::Timeline ring(4096);
    ring.metadata.platform = "Linux";
    ring.metadata.sampleInterval = interval;
    std::mt19937_64 rng(1);
    std::normal_distribution<double> step(0, 1);
    std::vector<double> sys(28, 50.0), proc(static_cast<std::size_t>(procs) * 14, 100.0);
    const double t0 = 1.7e9, c0 = processCpu(), w0 = wall();
    double selfCpu = 0;
    for (std::uint64_t i = 0; i < ticks; ++i) {
        const double t = t0 + double(i) * interval;
        ring.system.appendRow(t);
        ring.system.setLast(ring.system.ensureColumn("cpu_percent"), sys[0]);
        ring.system.setLast(ring.system.ensureColumn("memory_percent"), sys[1]);
        for (int c = 0; c < 28; ++c) {
            sys[c] = std::round(std::clamp(sys[c] + step(rng), 0.0, 100.0) * 10) / 10;
            if (c >= 2) ring.system.setLast(ring.system.ensureColumn("sys_" + std::to_string(c)), sys[c]);
        }
        for (int p = 0; p < procs; ++p) {
            core::SeriesTable& s = ring.process(20000 + p).samples;
            s.appendRow(t);
            s.setLast(s.ensureColumn("pid"), 20000 + p);
            s.setLastText(s.ensureColumn("name", true), "python3");
            s.setLastText(s.ensureColumn("status", true), i % 11 ? "sleeping" : "running");
            double& cpu = proc[static_cast<std::size_t>(p) * 14];
            cpu = std::round(std::clamp(cpu / 4 + step(rng), 0.0, 100.0) * 4 * 100) / 100 / 4;
            s.setLast(s.ensureColumn("cpu_percent"), cpu);
            for (int c = 1; c < 13; ++c) {
                double& v = proc[static_cast<std::size_t>(p) * 14 + c];
                v = std::round(std::max(0.0, v + step(rng)) * 100) / 100;
                s.setLast(s.ensureColumn("p_" + std::to_string(c)), v);
            }
        }
        selfCpu += 0.0003;
        w.noteFootprint({t, selfCpu, 0.001, 0});
        if (i % 1024 == 1023 || i + 1 == ticks) {
            w.stage(ring);
            if (!succeeded(w.commit(), &error)) {
                std::fprintf(stderr, "%s\n", error.c_str());
                return 1;
            }
        }
        if (i % 1000000 == 999999) {
            std::fprintf(stderr, "%llu ticks, %.0f s\n", static_cast<unsigned long long>(i + 1), wall() - w0);
        }
    }
    if (!succeeded(w.finish(), &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    std::ifstream f(path, std::ios::ate | std::ios::binary);
    std::printf("generated %s: %llu ticks, %d processes, %lld bytes (%.0f bytes/tick), %.1f s wall, %.1f s CPU\n",
                path.c_str(), static_cast<unsigned long long>(ticks), procs, static_cast<long long>(f.tellg()),
                double(f.tellg()) / double(ticks), wall() - w0, processCpu() - c0);
    return 0;
}

// Runs the event loop until the level loader has nothing in flight (its worker's reads).
void settle(app::LevelLoader& levels) {
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (!levels.isBusy()) loop.quit();
    });
    tick.start(1);
    loop.exec();
}

// The window's path for a store: LevelLoader::load (a long store: its newest ticks only), then
// the levels on a worker thread (LevelLoader::attach); every zoom/pan frame is drawn at once
// from what is there (GUI-thread CPU), then again when the finer read for it arrives.
int openLevels(int argc, char** argv, const std::string& path, int frames) {
    QApplication application(argc, argv);
    const double rss0 = statusMb("VmRSS:");
    const double w0 = wall(), c0 = processCpu(), g0 = threadCpu();
    core::LoadResult r = app::LevelLoader::load(path, {});
    if (!r) {
        std::fprintf(stderr, "%s\n", r.error().toString().c_str());
        return 1;
    }
    auto rec = std::make_shared<core::Recording>(std::move(*r));
    const std::uint64_t readAtLoad = core::store::ticksReadCount();
    widgets::TimelineView view;
    view.resize(1600, 900);
    view.setTimeline(std::shared_ptr<const core::Timeline>(rec, &rec->timeline));
    view.show();
    app::LevelLoader levels;
    levels.attach(&view, QString::fromStdString(path), rec);
    settle(levels);
    QPixmap first = view.grab();  // the first frame of the whole recording, drawn as on screen
    const double wFirst = wall() - w0, cFirst = processCpu() - c0, gFirst = threadCpu() - g0;
    if (const char* png = std::getenv("LOADLINE_BENCH_PNG")) first.save(QString::fromUtf8(png));
    const core::store::StoreOutline outline = core::store::readStoreOutline(path).value_or(core::store::StoreOutline{});
    const auto* data = levels.isActive() ? view.levels().get() : nullptr;
    std::printf("%s: %lld ticks, %zu processes; opened from %s (%llu ticks read)\n", path.c_str(),
                static_cast<long long>(outline.ticks), rec->timeline.processes.size(),
                data ? ("level " + std::to_string(data->level) + " blocks").c_str() : "every tick",
                static_cast<unsigned long long>(readAtLoad));
    std::printf("first frame: %.3f s wall, %.3f s CPU (all threads; GUI thread %.3f s)\n", wFirst, cFirst, gFirst);
    std::printf("RSS after first frame: %.0f MB (%.0f MB before opening), peak %.0f MB\n", statusMb("VmRSS:"), rss0,
                statusMb("VmHWM:"));
    const auto [a, b] = view.viewRange();
    std::vector<double> cpu, refined, waits;
    double t0 = a, t1 = b;
    for (int f = 0; f < frames; ++f) {
        if (f < frames / 2) {
            const double mid = (t0 + t1) / 2, half = (t1 - t0) / 2 * 0.7;
            t0 = mid - half;
            t1 = mid + half;
        } else {
            const double shift = (t1 - t0) * 0.1;
            t0 += shift;
            t1 += shift;
        }
        double c = threadCpu();
        view.zoomToRange(t0, t1);
        QPixmap frame = view.grab();
        cpu.push_back(threadCpu() - c);
        if (levels.isBusy()) {  // a finer read started: its frame when it arrives
            const double w = wall();
            settle(levels);
            waits.push_back(wall() - w);
            c = threadCpu();
            QPixmap again = view.grab();
            refined.push_back(threadCpu() - c);
        }
    }
    auto med = [](std::vector<double> v) {
        if (v.empty()) return 0.0;
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    auto max = [](const std::vector<double>& v) { return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()); };
    std::printf("zoom/pan frames (%d, spans %.3g s .. %.3g s): GUI CPU median %.1f ms, max %.1f ms\n", frames, b - a,
                t1 - t0, med(cpu) * 1e3, max(cpu) * 1e3);
    std::printf(
        "finer reads (%zu, on a worker): wall median %.0f ms, max %.0f ms; redraw when one arrives: GUI CPU "
        "median %.1f ms, max %.1f ms\n",
        waits.size(), med(waits) * 1e3, max(waits) * 1e3, med(refined) * 1e3, max(refined) * 1e3);
    // Back to the whole range: the base level again (a data swap on the GUI thread, no read: the
    // loader swaps while handling the range change), then a frame, measured as the zoom/pan
    // frames are (the view's own repaint, posted meanwhile, is handled after: settling before
    // the grab would count two frames).
    const double c = threadCpu();
    view.resetZoom();
    const bool swapRead = levels.isBusy();  // the base level is kept: nothing to read
    const double swap = threadCpu() - c;
    QPixmap whole = view.grab();
    std::printf("whole range again: %.1f ms GUI CPU (swap to the base level %.1f ms%s, frame %.1f ms)\n",
                (threadCpu() - c) * 1e3, swap * 1e3, swapRead ? ", and a read" : "", (threadCpu() - c - swap) * 1e3);
    settle(levels);
    std::printf("RSS at the end: %.0f MB, peak %.0f MB; ticks read in all: %llu of %lld\n", statusMb("VmRSS:"),
                statusMb("VmHWM:"), static_cast<unsigned long long>(core::store::ticksReadCount()),
                static_cast<long long>(outline.ticks));
    return 0;
}

int open(int argc, char** argv, const std::string& path, int frames) {
    QApplication app(argc, argv);
    const double rss0 = statusMb("VmRSS:");
    const double w0 = wall(), c0 = processCpu();
    core::LoadResult r = core::loadRecordingFile(path);
    if (!r) {
        std::fprintf(stderr, "%s\n", !r.has_value() ? r.error().toString().c_str() : "load failed");
        return 1;
    }
    const double wLoad = wall() - w0, cLoad = processCpu() - c0;
    auto rec = std::make_shared<core::Recording>(std::move(*r));
    widgets::TimelineView view;
    view.resize(1600, 900);
    view.setTimeline(std::shared_ptr<const core::Timeline>(rec, &rec->timeline));
    view.show();
    QPixmap first = view.grab();  // the first frame, drawn as on screen
    const double wFirst = wall() - w0, cFirst = processCpu() - c0;
    const std::size_t n = rec->timeline.system.size();
    std::printf("%s: %zu ticks, %zu processes\n", path.c_str(), n, rec->timeline.processes.size());
    std::printf("first frame: %.3f s wall, %.3f s CPU (load alone %.3f s wall, %.3f s CPU)\n", wFirst, cFirst, wLoad,
                cLoad);
    std::printf("RSS after first frame: %.0f MB (%.0f MB before opening), peak %.0f MB\n", statusMb("VmRSS:"), rss0,
                statusMb("VmHWM:"));

    // Zoom in step by step towards the middle, then pan: each frame is a new range + a repaint.
    const double a = rec->timeline.system.timestamp(0), b = rec->timeline.system.timestamp(n - 1);
    std::vector<double> cpu;
    double t0 = a, t1 = b;
    for (int f = 0; f < frames; ++f) {
        if (f < frames / 2) {
            const double mid = (t0 + t1) / 2, half = (t1 - t0) / 2 * 0.7;
            t0 = mid - half;
            t1 = mid + half;
        } else {
            const double shift = (t1 - t0) * 0.1;
            t0 += shift;
            t1 += shift;
        }
        const double c = threadCpu();
        view.zoomToRange(t0, t1);
        QPixmap frame = view.grab();
        cpu.push_back(threadCpu() - c);
    }
    std::sort(cpu.begin(), cpu.end());
    std::printf("zoom/pan frames (%d, spans %.3g s .. %.3g s): CPU median %.1f ms, max %.1f ms\n", frames, b - a,
                t1 - t0, cpu[cpu.size() / 2] * 1e3, cpu.back() * 1e3);
    // The whole range again (the widest frame).
    const double c = threadCpu();
    view.resetZoom();
    QPixmap whole = view.grab();
    std::printf("whole range frame: %.1f ms CPU\n", (threadCpu() - c) * 1e3);
    std::printf("RSS at the end: %.0f MB, peak %.0f MB\n", statusMb("VmRSS:"), statusMb("VmHWM:"));

    // Following (a recording in progress): what one poll costs when nothing is new, after the
    // first (a seek back from the newest tick to the last shown time) and then by seq.
    core::store::StoreCursor cursor;
    double pc = threadCpu();
    core::LoadResult tail = core::store::loadStoreTicksAfter(path, cursor, b);
    const double firstPoll = threadCpu() - pc;
    pc = threadCpu();
    const int polls = 20;
    for (int i = 0; i < polls; ++i) tail = core::store::loadStoreTicksAfter(path, cursor);
    std::printf("follow poll with nothing new: first %.2f ms CPU, then %.2f ms CPU each (%zu ticks read)\n",
                firstPoll * 1e3, (threadCpu() - pc) / polls * 1e3, tail ? tail->timeline.system.size() : 0);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "generate" && argc >= 4)
        return generate(argv[2], std::strtoull(argv[3], nullptr, 10), argc > 4 ? std::atoi(argv[4]) : 10,
                        argc > 5 ? std::atof(argv[5]) : 0.06);
    if (mode == "open" && argc >= 3) return openLevels(argc, argv, argv[2], argc > 3 ? std::atoi(argv[3]) : 40);
    if (mode == "open-all" && argc >= 3) return open(argc, argv, argv[2], argc > 3 ? std::atoi(argv[3]) : 40);
    std::fprintf(stderr, "usage: %s generate FILE TICKS [PROCESSES] [INTERVAL] | open|open-all FILE [FRAMES]\n",
                 argv[0]);
    return 2;
}
