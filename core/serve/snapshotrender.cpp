#include "core/serve/snapshotrender.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

#include <sys/utsname.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/format/jsonnumber.h"
#include "core/serve/contentionrender.h"
#include "core/serve/jsonwriter.h"

namespace loadline::core::serve {

namespace {

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

namespace {

using metrics::Index;
using metrics::Metric;

int orderOf(int rank) { return rank > 0 ? rank : 1 << 20; }

// One value of the snapshot document: its key inside its object, and its element when it is
// one element of a fixed array ("cpu.load_avg[0]").
struct JsonItem {
    const Metric* metric;
    std::string_view key;
    int element = -1;
};

void sortItems(std::vector<JsonItem>& items) {
    std::stable_sort(items.begin(), items.end(), [](const JsonItem& a, const JsonItem& b) {
        return orderOf(a.metric->apiRank) < orderOf(b.metric->apiRank);
    });
}

// The snapshot document's layout, worked out once from a metric table (Metric::apiPath):
// sections (JSON objects) in the order of their first metric, the per-device arrays, and the
// top-level values.
struct JsonLayout {
    struct Section {
        std::string_view name;
        std::vector<JsonItem> items;
    };
    std::vector<Section> sections;
    std::vector<JsonItem> top, disks, interfaces, gpus, process;

    JsonLayout(std::span<const Metric> system, std::span<const Metric> processTable) {
        for (const Metric& m : system) {
            if (!m.apiPath || !m.readSystem) continue;
            const std::string_view path = m.apiPath;
            if (m.index == Index::Disk) {
                disks.push_back({&m, path});
                continue;
            }
            if (m.index == Index::Interface) {
                interfaces.push_back({&m, path});
                continue;
            }
            if (m.index == Index::Gpu) {
                gpus.push_back({&m, path});
                continue;
            }
            const auto dot = path.find('.');
            JsonItem item{&m, dot == std::string_view::npos ? path : path.substr(dot + 1)};
            if (const auto open = item.key.find('['); open != std::string_view::npos) {
                item.element = std::atoi(item.key.data() + open + 1);
                item.key = item.key.substr(0, open);
            }
            if (dot == std::string_view::npos) {
                top.push_back(item);
                continue;
            }
            const std::string_view section = path.substr(0, dot);
            auto it =
                std::find_if(sections.begin(), sections.end(), [&](const Section& x) { return x.name == section; });
            if (it == sections.end()) it = sections.insert(sections.end(), Section{section, {}});
            it->items.push_back(item);
        }
        for (auto& x : sections) sortItems(x.items);
        for (auto* v : {&top, &disks, &interfaces, &gpus}) sortItems(*v);
        for (const Metric& m : processTable)
            if (m.apiPath && m.readProcess) process.push_back({&m, m.apiPath});
        sortItems(process);
    }
};

const JsonLayout& registryLayout() {
    static const JsonLayout layout(metrics::systemMetrics(), metrics::processMetrics());
    return layout;
}

void writeNumber(JsonWriter& w, const Metric& m, double v) {
    if (m.has(metrics::kInteger)) w.value(static_cast<std::int64_t>(v));
    else w.value(v);
}

// Values of one object; consecutive elements of a fixed array are written as that array.
void writeItems(JsonWriter& w, const std::vector<JsonItem>& items, const SystemSample& s, std::size_t element = 0) {
    for (std::size_t j = 0; j < items.size();) {
        const JsonItem& it = items[j];
        w.key(it.key);
        if (it.metric->index == Index::Cpu) {
            w.beginArray();
            for (std::size_t i = 0; i < s.cpuPercentPerCore.size(); ++i)
                writeNumber(w, *it.metric, it.metric->read(s, i));
            w.endArray();
            ++j;
        } else if (it.element >= 0) {
            w.beginArray();
            for (; j < items.size() && items[j].element >= 0 && items[j].key == it.key; ++j)
                writeNumber(w, *items[j].metric, items[j].metric->read(s, element));
            w.endArray();
        } else {
            writeNumber(w, *it.metric, it.metric->read(s, element));
            ++j;
        }
    }
}

void writeMetricsJson(JsonWriter& w, const JsonLayout& layout, const SystemSample& s) {
    for (const auto& section : layout.sections) {
        w.key(section.name).beginObject();
        writeItems(w, section.items, s);
        // The per-device arrays sit at the end of their section.
        const bool disk = section.name == "disk", network = section.name == "network";
        if (disk || network) {
            w.key(disk ? "devices" : "interfaces").beginArray();
            const std::size_t n = disk ? s.disks.size() : s.interfaces.size();
            for (std::size_t i = 0; i < n; ++i) {
                w.beginObject().field("name", std::string_view(disk ? s.disks[i].name : s.interfaces[i].name));
                writeItems(w, disk ? layout.disks : layout.interfaces, s, i);
                w.endObject();
            }
            w.endArray();
        }
        w.endObject();
    }
    w.key("gpus").beginArray();
    for (std::size_t i = 0; i < s.gpus.size(); ++i) {
        const GpuSample& g = s.gpus[i];
        w.beginObject().field("index", g.index).field("vendor", std::string_view(g.vendor));
        w.field("name", std::string_view(g.name));
        writeItems(w, layout.gpus, s, i);
        w.endObject();
    }
    w.endArray();
    writeItems(w, layout.top, s);
}

// filter: how `serve` shows command lines (--redact-cmdline / --no-cmdline); null writes them as read.
void writeProcessJson(JsonWriter& w, const std::vector<JsonItem>& items, const ProcessSample& p,
                      CmdlineFilter* filter = nullptr) {
    // py-perf's identity fields sit between the metrics: timestamp, pid, name first, status
    // at rank 8, cmdline at rank 10.
    w.field("timestamp", p.timestamp).field("pid", p.pid).field("name", std::string_view(p.name));
    bool status = false, cmdline = false;
    auto identity = [&](int rank) {
        if (!status && rank > 8) {
            w.field("status", p.status);
            status = true;
        }
        if (!cmdline && rank > 10) {
            cmdline = true;
            if (!filter) w.field("cmdline", std::string_view(p.cmdline));
            else if (filter->mode() != CmdlineMode::Omit) w.field("cmdline", filter->apply(p.pid, p.cmdline));
        }
    };
    for (const JsonItem& it : items) {
        identity(orderOf(it.metric->apiRank));
        w.field(it.key, it.metric->read(p));
    }
    identity(1 << 21);
}

const char* promType(metrics::PromType t) { return t == metrics::PromType::Counter ? "counter" : "gauge"; }

}  // namespace

void renderMetricsJson(JsonWriter& w, std::span<const Metric> system, const SystemSample& s) {
    writeMetricsJson(w, JsonLayout(system, {}), s);
}

void renderProcessMetricsJson(JsonWriter& w, std::span<const Metric> process, const ProcessSample& p) {
    writeProcessJson(w, JsonLayout({}, process).process, p);
}

void renderSnapshotJson(std::string& out, const SystemSample& s, std::span<const ProcessSample> processes,
                        const TickContext& ctx) {
    const JsonLayout& layout = registryLayout();
    JsonWriter w(out);
    w.beginObject();
    w.field("node_id", ctx.nodeId).field("timestamp", s.timestamp);
    writeMetricsJson(w, layout, s);

    w.key("processes").beginArray();
    for (const auto& p : processes) {
        w.beginObject();
        writeProcessJson(w, layout.process, p, ctx.cmdline);
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

void renderMetricsPrometheus(PrometheusWriter& w, std::span<const Metric> system, std::span<const Metric> process,
                             const SystemSample& s, std::span<const ProcessSample> processes) {
    for (const Metric& m : system) {
        if (!m.family || !m.readSystem) continue;
        if (m.index == Index::None) {
            const double v = m.read(s);
            if (!finite(v) || (m.has(metrics::kZeroIsUnknown) && !(v > 0))) continue;
            w.family(m.family, m.help, promType(m.promType));
            w.sample(v * m.promScale);
            continue;
        }
        const std::size_t n = metrics::indexCount(m.index, s);
        if (n == 0) continue;
        const bool all = m.has(metrics::kPromAllSamples);
        if (!all && !m.has(metrics::kPromHeaderAlways)) {
            bool any = false;
            for (std::size_t i = 0; i < n && !any; ++i) any = finite(m.read(s, i));
            if (!any) continue;
        }
        w.family(m.family, m.help, promType(m.promType));
        for (std::size_t i = 0; i < n; ++i) {
            const double v = m.read(s, i);
            if (!all && !finite(v)) continue;
            switch (m.index) {
            case Index::Cpu: w.sample(v * m.promScale, {{"cpu", IntText(static_cast<long long>(i)).view}}); break;
            case Index::Disk: w.sample(v * m.promScale, {{"device", s.disks[i].name}}); break;
            case Index::Interface: w.sample(v * m.promScale, {{"device", s.interfaces[i].name}}); break;
            case Index::Gpu: {
                const GpuSample& g = s.gpus[i];
                w.sample(v * m.promScale, {{"gpu", IntText(g.index).view}, {"vendor", g.vendor}, {"name", g.name}});
                break;
            }
            case Index::None: break;
            }
        }
    }
    // Tracked processes (process-exporter's families, one series per tracked PID).
    if (processes.empty()) return;
    for (const Metric& m : process) {
        if (!m.family || !m.readProcess) continue;
        bool any = false;
        for (const auto& p : processes) any = any || finite(m.read(p));
        if (!any) continue;
        w.family(m.family, m.help, promType(m.promType));
        for (const auto& p : processes)
            if (const double v = m.read(p); finite(v))
                w.sample(v * m.promScale, {{"name", p.name}, {"pid", IntText(p.pid).view}});
    }
}

void renderPrometheus(PrometheusWriter& w, const SystemSample& s, const ProcStat* cpuTimes, double ticksPerSecond,
                      std::span<const ProcessSample> processes, const TickContext& ctx) {
    auto gauge = [&](const char* name, const char* help, double v) {
        if (!finite(v)) return;
        w.family(name, help, "gauge");
        w.sample(v);
    };

    // --- CPU time by mode (node_exporter: node_cpu_seconds_total{cpu,mode}), from /proc/stat ---
    if (cpuTimes && ticksPerSecond > 0 && !cpuTimes->perCpu.empty()) {
        w.family("loadline_cpu_seconds_total", "Seconds the CPUs spent in each mode (/proc/stat).", "counter");
        for (std::size_t i = 0; i < cpuTimes->perCpu.size(); ++i) {
            if (i < cpuTimes->online.size() && !cpuTimes->online[i]) continue;
            const CpuTimes& t = cpuTimes->perCpu[i];
            IntText cpu(static_cast<long long>(i));
            const std::pair<const char*, std::uint64_t> modes[] = {
                {"user", t.user},     {"nice", t.nice}, {"system", t.system},   {"idle", t.idle},
                {"iowait", t.iowait}, {"irq", t.irq},   {"softirq", t.softirq}, {"steal", t.steal}};
            for (const auto& [mode, ticks] : modes)
                w.sample(static_cast<double>(ticks) / ticksPerSecond, {{"cpu", cpu.view}, {"mode", mode}});
        }
    }
    // --- every registry metric (core/collect/metrics.h) ---
    renderMetricsPrometheus(w, metrics::systemMetrics(), metrics::processMetrics(), s, processes);
    if (!processes.empty()) {
        // node_exporter-style info metric: the command line as a label (masked or left out per
        // --redact-cmdline / --no-cmdline), so dashboards can tell processes of one name apart.
        w.family("loadline_process_info", "A tracked process: its name and command line (value always 1).", "gauge");
        for (const auto& p : processes) {
            if (ctx.cmdline && ctx.cmdline->mode() == CmdlineMode::Omit) {
                w.sample(1, {{"name", p.name}, {"pid", IntText(p.pid).view}});
            } else {
                const std::string_view cmd =
                    ctx.cmdline ? ctx.cmdline->apply(p.pid, p.cmdline) : std::string_view(p.cmdline);
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
    constexpr auto num = jsontext::numberOrNull<json>;
    utsname u{};
    ::uname(&u);
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    std::string model = cpuModelFromCpuInfo(cpuInfoText);
    json gpus = json::array();
    for (const auto& g : s.gpus)
        gpus.push_back({{"index", g.index},
                        {"vendor", g.vendor},
                        {"name", g.name},
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
