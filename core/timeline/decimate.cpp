#include "core/timeline/decimate.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace loadline::core {

namespace {

constexpr float kNoValue = std::numeric_limits<float>::quiet_NaN();

// Value of the line between rows k-1 and k at time t, or NaN when they are not joined.
inline double edgeValue(std::span<const double> t, std::span<const double> v, std::size_t k, double at, double maxGap) {
    if (k == 0 || k >= t.size()) return std::numeric_limits<double>::quiet_NaN();
    const double ta = t[k - 1], tb = t[k];
    const double va = v[k - 1], vb = v[k];
    if (!(tb - ta <= maxGap) || std::isnan(va) || std::isnan(vb)) return std::numeric_limits<double>::quiet_NaN();
    if (tb <= ta) return std::max(va, vb);
    return va + (vb - va) * (at - ta) / (tb - ta);
}

// Adds the segment rows k-1 -> k (when joined) to an integral and its duration.
inline void segmentIntegral(std::span<const double> t, std::span<const double> v, std::size_t k, double maxGap,
                            double& area, double& duration) {
    const double dt = t[k] - t[k - 1];
    if (!(dt <= maxGap) || !(dt > 0)) return;
    const double va = v[k - 1], vb = v[k];
    if (std::isnan(va) || std::isnan(vb)) return;
    area += dt * (va + vb) / 2;
    duration += dt;
}

}  // namespace

void BlockSummary::update(std::span<const double> t, std::span<const double> v, double gap) {
    constexpr std::size_t B = kBlock;
    const std::size_t n = std::min(t.size(), v.size());
    if (n == 0 || t.front() != firstTime || lo.size() * B > n || gap != maxGap) {
        clear();
        firstTime = n ? t.front() : 0;
        maxGap = gap;
    }
    for (std::size_t b = lo.size(); (b + 1) * B <= n; ++b) appendBlock(t, v, b * B, (b + 1) * B);
}

void BlockSummary::appendBlock(std::span<const double> t, std::span<const double> v, std::size_t first,
                               std::size_t end) {
    double l = std::numeric_limits<double>::infinity(), h = -l;
    double a = 0, d = 0;
    for (std::size_t k = first; k < end; ++k) {
        if (v[k] < l) l = v[k];
        if (v[k] > h) h = v[k];
        if (k > 0) segmentIntegral(t, v, k, maxGap, a, d);
    }
    lo.push_back(l <= h ? static_cast<float>(l) : kNoValue);
    hi.push_back(l <= h ? static_cast<float>(h) : kNoValue);
    area.push_back(a);
    duration.push_back(d);
}

namespace {

// The summary of [a, b) whose rows are [k, end) (times in [a, b)): min/max with the edge
// values, and integral/duration of the joined line clipped to [a, b).
struct Span {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    double area = 0, duration = 0;
    double sum = 0;  // plain sum and count of the samples inside (the mean of lone samples)
    std::size_t count = 0;
};

Span summarize(std::span<const double> t, std::span<const double> v, double a, double b, std::size_t k, std::size_t end,
               double maxGap, const BlockSummary* summary) {
    constexpr std::size_t B = BlockSummary::kBlock;
    const std::size_t n = t.size();
    Span s;
    auto one = [&](double x) {
        if (x < s.lo) s.lo = x;  // NaN compares false: skipped
        if (x > s.hi) s.hi = x;
    };
    const double ea = edgeValue(t, v, k, a, maxGap);
    one(ea);
    const double eb = edgeValue(t, v, end, b, maxGap);
    one(eb);
    if (k == end) {
        // No sample inside: a segment that spans the whole column (or nothing).
        if (!std::isnan(ea) && !std::isnan(eb)) {
            s.area = (b - a) * (ea + eb) / 2;
            s.duration = b - a;
        }
        return s;
    }
    // The segment crossing the left edge, clipped to [a, t_k].
    if (!std::isnan(ea) && t[k] > a) {
        s.area += (t[k] - a) * (ea + v[k]) / 2;
        s.duration += t[k] - a;
    }
    // The segment crossing the right edge, clipped to [t_(end-1), b].
    if (!std::isnan(eb) && b > t[end - 1]) {
        s.area += (b - t[end - 1]) * (v[end - 1] + eb) / 2;
        s.duration += b - t[end - 1];
    }
    // Samples [k, end) and the segments ending at k+1 .. end-1, by whole blocks where they fit.
    std::size_t i = k;
    auto sample = [&](std::size_t r) {
        const double x = v[r];
        if (x != x) return;
        one(x);
        s.sum += x;
        ++s.count;
    };
    sample(i++);
    if (summary && end - i >= 2 * B) {
        const std::size_t blocks = std::min({summary->lo.size(), summary->area.size()});
        for (; i < end && i % B != 0; ++i) {
            sample(i);
            segmentIntegral(t, v, i, maxGap, s.area, s.duration);
        }
        for (; i + B <= end && i / B < blocks; i += B) {
            const std::size_t bl = i / B;
            one(summary->lo[bl]);
            one(summary->hi[bl]);
            s.area += summary->area[bl];
            s.duration += summary->duration[bl];
            // Plain sums are needed only without any joined segment: a block with values but no
            // joined segment is a run of lone samples; count its midpoint as one sample.
            if (summary->duration[bl] == 0 && summary->lo[bl] == summary->lo[bl]) {
                s.sum += (double(summary->lo[bl]) + double(summary->hi[bl])) / 2;
                ++s.count;
            }
        }
    }
    for (; i < end; ++i) {
        sample(i);
        segmentIntegral(t, v, i, maxGap, s.area, s.duration);
    }
    (void)n;
    return s;
}

inline double meanOf(const Span& s) {
    if (s.duration > 0) return s.area / s.duration;
    if (s.count > 0) return s.sum / static_cast<double>(s.count);
    return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

void decimateToColumns(std::span<const double> t, std::span<const double> v, const TimeMapping& m, int columns,
                       double maxGap, std::vector<ColumnEnvelope>& out, const BlockSummary* summary) {
    out.assign(columns > 0 ? static_cast<std::size_t>(columns) : 0, ColumnEnvelope{kNoValue, kNoValue, kNoValue});
    const std::size_t n = std::min(t.size(), v.size());
    if (n == 0 || columns <= 0 || !(m.t1 > m.t0)) return;
    t = t.first(n);
    v = v.first(n);
    if (summary && summary->maxGap != maxGap) summary = nullptr;  // built for another gap limit
    const double step = (m.t1 - m.t0) / columns;
    // k: first row with time >= the current column's left edge.
    std::size_t k = static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), m.t0) - t.begin());
    if (k >= n && t[n - 1] < m.t0) return;  // everything is left of the view
    for (int c = 0; c < columns; ++c) {
        const double a = m.t0 + step * c;
        const double b = m.t0 + step * (c + 1);
        if (k >= n) break;                  // no samples right of here: nothing to draw
        if (k == 0 && t[0] >= b) continue;  // the series has not started yet
        std::size_t end = k;
        if (summary) {
            end = static_cast<std::size_t>(std::lower_bound(t.begin() + static_cast<std::ptrdiff_t>(k), t.end(), b) -
                                           t.begin());
        } else {
            while (end < n && t[end] < b) ++end;
        }
        const Span s = summarize(t, v, a, b, k, end, maxGap, summary);
        k = end;
        if (s.lo <= s.hi) {
            const double mean = std::clamp(meanOf(s), s.lo, s.hi);
            out[static_cast<std::size_t>(c)] = {static_cast<float>(s.lo), static_cast<float>(s.hi),
                                                static_cast<float>(std::isnan(mean) ? s.hi : mean)};
        }
    }
}

std::pair<std::size_t, std::size_t> visibleRows(std::span<const double> t, double t0, double t1) {
    auto first = static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), t0) - t.begin());
    auto last = static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), t1) - t.begin());
    if (first > 0) --first;
    if (last < t.size()) ++last;
    return {first, std::max(first, last)};
}

double estimateSampleInterval(std::span<const double> t) {
    std::vector<double> diffs;
    const std::size_t n = std::min<std::size_t>(t.size(), 4001);
    for (std::size_t i = 1; i < n; ++i)
        if (t[i] > t[i - 1]) diffs.push_back(t[i] - t[i - 1]);
    if (diffs.empty()) return std::numeric_limits<double>::quiet_NaN();
    auto mid = diffs.begin() + static_cast<std::ptrdiff_t>(diffs.size() / 2);
    std::nth_element(diffs.begin(), mid, diffs.end());
    return *mid;
}

std::optional<std::size_t> nearestRow(std::span<const double> t, double at, double maxDistance) {
    if (t.empty() || std::isnan(at)) return std::nullopt;
    auto k = static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), at) - t.begin());
    std::size_t best = k;
    if (k == t.size() || (k > 0 && at - t[k - 1] <= t[k] - at)) best = k - 1;
    if (std::abs(t[best] - at) > maxDistance) return std::nullopt;
    return best;
}

RangeStats rangeStats(std::span<const double> t, std::span<const double> v, double t0, double t1, double maxGap) {
    RangeStats r;
    const std::size_t n = std::min(t.size(), v.size());
    if (n == 0 || t1 < t0) return r;
    t = t.first(n);
    v = v.first(n);
    const auto first = static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), t0) - t.begin());
    const auto last = static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), t1) - t.begin());
    if (first >= last) return r;
    // The same summary as a pixel column, over [t0, t1]; min/max of the samples inside only.
    const Span s = summarize(t, v, t0, t1, first, last, maxGap, nullptr);
    if (s.count == 0) return r;
    r.count = s.count;
    r.min = std::numeric_limits<double>::infinity();
    r.max = -r.min;
    for (std::size_t i = first; i < last; ++i) {
        if (std::isnan(v[i])) continue;
        r.min = std::min(r.min, v[i]);
        r.max = std::max(r.max, v[i]);
    }
    r.mean = meanOf(s);
    return r;
}

}  // namespace loadline::core
