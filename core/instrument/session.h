#pragma once
// An instrumented run of a C++ program: the recorder on, a sampler beside it, and at the end a
// py-perf performance summary (function_timings + system_timeline) that loadline opens.
//
//   loadline::core::instrument::Session session({.outputPath = "run.json"});
//   session.start();
//   ... code with LOADLINE_SCOPE("...") ...
//   session.finish();   // or let the destructor do it
//
// The recorder's rings are drained on each sampler tick (on the sampler's thread), so a long
// run keeps the per-thread rings short and the hot path never waits.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/sampler/sampler.h"
#include "core/timeline/timeline.h"

namespace loadline::core::instrument {

struct SessionOptions {
    /** Where finish() saves the summary (atomically). Empty: keep it in memory only. */
    std::string outputPath;
    /** The sampler beside the program (default: every 0.5 s, tracking this process). */
    SamplerOptions sampler = [] {
        SamplerOptions o;
        o.trackSelf = true;
        return o;
    }();
    /** False: no sampler (the summary's timeline stays empty; loadline warns that the load is unknown). */
    bool runSampler = true;
    /** py-perf's session_id; empty: a random UUID. */
    std::string sessionId;
};

class Session {
public:
    explicit Session(SessionOptions options = {});
    /** finish()es a started session that was not finished (errors are lost: call finish()). */
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /**
     * Starts the sampler, waits for its first sample (so every call from then on lies inside the
     * timeline) and turns the recorder on. An error when the sampler cannot start.
     */
    Status start();
    /** Stops the sampler and the recorder, collects the calls and saves the summary (an error
     *  when the session was never started, or the summary could not be saved). */
    Status finish();

    /** The summary (complete after finish()). */
    const Recording& recording() const { return m_recording; }
    /** Calls lost because a thread's ring was full (see Recorder). */
    std::uint64_t droppedCalls() const { return m_dropped; }

private:
    void collect();

    SessionOptions m_options;
    std::unique_ptr<Sampler> m_sampler;
    std::mutex m_mutex;  // m_recording.functionTimings and m_sampled (set on the sampler's thread)
    std::condition_variable m_firstSample;
    bool m_sampled = false;
    Recording m_recording;
    std::uint64_t m_droppedAtStart = 0;
    std::uint64_t m_dropped = 0;
    bool m_started = false;
    bool m_finished = false;
};

/** A random RFC 4122 version-4 UUID, as py-perf's session ids. */
std::string randomSessionId();

}  // namespace loadline::core::instrument
