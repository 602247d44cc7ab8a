// Writing: py-perf's layout, lossless read → write → read on every fixture, and Python's own
// json module reading what loadline wrote.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/format/recordingio.h"
#include "formattestutil.h"

using namespace loadline;
using namespace loadline::test;

TEST(RecordingWriter, ReadWriteReadIsLosslessOnEveryFixture) {
    const auto fixtures = allGoodFixtures();
    ASSERT_GE(fixtures.size(), 10u);
    for (const auto& path : fixtures) {
        SCOPED_TRACE(path);
        core::Recording first = loadGood(path);
        const std::string text = core::recordingToText(first);
        auto again = core::loadRecordingFromString(text, "written");
        ASSERT_TRUE(again) << again.error().toString() << "\n" << text;
        EXPECT_EQ(differenceBetween(first, *again), "");
        // A second write is byte-identical: nothing drifts.
        EXPECT_EQ(core::recordingToText(*again), text);
    }
}

TEST(RecordingWriter, SavedFileLoadsBack) {
    TempDir dir;
    core::Recording rec = loadGood(goodFixture("summary_full.json"));
    const std::string path = dir.path + "/saved.json";
    std::string error;
    ASSERT_TRUE(succeeded(core::saveRecordingFile(path, rec), &error)) << error;
    core::Recording back = loadGood(path);
    EXPECT_EQ(differenceBetween(rec, back), "");

    const std::string tlPath = dir.path + "/timeline.json";
    ASSERT_TRUE(succeeded(core::saveTimelineFile(tlPath, rec.timeline), &error)) << error;
    core::Recording tl = loadGood(tlPath);
    EXPECT_EQ(tl.kind, core::Recording::Kind::Timeline);
    EXPECT_EQ(tl.timeline.system.size(), 2u);
}

TEST(RecordingWriter, UsesPyPerfKeysAndNesting) {
    core::Recording rec = loadGood(goodFixture("extra_keys.json"));
    nlohmann::json j = core::recordingToJson(rec);
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j.size(), 5u);  // system, processes, metadata + 2 extra top-level keys
    EXPECT_TRUE(j["system"].is_array());
    EXPECT_TRUE(j["processes"].is_object());
    EXPECT_TRUE(j["processes"]["77"].is_array());  // PID keys are strings
    EXPECT_EQ(j["processes"]["77"][0]["pid"], 77);
    EXPECT_TRUE(j["processes"]["77"][0]["pid"].is_number_integer());
    EXPECT_TRUE(j["processes"]["77"][0]["num_threads"].is_number_integer());
    EXPECT_EQ(j["metadata"]["platform"], "Linux");
    EXPECT_EQ(j["metadata"]["hostname"], "build-box");
    EXPECT_EQ(j["metadata"]["loadline"]["collectors"][1], "nvml");
    EXPECT_EQ(j["recorded_by"], "loadline");
    // Extra columns are extra keys; an array column goes back as an array (null = missing).
    const auto& s0 = j["system"][0];
    EXPECT_EQ(s0["swap_percent"], 3.5);
    EXPECT_EQ(s0["cpu_percent_per_core"], nlohmann::json::parse("[10.0, 50.0, null, 20.5]"));
    EXPECT_EQ(s0["gpu_name"], "Example GPU");
    EXPECT_FALSE(s0.contains("nested_thing"));  // ignored when read
    // A missing value is left out, not written as null (py-perf omits what it lacks).
    EXPECT_FALSE(j["system"][1].contains("load_avg_1m"));

    core::Recording summary = loadGood(goodFixture("summary_full.json"));
    nlohmann::json s = core::recordingToJson(summary);
    EXPECT_EQ(s["session_id"], summary.sessionId);
    EXPECT_EQ(s["function_timings"][0]["system_context"]["cpu_percent"], 80.0);
    EXPECT_EQ(s["function_timings"][0]["system_context"]["load_avg_1m"], 2.5);
    EXPECT_FALSE(s["function_timings"][1].contains("system_context"));
    EXPECT_EQ(s["system_timeline"]["metadata"]["sample_interval"], 1.0);
    EXPECT_EQ(s["system_timeline"]["processes"]["321"][0]["name"], "python");
    EXPECT_EQ(s["py_perf_version"], "0.3");
}

TEST(RecordingWriter, EmptyTimelineWritesNullMetadata) {
    core::Recording rec = loadGood(goodFixture("pyperf_example_summary.json"));
    nlohmann::json j = core::recordingToJson(rec);
    EXPECT_EQ(j["system_timeline"]["system"], nlohmann::json::array());
    EXPECT_EQ(j["system_timeline"]["processes"], nlohmann::json::object());
    EXPECT_TRUE(j["system_timeline"]["metadata"]["start_time"].is_null());
}

TEST(RecordingWriter, StringsAreEscapedAndInvalidUtf8Replaced) {
    core::Timeline tl;
    tl.system.appendRow(1.0);
    int c = tl.system.ensureColumn("label", true);
    tl.system.setLastText(c, std::string("a\"b\\c\n\x01 \xff end"));
    const std::string text = core::timelineToText(tl);
    auto j = nlohmann::json::parse(text);  // throws on invalid JSON or UTF-8
    EXPECT_EQ(j["system"][0]["label"], "a\"b\\c\n\x01 \xef\xbf\xbd end");
}

#ifdef LOADLINE_SYSTEM_PYTHON
// py-perf's readers are plain json.load: Debian's Python must read every file we write, and see
// exactly what json.dump(indent=2) would have written for the same data.
TEST(RecordingWriter, PythonJsonLoadReadsWhatWeWrite) {
    TempDir dir;
    std::vector<std::string> written;
    for (const auto& path : allGoodFixtures()) {
        core::Recording rec = loadGood(path);
        const std::string out = dir.path + "/" + std::to_string(written.size()) + ".json";
        std::string error;
        ASSERT_TRUE(succeeded(core::saveRecordingFile(out, rec), &error)) << error;
        written.push_back(out);
    }
    const std::string script =
        "import json, sys\n"
        "for f in sys.argv[1:]:\n"
        "    d = json.load(open(f))\n"
        "    t = d['system_timeline'] if 'session_id' in d else d\n"
        "    assert isinstance(t['system'], list) and isinstance(t['processes'], dict), f\n"
        "    assert set(['platform','sample_interval','start_time','end_time']) <= set(t['metadata']), f\n"
        "    for pid, samples in t['processes'].items():\n"
        "        int(pid)\n"
        "        assert all('timestamp' in s for s in samples), f\n"
        "    assert all('timestamp' in s for s in t['system']), f\n"
        "print('ok', len(sys.argv) - 1)\n";
    std::vector<std::string> argv{LOADLINE_SYSTEM_PYTHON, "-c", script};
    argv.insert(argv.end(), written.begin(), written.end());
    auto r = runProgram(argv);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "ok " + std::to_string(written.size()) + "\n") << r.err;
}

TEST(RecordingWriter, LayoutIsWhatPythonJsonDumpWrites) {
    for (const char* name : {"pyperf_example_timeline.json", "pyperf_example_summary.json", "summary_full.json",
                             "missing_optional.json", "zero_sample_process.json"}) {
        SCOPED_TRACE(name);
        TempDir dir;
        const std::string out = dir.path + "/x.json";
        std::string error;
        ASSERT_TRUE(succeeded(core::saveRecordingFile(out, loadGood(goodFixture(name))), &error)) << error;
        auto r = runProgram({LOADLINE_SYSTEM_PYTHON, "-c",
                             "import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1])), "
                             "indent=2, ensure_ascii=False) + '\\n')",
                             out});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_EQ(r.out, readText(out));
    }
}

TEST(RecordingWriter, NumbersAreWrittenAsPythonReprWritesThem) {
    const double values[] = {0.0,
                             -0.0,
                             0.1,
                             1e-5,
                             0.0001,
                             1e16,
                             1e15,
                             123456789012345680.0,
                             1700000000.1234567,
                             -2.5,
                             1e22,
                             5e-324,
                             1.7976931348623157e308,
                             45.2,
                             100.0,
                             3.0e-7,
                             12345678.9};
    core::Timeline tl;
    for (double v : values) {
        tl.system.appendRow(1.0);
        tl.system.setLast(tl.system.ensureColumn("v"), v);
    }
    TempDir dir;
    const std::string out = dir.path + "/n.json";
    ASSERT_TRUE(core::saveTimelineFile(out, tl));
    auto r = runProgram(
        {LOADLINE_SYSTEM_PYTHON, "-c",
         "import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1])), indent=2) + '\\n')", out});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, readText(out));
}
#endif

// Saving streams the text in chunks of a few MB: the file must equal the one-piece text.
TEST(RecordingWriter, StreamedSaveEqualsTheText) {
    core::Recording rec;
    rec.kind = core::Recording::Kind::PerformanceSummary;
    rec.sessionId = "s";
    auto& sys = rec.timeline.system;
    for (int i = 0; i < 60000; ++i) {
        sys.appendRow(1700000000.0 + i * 0.5);
        sys.setLast(sys.ensureColumn("cpu_percent"), i % 1000 / 10.0);
        sys.setLast(sys.ensureColumn("memory_used_mb"), 1234.5678 + i);
        sys.setLastText(sys.ensureColumn("note", true), i % 2 ? "odd" : "even");
        rec.functionTimings.push_back({"f" + std::to_string(i % 7), 0.5, 0.25, 1700000000.0 + i, std::nullopt, {}});
    }
    TempDir dir;
    const std::string path = dir.path + "/big.json";
    std::string error;
    ASSERT_TRUE(succeeded(core::saveRecordingFile(path, rec), &error)) << error;
    const std::string text = core::recordingToText(rec);
    ASSERT_GT(text.size(), 8u << 20);  // several chunks
    EXPECT_TRUE(readText(path) == text);
    ASSERT_TRUE(succeeded(core::saveTimelineFile(path, rec.timeline), &error)) << error;
    EXPECT_TRUE(readText(path) == core::timelineToText(rec.timeline));
}
