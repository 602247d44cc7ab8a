// Reading a node's timeline back from Prometheus, against canned /api/v1 replies: the PromQL per
// column for loadline agents and node_exporter, the JSON replies, step and chunking, gaps, and
// every error a user can meet (unknown instance, empty range, Prometheus's own error, 401, a
// server that is not Prometheus, no connection).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "core/fleet/promimport.h"
#include "core/fleet/promql.h"
#include "core/fleet/promresponse.h"
#include "core/fleet/timearg.h"

using namespace loadline::core;
using namespace loadline::core::fleet;

namespace {

std::string urlDecode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i] == '+' ? ' ' : s[i];
        }
    }
    return out;
}

std::map<std::string, std::string> params(const std::string& target) {
    std::map<std::string, std::string> out;
    auto q = target.find('?');
    if (q == std::string::npos) return out;
    std::string rest = target.substr(q + 1);
    std::size_t pos = 0;
    while (pos <= rest.size()) {
        auto amp = rest.find('&', pos);
        if (amp == std::string::npos) amp = rest.size();
        std::string kv = rest.substr(pos, amp - pos);
        auto eq = kv.find('=');
        if (eq != std::string::npos) out[urlDecode(kv.substr(0, eq))] = urlDecode(kv.substr(eq + 1));
        pos = amp + 1;
    }
    return out;
}

PromHttpReply ok(const std::string& body) { return {200, "OK", body, {}}; }

std::string matrix(const std::string& seriesJson) {
    return R"({"status":"success","data":{"resultType":"matrix","result":[)" + seriesJson + "]}}";
}

// One series: labels JSON and (t, v) points; v is the Prometheus string.
std::string series(const std::string& labels, const std::vector<std::pair<double, std::string>>& pts) {
    std::string s = "{\"metric\":" + labels + ",\"values\":[";
    for (std::size_t i = 0; i < pts.size(); ++i) {
        char t[64];
        std::snprintf(t, sizeof t, "%.3f", pts[i].first);
        s += (i ? "," : "") + std::string("[") + t + ",\"" + pts[i].second + "\"]";
    }
    return s + "]}";
}

// A fake Prometheus: answers the probe calls from fields, range queries from a function of the
// PromQL (empty matrix when it returns empty).
struct FakePrometheus {
    std::vector<std::string> names = {"node_cpu_seconds_total", "node_load1", "up"};
    std::vector<std::string> instances = {"10.0.0.1:9100"};
    std::string scrapeInterval = "1s";
    std::function<std::string(const std::string& expr, double start, double end, double step)> range;
    std::function<std::optional<PromHttpReply>(const std::string& target)> override;
    std::vector<std::string> seen;

    std::vector<PromHttpReply> operator()(const std::vector<std::string>& targets) {
        std::vector<PromHttpReply> out;
        for (const auto& t : targets) {
            seen.push_back(t);
            if (override)
                if (auto r = override(t)) {
                    out.push_back(*r);
                    continue;
                }
            auto p = params(t);
            if (t.rfind("/api/v1/label/__name__/values", 0) == 0) {
                std::string body = R"({"status":"success","data":[)";
                for (std::size_t i = 0; i < names.size(); ++i) body += (i ? ",\"" : "\"") + names[i] + "\"";
                out.push_back(ok(body + "]}"));
            } else if (t.rfind("/api/v1/label/instance/values", 0) == 0) {
                std::string body = R"({"status":"success","data":[)";
                for (std::size_t i = 0; i < instances.size(); ++i) body += (i ? ",\"" : "\"") + instances[i] + "\"";
                out.push_back(ok(body + "]}"));
            } else if (t.rfind("/api/v1/targets", 0) == 0) {
                out.push_back(ok(R"({"status":"success","data":{"activeTargets":[{"labels":{"instance":")" +
                                 instances[0] + R"(","job":"node"},"scrapeInterval":")" + scrapeInterval +
                                 R"("}],"droppedTargets":[]}})"));
            } else if (t.rfind("/api/v1/query_range", 0) == 0) {
                std::string body =
                    range ? range(p["query"], std::stod(p["start"]), std::stod(p["end"]), std::stod(p["step"]))
                          : std::string();
                out.push_back(ok(matrix(body)));
            } else if (t.rfind("/api/v1/query", 0) == 0) {
                out.push_back(ok(R"({"status":"success","data":{"resultType":"vector","result":[]}})"));
            } else {
                out.push_back({404, "Not Found", "404 page not found\n", {}});
            }
        }
        return out;
    }
};

PromImportRequest request(double from = 1796241600, double to = 1796241600 + 600) {
    PromImportRequest r;
    r.server = "http://prom.example:9090";
    r.instance = "10.0.0.1:9100";
    r.from = from;
    r.to = to;
    return r;
}

bool startsWith(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

}  // namespace

TEST(PromQL, NodeExporterCpuIsPsutilBusyShareOfRates) {
    auto q = systemQueries(NodeSource::NodeExporter, "h:9100", QueryWindows{4, 2});
    ASSERT_FALSE(q.empty());
    EXPECT_EQ(q[0].column, "cpu_percent");
    EXPECT_EQ(q[0].expr,
              "100 * (1 - sum(rate(node_cpu_seconds_total{instance=\"h:9100\",mode=~\"idle|iowait\"}[4s])) / "
              "sum(rate(node_cpu_seconds_total{instance=\"h:9100\"}[4s])))");
    std::map<std::string, std::string> byCol;
    for (const auto& c : q) byCol[c.column] = c.expr;
    EXPECT_EQ(byCol["memory_percent"],
              "100 * (1 - avg_over_time(node_memory_MemAvailable_bytes{instance=\"h:9100\"}[2s]) / "
              "avg_over_time(node_memory_MemTotal_bytes{instance=\"h:9100\"}[2s]))");
    EXPECT_EQ(byCol["load_avg_1m"], "avg_over_time(node_load1{instance=\"h:9100\"}[2s])");
    EXPECT_EQ(byCol["disk_read_bytes_per_s"], "sum(rate(node_disk_read_bytes_total{instance=\"h:9100\"}[4s]))");
    EXPECT_NE(byCol["swap_percent"].find("node_memory_SwapFree_bytes"), std::string::npos);
    EXPECT_NE(byCol["memory_used_mb"].find("node_memory_SReclaimable_bytes"), std::string::npos);
}

TEST(PromQL, LoadlineAgentUsesItsOwnFamilies) {
    auto q = systemQueries(NodeSource::Loadline, "h:8080", QueryWindows{4, 2});
    std::map<std::string, std::string> byCol;
    for (const auto& c : q) byCol[c.column] = c.expr;
    EXPECT_NE(
        byCol["cpu_percent"].find("rate(loadline_cpu_seconds_total{instance=\"h:8080\",mode=~\"idle|iowait\"}[4s])"),
        std::string::npos);
    EXPECT_EQ(byCol["memory_percent"], "avg_over_time(loadline_memory_used_percent{instance=\"h:8080\"}[2s])");
    EXPECT_EQ(byCol["net_recv_bytes_per_s"],
              "sum(rate(loadline_network_receive_bytes_total{instance=\"h:8080\"}[4s]))");
    for (const auto& c : q) EXPECT_EQ(c.expr.find("node_"), std::string::npos) << c.column;
}

TEST(PromQL, ProcessFiltersAreOredSelectorsWithEscapedText) {
    ProcessFilter f;
    f.pids = {42};
    f.namePatterns = {"py\"thon.*"};
    auto q = processQueries("h:8080", f, QueryWindows{4, 2});
    ASSERT_FALSE(q.empty());
    EXPECT_EQ(q[0].column, "cpu_percent");
    EXPECT_EQ(q[0].expr,
              "(avg_over_time(loadline_process_cpu_percent{instance=\"h:8080\",pid=\"42\"}[2s]) or "
              "avg_over_time(loadline_process_cpu_percent{instance=\"h:8080\",name=~\"py\\\"thon.*\"}[2s]))");
    auto all = processQueries("h:8080", {}, QueryWindows{4, 2});
    EXPECT_EQ(all[0].expr, "avg_over_time(loadline_process_cpu_percent{instance=\"h:8080\"}[2s])");
}

TEST(PromQL, EscapesAndDurations) {
    EXPECT_EQ(escapePromqlString("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    EXPECT_EQ(promqlDuration(4), "4s");
    EXPECT_EQ(promqlDuration(1.5), "1500ms");
    EXPECT_EQ(promqlDuration(0), "1ms");
    auto w = QueryWindows::forStep(1, 1);
    EXPECT_EQ(w.rate, 4);  // Grafana's $__rate_interval: max(step + scrape, 4 × scrape)
    EXPECT_EQ(w.gauge, 2);
    w = QueryWindows::forStep(60, 15);
    EXPECT_EQ(w.rate, 75);
    EXPECT_EQ(w.gauge, 60);
}

TEST(PromResponse, MatrixVectorLabelValuesAndErrors) {
    auto m = parsePromReply(matrix(series(R"({"cpu":"1","job":"node"})", {{10, "1.5"}, {11, "NaN"}, {12, "+Inf"}})));
    ASSERT_TRUE(m) << m.error().toString();
    EXPECT_EQ(m->resultType, "matrix");
    ASSERT_EQ(m->series.size(), 1u);
    EXPECT_EQ(m->series[0].labels.at("cpu"), "1");
    ASSERT_EQ(m->series[0].values.size(), 3u);
    EXPECT_EQ(m->series[0].values[0], 1.5);
    EXPECT_TRUE(std::isnan(m->series[0].values[1]));
    EXPECT_TRUE(std::isinf(m->series[0].values[2]));

    // Prometheus's own error and a body that is not Prometheus's differ by kind.
    auto e = parsePromReply(R"({"status":"error","errorType":"bad_data","error":"1:4: parse error"})");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().kind, ErrorKind::Refused);
    EXPECT_EQ(e.error().field, "error");
    EXPECT_EQ(e.error().message, "bad_data: 1:4: parse error");
    for (const char* body : {"<html>404</html>", R"({"error":"not found"})"}) {
        auto n = parsePromReply(body);
        ASSERT_FALSE(n) << body;
        EXPECT_EQ(n.error().kind, ErrorKind::Invalid) << body;
        EXPECT_EQ(n.error().field, "body") << body;
    }
    EXPECT_EQ(parsePromReply("<html>404</html>").error().message, "the reply is not JSON");
    EXPECT_EQ(parsePromReply(R"({"error":"not found"})").error().message, "the JSON is not a Prometheus API reply");
    auto lv = parsePromReply(R"({"status":"success","data":["a","b"]})");
    ASSERT_TRUE(lv);
    EXPECT_EQ(lv->strings, (std::vector<std::string>{"a", "b"}));
    EXPECT_FALSE(parsePromValue("1.5x"));
}

TEST(PromResponse, ScrapeIntervalFromTargets) {
    EXPECT_EQ(parseGoDuration("1m30s"), 90.0);
    EXPECT_EQ(parseGoDuration("500ms"), 0.5);
    EXPECT_FALSE(parseGoDuration("5 parsecs"));
    const std::string body =
        R"({"status":"success","data":{"activeTargets":[{"labels":{"instance":"a:1"},"scrapeInterval":"15s"},)"
        R"({"labels":{"instance":"b:2"},"scrapeInterval":"1s"}]}})";
    EXPECT_EQ(scrapeIntervalFromTargets(body, "b:2"), 1.0);
    EXPECT_EQ(scrapeIntervalFromTargets(body, "a:1"), 15.0);
    EXPECT_FALSE(scrapeIntervalFromTargets(body, "c:3"));
}

TEST(PromStep, DefaultIsRangeOverPointsNeverBelowScrape) {
    EXPECT_EQ(defaultStep(86400, 15, 4000), 22);  // 21.6 s, whole seconds
    EXPECT_EQ(defaultStep(600, 1, 4000), 1);      // 0.15 s would be below the scrape interval
    EXPECT_EQ(defaultStep(600, 15, 4000), 15);
    EXPECT_DOUBLE_EQ(defaultStep(60, 0.1, 4000), 0.1);
}

TEST(PromStep, SplitRangeKeepsEachPieceWithinPrometheusLimit) {
    auto pieces = splitRange(0, 30000, 1, 11000);
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_EQ(pieces[0], std::make_pair(0.0, 10999.0));
    EXPECT_EQ(pieces[1], std::make_pair(11000.0, 21999.0));
    EXPECT_EQ(pieces[2], std::make_pair(22000.0, 30000.0));
    EXPECT_EQ(splitRange(0, 100, 1).size(), 1u);
}

TEST(PromAssemble, GapsStayGapsAndSplitColumnsOrderNumerically) {
    ColumnQuery cpu{"cpu_percent", "x", {}}, core{"cpu_percent_per_core", "y", "cpu"};
    auto a = parsePromReply(matrix(series("{}", {{100, "10"}, {101, "20"}, {102, "NaN"}, {110, "40"}})));
    auto b = parsePromReply(
        matrix(series(R"({"cpu":"10"})", {{100, "1"}}) + "," + series(R"({"cpu":"2"})", {{100, "2"}, {102, "3"}})));
    ASSERT_TRUE(a && b);
    Timeline tl = assembleTimeline({{&cpu, {&*a}}, {&core, {&*b}}}, {});
    ASSERT_EQ(tl.system.size(), 4u);  // 100, 101, 102 (a per-core value), 110: nothing in 103..109
    EXPECT_EQ(tl.system.timestamp(3), 110);
    EXPECT_EQ(tl.system.value("cpu_percent", 1), 20);
    EXPECT_TRUE(std::isnan(tl.system.value("cpu_percent", 2)));  // NaN is missing, not 0
    EXPECT_EQ(tl.system.value("cpu_percent_per_core[2]", 2), 3);
    EXPECT_LT(tl.system.columnIndex("cpu_percent_per_core[2]"), tl.system.columnIndex("cpu_percent_per_core[10]"));
    EXPECT_GE(tl.system.columnIndex("load_avg_1m"), 0);  // py-perf's columns exist even when empty
}

TEST(PromImport, NodeExporterTimelineFromRangeQueries) {
    FakePrometheus prom;
    prom.range = [](const std::string& expr, double start, double end, double step) -> std::string {
        EXPECT_EQ(step, 1);
        if (startsWith(expr, "100 * (1 - sum(rate(node_cpu_seconds_total")) {
            std::vector<std::pair<double, std::string>> pts;
            for (double t = start; t <= end; t += step)
                if (t < start + 100 || t > start + 200) pts.emplace_back(t, std::to_string(t - start));  // a gap
            return series("{}", pts);
        }
        if (startsWith(expr, "avg_over_time(node_load1{instance=\"10.0.0.1:9100\"}[2s])"))
            return series(R"({"instance":"10.0.0.1:9100","job":"node"})", {{start, "0.5"}});
        return {};
    };
    auto r = importFromPrometheus(request(), std::ref(prom));
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_EQ(r->source, NodeSource::NodeExporter);
    EXPECT_EQ(r->scrapeInterval, 1);
    EXPECT_EQ(r->step, 1);  // 600 s / 4000 is below the 1 s scrape interval
    const Timeline& tl = r->recording.timeline;
    EXPECT_EQ(tl.system.size(), 601u - 101u);
    EXPECT_EQ(tl.system.timestamp(0), 1796241600);
    EXPECT_EQ(tl.system.value("cpu_percent", 99), 99);
    EXPECT_EQ(tl.system.timestamp(100), 1796241600 + 201);  // the gap has no rows
    EXPECT_EQ(tl.system.value("load_avg_1m", 0), 0.5);
    EXPECT_EQ(tl.metadata.sampleInterval, 1);
    EXPECT_TRUE(tl.processes.empty());
    ASSERT_FALSE(tl.metadata.extra.empty());
    EXPECT_NE(tl.metadata.extra[0].second.find("\"exporter\": \"node_exporter\""), std::string::npos);
    EXPECT_EQ(r->queries, static_cast<int>(systemQueries(NodeSource::NodeExporter, "x", {}).size()));
}

TEST(PromImport, LoadlineAgentProcessesCarryPidAndName) {
    FakePrometheus prom;
    prom.names = {"loadline_cpu_seconds_total", "loadline_process_cpu_percent"};
    prom.range = [](const std::string& expr, double start, double, double) -> std::string {
        if (startsWith(expr, "100 * (1 - sum(rate(loadline_cpu_seconds_total")) return series("{}", {{start, "50"}});
        if (startsWith(expr, "(avg_over_time(loadline_process_cpu_percent{instance=\"10.0.0.1:9100\",pid=\"7\"}"))
            return series(R"({"pid":"7","name":"train.py"})", {{start, "150"}, {start + 1, "90"}});
        return {};
    };
    auto req = request();
    req.processes.pids = {7};
    req.processes.namePatterns = {"train.*"};
    auto r = importFromPrometheus(req, std::ref(prom));
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_EQ(r->source, NodeSource::Loadline);
    const Timeline& tl = r->recording.timeline;
    ASSERT_EQ(tl.processes.count(7), 1u);
    const SeriesTable& p = tl.processes.at(7).samples;
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p.value("cpu_percent", 1), 90);
    EXPECT_EQ(p.value("pid", 0), 7);
    EXPECT_EQ(tl.processes.at(7).latestText("name"), "train.py");
}

TEST(PromImport, AutomaticStepAndChunksOverLongRanges) {
    FakePrometheus prom;
    prom.scrapeInterval = "15s";
    int maxPoints = 0;
    prom.range = [&](const std::string&, double start, double end, double step) -> std::string {
        maxPoints = std::max(maxPoints, static_cast<int>((end - start) / step) + 1);
        return series("{}", {{start, "1"}});
    };
    auto day = importFromPrometheus(request(1796241600 - 86400, 1796241600), std::ref(prom));
    ASSERT_TRUE(day) << day.error().toString();
    EXPECT_EQ(day->step, 22);
    auto req = request(1796241600 - 86400, 1796241600);
    req.step = 1;  // 86,401 points: eight pieces of at most 11,000
    auto fine = importFromPrometheus(req, std::ref(prom));
    ASSERT_TRUE(fine) << fine.error().toString();
    EXPECT_LE(maxPoints, 11000);
    EXPECT_EQ(fine->queries, 8 * static_cast<int>(systemQueries(NodeSource::NodeExporter, "x", {}).size()));
    EXPECT_FALSE(fine->recording.warnings.empty());  // below the 15 s scrape interval
}

TEST(PromImport, UnknownInstanceNamesTheKnownOnes) {
    FakePrometheus prom;
    prom.names = {};
    prom.instances = {"10.0.0.2:9100", "10.0.0.3:8080"};
    auto r = importFromPrometheus(request(), std::ref(prom));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Invalid);
    EXPECT_EQ(r.error().field, "instance");
    EXPECT_EQ(r.error().toString(),
              "http://prom.example:9090 has no instance \"10.0.0.1:9100\" (it has: 10.0.0.2:9100, 10.0.0.3:8080)");
}

TEST(PromImport, KnownInstanceWithoutSamplesInRange) {
    FakePrometheus prom;
    prom.names = {};
    auto r = importFromPrometheus(request(), std::ref(prom));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().field, "instance");
    EXPECT_EQ(r.error().toString(),
              "http://prom.example:9090 has no samples of instance \"10.0.0.1:9100\" between "
              "2026-12-02T20:00:00Z and 2026-12-02T20:10:00Z");
    auto empty = importFromPrometheus(request(1796241600, 1796241600), std::ref(prom));
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().field, "range");
    EXPECT_EQ(empty.error().toString(), "empty time range: 2026-12-02T20:00:00Z is not before 2026-12-02T20:00:00Z");
}

// A warning found before a failure (here: a step below the scrape interval, then a query
// Prometheus rejects) is told with the error, not dropped with the half-made import.
TEST(PromImport, WarningsBeforeAFailureStayWithTheError) {
    FakePrometheus prom;
    prom.scrapeInterval = "15s";
    prom.override = [](const std::string& t) -> std::optional<PromHttpReply> {
        if (t.rfind("/api/v1/query_range", 0) == 0)
            return PromHttpReply{
                422, "Unprocessable Entity", R"({"status":"error","errorType":"execution","error":"x"})", {}};
        return std::nullopt;
    };
    auto req = request();
    req.step = 1;
    auto r = importFromPrometheus(req, std::ref(prom));
    ASSERT_FALSE(r);
    const std::string text = r.error().toString();
    EXPECT_NE(text.find("Prometheus rejected query"), std::string::npos) << text;
    EXPECT_NE(text.find("\n  warning: step 1 s is below the scrape interval"), std::string::npos) << text;
}

TEST(PromImport, PrometheusErrorTextAndQueryAreNamed) {
    FakePrometheus prom;
    prom.override = [](const std::string& t) -> std::optional<PromHttpReply> {
        if (t.rfind("/api/v1/query_range", 0) == 0)
            return PromHttpReply{
                422,
                "Unprocessable Entity",
                R"({"status":"error","errorType":"execution","error":"query timed out in expression evaluation"})",
                {}};
        return std::nullopt;
    };
    auto r = importFromPrometheus(request(), std::ref(prom));
    ASSERT_FALSE(r);
    const std::string text = r.error().toString();
    EXPECT_TRUE(startsWith(text, "http://prom.example:9090: Prometheus rejected query `100 * (1 - sum(rate(node_cpu"))
        << text;
    EXPECT_NE(text.find("execution: query timed out in expression evaluation"), std::string::npos) << text;
    // Prometheus's own error: refused, with the status it answered and its error in "error".
    EXPECT_EQ(r.error().kind, ErrorKind::Refused);
    EXPECT_EQ(r.error().httpStatus, 422);
    EXPECT_EQ(r.error().field, "error");
}

TEST(PromImport, UnauthorizedNotPrometheusAndUnreachable) {
    FakePrometheus prom;
    prom.override = [](const std::string&) -> std::optional<PromHttpReply> {
        return PromHttpReply{401, "Unauthorized", "Unauthorized\n", {}};
    };
    auto r = importFromPrometheus(request(), std::ref(prom));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Refused);
    EXPECT_EQ(r.error().httpStatus, 401);
    EXPECT_EQ(r.error().field, "Authorization");
    EXPECT_EQ(r.error().toString(),
              "http://prom.example:9090 refused the request (HTTP 401 Unauthorized): credentials missing or "
              "wrong, for GET /api/v1/label/__name__/values");

    prom.override = [](const std::string&) -> std::optional<PromHttpReply> {
        return PromHttpReply{404, "Not Found", "<html><body>nope</body></html>", {}};
    };
    r = importFromPrometheus(request(), std::ref(prom));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Invalid);  // not Prometheus: not its refusal
    EXPECT_EQ(r.error().httpStatus, 404);
    EXPECT_EQ(r.error().field, "body");
    EXPECT_EQ(r.error().toString(),
              "http://prom.example:9090 does not look like a Prometheus server: GET "
              "/api/v1/label/__name__/values answered HTTP 404 Not Found and the reply is not JSON");

    prom.override = [](const std::string&) -> std::optional<PromHttpReply> {
        return PromHttpReply{0, {}, {}, "Connection refused"};
    };
    r = importFromPrometheus(request(), std::ref(prom));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::Io);
    EXPECT_EQ(r.error().httpStatus, 0);
    EXPECT_EQ(r.error().toString(), "cannot reach Prometheus at http://prom.example:9090: Connection refused");
}

TEST(PromInstances, UpWithJobAndExporter) {
    std::vector<PromHttpReply> replies = {
        ok(R"({"status":"success","data":{"resultType":"vector","result":[)"
           R"({"metric":{"__name__":"up","instance":"b:9100","job":"node"},"value":[1,"1"]},)"
           R"({"metric":{"__name__":"up","instance":"a:8080","job":"agents"},"value":[1,"1"]},)"
           R"({"metric":{"__name__":"up","instance":"c:9090","job":"prometheus"},"value":[1,"0"]}]}})"),
        ok(R"({"status":"success","data":{"resultType":"vector","result":[)"
           R"({"metric":{"__name__":"node_cpu_seconds_total","instance":"b:9100","job":"node"},"value":[1,"16"]},)"
           R"({"metric":{"__name__":"loadline_cpu_seconds_total","instance":"a:8080","job":"agents"},"value":[1,"16"]}]}})")};
    std::string error;
    auto parsed = parseInstanceList("srv", replies);
    auto list = parsed.value_or(std::vector<PromInstance>{});
    if (!parsed) error = parsed.error().toString();
    ASSERT_TRUE(error.empty()) << error;
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].instance, "a:8080");
    EXPECT_EQ(list[0].source, NodeSource::Loadline);
    EXPECT_EQ(list[1].job, "node");
    EXPECT_EQ(list[1].source, NodeSource::NodeExporter);
    EXPECT_FALSE(list[2].up);
    EXPECT_FALSE(list[2].source);
}

TEST(TimeArg, MomentsAndDurations) {
    EXPECT_EQ(parseMoment("1796241600"), 1796241600.0);
    EXPECT_EQ(parseMoment("1796241600.5"), 1796241600.5);
    EXPECT_EQ(parseMoment("2026-12-02T20:00:00Z"), 1796241600.0);
    EXPECT_EQ(parseMoment("2026-12-02T21:00:00+01:00"), 1796241600.0);
    EXPECT_EQ(parseMoment("2026-12-02 20:00:00.25Z"), 1796241600.25);
    EXPECT_EQ(parseMoment("2026-12-02T20:00Z"), 1796241600.0);
    EXPECT_FALSE(parseMoment("2026-13-02T20:00:00Z"));
    EXPECT_FALSE(parseMoment("2026-02-30T20:00:00Z"));  // no 30 February (not rolled into March)
    EXPECT_FALSE(parseMoment("2026-04-31"));
    EXPECT_FALSE(parseMoment("2026-02-29"));
    EXPECT_TRUE(parseMoment("2028-02-29T00:00:00Z"));   // a leap year
    EXPECT_FALSE(parseMoment("2100-02-29T00:00:00Z"));  // a century that is not
    EXPECT_FALSE(parseMoment("yesterday"));
    EXPECT_FALSE(parseMoment("2026-12-02T20:00:00Q"));
    EXPECT_EQ(parseDurationArg("1h"), 3600.0);
    EXPECT_EQ(parseDurationArg("15m"), 900.0);
    EXPECT_EQ(parseDurationArg("7d"), 7 * 86400.0);
    EXPECT_EQ(parseDurationArg("90"), 90.0);
    EXPECT_FALSE(parseDurationArg("0s"));
    EXPECT_FALSE(parseDurationArg("1w"));
    EXPECT_EQ(formatUtc(1796241600.5), "2026-12-02T20:00:00.500Z");
}
