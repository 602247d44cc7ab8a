#pragma once
// Module core/serve: everything of loadline-cli serve except the sockets: the HTTP API
// (TrackLab's /api/system/*, Climate System Monitor's pushes, history, alerts), Prometheus
// /metrics, the request framer, bounded stores and per-tick renderers. Qt-free and tested
// without sockets; app/server moves the bytes, and the window's agent client reads it.
//
// The HTTP API of `loadline-cli serve`, free of Qt: a request (method, path, query, headers, body)
// in, a response out. The Qt layer (app/server) only moves bytes; routing, auth, validation and
// JSON live here so they are unit-tested without sockets and served the same way.
//
// Endpoints: TrackLab System Monitor's (/api/health, /api/system/info,
// /api/system/metrics?node_id=), the py-perf viewer's (/api/system-metrics/,
// /api/system-timeline/?start=&end=, /api/process-metrics/<pid>/, /api/performance-summary/<id>/),
// Climate System Monitor's pushes (/services/, /metrics/, /pipelines/, /alerts/), GET /metrics for
// Prometheus. A trailing slash is optional on every path.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/serve/livedata.h"
#include "core/serve/pushstores.h"
#include "core/serve/redact.h"
#include "core/serve/summarystore.h"

namespace loadline::core::serve {

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string path;    // decoded path, no query
    std::map<std::string, std::string> query;
    std::string authorization;  // the Authorization header, if any
    std::string body;
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

/** {"error": message, "status": N[, "field": field]} with that status. */
HttpResponse jsonError(int status, std::string_view message, std::string_view field = {});

struct ApiConfig {
    std::string nodeId;
    std::string token;  // empty: no auth
    PushLimits pushLimits;
    std::size_t maxSummaries = 32;
    std::function<double()> clock;                  // epoch seconds; system clock when empty
    std::size_t maxSummaryBytes = 8 * 1024 * 1024;  // posted summary text held, all sessions
    CmdlineMode cmdline =
        CmdlineMode::Show;  // command lines in history and summaries (README: TLS and what serve reveals)
};

/** A session_id is 1-128 characters of [A-Za-z0-9._~-] (URL path-safe, so its URL always works),
 *  and neither "." nor "..". */
bool validSessionId(std::string_view id);

/**
 * Thread-safe: handle() may run on several threads at once (the HTTP thread answers health and
 * Prometheus scrapes while a worker parses and stores pushed bodies). The stores are guarded by
 * one mutex held only while they are read or changed, never while a body is parsed or a summary
 * correlated.
 */
class Api {
public:
    Api(ApiConfig config, std::shared_ptr<LiveData> live);

    HttpResponse handle(const HttpRequest& request);

    /** 401 for a request with a body that lacks the token, decided from its headers before any
     *  body byte is accepted (no endpoint served without a token takes a body). */
    std::optional<HttpResponse> refuseBeforeBody(std::string_view authorization, std::uint64_t contentLength) const;
    /** Requests whose work grows with what clients sent (parsing pushed bodies, correlating
     *  summaries, slicing history): served off the thread that answers health and scrapes. */
    static bool isSlow(std::string_view method, std::string_view path);

    /** Call with the lock of storeMutex() held when other threads may be serving. */
    PushStores& pushStores() { return m_push; }
    const SummaryStore& summaries() const { return m_summaries; }
    std::mutex& storeMutex() const { return m_mutex; }
    std::uint64_t requestsServed() const { return m_requests; }

private:
    bool authorizedHeader(std::string_view authorization) const;
    double now() const;
    bool authorized(const HttpRequest& r) const;

    HttpResponse health();
    HttpResponse systemInfo();
    HttpResponse systemMetrics(const HttpRequest& r);
    HttpResponse latestSample();
    HttpResponse timeline(const HttpRequest& r);
    HttpResponse processMetrics(const HttpRequest& r, std::string_view pid);
    HttpResponse summaryGet(std::string_view sessionId);
    HttpResponse summaryPost(const HttpRequest& r);
    HttpResponse prometheus();
    HttpResponse pushService(const HttpRequest& r);
    HttpResponse pushMetric(const HttpRequest& r);
    HttpResponse pushPipeline(const HttpRequest& r);
    HttpResponse pushAlert(const HttpRequest& r);

    ApiConfig m_config;
    std::shared_ptr<LiveData> m_live;
    PushStores m_push;
    SummaryStore m_summaries;
    double m_started = 0;
    std::atomic<std::uint64_t> m_requests{0};
    mutable std::mutex m_mutex;  // guards m_push, m_summaries, m_promBuffer
    std::string m_promBuffer;    // reused for the pushed part of /metrics
};

/** Splits "a=1&b=x%20y" into decoded pairs (the last of a repeated key wins). */
std::map<std::string, std::string> parseQuery(std::string_view query);
/** Percent-decodes (and '+' to space in query strings). */
std::string percentDecode(std::string_view s, bool plusIsSpace);
/** Compares in time independent of where the strings differ. */
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace loadline::core::serve
