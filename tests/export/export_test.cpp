// The exporters, checked by parsing what they wrote and comparing it with the input.
#include "core/export/chrometrace.h"
#include "core/export/csvexport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace loadline::core;
using nlohmann::json;

namespace {

Recording makeRecording() {
    Recording rec;
    rec.kind = Recording::Kind::PerformanceSummary;
    rec.sessionId = "s-1";
    auto& sys = rec.timeline.system;
    const int cpu = sys.ensureColumn(col::kCpuPercent);
    const int mem = sys.ensureColumn(col::kMemoryPercent);
    const double base = 1700000000.25;
    for (int i = 0; i < 5; ++i) {
        sys.appendRow(base + i * 0.5);
        sys.setLast(cpu, i == 2 ? kMissing : 10.0 * i + 0.1);  // one missing value
        sys.setLast(mem, 40.0 + i);
    }
    auto& p = rec.timeline.process(4242).samples;
    const int pcpu = p.ensureColumn(col::kCpuPercent);
    const int rss = p.ensureColumn(col::kMemoryRssMb);
    const int name = p.ensureColumn(col::kName, true);
    for (int i = 0; i < 3; ++i) {
        p.appendRow(base + i * 0.5);
        p.setLast(pcpu, 150.0 + i);
        p.setLast(rss, 12.5 * (i + 1));
        p.setLastText(name, "worker, \"quoted\"");
    }
    auto& q = rec.timeline.process(7).samples;
    q.appendRow(base + 1.0);
    q.setLast(q.ensureColumn(col::kNumThreads), 3);

    auto timing = [&](const char* n, double end, double wall, double cpuTime) {
        FunctionTiming t;
        t.functionName = n;
        t.timestamp = base + end;
        t.wallTime = wall;
        t.cpuTime = cpuTime;
        rec.functionTimings.push_back(t);
    };
    timing("outer", 1.5, 1.0, 0.9);   // [0.5, 1.5]
    timing("inner", 1.0, 0.25, 0.1);  // nested in outer
    timing("later", 2.0, 0.25, 0.0);
    timing("a,b", 99.0, 0.5, 0.0);  // outside the timeline, name needs quoting
    return rec;
}

// Minimal RFC 4180 reader for the tests.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = any = true;
        } else if (c == ',') {
            row.push_back(field), field.clear();
        } else if (c == '\n') {
            row.push_back(field), field.clear();
            rows.push_back(row), row.clear();
        } else {
            field += c;
        }
    }
    EXPECT_TRUE(field.empty() && row.empty()) << "last line not terminated";
    return rows;
}

double num(const std::string& s) { return s.empty() ? kMissing : std::stod(s); }

}  // namespace

TEST(ChromeTrace, CountersAndCallsMatchTheInput) {
    const Recording rec = makeRecording();
    const Correlation c = correlate(rec);
    // Through text, as a viewer would read it.
    const json trace = json::parse(chromeTraceJson(rec, c).dump());
    ASSERT_TRUE(trace.contains("traceEvents"));

    std::vector<json> sysCpu, sysMem, procCpu, procRss, calls;
    std::map<int, std::string> processNames;
    std::map<int, std::string> threadNames;
    for (const auto& e : trace["traceEvents"]) {
        const std::string ph = e["ph"];
        if (ph == "M" && e["name"] == "process_name") processNames[e["pid"]] = e["args"]["name"];
        if (ph == "M" && e["name"] == "thread_name") threadNames[e["tid"]] = e["args"]["name"];
        if (ph == "C" && e["pid"] == kTraceSystemPid && e["name"] == "System CPU %") sysCpu.push_back(e);
        if (ph == "C" && e["pid"] == kTraceSystemPid && e["name"] == "System memory %") sysMem.push_back(e);
        if (ph == "C" && e["pid"] == 4242 && e["name"] == "CPU %") procCpu.push_back(e);
        if (ph == "C" && e["pid"] == 4242 && e["name"] == "RSS MB") procRss.push_back(e);
        if (ph == "X") calls.push_back(e);
    }
    const auto& sys = rec.timeline.system;
    // CPU: 5 samples, one missing -> 4 events, in order, with the sample's time in microseconds.
    ASSERT_EQ(sysCpu.size(), 4u);
    std::vector<std::size_t> cpuRows = {0, 1, 3, 4};
    for (std::size_t k = 0; k < cpuRows.size(); ++k) {
        EXPECT_DOUBLE_EQ(sysCpu[k]["ts"].get<double>(), sys.timestamp(cpuRows[k]) * 1e6);
        EXPECT_DOUBLE_EQ(sysCpu[k]["args"]["cpu_percent"].get<double>(), sys.value(col::kCpuPercent, cpuRows[k]));
    }
    ASSERT_EQ(sysMem.size(), 5u);
    EXPECT_DOUBLE_EQ(sysMem[4]["args"]["memory_percent"].get<double>(), 44.0);
    ASSERT_EQ(procCpu.size(), 3u);
    EXPECT_DOUBLE_EQ(procCpu[2]["args"]["cpu_percent"].get<double>(), 152.0);
    ASSERT_EQ(procRss.size(), 3u);
    EXPECT_DOUBLE_EQ(procRss[1]["args"]["memory_rss_mb"].get<double>(), 25.0);
    EXPECT_EQ(processNames[4242], "worker, \"quoted\"");
    EXPECT_EQ(processNames[7], "pid 7");
    EXPECT_EQ(processNames[kTraceSystemPid], "System");

    // Calls: one X event each, start = end - wall, duration = wall, load and verdict in args.
    ASSERT_EQ(calls.size(), rec.functionTimings.size());
    for (std::size_t i = 0; i < calls.size(); ++i) {
        const auto& t = rec.functionTimings[i];
        const auto& e = calls[i];
        EXPECT_EQ(e["name"], t.functionName);
        EXPECT_NEAR(e["ts"].get<double>(), (t.timestamp - t.wallTime) * 1e6, 1e-3);
        EXPECT_NEAR(e["dur"].get<double>(), t.wallTime * 1e6, 1e-3);
        EXPECT_DOUBLE_EQ(e["args"]["cpu_time_s"].get<double>(), t.cpuTime);
        EXPECT_EQ(e["args"]["verdict"], std::string(verdictName(c.calls[i].verdict)));
        EXPECT_TRUE(threadNames.count(e["tid"].get<int>()));
    }
    EXPECT_EQ(calls[0]["args"]["verdict"], "own work");
    // Overlapping calls on different threads (so viewers nest them), disjoint ones may share.
    EXPECT_NE(calls[0]["tid"], calls[1]["tid"]);
    // The call outside the timeline has no load: null, not a made-up number.
    EXPECT_TRUE(calls[3]["args"]["system_cpu_percent"].is_null());
    EXPECT_EQ(trace["otherData"]["session_id"], "s-1");
}

TEST(Csv, SystemSamplesRoundTripExactly) {
    const Recording rec = makeRecording();
    const auto rows = parseCsv(systemSamplesCsv(rec.timeline));
    ASSERT_EQ(rows.size(), 1 + rec.timeline.system.size());
    EXPECT_EQ(rows[0], (std::vector<std::string>{"timestamp", "cpu_percent", "memory_percent"}));
    for (std::size_t r = 0; r < rec.timeline.system.size(); ++r) {
        EXPECT_EQ(num(rows[r + 1][0]), rec.timeline.system.timestamp(r));  // exact, not near
        const double cpu = rec.timeline.system.value(col::kCpuPercent, r);
        if (isMissing(cpu)) EXPECT_EQ(rows[r + 1][1], "");
        else EXPECT_EQ(num(rows[r + 1][1]), cpu);
        EXPECT_EQ(num(rows[r + 1][2]), rec.timeline.system.value(col::kMemoryPercent, r));
    }
}

TEST(Csv, NumbersArePlainAndExact) {
    // Plain notation for everyday magnitudes (an epoch second was "1.7e+09"), shortest digits
    // that read back exactly, scientific only at the extremes.
    EXPECT_EQ(csvNumber(1700000000.0), "1700000000");
    EXPECT_EQ(csvNumber(1700000000.25), "1700000000.25");
    EXPECT_EQ(csvNumber(0.1), "0.1");
    EXPECT_EQ(csvNumber(-45.5), "-45.5");
    EXPECT_EQ(csvNumber(0.0), "0");
    EXPECT_EQ(csvNumber(1e300), "1e+300");
    EXPECT_EQ(csvNumber(std::nan("")), "");
    for (double v : {1e-5, 123456789.123, 3.0e15, 0.30000000000000004}) EXPECT_EQ(std::stod(csvNumber(v)), v) << v;
}

TEST(Csv, ProcessSamplesHaveTheUnionOfColumnsAndQuotedText) {
    const Recording rec = makeRecording();
    const auto rows = parseCsv(processSamplesCsv(rec.timeline));
    ASSERT_EQ(rows.size(), 1u + 1u + 3u);  // header, pid 7 (one), pid 4242 (three)
    const auto& h = rows[0];
    auto colOf = [&](const std::string& n) { return std::find(h.begin(), h.end(), n) - h.begin(); };
    ASSERT_EQ(h[0], "pid");
    ASSERT_EQ(h[1], "timestamp");
    const auto threads = colOf("num_threads"), name = colOf("name"), cpu = colOf("cpu_percent");
    ASSERT_LT(threads, (long)h.size());
    ASSERT_LT(name, (long)h.size());
    EXPECT_EQ(rows[1][0], "7");
    EXPECT_EQ(rows[1][threads], "3");
    EXPECT_EQ(rows[1][name], "");
    EXPECT_EQ(rows[2][0], "4242");
    EXPECT_EQ(rows[2][name], "worker, \"quoted\"");
    EXPECT_EQ(num(rows[4][cpu]), 152.0);
    for (const auto& r : rows) EXPECT_EQ(r.size(), h.size());
}

TEST(Csv, CallsAndFunctionsMatchTheCorrelation) {
    const Recording rec = makeRecording();
    const Correlation c = correlate(rec);
    const auto calls = parseCsv(callsCsv(c));
    ASSERT_EQ(calls.size(), 1 + c.calls.size());
    EXPECT_EQ(calls[0][0], "function");
    EXPECT_EQ(calls[0][10], "verdict");
    for (std::size_t i = 0; i < c.calls.size(); ++i) {
        const auto& r = calls[i + 1];
        ASSERT_EQ(r.size(), calls[0].size());
        EXPECT_EQ(r[0], rec.functionTimings[i].functionName);
        EXPECT_EQ(num(r[2]), rec.functionTimings[i].timestamp);
        EXPECT_EQ(num(r[3]), rec.functionTimings[i].wallTime);
        EXPECT_EQ(num(r[4]), rec.functionTimings[i].cpuTime);
        if (std::isnan(c.calls[i].systemCpuPercent)) EXPECT_EQ(r[6], "");
        else EXPECT_EQ(num(r[6]), c.calls[i].systemCpuPercent);
        EXPECT_EQ(r[10], verdictName(c.calls[i].verdict));
    }
    EXPECT_EQ(calls[4][0], "a,b");

    const auto funcs = parseCsv(functionsCsv(c));
    ASSERT_EQ(funcs.size(), 1 + c.functions.size());
    for (std::size_t f = 0; f < c.functions.size(); ++f) {
        EXPECT_EQ(funcs[f + 1][0], c.functions[f].name);
        EXPECT_EQ(std::stoul(funcs[f + 1][1]), c.functions[f].calls);
        EXPECT_EQ(num(funcs[f + 1][5]), c.functions[f].p95Wall);
    }
}
