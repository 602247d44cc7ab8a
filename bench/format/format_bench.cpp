// Google Benchmark of the py-perf loader and writer on an in-memory timeline
// (for the 1 GB file against Python's json, see compare_python.sh), beside what a library would
// do with the same text: nlohmann::json's DOM parse (comments allowed, as py-perf's examples
// need) and the same parse followed by the columnar copy the loader makes. docs/json.md records
// why the hand-written loader is kept.
#include <benchmark/benchmark.h>

#include <string>

#include <nlohmann/json.hpp>

#include "core/format/recordingio.h"

namespace {

std::string makeTimelineText(int samples) {
    loadline::core::Timeline tl;
    auto& sys = tl.system;
    for (int i = 0; i < samples; ++i) {
        sys.appendRow(1700000000.0 + i * 0.5 + 0.0123457);
        sys.setLast(sys.ensureColumn("cpu_percent"), (i * 37 % 1000) / 10.0);
        sys.setLast(sys.ensureColumn("memory_percent"), 40 + (i % 200) / 10.0);
        sys.setLast(sys.ensureColumn("memory_available_mb"), 8192.515625 + i);
        sys.setLast(sys.ensureColumn("memory_used_mb"), 12288.30078125 - i);
        sys.setLast(sys.ensureColumn("load_avg_1m"), (i % 400) / 100.0);
        auto& p = tl.process(4242).samples;
        p.appendRow(1700000000.0 + i * 0.5 + 0.0123457);
        p.setLast(p.ensureColumn("pid"), 4242);
        p.setLastText(p.ensureColumn("name", true), "python");
        p.setLast(p.ensureColumn("cpu_percent"), (i * 53 % 4000) / 10.0);
        p.setLast(p.ensureColumn("memory_rss_mb"), 128.4 + i % 100);
        p.setLastText(p.ensureColumn("status", true), i % 10 ? "running" : "sleeping");
    }
    return loadline::core::timelineToText(tl);
}

void BM_LoadTimeline(benchmark::State& state) {
    const std::string text = makeTimelineText(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto r = loadline::core::loadRecordingFromString(text);
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_LoadTimeline)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

// The library route, DOM only: nlohmann::json::parse with comments ignored.
void BM_NlohmannParseTimeline(benchmark::State& state) {
    const std::string text = makeTimelineText(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto j = nlohmann::json::parse(text, nullptr, true, /*ignore_comments=*/true);
        benchmark::DoNotOptimize(j);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_NlohmannParseTimeline)->Arg(100000)->Unit(benchmark::kMillisecond);

// The library route as the loader would need it: the DOM, then every number into columns.
void BM_NlohmannParseAndCopyTimeline(benchmark::State& state) {
    const std::string text = makeTimelineText(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto j = nlohmann::json::parse(text, nullptr, true, true);
        loadline::core::SeriesTable table;
        for (const auto& sample : j["system"]) {
            table.appendRow(sample["timestamp"].get<double>());
            for (const auto& [key, value] : sample.items())
                if (value.is_number() && key != "timestamp")
                    table.setLast(table.ensureColumn(key), value.get<double>());
        }
        benchmark::DoNotOptimize(table);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_NlohmannParseAndCopyTimeline)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_WriteTimeline(benchmark::State& state) {
    auto loaded = loadline::core::loadRecordingFromString(makeTimelineText(static_cast<int>(state.range(0))));
    std::size_t bytes = 0;
    for (auto _ : state) {
        std::string text = loadline::core::recordingToText(*loaded);
        bytes += text.size();
        benchmark::DoNotOptimize(text);
    }
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_WriteTimeline)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
