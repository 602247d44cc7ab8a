// Frame times of the timeline chart at 1600x900, offscreen, raster engine: loadline's
// TimelineView (decimated to the pixels, custom-painted plot items) against Qt Charts handed
// every point (the naive way), in the same run. A "frame" is QWidget::render() of the whole
// widget into a 1600x900 image after the change (zoom, pan, open).
//
// Run: bench/widgets/run_chart_bench.sh (or build/bin/timelineview_bench directly).
// The naive chart grows linearly in the points and on this worst-case noisy data takes about a
// second a frame at 1,000 points, so it is measured at 1k and 10k (100k on request:
// --benchmark_filter=NaiveSlow) and the README extrapolates to 1,000,000.
#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QImage>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>
#include <benchmark/benchmark.h>
#include <random>

#include "synthetic.h"
#include "widgets/timelineview.h"

using namespace loadline;

namespace {

constexpr QSize kSize(1600, 900);
constexpr std::size_t kMillion = 1'000'000;

const std::shared_ptr<core::Timeline>& million() {
    static auto tl = bench::syntheticTimeline(kMillion);
    return tl;
}

void frame(QWidget& w, QImage& img) {
    QPainter p(&img);
    w.render(&p);
}

struct ShownView {
    widgets::TimelineView view;
    QImage img{kSize, QImage::Format_ARGB32_Premultiplied};
    explicit ShownView(std::shared_ptr<core::Timeline> tl) {
        view.resize(kSize);
        view.show();
        QApplication::processEvents();
        if (tl) {
            view.setTimeline(std::move(tl));
            view.setHighlightedPid(4242);
        }
    }
};

// setTimeline (derive the drawable series from the Timeline) + the first frame of the whole
// recording. The recording is already in memory (loading the JSON is the format's bench).
void BM_Decimated_OpenToFirstFrame(benchmark::State& state) {
    const auto tl = million();
    ShownView s(nullptr);
    for (auto _ : state) {
        s.view.setTimeline(tl);
        s.view.setHighlightedPid(4242);
        frame(s.view, s.img);
        state.PauseTiming();
        s.view.setTimeline(nullptr);
        state.ResumeTiming();
    }
    state.counters["samples"] = double(tl->system.size());
}

// Baseline: the same widget with no data (background, axes, legend, title only).
void BM_Frame_NoData(benchmark::State& state) {
    ShownView s(nullptr);
    int i = 0;
    for (auto _ : state) {
        s.view.zoomToRange(0, (i++ % 2) ? 10 : 11);
        frame(s.view, s.img);
    }
}

// Zoomed in to `range(0)` samples of the 1,000,000 (sparse: drawn as real polylines).
void BM_Decimated_ZoomedFrame(benchmark::State& state) {
    ShownView s(million());
    const auto [lo, hi] = s.view.viewRange();
    const double span = 0.5 * double(state.range(0));
    int i = 0;
    for (auto _ : state) {
        const double t0 = lo + (hi - lo) / 3 + (i++ % 2);
        s.view.zoomToRange(t0, t0 + span);
        frame(s.view, s.img);
    }
}

// Zoom in and out about varying points: every frame re-decimates from the full data.
void BM_Decimated_ZoomFrame(benchmark::State& state) {
    ShownView s(million());
    const auto [lo, hi] = s.view.viewRange();
    std::mt19937 rng(1);
    std::uniform_real_distribution<double> where(0, 1);
    int i = 0;
    for (auto _ : state) {
        // Spans cycle from the whole recording down to ~1/1000 of it.
        const double span = (hi - lo) * std::pow(0.5, (i++ % 11));
        const double c = lo + span / 2 + where(rng) * (hi - lo - span);
        s.view.zoomToRange(c - span / 2, c + span / 2);
        frame(s.view, s.img);
    }
}

// The worst case: the whole 1,000,000-sample recording in view, redrawn every frame.
void BM_Decimated_WholeRecordingFrame(benchmark::State& state) {
    ShownView s(million());
    const auto [lo, hi] = s.view.viewRange();
    int i = 0;
    for (auto _ : state) {
        // Alternate two ranges that each hold (nearly) every sample, so nothing is cached.
        const double d = (i++ % 2) ? 0.0 : 1.0;
        s.view.zoomToRange(lo + d, hi);
        frame(s.view, s.img);
    }
}

// Pan over a window holding 100,000 samples (10 % of the recording).
void BM_Decimated_PanFrame(benchmark::State& state) {
    ShownView s(million());
    const auto [lo, hi] = s.view.viewRange();
    const double span = (hi - lo) / 10;
    double t0 = lo;
    double step = span / 20;
    for (auto _ : state) {
        if (t0 + step < lo || t0 + span + step > hi) step = -step;
        t0 += step;
        s.view.zoomToRange(t0, t0 + span);
        frame(s.view, s.img);
    }
}

// --- naive: Qt Charts given every point -----------------------------------------------------

struct NaiveChart {
    QChartView view;
    QChart* chart = new QChart;
    QValueAxis* x = new QValueAxis;
    QImage img{kSize, QImage::Format_ARGB32_Premultiplied};
    explicit NaiveChart(std::size_t n) {
        const auto& tl = million();
        const int cpu = tl->system.columnIndex(core::col::kCpuPercent);
        const auto& proc = tl->processes.at(4242).samples;
        const int pcpu = proc.columnIndex(core::col::kCpuPercent);
        QList<QPointF> sys, pr;
        sys.reserve(qsizetype(n));
        pr.reserve(qsizetype(n));
        const double t0 = tl->system.timestamp(0);
        for (std::size_t i = 0; i < n; ++i) {
            sys.append({tl->system.timestamp(i) - t0, tl->system.value(cpu, i)});
            pr.append({proc.timestamp(i) - t0, proc.value(pcpu, i) / 8});
        }
        auto* upper = new QLineSeries;
        upper->replace(sys);
        auto* area = new QAreaSeries(upper);
        area->setBrush(QColor(0xAD, 0xD8, 0xE6));
        auto* line = new QLineSeries;
        line->replace(pr);
        line->setPen(QPen(QColor(0xDC, 0x14, 0x3C), 2));
        chart->addSeries(area);
        chart->addSeries(line);
        auto* y = new QValueAxis;
        y->setRange(0, 100);
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        for (auto* s : chart->series()) {
            s->attachAxis(x);
            s->attachAxis(y);
        }
        x->setRange(0, sys.back().x());
        view.setChart(chart);
        view.setRenderHint(QPainter::Antialiasing);
        view.resize(kSize);
        view.show();
        QApplication::processEvents();
    }
};

void BM_Naive_OpenToFirstFrame(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    million();
    for (auto _ : state) {
        NaiveChart c(n);
        frame(c.view, c.img);
    }
    state.counters["samples"] = double(n);
}

void BM_Naive_ZoomFrame(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    NaiveChart c(n);
    const double hi = c.x->max();
    int i = 0;
    for (auto _ : state) {
        // Alternate the whole range and its first 99 %: every point is drawn each frame.
        c.x->setRange(0, (i++ % 2) ? hi : hi * 0.99);
        frame(c.view, c.img);
    }
    state.counters["samples"] = double(n);
}

}  // namespace

BENCHMARK(BM_Decimated_OpenToFirstFrame)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_Frame_NoData)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decimated_ZoomedFrame)->Arg(100)->Arg(1000)->Arg(3000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decimated_ZoomFrame)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decimated_WholeRecordingFrame)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decimated_PanFrame)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Naive_OpenToFirstFrame)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Naive_ZoomFrame)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Naive_ZoomFrame)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(1);
// ~100x the 1k figure (minutes a frame on this noisy data): only with --benchmark_filter=NaiveSlow.
BENCHMARK(BM_Naive_ZoomFrame)
    ->Name("BM_NaiveSlow_ZoomFrame")
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
