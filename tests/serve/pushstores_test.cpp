#include "core/serve/pushstores.h"

#include <gtest/gtest.h>

using namespace loadline::core::serve;

namespace {
bool ok(const std::variant<nlohmann::json, FieldError>& r) { return std::holds_alternative<nlohmann::json>(r); }
}  // namespace

TEST(PushStores, ServicesUpdateInPlaceAndRefuseNewNamesWhenFull) {
    PushStores s(PushLimits{2, 4, 4, 4, 4});
    EXPECT_TRUE(ok(s.addService({"a", "up", std::nullopt}, 1)));
    EXPECT_TRUE(ok(s.addService({"b", "up", std::nullopt}, 2)));
    EXPECT_TRUE(ok(s.addService({"a", "down", std::nullopt}, 3)));  // update, not new
    auto r = s.addService({"c", "up", std::nullopt}, 4);
    ASSERT_FALSE(ok(r));
    EXPECT_EQ(std::get<FieldError>(r).field, "name");
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
