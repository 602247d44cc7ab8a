#include "core/serve/summarystore.h"

namespace loadline::core::serve {

std::string SummaryStore::put(Recording recording, double now) {
    std::string id = recording.sessionId;
    std::string evicted;
    if (!m_entries.count(id) && m_entries.size() >= std::max<std::size_t>(1, m_max)) {
        auto oldest = m_entries.begin();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it)
            if (it->second.sequence < oldest->second.sequence) oldest = it;
        evicted = oldest->first;
        m_entries.erase(oldest);
    }
    m_entries[id] = Entry{std::move(recording), now, ++m_sequence};
    return evicted;
}

const SummaryStore::Entry* SummaryStore::find(const std::string& sessionId) const {
    auto it = m_entries.find(sessionId);
    return it == m_entries.end() ? nullptr : &it->second;
}

}  // namespace loadline::core::serve
