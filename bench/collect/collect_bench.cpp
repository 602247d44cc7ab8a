// Per-tick cost of collection: py-perf's tick (system CPU %, virtual memory, load average, and
// per tracked process name/cpu/memory/threads/status/create_time/cmdline) with 1 and 10
// tracked processes, a full scan of every process (top by CPU and memory), and the sampler's
// complete tick (every metric + timeline append). compare_psutil.sh runs psutil on the same work.
//
// Tracked processes: the PIDs in $LOADLINE_BENCH_PIDS (comma-separated), else 10 sleeping
// children forked here.
#include <benchmark/benchmark.h>

#include <csignal>
#include <filesystem>
#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "core/collect/gpu.h"
#include "core/collect/processreader.h"
#include "core/collect/processtable.h"
#include "core/collect/systemcollector.h"
#include "core/format/recordingio.h"
#include "core/format/timelinecheckpoint.h"
#include "core/sampler/sampler.h"

using namespace loadline::core;

namespace {

std::vector<int> g_pids;
std::vector<pid_t> g_children;

void setupPids() {
    if (const char* env = std::getenv("LOADLINE_BENCH_PIDS")) {
        std::string s = env;
        std::size_t pos = 0;
        while (pos < s.size()) {
            std::size_t e = s.find(',', pos);
            if (e == std::string::npos) e = s.size();
            if (e > pos) g_pids.push_back(std::stoi(s.substr(pos, e - pos)));
            pos = e + 1;
        }
    }
    while (g_pids.size() < 10) {
        pid_t p = ::fork();
        if (p == 0) {
            for (;;) ::pause();
        }
        g_children.push_back(p);
        g_pids.push_back(p);
    }
}

/** py-perf's system work: cpu_percent, virtual_memory, getloadavg (nothing else). */
SystemCollectorOptions pyPerfSystem() {
    SystemCollectorOptions o;
    o.perCpu = false;
    o.disk = false;
    o.network = false;
    o.sensors = false;
    o.gpu = false;
    o.uptime = false;
    return o;
}

void tickTracked(benchmark::State& state, std::size_t n) {
    SystemCollector sys({}, pyPerfSystem());
    const double boot = readBootTime();
    std::vector<ProcessReader> readers;
    for (std::size_t i = 0; i < n; ++i) {
        // py-perf's fields only (stat + statm), as the psutil side reads.
        readers.emplace_back(ProcRoots{}, boot, HostConstants::fromSystem(), ProcessReadOptions{false, false});
        if (!readers.back().attach(g_pids[i])) {
            state.SkipWithError("cannot attach");
            return;
        }
    }
    SystemSample s;
    std::vector<ProcessSample> ps(n);
    sys.collect(s);
    for (auto _ : state) {
        const double epoch = epochNow(), mono = monotonicNow();
        sys.collect(s, epoch, mono);
        for (std::size_t i = 0; i < n; ++i) readers[i].sample(ps[i], epoch, mono);
        benchmark::DoNotOptimize(s);
        benchmark::DoNotOptimize(ps.data());
    }
}

void BM_Tick1Tracked(benchmark::State& state) { tickTracked(state, 1); }
void BM_Tick10Tracked(benchmark::State& state) { tickTracked(state, 10); }

void BM_FullScan(benchmark::State& state) {
    ProcessTable table;
    std::vector<ProcessTableEntry*> top;
    table.scan();
    for (auto _ : state) {
        table.scan();
        table.top(ProcessSort::Cpu, 10, top);
        benchmark::DoNotOptimize(top.data());
    }
    state.counters["processes"] = static_cast<double>(table.size());
}

/** A sampler of every metric tracking the 10 benchmark processes. */
SamplerOptions tenTracked() {
    SamplerOptions o;
    o.pids.assign(g_pids.begin(), g_pids.begin() + 10);
    o.system.perCpu = true;
    return o;
}

/** Everything the recorder does per tick: every metric, 10 tracked, appended to the timeline. */
void BM_SamplerTick10Tracked(benchmark::State& state) {
    Sampler s(tenTracked());
    s.tickNow();
    for (auto _ : state) s.tickNow();
}

/** One sample of every GPU (NVML when libnvidia-ml.so.1 loads; skipped without a GPU). */
void BM_GpuSample(benchmark::State& state) {
    GpuCollector gpus;
    if (gpus.count() == 0) {
        state.SkipWithError(("no GPU: " + gpus.nvidiaStatus()).c_str());
        return;
    }
    std::vector<GpuSample> out;
    for (auto _ : state) {
        gpus.sample(out);
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["gpus"] = gpus.count();
}
BENCHMARK(BM_GpuSample)->Unit(benchmark::kMicrosecond);

/**
 * The same tick as the recorder really runs it: after a pause, with cold caches (a 0.5 s
 * interval leaves nothing warm). The time is this thread's CPU time for the tick alone.
 */
void BM_SamplerTickCold10Tracked(benchmark::State& state) {
    Sampler s(tenTracked());
    s.tickNow();
    for (auto _ : state) {
        ::usleep(static_cast<useconds_t>(state.range(0)) * 1000);
        timespec a{}, b{};
        ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
        s.tickNow();
        ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
        state.SetIterationTime(double(b.tv_sec - a.tv_sec) + double(b.tv_nsec - a.tv_nsec) * 1e-9);
    }
}
BENCHMARK(BM_SamplerTickCold10Tracked)->Arg(500)->UseManualTime()->Iterations(40)->Unit(benchmark::kMicrosecond);

/**
 * A recorder checkpoint at the bound (3,600 samples of everything, 10 tracked processes) after
 * 10 s of new samples (20 ticks at 0.5 s): the whole file formatted again (saveTimelineFile, as
 * record did before) against TimelineCheckpoint (only the new samples formatted). Both fsync.
 */
void checkpointBench(benchmark::State& state, bool incremental) {
    SamplerOptions o = tenTracked();
    o.maxSamples = 3600;
    Sampler s(o);
    for (int i = 0; i < 3600; ++i) s.tickNow();
    const std::string path = "/tmp/loadline-checkpoint-bench-" + std::to_string(::getpid()) + ".json";
    TimelineCheckpoint checkpoint;
    s.withTimeline([&](const Timeline& t) { checkpoint.update(t); });
    std::string error;
    for (auto _ : state) {
        state.PauseTiming();
        for (int i = 0; i < 20; ++i) s.tickNow();
        state.ResumeTiming();
        bool ok;
        if (incremental) {
            s.withTimeline([&](const Timeline& t) { checkpoint.update(t); });
            ok = succeeded(checkpoint.save(path), &error);
        } else {
            ok = succeeded(saveTimelineFile(path, s.timeline()), &error);
        }
        if (!ok) state.SkipWithError(error.c_str());
    }
    state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    std::filesystem::remove(path);
}
void BM_CheckpointFullRewrite(benchmark::State& state) { checkpointBench(state, false); }
void BM_CheckpointIncremental(benchmark::State& state) { checkpointBench(state, true); }

}  // namespace

BENCHMARK(BM_CheckpointFullRewrite)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_CheckpointIncremental)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_Tick1Tracked)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Tick10Tracked)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FullScan)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SamplerTick10Tracked)->Unit(benchmark::kMicrosecond);

int main(int argc, char** argv) {
    setupPids();
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    for (pid_t p : g_children) {
        ::kill(p, SIGKILL);
        ::waitpid(p, nullptr, 0);
    }
    return 0;
}
