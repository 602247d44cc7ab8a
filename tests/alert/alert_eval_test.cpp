// Alert intervals over timelines whose answers are known by construction: for-durations, the
// severity and peak, NaN/missing values, gaps in time, a process that exits mid-alert; and the
// tick-by-tick evaluator (the sampler's) giving the same intervals as the whole-timeline one.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/alert/alertjson.h"
#include "core/alert/evaluator.h"
#include "core/format/recordingio.h"
#include "core/timeline/timeline.h"

using namespace loadline::core;
using namespace loadline::core::alert;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

AlertRule rule(const char* text) {
    auto r = parseRule(text);
    const Error err = r ? Error{} : r.error();
    EXPECT_TRUE(r.has_value()) << err.toString();
    return r ? *r : AlertRule{};
}

/** System samples at the given times with cpu_percent values (NaN: left out of the sample). */
Timeline systemTimeline(const std::vector<double>& times, const std::vector<double>& cpu,
                        const char* metric = "cpu_percent") {
    Timeline t;
    t.metadata.sampleInterval = 1.0;
    const int c = t.system.ensureColumn(metric);
    for (std::size_t i = 0; i < times.size(); ++i) {
        t.system.appendRow(times[i]);
        t.system.setLast(c, cpu[i]);
    }
    return t;
}

std::vector<double> seconds(double from, std::size_t n) {
    std::vector<double> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(from + double(i));
    return out;
}

std::vector<AlertInterval> run(const Timeline& t, std::vector<AlertRule> rules) {
    return evaluate(t, rules, {timelineInterval(t)});
}

}  // namespace

TEST(AlertEval, ForDurationOpensOnlyWhenHeldLongEnough) {
    // t = 100..107; over 80 at 101-103 (3 samples = 3 s) and at 105 (1 sample).
    auto t = systemTimeline(seconds(100, 8), {0, 90, 90, 90, 0, 90, 0, 0});
    auto a = run(t, {rule("cpu_percent > 80 for 3s")});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_DOUBLE_EQ(a[0].start, 101);
    EXPECT_DOUBLE_EQ(a[0].openedAt, 103);
    ASSERT_TRUE(a[0].end);
    EXPECT_DOUBLE_EQ(*a[0].end, 104);
    EXPECT_EQ(a[0].pid, 0);

    // 4 s is one sample more than the run held: nothing.
    EXPECT_TRUE(run(t, {rule("cpu_percent > 80 for 4s")}).empty());

    // Without "for" one sample suffices: both runs.
    a = run(t, {rule("cpu_percent > 80")});
    ASSERT_EQ(a.size(), 2u);
    EXPECT_DOUBLE_EQ(a[0].start, 101);
    EXPECT_DOUBLE_EQ(a[0].openedAt, 101);
    EXPECT_DOUBLE_EQ(*a[0].end, 104);
    EXPECT_DOUBLE_EQ(a[1].start, 105);
    EXPECT_DOUBLE_EQ(*a[1].end, 106);
}

TEST(AlertEval, SeverityIsTheHighestReachedAndPeakHasItsTime) {
    auto t = systemTimeline(seconds(0, 6), {50, 85, 95, 87, 86, 10});
    auto a = run(t, {rule("cpu_percent > 80")});  // critical at 88
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].severity, Severity::Critical);
    EXPECT_DOUBLE_EQ(a[0].peak, 95);
    EXPECT_DOUBLE_EQ(a[0].peakTime, 2);
    EXPECT_DOUBLE_EQ(*a[0].end, 5);

    a = run(t, {rule("cpu_percent > 80 critical 99")});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].severity, Severity::Warning);

    // A "<" rule: the peak is the lowest value; critical at <= 100 / 1.1.
    t = systemTimeline(seconds(0, 5), {150, 95, 50, 99, 200}, "memory_available_mb");
    a = run(t, {rule("memory_available_mb < 100")});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_DOUBLE_EQ(a[0].start, 1);
    EXPECT_DOUBLE_EQ(a[0].peak, 50);
    EXPECT_DOUBLE_EQ(a[0].peakTime, 2);
    EXPECT_EQ(a[0].severity, Severity::Critical);
    EXPECT_DOUBLE_EQ(*a[0].end, 4);
}

TEST(AlertEval, AlertStillHoldingAtTheEndHasNoEnd) {
    auto t = systemTimeline(seconds(0, 4), {0, 0, 90, 90});
    auto a = run(t, {rule("cpu_percent > 80")});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_FALSE(a[0].end.has_value());
}

TEST(AlertEval, MissingValuesNeitherCloseNorCountTowardsTheDuration) {
    // NaN (null in a file) inside a run: the open alert stays open.
    auto t = systemTimeline(seconds(0, 5), {90, kNaN, 90, 70, 0});
    auto a = run(t, {rule("cpu_percent > 80")});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_DOUBLE_EQ(a[0].start, 0);
    EXPECT_DOUBLE_EQ(*a[0].end, 3);

    // Before it opened, a NaN starts the duration over: 3 s from t=2 on.
    t = systemTimeline(seconds(0, 6), {90, kNaN, 90, 90, 90, 0});
    a = run(t, {rule("cpu_percent > 80 for 3s")});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_DOUBLE_EQ(a[0].start, 2);
    EXPECT_DOUBLE_EQ(a[0].openedAt, 4);
    EXPECT_DOUBLE_EQ(*a[0].end, 5);

    // A metric the recording does not have: never fires.
    EXPECT_TRUE(run(t, {rule("swap_percent > 1")}).empty());
}

TEST(AlertEval, AGapInTimeEndsWhatWasKnown) {
    // Samples every second, then nothing for 8 s (> 5 intervals), then more samples, all over.
    auto t = systemTimeline({100, 101, 102, 110, 111}, {90, 90, 90, 90, 90});
    auto a = run(t, {rule("cpu_percent > 80")});
    ASSERT_EQ(a.size(), 2u);
    EXPECT_DOUBLE_EQ(a[0].start, 100);
    EXPECT_DOUBLE_EQ(*a[0].end, 102);  // the last sample before the gap
    EXPECT_DOUBLE_EQ(a[1].start, 110);
    EXPECT_FALSE(a[1].end.has_value());

    // A for-duration does not count across a gap: 2 + 2 samples never make 3 s.
    a = run(t, {rule("cpu_percent > 80 for 3s")});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_DOUBLE_EQ(a[0].start, 100);
    EXPECT_DOUBLE_EQ(*a[0].end, 102);
    auto t2 = systemTimeline({100, 101, 110, 111}, {90, 90, 90, 90});
    EXPECT_TRUE(run(t2, {rule("cpu_percent > 80 for 3s")}).empty());

    // A step of 4 intervals is a late sample, not a gap.
    auto t3 = systemTimeline({100, 101, 105, 106}, {90, 90, 90, 90});
    EXPECT_EQ(run(t3, {rule("cpu_percent > 80")}).size(), 1u);
}

namespace {

/** System rows at t = 0..9; process 42 ("worker", cpu 150) sampled at 0..4 then gone; process 7
 *  ("python3") at 0..9 with cpu 10 except 60 at 3..6. */
Timeline processTimeline() {
    Timeline t;
    t.metadata.sampleInterval = 1.0;
    const int cpu = t.system.ensureColumn("cpu_percent");
    for (int i = 0; i < 10; ++i) {
        t.system.appendRow(i);
        t.system.setLast(cpu, 20);
    }
    auto addProc = [&](int pid, const char* name, int rows, auto value) {
        SeriesTable& s = t.process(pid).samples;
        const int c = s.ensureColumn("cpu_percent");
        const int n = s.ensureColumn("name", true);
        const int rss = s.ensureColumn("memory_rss_mb");
        for (int i = 0; i < rows; ++i) {
            s.appendRow(i);
            s.setLast(c, value(i));
            s.setLastText(n, name);
            s.setLast(rss, 200);
        }
    };
    addProc(42, "worker", 5, [](int) { return 150.0; });
    addProc(7, "python3", 10, [](int i) { return i >= 3 && i <= 6 ? 60.0 : 10.0; });
    return t;
}

}  // namespace

TEST(AlertEval, AProcessThatExitsClosesItsAlertAtTheFirstTickWithoutIt) {
    auto t = processTimeline();
    auto a = run(t, {rule("cpu_percent > 100 on pid=42")});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].pid, 42);
    EXPECT_EQ(a[0].process, "worker");
    EXPECT_DOUBLE_EQ(a[0].start, 0);
    ASSERT_TRUE(a[0].end);
    EXPECT_DOUBLE_EQ(*a[0].end, 5);
    EXPECT_EQ(a[0].severity, Severity::Critical);  // 150 >= 110
}

TEST(AlertEval, ProcessFilters) {
    auto t = processTimeline();
    auto a = run(t, {rule("cpu_percent > 50 for 2s on name=python3")});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].pid, 7);
    EXPECT_DOUBLE_EQ(a[0].start, 3);
    EXPECT_DOUBLE_EQ(a[0].openedAt, 4);
    EXPECT_DOUBLE_EQ(*a[0].end, 7);
    // A process-only metric without "on": every process, each its own interval.
    a = run(t, {rule("memory_rss_mb > 100")});
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[0].pid, 7);  // same start: ordered by PID
    EXPECT_EQ(a[1].pid, 42);
    EXPECT_FALSE(a[0].end.has_value());
    EXPECT_DOUBLE_EQ(*a[1].end, 5);
    // cpu_percent without "on" is the system's (20): nothing.
    EXPECT_TRUE(run(t, {rule("cpu_percent > 50")}).empty());
}

TEST(AlertEval, TickByTickGivesTheSameIntervalsAndEvents) {
    const Timeline whole = processTimeline();
    std::vector<AlertRule> rules = {rule("cpu_percent > 100 on pid=42"),
                                    rule("cpu_percent > 50 for 2s on name=python3"),
                                    rule("cpu_percent > 15 critical 50")};
    // Grow a second timeline row by row as the sampler does, evaluating each tick.
    Timeline live;
    AlertEvaluator ev(rules, {1.0});
    std::vector<AlertEvent> events;
    std::vector<std::string> log;
    const int cpu = live.system.ensureColumn("cpu_percent");
    for (int i = 0; i < 10; ++i) {
        live.system.appendRow(i);
        live.system.setLast(cpu, whole.system.value(0, i));
        std::vector<int> alive;
        for (const auto& [pid, series] : whole.processes) {
            if (std::size_t(i) >= series.samples.size()) continue;
            SeriesTable& s = live.process(pid).samples;
            s.appendRow(i);
            for (int c = 0; c < series.samples.columnCount(); ++c) {
                const int lc = s.ensureColumn(series.samples.columnName(c), series.samples.isTextColumn(c));
                if (series.samples.isTextColumn(c)) s.setLastText(lc, series.samples.text(c, i));
                else s.setLast(lc, series.samples.value(c, i));
            }
            alive.push_back(pid);
        }
        ev.evaluateLatest(live, alive, events);
        for (const auto& e : events)
            log.push_back(std::string(stateText(e.state)) + " " + std::to_string(e.interval->pid) + " @" +
                          std::to_string(int(e.time)));
    }
    const auto expected = evaluate(whole, rules, {1.0});
    std::vector<AlertInterval> got(ev.intervals().begin(), ev.intervals().end());
    ASSERT_EQ(got.size(), expected.size());
    ASSERT_EQ(got.size(), 3u);
    std::sort(got.begin(), got.end(),
              [](auto& a, auto& b) { return a.start != b.start ? a.start < b.start : a.ruleIndex < b.ruleIndex; });
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].rule, expected[i].rule);
        EXPECT_EQ(got[i].pid, expected[i].pid);
        EXPECT_DOUBLE_EQ(got[i].start, expected[i].start);
        EXPECT_EQ(got[i].end, expected[i].end);
        EXPECT_DOUBLE_EQ(got[i].peak, expected[i].peak);
        EXPECT_EQ(got[i].severity, expected[i].severity);
    }
    EXPECT_EQ(ev.openCount(), 1u);  // the system rule: 20 > 15 to the end
    const std::vector<std::string> want = {"opened 0 @0", "opened 42 @0", "opened 7 @4", "closed 42 @5", "closed 7 @7"};
    EXPECT_EQ(log, want);
}

TEST(AlertEval, EscalationIsAnEvent) {
    Timeline live;
    live.metadata.sampleInterval = 1.0;
    AlertEvaluator ev({rule("cpu_percent > 80")}, {1.0});
    std::vector<AlertEvent> events;
    std::vector<std::string> log;
    const int c = live.system.ensureColumn("cpu_percent");
    const double values[] = {85, 86, 99, 85, 10};
    for (int i = 0; i < 5; ++i) {
        live.system.appendRow(i);
        live.system.setLast(c, values[i]);
        ev.evaluateLatest(live, {}, events);
        // Evaluating again without a new row changes nothing.
        std::vector<AlertEvent> again;
        ev.evaluateLatest(live, {}, again);
        EXPECT_TRUE(again.empty());
        for (const auto& e : events) log.push_back(std::string(stateText(e.state)) + "@" + std::to_string(i));
    }
    EXPECT_EQ(log, (std::vector<std::string>{"opened@0", "escalated@2", "closed@4"}));
}

TEST(AlertEval, IntervalsSurviveARecordingFileRoundTrip) {
    auto t = processTimeline();
    auto intervals = run(t, {rule("cpu_percent > 100 on pid=42"), rule("cpu_percent > 15")});
    ASSERT_EQ(intervals.size(), 2u);
    setAlertIntervals(t, intervals);
    setAlertIntervals(t, intervals);  // replaces, does not add a second key
    Recording rec;
    rec.timeline = t;
    const std::string text = recordingToText(rec);
    EXPECT_EQ(text.find("alert_intervals"), text.rfind("alert_intervals"));
    auto loaded = loadRecordingFromString(text);
    ASSERT_TRUE(loaded) << loaded.error().toString();
    std::string error;
    auto back = alertIntervals(loaded->timeline);
    if (!back) error = back.error().toString();
    ASSERT_TRUE(back.has_value()) << error;
    ASSERT_EQ(back->size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ((*back)[i].rule, intervals[i].rule);
        EXPECT_EQ((*back)[i].pid, intervals[i].pid);
        EXPECT_EQ((*back)[i].process, intervals[i].process);
        EXPECT_EQ((*back)[i].severity, intervals[i].severity);
        EXPECT_EQ((*back)[i].start, intervals[i].start);
        EXPECT_EQ((*back)[i].end, intervals[i].end);
        EXPECT_EQ((*back)[i].peak, intervals[i].peak);
    }
    // A malformed value is an error naming the entry and field.
    Timeline bad;
    bad.extra.emplace_back("alert_intervals", R"([{"rule": "x", "metric": "cpu_percent", "severity": "loud"}])");
    EXPECT_FALSE(succeeded(alertIntervals(bad), &error));
    EXPECT_NE(error.find("alert_intervals[0]: \"severity\""), std::string::npos) << error;
}

TEST(AlertEval, IntervalFromTheMetadataOrTheMedianStep) {
    auto t = systemTimeline({0, 0.5, 1.0, 1.5, 9}, {0, 0, 0, 0, 0});
    EXPECT_DOUBLE_EQ(timelineInterval(t), 1.0);  // metadata.sample_interval
    t.metadata.sampleInterval.reset();
    EXPECT_DOUBLE_EQ(timelineInterval(t), 0.5);
}
