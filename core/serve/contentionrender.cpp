#include "core/serve/contentionrender.h"

#include <charconv>
#include <cmath>
#include <string_view>

namespace loadline::core::serve {

namespace {

bool finite(double v) { return std::isfinite(v); }

void pressureJson(JsonWriter& w, const PressureSample& p) {
    for (int r = 0; r < kPressureResources; ++r) {
        const auto i = static_cast<std::size_t>(r);
        if (!finite(p.someTotalSeconds[i])) continue;
        w.key(pressureResourceName(r)).beginObject();
        w.field("some_percent", p.somePercent[i]).field("some_avg10", p.someAvg10[i]);
        w.field("some_total_seconds", p.someTotalSeconds[i]);
        if (finite(p.fullTotalSeconds[i]))
            w.field("full_percent", p.fullPercent[i]).field("full_total_seconds", p.fullTotalSeconds[i]);
        w.endObject();
    }
}

void cgroupJson(JsonWriter& w, const CgroupSample& c) {
    w.key("cgroup").beginObject();
    w.field("path", std::string_view(c.path));
    w.field("cpu_percent", c.cpuPercent).field("usage_seconds", c.usageSeconds);
    if (finite(c.nrThrottled)) {
        w.field("throttled_periods_percent", c.throttledPeriodsPercent).field("throttled_ms_per_s", c.throttledMsPerS);
        w.field("nr_throttled", c.nrThrottled).field("throttled_seconds", c.throttledSeconds);
    }
    if (finite(c.memoryCurrentBytes)) w.field("memory_current_bytes", c.memoryCurrentBytes);
    if (finite(c.memoryMaxBytes)) w.field("memory_max_bytes", c.memoryMaxBytes);
    if (c.pressure.any()) {
        w.key("pressure").beginObject();
        pressureJson(w, c.pressure);
        w.endObject();
    }
    w.endObject();
}

}  // namespace

void renderContentionJson(JsonWriter& w, const SystemSample& s) {
    if (s.pressure.any()) {
        w.key("pressure").beginObject();
        pressureJson(w, s.pressure);
        w.endObject();
    }
    if (!s.cgroup.path.empty()) cgroupJson(w, s.cgroup);
}

void renderProcessContentionJson(JsonWriter& w, const ProcessSample& p) {
    if (finite(p.sched.runQueueWaitSeconds))
        w.field("run_queue_wait_percent", p.sched.runQueueWaitPercent)
            .field("run_queue_wait_seconds", p.sched.runQueueWaitSeconds);
    if (finite(p.sched.nonvoluntarySwitches))
        w.field("nonvoluntary_switches_per_s", p.sched.nonvoluntarySwitchesPerS)
            .field("nonvoluntary_switches", p.sched.nonvoluntarySwitches);
    if (!p.cgroup.path.empty()) cgroupJson(w, p.cgroup);
}

void renderContentionPrometheus(PrometheusWriter& w, const SystemSample& s, std::span<const ProcessSample> processes) {
    // --- system PSI (node_exporter's node_pressure_*) ---
    static constexpr const char* kWaiting[] = {"loadline_pressure_cpu_waiting_seconds_total",
                                               "loadline_pressure_memory_waiting_seconds_total",
                                               "loadline_pressure_io_waiting_seconds_total"};
    static constexpr const char* kStalled[] = {nullptr, "loadline_pressure_memory_stalled_seconds_total",
                                               "loadline_pressure_io_stalled_seconds_total"};
    static constexpr const char* kWaitingHelp[] = {
        "Seconds in which at least one task waited for a CPU (/proc/pressure/cpu some total).",
        "Seconds in which at least one task stalled on memory (/proc/pressure/memory some total).",
        "Seconds in which at least one task stalled on I/O (/proc/pressure/io some total)."};
    static constexpr const char* kStalledHelp[] = {
        nullptr, "Seconds in which all non-idle tasks stalled on memory (/proc/pressure/memory full total).",
        "Seconds in which all non-idle tasks stalled on I/O (/proc/pressure/io full total)."};
    for (std::size_t r = 0; r < kPressureResources; ++r) {
        if (finite(s.pressure.someTotalSeconds[r])) {
            w.family(kWaiting[r], kWaitingHelp[r], "counter");
            w.sample(s.pressure.someTotalSeconds[r]);
        }
        if (kStalled[r] && finite(s.pressure.fullTotalSeconds[r])) {
            w.family(kStalled[r], kStalledHelp[r], "counter");
            w.sample(s.pressure.fullTotalSeconds[r]);
        }
    }

    // --- tracked processes ---
    char pidBuf[16];
    auto pidText = [&](int pid) {
        auto res = std::to_chars(pidBuf, pidBuf + sizeof pidBuf, pid);
        return std::string_view(pidBuf, static_cast<std::size_t>(res.ptr - pidBuf));
    };
    struct PF {
        const char* name;
        const char* help;
        double SchedSample::*field;
    };
    static constexpr PF kProc[] = {
        {"loadline_process_run_queue_wait_seconds_total",
         "Seconds the tracked process's main thread was runnable but waiting for a CPU (/proc/PID/schedstat).",
         &SchedSample::runQueueWaitSeconds},
        {"loadline_process_nonvoluntary_context_switches_total",
         "Times the tracked process's main thread was preempted (/proc/PID/status).",
         &SchedSample::nonvoluntarySwitches}};
    for (const auto& f : kProc) {
        bool any = false;
        for (const auto& p : processes) any = any || finite(p.sched.*f.field);
        if (!any) continue;
        w.family(f.name, f.help, "counter");
        for (const auto& p : processes)
            if (finite(p.sched.*f.field)) w.sample(p.sched.*f.field, {{"name", p.name}, {"pid", pidText(p.pid)}});
    }

    // --- cgroups: --cgroup's and each tracked process's (once per path) ---
    auto forEachCgroup = [&](auto&& fn) {
        if (!s.cgroup.path.empty()) fn(s.cgroup);
        for (std::size_t i = 0; i < processes.size(); ++i) {
            const CgroupSample& c = processes[i].cgroup;
            if (c.path.empty() || c.path == s.cgroup.path) continue;
            bool seen = false;
            for (std::size_t j = 0; j < i && !seen; ++j) seen = processes[j].cgroup.path == c.path;
            if (!seen) fn(c);
        }
    };
    auto cgroupFamily = [&](const char* name, const char* help, const char* type, auto get) {
        bool any = false;
        forEachCgroup([&](const CgroupSample& c) { any = any || finite(get(c)); });
        if (!any) return;
        w.family(name, help, type);
        forEachCgroup([&](const CgroupSample& c) {
            if (finite(get(c))) w.sample(get(c), {{"cgroup", c.path}});
        });
    };
    cgroupFamily("loadline_cgroup_cpu_usage_seconds_total", "CPU seconds used by the cgroup (cpu.stat usage_usec).",
                 "counter", [](const CgroupSample& c) { return c.usageSeconds; });
    cgroupFamily("loadline_cgroup_cpu_cfs_throttled_periods_total",
                 "cpu.max periods in which the cgroup used up its quota (cpu.stat nr_throttled).", "counter",
                 [](const CgroupSample& c) { return c.nrThrottled; });
    cgroupFamily("loadline_cgroup_cpu_cfs_throttled_seconds_total",
                 "Seconds the cgroup's tasks were throttled by cpu.max (cpu.stat throttled_usec).", "counter",
                 [](const CgroupSample& c) { return c.throttledSeconds; });
    cgroupFamily("loadline_cgroup_memory_usage_bytes", "Memory charged to the cgroup (memory.current).", "gauge",
                 [](const CgroupSample& c) { return c.memoryCurrentBytes; });
    cgroupFamily("loadline_cgroup_memory_limit_bytes", "The cgroup's memory limit (memory.max; absent when 'max').",
                 "gauge", [](const CgroupSample& c) { return c.memoryMaxBytes; });
    static constexpr const char* kCgWaiting[] = {"loadline_cgroup_pressure_cpu_waiting_seconds_total",
                                                 "loadline_cgroup_pressure_memory_waiting_seconds_total",
                                                 "loadline_cgroup_pressure_io_waiting_seconds_total"};
    static constexpr const char* kCgStalled[] = {"loadline_cgroup_pressure_cpu_stalled_seconds_total",
                                                 "loadline_cgroup_pressure_memory_stalled_seconds_total",
                                                 "loadline_cgroup_pressure_io_stalled_seconds_total"};
    for (std::size_t r = 0; r < kPressureResources; ++r) {
        cgroupFamily(kCgWaiting[r],
                     "Seconds in which at least one of the cgroup's tasks stalled (<resource>.pressure some total).",
                     "counter", [r](const CgroupSample& c) { return c.pressure.someTotalSeconds[r]; });
        cgroupFamily(kCgStalled[r],
                     "Seconds in which all of the cgroup's non-idle tasks stalled (<resource>.pressure full total).",
                     "counter", [r](const CgroupSample& c) { return c.pressure.fullTotalSeconds[r]; });
    }
}

}  // namespace loadline::core::serve
