// The per-tick CPU cost of collection, with and without the contention sources (PSI, run-queue
// wait and involuntary switches of each tracked process, cgroup v2), measured as the recorder
// runs: a tick after a pause of the recording interval (10 ms or 500 ms: caches go cold at
// 0.5 s), timed by this thread's CPU clock (CLOCK_THREAD_CPUTIME_ID), so other load on the machine
// does not count (its cache pollution does: expect higher figures on a busy machine).
//
//  BM_ContentionReads/<ms>         the contention reads alone: /proc/pressure/{cpu,memory,io},
//                                  10 processes' schedstat (+ status at most once a second),
//                                  cpu.stat/memory.*/*.pressure of the cgroup v2 root (where mounted)
//  BM_SystemCollect/<ms>/<on>      SystemCollector::collect as record configures it (no per-core
//                                  columns), without (0) and with (1) PSI
//  BM_ProcessReads/<ms>/<on>       10 tracked processes' ProcessReader::sample, without (0) and
//                                  with (1) schedstat/status and their cgroup
//  BM_SamplerTick/<ms>/<on>        the sampler's whole tick (collect + timeline append), 10 tracked,
//                                  record's options, without (0) and with (1) the contention sources
//                                  (record's default), and (2) also `--cgroup /` (the cgroup v2
//                                  root's cpu.stat, memory.current/max, *.pressure every tick)
//
// Counters: ns_per_tick (mean thread CPU per tick) and core_pct (that cost every interval as a
// share of one core). After the runs a summary prints the added cost of the contention sources at
// each interval (with minus without, per tick and as % of a core).
//
// Tracked processes: 10 sleeping children forked here.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <string>
#include <sys/wait.h>
#include <tuple>
#include <unistd.h>
#include <vector>

#include "core/collect/contention.h"
#include "core/collect/processreader.h"
#include "core/collect/systemcollector.h"
#include "core/sampler/sampler.h"

using namespace loadline::core;

namespace {

std::vector<int> g_pids;
// Mean CPU seconds per tick by (benchmark, interval ms, contention on).
std::map<std::tuple<std::string, long, long>, double> g_means;

double threadCpu() {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

/** Runs tick() once per iteration after a pause of the interval, timing it by the thread's CPU
 *  clock; sets the counters and remembers the mean for the summary. */
template <class Tick>
void timeTicks(benchmark::State& state, const std::string& name, long on, Tick&& tick) {
    const long ms = state.range(0);
    double total = 0;
    std::size_t n = 0;
    for (auto _ : state) {
        ::usleep(static_cast<useconds_t>(ms) * 1000);
        const double a = threadCpu();
        tick();
        const double dt = threadCpu() - a;
        state.SetIterationTime(dt);
        total += dt;
        ++n;
    }
    if (n == 0) return;
    const double mean = total / double(n);
    state.counters["ns_per_tick"] = mean * 1e9;
    state.counters["core_pct"] = mean / (double(ms) * 1e-3) * 100.0;
    g_means[{name, ms, on}] = mean;
}

SystemCollectorOptions recordSystem(bool contention) {
    SystemCollectorOptions o;  // as `record` sets it: every system metric but per-core columns
    o.perCpu = false;
    o.pressure = contention;
    return o;
}

void BM_ContentionReads(benchmark::State& state) {
    PressureReader psi;
    const bool havePsi = psi.open("/proc/pressure/", "").has_value();
    CgroupReader cgroup;
    std::string path;
    const std::string dir = resolveCgroupDir({}, "/", path).value_or(std::string());
    const bool haveCgroup = !dir.empty() && cgroup.open(dir, path).has_value();
    std::vector<int> dirFds;
    std::vector<SchedReader> sched(g_pids.size());
    for (std::size_t i = 0; i < g_pids.size(); ++i) {
        dirFds.push_back(::open(("/proc/" + std::to_string(g_pids[i])).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        sched[i].open(dirFds.back());
    }
    PressureSample ps;
    CgroupSample cs;
    std::vector<SchedSample> ss(g_pids.size());
    timeTicks(state, "contention reads", 1, [&] {
        const double mono = monotonicNow();
        psi.read(ps, mono);
        if (haveCgroup) cgroup.read(cs, mono);
        for (std::size_t i = 0; i < sched.size(); ++i) sched[i].read(ss[i], mono);
    });
    for (int fd : dirFds) ::close(fd);
    state.counters["psi"] = havePsi;
    state.counters["cgroup"] = haveCgroup;
}

void BM_SystemCollect(benchmark::State& state) {
    const bool on = state.range(1) != 0;
    SystemCollector sys({}, recordSystem(on));
    SystemSample s;
    sys.collect(s);
    timeTicks(state, "system collector", state.range(1), [&] { sys.collect(s); });
}

void BM_ProcessReads(benchmark::State& state) {
    const bool on = state.range(1) != 0;
    ProcessReadOptions o;
    o.sched = o.cgroup = on;
    const double boot = readBootTime();
    std::vector<ProcessReader> readers;
    for (int pid : g_pids) {
        readers.emplace_back(ProcRoots{}, boot, HostConstants::fromSystem(), o);
        if (!readers.back().attach(pid)) {
            state.SkipWithError("cannot attach");
            return;
        }
    }
    std::vector<ProcessSample> out(readers.size());
    timeTicks(state, "10 process reads", state.range(1), [&] {
        const double epoch = epochNow(), mono = monotonicNow();
        for (std::size_t i = 0; i < readers.size(); ++i) readers[i].sample(out[i], epoch, mono);
    });
}

void BM_SamplerTick(benchmark::State& state) {
    const bool on = state.range(1) != 0;
    SamplerOptions o;
    o.pids = g_pids;
    o.system = recordSystem(on);
    if (state.range(1) == 2) o.system.cgroup = "/";
    o.process.sched = on;
    o.process.cgroup = on;
    Sampler s(o);
    s.tickNow();
    timeTicks(state, "sampler tick", state.range(1), [&] { s.tickNow(); });
}

void summary() {
    std::printf("\nAdded cost of the contention sources (thread CPU per tick, with minus without):\n");
    std::printf("%-22s %9s %12s %12s %12s %14s\n", "", "interval", "without ns", "with ns", "added ns", "added % core");
    for (const auto& [key, with] : g_means) {
        const auto& [name, ms, on] = key;
        if (on == 0) continue;
        const std::string label = on == 2 ? name + " +cgroup" : name;
        auto without = g_means.find({name, ms, 0});
        if (without == g_means.end()) {  // the reads alone: all of it is added
            std::printf("%-22s %7ld ms %12s %12.0f %12.0f %13.4f%%\n", label.c_str(), ms, "-", with * 1e9, with * 1e9,
                        with / (double(ms) * 1e-3) * 100.0);
            continue;
        }
        const double added = with - without->second;
        std::printf("%-22s %7ld ms %12.0f %12.0f %12.0f %13.4f%%\n", label.c_str(), ms, without->second * 1e9,
                    with * 1e9, added * 1e9, added / (double(ms) * 1e-3) * 100.0);
    }
}

}  // namespace

// Without/with runs alternate per interval so both see the same machine state.
BENCHMARK(BM_ContentionReads)->Arg(10)->Iterations(400)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ContentionReads)->Arg(500)->Iterations(30)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SystemCollect)
    ->Args({10, 0})
    ->Args({10, 1})
    ->Iterations(400)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SystemCollect)
    ->Args({500, 0})
    ->Args({500, 1})
    ->Iterations(30)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ProcessReads)
    ->Args({10, 0})
    ->Args({10, 1})
    ->Iterations(400)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ProcessReads)
    ->Args({500, 0})
    ->Args({500, 1})
    ->Iterations(30)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SamplerTick)
    ->Args({10, 0})
    ->Args({10, 1})
    ->Args({10, 2})
    ->Iterations(400)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SamplerTick)
    ->Args({500, 0})
    ->Args({500, 1})
    ->Args({500, 2})
    ->Iterations(30)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

int main(int argc, char** argv) {
    std::vector<pid_t> children;
    for (int i = 0; i < 10; ++i) {
        pid_t p = ::fork();
        if (p == 0) {
            for (;;) ::pause();
        }
        children.push_back(p);
        g_pids.push_back(p);
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    summary();
    for (pid_t p : children) {
        ::kill(p, SIGKILL);
        ::waitpid(p, nullptr, 0);
    }
    return 0;
}
