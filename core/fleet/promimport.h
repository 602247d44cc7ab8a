#pragma once
// Module core/fleet: machines read back from Prometheus: PromQL per timeline column (for a
// loadline-cli serve agent or a node_exporter), Prometheus API replies parsed, and a py-perf
// timeline built from range queries. Used by loadline-cli import prometheus and the window's
// File → Open from Prometheus… (through app/prom's HTTP client).
//
// Builds a py-perf timeline of one node (a Prometheus `instance`) from a Prometheus server's
// range queries (/api/v1/query_range). The HTTP client is a callback, so this stays Qt-free and is
// tested with canned replies; app/ supplies a Qt Network one.
//
// Steps: find which exporter the instance is (its metric names in the range: loadline agent or
// node_exporter) and its scrape interval (/api/v1/targets, else estimated from `up`), pick the step
// (given, or the range / maxPoints, never below the scrape interval), run one query per column
// (promql.h) in chunks of at most Prometheus's 11,000 points, then merge: a row per step time at
// which any column has a value. Times where nothing was scraped have no row, so the chart leaves a
// gap there (metadata.sample_interval = step); nothing is interpolated.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/fleet/promql.h"
#include "core/fleet/promresponse.h"
#include "core/timeline/timeline.h"

namespace loadline::core::fleet {

/** What the HTTP client returns for one GET. status 0 = no HTTP reply (transportError says why). */
struct PromHttpReply {
    int status = 0;
    std::string reason;  // "Unauthorized", ...
    std::string body;
    std::string transportError;
};

/**
 * Fetches API targets ("/api/v1/query_range?query=...", relative to the server's base URL),
 * concurrently if it likes; returns one reply per target, in order.
 */
using PromFetch = std::function<std::vector<PromHttpReply>(const std::vector<std::string>& targets)>;

struct PromImportRequest {
    std::string server;  // the base URL, for messages and the recording's metadata
    std::string instance;
    double from = 0;  // seconds since the epoch
    double to = 0;
    double step = 0;  // 0: automatic
    ProcessFilter processes;
    int maxPoints = 4000;  // automatic step = (to - from) / maxPoints
};

/** A node's timeline read from Prometheus, and how it was read. */
struct PromImport {
    /** The timeline. Its warnings are the import's: the scrape interval estimated, a step below
     *  it, --pid/--process ignored or matching nothing, Prometheus's own warnings. */
    Recording recording;
    NodeSource source = NodeSource::Loadline;
    double step = 0;
    double scrapeInterval = 0;
    QueryWindows windows;
    int queries = 0;  // range queries sent
};

/**
 * Reads request.instance's timeline. The Error's message is one line naming the server and, for
 * a failed request, the query or API call; callers branch on its kind, never on the text:
 * - Io: no HTTP reply (unreachable, TLS; errnum 0: the cause is the HTTP client's text);
 * - Refused, httpStatus the reply's status: credentials missing or wrong (401/403, field
 *   "Authorization"), Prometheus's own error (field "error": errorType and text), or another
 *   HTTP error with a Prometheus body (field "status");
 * - Invalid: the server is not Prometheus (field "body", httpStatus its reply's status), an empty
 *   time range (field "range"), no such instance or no samples of it in the range, or an
 *   exporter that is neither a loadline agent nor node_exporter (field "instance").
 */
Result<PromImport> importFromPrometheus(const PromImportRequest& request, const PromFetch& fetch);

// --- pieces, for tests and the window ---
/** Percent-encodes a query parameter value (RFC 3986 unreserved characters kept). */
std::string urlEncodeComponent(std::string_view s);
std::string queryRangeTarget(std::string_view expr, double start, double end, double step);
std::string instantQueryTarget(std::string_view expr, std::optional<double> time = std::nullopt);
/** range / maxPoints, at least the scrape interval; whole seconds from 1 s up, else whole ms. */
double defaultStep(double range, double scrapeInterval, int maxPoints);
/** [start, end] pieces of at most maxPoints step points each (Prometheus refuses > 11,000). */
std::vector<std::pair<double, double>> splitRange(double from, double to, double step, int maxPoints = 11000);
/**
 * Success when the reply is a good Prometheus reply (HTTP 200 and "status": "success"), else
 * the Error of a failed reply (unreachable, refused, not Prometheus, Prometheus's error text, an
 * HTTP error), kinds and fields as importFromPrometheus() says; the message is one line naming
 * server and what (the query or API call).
 */
Status checkReply(std::string_view server, std::string_view what, const PromHttpReply& http,
                  const Result<PromReplyData>& parsed);

/** One column query's replies (one per chunk), merged into the timeline. */
struct ColumnReplies {
    const ColumnQuery* query;
    std::vector<const PromReplyData*> chunks;
};
/** Merges system and process columns into a timeline (exposed for tests of gaps and labels). */
Timeline assembleTimeline(const std::vector<ColumnReplies>& system, const std::vector<ColumnReplies>& processes);

// --- the instance list of the window's Open from Prometheus… ---
struct PromInstance {
    std::string instance;
    std::string job;
    bool up = false;
    std::optional<NodeSource> source;  // from the metrics it exports now
};
/** The two instant queries the list needs: `up`, and which exporter each instance is. */
std::vector<std::string> instanceListTargets();
/** Parses their replies; an error (one line) when either failed. */
Result<std::vector<PromInstance>> parseInstanceList(std::string_view server, const std::vector<PromHttpReply>& replies);

}  // namespace loadline::core::fleet
