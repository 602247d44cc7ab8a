#pragma once
// Every text loadline writes from a SystemSample / ProcessSample, for a fixed pair of ticks that
// exercises each metric: NaN where a reading is missing, several CPUs, disks, interfaces and
// GPUs, tracked processes with and without I/O readings. Only the writers' public entry points
// are used, so the same source renders the reference texts (tests/data/metrics/) from any
// version of loadline.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/alert/metricnames.h"
#include "core/collect/snapshot.h"
#include "core/export/csvexport.h"
#include "core/fleet/promql.h"
#include "core/format/recordingio.h"
#include "core/sampler/timelinewriter.h"
#include "core/serve/snapshotrender.h"

namespace metricsoutputs {

using namespace loadline::core;

inline SystemSample systemSample(int tick) {
    SystemSample s;
    const double t = tick;
    s.timestamp = 1700000000.25 + t;
    s.cpuPercent = tick == 0 ? kMissing : 37.5;
    s.cpuPercentPerCore = {tick == 0 ? kMissing : 12.5, 99.75, kMissing};
    s.cpuCountLogical = 3;
    s.cpuCountPhysical = tick == 0 ? 0 : 2;
    s.cpuFreqMhz = 2400.5;
    s.cpuTemperatureC = tick == 0 ? kMissing : 55.25;
    s.loadAvg1 = 1.5 + t;
    s.loadAvg5 = 0.75;
    s.loadAvg15 = 0.125;
    s.memory = {
        8.0 * 1073741824, 3.5 * 1073741824 + 12345, 4.25 * 1073741824, 512.0 * 1048576 + 7, 56.25, 2.0 * 1073741824,
        100.0 * 1048576,  1948.0 * 1048576,         4.8828125};
    s.diskReadCount = 1000 + t;
    s.diskWriteCount = 2000;
    s.diskReadBytes = 4096.0 * 1000;
    s.diskWriteBytes = 4096.0 * 2000;
    s.diskReadBytesPerS = tick == 0 ? kMissing : 8192;
    s.diskWriteBytesPerS = tick == 0 ? kMissing : 1.5e6;
    s.diskReadCountPerS = tick == 0 ? kMissing : 2;
    s.diskWriteCountPerS = tick == 0 ? kMissing : 366.25;
    s.disks = {{"sda", 600, 1200, 2457600, 4915200, kMissing, kMissing},
               {"nvme0n1", 400 + t, 800, 1638400, 3276800, 100, 200}};
    s.netBytesSent = 1e9 + t;
    s.netBytesRecv = 2e9;
    s.netPacketsSent = 1e6;
    s.netPacketsRecv = 2e6;
    s.netSentBytesPerS = tick == 0 ? kMissing : 1000.5;
    s.netRecvBytesPerS = tick == 0 ? kMissing : 2000.25;
    s.netSentPacketsPerS = tick == 0 ? kMissing : 10;
    s.netRecvPacketsPerS = tick == 0 ? kMissing : 20;
    s.interfaces = {{"eth0", 1e9, 2e9, 1e6, 2e6, 1, 2, 3, 4, kMissing, 5.5},
                    {"wl\"an\\0", 10, 20, 30, 40, 0, 0, 0, 0, 1, 2}};
    s.uptime = 3600.5 + t;
    s.bootTime = 1699996399.75;
    GpuSample g0;
    g0.index = 0;
    g0.vendor = "nvidia";
    g0.name = "NVIDIA H200";
    g0.utilizationPercent = 87;
    g0.memoryUsedBytes = 40.0 * 1073741824;
    g0.memoryTotalBytes = 141.0 * 1073741824;
    g0.temperatureC = 61;
    GpuSample g1;
    g1.index = 1;
    g1.vendor = "amd";
    g1.name = "Radeon";
    g1.utilizationPercent = tick == 0 ? kMissing : 5;
    s.gpus = {g0, g1};
    s.filesystems = {{"/dev/sda1", "/", "ext4", 1e11, 4e10, 6e10, 40}};
    return s;
}

inline std::vector<ProcessSample> processSamples(int tick) {
    ProcessSample a;
    a.timestamp = 1700000000.5 + tick;
    a.pid = 4242;
    a.ppid = 1;
    a.name = "worker";
    a.cmdline = "python3 worker.py --jobs 4";
    a.status = "running";
    a.cpuPercent = tick == 0 ? kMissing : 150.5;
    a.memoryRssMb = 123.25;
    a.memoryVmsMb = 2048.5;
    a.numThreads = 9;
    a.createTime = 1699999000.5;
    a.ioReadBytes = 1e6 + tick;
    a.ioWriteBytes = 2e6;
    a.ioReadBytesPerS = tick == 0 ? kMissing : 1;
    a.ioWriteBytesPerS = tick == 0 ? kMissing : 0;
    a.numFds = 17;
    ProcessSample b;  // another user's process: no I/O, no fds
    b.timestamp = 1700000000.5 + tick;
    b.pid = 77;
    b.name = "postgres";
    b.cmdline = "postgres: writer";
    b.status = "sleeping";
    b.cpuPercent = 0.5;
    b.memoryRssMb = 64;
    b.memoryVmsMb = 512;
    b.numThreads = 1;
    b.createTime = 1699990000;
    return {a, b};
}

/** name → text of every output. */
inline std::vector<std::pair<std::string, std::string>> renderAll() {
    std::vector<std::pair<std::string, std::string>> out;
    Timeline timeline;
    TimelineWriter writer;
    for (int tick = 0; tick < 2; ++tick) {
        const SystemSample s = systemSample(tick);
        const std::vector<ProcessSample> procs = processSamples(tick);
        std::string json;
        serve::renderSnapshotJson(json, s, procs, serve::TickContext{"node-a", 7, 0.5, 0.001, 0.25, 3});
        out.emplace_back("api-" + std::to_string(tick) + ".json", json + "\n");
        serve::PrometheusWriter prom;
        serve::renderPrometheus(prom, s, nullptr, 100, procs, serve::TickContext{"node-a", 7, 0.5, 0.001, 0.25, 3});
        out.emplace_back("metrics-" + std::to_string(tick) + ".prom", prom.text());
        Snapshot snap;
        snap.system = s;
        snap.processCount = 2;
        out.emplace_back("snapshot-" + std::to_string(tick) + ".json", snapshotToJson(snap).dump(2) + "\n");
        writer.appendSystem(timeline, s);
        for (const auto& p : procs) writer.appendProcess(timeline, p);
    }
    out.emplace_back("system.csv", systemSamplesCsv(timeline));
    out.emplace_back("process.csv", processSamplesCsv(timeline));
    out.emplace_back("timeline.json", timelineToText(timeline));
    Timeline pyperfOnly;
    TimelineWriter plain(false, false);
    for (int tick = 0; tick < 2; ++tick) {
        plain.appendSystem(pyperfOnly, systemSample(tick));
        for (const auto& p : processSamples(tick)) plain.appendProcess(pyperfOnly, p);
    }
    out.emplace_back("timeline-pyperf.json", timelineToText(pyperfOnly));
    // The PromQL of a Prometheus import, for both exporters and both process filters.
    std::string promql;
    const fleet::QueryWindows windows{4, 2};
    auto list = [&](const char* what, const std::vector<fleet::ColumnQuery>& queries) {
        promql += std::string("# ") + what + "\n";
        for (const auto& q : queries) promql += q.column + "\t" + q.splitLabel + "\t" + q.expr + "\n";
    };
    list("loadline", fleet::systemQueries(fleet::NodeSource::Loadline, "h:8080", windows));
    list("node_exporter", fleet::systemQueries(fleet::NodeSource::NodeExporter, "h:9100", windows));
    list("processes", fleet::processQueries("h:8080", {}, windows));
    fleet::ProcessFilter filter;
    filter.pids = {42};
    filter.namePatterns = {"py.*"};
    list("processes filtered", fleet::processQueries("h:8080", filter, windows));
    out.emplace_back("promql.txt", promql);
    // Alert metric names, their bounds and their PromQL over /metrics.
    std::string alerts;
    for (auto scope : {alert::MetricScope::System, alert::MetricScope::Process}) {
        const auto names =
            scope == alert::MetricScope::System ? alert::knownSystemMetrics() : alert::knownProcessMetrics();
        for (std::string name : names) {
            if (name.ends_with("[i]")) name = name.substr(0, name.size() - 3) + "[1]";
            const auto expr = alert::prometheusExpression(name, scope, {"pid", "42"});
            alerts += name + "\t" + (alert::isMetric(name, scope) ? "metric" : "-") + "\t" +
                      (alert::isBoundedPercent(name, scope) ? "bounded" : "-") + "\t" + expr.value_or("-") + "\n";
        }
        alerts += "--\n";
    }
    out.emplace_back("alert.txt", alerts);
    return out;
}

}  // namespace metricsoutputs
