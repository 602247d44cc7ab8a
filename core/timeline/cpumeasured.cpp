#include "core/timeline/cpumeasured.h"

#include <cmath>
#include <cstdio>

namespace loadline::core {

CpuMeasurement detectUnmeasuredCpu(const Timeline& timeline) {
    CpuMeasurement out;
    double peak = -1;
    if (const int c = timeline.system.columnIndex(col::kCpuPercent); c >= 0) {
        for (std::size_t r = 0; r < timeline.system.size(); ++r)
            if (const double v = timeline.system.value(c, r); v > peak) peak = v;  // NaN compares false
    }
    if (peak >= 0) out.systemPeak = peak;
    for (const auto& [key, value] : timeline.metadata.extra)
        if (key == kRecorderKey && value == kRecorderLoadline) return out;  // measured by loadline
    std::vector<int> zeroOnly;
    for (const auto& [pid, series] : timeline.processes) {
        const SeriesTable& s = series.samples;
        const int c = s.columnIndex(col::kCpuPercent);
        if (c < 0) continue;  // no CPU column at all: nothing claims a value
        bool anyZero = false;
        for (std::size_t r = 0; r < s.size(); ++r) {
            const double x = s.value(c, r);
            if (std::isnan(x)) continue;
            if (x != 0.0) return out;  // some process has real readings: the recorder measures CPU
            anyZero = true;
        }
        if (anyZero) zeroOnly.push_back(pid);
    }
    if (!(peak >= kCpuShowsLoadPercent)) return out;  // an idle machine: zeros are plausible
    out.unmeasured.insert(zeroOnly.begin(), zeroOnly.end());
    return out;
}

std::vector<std::string> cpuMeasurementWarnings(const Timeline& timeline, const CpuMeasurement& m) {
    std::vector<std::string> out;
    for (int pid : m.unmeasured) {
        std::string name;
        if (auto it = timeline.processes.find(pid); it != timeline.processes.end())
            name = std::string(it->second.latestText(col::kName));
        char buf[512];
        std::snprintf(buf, sizeof buf,
                      "process %d%s%s%s: CPU not measured: every cpu_percent sample is 0.0 while the "
                      "system's CPU reached %.0f %% (py-perf reads psutil's cpu_percent() on a new "
                      "psutil.Process each tick, and that first reading is always 0.0); its CPU is "
                      "not drawn, processes are ranked by memory",
                      pid, name.empty() ? "" : " (", name.c_str(), name.empty() ? "" : ")", m.systemPeak);
        out.emplace_back(buf);
    }
    return out;
}

}  // namespace loadline::core
