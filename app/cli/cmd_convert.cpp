// loadline-cli convert IN -o OUT: py-perf JSON <-> .llrec store (docs/llrec-format.md), for a
// time range and/or the newest N samples. Lossless for py-perf's fields both ways.
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "cmdline.h"
#include "commands.h"
#include "core/fleet/timearg.h"
#include "core/format/outputlock.h"
#include "core/format/recordingio.h"
#include "core/serve/timelineslice.h"
#include "core/store/llrec.h"

namespace loadline::cli {

int runConvert(int argc, char** argv) {
    std::string input, output, fromText, toText;
    long long maxSamples = 0;
    CmdLine args(argv[0],
                 "Converts a recording between py-perf JSON and the .llrec store (SQLite; an OUT named "
                 "*.llrec is a store, anything else py-perf JSON; '-o -' writes JSON to standard output). "
                 "IN may be either (a store is recognised by its content), also a store still being "
                 "written or left by a killed recorder (its committed samples).");
    args.positional(input, "IN", "the recording to convert (py-perf JSON or .llrec)")
        .needed()
        .text({"-o", "--output"}, output, "OUT", "a file name ('-': standard output)",
              "where to write: *.llrec a store, anything else py-perf JSON ('-': standard output)")
        .needed()
        .text({"--from"}, fromText, "T", "a moment (epoch seconds or ISO 8601)",
              "only samples with T_from <= timestamp <= T_to, and the calls that overlap it (epoch seconds, or "
              "ISO 8601: 2026-12-02T20:00:00Z; without a zone, local time)")
        .text({"--to"}, toText, "T", "a moment (epoch seconds or ISO 8601)", "the end of that range (like --from)")
        .count({"--max-samples"}, maxSamples, 1, std::numeric_limits<long long>::max(), "N", "a count >= 1",
               "only the newest N system samples (of the range)");
    if (auto status = args.parse(argc, argv)) return *status;
    if (input.empty()) return args.fail("no input file");
    if (output.empty()) return args.fail("no output file (-o OUT)");
    double from = core::kMissing, to = core::kMissing;
    if (!fromText.empty()) {
        auto m = core::fleet::parseMoment(fromText);
        if (!m) return args.fail("--from: not a moment: " + fromText);
        from = *m;
    }
    if (!toText.empty()) {
        auto m = core::fleet::parseMoment(toText);
        if (!m) return args.fail("--to: not a moment: " + toText);
        to = *m;
    }
    if (!std::isnan(from) && !std::isnan(to) && to < from) return args.fail("--to is before --from");

    core::LoadResult loaded;
    if (core::store::looksLikeStore(input)) {
        core::store::ReadOptions o;
        o.from = from;
        o.to = to;
        o.maxSamples = static_cast<std::size_t>(maxSamples);
        loaded = core::store::loadStore(input, o);
    } else {
        loaded = core::loadRecordingFile(input);
    }
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", argv[0],
                     !loaded.has_value() ? loaded.error().toString().c_str() : input.c_str());
        return 2;
    }
    core::Recording& rec = *loaded;
    for (const auto& w : rec.warnings) std::fprintf(stderr, "warning: %s: %s\n", input.c_str(), w.c_str());
    if (!core::store::looksLikeStore(input) && (!std::isnan(from) || !std::isnan(to) || maxSamples > 0)) {
        const double inf = std::numeric_limits<double>::infinity();
        double a = std::isnan(from) ? -inf : from, b = std::isnan(to) ? inf : to;
        const auto& sys = rec.timeline.system;
        if (maxSamples > 0) {
            const std::size_t end = sys.upperBound(b), begin = sys.lowerBound(a);
            if (end > begin && end - begin > static_cast<std::size_t>(maxSamples))
                a = sys.timestamp(end - static_cast<std::size_t>(maxSamples));
        }
        core::Timeline sliced = core::serve::sliceTimeline(rec.timeline, a, b);
        sliced.metadata = rec.timeline.metadata;
        sliced.extra = rec.timeline.extra;
        rec.timeline = std::move(sliced);
    }
    if (!std::isnan(from) || !std::isnan(to) || maxSamples > 0) {
        // A performance summary's calls follow the range: those that overlap it stay (a call cut
        // by an edge is kept whole), the others would lie outside the samples that remain.
        const double inf = std::numeric_limits<double>::infinity();
        double lo = std::isnan(from) ? -inf : from;
        const double hi = std::isnan(to) ? inf : to;
        if (maxSamples > 0 && !rec.timeline.system.empty()) lo = std::max(lo, rec.timeline.system.timestamp(0));
        std::erase_if(rec.functionTimings,
                      [&](const core::FunctionTiming& f) { return f.timestamp < lo || f.startTime() > hi; });
    }
    if (output == "-") {
        const std::string text = core::recordingToText(rec);
        std::fwrite(text.data(), 1, text.size(), stdout);
        return std::ferror(stdout) ? 1 : 0;
    }
    std::string error;
    // The file really written (symbolic links followed), locked like `record` locks it: a store
    // or JSON that a recorder is writing (or journaling into) is not replaced under it.
    core::Result<core::OutputTarget> resolved = core::resolveOutput(output);
    const core::OutputTarget target = resolved.value_or(core::OutputTarget{});
    core::OutputLock lock;
    if (!core::succeeded(resolved, &error) || !core::succeeded(lock.acquire(output), &error)) {
        std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
        return 1;
    }
    if (!core::succeeded(core::saveRecordingFile(target.special ? output : target.path, rec), &error)) {
        std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
        return 1;
    }
    std::fprintf(stderr, "%s: wrote %zu system samples and %zu processes to %s\n", argv[0], rec.timeline.system.size(),
                 rec.timeline.processes.size(), output.c_str());
    return 0;
}

}  // namespace loadline::cli
