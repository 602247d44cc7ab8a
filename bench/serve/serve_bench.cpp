// In-process costs of serving: rendering a tick (snapshot JSON + Prometheus text, done once per
// tick on the sampler thread), answering /api/system/metrics and /metrics from the pre-rendered
// text, and the request-framing guard. Sockets are measured by serve_load.sh (wrk).
#include <benchmark/benchmark.h>

#include <memory>

#include "core/collect/samples.h"
#include "core/serve/api.h"
#include "core/serve/requestframer.h"
#include "core/serve/snapshotrender.h"

using namespace loadline::core;
using namespace loadline::core::serve;

namespace {

SystemSample fakeSystem(int cpus) {
    SystemSample s;
    s.timestamp = 1.7e9;
    s.cpuPercent = 42;
    for (int i = 0; i < cpus; ++i) s.cpuPercentPerCore.push_back(10.0 + i);
    s.cpuCountLogical = s.cpuCountPhysical = cpus;
    s.loadAvg1 = s.loadAvg5 = s.loadAvg15 = 1.5;
    s.memory.total = 16e9;
    s.memory.available = 8e9;
    for (int i = 0; i < 4; ++i) s.disks.push_back({"sd" + std::string(1, char('a' + i)), 1, 2, 3, 4, 5, 6});
    for (int i = 0; i < 4; ++i) s.interfaces.push_back({"eth" + std::to_string(i), 1, 2, 3, 4, 0, 0, 0, 0, 5, 6});
    return s;
}

std::vector<ProcessSample> fakeProcesses(int n) {
    std::vector<ProcessSample> v(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        v[i].pid = 1000 + i;
        v[i].name = "python";
        v[i].cmdline = "python train.py --epochs 10";
        v[i].status = "running";
        v[i].cpuPercent = 50;
        v[i].memoryRssMb = 100;
        v[i].memoryVmsMb = 200;
        v[i].numThreads = 4;
    }
    return v;
}

void BM_RenderTick(benchmark::State& state) {
    auto sys = fakeSystem(static_cast<int>(state.range(0)));
    auto procs = fakeProcesses(10);
    ProcStat times;
    times.perCpu.resize(sys.cpuPercentPerCore.size());
    times.online.assign(sys.cpuPercentPerCore.size(), 1);
    std::string json;
    PrometheusWriter prom;
    TickContext ctx{"node", 1, 0.5, 0, 0};
    for (auto _ : state) {
        json.clear();
        renderSnapshotJson(json, sys, procs, ctx);
        prom.clear();
        renderPrometheus(prom, sys, &times, 100, procs, ctx);
        benchmark::DoNotOptimize(json.data());
        benchmark::DoNotOptimize(prom.text().data());
    }
    state.counters["json_bytes"] = double(json.size());
    state.counters["prom_bytes"] = double(prom.text().size());
}
BENCHMARK(BM_RenderTick)->Arg(2)->Arg(64);

void BM_ApiHandle(benchmark::State& state, const char* path) {
    auto live = std::make_shared<LiveData>(10);
    auto sys = fakeSystem(2);
    auto procs = fakeProcesses(10);
    std::string json;
    renderSnapshotJson(json, sys, procs, TickContext{"node", 1, 0.5, 0, 0});
    PrometheusWriter prom;
    ProcStat times;
    times.perCpu.resize(2);
    times.online.assign(2, 1);
    renderPrometheus(prom, sys, &times, 100, procs, TickContext{"node", 1, 0.5, 0, 0});
    live->publish(std::make_shared<const std::string>(json), std::make_shared<const std::string>(prom.text()));
    Api api(ApiConfig{"node", {}, {}, 4, {}}, live);
    HttpRequest req{"GET", path, {}, {}, {}};
    for (auto _ : state) benchmark::DoNotOptimize(api.handle(req).body.size());
}
BENCHMARK_CAPTURE(BM_ApiHandle, system_metrics, "/api/system/metrics");
BENCHMARK_CAPTURE(BM_ApiHandle, prometheus, "/metrics");

void BM_FramerFeed(benchmark::State& state) {
    const std::string req = "GET /api/system/metrics HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: wrk\r\n\r\n";
    RequestFramer f;
    for (auto _ : state) benchmark::DoNotOptimize(f.feed(req).has_value());
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(req.size()));
}
BENCHMARK(BM_FramerFeed);

}  // namespace

BENCHMARK_MAIN();
