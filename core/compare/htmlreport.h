#pragma once
// A recording (and optionally its comparison with a baseline) as one self-contained HTML file for
// people who were not there: chart images inline (PNG as base64 data: URIs), the function table,
// the findings, the run's metadata. No scripts, no external resources: it opens from a CI
// artifact or a bug attachment in any browser. Qt-free: the caller renders the charts.

#include <string>
#include <string_view>
#include <vector>

#include "core/compare/compare.h"
#include "core/correlate/correlate.h"
#include "core/timeline/timeline.h"

namespace loadline::core {

struct ReportRun {
    std::string path;  // as given on the command line
    const Recording* recording = nullptr;
    const Correlation* correlation = nullptr;
};

struct ReportChart {
    std::string caption;
    std::string png;  // the PNG file's bytes
    int width = 0;    // logical size in CSS pixels (0: the image's own)
};

struct ReportInput {
    ReportRun run;
    const ReportRun* baseline = nullptr;        // set with --baseline
    const RunComparison* comparison = nullptr;  // set with --baseline
    std::vector<ReportChart> charts;
    std::string generatedAt;  // e.g. "2026-12-02 20:30 UTC"
    std::string generator = "loadline";
};

/** The whole HTML document. Every text from the files is escaped. */
std::string htmlReport(const ReportInput& input);

/** RFC 4648 base64 with padding. */
std::string base64Encode(std::string_view bytes);
/** Text safe inside HTML elements and double-quoted attributes. */
std::string htmlEscape(std::string_view text);

}  // namespace loadline::core
