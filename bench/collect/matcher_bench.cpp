// Per-tick cost of the process matcher (record/serve --match, the window's --track): one scan
// as the sampler runs it every tick, in steady state (no new process), on the live /proc with
// about 300 processes (sleeping children are started here to reach $LOADLINE_BENCH_PROCS,
// default 300). Each iteration advances the scan clock by 0.2 s, so it also does its share of
// exec re-checks (every non-matching process re-read about every 2 s).
//
//   build/bin/matcher_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <csignal>
#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "core/collect/procdir.h"
#include "core/collect/processmatcher.h"

using namespace loadline::core;

namespace {

std::vector<pid_t> g_children;

void fillProc() {
    if (!g_children.empty()) return;
    std::size_t want = 300;
    if (const char* env = std::getenv("LOADLINE_BENCH_PROCS")) want = std::strtoul(env, nullptr, 10);
    std::vector<int> pids;
    PidLister lister;
    lister.list(pids);
    for (std::size_t n = pids.size(); n < want; ++n) {
        pid_t pid = ::fork();
        if (pid == 0) {
            ::execl("/bin/sleep", "sleep", "3600", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        if (pid > 0) g_children.push_back(pid);
    }
    ::usleep(200'000);  // let them exec
}

void killChildren() {
    for (pid_t pid : g_children) ::kill(pid, SIGKILL);
    for (pid_t pid : g_children) ::waitpid(pid, nullptr, 0);
    g_children.clear();
}

void scanBench(benchmark::State& state, ProcessMatcher::Field field, const char* regex, double recheckSeconds = 2.0) {
    fillProc();
    ProcessMatcherOptions o;
    o.recheckSeconds = recheckSeconds;
    ProcessMatcher m(o);
    m.add(field, regex);
    std::vector<MatchedProcess> matched;
    double now = 0;
    m.scan(matched, now);  // the first scan decides every process
    std::size_t rechecked = 0, listed = 0;
    for (auto _ : state) {
        now += 0.2;
        m.scan(matched, now);
        rechecked += m.lastScan().rechecked;
        listed = m.lastScan().listed;
    }
    state.counters["procs"] = static_cast<double>(listed);
    state.counters["rechecks/scan"] = static_cast<double>(rechecked) / static_cast<double>(state.iterations());
}

void BM_MatcherScanName(benchmark::State& state) { scanBench(state, ProcessMatcher::Field::Name, "^loadline-none$"); }
void BM_MatcherScanCmdline(benchmark::State& state) {
    scanBench(state, ProcessMatcher::Field::Cmdline, "loadline-none");
}
// The listing and merge alone (no exec re-checks): the floor of a scan.
void BM_MatcherScanListOnly(benchmark::State& state) {
    scanBench(state, ProcessMatcher::Field::Name, "^loadline-none$", 1e12);
}

// The first scan (or one after a rule is added): every process read and decided.
void BM_MatcherFirstScan(benchmark::State& state) {
    fillProc();
    std::vector<MatchedProcess> matched;
    std::size_t listed = 0;
    for (auto _ : state) {
        ProcessMatcher m;
        m.add(ProcessMatcher::Field::Name, "^loadline-none$");
        m.scan(matched, 0);
        listed = m.lastScan().listed;
    }
    state.counters["procs"] = static_cast<double>(listed);
}

}  // namespace

BENCHMARK(BM_MatcherScanName)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_MatcherScanCmdline)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_MatcherScanListOnly)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_MatcherFirstScan)->MeasureProcessCPUTime()->UseRealTime();

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    killChildren();
    return 0;
}
