#include "core/instrument/session.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "core/format/recordingio.h"
#include "core/instrument/recorder.h"

namespace loadline::core::instrument {

std::string randomSessionId() {
    std::random_device rd;
    std::mt19937_64 gen((std::uint64_t(rd()) << 32) ^ rd());
    std::uint64_t hi = gen(), lo = gen();
    hi = (hi & ~0xF000ull) | 0x4000ull;                  // version 4
    lo = (lo & ~(0xC000ull << 48)) | (0x8000ull << 48);  // variant 10xx
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(hi >> 32), unsigned((hi >> 16) & 0xFFFF),
                  unsigned(hi & 0xFFFF), unsigned(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
    return buf;
}

Session::Session(SessionOptions options) : m_options(std::move(options)) {
    m_recording.kind = Recording::Kind::PerformanceSummary;
    m_recording.sessionId = m_options.sessionId.empty() ? randomSessionId() : m_options.sessionId;
}

Session::~Session() {
    if (m_started && !m_finished) (void)finish();
}

void Session::collect() {
    auto timings = Recorder::global().drain();
    std::lock_guard lock(m_mutex);
    auto& all = m_recording.functionTimings;
    all.insert(all.end(), std::make_move_iterator(timings.begin()), std::make_move_iterator(timings.end()));
}

Status Session::start() {
    if (m_started) return {};
    Recorder::global().drain();  // calls from before the session are not part of it
    m_droppedAtStart = Recorder::global().dropped();
    if (m_options.runSampler) {
        m_sampler = std::make_unique<Sampler>(m_options.sampler);
        m_sampler->setSink([this](const SamplerTick&) {
            collect();
            {
                std::lock_guard lock(m_mutex);
                m_sampled = true;
            }
            m_firstSample.notify_all();
        });
        if (Status started = m_sampler->start(); !started) {
            m_sampler.reset();
            return started;
        }
        // Wait for the first sample, so that every call from now on lies inside the timeline.
        std::unique_lock lock(m_mutex);
        const auto limit = std::chrono::duration<double>(10 * m_options.sampler.interval + 5);
        if (!m_firstSample.wait_for(lock, limit, [this] { return m_sampled; })) {
            lock.unlock();
            m_sampler->stop();
            m_sampler.reset();
            return fail("the sampler took no sample", ErrorKind::Io);
        }
    }
    Recorder::global().setEnabled(true);
    m_started = true;
    return {};
}

Status Session::finish() {
    if (m_finished) return {};
    if (!m_started) return fail("the session was not started");
    m_finished = true;
    Recorder::global().setEnabled(false);
    if (m_sampler) {
        m_sampler->stop();
        // One more sample now, so the last calls lie inside the timeline's range.
        m_sampler->tickNow();
        m_recording.timeline = m_sampler->timeline();
        m_sampler.reset();
    }
    collect();
    {
        std::lock_guard lock(m_mutex);
        auto& t = m_recording.functionTimings;
        std::stable_sort(t.begin(), t.end(),
                         [](const FunctionTiming& a, const FunctionTiming& b) { return a.timestamp < b.timestamp; });
    }
    m_dropped = Recorder::global().dropped() - m_droppedAtStart;
    if (m_dropped)
        m_recording.warnings.push_back(std::to_string(m_dropped) +
                                       " call(s) were not recorded: a thread's ring was full between two drains");
    if (m_options.outputPath.empty()) return {};
    return saveRecordingFile(m_options.outputPath, m_recording);
}

}  // namespace loadline::core::instrument
