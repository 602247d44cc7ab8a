#include "core/serve/snapshotrender.h"

#include <charconv>
#include <cmath>

#include <sys/utsname.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/serve/contentionrender.h"
#include "core/serve/jsonwriter.h"

namespace loadline::core::serve {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Small integer to text without allocating.
struct IntText {
    char buf[24];
    std::string_view view;
    explicit IntText(long long v) {
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        view = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
    }
};

bool finite(double v) { return std::isfinite(v); }

}  // namespace

void renderSnapshotJson(std::string& out, const SystemSample& s, std::span<const ProcessSample> processes,
                        const TickContext& ctx) {
    JsonWriter w(out);
    w.beginObject();
    w.field("node_id", ctx.nodeId).field("timestamp", s.timestamp);

    w.key("cpu").beginObject();
    w.field("percent", s.cpuPercent);
    w.key("per_core").beginArray();
    for (double v : s.cpuPercentPerCore) w.value(v);
    w.endArray();
    w.field("count_logical", s.cpuCountLogical).field("count_physical", s.cpuCountPhysical);
    w.field("frequency_mhz", s.cpuFreqMhz).field("temperature_c", s.cpuTemperatureC);
    w.key("load_avg").beginArray().value(s.loadAvg1).value(s.loadAvg5).value(s.loadAvg15).endArray();
    w.endObject();

    const auto& m = s.memory;
    w.key("memory").beginObject();
    w.field("total", m.total).field("available", m.available).field("used", m.used).field("free", m.free);
    w.field("percent", m.percent);
    w.endObject();
    w.key("swap").beginObject();
    w.field("total", m.swapTotal).field("used", m.swapUsed).field("free", m.swapFree).field("percent", m.swapPercent);
    w.endObject();

    w.key("disk").beginObject();
    w.field("read_bytes", s.diskReadBytes).field("write_bytes", s.diskWriteBytes);
    w.field("read_count", s.diskReadCount).field("write_count", s.diskWriteCount);
    w.field("read_bytes_per_s", s.diskReadBytesPerS).field("write_bytes_per_s", s.diskWriteBytesPerS);
    w.field("read_count_per_s", s.diskReadCountPerS).field("write_count_per_s", s.diskWriteCountPerS);
    w.key("devices").beginArray();
    for (const auto& d : s.disks) {
        w.beginObject().field("name", std::string_view(d.name));
        w.field("read_bytes", d.readBytes).field("write_bytes", d.writeBytes);
        w.field("read_count", d.readCount).field("write_count", d.writeCount);
        w.field("read_bytes_per_s", d.readBytesPerS).field("write_bytes_per_s", d.writeBytesPerS);
        w.endObject();
    }
    w.endArray().endObject();

    w.key("network").beginObject();
    w.field("bytes_sent", s.netBytesSent).field("bytes_recv", s.netBytesRecv);
    w.field("packets_sent", s.netPacketsSent).field("packets_recv", s.netPacketsRecv);
    w.field("sent_bytes_per_s", s.netSentBytesPerS).field("recv_bytes_per_s", s.netRecvBytesPerS);
    w.key("interfaces").beginArray();
    for (const auto& n : s.interfaces) {
        w.beginObject().field("name", std::string_view(n.name));
        w.field("bytes_sent", n.bytesSent).field("bytes_recv", n.bytesRecv);
        w.field("packets_sent", n.packetsSent).field("packets_recv", n.packetsRecv);
        w.field("errors_in", n.errorsIn).field("errors_out", n.errorsOut);
        w.field("drops_in", n.dropsIn).field("drops_out", n.dropsOut);
        w.field("sent_bytes_per_s", n.sentBytesPerS).field("recv_bytes_per_s", n.recvBytesPerS);
        w.endObject();
    }
    w.endArray().endObject();

    w.key("gpus").beginArray();
    for (const auto& g : s.gpus) {
        w.beginObject().field("index", g.index).field("vendor", std::string_view(g.vendor));
        w.field("name", std::string_view(g.name)).field("utilization_percent", g.utilizationPercent);
        w.field("memory_used_bytes", g.memoryUsedBytes).field("memory_total_bytes", g.memoryTotalBytes);
        w.field("temperature_c", g.temperatureC);
        w.endObject();
    }
    w.endArray();
    w.field("uptime", s.uptime).field("boot_time", s.bootTime);

    w.key("processes").beginArray();
    for (const auto& p : processes) {
        w.beginObject();
        w.field("timestamp", p.timestamp).field("pid", p.pid).field("name", std::string_view(p.name));
        w.field("cpu_percent", p.cpuPercent).field("memory_rss_mb", p.memoryRssMb).field("memory_vms_mb", p.memoryVmsMb);
        w.field("num_threads", p.numThreads).field("status", p.status).field("create_time", p.createTime);
        if (!ctx.cmdline) w.field("cmdline", std::string_view(p.cmdline));
        else if (ctx.cmdline->mode() != CmdlineMode::Omit) w.field("cmdline", ctx.cmdline->apply(p.pid, p.cmdline));
        w.field("io_read_bytes", p.ioReadBytes).field("io_write_bytes", p.ioWriteBytes).field("num_fds", p.numFds);
        renderProcessContentionJson(w, p);
        w.endObject();
    }
    w.endArray();
    renderContentionJson(w, s);

    w.key("sampler").beginObject();
    w.field("tick", ctx.tick).field("interval", ctx.interval);
    w.field("lateness_seconds", ctx.latenessSeconds).field("max_lateness_seconds", ctx.maxLatenessSeconds);
    w.field("missed_ticks", ctx.missedTicks);
    w.endObject();
    w.endObject();
}

void renderPrometheus(PrometheusWriter& w, const SystemSample& s, const ProcStat* cpuTimes, double ticksPerSecond,
                      std::span<const ProcessSample> processes, const TickContext& ctx) {
    auto gauge = [&](const char* name, const char* help, double v) {
        if (!finite(v)) return;
        w.family(name, help, "gauge");
        w.sample(v);
    };

    // --- CPU (node_exporter: node_cpu_seconds_total{cpu,mode}, node_load1) ---
    if (cpuTimes && ticksPerSecond > 0 && !cpuTimes->perCpu.empty()) {
        w.family("loadline_cpu_seconds_total", "Seconds the CPUs spent in each mode (/proc/stat).", "counter");
        for (std::size_t i = 0; i < cpuTimes->perCpu.size(); ++i) {
            if (i < cpuTimes->online.size() && !cpuTimes->online[i]) continue;
            const CpuTimes& t = cpuTimes->perCpu[i];
            IntText cpu(static_cast<long long>(i));
            const std::pair<const char*, std::uint64_t> modes[] = {
                {"user", t.user}, {"nice", t.nice}, {"system", t.system}, {"idle", t.idle},
                {"iowait", t.iowait}, {"irq", t.irq}, {"softirq", t.softirq}, {"steal", t.steal}};
            for (const auto& [mode, ticks] : modes)
                w.sample(static_cast<double>(ticks) / ticksPerSecond, {{"cpu", cpu.view}, {"mode", mode}});
        }
    }
    gauge("loadline_cpu_usage_percent", "CPU busy percent of all CPUs since the previous tick (psutil.cpu_percent).",
          s.cpuPercent);
    if (!s.cpuPercentPerCore.empty()) {
        w.family("loadline_cpu_core_usage_percent", "CPU busy percent of each CPU since the previous tick.", "gauge");
        for (std::size_t i = 0; i < s.cpuPercentPerCore.size(); ++i)
            if (finite(s.cpuPercentPerCore[i]))
                w.sample(s.cpuPercentPerCore[i], {{"cpu", IntText(static_cast<long long>(i)).view}});
    }
    gauge("loadline_cpus_logical", "Online logical CPUs.", s.cpuCountLogical);
    if (s.cpuCountPhysical > 0) gauge("loadline_cpus_physical", "Physical CPU cores.", s.cpuCountPhysical);
    gauge("loadline_cpu_frequency_hertz", "Mean current CPU frequency.", s.cpuFreqMhz * 1e6);
    gauge("loadline_cpu_temperature_celsius", "CPU temperature.", s.cpuTemperatureC);
    gauge("loadline_load1", "1-minute load average.", s.loadAvg1);
    gauge("loadline_load5", "5-minute load average.", s.loadAvg5);
    gauge("loadline_load15", "15-minute load average.", s.loadAvg15);

    // --- memory (psutil's Linux definitions) ---
    const auto& m = s.memory;
    gauge("loadline_memory_total_bytes", "Total physical memory (MemTotal).", m.total);
    gauge("loadline_memory_available_bytes", "Memory available without swapping (MemAvailable).", m.available);
    gauge("loadline_memory_used_bytes", "Used memory (psutil: total - free - buffers - cache).", m.used);
    gauge("loadline_memory_free_bytes", "Free memory (MemFree).", m.free);
    gauge("loadline_memory_used_percent", "Memory in use, percent (psutil virtual_memory().percent).", m.percent);
    gauge("loadline_swap_total_bytes", "Total swap.", m.swapTotal);
    gauge("loadline_swap_used_bytes", "Used swap.", m.swapUsed);
    gauge("loadline_swap_free_bytes", "Free swap.", m.swapFree);

    // --- disks (node_disk_*) ---
    if (!s.disks.empty()) {
        struct F { const char* name; const char* help; double DiskDeviceSample::*field; };
        const F fs[] = {{"loadline_disk_read_bytes_total", "Bytes read from each disk.", &DiskDeviceSample::readBytes},
                        {"loadline_disk_written_bytes_total", "Bytes written to each disk.", &DiskDeviceSample::writeBytes},
                        {"loadline_disk_reads_completed_total", "Reads completed on each disk.", &DiskDeviceSample::readCount},
                        {"loadline_disk_writes_completed_total", "Writes completed on each disk.", &DiskDeviceSample::writeCount}};
        for (const auto& f : fs) {
            w.family(f.name, f.help, "counter");
            for (const auto& d : s.disks) w.sample(d.*f.field, {{"device", d.name}});
        }
    }
    // --- network (node_network_*) ---
    if (!s.interfaces.empty()) {
        struct F { const char* name; const char* help; double NetInterfaceSample::*field; };
        const F fs[] = {
            {"loadline_network_receive_bytes_total", "Bytes received on each interface.", &NetInterfaceSample::bytesRecv},
            {"loadline_network_transmit_bytes_total", "Bytes sent on each interface.", &NetInterfaceSample::bytesSent},
            {"loadline_network_receive_packets_total", "Packets received on each interface.", &NetInterfaceSample::packetsRecv},
            {"loadline_network_transmit_packets_total", "Packets sent on each interface.", &NetInterfaceSample::packetsSent},
            {"loadline_network_receive_errs_total", "Receive errors on each interface.", &NetInterfaceSample::errorsIn},
            {"loadline_network_transmit_errs_total", "Transmit errors on each interface.", &NetInterfaceSample::errorsOut},
            {"loadline_network_receive_drop_total", "Received packets dropped on each interface.", &NetInterfaceSample::dropsIn},
            {"loadline_network_transmit_drop_total", "Sent packets dropped on each interface.", &NetInterfaceSample::dropsOut}};
        for (const auto& f : fs) {
            w.family(f.name, f.help, "counter");
            for (const auto& n : s.interfaces) w.sample(n.*f.field, {{"device", n.name}});
        }
    }
    gauge("loadline_boot_time_seconds", "Boot time, seconds since the epoch.", s.bootTime);
    gauge("loadline_uptime_seconds", "Seconds since boot.", s.uptime);

    // --- GPUs ---
    if (!s.gpus.empty()) {
        struct F { const char* name; const char* help; double GpuSample::*field; };
        const F fs[] = {{"loadline_gpu_utilization_percent", "GPU utilisation.", &GpuSample::utilizationPercent},
                        {"loadline_gpu_memory_used_bytes", "GPU memory in use.", &GpuSample::memoryUsedBytes},
                        {"loadline_gpu_memory_total_bytes", "GPU memory.", &GpuSample::memoryTotalBytes},
                        {"loadline_gpu_temperature_celsius", "GPU temperature.", &GpuSample::temperatureC}};
        for (const auto& f : fs) {
            bool any = false;
            for (const auto& g : s.gpus) any = any || finite(g.*f.field);
            if (!any) continue;
            w.family(f.name, f.help, "gauge");
            for (const auto& g : s.gpus)
                if (finite(g.*f.field))
                    w.sample(g.*f.field, {{"gpu", IntText(g.index).view}, {"vendor", g.vendor}, {"name", g.name}});
        }
    }

    // --- tracked processes (process-exporter's families, one series per tracked PID) ---
    if (!processes.empty()) {
        struct F { const char* name; const char* help; const char* type; double ProcessSample::*field; double scale; };
        const F fs[] = {
            {"loadline_process_cpu_percent", "CPU use of a tracked process (100 = one core).", "gauge",
             &ProcessSample::cpuPercent, 1},
            {"loadline_process_resident_memory_bytes", "Resident set size of a tracked process.", "gauge",
             &ProcessSample::memoryRssMb, kMiB},
            {"loadline_process_virtual_memory_bytes", "Virtual memory size of a tracked process.", "gauge",
             &ProcessSample::memoryVmsMb, kMiB},
            {"loadline_process_num_threads", "Threads of a tracked process.", "gauge", &ProcessSample::numThreads, 1},
            {"loadline_process_open_filedesc", "Open file descriptors of a tracked process.", "gauge",
             &ProcessSample::numFds, 1},
            {"loadline_process_read_bytes_total", "Bytes a tracked process read from storage.", "counter",
             &ProcessSample::ioReadBytes, 1},
            {"loadline_process_write_bytes_total", "Bytes a tracked process wrote to storage.", "counter",
             &ProcessSample::ioWriteBytes, 1},
            {"loadline_process_start_time_seconds", "Start time of a tracked process, seconds since the epoch.", "gauge",
             &ProcessSample::createTime, 1}};
        for (const auto& f : fs) {
            bool any = false;
            for (const auto& p : processes) any = any || finite(p.*f.field);
            if (!any) continue;
            w.family(f.name, f.help, f.type);
            for (const auto& p : processes)
                if (finite(p.*f.field))
                    w.sample(p.*f.field * f.scale, {{"name", p.name}, {"pid", IntText(p.pid).view}});
        }
        // node_exporter-style info metric: the command line as a label (masked or left out per
        // --redact-cmdline / --no-cmdline), so dashboards can tell processes of one name apart.
        w.family("loadline_process_info", "A tracked process: its name and command line (value always 1).", "gauge");
        for (const auto& p : processes) {
            if (ctx.cmdline && ctx.cmdline->mode() == CmdlineMode::Omit) {
                w.sample(1, {{"name", p.name}, {"pid", IntText(p.pid).view}});
            } else {
                const std::string_view cmd = ctx.cmdline ? ctx.cmdline->apply(p.pid, p.cmdline) : std::string_view(p.cmdline);
                w.sample(1, {{"name", p.name}, {"pid", IntText(p.pid).view}, {"cmdline", cmd}});
            }
        }
    }

    renderContentionPrometheus(w, s, processes);

    // --- the sampler itself ---
    gauge("loadline_sampler_interval_seconds", "Configured seconds between samples.", ctx.interval);
    gauge("loadline_sampler_tick_lateness_seconds", "How late the last tick ran against its schedule.",
          ctx.latenessSeconds);
    gauge("loadline_sampler_tick_lateness_max_seconds", "Worst tick lateness since start.", ctx.maxLatenessSeconds);
    w.family("loadline_sampler_missed_ticks_total", "Schedule points skipped because a tick overran its period.",
             "counter");
    w.sample(static_cast<double>(ctx.missedTicks));
}

std::string cpuModelFromCpuInfo(std::string_view text) {
    std::string fallback;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        std::string_view line = text.substr(pos, e - pos);
        pos = e + 1;
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view k = line.substr(0, colon);
        while (!k.empty() && (k.back() == ' ' || k.back() == '\t')) k.remove_suffix(1);
        std::string_view v = line.substr(colon + 1);
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        if (v.empty()) continue;
        if (k == "model name") return std::string(v);
        if (fallback.empty() && (k == "Hardware" || k == "Processor" || k == "cpu model" || k == "uarch"))
            fallback = std::string(v);
    }
    return fallback;
}

std::string renderSystemInfoJson(const SystemSample& s, std::string_view nodeId, std::string_view cpuInfoText) {
    using json = nlohmann::json;
    auto num = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
    utsname u{};
    ::uname(&u);
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    std::string model = cpuModelFromCpuInfo(cpuInfoText);
    json gpus = json::array();
    for (const auto& g : s.gpus)
        gpus.push_back({{"index", g.index}, {"vendor", g.vendor}, {"name", g.name},
                        {"memory_total_bytes", num(g.memoryTotalBytes)}});
    json ifaces = json::array();
    for (const auto& n : s.interfaces) ifaces.push_back(n.name);
    std::string clean;
    auto utf8 = [&clean](std::string_view v) {
        clean.clear();
        appendUtf8Sanitized(clean, v);
        return clean;
    };
    json j = {{"node_id", utf8(nodeId)},
              {"hostname", utf8(host)},
              {"platform", utf8(u.sysname)},
              {"platform_release", utf8(u.release)},
              {"architecture", utf8(u.machine)},
              {"cpu_model", model.empty() ? json(nullptr) : json(utf8(model))},
              {"cpu_count_logical", s.cpuCountLogical},
              {"cpu_count_physical", s.cpuCountPhysical > 0 ? json(s.cpuCountPhysical) : json(nullptr)},
              {"memory_total_bytes", num(s.memory.total)},
              {"swap_total_bytes", num(s.memory.swapTotal)},
              {"gpus", std::move(gpus)},
              {"gpu_count", s.gpus.size()},
              {"network_interfaces", std::move(ifaces)},
              {"boot_time", num(s.bootTime)},
              {"loadline_version", LOADLINE_VERSION}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace loadline::core::serve
