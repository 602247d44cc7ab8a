// Cost of evaluating alert rules on each sampler tick: the sampler appends a row to its bounded
// timeline, then AlertEvaluator::evaluateLatest reads the newest row of each rule's column.
// BM_AppendRow is the append alone; the evaluation costs the difference.
//   build/bin/alert_bench   (or build/bench/alert/alert_bench)
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/alert/evaluator.h"
#include "core/timeline/timeline.h"

using namespace loadline::core;
using namespace loadline::core::alert;

namespace {

const char* kColumns[] = {"cpu_percent",
                          "memory_percent",
                          "memory_available_mb",
                          "memory_used_mb",
                          "load_avg_1m",
                          "load_avg_5m",
                          "load_avg_15m",
                          "memory_total_mb",
                          "swap_total_mb",
                          "swap_used_mb",
                          "swap_percent",
                          "cpu_freq_mhz",
                          "cpu_temperature_c",
                          "disk_read_bytes_per_s",
                          "disk_write_bytes_per_s",
                          "disk_read_count_per_s",
                          "disk_write_count_per_s",
                          "net_sent_bytes_per_s",
                          "net_recv_bytes_per_s",
                          "net_sent_packets_per_s"};

/** 20 rules, one per column; "threshold" decides whether they hold (value 50 each tick). */
std::vector<AlertRule> rules(double threshold) {
    std::vector<AlertRule> out;
    for (const char* c : kColumns) {
        auto r = parseRule(std::string(c) + " > " + std::to_string(threshold) + " for 2s");
        out.push_back(*r);
    }
    return out;
}

struct Fixture {
    Timeline timeline{3600};
    std::vector<int> cols;
    double t = 0;
    Fixture() {
        for (const char* c : kColumns) cols.push_back(timeline.system.ensureColumn(c));
        for (int i = 0; i < 3600; ++i) append(50);
    }
    void append(double v) {
        timeline.system.appendRow(t);
        t += 0.5;
        for (int c : cols) timeline.system.setLast(c, v);
    }
};

void BM_AppendRow(benchmark::State& state) {
    Fixture f;
    for (auto _ : state) {
        f.append(50);
        benchmark::ClobberMemory();
    }
}
BENCHMARK(BM_AppendRow);

/** 20 rules, none holding (the usual case). */
void BM_AppendRowAndEvaluate20Quiet(benchmark::State& state) {
    Fixture f;
    AlertEvaluator ev(rules(80), {0.5});
    std::vector<AlertEvent> events;
    events.reserve(64);
    for (auto _ : state) {
        f.append(50);
        ev.evaluateLatest(f.timeline, {}, events);
        benchmark::DoNotOptimize(events.data());
    }
}
BENCHMARK(BM_AppendRowAndEvaluate20Quiet);

/** 20 rules, all open and holding (peaks tracked each tick). */
void BM_AppendRowAndEvaluate20Firing(benchmark::State& state) {
    Fixture f;
    AlertEvaluator ev(rules(10), {0.5});
    std::vector<AlertEvent> events;
    events.reserve(64);
    double v = 50;
    for (auto _ : state) {
        f.append(v);
        v = v == 50 ? 51 : 50;
        ev.evaluateLatest(f.timeline, {}, events);
        benchmark::DoNotOptimize(events.data());
    }
}
BENCHMARK(BM_AppendRowAndEvaluate20Firing);

}  // namespace

BENCHMARK_MAIN();
