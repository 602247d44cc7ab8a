// Per-tick cost of collection: py-perf's tick (system CPU %, virtual memory, load average, and
// per tracked process name/cpu/memory/threads/status/create_time/cmdline) with 1 and 10
// tracked processes, a full scan of every process (top by CPU and memory), and the sampler's
// complete tick (every metric + timeline append). compare_psutil.sh runs psutil on the same work.
//
// Tracked processes: the PIDs in $LOADLINE_BENCH_PIDS (comma-separated), else 10 sleeping
// children forked here.
#include <benchmark/benchmark.h>

#include <csignal>
#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "core/collect/processreader.h"
#include "core/collect/processtable.h"
#include "core/collect/systemcollector.h"
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

/** Everything the recorder does per tick: every metric, 10 tracked, appended to the timeline. */
void BM_SamplerTick10Tracked(benchmark::State& state) {
    SamplerOptions o;
    o.pids.assign(g_pids.begin(), g_pids.begin() + 10);
    o.system.perCpu = true;
    Sampler s(o);
    s.tickNow();
    for (auto _ : state) s.tickNow();
}

}  // namespace

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
