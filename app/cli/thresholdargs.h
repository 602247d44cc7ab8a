#pragma once
// The verdict thresholds as command-line options, shared by functions / export-trace / export-csv.

#include <cstdlib>
#include <cstring>
#include <string>

#include "core/correlate/verdict.h"

namespace loadline::cli {

inline constexpr const char* kThresholdHelp =
    "  --high-load PCT       system CPU %% at or above which a call ran under high load (default 70)\n"
    "  --own-work-ratio R    CPU time / wall time at or above which a call is own work (default 0.8)\n";

/**
 * If argv[i] is a threshold option, consumes it (and its value) into t, advancing i.
 * Returns 1 when consumed, 0 when not a threshold option, -1 on a bad value (error set).
 */
inline int parseThresholdArg(int argc, char** argv, int& i, core::VerdictThresholds& t, std::string& error) {
    const bool high = std::strcmp(argv[i], "--high-load") == 0;
    const bool ratio = std::strcmp(argv[i], "--own-work-ratio") == 0;
    if (!high && !ratio) return 0;
    if (i + 1 >= argc) {
        error = std::string(argv[i]) + " needs a value";
        return -1;
    }
    char* end = nullptr;
    const double v = std::strtod(argv[i + 1], &end);
    if (end == argv[i + 1] || *end != '\0' || !(v >= 0) || (high && v > 100)) {
        error = std::string("bad value for ") + argv[i] + ": '" + argv[i + 1] + "'";
        return -1;
    }
    (high ? t.highLoadPercent : t.ownWorkRatio) = v;
    ++i;
    return 1;
}

}  // namespace loadline::cli
