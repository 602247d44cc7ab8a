// Reading rules for py-perf files (what must open, how bad input fails), one fixture (tests/data/format/) per rule.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "core/format/recordingio.h"
#include "formattestutil.h"

using namespace loadline;
using namespace loadline::test;
using core::Recording;

namespace {

bool anyWarningContains(const Recording& rec, const std::string& text) {
    for (const auto& w : rec.warnings)
        if (w.find(text) != std::string::npos) return true;
    return false;
}

std::string allWarnings(const Recording& rec) {
    std::string s;
    for (const auto& w : rec.warnings) s += w + "\n";
    return s;
}

core::LoadResult loadBad(const std::string& name) {
    auto r = core::loadRecordingFile(badFixture(name));
    EXPECT_FALSE(r.has_value()) << name;
    EXPECT_TRUE(!r.has_value()) << name;
    return r;
}

}  // namespace

TEST(RecordingReader, OpensPyPerfTimelineExampleWithComments) {
    Recording rec = loadGood(goodFixture("pyperf_example_timeline.json"));
    EXPECT_EQ(rec.kind, Recording::Kind::Timeline);
    ASSERT_EQ(rec.timeline.system.size(), 1u);
    EXPECT_DOUBLE_EQ(rec.timeline.system.timestamp(0), 1234567890.123);
    EXPECT_DOUBLE_EQ(rec.timeline.system.value(core::col::kCpuPercent, 0), 45.2);
    EXPECT_DOUBLE_EQ(rec.timeline.system.value(core::col::kLoadAvg15m, 0), 1.8);
    ASSERT_EQ(rec.timeline.processes.count(12345), 1u);  // the PID key "12345" is a string
    const auto& p = rec.timeline.processes.at(12345);
    ASSERT_EQ(p.samples.size(), 1u);
    EXPECT_EQ(p.latestText(core::col::kName), "python");
    EXPECT_EQ(p.latestText(core::col::kCmdline), "python my_script.py");
    EXPECT_EQ(p.latestText(core::col::kStatus), "running");
    EXPECT_DOUBLE_EQ(p.samples.value(core::col::kNumThreads, 0), 4);
    EXPECT_EQ(rec.timeline.metadata.platform, "Darwin");
    EXPECT_EQ(rec.timeline.metadata.sampleInterval, 0.5);
    EXPECT_EQ(rec.timeline.metadata.endTime, 1234567900.0);
    EXPECT_TRUE(rec.warnings.empty()) << allWarnings(rec);
}

TEST(RecordingReader, OpensPyPerfSummaryExampleWithCommentOnlyTimeline) {
    // Its system_timeline holds only a comment: that is an empty timeline, not an error.
    Recording rec = loadGood(goodFixture("pyperf_example_summary.json"));
    EXPECT_EQ(rec.kind, Recording::Kind::PerformanceSummary);
    EXPECT_EQ(rec.sessionId, "uuid-here");
    ASSERT_EQ(rec.functionTimings.size(), 1u);
    const auto& t = rec.functionTimings[0];
    EXPECT_EQ(t.functionName, "my_function");
    EXPECT_DOUBLE_EQ(t.wallTime, 1.234);
    EXPECT_DOUBLE_EQ(t.cpuTime, 1.1);
    EXPECT_DOUBLE_EQ(t.timestamp, 1234567890.567);
    ASSERT_TRUE(t.systemContext.has_value());
    EXPECT_DOUBLE_EQ(t.systemContext->cpuPercent, 78.5);
    EXPECT_TRUE(rec.timeline.system.empty());
    EXPECT_TRUE(rec.timeline.processes.empty());
    EXPECT_FALSE(rec.timeline.metadata.platform.has_value());
}

TEST(RecordingReader, StartTimeNullAndNoSamples) {
    Recording rec = loadGood(goodFixture("start_time_null.json"));
    EXPECT_FALSE(rec.timeline.metadata.startTime.has_value());
    EXPECT_FALSE(rec.timeline.metadata.endTime.has_value());
    EXPECT_EQ(rec.timeline.metadata.platform, "Linux");
    EXPECT_TRUE(rec.timeline.system.empty());
}

TEST(RecordingReader, MissingOptionalFieldsAreMissingValues) {
    Recording rec = loadGood(goodFixture("missing_optional.json"));
    const auto& sys = rec.timeline.system;
    ASSERT_EQ(sys.size(), 2u);
    EXPECT_TRUE(core::isMissing(sys.value(core::col::kLoadAvg1m, 0)));
    EXPECT_DOUBLE_EQ(sys.value(core::col::kLoadAvg1m, 1), 0.5);
    EXPECT_TRUE(core::isMissing(sys.value(core::col::kLoadAvg5m, 1)));
    const auto& p = rec.timeline.processes.at(4242).samples;
    EXPECT_TRUE(core::isMissing(p.value(core::col::kCreateTime, 0)));
    EXPECT_DOUBLE_EQ(p.value(core::col::kCreateTime, 1), 1699999990.0);
    EXPECT_EQ(rec.timeline.processes.at(4242).latestText(core::col::kCmdline), "");
    EXPECT_FALSE(rec.timeline.metadata.startTime.has_value());  // absent from metadata
    EXPECT_TRUE(rec.warnings.empty()) << allWarnings(rec);
}

TEST(RecordingReader, UnknownKeysBecomeColumnsOrExtras) {
    Recording rec = loadGood(goodFixture("extra_keys.json"));
    const auto& sys = rec.timeline.system;
    ASSERT_EQ(sys.size(), 2u);
    EXPECT_DOUBLE_EQ(sys.value("swap_percent", 1), 3.6);
    // An array of numbers becomes key[0], key[1], ...; null is a missing element.
    EXPECT_DOUBLE_EQ(sys.value("cpu_percent_per_core[1]", 0), 50.0);
    EXPECT_TRUE(core::isMissing(sys.value("cpu_percent_per_core[2]", 0)));
    EXPECT_DOUBLE_EQ(sys.value("cpu_percent_per_core[3]", 1), 21.5);
    int gpu = sys.columnIndex("gpu_name");
    ASSERT_GE(gpu, 0);
    EXPECT_TRUE(sys.isTextColumn(gpu));
    EXPECT_EQ(sys.text(gpu, 1), "Example GPU");
    // Objects and booleans inside samples cannot be columns: ignored, with one warning each.
    EXPECT_LT(sys.columnIndex("nested_thing"), 0);
    EXPECT_TRUE(anyWarningContains(rec, "system[*].nested_thing: ignored")) << allWarnings(rec);
    EXPECT_TRUE(anyWarningContains(rec, "system[*].flag: ignored")) << allWarnings(rec);
    const auto& p = rec.timeline.processes.at(77);
    EXPECT_EQ(p.latestText(core::col::kName), "worker \"quoted\" \xc3\xa9\xe4\xb8\xad");
    EXPECT_EQ(p.latestText(core::col::kCmdline), "worker --flag\twith tab");
    EXPECT_DOUBLE_EQ(p.samples.value("io_read_mb", 0), 1.5);
    EXPECT_DOUBLE_EQ(p.samples.value(core::col::kCpuPercent, 0), 150.0);  // > 100 % is fine
    // Unknown keys outside samples are kept, in order, as JSON text.
    ASSERT_EQ(rec.timeline.metadata.extra.size(), 2u);
    EXPECT_EQ(rec.timeline.metadata.extra[0].first, "hostname");
    EXPECT_EQ(rec.timeline.metadata.extra[0].second, "\"build-box\"");
    EXPECT_EQ(rec.timeline.metadata.extra[1].second, R"({"version":"0.1.0","collectors":["proc","nvml"]})");
    ASSERT_EQ(rec.timeline.extra.size(), 2u);
    EXPECT_EQ(rec.timeline.extra[0].first, "recorded_by");
    EXPECT_EQ(rec.timeline.extra[1].second, R"([1,"two",{"three":3}])");
}

TEST(RecordingReader, IntegersWhereFloatsAreExpected) {
    Recording rec = loadGood(goodFixture("ints_for_floats.json"));
    const auto& sys = rec.timeline.system;
    ASSERT_EQ(sys.size(), 2u);
    EXPECT_EQ(sys.timestamp(0), 1700000000.0);
    EXPECT_EQ(sys.value(core::col::kCpuPercent, 0), 45.0);
    EXPECT_EQ(sys.value(core::col::kCpuPercent, 1), 45.0);           // 4.5e1
    EXPECT_EQ(sys.value(core::col::kMemoryAvailableMb, 1), 8192.0);  // 8.192E3
    EXPECT_EQ(sys.value(core::col::kLoadAvg5m, 1), 2.0);             // 0.2e+1
    EXPECT_EQ(rec.timeline.metadata.sampleInterval, 1.0);
    EXPECT_TRUE(rec.warnings.empty()) << allWarnings(rec);
}

TEST(RecordingReader, ProcessWithZeroSamplesIsKept) {
    Recording rec = loadGood(goodFixture("zero_sample_process.json"));
    ASSERT_EQ(rec.timeline.processes.size(), 2u);
    EXPECT_EQ(rec.timeline.processes.at(100).samples.size(), 0u);
    EXPECT_EQ(rec.timeline.processes.at(200).samples.size(), 1u);
}

TEST(RecordingReader, OutOfOrderSamplesAreSortedWithAWarning) {
    Recording rec = loadGood(goodFixture("out_of_order.json"));
    const auto& sys = rec.timeline.system;
    ASSERT_EQ(sys.size(), 3u);
    EXPECT_TRUE(sys.isSorted());
    EXPECT_EQ(sys.value(core::col::kCpuPercent, 0), 10.0);
    EXPECT_EQ(sys.value(core::col::kCpuPercent, 2), 30.0);
    const auto& p = rec.timeline.processes.at(5).samples;
    EXPECT_EQ(p.text(p.columnIndex("name"), 0), "a");  // text moves with its row
    EXPECT_TRUE(anyWarningContains(rec, "system: samples were out of time order")) << allWarnings(rec);
    EXPECT_TRUE(anyWarningContains(rec, "processes[\"5\"]: samples were out of time order")) << allWarnings(rec);
}

TEST(RecordingReader, CommentsAnywhereWhitespaceIs) {
    Recording rec = loadGood(goodFixture("comments_everywhere.json"));
    ASSERT_EQ(rec.timeline.system.size(), 1u);
    EXPECT_EQ(rec.timeline.system.timestamp(0), 1700000000.5);
    const auto& sys = rec.timeline.system;
    EXPECT_EQ(sys.text(sys.columnIndex("note"), 0), "a // inside a string and /* this */ too");
}

TEST(RecordingReader, PythonNonFiniteNumbersAreAccepted) {
    Recording rec = loadGood(goodFixture("python_nonfinite.json"));
    const auto& sys = rec.timeline.system;
    ASSERT_EQ(sys.size(), 1u);
    EXPECT_TRUE(core::isMissing(sys.value(core::col::kCpuPercent, 0)));         // NaN is a missing value
    EXPECT_TRUE(core::isMissing(sys.value(core::col::kMemoryAvailableMb, 0)));  // so is Infinity
    EXPECT_DOUBLE_EQ(sys.value(core::col::kMemoryPercent, 0), 5.0);
}

TEST(RecordingReader, WrongTypedSamplesAreSkippedAndNamed) {
    Recording rec = loadGood(goodFixture("wrong_types.json"));
    const auto& sys = rec.timeline.system;
    // Samples 1 (string cpu), 2 (no timestamp), 3 (string timestamp), 4 (not an object) are skipped.
    ASSERT_EQ(sys.size(), 2u);
    EXPECT_EQ(sys.timestamp(0), 1700000000.0);
    EXPECT_EQ(sys.timestamp(1), 1700000005.0);
    EXPECT_TRUE(core::isMissing(sys.value(core::col::kMemoryPercent, 1)));  // null is missing, not wrong
    EXPECT_EQ(rec.timeline.processes.at(9).samples.size(), 1u);
    const std::string w = allWarnings(rec);
    EXPECT_TRUE(anyWarningContains(rec, "system[1].cpu_percent: expected a number, got a string")) << w;
    EXPECT_TRUE(anyWarningContains(rec, "system[2].timestamp: missing (expected a number)")) << w;
    EXPECT_TRUE(anyWarningContains(rec, "system[3].timestamp: expected a number, got a string")) << w;
    EXPECT_TRUE(anyWarningContains(rec, "system[4]: expected a sample object, got a string")) << w;
    EXPECT_TRUE(anyWarningContains(rec, "processes[\"9\"][0].name: expected a string, got a number")) << w;
    EXPECT_TRUE(anyWarningContains(rec, "skipped 5 entries with a missing or wrong-typed field (first: system[1]"))
        << w;
    EXPECT_TRUE(anyWarningContains(rec, "processes[\"not-a-pid\"]: the key is not a PID")) << w;
    EXPECT_TRUE(anyWarningContains(rec,
                                   "processes[\"10\"]: expected an array of samples, got an object; the "
                                   "process is ignored"))
        << w;
    EXPECT_EQ(rec.timeline.processes.count(10), 0u);
    EXPECT_TRUE(anyWarningContains(rec, "metadata.sample_interval: expected a number or null, got a string")) << w;
    EXPECT_EQ(rec.timeline.metadata.endTime, 1700000005.0);
}

TEST(RecordingReader, SummaryTimingsContextAndSkips) {
    Recording rec = loadGood(goodFixture("summary_full.json"));
    EXPECT_EQ(rec.kind, Recording::Kind::PerformanceSummary);
    ASSERT_EQ(rec.functionTimings.size(), 3u);  // "broken" and "no_end" skipped
    EXPECT_EQ(rec.functionTimings[1].functionName, "compute");
    EXPECT_EQ(rec.functionTimings[1].wallTime, 1.0);
    EXPECT_FALSE(rec.functionTimings[1].systemContext.has_value());  // missing system_context
    EXPECT_FALSE(rec.functionTimings[2].systemContext.has_value());  // null system_context
    ASSERT_EQ(rec.functionTimings[1].extra.size(), 1u);
    EXPECT_EQ(rec.functionTimings[1].extra[0].second, R"(["x",1])");
    ASSERT_TRUE(rec.functionTimings[0].systemContext.has_value());
    EXPECT_EQ(rec.functionTimings[0].systemContext->extra.at(0).first, "load_avg_1m");
    EXPECT_EQ(rec.functionTimings[0].startTime(), 1700000001.0);
    EXPECT_EQ(rec.timeline.system.size(), 2u);
    EXPECT_EQ(rec.timeline.processes.at(321).latestText("cmdline"), "python app.py");
    ASSERT_EQ(rec.extra.size(), 1u);
    EXPECT_EQ(rec.extra[0].first, "py_perf_version");
    EXPECT_TRUE(anyWarningContains(rec, "function_timings[3].wall_time: expected a number, got a string"))
        << allWarnings(rec);
    EXPECT_TRUE(anyWarningContains(rec, "function_timings[4].timestamp: missing")) << allWarnings(rec);
}

TEST(RecordingReader, BoundedLoadKeepsTheNewestSamples) {
    core::LoadOptions options;
    options.maxSamples = 2;
    auto r = core::loadRecordingFile(goodFixture("out_of_order.json"), options);
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_EQ(r->timeline.system.size(), 2u);
}

TEST(RecordingReader, ProgressIsReportedAndCancelStops) {
    // A document big enough for several progress steps.
    std::string json = "{\"system\": [";
    for (int i = 0; i < 200000; ++i) {
        if (i) json += ",";
        json +=
            "{\"timestamp\": " + std::to_string(1700000000 + i) + ", \"cpu_percent\": 12.5, \"memory_percent\": 50.25}";
    }
    json += "], \"processes\": {}, \"metadata\": {}}";
    std::vector<double> seen;
    core::LoadOptions options;
    options.progress = [&](double f) {
        seen.push_back(f);
        return true;
    };
    auto r = core::loadRecordingFromString(json, "big", options);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->timeline.system.size(), 200000u);
    ASSERT_GE(seen.size(), 2u);
    EXPECT_EQ(seen.back(), 1.0);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

    options.progress = [](double) { return false; };
    auto cancelled = core::loadRecordingFromString(json, "big", options);
    EXPECT_FALSE(cancelled);
    EXPECT_TRUE((!cancelled && cancelled.error().kind == loadline::core::ErrorKind::Cancelled));
}

TEST(RecordingReader, SyntaxErrorGivesFileLineColumn) {
    auto r = loadBad("syntax_error.json");
    EXPECT_EQ(r.error().line, 3);
    EXPECT_EQ(r.error().column, 53);  // the '}' after the trailing comma
    EXPECT_EQ(r.error().toString(), badFixture("syntax_error.json") + ":3:53: trailing comma before '}'");
}

TEST(RecordingReader, TruncatedFileGivesPositionAtTheEnd) {
    auto r = loadBad("truncated.json");
    EXPECT_GT(r.error().line, 1);
    EXPECT_NE(r.error().message.find("truncated"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().toString().find(badFixture("truncated.json") + ":" + std::to_string(r.error().line) + ":"),
              std::string::npos);
}

TEST(RecordingReader, UnterminatedCommentIsASyntaxError) {
    auto r = loadBad("unterminated_comment.json");
    EXPECT_EQ(r.error().line, 1);
    EXPECT_EQ(r.error().column, 16);
    EXPECT_EQ(r.error().message, "unterminated /* comment");
}

TEST(RecordingReader, WrongShapeSaysWhatWasExpected) {
    auto array = loadBad("wrong_shape_array.json");
    EXPECT_NE(array.error().message.find("not a py-perf recording: expected a JSON object"), std::string::npos)
        << array.error().message;
    EXPECT_NE(array.error().message.find("got an array"), std::string::npos);
    EXPECT_EQ(array.error().line, 1);

    auto object = loadBad("wrong_shape_object.json");
    EXPECT_NE(object.error().message.find("expected a timeline (keys \"system\""), std::string::npos)
        << object.error().message;
    EXPECT_NE(object.error().message.find("found keys \"name\", \"version\""), std::string::npos)
        << object.error().message;

    auto system = loadBad("system_not_array.json");
    EXPECT_EQ(system.error().message, "system: expected an array of samples, got an object");
    EXPECT_EQ(system.error().line, 2);
    EXPECT_EQ(system.error().column, 13);
}

TEST(RecordingReader, EmptyFilesAndOsErrorsSayWhy) {
    auto empty = loadBad("empty.json");
    EXPECT_NE(empty.error().message.find("empty"), std::string::npos);
    EXPECT_EQ(empty.error().toString().rfind(badFixture("empty.json") + ": ", 0), 0u);
    auto blank = loadBad("whitespace_only.json");
    EXPECT_NE(blank.error().message.find("only whitespace"), std::string::npos);

    auto missing = core::loadRecordingFile(badFixture("no_such_file.json"));
    ASSERT_TRUE(!missing.has_value());
    EXPECT_EQ(missing.error().toString(), badFixture("no_such_file.json") + ": cannot open: No such file or directory");

    auto dir = core::loadRecordingFile(std::string(LOADLINE_TEST_DATA) + "/format");
    ASSERT_TRUE(!dir.has_value());
    EXPECT_NE(dir.error().message.find("Is a directory"), std::string::npos) << dir.error().message;
}

TEST(RecordingReader, UnreadableFileGivesOsReason) {
    TempDir dir;
    ::chmod(dir.path.c_str(), 0755);  // others may enter: only the file's own mode stops them
    const std::string path = dir.path + "/secret.json";
    {
        FILE* f = std::fopen(path.c_str(), "w");
        std::fputs("{}", f);
        std::fclose(f);
    }
    ::chmod(path.c_str(), 0);
    const std::string error = asUnprivileged([&] {  // root would read it anyway
        auto r = core::loadRecordingFile(path);
        return !r.has_value() ? r.error().toString() : std::string("opened");
    });
    EXPECT_EQ(error, path + ": cannot open: Permission denied");
}

TEST(RecordingReader, FromStringUsesTheGivenName) {
    auto r = core::loadRecordingFromString("{\"system\": [1,", "pasted");
    ASSERT_TRUE(!r.has_value());
    EXPECT_EQ(r.error().toString().rfind("pasted:1:", 0), 0u) << r.error().toString();
}

// Cut every fixture at every byte: each prefix either opens or fails with a position inside
// the text — never a crash, a hang or an exception (run under dev-asan too).
TEST(RecordingReader, EveryTruncationFailsCleanly) {
    for (const auto& path : allGoodFixtures()) {
        SCOPED_TRACE(path);
        const std::string text = readText(path);
        for (std::size_t n = 0; n < text.size(); ++n) {
            auto r = core::loadRecordingFromString(std::string_view(text).substr(0, n), "cut");
            if (r) continue;  // e.g. the cut fell in a trailing comment
            ASSERT_TRUE(!r.has_value());
            if (r.error().line == 0) continue;  // empty / whitespace only
            EXPECT_GE(r.error().column, 1);
            EXPECT_LE(r.error().line, 1 + static_cast<int>(std::count(text.begin(), text.begin() + n, '\n')));
        }
    }
}

// Flip bytes all over a fixture: whatever comes out is an error or a recording, never a crash.
TEST(RecordingReader, CorruptedBytesNeverCrash) {
    const std::string text = readText(goodFixture("extra_keys.json"));
    const char replacements[] = {'"', '{', '}', '[', ']', ',', ':', '\\', '/', '*', '0', 'e', '-', ' ', '\0', '\xff'};
    for (std::size_t i = 0; i < text.size(); ++i) {
        for (char c : replacements) {
            std::string broken = text;
            broken[i] = c;
            auto r = core::loadRecordingFromString(broken, "flip");
            EXPECT_TRUE(r.has_value() != !r.has_value());
        }
    }
}

TEST(RecordingReader, ManyDistinctTextsKeepTheirValues) {
    std::string json = "{\"system\": [";
    for (int i = 0; i < 3000; ++i) {
        if (i) json += ",";
        json += "{\"timestamp\": " + std::to_string(i) + ", \"note\": \"note " + std::to_string(i % 1500) + "\"}";
    }
    json += "]}";
    auto r = core::loadRecordingFromString(json);
    ASSERT_TRUE(r);
    const auto& sys = r->timeline.system;
    const int note = sys.columnIndex("note");
    ASSERT_GE(note, 0);
    EXPECT_EQ(sys.text(note, 2999), "note 1499");
    EXPECT_EQ(sys.text(note, 1600), "note 100");
    EXPECT_EQ(sys.dictionary(note).size(), 1500u);
}

// A file that opens but cannot be read (works as root too): reading /proc/self/mem at offset 0
// fails with EIO.
TEST(RecordingReader, ReadErrorGivesOsReason) {
    auto r = core::loadRecordingFile("/proc/self/mem");
    ASSERT_TRUE(!r.has_value());
    EXPECT_EQ(r.error().toString(), "/proc/self/mem: cannot read: Input/output error");
}

// Text that is no JSON at all is a syntax error at its place, not "a number of the wrong shape"
// ('N' could start NaN); a value that overflows is called out of range, not missing.
TEST(RecordingReader, MessagesNameTheRealProblem) {
    auto r = core::loadRecordingFromString("Name: x\n", "notes");
    ASSERT_TRUE(!r.has_value());
    EXPECT_EQ(r.error().toString(), "notes:1:1: expected a JSON value, got 'N'");
    r = core::loadRecordingFromString("{\"system\": Nope}", "f");
    ASSERT_TRUE(!r.has_value());
    EXPECT_EQ(r.error().toString(), "f:1:12: expected a JSON value, got 'N'");
    r = core::loadRecordingFromString("{\"system\": 5}", "f");  // well-formed: then the shape
    ASSERT_TRUE(!r.has_value());
    EXPECT_EQ(r.error().toString(), "f:1:12: system: expected an array of samples, got a number");
    r = core::loadRecordingFromString(
        R"({"system": [{"timestamp": 1700000000, "cpu_percent": 1}, {"timestamp": 1e309, "cpu_percent": 2}],
            "processes": {}, "metadata": {}})",
        "f");
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_EQ(r->timeline.system.size(), 1u);
    ASSERT_FALSE(r->warnings.empty());
    EXPECT_EQ(r->warnings[0],
              "line 1: system[1].timestamp: out of range (expected epoch seconds, got an infinite number)");
}

// The first error stands: a wrong shape found before a syntax error further on is what is
// reported, and nothing after the first error adds to it.
TEST(RecordingReader, TheFirstErrorIsReported) {
    auto r = core::loadRecordingFromString("{\"system\": 5, \"processes\": x}", "f");
    ASSERT_TRUE(!r.has_value());
    EXPECT_EQ(r.error().toString(), "f:1:12: system: expected an array of samples, got a number");
    r = core::loadRecordingFromString("{\"system\": [{\"timestamp\": 1, \"x\": 1.}], \"processes\": 5}", "f");
    ASSERT_TRUE(!r.has_value());
    EXPECT_EQ(r.error().toString(), "f:1:37: expected a digit after the decimal point, got '}'");
}

// Sample storage has a cap (kMaxLoadMemoryPerFileByte per byte of the file plus
// kLoadMemoryAllowance): arrays of one-digit numbers in four keys that take turns need about 16
// bytes per byte of text (each column stays dense, 8 bytes a row, while a quarter of the rows
// hold it; the first samples hold all four, so that they become dense). Past the cap the load
// fails at the sample that crossed it (the test peaks at about 240 MB).
TEST(RecordingReader, SampleStorageOverTheCapFailsAtTheSample) {
    std::string array = "[";
    for (int e = 0; e < 1000; ++e) array += e ? ",1" : "1";
    array += "]";
    auto sample = [&](int i) {
        std::string s = "{\"timestamp\": " + std::to_string(i);
        for (int k = 0; k < 4; ++k)
            if (i < 3 || i % 4 == k) s += ", \"a" + std::to_string(k) + "\": " + array;
        return s + "}";
    };
    std::string json = "{\"system\": [\n";
    for (int i = 0; i < 6000; ++i) json += (i ? ",\n" : "") + sample(i);
    json += "\n]}";
    auto r = core::loadRecordingFromString(json, "wide");
    ASSERT_TRUE(!r.has_value());
    EXPECT_EQ(r.error().kind, core::ErrorKind::Invalid);
    EXPECT_EQ(r.error().message.rfind("the samples would need ", 0), 0u) << r.error().message;
    EXPECT_NE(r.error().message.find(" MiB (4000 columns x "), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("a recording with that many distinct keys is not supported"), std::string::npos)
        << r.error().message;
    // At the end of the sample that crossed the cap (sample i is on line i + 2).
    ASSERT_GT(r.error().line, 4);
    ASSERT_LT(r.error().line, 6002);
    EXPECT_EQ(r.error().column, static_cast<int>(sample(r.error().line - 2).size()) + 1);
}

// Each warning names the file line of what it is about; the summary of skipped entries is no
// defect of its own (the Warnings panel and inspect count defects).
TEST(RecordingReader, WarningsCarryLineNumbersAndCountDefects) {
    auto r = core::loadRecordingFromString(
        "{\n"
        "  \"system\": [\n"
        "    {\"timestamp\": 1700000000, \"cpu_percent\": 1},\n"
        "    {\"cpu_percent\": 2},\n"
        "    {\"timestamp\": 1700000002, \"cpu_percent\": \"x\"}\n"
        "  ],\n"
        "  \"processes\": {\"abc\": []},\n"
        "  \"metadata\": {}\n"
        "}\n",
        "f");
    ASSERT_TRUE(r) << r.error().toString();
    const auto& w = r->warnings;
    ASSERT_EQ(w.size(), 4u) << allWarnings(*r);
    EXPECT_EQ(w[0].rfind("line 7: processes[\"abc\"]: the key is not a PID", 0), 0u) << w[0];
    EXPECT_EQ(w[1].rfind("line 4: system[1]", 0), 0u) << w[1];
    EXPECT_EQ(w[2].rfind("line 5: system[2].cpu_percent", 0), 0u) << w[2];
    EXPECT_EQ(w[3].rfind("skipped 2 entries", 0), 0u) << w[3];  // a summary: no line of its own
    EXPECT_EQ(r->defectCount(), 3u);

    // More skipped entries than are listed: the unlisted ones still count.
    std::string many = "{\"system\": [\n";
    for (int i = 0; i < 8; ++i) many += std::string(i ? ",\n" : "") + "{\"cpu_percent\": 1}";
    many += "\n]}";
    r = core::loadRecordingFromString(many, "f");
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_EQ(r->warnings.size(), 6u) << allWarnings(*r);  // 5 listed + the summary
    EXPECT_EQ(r->warnings[4].rfind("line 6: system[4]", 0), 0u) << r->warnings[4];
    EXPECT_EQ(r->defectCount(), 8u);
}

// Impossible values are named and left out, not taken at face value (a total of -2 s).
TEST(RecordingReader, NegativeDurationsAndIntervalsAreRefused) {
    auto r = core::loadRecordingFromString(R"({"session_id": "s", "function_timings": [
            {"function_name": "ok", "wall_time": 1, "cpu_time": 0.5, "timestamp": 10},
            {"function_name": "bad", "wall_time": -2, "cpu_time": 0.5, "timestamp": 11},
            {"function_name": "bad", "wall_time": 1, "cpu_time": -1, "timestamp": 12}],
        "system_timeline": {"system": [], "processes": {}, "metadata": {"sample_interval": -1}}})",
                                           "s");
    ASSERT_TRUE(r) << r.error().toString();
    ASSERT_EQ(r->functionTimings.size(), 1u);
    EXPECT_EQ(r->functionTimings[0].functionName, "ok");
    EXPECT_FALSE(r->timeline.metadata.sampleInterval.has_value());
    std::string all;
    for (const auto& w : r->warnings) all += w + "\n";
    EXPECT_NE(all.find("function_timings[1].wall_time: negative (-2"), std::string::npos) << all;
    EXPECT_NE(all.find("function_timings[2].cpu_time: negative (-1"), std::string::npos) << all;
    EXPECT_NE(all.find("sample_interval: -1 is not a positive number of seconds"), std::string::npos) << all;
}
