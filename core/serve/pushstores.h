#pragma once
// Bounded in-memory stores for what services push (Climate System Monitor). Each store has a fixed entry
// bound, and every entry's text is bounded by the payload validation; the rings (spans, alerts)
// are also bounded by the memory their entries hold, so memory stays bounded whatever clients
// send. Rings drop their oldest entries (like the sampler's history); stores keyed by a name
// refuse new names when full, so nothing already held is lost. A span's metadata, merged over its
// reports, stays within the same limits as one report's.
// Not thread-safe: the caller serialises access (core::serve::Api holds a mutex).

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/serve/pushpayloads.h"

namespace loadline::core::serve {

struct PushLimits {
    std::size_t maxServices = 1000;
    std::size_t maxMetricSeries = 256;
    std::size_t pointsPerSeries = 3600;
    std::size_t maxPipelineSpans = 1000;
    std::size_t maxAlerts = 1000;
    std::size_t maxPipelineBytes = 16 * 1024 * 1024;  // estimated memory of all spans
    std::size_t maxAlertBytes = 8 * 1024 * 1024;      // estimated memory of all alerts
    double maxPastSeconds = 7 * 24 * 3600.0;          // pushed metric timestamps: [now - past,
    double maxFutureSeconds = 300.0;                  //                            now + future]
};

struct ServiceEntry {
    ServiceReport report;
    double firstSeen = 0;
    double updated = 0;
    std::uint64_t updates = 0;
};

struct MetricPoint {
    double timestamp;
    double value;
};

struct MetricSeries {
    std::string service;
    std::string metricType;
    std::deque<MetricPoint> points;  // time order of arrival; bounded by pointsPerSeries
};

/** One stage of a pipeline: opened by "running", closed by "completed"/"failed" or by the next stage. */
struct PipelineSpan {
    std::uint64_t id = 0;
    std::string pipelineType;
    std::string stage;   // metadata.step when given
    std::string status;  // running | completed | failed
    nlohmann::json metadata;
    double start = 0;
    std::optional<double> end;
    std::uint64_t updates = 0;
    std::size_t bytes = 0;  // estimated memory held
};

struct AlertEntry {
    std::uint64_t id = 0;
    AlertReport report;
    double timestamp = 0;
    std::size_t bytes = 0;  // estimated memory held
};

class PushStores {
public:
    explicit PushStores(PushLimits limits = {}) : m_limits(limits) {}
    const PushLimits& limits() const { return m_limits; }

    /** Each add returns the stored entry as JSON, or the field that made it impossible. */
    Result<nlohmann::json> addService(ServiceReport r, double now);
    Result<nlohmann::json> addMetric(MetricReport r, double now);
    Result<nlohmann::json> addPipeline(PipelineReport r, double now);
    Result<nlohmann::json> addAlert(AlertReport r, double now);

    const std::map<std::string, ServiceEntry>& services() const { return m_services; }
    const std::map<std::pair<std::string, std::string>, MetricSeries>& metricSeries() const { return m_series; }
    const std::deque<PipelineSpan>& pipelineSpans() const { return m_spans; }
    const std::deque<AlertEntry>& alerts() const { return m_alerts; }
    std::size_t pipelineBytes() const { return m_spanBytes; }
    std::size_t alertBytes() const { return m_alertBytes; }

    nlohmann::json servicesJson() const;
    nlohmann::json alertsJson() const;
    /** Custom series with their points in [start, end]; series without points there are left out. */
    nlohmann::json metricsJson(double start, double end) const;
    /** Spans overlapping [start, end] (an open span reaches to now). */
    nlohmann::json pipelinesJson(double start, double end, double now) const;

private:
    PushLimits m_limits;
    std::map<std::string, ServiceEntry> m_services;
    std::map<std::pair<std::string, std::string>, MetricSeries> m_series;
    std::deque<PipelineSpan> m_spans;
    std::deque<AlertEntry> m_alerts;
    std::size_t m_spanBytes = 0;
    std::size_t m_alertBytes = 0;
    std::uint64_t m_nextId = 1;
};

nlohmann::json toJson(const ServiceEntry& e);
nlohmann::json toJson(const PipelineSpan& s);
nlohmann::json toJson(const AlertEntry& a);

}  // namespace loadline::core::serve
