// The metric registry (core/collect/metrics.h): every writer's text is unchanged against
// reference texts rendered before the writers read the registry; every line of the table is
// consistent and reaches every output it names; and a metric added to a table (a test-only
// one here) reaches the timeline, /metrics, the /api snapshot and `snapshot --json`.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/alert/metricnames.h"
#include "core/collect/metrics.h"
#include "core/serve/jsonwriter.h"
#include "metricsoutputs.h"

using namespace loadline::core;
using metrics::Metric;
using nlohmann::json;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool hasPrometheusFamily(const std::string& text, const char* family) {
    return text.find(std::string("# TYPE ") + family + " ") != std::string::npos;
}

// The JSON value at a Metric::apiPath of the /api snapshot (first element of an indexed one).
const json* apiValue(const json& doc, const Metric& m) {
    std::string path = m.apiPath;
    const json* at = &doc;
    switch (m.index) {
    case metrics::Index::Disk: at = &doc["disk"]["devices"][0]; break;
    case metrics::Index::Interface: at = &doc["network"]["interfaces"][0]; break;
    case metrics::Index::Gpu: at = &doc["gpus"][0]; break;
    default: break;
    }
    if (m.index == metrics::Index::None || m.index == metrics::Index::Cpu) {
        if (const auto dot = path.find('.'); dot != std::string::npos) {
            if (!at->contains(path.substr(0, dot))) return nullptr;
            at = &(*at)[path.substr(0, dot)];
            path = path.substr(dot + 1);
        }
    }
    int element = -1;
    if (const auto open = path.find('['); open != std::string::npos) {
        element = std::stoi(path.substr(open + 1));
        path = path.substr(0, open);
    }
    if (!at->is_object() || !at->contains(path)) return nullptr;
    at = &(*at)[path];
    if (element >= 0) return at->is_array() && element < static_cast<int>(at->size()) ? &(*at)[element] : nullptr;
    return at;
}

const json* snapshotValue(const json& doc, const Metric& m) {
    const char* array = m.index == metrics::Index::Disk        ? "disks"
                        : m.index == metrics::Index::Interface ? "network_interfaces"
                        : m.index == metrics::Index::Gpu       ? "gpu"
                                                               : nullptr;
    const json& at = array ? doc[array][0] : doc;
    std::string key = m.snapshotKey;
    int element = -1;
    if (const auto open = key.find('['); open != std::string::npos) {
        element = std::stoi(key.substr(open + 1));
        key = key.substr(0, open);
    }
    if (!at.is_object() || !at.contains(key)) return nullptr;
    const json& v = at[key];
    if (element >= 0) return v.is_array() && element < static_cast<int>(v.size()) ? &v[element] : nullptr;
    return &v;
}

std::string columnOf(const Metric& m) {
    return m.index == metrics::Index::None ? std::string(m.column) : std::string(m.column) + "[0]";
}

// All outputs of tick 1 (every metric of the first device/GPU has a value) for these tables.
struct Rendered {
    Timeline timeline;
    std::string prometheus;
    json api, apiProcess, snapshot;
    std::string apiText;

    Rendered(std::span<const Metric> system, std::span<const Metric> process) {
        const SystemSample s = metricsoutputs::systemSample(1);
        const ProcessSample p = metricsoutputs::processSamples(1)[0];
        TimelineWriter writer(system, process);
        writer.appendSystem(timeline, s);
        writer.appendProcess(timeline, p);
        serve::PrometheusWriter w;
        serve::renderMetricsPrometheus(w, system, process, s, std::span<const ProcessSample>(&p, 1));
        prometheus = w.text();
        std::string text;
        {
            serve::JsonWriter jw(text);
            jw.beginObject();
            serve::renderMetricsJson(jw, system, s);
            jw.endObject();
        }
        api = json::parse(text);
        apiText = text;
        text.clear();
        {
            serve::JsonWriter jw(text);
            jw.beginObject();
            serve::renderProcessMetricsJson(jw, process, p);
            jw.endObject();
        }
        apiProcess = json::parse(text);
        snapshot = json::object();
        addMetricsJson(snapshot, system, s);
    }
};

// Checks that each metric of the tables appears in every output it declares; returns the failures.
std::vector<std::string> missingOutputs(std::span<const Metric> system, std::span<const Metric> process) {
    std::vector<std::string> missing;
    Rendered r(system, process);
    for (const Metric& m : system) {
        if (!m.readSystem) continue;
        if (m.column && r.timeline.system.columnIndex(columnOf(m)) < 0)
            missing.push_back(std::string(m.id) + ": column");
        if (m.family && !hasPrometheusFamily(r.prometheus, m.family))
            missing.push_back(std::string(m.id) + ": /metrics");
        if (m.apiPath && !apiValue(r.api, m)) missing.push_back(std::string(m.id) + ": /api");
        if (m.snapshotKey && !snapshotValue(r.snapshot, m)) missing.push_back(std::string(m.id) + ": snapshot");
    }
    const SeriesTable& pt = r.timeline.processes.begin()->second.samples;
    for (const Metric& m : process) {
        if (!m.readProcess) continue;
        if (m.column && pt.columnIndex(m.column) < 0) missing.push_back(std::string(m.id) + ": process column");
        if (m.family && !hasPrometheusFamily(r.prometheus, m.family))
            missing.push_back(std::string(m.id) + ": /metrics");
        if (m.apiPath && !r.apiProcess.contains(m.apiPath)) missing.push_back(std::string(m.id) + ": /api process");
    }
    return missing;
}

}  // namespace

TEST(MetricsOutputs, EveryTextMatchesItsReference) {
    // tests/data/metrics/ holds these texts as the hand-written writers produced them; the
    // registry must not change a byte of any of them.
    for (const auto& [name, text] : metricsoutputs::renderAll()) {
        const std::string want = readFile(std::string(LOADLINE_TEST_DATA) + "/metrics/" + name);
        ASSERT_FALSE(want.empty()) << name;
        EXPECT_EQ(text, want) << name;
    }
}

TEST(MetricRegistry, EveryLineIsConsistent) {
    for (auto scope : {metrics::Scope::System, metrics::Scope::Process}) {
        std::set<std::string> ids, columns, families, apiPaths, snapshotKeys;
        std::set<int> columnRanks, apiRanks;
        for (const Metric& m : metrics::allMetrics(scope)) {
            SCOPED_TRACE(m.id);
            EXPECT_EQ(m.scope, scope);
            EXPECT_TRUE(ids.insert(m.id).second) << "id declared twice";
            EXPECT_TRUE(m.unit && *m.unit);
            if (scope == metrics::Scope::System) {
                EXPECT_FALSE(m.readProcess);
            } else EXPECT_FALSE(m.readSystem);
            if (scope == metrics::Scope::Process) {
                EXPECT_EQ(m.index, metrics::Index::None);
            }
            if (m.column) {
                EXPECT_TRUE(columns.insert(m.column).second) << "column declared twice";
                EXPECT_GT(m.columnScale, 0);
                if (m.columnRank > 0) {
                    EXPECT_TRUE(columnRanks.insert(m.columnRank).second) << "column rank twice";
                }
                if (m.has(metrics::kAlwaysColumn)) {
                    EXPECT_FALSE(m.extra) << "py-perf columns are not extras";
                }
            } else {
                EXPECT_FALSE(m.has(metrics::kAlwaysColumn));
                EXPECT_EQ(m.derive, metrics::Derive::None) << "a derivation needs a column";
            }
            if (m.family) {
                EXPECT_TRUE(families.insert(m.family).second) << "family declared twice";
                EXPECT_TRUE(serve::isValidMetricName(m.family));
                EXPECT_EQ(std::string(m.family).rfind("loadline_", 0), 0u);
                EXPECT_NE(m.promType, metrics::PromType::None);
                EXPECT_TRUE(m.help && *m.help);
                EXPECT_GT(m.promScale, 0);
                if (m.promType == metrics::PromType::Counter) {
                    EXPECT_TRUE(std::string(m.family).ends_with("_total")) << "counter families end in _total";
                }
            } else {
                EXPECT_EQ(m.promType, metrics::PromType::None);
            }
            if (m.derive != metrics::Derive::None) {
                ASSERT_TRUE(m.fromFamily);
                const Metric* from = metrics::findByFamily(m.fromFamily);
                ASSERT_TRUE(from) << m.fromFamily << " is written by no metric";
                if (m.derive == metrics::Derive::Gauge) {
                    EXPECT_EQ(from, &m) << "a gauge column reads its own family";
                }
                if (m.derive == metrics::Derive::SumRate) {
                    EXPECT_NE(from->index, metrics::Index::None);
                }
                if (m.derive == metrics::Derive::Rate || m.derive == metrics::Derive::SumRate) {
                    EXPECT_EQ(from->promType, metrics::PromType::Counter);
                }
            }
            if (m.apiPath && m.index == metrics::Index::None) {
                EXPECT_TRUE(apiPaths.insert(m.apiPath).second) << "API path declared twice";
            }
            if (m.snapshotKey && m.index == metrics::Index::None) {
                EXPECT_TRUE(snapshotKeys.insert(m.snapshotKey).second) << "snapshot key declared twice";
            }
            if (m.columnRank == 0 && m.column && m.index == metrics::Index::None && scope == metrics::Scope::System)
                ADD_FAILURE() << "scalar system columns of the registry are ranked";
        }
    }
}

TEST(MetricRegistry, EveryMetricReachesEveryOutputItNames) {
    const auto missing = missingOutputs(metrics::systemMetrics(), metrics::processMetrics());
    EXPECT_TRUE(missing.empty()) << ::testing::PrintToString(missing);
}

TEST(MetricRegistry, EveryColumnIsAnAlertMetricWithItsPromQL) {
    const auto knownSystem = alert::knownSystemMetrics();
    const auto knownProcess = alert::knownProcessMetrics();
    for (const Metric& m : metrics::systemMetrics()) {
        if (!m.column) continue;
        SCOPED_TRACE(m.id);
        const std::string name = columnOf(m);
        EXPECT_TRUE(alert::isMetric(name, alert::MetricScope::System));
        const std::string listed = m.index == metrics::Index::None ? name : std::string(m.column) + "[i]";
        EXPECT_NE(std::find(knownSystem.begin(), knownSystem.end(), listed), knownSystem.end());
        EXPECT_EQ(alert::isBoundedPercent(name, alert::MetricScope::System), m.has(metrics::kBoundedPercent));
        const auto expr = alert::prometheusExpression(name, alert::MetricScope::System);
        EXPECT_EQ(expr.has_value(), m.derive != metrics::Derive::None);
        if (expr) {
            EXPECT_NE(expr->find(m.fromFamily), std::string::npos) << *expr;
        }
    }
    for (const Metric& m : metrics::processMetrics()) {
        if (!m.column || std::string_view(m.column) == col::kCreateTime) continue;  // bookkeeping
        SCOPED_TRACE(m.id);
        EXPECT_TRUE(alert::isMetric(m.column, alert::MetricScope::Process));
        EXPECT_NE(std::find(knownProcess.begin(), knownProcess.end(), m.column), knownProcess.end());
        const auto expr = alert::prometheusExpression(m.column, alert::MetricScope::Process, {"pid", "1"});
        EXPECT_EQ(expr.has_value(), m.derive != metrics::Derive::None);
        if (expr) {
            EXPECT_NE(expr->find(std::string(m.fromFamily) + "{pid=\"1\"}"), std::string::npos) << *expr;
        }
    }
}

TEST(MetricRegistry, TheColumnNameConstantsAreRegistryColumns) {
    for (const char* c :
         {col::kCpuPercent,         col::kMemoryPercent,     col::kMemoryAvailableMb,  col::kMemoryUsedMb,
          col::kLoadAvg1m,          col::kLoadAvg5m,         col::kLoadAvg15m,         col::kMemoryTotalMb,
          col::kSwapTotalMb,        col::kSwapUsedMb,        col::kSwapPercent,        col::kCpuFreqMhz,
          col::kCpuTemperatureC,    col::kDiskReadBytesPerS, col::kDiskWriteBytesPerS, col::kDiskReadCountPerS,
          col::kDiskWriteCountPerS, col::kNetSentBytesPerS,  col::kNetRecvBytesPerS,   col::kNetSentPacketsPerS,
          col::kNetRecvPacketsPerS, col::kCpuPercentPerCore, col::kGpuUtilization,     col::kGpuMemoryUsedMb,
          col::kGpuMemoryTotalMb,   col::kGpuTemperatureC})
        EXPECT_TRUE(metrics::findByColumn(c, metrics::Scope::System)) << c;
    for (const char* c :
         {col::kCpuPercent, col::kMemoryRssMb, col::kMemoryVmsMb, col::kNumThreads, col::kCreateTime, col::kIoReadBytes,
          col::kIoWriteBytes, col::kIoReadBytesPerS, col::kIoWriteBytesPerS, col::kNumFds})
        EXPECT_TRUE(metrics::findByColumn(c, metrics::Scope::Process)) << c;
}

TEST(MetricRegistry, ALineAddedToATableReachesEveryOutput) {
    // A test-only table: the registry plus one new system and one new process metric, each one line.
    std::vector<Metric> system(metrics::systemMetrics().begin(), metrics::systemMetrics().end());
    std::vector<Metric> process(metrics::processMetrics().begin(), metrics::processMetrics().end());
    system.push_back({"entropy_bits",
                      metrics::Scope::System,
                      metrics::Index::None,
                      "bits",
                      [](const SystemSample& s, std::size_t) { return s.uptime / 100; },
                      nullptr,
                      "entropy_bits",
                      0,
                      true,
                      1,
                      "loadline_entropy_bits",
                      "Entropy available.",
                      metrics::PromType::Gauge,
                      1,
                      metrics::Derive::Gauge,
                      "loadline_entropy_bits",
                      "memory.entropy_bits",
                      0,
                      "entropy_bits",
                      metrics::kNone});
    process.push_back({"ctx_switches",
                       metrics::Scope::Process,
                       metrics::Index::None,
                       "1",
                       nullptr,
                       [](const ProcessSample& p) { return p.numThreads * 3; },
                       "ctx_switches",
                       0,
                       true,
                       1,
                       "loadline_process_ctx_switches_total",
                       "Context switches.",
                       metrics::PromType::Counter,
                       1,
                       metrics::Derive::Gauge,
                       "loadline_process_ctx_switches_total",
                       "ctx_switches",
                       0,
                       nullptr,
                       metrics::kNone});
    const auto missing = missingOutputs(system, process);
    EXPECT_TRUE(missing.empty()) << ::testing::PrintToString(missing);

    Rendered r(system, process);
    const SeriesTable& st = r.timeline.system;
    const int c = st.columnIndex("entropy_bits");
    ASSERT_GE(c, 0);
    EXPECT_GT(c, st.columnIndex(col::kNetRecvPacketsPerS)) << "an unranked column comes after the ranked ones";
    EXPECT_DOUBLE_EQ(st.value(c, 0), 36.015);
    EXPECT_NE(r.prometheus.find("loadline_entropy_bits 36.015\n"), std::string::npos) << r.prometheus;
    EXPECT_DOUBLE_EQ(r.api["memory"]["entropy_bits"].get<double>(), 36.015);
    EXPECT_DOUBLE_EQ(r.snapshot["entropy_bits"].get<double>(), 36.015);
    const SeriesTable& pt = r.timeline.processes.begin()->second.samples;
    EXPECT_DOUBLE_EQ(pt.value(pt.columnIndex("ctx_switches"), 0), 27);
    EXPECT_NE(r.prometheus.find("loadline_process_ctx_switches_total{name=\"worker\",pid=\"4242\"} 27\n"),
              std::string::npos);
    EXPECT_EQ(r.apiProcess["ctx_switches"].get<double>(), 27);
    // An unranked metric comes after the existing ones of its object: their order stays.
    EXPECT_NE(r.apiText.find("\"percent\":56.25,\"entropy_bits\":36.015}"), std::string::npos) << r.apiText;

    // And the same check fails for a table without the writers' support: a metric whose output
    // is not written is reported.
    const Rendered plain(metrics::systemMetrics(), metrics::processMetrics());
    EXPECT_LT(plain.timeline.system.columnIndex("entropy_bits"), 0);
    EXPECT_FALSE(hasPrometheusFamily(plain.prometheus, "loadline_entropy_bits"));
}
