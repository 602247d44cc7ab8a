#include "core/timeline/decimate.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace loadline::core {

namespace {

constexpr float kNoValue = std::numeric_limits<float>::quiet_NaN();

// Value of the line between rows k-1 and k at time t, or NaN when they are not joined.
inline double edgeValue(std::span<const double> t, std::span<const double> v, std::size_t k,
                        double at, double maxGap) {
    if (k == 0 || k >= t.size()) return std::numeric_limits<double>::quiet_NaN();
    const double ta = t[k - 1], tb = t[k];
    const double va = v[k - 1], vb = v[k];
    if (!(tb - ta <= maxGap) || std::isnan(va) || std::isnan(vb))
        return std::numeric_limits<double>::quiet_NaN();
    if (tb <= ta) return std::max(va, vb);
    return va + (vb - va) * (at - ta) / (tb - ta);
}

// Min/max over v[from, to), using whole blocks of the summary where they fit.
inline void rangeMinMax(std::span<const double> v, std::size_t from, std::size_t to,
                        const BlockSummary* summary, double& lo, double& hi) {
    constexpr std::size_t B = BlockSummary::kBlock;
    auto one = [&](double x) {
        if (x < lo) lo = x;  // NaN compares false: skipped
        if (x > hi) hi = x;
    };
    std::size_t k = from;
    if (summary && to - from >= 2 * B) {
        const std::size_t blocks = summary->lo.size();
        for (; k < to && k % B != 0; ++k) one(v[k]);
        for (; k + B <= to && k / B < blocks; k += B) {
            one(summary->lo[k / B]);
            one(summary->hi[k / B]);
        }
    }
    for (; k < to; ++k) one(v[k]);
}

}  // namespace

void BlockSummary::update(std::span<const double> t, std::span<const double> v) {
    constexpr std::size_t B = kBlock;
    const std::size_t n = std::min(t.size(), v.size());
    if (n == 0 || t.front() != firstTime || lo.size() * B > n) {
        clear();
        firstTime = n ? t.front() : 0;
    }
    for (std::size_t b = lo.size(); (b + 1) * B <= n; ++b) {
        double l = std::numeric_limits<double>::infinity(), h = -l;
        for (std::size_t k = b * B; k < (b + 1) * B; ++k) {
            if (v[k] < l) l = v[k];
            if (v[k] > h) h = v[k];
        }
        lo.push_back(l <= h ? static_cast<float>(l) : kNoValue);
        hi.push_back(l <= h ? static_cast<float>(h) : kNoValue);
    }
}

void decimateToColumns(std::span<const double> t, std::span<const double> v, const TimeMapping& m,
                       int columns, double maxGap, std::vector<ColumnEnvelope>& out,
                       const BlockSummary* summary) {
    out.assign(columns > 0 ? static_cast<std::size_t>(columns) : 0, ColumnEnvelope{kNoValue, kNoValue});
    const std::size_t n = std::min(t.size(), v.size());
    if (n == 0 || columns <= 0 || !(m.t1 > m.t0)) return;
    t = t.first(n);
    v = v.first(n);
    const double step = (m.t1 - m.t0) / columns;
    // k: first row with time >= the current column's left edge.
    std::size_t k = static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), m.t0) - t.begin());
    if (k >= n && t[n - 1] < m.t0) return;  // everything is left of the view
    for (int c = 0; c < columns; ++c) {
        const double a = m.t0 + step * c;
        const double b = m.t0 + step * (c + 1);
        if (k >= n) break;             // no samples right of here: nothing to draw
        if (k == 0 && t[0] >= b) continue;  // the series has not started yet
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        double e = edgeValue(t, v, k, a, maxGap);
        if (!std::isnan(e)) { lo = hi = e; }
        if (summary) {
            // Rows of this column: binary search, then blocks (many samples per column).
            const auto end = static_cast<std::size_t>(
                std::lower_bound(t.begin() + static_cast<std::ptrdiff_t>(k), t.end(), b) - t.begin());
            rangeMinMax(v, k, end, summary, lo, hi);
            k = end;
        } else {
            for (; k < n && t[k] < b; ++k) {
                const double x = v[k];
                if (x < lo) lo = x;  // NaN compares false: skipped
                if (x > hi) hi = x;
            }
        }
        e = edgeValue(t, v, k, b, maxGap);
        if (!std::isnan(e)) {
            lo = std::min(lo, e);
            hi = std::max(hi, e);
        }
        if (lo <= hi) out[static_cast<std::size_t>(c)] = {static_cast<float>(lo), static_cast<float>(hi)};
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

RangeStats rangeStats(std::span<const double> t, std::span<const double> v, double t0, double t1) {
    RangeStats s;
    const std::size_t n = std::min(t.size(), v.size());
    auto first = static_cast<std::size_t>(std::lower_bound(t.begin(), t.begin() + n, t0) - t.begin());
    double sum = 0;
    s.min = std::numeric_limits<double>::infinity();
    s.max = -s.min;
    for (std::size_t i = first; i < n && t[i] <= t1; ++i) {
        const double x = v[i];
        if (std::isnan(x)) continue;
        ++s.count;
        sum += x;
        s.min = std::min(s.min, x);
        s.max = std::max(s.max, x);
    }
    if (s.count == 0) return RangeStats{};
    s.mean = sum / static_cast<double>(s.count);
    return s;
}

}  // namespace loadline::core
