#pragma once
// Runs core::Sampler for `loadline-cli serve` and publishes each tick into LiveData: the snapshot
// JSON and the Prometheus text are rendered once per tick, on the sampler thread, into pooled
// buffers (reused once no request holds them), so a request only copies a pointer.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/alert/rule.h"
#include "core/base/result.h"
#include "core/serve/livedata.h"
#include "core/serve/redact.h"

namespace loadline::core {
class Sampler;
}

namespace loadline::core::serve {

struct SamplerSetup {
    double interval = 1.0;
    std::size_t history = 3600;
    std::vector<int> pids;
    std::vector<std::string> namePatterns;     // --match (core/collect/processmatcher.h)
    std::vector<std::string> cmdlinePatterns;  // --match-cmdline
    std::string nodeId;
    std::vector<alert::AlertRule> alerts;     // evaluated each tick: /api/alerts/, loadline_alert_active
    CmdlineMode cmdline = CmdlineMode::Show;  // command lines in /api/system/metrics and /metrics
};

/** Tick timing as measured by the publisher (seconds). */
struct TickTiming {
    std::uint64_t ticks = 0;
    double lastLateness = 0;
    double maxLateness = 0;
    std::uint64_t missedTicks = 0;  // schedule points skipped because a tick overran
    double lastRenderSeconds = 0;   // time spent rendering JSON + Prometheus in the last tick
};

class ServeSampler {
public:
    /** Builds the sampler (not started). Fails without live data. */
    static Result<std::unique_ptr<ServeSampler>> create(const SamplerSetup& setup, std::shared_ptr<LiveData> live);
    ~ServeSampler();

    /** Starts sampling; an error when a PID does not exist or a pattern is bad. */
    Status start();
    void stop();
    TickTiming timing() const;

private:
    ServeSampler() = default;
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace loadline::core::serve
