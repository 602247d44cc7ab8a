// libFuzzer target for the HTTP request parser of `loadline-cli serve` (core/serve/requestframer):
// any bytes, split at any point, must give the same requests and verdict as fed whole, never
// more than the limits buffered, and never a crash or sanitizer report.
// Build and run: scripts/run-fuzzers.sh [SECONDS] (clang-14).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/serve/requestframer.h"

using namespace loadline::core::serve;

namespace {
struct Outcome {
    std::vector<std::string> requests;  // method target body, per request
    int status = 0;
};

Outcome run(std::string_view bytes, std::size_t split) {
    FramingLimits limits{1024, 4096};
    RequestFramer f(limits);
    f.setHeadCheck([](const RequestHead& h) -> FramingVerdict {
        if (h.authorization == "Bearer no") return loadline::core::failRefused(401, "Authorization", "no");
        return FramingVerdict{};
    });
    Outcome o;
    for (std::string_view part : {bytes.substr(0, split), bytes.substr(split)}) {
        auto v = f.feed(part);
        while (f.hasRequest()) {
            auto r = f.takeRequest();
            if (r.body.size() > limits.maxBodyBytes || r.body.size() != r.head.contentLength) std::abort();
            o.requests.push_back(r.head.method + ' ' + r.head.target + ' ' + r.body);
        }
        if (!v) {
            o.status = v.error().httpStatus;
            break;
        }
    }
    return o;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t split = data[0] % size;
    std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    const Outcome whole = run(bytes, bytes.size());
    const Outcome parts = run(bytes, std::min(split, bytes.size()));
    if (whole.requests != parts.requests || whole.status != parts.status) std::abort();
    return 0;
}
