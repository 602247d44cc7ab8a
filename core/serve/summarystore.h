#pragma once
// Performance summaries pushed by py-perf processes, kept by session id.
// Bounded by count and by the bytes of the posted text (a summary's memory grows with it); a
// re-post of a session replaces it; the oldest session goes first.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/timeline/timeline.h"

namespace loadline::core::serve {

class SummaryStore {
public:
    explicit SummaryStore(std::size_t maxSessions = 32, std::size_t maxBytes = 8 * 1024 * 1024)
        : m_max(maxSessions), m_maxBytes(maxBytes) {}

    struct Entry {
        Recording recording;
        double received = 0;
        std::uint64_t sequence = 0;
        std::size_t bytes = 0;
    };

    /** Stores (or replaces) a summary posted as `bytes` of text; evicts the oldest sessions while
     *  over either bound (never the one just stored). Returns the evicted session ids. */
    std::vector<std::string> put(Recording recording, double now, std::size_t bytes = 0);
    std::size_t bytes() const { return m_bytes; }
    const Entry* find(const std::string& sessionId) const;
    std::size_t size() const { return m_entries.size(); }
    const std::map<std::string, Entry>& entries() const { return m_entries; }

private:
    std::size_t m_max;
    std::size_t m_maxBytes;
    std::size_t m_bytes = 0;
    std::map<std::string, Entry> m_entries;
    std::uint64_t m_sequence = 0;
};

}  // namespace loadline::core::serve
