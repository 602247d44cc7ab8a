#include "core/serve/pushstores.h"

#include <algorithm>

namespace loadline::core::serve {

using json = nlohmann::json;

json toJson(const ServiceEntry& e) {
    json j = {{"name", e.report.name},
              {"status", e.report.status},
              {"endpoint", e.report.endpoint ? json(*e.report.endpoint) : json(nullptr)},
              {"first_seen", e.firstSeen},
              {"updated", e.updated},
              {"updates", e.updates}};
    return j;
}

json toJson(const PipelineSpan& s) {
    return {{"id", s.id},
            {"pipeline_type", s.pipelineType},
            {"stage", s.stage},
            {"status", s.status},
            {"metadata", s.metadata},
            {"start", s.start},
            {"end", s.end ? json(*s.end) : json(nullptr)},
            {"updates", s.updates}};
}

json toJson(const AlertEntry& a) {
    return {{"id", a.id},
            {"title", a.report.title},
            {"message", a.report.message},
            {"severity", a.report.severity},
            {"service", a.report.service ? json(*a.report.service) : json(nullptr)},
            {"timestamp", a.timestamp}};
}

namespace {
std::size_t spanBytes(const std::string& type, const std::string& stage, const json& metadata) {
    return sizeof(PipelineSpan) + type.size() + stage.size() + jsonMemoryEstimate(metadata);
}
}  // namespace

Result<json> PushStores::addService(ServiceReport r, double now) {
    auto it = m_services.find(r.name);
    if (it == m_services.end()) {
        if (m_services.size() >= m_limits.maxServices)
            return failField("name", "too many services (limit " + std::to_string(m_limits.maxServices) + ")");
        it = m_services.emplace(r.name, ServiceEntry{}).first;
        it->second.firstSeen = now;
    }
    it->second.report = std::move(r);
    it->second.updated = now;
    ++it->second.updates;
    return toJson(it->second);
}

Result<json> PushStores::addMetric(MetricReport r, double now) {
    if (r.timestamp &&
        !(*r.timestamp >= now - m_limits.maxPastSeconds && *r.timestamp <= now + m_limits.maxFutureSeconds))
        return failField("timestamp",
                         "must lie within " + std::to_string(static_cast<long long>(m_limits.maxPastSeconds)) +
                             " s before and " + std::to_string(static_cast<long long>(m_limits.maxFutureSeconds)) +
                             " s after the server's clock (epoch seconds); omit it to use the server's");
    auto key = std::make_pair(r.service, r.metricType);
    auto it = m_series.find(key);
    if (it == m_series.end()) {
        if (m_series.size() >= m_limits.maxMetricSeries)
            return failField("metric_type",
                             "too many custom series (limit " + std::to_string(m_limits.maxMetricSeries) + ")");
        it = m_series.emplace(key, MetricSeries{r.service, r.metricType, {}}).first;
    }
    const double ts = r.timestamp.value_or(now);
    auto& pts = it->second.points;
    // Keep points in time order even when a client supplies its own (older) timestamps.
    auto pos =
        std::upper_bound(pts.begin(), pts.end(), ts, [](double t, const MetricPoint& p) { return t < p.timestamp; });
    pts.insert(pos, MetricPoint{ts, r.value});
    while (pts.size() > std::max<std::size_t>(1, m_limits.pointsPerSeries)) pts.pop_front();
    return json{{"service", r.service}, {"metric_type", r.metricType}, {"value", r.value}, {"timestamp", ts}};
}

Result<json> PushStores::addPipeline(PipelineReport r, double now) {
    std::string stage;
    if (auto s = r.metadata.find("step"); s != r.metadata.end() && s->is_string()) stage = s->get<std::string>();
    // The open span of this pipeline type, if any (newest first).
    PipelineSpan* open = nullptr;
    for (auto it = m_spans.rbegin(); it != m_spans.rend(); ++it)
        if (it->pipelineType == r.pipelineType && !it->end) {
            open = &*it;
            break;
        }

    // Merging keeps a span's metadata within one report's limits; a report that would grow it
    // past them is refused and changes nothing.
    auto merge = [&](PipelineSpan& s) -> Status {
        json merged = s.metadata.is_object() ? s.metadata : json::object();
        for (auto& [k, v] : r.metadata.items()) merged[k] = v;
        if (merged.dump().size() > kMaxMetadataBytes)
            return failField("metadata", "the span's merged metadata would exceed " +
                                             std::to_string(kMaxMetadataBytes) + " bytes; send fewer or shorter keys");
        if (jsonValueCount(merged) > kMaxMetadataValues)
            return failField("metadata", "the span's merged metadata would exceed " +
                                             std::to_string(kMaxMetadataValues) + " values");
        const std::size_t bytes = spanBytes(s.pipelineType, s.stage, merged);
        m_spanBytes = m_spanBytes - s.bytes + bytes;
        s.bytes = bytes;
        s.metadata = std::move(merged);
        ++s.updates;
        return {};
    };
    if (open && r.status == "running" && open->stage == stage) {  // progress on the same stage
        if (Status merged = merge(*open); !merged) return fail(std::move(merged.error()));
        return toJson(*open);
    }
    if (open && r.status != "running" && (stage.empty() || open->stage == stage)) {  // the stage ends
        if (Status merged = merge(*open); !merged) return fail(std::move(merged.error()));
        open->status = r.status;
        open->end = now;
        return toJson(*open);
    }
    if (open) {  // a new stage starts: the previous one is over
        open->status = "completed";
        open->end = now;
    }
    PipelineSpan s;
    s.id = m_nextId++;
    s.pipelineType = std::move(r.pipelineType);
    s.stage = std::move(stage);
    s.status = r.status;
    s.metadata = std::move(r.metadata);
    s.start = now;
    if (s.status != "running") s.end = now;  // finished without a start we saw: a zero-length span
    s.updates = 1;
    s.bytes = spanBytes(s.pipelineType, s.stage, s.metadata);
    m_spanBytes += s.bytes;
    m_spans.push_back(std::move(s));
    while (m_spans.size() > 1 &&
           (m_spans.size() > m_limits.maxPipelineSpans || m_spanBytes > m_limits.maxPipelineBytes)) {
        m_spanBytes -= m_spans.front().bytes;
        m_spans.pop_front();
    }
    return toJson(m_spans.back());
}

Result<json> PushStores::addAlert(AlertReport r, double now) {
    const std::size_t bytes =
        sizeof(AlertEntry) + r.title.size() + r.message.size() + (r.service ? r.service->size() : 0);
    m_alerts.push_back(AlertEntry{m_nextId++, std::move(r), now, bytes});
    m_alertBytes += bytes;
    while (m_alerts.size() > 1 && (m_alerts.size() > m_limits.maxAlerts || m_alertBytes > m_limits.maxAlertBytes)) {
        m_alertBytes -= m_alerts.front().bytes;
        m_alerts.pop_front();
    }
    return toJson(m_alerts.back());
}

json PushStores::servicesJson() const {
    json a = json::array();
    for (const auto& [name, e] : m_services) a.push_back(toJson(e));
    return a;
}

json PushStores::alertsJson() const {
    json a = json::array();
    for (const auto& e : m_alerts) a.push_back(toJson(e));
    return a;
}

json PushStores::metricsJson(double start, double end) const {
    json a = json::array();
    for (const auto& [key, s] : m_series) {
        json samples = json::array();
        auto first = std::lower_bound(s.points.begin(), s.points.end(), start,
                                      [](const MetricPoint& p, double t) { return p.timestamp < t; });
        for (auto it = first; it != s.points.end() && it->timestamp <= end; ++it)
            samples.push_back({{"timestamp", it->timestamp}, {"value", it->value}});
        if (samples.empty()) continue;
        a.push_back({{"service", s.service}, {"metric_type", s.metricType}, {"samples", std::move(samples)}});
    }
    return a;
}

json PushStores::pipelinesJson(double start, double end, double now) const {
    json a = json::array();
    for (const auto& s : m_spans) {
        double spanEnd = s.end.value_or(now);
        if (s.start <= end && spanEnd >= start) a.push_back(toJson(s));
    }
    return a;
}

}  // namespace loadline::core::serve
