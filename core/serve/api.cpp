#include "core/serve/api.h"

#include "core/export/functionsjson.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/correlate/correlate.h"
#include "core/format/jsonnumber.h"
#include "core/format/recordingio.h"
#include "core/serve/prometheus.h"
#include "core/serve/timelineslice.h"

namespace loadline::core::serve {

using json = nlohmann::json;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

HttpResponse jsonResponse(int status, const json& body) {
    HttpResponse r;
    r.status = status;
    // Replace, never throw on, invalid UTF-8 (a parser's message may quote the bad bytes).
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

std::vector<std::string_view> splitPath(std::string_view path) {
    std::vector<std::string_view> segs;
    std::size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/') ++i;
        if (i >= path.size()) break;
        std::size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        segs.push_back(path.substr(i, j - i));
        i = j;
    }
    return segs;
}

// A query parameter as a finite number; absent gives fallback.
Status numberParam(const std::map<std::string, std::string>& q, const char* name, double fallback, double& out) {
    auto it = q.find(name);
    if (it == q.end() || it->second.empty()) {
        out = fallback;
        return {};
    }
    const char* s = it->second.c_str();
    char* end = nullptr;
    double v = std::strtod(s, &end);
    if (end == s || *end != '\0' || !std::isfinite(v))
        return failField(name, "expected epoch seconds (a number), got \"" + it->second + "\"");
    out = v;
    return {};
}

HttpResponse errorResponse(const Error& e, int status = 400) { return jsonError(status, e.message, e.field); }

constexpr auto num = jsontext::numberOrNull<json>;

// The load during each call and per-function statistics (core/correlate), for a served summary.
json correlationJson(const Correlation& c) {
    json functions = json::array();
    for (const auto& f : c.functions) {
        json entry = {{"name", f.name},
                      {"calls", f.calls},
                      {"total_wall_time", num(f.totalWall)},
                      {"mean_wall_time", num(f.meanWall)},
                      {"mean_cpu_time", num(f.meanCpu)}};
        addLoadFields(entry, f);  // the same load fields and verdict keys as `inspect --json`
        functions.push_back(std::move(entry));
    }
    json calls = json::array();
    for (const auto& call : c.calls)
        calls.push_back({{"function", c.functions[static_cast<std::size_t>(call.functionIndex)].name},
                         {"start", call.start},
                         {"end", call.end},
                         {"system_cpu_percent", num(call.systemCpuPercent)},
                         {"system_memory_percent", num(call.systemMemoryPercent)},
                         {"verdict", verdictName(call.verdict)}});
    return {{"functions", std::move(functions)},
            {"calls", std::move(calls)},
            {"warnings", c.warnings},
            {"rule", verdictRuleText(c.thresholds)}};
}

}  // namespace

HttpResponse jsonError(int status, std::string_view message, std::string_view field) {
    json j = {{"error", message}, {"status", status}};
    if (!field.empty()) j["field"] = field;
    return jsonResponse(status, j);
}

std::string percentDecode(std::string_view s, bool plusIsSpace) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else if (plusIsSpace && s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

std::map<std::string, std::string> parseQuery(std::string_view query) {
    std::map<std::string, std::string> out;
    std::size_t i = 0;
    while (i <= query.size()) {
        std::size_t amp = query.find('&', i);
        if (amp == std::string_view::npos) amp = query.size();
        std::string_view part = query.substr(i, amp - i);
        if (!part.empty()) {
            std::size_t eq = part.find('=');
            std::string key = percentDecode(part.substr(0, eq), true);
            std::string value = eq == std::string_view::npos ? std::string() : percentDecode(part.substr(eq + 1), true);
            out[std::move(key)] = std::move(value);
        }
        i = amp + 1;
    }
    return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

Api::Api(ApiConfig config, std::shared_ptr<LiveData> live)
    : m_config(std::move(config)),
      m_live(std::move(live)),
      m_push(m_config.pushLimits),
      m_summaries(m_config.maxSummaries, m_config.maxSummaryBytes) {
    m_started = now();
}

double Api::now() const {
    if (m_config.clock) return m_config.clock();
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

bool validSessionId(std::string_view id) {
    if (id.empty() || id.size() > 128 || id == "." || id == "..") return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '~' || c == '-';
    });
}

bool Api::isSlow(std::string_view method, std::string_view path) {
    auto starts = [&](std::string_view p) { return path.substr(0, p.size()) == p; };
    return method == "POST" || starts("/api/performance-summary") || starts("/api/system-timeline") ||
           starts("/api/process-metrics");
}

std::optional<HttpResponse> Api::refuseBeforeBody(std::string_view authorization, std::uint64_t contentLength) const {
    if (contentLength == 0 || authorizedHeader(authorization)) return std::nullopt;
    auto resp = jsonError(401, authorization.empty() ? "missing bearer token" : "wrong bearer token", "Authorization");
    resp.headers.emplace_back("WWW-Authenticate", "Bearer");
    return resp;
}

bool Api::authorized(const HttpRequest& r) const { return authorizedHeader(r.authorization); }

bool Api::authorizedHeader(std::string_view h) const {
    if (m_config.token.empty()) return true;
    constexpr std::string_view scheme = "Bearer ";
    if (h.size() < scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)  // the scheme is case-insensitive (RFC 9110 §11.1)
        if (std::tolower(static_cast<unsigned char>(h[i])) != std::tolower(static_cast<unsigned char>(scheme[i])))
            return false;
    h.remove_prefix(scheme.size());
    while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
    while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
    return constantTimeEquals(h, m_config.token);
}

HttpResponse Api::handle(const HttpRequest& r) {
    ++m_requests;
    struct Route {
        std::initializer_list<std::string_view> pattern;  // "*" matches one segment
        std::string_view method;
        bool open;  // served without a token
        int id;
    };
    enum {
        kHealth,
        kInfo,
        kSysMetrics,
        kLatest,
        kTimeline,
        kProcess,
        kSummaryGet,
        kSummaryPost,
        kProm,
        kPushMetric,
        kServicesGet,
        kServicesPost,
        kPipelinesGet,
        kPipelinesPost,
        kAlertsGet,
        kAlertsPost,
        kRuleAlerts
    };
    static const Route routes[] = {
        {{"api", "health"}, "GET", true, kHealth},
        {{"api", "system", "info"}, "GET", false, kInfo},
        {{"api", "system", "metrics"}, "GET", false, kSysMetrics},
        {{"api", "system-metrics"}, "GET", false, kLatest},
        {{"api", "system-timeline"}, "GET", false, kTimeline},
        {{"api", "process-metrics", "*"}, "GET", false, kProcess},
        {{"api", "performance-summary", "*"}, "GET", false, kSummaryGet},
        {{"api", "performance-summary"}, "POST", false, kSummaryPost},
        {{"metrics"}, "GET", false, kProm},
        {{"metrics"}, "POST", false, kPushMetric},
        {{"services"}, "GET", false, kServicesGet},
        {{"services"}, "POST", false, kServicesPost},
        {{"pipelines"}, "GET", false, kPipelinesGet},
        {{"pipelines"}, "POST", false, kPipelinesPost},
        {{"alerts"}, "GET", false, kAlertsGet},
        {{"alerts"}, "POST", false, kAlertsPost},
        {{"api", "alerts"}, "GET", false, kRuleAlerts},
    };

    const auto segs = splitPath(r.path);
    const Route* hit = nullptr;
    std::string_view param;
    std::string allow;
    for (const auto& route : routes) {
        if (route.pattern.size() != segs.size()) continue;
        bool match = true;
        std::string_view captured;
        std::size_t i = 0;
        for (auto p : route.pattern) {
            if (p == "*") captured = segs[i];
            else if (p != segs[i]) {
                match = false;
                break;
            }
            ++i;
        }
        if (!match) continue;
        if (allow.find(route.method) == std::string::npos)
            allow += (allow.empty() ? "" : ", ") + std::string(route.method);
        if (route.method == r.method) {
            hit = &route;
            param = captured;
        }
    }
    if (!hit && allow.empty()) return jsonError(404, "no such endpoint: " + r.path, "path");
    if (!hit) {
        auto resp = jsonError(405, r.method + " is not allowed on " + r.path + " (allowed: " + allow + ")", "method");
        resp.headers.emplace_back("Allow", allow);
        return resp;
    }
    if (!hit->open && !authorized(r)) {
        auto resp =
            jsonError(401, r.authorization.empty() ? "missing bearer token" : "wrong bearer token", "Authorization");
        resp.headers.emplace_back("WWW-Authenticate", "Bearer");
        return resp;
    }
    try {
        switch (hit->id) {
        case kHealth: return health();
        case kInfo: return systemInfo();
        case kSysMetrics: return systemMetrics(r);
        case kLatest: return latestSample();
        case kTimeline: return timeline(r);
        case kProcess: return processMetrics(r, param);
        case kSummaryGet: return summaryGet(param);
        case kSummaryPost: return summaryPost(r);
        // "/metrics" is Prometheus' scrape path; "/metrics/" (Climate System Monitor's push
        // endpoint) lists the pushed metrics as JSON, as GET does on /services/, /pipelines/ and /alerts/.
        case kProm:
            if (r.path.size() > 1 && r.path.back() == '/') {
                std::lock_guard lock(m_mutex);
                return jsonResponse(200, m_push.metricsJson(-kInf, kInf));
            }
            return prometheus();
        case kPushMetric: return pushMetric(r);
        case kServicesGet: {
            std::lock_guard lock(m_mutex);
            return jsonResponse(200, m_push.servicesJson());
        }
        case kServicesPost: return pushService(r);
        case kPipelinesGet: {
            std::lock_guard lock(m_mutex);
            return jsonResponse(200, m_push.pipelinesJson(-kInf, kInf, now()));
        }
        case kPipelinesPost: return pushPipeline(r);
        case kAlertsGet: {
            std::lock_guard lock(m_mutex);
            return jsonResponse(200, m_push.alertsJson());
        }
        case kAlertsPost: return pushAlert(r);
        case kRuleAlerts: {  // serve --alert's intervals, rendered by the sampler thread
            HttpResponse resp;
            auto body = m_live->alertsJson();
            resp.body = body ? *body : std::string(R"({"rules":[],"open":0,"alerts":[]})");
            return resp;
        }
        }
    } catch (const std::exception& e) {
        return jsonError(500, std::string("internal error: ") + e.what());
    }
    return jsonError(500, "unhandled route");
}

HttpResponse Api::health() {
    json j = {{"status", "ok"},
              {"node_id", m_config.nodeId},
              {"uptime_seconds", now() - m_started},
              {"ticks", m_live->ticks()},
              {"version", LOADLINE_VERSION}};
    return jsonResponse(200, j);
}

HttpResponse Api::systemInfo() {
    auto info = m_live->infoJson();
    if (!info) return jsonError(503, "system information not collected yet");
    HttpResponse r;
    r.body = *info;
    return r;
}

HttpResponse Api::systemMetrics(const HttpRequest& r) {
    if (auto it = r.query.find("node_id"); it != r.query.end() && it->second != m_config.nodeId)
        return jsonError(404, "unknown node_id \"" + it->second + "\" (this node is \"" + m_config.nodeId + "\")",
                         "node_id");
    auto snap = m_live->snapshotJson();
    if (!snap) return jsonError(503, "no sample yet");
    HttpResponse resp;
    resp.body = *snap;
    return resp;
}

HttpResponse Api::latestSample() {
    auto slice = m_live->readHistory([](const Timeline& t) {
        Timeline one;
        if (!t.system.empty()) appendRowFrom(one.system, t.system, t.system.size() - 1);
        return one;
    });
    if (slice.system.empty()) return jsonError(503, "no sample yet");
    HttpResponse resp;
    resp.body = sampleToText(slice.system, 0);  // py-perf's sample object, streamed: no DOM
    return resp;
}

HttpResponse Api::timeline(const HttpRequest& r) {
    double start = 0, end = 0;
    if (auto s = numberParam(r.query, "start", -kInf, start); !s) return errorResponse(s.error());
    if (auto s = numberParam(r.query, "end", kInf, end); !s) return errorResponse(s.error());
    if (start > end) return jsonError(400, "end is before start", "end");
    Timeline slice = m_live->readHistory(
        [&](const Timeline& t) { return sliceTimeline(t, start, end, std::nullopt, m_config.cmdline); });
    // Pushed data rides along as extra top-level keys (py-perf readers ignore them); the
    // format's streaming writer emits them, so no DOM is built for a long history.
    std::unique_lock lock(m_mutex);
    json alerts = json::array();
    for (const auto& a : m_push.alerts())
        if (a.timestamp >= start && a.timestamp <= end) alerts.push_back(toJson(a));
    slice.extra.emplace_back("custom_metrics",
                             m_push.metricsJson(start, end).dump(-1, ' ', false, json::error_handler_t::replace));
    slice.extra.emplace_back(
        "pipelines", m_push.pipelinesJson(start, end, now()).dump(-1, ' ', false, json::error_handler_t::replace));
    slice.extra.emplace_back("alerts", alerts.dump(-1, ' ', false, json::error_handler_t::replace));
    lock.unlock();
    slice.extra.emplace_back("node_id", json(m_config.nodeId).dump(-1, ' ', false, json::error_handler_t::replace));
    HttpResponse resp;
    resp.body = timelineToText(slice);
    return resp;
}

HttpResponse Api::processMetrics(const HttpRequest& r, std::string_view pidText) {
    int pid = 0;
    if (pidText.empty() || pidText.size() > 9) return jsonError(400, "expected a process id", "pid");
    for (char c : pidText) {
        if (c < '0' || c > '9')
            return jsonError(400, "expected a process id, got \"" + std::string(pidText) + "\"", "pid");
        pid = pid * 10 + (c - '0');
    }
    double start = 0, end = 0;
    if (auto s = numberParam(r.query, "start", -kInf, start); !s) return errorResponse(s.error());
    if (auto s = numberParam(r.query, "end", kInf, end); !s) return errorResponse(s.error());
    bool tracked = false;
    Timeline slice = m_live->readHistory([&](const Timeline& t) {
        tracked = t.processes.count(pid) > 0;
        return sliceTimeline(t, start, end, pid, m_config.cmdline);
    });
    if (!tracked) return jsonError(404, "process " + std::to_string(pid) + " is not tracked", "pid");
    // {"pid", "latest", "samples"}, the samples written by the py-perf writer (no DOM).
    HttpResponse resp;
    resp.body = "{\"pid\": " + std::to_string(pid) + ", \"latest\": ";
    const auto p = slice.processes.find(pid);
    const SeriesTable* samples = p != slice.processes.end() ? &p->second.samples : nullptr;
    resp.body += samples && !samples->empty() ? sampleToText(*samples, samples->size() - 1) : std::string("null");
    resp.body += ", \"samples\": ";
    resp.body += samples ? samplesToText(*samples) : std::string("[]");
    resp.body += "}";
    return resp;
}

HttpResponse Api::summaryGet(std::string_view sessionId) {
    Recording rec;  // a copy: we may add this node's samples, and correlate without the lock
    double received = 0;
    {
        std::lock_guard lock(m_mutex);
        const auto* e = m_summaries.find(std::string(sessionId));
        if (!e)
            return jsonError(404, "no performance summary with session_id \"" + std::string(sessionId) + "\"",
                             "session_id");
        rec = e->recording;
        received = e->received;
    }
    if (rec.timeline.system.empty() && !rec.functionTimings.empty()) {
        // The client sent no system timeline: combine with this node's history over the calls.
        double first = kInf, last = -kInf;
        for (const auto& f : rec.functionTimings) {
            first = std::min(first, f.startTime());
            last = std::max(last, f.timestamp);
        }
        rec.timeline = m_live->readHistory(
            [&](const Timeline& t) { return sliceTimeline(t, first - 1, last + 1, std::nullopt, m_config.cmdline); });
    } else {
        filterCmdlines(rec.timeline, m_config.cmdline);  // what a client posted is served under the same rule
    }
    // The summary as the py-perf writer streams it, with ours as extra top-level keys.
    const auto dump = [](const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); };
    std::erase_if(rec.extra, [](const auto& kv) {  // ours replace keys of those names a client sent
        return kv.first == "correlation" || kv.first == "received" || kv.first == "node_id";
    });
    rec.extra.emplace_back("correlation", dump(correlationJson(correlate(rec))));
    rec.extra.emplace_back("received", dump(json(received)));
    rec.extra.emplace_back("node_id", dump(json(m_config.nodeId)));
    HttpResponse resp;
    resp.body = recordingToText(rec);
    return resp;
}

HttpResponse Api::summaryPost(const HttpRequest& r) {
    if (r.body.empty()) return jsonError(400, "empty; a py-perf performance summary is required", "body");
    if (jsonNestingDepth(r.body) > kMaxJsonDepth)
        return jsonError(400, "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels", "body");
    LoadOptions opts;
    opts.maxSamples = 100000;
    LoadResult loaded = loadRecordingFromString(r.body, "request body", opts);
    if (!loaded) {
        std::string msg = !loaded.has_value() ? loaded.error().toString() : std::string("not a recording");
        return jsonError(400, msg, "body");
    }
    Recording& rec = *loaded;
    if (rec.kind != Recording::Kind::PerformanceSummary)
        return jsonError(400, "a performance summary needs session_id, function_timings and system_timeline",
                         "session_id");
    if (rec.sessionId.empty()) return jsonError(400, "must not be empty", "session_id");
    if (!validSessionId(rec.sessionId))
        return jsonError(400,
                         "must be 1-128 characters of A-Z a-z 0-9 . _ ~ - (not \".\" or \"..\"), so that its URL "
                         "fetches it",
                         "session_id");
    json out = {{"session_id", rec.sessionId},
                {"function_timings", rec.functionTimings.size()},
                {"system_samples", rec.timeline.system.size()},
                {"warnings", rec.warnings},
                {"url", "/api/performance-summary/" + rec.sessionId + "/"}};
    std::lock_guard lock(m_mutex);
    m_summaries.put(std::move(rec), now(), r.body.size());
    return jsonResponse(201, out);
}

HttpResponse Api::prometheus() {
    HttpResponse resp;
    resp.contentType = kPrometheusContentType;
    auto sys = m_live->prometheusText();
    PrometheusWriter w;
    std::lock_guard lock(m_mutex);  // the pushed stores and m_promBuffer
    w.text().swap(m_promBuffer);
    w.clear();
    w.family("loadline_serve_requests_total", "HTTP requests handled by loadline-cli serve.", "counter");
    w.sample(static_cast<double>(m_requests.load()));
    w.family("loadline_sampler_ticks_total", "Sampler ticks published since start.", "counter");
    w.sample(static_cast<double>(m_live->ticks()));
    if (!m_push.services().empty()) {
        w.family("loadline_service_status", "Status last pushed by each service (1 for the current status).", "gauge");
        for (const auto& [name, e] : m_push.services())
            for (const char* st : {"up", "down", "unknown"})
                w.sample(e.report.status == st ? 1 : 0, {{"service", name}, {"status", st}});
    }
    if (!m_push.metricSeries().empty()) {
        w.family("loadline_custom_metric", "Latest value pushed to /metrics/ per service and metric_type.", "gauge");
        for (const auto& [key, s] : m_push.metricSeries())
            if (!s.points.empty())
                w.sample(s.points.back().value, {{"service", s.service}, {"metric_type", s.metricType}});
    }
    if (!m_push.alerts().empty()) {
        w.family("loadline_alerts", "Alerts held (the most recent ones) by severity.", "gauge");
        int counts[4] = {0, 0, 0, 0};
        for (const auto& a : m_push.alerts()) ++counts[a.report.severity];
        for (int s = 1; s <= 3; ++s) w.sample(counts[s], {{"severity", std::to_string(s)}});
    }
    resp.body.reserve((sys ? sys->size() : 0) + w.text().size());
    if (sys) resp.body += *sys;
    resp.body += w.text();
    m_promBuffer.swap(w.text());
    return resp;
}

HttpResponse Api::pushService(const HttpRequest& r) {
    auto p = parseServiceReport(r.body);
    if (!p) return errorResponse(p.error());
    std::lock_guard lock(m_mutex);  // parsed above without it
    auto res = m_push.addService(std::move(*p), now());
    if (!res) return errorResponse(res.error());
    return jsonResponse(201, *res);
}

HttpResponse Api::pushMetric(const HttpRequest& r) {
    auto p = parseMetricReport(r.body);
    if (!p) return errorResponse(p.error());
    std::lock_guard lock(m_mutex);  // parsed above without it
    auto res = m_push.addMetric(std::move(*p), now());
    if (!res) return errorResponse(res.error());
    return jsonResponse(201, *res);
}

HttpResponse Api::pushPipeline(const HttpRequest& r) {
    auto p = parsePipelineReport(r.body);
    if (!p) return errorResponse(p.error());
    std::lock_guard lock(m_mutex);  // parsed above without it
    auto res = m_push.addPipeline(std::move(*p), now());
    if (!res) return errorResponse(res.error());
    return jsonResponse(201, *res);
}

HttpResponse Api::pushAlert(const HttpRequest& r) {
    auto p = parseAlertReport(r.body);
    if (!p) return errorResponse(p.error());
    std::lock_guard lock(m_mutex);  // parsed above without it
    auto res = m_push.addAlert(std::move(*p), now());
    if (!res) return errorResponse(res.error());
    return jsonResponse(201, *res);
}

}  // namespace loadline::core::serve
