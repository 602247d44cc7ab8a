#include "core/export/csvexport.h"

#include <charconv>
#include <cmath>
#include <map>
#include <set>

namespace loadline::core {

std::string csvField(std::string_view text) {
    if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csvNumber(double v) {
    if (std::isnan(v) || std::isinf(v)) return {};
    char buf[64];
    // Shortest round-trip digits, in plain notation for everyday magnitudes: the shortest form
    // of an epoch timestamp like 1700000000 is "1.7e+09", which reads as if rounded.
    const double a = std::fabs(v);
    const auto format = a == 0 || (a >= 1e-4 && a < 1e16) ? std::chars_format::fixed : std::chars_format::general;
    auto r = std::to_chars(buf, buf + sizeof buf, v, format);
    return std::string(buf, r.ptr);
}

namespace {

void appendCell(std::string& out, const SeriesTable& t, int col, std::size_t row) {
    if (t.isTextColumn(col)) out += csvField(t.text(col, row));
    else out += csvNumber(t.value(col, row));
}

}  // namespace

std::string systemSamplesCsv(const Timeline& timeline) {
    const auto& t = timeline.system;
    std::string out = "timestamp";
    for (int c = 0; c < t.columnCount(); ++c) out += ',' + csvField(t.columnName(c));
    out += '\n';
    for (std::size_t r = 0; r < t.size(); ++r) {
        out += csvNumber(t.timestamp(r));
        for (int c = 0; c < t.columnCount(); ++c) {
            out += ',';
            appendCell(out, t, c, r);
        }
        out += '\n';
    }
    return out;
}

std::string processSamplesCsv(const Timeline& timeline) {
    // Union of the column names in first-seen order (the "pid" column is the key, written once).
    std::vector<std::string> names;
    std::set<std::string, std::less<>> seen{col::kPid};
    for (const auto& [pid, series] : timeline.processes)
        for (int c = 0; c < series.samples.columnCount(); ++c)
            if (seen.insert(series.samples.columnName(c)).second) names.push_back(series.samples.columnName(c));

    std::string out = "pid,timestamp";
    for (const auto& n : names) out += ',' + csvField(n);
    out += '\n';
    for (const auto& [pid, series] : timeline.processes) {
        const auto& t = series.samples;
        std::vector<int> cols;
        for (const auto& n : names) cols.push_back(t.columnIndex(n));
        for (std::size_t r = 0; r < t.size(); ++r) {
            out += std::to_string(pid) + ',' + csvNumber(t.timestamp(r));
            for (int c : cols) {
                out += ',';
                if (c >= 0) appendCell(out, t, c, r);
            }
            out += '\n';
        }
    }
    return out;
}

std::string callsCsv(const Correlation& c) {
    std::string out =
        "function,start,end,wall_time,cpu_time,cpu_wall_ratio,system_cpu_percent,system_memory_percent,"
        "samples_in_window,coverage,verdict\n";
    for (const auto& call : c.calls) {
        out += csvField(c.functions[call.functionIndex].name);
        for (double v : {call.start, call.end, call.wallTime, call.cpuTime, call.cpuWallRatio(), call.systemCpuPercent,
                         call.systemMemoryPercent}) {
            out += ',';
            out += csvNumber(v);
        }
        out += ',' + std::to_string(call.samplesInside) + ',' + csvNumber(call.coverage) + ',';
        out += verdictName(call.verdict);
        out += '\n';
    }
    return out;
}

std::string functionsCsv(const Correlation& c) {
    std::string out =
        "function,calls,total_wall_time,mean_wall_time,p50_wall_time,p95_wall_time,max_wall_time,"
        "mean_cpu_time,cpu_wall_ratio,mean_system_cpu_percent,mean_system_memory_percent,"
        "slowdown_under_load,high_load_calls,low_load_calls,own_work,contention,waiting,unknown,"
        "outside_timeline\n";
    for (const auto& f : c.functions) {
        out += csvField(f.name) + ',' + std::to_string(f.calls);
        for (double v : {f.totalWall, f.meanWall, f.p50Wall, f.p95Wall, f.maxWall, f.meanCpu, f.cpuWallRatio,
                         f.meanSystemCpuPercent, f.meanSystemMemoryPercent, f.slowdownUnderLoad}) {
            out += ',';
            out += csvNumber(v);
        }
        for (std::size_t n :
             {f.highLoadCalls, f.lowLoadCalls, f.verdictCount(Verdict::OwnWork), f.verdictCount(Verdict::Contention),
              f.verdictCount(Verdict::Waiting), f.verdictCount(Verdict::Unknown), f.callsOutsideTimeline})
            out += ',' + std::to_string(n);
        out += '\n';
    }
    return out;
}

}  // namespace loadline::core
