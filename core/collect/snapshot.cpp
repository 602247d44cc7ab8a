#include "core/collect/snapshot.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/collect/contentionjson.h"
#include "core/format/jsonnumber.h"

namespace loadline::core {

Status collectSnapshot(Snapshot& out, const SnapshotOptions& options) {
    SystemCollectorOptions so;
    so.perCpu = true;
    so.filesystems = false;
    so.nvmlLibrary = options.nvmlLibrary;
    so.cgroup = options.cgroup;
    SystemCollector sys(options.roots, so);
    ProcessTable table(options.roots);
    if (Status s = sys.collect(out.system); !s) return s;
    const bool wantProcesses = options.topProcesses > 0;
    if (wantProcesses)
        if (Status s = table.scan(); !s) return s;
    std::this_thread::sleep_for(std::chrono::duration<double>(options.window));
    if (Status s = sys.collect(out.system); !s) return s;
    readFilesystemUsage(options.roots, out.system.filesystems);
    out.topProcesses.clear();
    out.processCount = 0;
    if (wantProcesses) {
        if (Status s = table.scan(); !s) return s;
        out.processCount = table.size();
        std::vector<ProcessTableEntry*> top;
        table.top(options.sort, options.topProcesses, top);
        for (auto* e : top) {
            table.loadCmdline(*e);
            out.topProcesses.push_back(*e);
        }
    }
    return {};
}

namespace {

// `snapshot --json` keys of the per-device arrays and what indexes them.
const char* snapshotArrayKey(metrics::Index index) {
    switch (index) {
    case metrics::Index::Disk: return "disks";
    case metrics::Index::Interface: return "network_interfaces";
    case metrics::Index::Gpu: return "gpu";
    default: return nullptr;
    }
}

}  // namespace

void addMetricsJson(nlohmann::json& j, std::span<const metrics::Metric> table, const SystemSample& x) {
    using nlohmann::json;
    constexpr auto num = jsontext::numberOrNull<json>;
    auto value = [&](const metrics::Metric& m, std::size_t i) {
        const double v = m.read(x, i);
        return m.has(metrics::kInteger) ? json(static_cast<std::int64_t>(v)) : num(v);
    };
    // The per-device arrays: one object per element, with its name first.
    for (auto index : {metrics::Index::Disk, metrics::Index::Interface, metrics::Index::Gpu}) {
        json arr = json::array();
        const std::size_t n = metrics::indexCount(index, x);
        for (std::size_t i = 0; i < n; ++i) {
            json o = json::object();
            if (index == metrics::Index::Disk) o["name"] = x.disks[i].name;
            if (index == metrics::Index::Interface) o["name"] = x.interfaces[i].name;
            if (index == metrics::Index::Gpu)
                o.update({{"index", x.gpus[i].index}, {"vendor", x.gpus[i].vendor}, {"name", x.gpus[i].name}});
            for (const auto& m : table)
                if (m.index == index && m.snapshotKey && m.readSystem) o[m.snapshotKey] = value(m, i);
            arr.push_back(std::move(o));
        }
        j[snapshotArrayKey(index)] = std::move(arr);
    }
    for (const auto& m : table) {
        if (!m.snapshotKey || !m.readSystem) continue;
        const std::string_view key = m.snapshotKey;
        if (m.index == metrics::Index::Cpu) {
            json arr = json::array();
            for (std::size_t i = 0; i < x.cpuPercentPerCore.size(); ++i) arr.push_back(value(m, i));
            j[m.snapshotKey] = std::move(arr);
        } else if (m.index == metrics::Index::None) {
            if (const auto open = key.find('['); open != std::string_view::npos) {
                // one element of a fixed array, e.g. "load_average[1]"
                json& arr = j[std::string(key.substr(0, open))];
                const auto k = static_cast<std::size_t>(std::atoi(key.data() + open + 1));
                if (!arr.is_array()) arr = json::array();
                while (arr.size() <= k) arr.push_back(nullptr);
                arr[k] = value(m, 0);
            } else {
                j[m.snapshotKey] = value(m, 0);
            }
        }
    }
}

nlohmann::json snapshotToJson(const Snapshot& s) {
    using nlohmann::json;
    const SystemSample& x = s.system;
    json j;
    j["timestamp"] = x.timestamp;
    addMetricsJson(j, metrics::systemMetrics(), x);  // every registry metric (core/collect/metrics.h)
    // Filesystems are per mount point and only in this document, so they are not registry metrics.
    json fss = json::array();
    for (const auto& f : x.filesystems) {
        fss.push_back({{"device", f.device},
                       {"mountpoint", f.mountPoint},
                       {"fstype", f.fsType},
                       {"total", f.total},
                       {"used", f.used},
                       {"free", f.free},
                       {"percent", f.percent}});
        if (f.mountPoint == "/") {
            j["disk_total"] = f.total;
            j["disk_used"] = f.used;
            j["disk_free"] = f.free;
            j["disk_percent"] = f.percent;
        }
    }
    j["filesystems"] = fss;
    j["gpu_count"] = x.gpus.size();
    j["process_count"] = s.processCount;
    // The top processes are ProcessTableEntry rows of a whole-system scan (not tracked
    // ProcessSamples): psutil's process_iter fields.
    constexpr auto num = jsontext::numberOrNull<json>;
    json procs = json::array();
    for (const auto& p : s.topProcesses)
        procs.push_back({{"pid", p.pid},
                         {"name", p.name},
                         {"cpu_percent", num(p.cpuPercent)},
                         {"memory_rss_mb", p.rssBytes / 1048576.0},
                         {"memory_vms_mb", p.vmsBytes / 1048576.0},
                         {"memory_percent", p.memoryPercent},
                         {"num_threads", static_cast<std::int64_t>(p.numThreads)},
                         {"status", p.status},
                         {"create_time", p.createTime},
                         {"cmdline", p.cmdline}});
    j["processes"] = procs;
    if (x.pressure.any()) j["pressure"] = pressureToJson(x.pressure);  // absent without PSI
    if (!x.cgroup.path.empty()) j["cgroup"] = cgroupToJson(x.cgroup);
    return j;
}

}  // namespace loadline::core
