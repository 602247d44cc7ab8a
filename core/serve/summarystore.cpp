#include "core/serve/summarystore.h"

#include <algorithm>

namespace loadline::core::serve {

std::vector<std::string> SummaryStore::put(Recording recording, double now, std::size_t bytes) {
    std::string id = recording.sessionId;
    if (auto old = m_entries.find(id); old != m_entries.end()) {
        m_bytes -= old->second.bytes;
        m_entries.erase(old);
    }
    std::vector<std::string> evicted;
    while (!m_entries.empty() &&
           (m_entries.size() + 1 > std::max<std::size_t>(1, m_max) || m_bytes + bytes > m_maxBytes)) {
        auto oldest = m_entries.begin();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it)
            if (it->second.sequence < oldest->second.sequence) oldest = it;
        evicted.push_back(oldest->first);
        m_bytes -= oldest->second.bytes;
        m_entries.erase(oldest);
    }
    m_entries[id] = Entry{std::move(recording), now, ++m_sequence, bytes};
    m_bytes += bytes;
    return evicted;
}
const SummaryStore::Entry* SummaryStore::find(const std::string& sessionId) const {
    auto it = m_entries.find(sessionId);
    return it == m_entries.end() ? nullptr : &it->second;
}

}  // namespace loadline::core::serve
