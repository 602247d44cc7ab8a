// Overhead of one LOADLINE_SCOPE (goal: < 100 ns per scope), and what it is made of.
// The recorder is drained outside the timed region, so the ring never fills.
#include <benchmark/benchmark.h>

#include "core/correlate/correlate.h"
#include "core/instrument/recorder.h"

using namespace loadline::core;
using namespace loadline::core::instrument;

namespace {

// Drain every `every` iterations, with the timer paused, so each scope lands in the ring.
template <class Body>
void runDraining(benchmark::State& state, Body body) {
    Recorder::global().drain();
    std::size_t n = 0;
    for (auto _ : state) {
        body();
        if (++n == 32768) {
            state.PauseTiming();
            Recorder::global().drain();
            n = 0;
            state.ResumeTiming();
        }
    }
    Recorder::global().drain();  // the loop is over: not timed
}

void BM_ScopeEnabled(benchmark::State& state) {
    Recorder::global().setEnabled(true);
    runDraining(state, [] { LOADLINE_SCOPE("bench"); });
    Recorder::global().setEnabled(false);
    state.counters["dropped"] = double(Recorder::global().dropped());
}
BENCHMARK(BM_ScopeEnabled);

// The same scope with ThreadCpuClock in exact mode: the thread CPU clock's system call, twice.
void BM_ScopeEnabledExactCpuClock(benchmark::State& state) {
    ThreadCpuClock::setExact(true);
    Recorder::global().setEnabled(true);
    runDraining(state, [] { LOADLINE_SCOPE("bench"); });
    Recorder::global().setEnabled(false);
    ThreadCpuClock::setExact(false);
}
BENCHMARK(BM_ScopeEnabledExactCpuClock);

void BM_ScopeDisabled(benchmark::State& state) {
    Recorder::global().setEnabled(false);
    for (auto _ : state) {
        LOADLINE_SCOPE("bench");
    }
}
BENCHMARK(BM_ScopeDisabled);

// The parts: the monotonic clock a scope reads twice, the thread CPU time derived from it, the
// kernel's thread CPU clock it replaces, and the ring push alone.
void BM_ClockMonotonic(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(clockNs(CLOCK_MONOTONIC));
}
BENCHMARK(BM_ClockMonotonic);

void BM_ClockThreadCpu(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(clockNs(CLOCK_THREAD_CPUTIME_ID));
}
BENCHMARK(BM_ClockThreadCpu);

void BM_ThreadCpuClockDerived(benchmark::State& state) {
    const std::uint64_t before = ThreadCpuClock::resyncCount();
    for (auto _ : state) benchmark::DoNotOptimize(ThreadCpuClock::at(clockNs(CLOCK_MONOTONIC)));
    state.counters["syscall_share"] =
        double(ThreadCpuClock::resyncCount() - before) / double(std::max<std::int64_t>(state.iterations(), 1));
}
BENCHMARK(BM_ThreadCpuClockDerived);

void BM_RingPush(benchmark::State& state) {
    Recorder::global().setEnabled(true);
    runDraining(state, [] { Recorder::global().threadBuffer().push({"bench", 1, 2, 3}); });
    Recorder::global().setEnabled(false);
}
BENCHMARK(BM_RingPush);

void BM_Correlate10kCalls(benchmark::State& state) {
    Timeline tl;
    const int cpu = tl.system.ensureColumn(col::kCpuPercent);
    const int mem = tl.system.ensureColumn(col::kMemoryPercent);
    for (int i = 0; i < 3600; ++i) {
        tl.system.appendRow(i * 0.5);
        tl.system.setLast(cpu, (i * 37) % 100);
        tl.system.setLast(mem, 50);
    }
    std::vector<FunctionTiming> t;
    for (int i = 0; i < 10000; ++i) {
        FunctionTiming f;
        f.functionName = "f" + std::to_string(i % 20);
        f.timestamp = 1 + i * 0.17;
        f.wallTime = 0.01 + (i % 7) * 0.3;
        f.cpuTime = f.wallTime / 2;
        t.push_back(f);
    }
    for (auto _ : state) benchmark::DoNotOptimize(correlate(t, tl));
}
BENCHMARK(BM_Correlate10kCalls)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
