#pragma once
// What the sampler thread publishes and the HTTP thread reads: the bounded history and, once per
// tick, the latest snapshot already serialized (JSON and Prometheus text), so a request costs a
// pointer copy under a short lock instead of a serialization.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/timeline/timeline.h"

namespace loadline::core::serve {

class LiveData {
public:
    explicit LiveData(std::size_t historySamples) : m_history(historySamples) {}

    // --- producer (sampler thread) ---
    /** Runs f(Timeline&) under the lock: append the tick's rows here. */
    template <class F>
    void updateHistory(F&& f) {
        std::lock_guard lock(m_mutex);
        f(m_history);
    }
    void publish(std::shared_ptr<const std::string> snapshotJson, std::shared_ptr<const std::string> prometheusText) {
        std::lock_guard lock(m_mutex);
        m_snapshot = std::move(snapshotJson);
        m_prometheus = std::move(prometheusText);
        m_ticks.fetch_add(1, std::memory_order_relaxed);
    }
    /** Where the history lives when not here: a function that runs f on it under its owner's lock. */
    using HistoryAccess = std::function<void(const std::function<void(const Timeline&)>&)>;
    void setHistoryAccess(HistoryAccess access) {
        std::lock_guard lock(m_mutex);
        m_access = std::move(access);
    }
    /** /api/alerts/ (JSON), rendered by the sampler thread when an alert interval changed. */
    void publishAlerts(std::shared_ptr<const std::string> alertsJson) {
        std::lock_guard lock(m_mutex);
        m_alerts = std::move(alertsJson);
    }
    void setInfoJson(std::string json) {
        std::lock_guard lock(m_mutex);
        m_info = std::make_shared<const std::string>(std::move(json));
    }

    // --- consumers (HTTP thread) ---
    std::shared_ptr<const std::string> snapshotJson() const {
        std::lock_guard lock(m_mutex);
        return m_snapshot;
    }
    std::shared_ptr<const std::string> prometheusText() const {
        std::lock_guard lock(m_mutex);
        return m_prometheus;
    }
    std::shared_ptr<const std::string> alertsJson() const {
        std::lock_guard lock(m_mutex);
        return m_alerts;
    }
    std::shared_ptr<const std::string> infoJson() const {
        std::lock_guard lock(m_mutex);
        return m_info;
    }
    /** Runs f(const Timeline&) under the lock; keep f short (copy out what you need). */
    template <class F>
    auto readHistory(F&& f) const {
        HistoryAccess access;
        {
            std::lock_guard lock(m_mutex);
            access = m_access;
        }
        if (!access) {
            std::lock_guard lock(m_mutex);
            return f(static_cast<const Timeline&>(m_history));
        }
        using R = decltype(f(std::declval<const Timeline&>()));
        std::optional<R> out;
        access([&](const Timeline& t) { out.emplace(f(t)); });
        return std::move(*out);
    }
    std::uint64_t ticks() const { return m_ticks.load(std::memory_order_relaxed); }

private:
    mutable std::mutex m_mutex;
    Timeline m_history;
    std::shared_ptr<const std::string> m_snapshot;
    std::shared_ptr<const std::string> m_prometheus;
    std::shared_ptr<const std::string> m_info;
    std::shared_ptr<const std::string> m_alerts;
    HistoryAccess m_access;
    std::atomic<std::uint64_t> m_ticks{0};
};

}  // namespace loadline::core::serve
