// loadline-cli export-trace FILE -o trace.json: Chrome Trace Event JSON for Perfetto / chrome://tracing.
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"
#include "core/correlate/correlate.h"
#include "core/export/chrometrace.h"
#include "core/format/recordingio.h"
#include "thresholdargs.h"

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
    for (int i = 1; i < argc; ++i) {
        std::string error;
        const int t = parseThresholdArg(argc, argv, i, options.thresholds, error);
        if (t < 0) {
            std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
            return 2;
        }
        if (t > 0) continue;
        if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            usage(stdout, argv[0]);
            return 0;
        } else if (!std::strcmp(argv[i], "-o") || !std::strcmp(argv[i], "--output")) {
            if (++i >= argc) {
                std::fprintf(stderr, "%s: -o needs a file name\n", argv[0]);
                return 2;
            }
            output = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            std::fprintf(stderr, "%s: unknown option '%s'\n", argv[0], argv[i]);
            usage(stderr, argv[0]);
            return 2;
        } else if (file.empty()) {
            file = argv[i];
        } else {
            std::fprintf(stderr, "%s: one FILE only ('%s')\n", argv[0], argv[i]);
            return 2;
        }
    }
    if (file.empty() || output.empty()) {
        usage(stderr, argv[0]);
        return 2;
    }
    auto loaded = core::loadRecordingFile(file);
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", argv[0], loaded.error ? loaded.error->toString().c_str() : file.c_str());
        return 2;
    }
    const auto& rec = *loaded.recording;
    for (const auto& w : rec.warnings) std::fprintf(stderr, "warning: %s: %s\n", file.c_str(), w.c_str());
    const auto c = core::correlate(rec, options);
    for (const auto& w : c.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    const std::string text = core::chromeTraceJson(rec, c).dump();
    if (output == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fputc('\n', stdout);
        return 0;
    }
    std::string error;
    if (!core::writeFileAtomically(output, text, &error)) {
        std::fprintf(stderr, "%s: %s\n", argv[0], error.c_str());
        return 1;
    }
    return 0;
}

}  // namespace loadline::cli
