#pragma once
// Synthetic recordings for the chart benchmarks: worst-case noisy CPU (every sample differs
// from its neighbour), 0.5 s apart, one tracked process, 8 cores.
#include <cmath>
#include <memory>
#include <random>
#include <string>

#include "core/timeline/timeline.h"

namespace loadline::bench {

inline std::shared_ptr<core::Timeline> syntheticTimeline(std::size_t samples, double start = 1700000000.0) {
    auto tl = std::make_shared<core::Timeline>();
    tl->metadata.sampleInterval = 0.5;
    tl->metadata.platform = "Linux";
    auto& sys = tl->system;
    const int cpu = sys.ensureColumn(core::col::kCpuPercent);
    const int mem = sys.ensureColumn(core::col::kMemoryPercent);
    const int avail = sys.ensureColumn(core::col::kMemoryAvailableMb);
    std::vector<int> cores;
    for (int c = 0; c < 8; ++c) cores.push_back(sys.ensureColumn("cpu_percent_per_core[" + std::to_string(c) + "]"));
    auto& p = tl->process(4242).samples;
    const int pcpu = p.ensureColumn(core::col::kCpuPercent);
    const int rss = p.ensureColumn(core::col::kMemoryRssMb);
    const int name = p.ensureColumn(core::col::kName, true);
    sys.reserve(samples);
    p.reserve(samples);
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> noise(-1, 1);
    for (std::size_t i = 0; i < samples; ++i) {
        const double t = start + 0.5 * static_cast<double>(i);
        const double wave = 45 + 30 * std::sin(static_cast<double>(i) / 900.0);
        const double load = std::clamp(wave + 25 * noise(rng), 0.0, 100.0);
        sys.appendRow(t);
        sys.setLast(cpu, load);
        sys.setLast(mem, 55 + 10 * std::sin(static_cast<double>(i) / 5000.0));
        sys.setLast(avail, 7000);
        for (int c : cores) sys.setLast(c, load);
        p.appendRow(t);
        p.setLast(pcpu, std::clamp(load * 8 * 0.4 + 60 * noise(rng), 0.0, 800.0));
        p.setLast(rss, 900 + 300 * std::sin(static_cast<double>(i) / 3000.0));
        p.setLastText(name, "python3");
    }
    return tl;
}

}  // namespace loadline::bench
