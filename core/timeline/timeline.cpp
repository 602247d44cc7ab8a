#include "core/timeline/timeline.h"

namespace loadline::core {

std::string_view ProcessSeries::latestText(const char* column) const {
    int c = samples.columnIndex(column);
    if (c < 0) return {};
    for (std::size_t r = samples.size(); r-- > 0;) {
        auto t = samples.text(c, r);
        if (!t.empty()) return t;
    }
    return {};
}

ProcessSeries& Timeline::process(int pid) {
    auto it = processes.find(pid);
    if (it == processes.end()) it = processes.emplace(pid, ProcessSeries(m_maxSamples)).first;
    return it->second;
}

std::optional<double> Timeline::firstTime() const {
    if (system.empty()) return std::nullopt;
    return system.timestamp(0);
}

std::optional<double> Timeline::lastTime() const {
    if (system.empty()) return std::nullopt;
    return system.timestamp(system.size() - 1);
}

}  // namespace loadline::core
