// loadline-cli export-trace FILE -o trace.json: Chrome Trace Event JSON for Perfetto / chrome://tracing.
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"
#include "core/correlate/correlate.h"
#include "core/export/chrometrace.h"
#include "core/format/recordingio.h"
#include "argparser.h"

namespace loadline::cli {

namespace {
void usage(std::FILE* out, const char* argv0) {
    std::fprintf(out,
                 "Usage: %s FILE -o TRACE.json [--high-load PCT] [--own-work-ratio R]\n\n"
                 "Writes the Chrome Trace Event format: counters (\"C\") for system CPU/memory and each\n"
                 "process, complete events (\"X\") for function calls. Open in https://ui.perfetto.dev\n"
                 "or chrome://tracing. '-o -' writes to standard output.\n",
                 argv0);
    std::fprintf(out, kThresholdHelp);
}
}  // namespace

int runExportTrace(int argc, char** argv) {
    std::string file, output;
    core::CorrelateOptions options;
    ArgParser args(argv[0], [&](std::FILE* out) { usage(out, argv[0]); });
    args.text({"-o", "--output"}, output, "a file name ('-': standard output)").positional(file);
    addThresholdOptions(args, options.thresholds);
    if (auto status = args.parse(argc, argv)) return *status;
    if (file.empty()) return args.fail("no FILE");
    if (output.empty()) return args.fail("no output file (-o FILE)");
    auto loaded = core::loadRecordingFile(file);
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", argv[0], !loaded.has_value() ? loaded.error().toString().c_str() : file.c_str());
        return 2;
    }
    const auto& rec = *loaded;
    for (const auto& w : rec.warnings) std::fprintf(stderr, "warning: %s: %s\n", file.c_str(), w.c_str());
    const auto c = core::correlate(rec, options);
    for (const auto& w : c.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    std::string text = core::chromeTraceJson(rec, c).dump();
    if (output == "-") text += '\n';
    std::string error;
    if (!core::succeeded(core::writeOutput(output, text), &error)) {
        std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
        return 1;
    }
    return 0;
}

}  // namespace loadline::cli
