#pragma once
// Performance summaries pushed by py-perf processes (seed 000), kept by session id.
// Bounded by count; a re-post of a session replaces it; the oldest session goes first.

#include <cstdint>
#include <map>
#include <string>

#include "core/timeline/timeline.h"

namespace loadline::core::serve {

class SummaryStore {
public:
    explicit SummaryStore(std::size_t maxSessions = 32) : m_max(maxSessions) {}

    struct Entry {
        Recording recording;
        double received = 0;
        std::uint64_t sequence = 0;
    };

    /** Stores (or replaces) a summary; returns the session id of an evicted one, if any. */
    std::string put(Recording recording, double now);
    const Entry* find(const std::string& sessionId) const;
    std::size_t size() const { return m_entries.size(); }
    const std::map<std::string, Entry>& entries() const { return m_entries; }

private:
    std::size_t m_max;
    std::map<std::string, Entry> m_entries;
    std::uint64_t m_sequence = 0;
};

}  // namespace loadline::core::serve
