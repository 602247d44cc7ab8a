// libFuzzer target for the py-perf loader and writer: any bytes must give a recording or an
// error (never a crash, hang or sanitizer report), and what loads must save and load again to
// the same text. Build and run: scripts/run-fuzzers.sh [SECONDS] (clang-14; the fuzz stage of
// scripts/run-tests.sh). LOADLINE_FUZZ_SUMMARY: as `serve` reads a pushed performance summary
// (tables bounded to 100,000 samples).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/format/recordingio.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    loadline::core::LoadOptions options;
#ifdef LOADLINE_FUZZ_SUMMARY
    options.maxSamples = 100000;  // as Api::summaryPost
#endif
    auto r = loadline::core::loadRecordingFromString(bytes, "fuzz", options);
    if (r.has_value() == !r.has_value()) std::abort();
    if (!r) return 0;
    const std::string text = loadline::core::recordingToText(*r);
    auto again = loadline::core::loadRecordingFromString(text, "again", options);
    if (!again) std::abort();
    if (loadline::core::recordingToText(*again) != text) std::abort();
    return 0;
}
