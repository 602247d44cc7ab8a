#include "core/fleet/promimport.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/fleet/timearg.h"

namespace loadline::core::fleet {

namespace {

constexpr int kPrometheusMaxPoints = 11000;  // Prometheus refuses more points per series

std::string oneLine(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

long long msKey(double t) { return std::llround(t * 1000); }

std::string jsonString(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

// Columns of one table: points by column name, then rows at every time any column has a value.
struct TableBuilder {
    std::map<std::string, std::vector<std::pair<long long, double>>> columns;
    std::vector<std::string> order;          // first-seen order of column names
    std::map<long long, std::string> names;  // process name label by time (processes only)

    void add(const std::string& column, double t, double v) {
        if (!std::isfinite(v)) return;  // NaN (0/0), ±Inf: missing
        auto [it, fresh] = columns.try_emplace(column);
        if (fresh) order.push_back(column);
        it->second.emplace_back(msKey(t), v);
    }

    /** Appends a row per time any column (or the name) has a value, in time order. */
    void build(SeriesTable& table, const std::vector<const char*>& alwaysColumns) {
        std::vector<long long> times;
        for (auto& [name, pts] : columns) {
            std::stable_sort(pts.begin(), pts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            for (const auto& p : pts) times.push_back(p.first);
        }
        std::sort(times.begin(), times.end());
        times.erase(std::unique(times.begin(), times.end()), times.end());
        table.reserve(times.size());
        for (const char* c : alwaysColumns) table.ensureColumn(c);
        struct Cursor {
            int col;
            const std::vector<std::pair<long long, double>>* pts;
            std::size_t at = 0;
        };
        std::vector<Cursor> cursors;
        for (const auto& name : order) cursors.push_back({table.ensureColumn(name), &columns[name]});
        const int nameCol = names.empty() ? -1 : table.ensureColumn("name", true);
        for (long long t : times) {
            table.appendRow(static_cast<double>(t) / 1000.0);
            for (auto& c : cursors)
                while (c.at < c.pts->size() && (*c.pts)[c.at].first <= t) {
                    if ((*c.pts)[c.at].first == t) table.setLast(c.col, (*c.pts)[c.at].second);
                    ++c.at;
                }
            if (nameCol >= 0)
                if (auto n = names.find(t); n != names.end()) table.setLastText(nameCol, n->second);
        }
    }
};

std::string splitColumnName(const ColumnQuery& q, const PromSeries& s) {
    if (q.splitLabel.empty()) return q.column;
    auto it = s.labels.find(q.splitLabel);
    return q.column + "[" + (it == s.labels.end() ? std::string("?") : it->second) + "]";
}

// Series of a split query sorted by the label's number, so cpu_percent_per_core[10] follows [9].
std::vector<const PromSeries*> orderedSeries(const ColumnQuery& q, const std::vector<const PromReplyData*>& chunks) {
    std::vector<const PromSeries*> out;
    for (const PromReplyData* r : chunks)
        for (const auto& s : r->series) out.push_back(&s);
    if (!q.splitLabel.empty()) {
        auto key = [&](const PromSeries* s) {
            auto it = s->labels.find(q.splitLabel);
            return it == s->labels.end() ? 1e18 : std::atof(it->second.c_str());
        };
        std::stable_sort(out.begin(), out.end(), [&](auto* a, auto* b) { return key(a) < key(b); });
    }
    return out;
}

}  // namespace

std::string urlEncodeComponent(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3 / 2);
    for (unsigned char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string queryRangeTarget(std::string_view expr, double start, double end, double step) {
    return "/api/v1/query_range?query=" + urlEncodeComponent(expr) + "&start=" + formatApiSeconds(start) +
           "&end=" + formatApiSeconds(end) + "&step=" + formatApiSeconds(step);
}

std::string instantQueryTarget(std::string_view expr, std::optional<double> time) {
    std::string t = "/api/v1/query?query=" + urlEncodeComponent(expr);
    if (time) t += "&time=" + formatApiSeconds(*time);
    return t;
}

double defaultStep(double range, double scrapeInterval, int maxPoints) {
    double step = std::max(range / std::max(1, maxPoints), scrapeInterval);
    if (step >= 1) return std::ceil(step - 1e-9);
    return std::max(0.001, std::ceil(step * 1000 - 1e-6) / 1000);
}

std::vector<std::pair<double, double>> splitRange(double from, double to, double step, int maxPoints) {
    std::vector<std::pair<double, double>> out;
    const double span = step * (maxPoints - 1);
    for (double s = from; s <= to + 1e-9;) {
        const double e = std::min(to, s + span);
        out.emplace_back(s, e);
        if (e >= to) break;
        s = e + step;
    }
    return out;
}

Status checkReply(std::string_view server, std::string_view what, const PromHttpReply& http,
                  const Result<PromReplyData>& parsed) {
    const std::string srv(server);
    auto refused = [&](std::string field, std::string message) {
        Error e;
        e.kind = ErrorKind::Refused;
        e.message = std::move(message);
        e.field = std::move(field);
        e.httpStatus = http.status;
        return tl::unexpected<Error>(std::move(e));
    };
    if (http.status == 0)
        return failIo("cannot reach Prometheus at " + srv + ": " +
                          oneLine(http.transportError.empty() ? "no reply" : http.transportError),
                      0);
    if (http.status == 401 || http.status == 403)
        return refused("Authorization", srv + " refused the request (HTTP " + std::to_string(http.status) + " " +
                                            http.reason + "): credentials missing or wrong, for " + std::string(what));
    if (!parsed && parsed.error().kind == ErrorKind::Refused)
        return refused("error",
                       srv + ": Prometheus rejected " + std::string(what) + ": " + oneLine(parsed.error().message));
    if (!parsed) {
        Error e = parsed.error();
        e.message = srv + " does not look like a Prometheus server: " + std::string(what) + " answered HTTP " +
                    std::to_string(http.status) + (http.reason.empty() ? "" : " " + http.reason) + " and " + e.message;
        e.httpStatus = http.status;
        return fail(std::move(e));
    }
    if (http.status != 200)
        return refused("status", srv + ": " + std::string(what) + " answered HTTP " + std::to_string(http.status) +
                                     " " + http.reason);
    return {};
}

Timeline assembleTimeline(const std::vector<ColumnReplies>& system, const std::vector<ColumnReplies>& processes) {
    Timeline tl;
    TableBuilder sys;
    for (const auto& c : system)
        for (const PromSeries* s : orderedSeries(*c.query, c.chunks)) {
            const std::string col = splitColumnName(*c.query, *s);
            for (std::size_t i = 0; i < s->times.size(); ++i) sys.add(col, s->times[i], s->values[i]);
        }
    sys.build(tl.system, {"cpu_percent", "memory_percent", "memory_available_mb", "memory_used_mb", "load_avg_1m",
                          "load_avg_5m", "load_avg_15m"});

    std::map<int, TableBuilder> procs;
    for (const auto& c : processes)
        for (const PromSeries* s : orderedSeries(*c.query, c.chunks)) {
            auto pidIt = s->labels.find("pid");
            if (pidIt == s->labels.end()) continue;
            const int pid = std::atoi(pidIt->second.c_str());
            if (pid <= 0) continue;
            TableBuilder& b = procs[pid];
            auto nameIt = s->labels.find("name");
            for (std::size_t i = 0; i < s->times.size(); ++i) {
                if (!std::isfinite(s->values[i])) continue;
                b.add(c.query->column, s->times[i], s->values[i]);
                b.add("pid", s->times[i], pid);
                if (nameIt != s->labels.end()) b.names[msKey(s->times[i])] = nameIt->second;
            }
        }
    for (auto& [pid, b] : procs) {
        b.build(tl.process(pid).samples, {});
    }
    if (auto first = tl.firstTime()) tl.metadata.startTime = first;
    if (auto last = tl.lastTime()) tl.metadata.endTime = last;
    return tl;
}

namespace {

/** The import into res; on failure res keeps the warnings gathered until then. */
Status importInto(const PromImportRequest& req, const PromFetch& fetch, PromImport& res) {
    std::vector<std::string>& warnings = res.recording.warnings;
    const std::string& srv = req.server;
    if (!(req.to > req.from))
        return failField("range", "empty time range: " + formatUtc(req.from) + " is not before " + formatUtc(req.to));
    const std::string inst = "{instance=\"" + escapePromqlString(req.instance) + "\"}";
    const double range = req.to - req.from;
    const double estimateSpan = std::min(range, 3600.0);

    // 1. What the instance exports in the range, its scrape interval, and the known instances.
    const std::vector<std::string> probe = {
        "/api/v1/label/__name__/values?match[]=" + urlEncodeComponent(inst) + "&start=" + formatApiSeconds(req.from) +
            "&end=" + formatApiSeconds(req.to),
        "/api/v1/targets?state=active",
        instantQueryTarget("count_over_time(up" + inst + "[" + promqlDuration(estimateSpan) + "])", req.to),
        "/api/v1/label/instance/values"};
    const auto probeReplies = fetch(probe);
    if (probeReplies.size() != probe.size())
        return fail("internal error: the HTTP client returned " + std::to_string(probeReplies.size()) +
                    " replies for " + std::to_string(probe.size()) + " requests");
    const Result<PromReplyData> names = parsePromReply(probeReplies[0].body);
    if (Status ok = checkReply(srv, "GET " + probe[0].substr(0, probe[0].find('?')), probeReplies[0], names); !ok)
        return fail(std::move(ok.error()));
    const std::set<std::string> nameSet(names->strings.begin(), names->strings.end());
    if (nameSet.empty()) {
        const Result<PromReplyData> known = parsePromReply(probeReplies[3].body);
        const bool listed =
            known && std::find(known->strings.begin(), known->strings.end(), req.instance) != known->strings.end();
        if (known && !listed) {
            std::string list;
            for (std::size_t i = 0; i < known->strings.size() && i < 8; ++i)
                list += (i ? ", " : "") + known->strings[i];
            if (known->strings.size() > 8) list += ", …";
            return failField("instance", srv + " has no instance \"" + req.instance +
                                             "\" (it has: " + (list.empty() ? "none" : list) + ")");
        }
        return failField("instance", srv + " has no samples of instance \"" + req.instance + "\" between " +
                                         formatUtc(req.from) + " and " + formatUtc(req.to));
    }
    if (nameSet.count(sourceMarkerMetric(NodeSource::Loadline))) res.source = NodeSource::Loadline;
    else if (nameSet.count(sourceMarkerMetric(NodeSource::NodeExporter))) res.source = NodeSource::NodeExporter;
    else {
        return failField("instance", srv + ": instance \"" + req.instance + "\" has neither " +
                                         sourceMarkerMetric(NodeSource::Loadline) + " (a loadline agent) nor " +
                                         sourceMarkerMetric(NodeSource::NodeExporter) + " (node_exporter) between " +
                                         formatUtc(req.from) + " and " + formatUtc(req.to));
    }
    if (res.source == NodeSource::NodeExporter && !req.processes.all())
        warnings.push_back("instance \"" + req.instance +
                           "\" is a node_exporter: it has no per-process series, --pid/--process ignored");

    if (auto iv = probeReplies[1].status == 200 ? scrapeIntervalFromTargets(probeReplies[1].body, req.instance)
                                                : std::nullopt) {
        res.scrapeInterval = *iv;
    } else {
        const Result<PromReplyData> count = parsePromReply(probeReplies[2].body);
        double n = count && !count->series.empty() && !count->series[0].values.empty() ? count->series[0].values[0] : 0;
        // n samples in the window: about window / n apart; whole seconds from 1 s up (scrape
        // intervals are configured that way), else whole milliseconds.
        const double est = n >= 2 ? estimateSpan / n : 15.0;
        res.scrapeInterval = est >= 1 ? std::round(est) : std::round(est * 1000) / 1000;
        warnings.push_back("scrape interval of \"" + req.instance + "\" not listed in /api/v1/targets; " +
                           (n >= 2 ? "estimated from up samples" : "assumed") + " as " +
                           formatApiSeconds(res.scrapeInterval) + " s");
    }
    res.step = req.step > 0 ? req.step : defaultStep(range, res.scrapeInterval, req.maxPoints);
    if (req.step > 0 && req.step < res.scrapeInterval)
        warnings.push_back("step " + formatApiSeconds(req.step) + " s is below the scrape interval " +
                           formatApiSeconds(res.scrapeInterval) + " s: neighbouring points repeat samples");
    res.windows = QueryWindows::forStep(res.step, res.scrapeInterval);

    // 2. One range query per column and chunk, all in one batch.
    const auto sysQ = systemQueries(res.source, req.instance, res.windows);
    const auto procQ = res.source == NodeSource::Loadline ? processQueries(req.instance, req.processes, res.windows)
                                                          : std::vector<ColumnQuery>{};
    const auto chunks = splitRange(req.from, req.to, res.step, kPrometheusMaxPoints);
    std::vector<const ColumnQuery*> all;
    for (const auto& q : sysQ) all.push_back(&q);
    for (const auto& q : procQ) all.push_back(&q);
    std::vector<std::string> targets;
    for (const ColumnQuery* q : all)
        for (const auto& [s, e] : chunks) targets.push_back(queryRangeTarget(q->expr, s, e, res.step));
    const auto replies = fetch(targets);
    res.queries = static_cast<int>(targets.size());
    if (replies.size() != targets.size())
        return fail("internal error: the HTTP client returned fewer replies than requests");
    std::vector<PromReplyData> parsed(replies.size());
    for (std::size_t i = 0; i < replies.size(); ++i) {
        Result<PromReplyData> reply = parsePromReply(replies[i].body);
        const ColumnQuery* q = all[i / chunks.size()];
        if (Status ok = checkReply(srv, "query `" + q->expr + "`", replies[i], reply); !ok)
            return fail(std::move(ok.error()));
        parsed[i] = std::move(*reply);
        for (const auto& w : parsed[i].warnings) warnings.push_back("Prometheus: " + w);
    }
    std::vector<ColumnReplies> sysCols, procCols;
    for (std::size_t qi = 0; qi < all.size(); ++qi) {
        ColumnReplies c{all[qi], {}};
        for (std::size_t k = 0; k < chunks.size(); ++k) c.chunks.push_back(&parsed[qi * chunks.size() + k]);
        (qi < sysQ.size() ? sysCols : procCols).push_back(std::move(c));
    }

    Timeline& tl = res.recording.timeline;
    tl = assembleTimeline(sysCols, procCols);
    if (tl.system.empty())
        return failField("instance", srv + " has no samples of instance \"" + req.instance + "\" between " +
                                         formatUtc(req.from) + " and " + formatUtc(req.to) +
                                         " (queries answered with no data)");
    if (!req.processes.all() && tl.processes.empty() && res.source == NodeSource::Loadline)
        warnings.push_back("no tracked process of \"" + req.instance + "\" matched --pid/--process in the range");
    tl.metadata.sampleInterval = res.step;
    tl.metadata.extra.emplace_back("prometheus", "{\"url\": " + jsonString(srv) +
                                                     ", \"instance\": " + jsonString(req.instance) +
                                                     ", \"exporter\": " + jsonString(nodeSourceName(res.source)) +
                                                     ", \"step\": " + formatApiSeconds(res.step) +
                                                     ", \"scrape_interval\": " + formatApiSeconds(res.scrapeInterval) +
                                                     ", \"rate_window\": " + formatApiSeconds(res.windows.rate) + "}");
    return {};
}

}  // namespace

Result<PromImport> importFromPrometheus(const PromImportRequest& req, const PromFetch& fetch) {
    PromImport res;
    Status imported = importInto(req, fetch, res);
    if (imported) return res;
    // What was learnt before the failure (the scrape interval guessed, a step below it,
    // Prometheus's own warnings) goes with the error: it may explain it.
    Error e = std::move(imported.error());
    for (const auto& w : res.recording.warnings) e.message += "\n  warning: " + w;
    return tl::unexpected(std::move(e));
}

std::vector<std::string> instanceListTargets() {
    return {instantQueryTarget("up"), instantQueryTarget("count by (instance, job, __name__) ({__name__=~\"" +
                                                         std::string(sourceMarkerMetric(NodeSource::Loadline)) + "|" +
                                                         sourceMarkerMetric(NodeSource::NodeExporter) + "\"})")};
}

Result<std::vector<PromInstance>> parseInstanceList(std::string_view server,
                                                    const std::vector<PromHttpReply>& replies) {
    std::vector<PromInstance> out;
    const auto targets = instanceListTargets();
    if (replies.size() != targets.size()) {
        return fail("internal error: wrong number of replies");
    }
    const Result<PromReplyData> parsed[2] = {parsePromReply(replies[0].body), parsePromReply(replies[1].body)};
    const char* what[2] = {"query `up`", "the exporter query"};
    for (int i = 0; i < 2; ++i)
        if (Status ok = checkReply(server, what[i], replies[static_cast<std::size_t>(i)], parsed[i]); !ok)
            return fail(std::move(ok.error()));
    for (const auto& s : parsed[0]->series) {
        PromInstance p;
        auto get = [&](const char* k) {
            auto it = s.labels.find(k);
            return it == s.labels.end() ? std::string() : it->second;
        };
        p.instance = get("instance");
        p.job = get("job");
        p.up = !s.values.empty() && s.values[0] == 1;
        for (const auto& m : parsed[1]->series) {
            auto i = m.labels.find("instance");
            auto j = m.labels.find("job");
            auto n = m.labels.find("__name__");
            if (i == m.labels.end() || i->second != p.instance || n == m.labels.end()) continue;
            if (j != m.labels.end() && j->second != p.job) continue;
            if (n->second == sourceMarkerMetric(NodeSource::Loadline)) p.source = NodeSource::Loadline;
            else if (!p.source) p.source = NodeSource::NodeExporter;
        }
        out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(), [](const PromInstance& a, const PromInstance& b) {
        return std::tie(a.job, a.instance) < std::tie(b.job, b.instance);
    });
    return out;
}

}  // namespace loadline::core::fleet
