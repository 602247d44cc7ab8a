// loadline-cli export-trace FILE -o trace.json: Chrome Trace Event JSON for Perfetto / chrome://tracing.
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"
#include "core/correlate/correlate.h"
#include "core/export/chrometrace.h"
#include "core/format/recordingio.h"
#include "cmdline.h"

namespace loadline::cli {

int runExportTrace(int argc, char** argv) {
    std::string file, output;
    core::CorrelateOptions options;
    CmdLine args(argv[0],
                 "Writes the Chrome Trace Event format: counters (\"C\") for system CPU/memory and each "
                 "process, complete events (\"X\") for function calls. Open in https://ui.perfetto.dev "
                 "or chrome://tracing. '-o -' writes to standard output.");
    args.positional(file, "FILE", "the recording (py-perf JSON or .llrec)")
        .needed()
        .text({"-o", "--output"}, output, "TRACE.json", "a file name ('-': standard output)",
              "where to write the trace ('-': standard output)")
        .needed();
    addThresholdOptions(args, options.thresholds);
    if (auto status = args.parse(argc, argv)) return *status;
    if (file.empty()) return args.fail("no FILE");
    if (output.empty()) return args.fail("no output file (-o FILE)");
    auto loaded = core::loadRecordingFile(file);
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", argv[0],
                     !loaded.has_value() ? loaded.error().toString().c_str() : file.c_str());
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
