#include "core/serve/pushpayloads.h"

#include <gtest/gtest.h>

using namespace loadline::core::serve;

namespace {
template <class T>
std::string errorField(const Parsed<T>& p) {
    return p ? std::string("<ok>") : p.error().field;
}
}  // namespace

TEST(PushPayloads, ClimateMonitorExamplesParse) {  // Climate System Monitor's documented JSON, verbatim values
    auto s =
        parseServiceReport(R"({"name": "your-service-name", "status": "up", "endpoint": "http://your-service:port"})");
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s.value().endpoint.value(), "http://your-service:port");

    auto m = parseMetricReport(R"({"service": "your-service-name", "metric_type": "cpu", "value": 45.2})");
    ASSERT_TRUE(m.has_value());
    EXPECT_DOUBLE_EQ(m.value().value, 45.2);

    auto p = parsePipelineReport(
        R"({"pipeline_type": "data_ingestion", "status": "running", "metadata": {"step": "data_download", "progress": 45}})");
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p.value().metadata["progress"], 45);

    auto a = parseAlertReport(
        R"({"title": "High CPU Usage", "message": "CPU usage above 90%", "severity": 2, "service": "your-service-name"})");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a.value().severity, 2);
}

TEST(PushPayloads, ErrorsNameTheField) {
    EXPECT_EQ(errorField(parseServiceReport("")), "body");
    EXPECT_EQ(errorField(parseServiceReport("{not json")), "body");
    EXPECT_EQ(errorField(parseServiceReport("[1,2]")), "body");
    EXPECT_EQ(errorField(parseServiceReport(R"({"status": "up"})")), "name");
    EXPECT_EQ(errorField(parseServiceReport(R"({"name": "a", "status": "sideways"})")), "status");
    EXPECT_EQ(errorField(parseServiceReport(R"({"name": "a", "status": "up", "endpoint": 5})")), "endpoint");
    EXPECT_EQ(errorField(parseMetricReport(R"({"service": "a", "metric_type": "cpu", "value": "45"})")), "value");
    EXPECT_EQ(errorField(parseMetricReport(R"({"service": "a", "metric_type": "cpu"})")), "value");
    EXPECT_EQ(errorField(parseMetricReport(R"({"service": "a", "value": 1})")), "metric_type");
    EXPECT_EQ(errorField(parseMetricReport(R"({"service": "", "metric_type": "cpu", "value": 1})")), "service");
    EXPECT_EQ(errorField(parsePipelineReport(R"({"pipeline_type": "t", "status": "paused"})")), "status");
    EXPECT_EQ(errorField(parsePipelineReport(R"({"pipeline_type": "t", "status": "running", "metadata": [1]})")),
              "metadata");
    EXPECT_EQ(errorField(parseAlertReport(R"({"title": "t", "message": "m", "severity": 4})")), "severity");
    EXPECT_EQ(errorField(parseAlertReport(R"({"title": "t", "message": "m", "severity": 2.5})")), "severity");
    EXPECT_EQ(errorField(parseAlertReport(R"({"title": "t", "message": "m", "severity": "2"})")), "severity");
    EXPECT_EQ(errorField(parseAlertReport(R"({"title": "t", "message": "m", "severity": true})")), "severity");
    EXPECT_EQ(errorField(parseAlertReport(R"({"message": "m", "severity": 1})")), "title");
    // Numbers too large for a double: a 400 naming the field, not a 500 from the JSON library.
    EXPECT_EQ(errorField(parseMetricReport(R"({"service": "a", "metric_type": "cpu", "value": 1e400})")), "value");
    EXPECT_EQ(errorField(parseAlertReport(R"({"title": "t", "message": "m", "severity": -1e999})")), "severity");
    EXPECT_EQ(errorField(parsePipelineReport(
                  R"({"pipeline_type": "t", "status": "running", "metadata": {"step": "s", "progress": 1e400}})")),
              "metadata.progress");
    EXPECT_EQ(errorField(parseMetricReport(R"({"service": "a", "metric_type": "cpu", "value": 1e300})")), "<ok>");
}

TEST(PushPayloads, BoundsTextSizes) {
    std::string longName(kMaxNameLength + 1, 'x');
    EXPECT_EQ(errorField(parseServiceReport(R"({"name": ")" + longName + R"(", "status": "up"})")), "name");
    std::string bigMeta = R"({"pipeline_type": "t", "status": "running", "metadata": {"k": ")" +
                          std::string(kMaxMetadataBytes, 'x') + "\"}}";
    EXPECT_EQ(errorField(parsePipelineReport(bigMeta)), "metadata");
}

TEST(PushPayloads, DeepNestingIsRefusedWithoutRecursion) {
    EXPECT_EQ(jsonNestingDepth(R"({"a": [1, {"b": "[[[["}]})"), 3);
    std::string deep = R"({"pipeline_type": "t", "status": "running", "metadata": {"m": )" + std::string(500000, '[') +
                       std::string(500000, ']') + "}}";
    EXPECT_EQ(errorField(parsePipelineReport(deep)), "body");
}

TEST(PushPayloads, MetadataValueCountIsBounded) {
    std::string list = "[";
    for (int i = 0; i < 2000; ++i) list += i ? ",{}" : "{}";
    list += "]";
    EXPECT_EQ(errorField(parsePipelineReport(R"({"pipeline_type": "t", "status": "running", "metadata": {"m": )" +
                                             list + "}}")),
              "metadata");
}
