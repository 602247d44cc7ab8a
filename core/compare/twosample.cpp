#include "core/compare/twosample.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace loadline::core {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> finite(const std::vector<double>& v) {
    std::vector<double> out;
    out.reserve(v.size());
    for (double x : v)
        if (!std::isnan(x)) out.push_back(x);
    return out;
}

// splitmix64: seeds and steps a small generator with the same output everywhere (std::
// distributions are implementation-defined, so results would differ between standard libraries).
struct SplitMix64 {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // An index in [0, n): the high 64 bits of next() * n (Lemire's multiply-shift, bias < n / 2^64).
    std::size_t below(std::size_t n) {
        return static_cast<std::size_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
    }
};

double resampledMean(const std::vector<double>& v, SplitMix64& rng) {
    double sum = 0;
    for (std::size_t i = 0; i < v.size(); ++i) sum += v[rng.below(v.size())];
    return sum / static_cast<double>(v.size());
}

double sortedPercentile(const std::vector<double>& sorted, double p) {
    const double rank = p * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(rank));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - static_cast<double>(lo));
}

}  // namespace

double mannWhitneyP(const std::vector<double>& aIn, const std::vector<double>& bIn) {
    const std::vector<double> a = finite(aIn), b = finite(bIn);
    if (a.empty() || b.empty()) return kNaN;
    const double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size());
    // Pool the values (false: from a), rank them with ties given their mean rank.
    std::vector<std::pair<double, bool>> pooled;
    pooled.reserve(a.size() + b.size());
    for (double x : a) pooled.emplace_back(x, false);
    for (double x : b) pooled.emplace_back(x, true);
    std::sort(pooled.begin(), pooled.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
    double rankSumA = 0, tieTerm = 0;
    for (std::size_t i = 0; i < pooled.size();) {
        std::size_t j = i;
        while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
        const double t = static_cast<double>(j - i);
        const double meanRank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;  // 1-based
        for (std::size_t k = i; k < j; ++k)
            if (!pooled[k].second) rankSumA += meanRank;
        tieTerm += t * t * t - t;
        i = j;
    }
    const double n = n1 + n2;
    const double u = rankSumA - n1 * (n1 + 1) / 2;
    const double mu = n1 * n2 / 2;
    const double variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)));
    if (!(variance > 0)) return 1.0;
    const double z = std::max(0.0, std::abs(u - mu) - 0.5) / std::sqrt(variance);
    return std::min(1.0, std::erfc(z / std::sqrt(2.0)));
}

RatioInterval bootstrapRatioOfMeans(const std::vector<double>& aIn, const std::vector<double>& bIn, int resamples,
                                    double confidence, std::uint64_t seed) {
    const std::vector<double> a = finite(aIn), b = finite(bIn);
    if (a.empty() || b.empty() || resamples < 1) return {kNaN, kNaN};
    SplitMix64 rng{seed};
    std::vector<double> ratios;
    ratios.reserve(static_cast<std::size_t>(resamples));
    for (int r = 0; r < resamples; ++r) {
        const double ma = resampledMean(a, rng);
        const double mb = resampledMean(b, rng);
        if (ma == 0) return {kNaN, kNaN};
        ratios.push_back(mb / ma);
    }
    std::sort(ratios.begin(), ratios.end());
    const double tail = (1 - std::clamp(confidence, 0.0, 1.0)) / 2;
    return {sortedPercentile(ratios, tail), sortedPercentile(ratios, 1 - tail)};
}

}  // namespace loadline::core
