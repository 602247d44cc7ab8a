#include "core/serve/pushstores.h"
#include "core/serve/summarystore.h"

#include <gtest/gtest.h>

using namespace loadline::core::serve;

namespace {
bool ok(const loadline::core::Result<nlohmann::json>& r) { return r.has_value(); }
}  // namespace

TEST(PushStores, ServicesUpdateInPlaceAndRefuseNewNamesWhenFull) {
    PushStores s(PushLimits{2, 4, 4, 4, 4});
    EXPECT_TRUE(ok(s.addService({"a", "up", std::nullopt}, 1)));
    EXPECT_TRUE(ok(s.addService({"b", "up", std::nullopt}, 2)));
    EXPECT_TRUE(ok(s.addService({"a", "down", std::nullopt}, 3)));  // update, not new
    auto r = s.addService({"c", "up", std::nullopt}, 4);
    ASSERT_FALSE(ok(r));
    EXPECT_EQ(r.error().field, "name");
    ASSERT_EQ(s.services().size(), 2u);
    EXPECT_EQ(s.services().at("a").report.status, "down");  // nothing held was lost
    EXPECT_EQ(s.services().at("a").updates, 2u);
}

TEST(PushStores, MetricSeriesAreBoundedRingsInTimeOrder) {
    PushStores s(PushLimits{4, 1, 3, 4, 4});
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(ok(s.addMetric({"svc", "cpu", double(i), std::nullopt}, 100 + i)));
    EXPECT_TRUE(ok(s.addMetric({"svc", "cpu", 99, 50.0}, 200)));  // an old timestamp sorts first, then drops
    const auto& pts = s.metricSeries().begin()->second.points;
    ASSERT_EQ(pts.size(), 3u);
    EXPECT_EQ(pts.front().timestamp, 102);
    EXPECT_EQ(pts.back().timestamp, 104);
    EXPECT_FALSE(ok(s.addMetric({"svc", "memory", 1, std::nullopt}, 300)));  // second series over the cap
    auto j = s.metricsJson(103, 104);
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["samples"].size(), 2u);
}

TEST(PushStores, PipelineStagesBecomeSpans) {
    PushStores s;
    auto meta = [](const char* step, int progress) { return nlohmann::json{{"step", step}, {"progress", progress}}; };
    s.addPipeline({"data_ingestion", "running", meta("download", 10)}, 10);
    s.addPipeline({"data_ingestion", "running", meta("download", 90)}, 12);  // progress: same span
    s.addPipeline({"data_ingestion", "running", meta("parse", 0)}, 15);      // next stage
    s.addPipeline({"data_ingestion", "completed", nlohmann::json::object()}, 20);
    const auto& spans = s.pipelineSpans();
    ASSERT_EQ(spans.size(), 2u);
    EXPECT_EQ(spans[0].stage, "download");
    EXPECT_EQ(spans[0].start, 10);
    EXPECT_EQ(spans[0].end.value(), 15);
    EXPECT_EQ(spans[0].metadata["progress"], 90);
    EXPECT_EQ(spans[1].stage, "parse");
    EXPECT_EQ(spans[1].status, "completed");
    EXPECT_EQ(spans[1].end.value(), 20);
    EXPECT_EQ(s.pipelinesJson(16, 17, 100).size(), 1u);
    EXPECT_EQ(s.pipelinesJson(0, 9, 100).size(), 0u);
}

TEST(PushStores, AlertsKeepTheNewest) {
    PushStores s(PushLimits{4, 4, 4, 4, 2});
    for (int i = 1; i <= 3; ++i) s.addAlert({"t" + std::to_string(i), "m", i, std::nullopt}, i);
    ASSERT_EQ(s.alerts().size(), 2u);
    EXPECT_EQ(s.alerts().front().report.title, "t2");
    EXPECT_EQ(s.alertsJson()[1]["severity"], 3);
}

// A timestamp far from now would stay the newest point (and the Prometheus value) for ever.
TEST(PushStores, MetricTimestampsFarFromNowAreRefused) {
    PushStores s;
    const double now = 1.7e9;
    auto far = s.addMetric({"svc", "cpu", 1, 1e308}, now);
    ASSERT_TRUE(!far.has_value());
    EXPECT_EQ(far.error().field, "timestamp");
    EXPECT_NE(far.error().message.find("300 s after"), std::string::npos);
    EXPECT_TRUE(!s.addMetric({"svc", "cpu", 1, now - 8 * 86400.0}, now).has_value());
    EXPECT_FALSE(!s.addMetric({"svc", "cpu", 1, now + 200}, now).has_value());
    EXPECT_FALSE(!s.addMetric({"svc", "cpu", 2, std::nullopt}, now + 1).has_value());
    EXPECT_EQ(s.metricSeries().begin()->second.points.back().value, 1);  // now + 200 is still the newest
}

// Each "running" report merges into the open span: the merge stays within one report's limits.
TEST(PushStores, MergedSpanMetadataIsBounded) {
    PushStores s;
    int refused = 0;
    for (int i = 0; i < 400; ++i) {
        PipelineReport r{"train", "running", nlohmann::json::object()};
        r.metadata["step"] = "epoch";
        r.metadata["k" + std::to_string(i)] = std::string(1000, 'x');
        if (!s.addPipeline(std::move(r), 100 + i).has_value()) ++refused;
    }
    ASSERT_EQ(s.pipelineSpans().size(), 1u);
    EXPECT_LE(s.pipelineSpans().front().metadata.dump().size(), kMaxMetadataBytes);
    EXPECT_GT(refused, 380);
}

// 1,000 spans of 16 KB "[{},{},…]" would hold hundreds of MB as DOM: counted by memory too.
TEST(PushStores, SpansAreBoundedByMemoryAsWellAsCount) {
    PushLimits limits;
    limits.maxPipelineBytes = 1024 * 1024;
    PushStores s(limits);
    nlohmann::json many = nlohmann::json::array();
    for (int i = 0; i < 1000; ++i) many.push_back(nlohmann::json::object());
    for (int i = 0; i < 1000; ++i) {
        PipelineReport r{"p" + std::to_string(i), "completed", {{"list", many}}};
        ASSERT_FALSE(!s.addPipeline(std::move(r), i).has_value());
    }
    EXPECT_LE(s.pipelineBytes(), limits.maxPipelineBytes);
    EXPECT_LT(s.pipelineSpans().size(), 1000u);
    EXPECT_GT(s.pipelineSpans().size(), 0u);
    EXPECT_EQ(s.pipelineSpans().back().pipelineType, "p999");  // the newest kept
}

TEST(SummaryStore, BoundedByBytesAsWellAsCount) {
    SummaryStore s(32, 1000);
    for (int i = 0; i < 10; ++i) {
        loadline::core::Recording r;
        r.sessionId = "s" + std::to_string(i);
        s.put(std::move(r), i, 300);
    }
    EXPECT_EQ(s.size(), 3u);
    EXPECT_LE(s.bytes(), 1000u);
    EXPECT_TRUE(s.find("s9"));
    EXPECT_FALSE(s.find("s6"));
}
