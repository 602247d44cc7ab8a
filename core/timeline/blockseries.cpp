#include "core/timeline/blockseries.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace loadline::core {

void BlockSeries::clear() {
    t0.clear();
    t1.clear();
    lo.clear();
    hi.clear();
    area.clear();
    duration.clear();
    samples.clear();
}

void BlockSeries::push(double from, double to, float l, float h, double a, double d, std::uint32_t n) {
    t0.push_back(from);
    t1.push_back(to);
    lo.push_back(l);
    hi.push_back(h);
    area.push_back(a);
    duration.push_back(d);
    samples.push_back(n);
}

void BlockSeries::scale(double k) {
    for (std::size_t i = 0; i < size(); ++i) {
        lo[i] = static_cast<float>(lo[i] * k);
        hi[i] = static_cast<float>(hi[i] * k);
        area[i] *= k;
    }
}

double BlockSeries::mean(std::size_t i) const {
    if (duration[i] > 0) return std::clamp(area[i] / duration[i], double(lo[i]), double(hi[i]));
    return (double(lo[i]) + double(hi[i])) / 2;
}

std::size_t BlockSeries::find(double t) const {
    const auto it = std::lower_bound(t1.begin(), t1.end(), t);  // first block ending at or after t
    const std::size_t i = static_cast<std::size_t>(it - t1.begin());
    return i < size() && t0[i] <= t ? i : size();
}

void decimateBlocks(const BlockSeries& b, const TimeMapping& m, int columns, std::vector<ColumnEnvelope>& out) {
    constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
    out.assign(static_cast<std::size_t>(std::max(columns, 0)), ColumnEnvelope{kNaN, kNaN, kNaN});
    if (columns <= 0 || !m.valid() || b.empty()) return;
    const double perColumn = (m.t1 - m.t0) / columns;
    std::vector<double> area(out.size(), 0.0), dur(out.size(), 0.0);
    // Blocks that can touch [t0, t1].
    std::size_t i = static_cast<std::size_t>(std::lower_bound(b.t1.begin(), b.t1.end(), m.t0) - b.t1.begin());
    for (; i < b.size() && b.t0[i] <= m.t1; ++i) {
        if (std::isnan(b.lo[i])) continue;
        const double c0 = (b.t0[i] - m.t0) / perColumn, c1 = (b.t1[i] - m.t0) / perColumn;
        // A block inside one column counts in the column of its last sample (its integral is
        // the segments ending in its samples); a wider one covers every column it touches.
        int first = static_cast<int>(std::floor(c0)), last = static_cast<int>(std::floor(c1));
        if (c1 - c0 < 1) first = last;
        first = std::max(first, 0);
        last = std::min(last, columns - 1);
        if (c1 >= columns) last = columns - 1;
        if (first > last) continue;
        // A gap inside a wide block (its joined line covers less than its extent): where its
        // samples lie is not known, so it is drawn only at its first and last sample, never
        // across the gap.
        const bool gap = last > first && b.duration[i] < 0.9 * (b.t1[i] - b.t0[i]);
        const double share = b.duration[i] / double(gap ? 2 : last - first + 1);
        const double mean = b.mean(i);
        for (int c = first; c <= last; c = gap && c < last ? last : c + 1) {
            ColumnEnvelope& e = out[static_cast<std::size_t>(c)];
            const bool fresh = e.empty();
            if (fresh || b.lo[i] < e.lo) e.lo = b.lo[i];
            if (fresh || b.hi[i] > e.hi) e.hi = b.hi[i];
            if (first == last) {
                area[static_cast<std::size_t>(c)] += b.area[i];
                dur[static_cast<std::size_t>(c)] += b.duration[i];
            } else {
                area[static_cast<std::size_t>(c)] += mean * share;
                dur[static_cast<std::size_t>(c)] += share;
            }
            if (std::isnan(e.mean)) e.mean = static_cast<float>(mean);  // lone samples: no duration
        }
    }
    for (std::size_t c = 0; c < out.size(); ++c) {
        ColumnEnvelope& e = out[c];
        if (e.empty()) continue;
        if (dur[c] > 0) e.mean = static_cast<float>(area[c] / dur[c]);
        e.mean = std::clamp(e.mean, e.lo, e.hi);
    }
}

RangeStats blockRangeStats(const BlockSeries& b, double t0, double t1) {
    RangeStats s;
    double area = 0, dur = 0, plain = 0;
    std::size_t plainCount = 0;
    std::size_t i = static_cast<std::size_t>(std::lower_bound(b.t0.begin(), b.t0.end(), t0) - b.t0.begin());
    for (; i < b.size() && b.t1[i] <= t1; ++i) {
        if (std::isnan(b.lo[i])) continue;
        if (s.count == 0 || b.lo[i] < s.min) s.min = b.lo[i];
        if (s.count == 0 || b.hi[i] > s.max) s.max = b.hi[i];
        s.count += b.samples[i];
        area += b.area[i];
        dur += b.duration[i];
        plain += b.mean(i);
        ++plainCount;
    }
    if (s.count) s.mean = dur > 0 ? area / dur : plain / double(plainCount);
    return s;
}

}  // namespace loadline::core
