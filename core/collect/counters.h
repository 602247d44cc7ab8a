#pragma once
// Small pure classes for counter maths (KDE ksystemstats' UsageComputer is the model).
// Kernel counters can go backwards (iowait on Linux, a counter reset, a hot-plugged CPU):
// each field's delta is clamped at zero so a backwards step never yields a negative or >100 %.

#include <cstdint>

#include "core/collect/systemparse.h"
#include "core/timeline/seriestable.h"

namespace loadline::core {

/** Delta of an unsigned counter, 0 when it went backwards. */
inline std::uint64_t clampedDelta(std::uint64_t now, std::uint64_t before) { return now >= before ? now - before : 0; }

/** CPU busy percent between successive readings of one /proc/stat line. */
class CpuUsageComputer {
public:
    /** Feeds a reading; returns the busy percent since the previous one (NaN for the first, and
     *  the previous value when no time passed). psutil's definition: busy = total - idle - iowait. */
    double update(const CpuTimes& t) {
        if (!m_have) {
            m_prev = t;
            m_have = true;
            return kMissing;
        }
        const std::uint64_t dUser = clampedDelta(t.user, m_prev.user), dNice = clampedDelta(t.nice, m_prev.nice),
                            dSystem = clampedDelta(t.system, m_prev.system), dIdle = clampedDelta(t.idle, m_prev.idle),
                            dIowait = clampedDelta(t.iowait, m_prev.iowait), dIrq = clampedDelta(t.irq, m_prev.irq),
                            dSoftirq = clampedDelta(t.softirq, m_prev.softirq),
                            dSteal = clampedDelta(t.steal, m_prev.steal);
        m_prev = t;
        const std::uint64_t busy = dUser + dNice + dSystem + dIrq + dSoftirq + dSteal;
        const std::uint64_t total = busy + dIdle + dIowait;
        if (total == 0) return m_last;
        m_last = 100.0 * static_cast<double>(busy) / static_cast<double>(total);
        return m_last;
    }
    void reset() {
        m_have = false;
        m_last = kMissing;
    }

private:
    CpuTimes m_prev;
    bool m_have = false;
    double m_last = kMissing;
};

/** Per-second rate of a monotonically increasing counter (0 when it went backwards). */
class CounterRate {
public:
    /** Returns the rate since the previous reading; NaN for the first or when no time passed. */
    double update(std::uint64_t value, double seconds) {
        double r = kMissing;
        if (m_have && seconds > m_prevSeconds)
            r = static_cast<double>(clampedDelta(value, m_prev)) / (seconds - m_prevSeconds);
        m_prev = value;
        m_prevSeconds = seconds;
        m_have = true;
        return r;
    }
    void reset() { m_have = false; }

private:
    std::uint64_t m_prev = 0;
    double m_prevSeconds = 0;
    bool m_have = false;
};

/** psutil's Process.cpu_percent(): CPU seconds used per wall second * 100 (100 = one core). */
class ProcessCpuComputer {
public:
    double update(std::uint64_t cpuTicks, double seconds, long clockTicks) {
        double r = kMissing;
        if (m_have && seconds > m_prevSeconds && clockTicks > 0)
            r = 100.0 * static_cast<double>(clampedDelta(cpuTicks, m_prevTicks)) / static_cast<double>(clockTicks) /
                (seconds - m_prevSeconds);
        m_prevTicks = cpuTicks;
        m_prevSeconds = seconds;
        m_have = true;
        return r;
    }
    bool primed() const { return m_have; }

private:
    std::uint64_t m_prevTicks = 0;
    double m_prevSeconds = 0;
    bool m_have = false;
};

}  // namespace loadline::core
