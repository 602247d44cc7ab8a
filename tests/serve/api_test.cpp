// The API without sockets: routing, auth, validation, history slices, pushed data in the timeline.
#include "core/serve/api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/timeline/columns.h"

using namespace loadline::core;
using namespace loadline::core::serve;
using json = nlohmann::json;

namespace {

struct Fixture {
    std::shared_ptr<LiveData> live = std::make_shared<LiveData>(100);
    double clock = 1000;
    Api api;

    explicit Fixture(std::string token = {}, CmdlineMode cmdline = CmdlineMode::Show)
        : api(makeConfig(std::move(token), cmdline), live) {
        live->updateHistory([](Timeline& t) {
            t.metadata.platform = "Linux";
            t.metadata.sampleInterval = 1;
            int cpu = t.system.ensureColumn(col::kCpuPercent);
            int load = t.system.ensureColumn(col::kLoadAvg1m);
            for (int i = 0; i < 10; ++i) {
                t.system.appendRow(1000 + i);
                t.system.setLast(cpu, 10.0 * i);
                t.system.setLast(load, 0.5);
            }
            auto& p = t.process(4242).samples;
            int pc = p.ensureColumn(col::kCpuPercent);
            int name = p.ensureColumn(col::kName, true);
            int cmd = p.ensureColumn(col::kCmdline, true);
            for (int i = 0; i < 5; ++i) {
                p.appendRow(1000 + i);
                p.setLast(pc, 1.0 * i);
                p.setLastText(name, "worker");
                p.setLastText(cmd, "worker --password=hunter2 --port 80");
            }
        });
        live->publish(std::make_shared<const std::string>(R"({"snap":1})"),
                      std::make_shared<const std::string>(
                          "# HELP loadline_load1 x\n# TYPE loadline_load1 gauge\nloadline_load1 0.5\n"));
        live->setInfoJson(R"({"node_id":"node-a"})");
    }

    ApiConfig makeConfig(std::string token, CmdlineMode cmdline) {
        ApiConfig c{"node-a", std::move(token), {}, 4, [this] { return clock; }};
        c.cmdline = cmdline;
        return c;
    }
    HttpResponse get(const std::string& path, std::map<std::string, std::string> q = {}, std::string auth = {}) {
        return api.handle(HttpRequest{"GET", path, std::move(q), std::move(auth), {}});
    }
    HttpResponse post(const std::string& path, std::string body, std::string auth = {}) {
        return api.handle(HttpRequest{"POST", path, {}, std::move(auth), std::move(body)});
    }
};

json body(const HttpResponse& r) { return json::parse(r.body); }

}  // namespace

TEST(ServeApi, RoutesAndErrors) {
    Fixture f;
    EXPECT_EQ(f.get("/api/health").status, 200);
    EXPECT_EQ(f.get("/api/health/").status, 200);  // trailing slash optional
    auto nf = f.get("/api/nothing");
    EXPECT_EQ(nf.status, 404);
    EXPECT_EQ(body(nf)["field"], "path");
    auto wrong = f.api.handle(HttpRequest{"DELETE", "/alerts/", {}, {}, {}});
    EXPECT_EQ(wrong.status, 405);
    ASSERT_EQ(wrong.headers.size(), 1u);
    EXPECT_EQ(wrong.headers[0].second, "GET, POST");
    EXPECT_EQ(f.post("/api/health", "{}").status, 405);
}

TEST(ServeApi, NodeIdFilter) {
    Fixture f;
    EXPECT_EQ(f.get("/api/system/metrics").body, R"({"snap":1})");
    EXPECT_EQ(f.get("/api/system/metrics", {{"node_id", "node-a"}}).status, 200);
    auto other = f.get("/api/system/metrics", {{"node_id", "node-b"}});
    EXPECT_EQ(other.status, 404);
    EXPECT_EQ(body(other)["field"], "node_id");
}

TEST(ServeApi, TimelineRangeAndLatest) {
    Fixture f;
    auto all = body(f.get("/api/system-timeline/"));
    EXPECT_EQ(all["system"].size(), 10u);
    auto part = body(f.get("/api/system-timeline/", {{"start", "1003"}, {"end", "1005.5"}}));
    ASSERT_EQ(part["system"].size(), 3u);
    EXPECT_EQ(part["system"][0]["timestamp"], 1003);
    EXPECT_EQ(part["metadata"]["start_time"], 1003);
    EXPECT_EQ(part["processes"]["4242"].size(), 2u);
    EXPECT_EQ(body(f.get("/api/system-timeline/", {{"start", "soon"}}))["field"], "start");
    EXPECT_EQ(body(f.get("/api/system-timeline/", {{"start", "5"}, {"end", "4"}}))["field"], "end");
    auto latest = body(f.get("/api/system-metrics/"));
    EXPECT_EQ(latest["timestamp"], 1009);
    EXPECT_EQ(latest["cpu_percent"], 90);
}

TEST(ServeApi, ProcessMetrics) {
    Fixture f;
    auto p = f.get("/api/process-metrics/4242/");
    ASSERT_EQ(p.status, 200);
    EXPECT_EQ(body(p)["samples"].size(), 5u);
    EXPECT_EQ(body(p)["latest"]["name"], "worker");
    EXPECT_EQ(f.get("/api/process-metrics/77/").status, 404);
    EXPECT_EQ(body(f.get("/api/process-metrics/x1/"))["field"], "pid");
}

TEST(ServeApi, PushedMetricsAndPipelinesRoundTripIntoTheTimeline) {
    Fixture f;
    f.clock = 1004;
    EXPECT_EQ(f.post("/metrics/", R"({"service":"web","metric_type":"requests_per_second","value":156.7})").status,
              201);
    f.clock = 1005;
    EXPECT_EQ(
        f.post("/pipelines/", R"({"pipeline_type":"training","status":"running","metadata":{"step":"epoch1"}})").status,
        201);
    f.clock = 1007;
    EXPECT_EQ(f.post("/pipelines/", R"({"pipeline_type":"training","status":"completed"})").status, 201);
    EXPECT_EQ(f.post("/alerts/", R"({"title":"hot","message":"cpu","severity":3,"service":"web"})").status, 201);
    auto t = body(f.get("/api/system-timeline/", {{"start", "1000"}, {"end", "1009"}}));
    ASSERT_EQ(t["custom_metrics"].size(), 1u);
    EXPECT_EQ(t["custom_metrics"][0]["service"], "web");
    EXPECT_EQ(t["custom_metrics"][0]["samples"][0]["value"], 156.7);
    EXPECT_EQ(t["custom_metrics"][0]["samples"][0]["timestamp"], 1004);
    ASSERT_EQ(t["pipelines"].size(), 1u);
    EXPECT_EQ(t["pipelines"][0]["stage"], "epoch1");
    EXPECT_EQ(t["pipelines"][0]["start"], 1005);
    EXPECT_EQ(t["pipelines"][0]["end"], 1007);
    EXPECT_EQ(t["alerts"].size(), 1u);
    // Outside the range, nothing.
    auto early = body(f.get("/api/system-timeline/", {{"start", "900"}, {"end", "1000"}}));
    EXPECT_EQ(early["custom_metrics"].size(), 0u);
    EXPECT_EQ(early["pipelines"].size(), 0u);
    // Prometheus shows the pushed values too.
    auto prom = f.get("/metrics").body;
    EXPECT_NE(prom.find("loadline_load1 0.5\n"), std::string::npos);
    EXPECT_NE(prom.find("loadline_custom_metric{service=\"web\",metric_type=\"requests_per_second\"} 156.7\n"),
              std::string::npos);
    // GET /metrics/ (the push endpoint) lists what was pushed, as JSON, like /services/.
    const auto pushed = f.get("/metrics/");
    EXPECT_EQ(pushed.status, 200);
    auto list = body(pushed);
    ASSERT_TRUE(list.is_array()) << pushed.body;
    bool seen = false;
    for (const auto& m : list)
        if (m["service"] == "web" && m["metric_type"] == "requests_per_second")
            seen = m["samples"].back()["value"] == 156.7;
    EXPECT_TRUE(seen) << list.dump();
}

TEST(ServeApi, ValidationNamesTheFieldAndKeepsWhatIsHeld) {
    Fixture f;
    EXPECT_EQ(f.post("/services/", R"({"name":"db","status":"up"})").status, 201);
    auto bad = f.post("/services/", R"({"name":"db","status":"maybe"})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(body(bad)["field"], "status");
    auto list = body(f.get("/services/"));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["status"], "up");
    EXPECT_EQ(body(f.post("/alerts/", "not json"))["field"], "body");
}

TEST(ServeApi, TokenGuardsEverythingButHealth) {
    Fixture f("s3cret");
    EXPECT_EQ(f.get("/api/health").status, 200);
    auto none = f.post("/alerts/", R"({"title":"t","message":"m","severity":1})");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(body(none)["field"], "Authorization");
    EXPECT_EQ(f.post("/alerts/", R"({"title":"t","message":"m","severity":1})", "Bearer wrong").status, 401);
    EXPECT_EQ(f.post("/alerts/", R"({"title":"t","message":"m","severity":1})", "Bearer s3cret").status, 201);
    EXPECT_EQ(f.get("/metrics").status, 401);
    EXPECT_EQ(f.get("/metrics", {}, "bearer s3cret").status, 200);
    EXPECT_EQ(f.get("/api/system/info", {}, "Basic s3cret").status, 401);
}

TEST(ServeApi, QueryAndTokenHelpers) {
    auto q = parseQuery("start=1.5&end=2&node_id=a%20b&x");
    EXPECT_EQ(q["start"], "1.5");
    EXPECT_EQ(q["node_id"], "a b");
    EXPECT_EQ(q.count("x"), 1u);
    EXPECT_TRUE(constantTimeEquals("abc", "abc"));
    EXPECT_FALSE(constantTimeEquals("abc", "abd"));
    EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
}

TEST(ServeApi, PerformanceSummaryRoundTrip) {
    Fixture f;
    const std::string summary = R"({"session_id": "s-1",
        "function_timings": [{"function_name": "f", "wall_time": 2, "cpu_time": 1.5, "timestamp": 1006}],
        "system_timeline": {"system": [], "processes": {},
                            "metadata": {"platform": "Linux", "sample_interval": 0.5, "start_time": null, "end_time": null}}})";
    auto r = f.post("/api/performance-summary/", summary);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(body(r)["url"], "/api/performance-summary/s-1/");
    auto g = f.get("/api/performance-summary/s-1/");
    ASSERT_EQ(g.status, 200);
    auto j = body(g);
    EXPECT_EQ(j["session_id"], "s-1");
    EXPECT_EQ(j["function_timings"][0]["function_name"], "f");
    // The client sent no samples: the node's own history over the call window (1004..1006, ±1 s) fills in.
    EXPECT_EQ(j["system_timeline"]["system"].size(), 5u);
    // ... and the call is correlated with it: cpu_percent 40, 50, 60 at 1004..1006 → mean 50.
    ASSERT_EQ(j["correlation"]["calls"].size(), 1u);
    EXPECT_NEAR(j["correlation"]["calls"][0]["system_cpu_percent"].get<double>(), 50.0, 1e-9);
    EXPECT_EQ(j["correlation"]["functions"][0]["name"], "f");
    // The same field names as `inspect --json` (core/export/functionsjson.h): "own_work", not "own work".
    const auto& fn = j["correlation"]["functions"][0];
    for (const char* key :
         {"p95_wall_time", "mean_system_cpu_percent", "mean_system_memory_percent", "slowdown_under_load"})
        EXPECT_TRUE(fn.contains(key)) << key;
    int counted = 0;
    for (const char* key : {"own_work", "contention", "waiting", "unknown"}) {
        ASSERT_TRUE(fn["verdicts"].contains(key)) << fn.dump();
        counted += fn["verdicts"][key].get<int>();
    }
    EXPECT_EQ(counted, 1);
    EXPECT_EQ(fn["verdicts"]["waiting"], 1);  // CPU/wall 0.75 < 0.8 while the system sat at 50 % < 70 %
    EXPECT_EQ(f.get("/api/performance-summary/nope/").status, 404);
    EXPECT_EQ(body(f.post("/api/performance-summary/", R"({"session_id": "x", "function_timings": [)"))["field"],
              "body");
    auto notSummary = f.post("/api/performance-summary/", R"({"system": [], "processes": {}, "metadata": {}})");
    EXPECT_EQ(notSummary.status, 400);
    EXPECT_EQ(body(notSummary)["field"], "session_id");
}

// A session id is fetchable by its URL or refused: a documented character set.
TEST(ServeApi, SessionIdsOutsideTheCharacterSetAreRefused) {
    Fixture f;
    auto summary = [](const std::string& id) {
        return R"({"session_id": )" + json(id).dump() +
               R"(, "function_timings": [], "system_timeline": {"system": [], "processes": {}, "metadata": {}}})";
    };
    for (const char* bad : {"a/b", "../../etc/passwd", "..", "sp ace", "%2F", "q?x"}) {
        auto r = f.post("/api/performance-summary/", summary(bad));
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(body(r)["field"], "session_id") << bad;
    }
    EXPECT_EQ(f.api.summaries().size(), 0u);
    auto ok = f.post("/api/performance-summary/", summary("run-7.A_b~c"));
    ASSERT_EQ(ok.status, 201);
    EXPECT_EQ(f.get(body(ok)["url"].get<std::string>()).status, 200);
    EXPECT_TRUE(validSessionId(std::string(128, 'a')));
    EXPECT_FALSE(validSessionId(std::string(129, 'a')));
}

TEST(ServeApi, APushedTimestampFarFromNowIs400) {
    Fixture f;
    auto r = f.post("/metrics/", R"({"service": "s", "metric_type": "m", "value": 1, "timestamp": 1e308})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(body(r)["field"], "timestamp");
}

TEST(ServeApi, TheTokenIsDecidedFromTheHeadersForAnyBody) {
    Fixture open;
    EXPECT_FALSE(open.api.refuseBeforeBody("", 100));
    Fixture guarded("tok");
    EXPECT_FALSE(guarded.api.refuseBeforeBody("", 0));  // no body: the route decides (health is open)
    auto r = guarded.api.refuseBeforeBody("", 100);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_FALSE(guarded.api.refuseBeforeBody("Bearer tok", 100));
}

// History endpoints serve command lines as configured: as read, masked, or not at all.
TEST(ServeApi, CommandLinesInHistoryFollowTheCmdlineMode) {
    for (CmdlineMode mode : {CmdlineMode::Show, CmdlineMode::Redact, CmdlineMode::Omit}) {
        SCOPED_TRACE(cmdlineModeName(mode));
        Fixture f({}, mode);
        const auto timeline = f.get("/api/system-timeline/");
        ASSERT_EQ(timeline.status, 200) << timeline.body;
        const auto proc = f.get("/api/process-metrics/4242/");
        ASSERT_EQ(proc.status, 200) << proc.body;
        const auto latest = body(proc)["latest"];
        const json tlProc = body(timeline)["processes"]["4242"].back();
        for (const json& sample : {latest, tlProc}) {
            EXPECT_EQ(sample["name"], "worker");
            switch (mode) {
            case CmdlineMode::Show: EXPECT_EQ(sample["cmdline"], "worker --password=hunter2 --port 80"); break;
            case CmdlineMode::Redact: EXPECT_EQ(sample["cmdline"], "worker --password=*** --port 80"); break;
            case CmdlineMode::Omit: EXPECT_FALSE(sample.contains("cmdline")) << sample.dump(); break;
            }
        }
        if (mode != CmdlineMode::Show) {
            EXPECT_EQ(timeline.body.find("hunter2"), std::string::npos);
            EXPECT_EQ(proc.body.find("hunter2"), std::string::npos);
        }
    }
}
