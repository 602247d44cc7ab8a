#include "core/collect/snapshot.h"

#include <chrono>
#include <cmath>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/collect/contentionjson.h"

namespace loadline::core {

bool collectSnapshot(Snapshot& out, const SnapshotOptions& options, std::string* error) {
    SystemCollectorOptions so;
    so.perCpu = true;
    so.filesystems = false;
    so.nvmlLibrary = options.nvmlLibrary;
    so.cgroup = options.cgroup;
    SystemCollector sys(options.roots, so);
    ProcessTable table(options.roots);
    if (!sys.collect(out.system)) {
        if (error) *error = sys.lastError();
        return false;
    }
    const bool wantProcesses = options.topProcesses > 0;
    if (wantProcesses && !table.scan()) {
        if (error) *error = options.roots.proc + ": cannot list processes";
        return false;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(options.window));
    if (!sys.collect(out.system)) {
        if (error) *error = sys.lastError();
        return false;
    }
    readFilesystemUsage(options.roots, out.system.filesystems);
    out.topProcesses.clear();
    out.processCount = 0;
    if (wantProcesses) {
        table.scan();
        out.processCount = table.size();
        std::vector<ProcessTableEntry*> top;
        table.top(options.sort, options.topProcesses, top);
        for (auto* e : top) {
            table.loadCmdline(*e);
            out.topProcesses.push_back(*e);
        }
    }
    return true;
}

nlohmann::json snapshotToJson(const Snapshot& s) {
    using nlohmann::json;
    const SystemSample& x = s.system;
    auto num = [](double v) -> json { return std::isnan(v) ? json(nullptr) : json(v); };
    json j;
    j["timestamp"] = x.timestamp;
    j["cpu_percent"] = num(x.cpuPercent);
    j["cpu_count_logical"] = x.cpuCountLogical;
    j["cpu_count_physical"] = x.cpuCountPhysical;
    json perCore = json::array();
    for (double v : x.cpuPercentPerCore) perCore.push_back(num(v));
    j["cpu_per_core"] = perCore;
    j["load_average"] = json::array({num(x.loadAvg1), num(x.loadAvg5), num(x.loadAvg15)});
    j["cpu_freq_mhz"] = num(x.cpuFreqMhz);
    j["cpu_temperature_c"] = num(x.cpuTemperatureC);
    j["memory_total"] = x.memory.total;
    j["memory_available"] = x.memory.available;
    j["memory_used"] = x.memory.used;
    j["memory_free"] = x.memory.free;
    j["memory_percent"] = x.memory.percent;
    j["swap_total"] = x.memory.swapTotal;
    j["swap_used"] = x.memory.swapUsed;
    j["swap_free"] = x.memory.swapFree;
    j["swap_percent"] = x.memory.swapPercent;
    json fss = json::array();
    for (const auto& f : x.filesystems) {
        fss.push_back({{"device", f.device}, {"mountpoint", f.mountPoint}, {"fstype", f.fsType},
                       {"total", f.total}, {"used", f.used}, {"free", f.free}, {"percent", f.percent}});
        if (f.mountPoint == "/") {
            j["disk_total"] = f.total;
            j["disk_used"] = f.used;
            j["disk_free"] = f.free;
            j["disk_percent"] = f.percent;
        }
    }
    j["filesystems"] = fss;
    j["disk_read_bytes"] = num(x.diskReadBytes);
    j["disk_write_bytes"] = num(x.diskWriteBytes);
    j["disk_read_count"] = num(x.diskReadCount);
    j["disk_write_count"] = num(x.diskWriteCount);
    j["disk_read_bytes_per_s"] = num(x.diskReadBytesPerS);
    j["disk_write_bytes_per_s"] = num(x.diskWriteBytesPerS);
    json disks = json::array();
    for (const auto& d : x.disks)
        disks.push_back({{"name", d.name}, {"read_count", d.readCount}, {"write_count", d.writeCount},
                         {"read_bytes", d.readBytes}, {"write_bytes", d.writeBytes},
                         {"read_bytes_per_s", num(d.readBytesPerS)}, {"write_bytes_per_s", num(d.writeBytesPerS)}});
    j["disks"] = disks;
    j["network_bytes_sent"] = num(x.netBytesSent);
    j["network_bytes_recv"] = num(x.netBytesRecv);
    j["network_packets_sent"] = num(x.netPacketsSent);
    j["network_packets_recv"] = num(x.netPacketsRecv);
    j["network_sent_bytes_per_s"] = num(x.netSentBytesPerS);
    j["network_recv_bytes_per_s"] = num(x.netRecvBytesPerS);
    json ifs = json::array();
    for (const auto& n : x.interfaces)
        ifs.push_back({{"name", n.name}, {"bytes_sent", n.bytesSent}, {"bytes_recv", n.bytesRecv},
                       {"packets_sent", n.packetsSent}, {"packets_recv", n.packetsRecv},
                       {"errin", n.errorsIn}, {"errout", n.errorsOut}, {"dropin", n.dropsIn}, {"dropout", n.dropsOut},
                       {"sent_bytes_per_s", num(n.sentBytesPerS)}, {"recv_bytes_per_s", num(n.recvBytesPerS)}});
    j["network_interfaces"] = ifs;
    j["uptime"] = num(x.uptime);
    j["boot_time"] = num(x.bootTime);
    j["gpu_count"] = x.gpus.size();
    json gpus = json::array();
    for (const auto& g : x.gpus) {
        double pct = (g.memoryTotalBytes > 0) ? g.memoryUsedBytes / g.memoryTotalBytes * 100.0 : kMissing;
        gpus.push_back({{"index", g.index}, {"vendor", g.vendor}, {"name", g.name},
                        {"utilization", num(g.utilizationPercent)}, {"memory_used", num(g.memoryUsedBytes)},
                        {"memory_total", num(g.memoryTotalBytes)}, {"memory_percent", num(pct)},
                        {"temperature", num(g.temperatureC)}});
    }
    j["gpu"] = gpus;
    j["process_count"] = s.processCount;
    json procs = json::array();
    for (const auto& p : s.topProcesses)
        procs.push_back({{"pid", p.pid}, {"name", p.name}, {"cpu_percent", num(p.cpuPercent)},
                         {"memory_rss_mb", p.rssBytes / 1048576.0}, {"memory_vms_mb", p.vmsBytes / 1048576.0},
                         {"memory_percent", p.memoryPercent}, {"num_threads", static_cast<std::int64_t>(p.numThreads)},
                         {"status", p.status}, {"create_time", p.createTime}, {"cmdline", p.cmdline}});
    j["processes"] = procs;
    if (x.pressure.any()) j["pressure"] = pressureToJson(x.pressure);  // absent without PSI
    if (!x.cgroup.path.empty()) j["cgroup"] = cgroupToJson(x.cgroup);
    return j;
}

}  // namespace loadline::core
