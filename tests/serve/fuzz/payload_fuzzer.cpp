// libFuzzer targets for the push payload parsers of `loadline-cli serve` (core/serve/pushpayloads)
// and the stores they feed: one binary per parser, chosen by LOADLINE_FUZZ_PAYLOAD (services,
// metrics, pipelines, alerts). Any body must parse or give an Error naming a field, and what
// parses must be stored or refused within the stores' bounds. Build: scripts/run-fuzzers.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "core/serve/pushpayloads.h"
#include "core/serve/pushstores.h"

using namespace loadline::core::serve;

namespace {
template <class T>
const T* ok(const Parsed<T>& p) {
    if (!p) {
        if (p.error().field.empty() || p.error().message.empty()) std::abort();
        return nullptr;
    }
    return &*p;
}
PushStores& stores() {
    static PushStores s(PushLimits{8, 8, 8, 8, 8, 64 * 1024, 64 * 1024});
    return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    const double now = 1.7e9;
#if LOADLINE_FUZZ_PAYLOAD == 1
    auto p = parseServiceReport(body);
    if (auto* r = ok(p)) (void)stores().addService(*r, now);
#elif LOADLINE_FUZZ_PAYLOAD == 2
    auto p = parseMetricReport(body);
    if (auto* r = ok(p)) (void)stores().addMetric(*r, now);
#elif LOADLINE_FUZZ_PAYLOAD == 3
    auto p = parsePipelineReport(body);
    if (auto* r = ok(p)) {
        (void)stores().addPipeline(*r, now);
        for (const auto& s : stores().pipelineSpans())
            if (s.metadata.dump().size() > kMaxMetadataBytes) std::abort();  // merged stays bounded
    }
#else
    auto p = parseAlertReport(body);
    if (auto* r = ok(p)) (void)stores().addAlert(*r, now);
#endif
    if (stores().pipelineBytes() > 64 * 1024 + 65536 || stores().alertBytes() > 64 * 1024 + 65536) std::abort();
    return 0;
}
