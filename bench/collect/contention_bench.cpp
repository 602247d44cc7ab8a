// The added per-tick cost of the contention sources (PSI, run-queue wait and involuntary
// switches of each tracked process, one cgroup v2), measured as the recorder runs: a tick after a
// pause of the recording interval (10 ms or 500 ms: caches go cold at 0.5 s), timed by this
// thread's CPU clock (CLOCK_THREAD_CPUTIME_ID), so other load on the machine does not count.
//
//  BM_ContentionReads/<ms>       the contention reads alone: /proc/pressure/{cpu,memory,io},
//                                10 processes' schedstat + status, cpu.stat/memory.*/*.pressure
//                                of the cgroup v2 root (where mounted)
//  BM_SamplerTick/<ms>/<on>      the sampler's whole tick, 10 tracked, with (1) and without (0)
//                                the contention sources
//
// Tracked processes: 10 sleeping children forked here.
#include <benchmark/benchmark.h>

#include <csignal>
#include <fcntl.h>
#include <ctime>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "core/collect/contention.h"
#include "core/collect/systemcollector.h"
#include "core/sampler/sampler.h"

using namespace loadline::core;

namespace {

std::vector<int> g_pids;

double threadCpu() {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

void BM_ContentionReads(benchmark::State& state) {
    PressureReader psi;
    const bool havePsi = psi.open("/proc/pressure/", "");
    CgroupReader cgroup;
    std::string path;
    const std::string dir = resolveCgroupDir({}, "/", path, nullptr);
    const bool haveCgroup = !dir.empty() && cgroup.open(dir, path);
    std::vector<int> dirFds;
    std::vector<SchedReader> sched(g_pids.size());
    for (std::size_t i = 0; i < g_pids.size(); ++i) {
        dirFds.push_back(::open(("/proc/" + std::to_string(g_pids[i])).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        sched[i].open(dirFds.back());
    }
    PressureSample ps;
    CgroupSample cs;
    std::vector<SchedSample> ss(g_pids.size());
    for (auto _ : state) {
        ::usleep(static_cast<useconds_t>(state.range(0)) * 1000);
        const double a = threadCpu();
        const double mono = monotonicNow();
        psi.read(ps, mono);
        if (haveCgroup) cgroup.read(cs, mono);
        for (std::size_t i = 0; i < sched.size(); ++i) sched[i].read(ss[i], mono);
        state.SetIterationTime(threadCpu() - a);
    }
    for (int fd : dirFds) ::close(fd);
    state.counters["psi"] = havePsi;
    state.counters["cgroup"] = haveCgroup;
}

void BM_SamplerTick(benchmark::State& state) {
    const bool contention = state.range(1) != 0;
    SamplerOptions o;
    o.pids = g_pids;
    o.system.perCpu = true;
    o.system.gpu = false;
    o.system.pressure = contention;
    if (contention) o.system.cgroup = "/";
    o.process.sched = contention;
    o.process.cgroup = contention;
    Sampler s(o);
    s.tickNow();
    for (auto _ : state) {
        ::usleep(static_cast<useconds_t>(state.range(0)) * 1000);
        const double a = threadCpu();
        s.tickNow();
        state.SetIterationTime(threadCpu() - a);
    }
}

}  // namespace

BENCHMARK(BM_ContentionReads)->Arg(10)->Iterations(400)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ContentionReads)->Arg(500)->Iterations(30)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SamplerTick)->Args({10, 0})->Args({10, 1})->Iterations(400)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SamplerTick)->Args({500, 0})->Args({500, 1})->Iterations(30)->UseManualTime()->Unit(benchmark::kMicrosecond);

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
    for (pid_t p : children) {
        ::kill(p, SIGKILL);
        ::waitpid(p, nullptr, 0);
    }
    return 0;
}
