#pragma once
// Two-sample statistics for comparing the per-call values of two runs: the Mann–Whitney U test
// (is one run's distribution shifted against the other's?) and a bootstrap confidence interval on
// the ratio of the means (by how much?). Qt-free, no dependencies beyond the standard library.

#include <cstdint>
#include <vector>

namespace loadline::core {

/**
 * Two-sided p-value of the Mann–Whitney U test (Wilcoxon rank-sum) of a against b, by the normal
 * approximation with the tie correction of the variance and a continuity correction of 0.5, as
 * scipy.stats.mannwhitneyu(a, b, method="asymptotic") computes it. 1 when every value is equal;
 * NaN when a sample is empty. NaN values are left out.
 */
double mannWhitneyP(const std::vector<double>& a, const std::vector<double>& b);

struct RatioInterval {
    double low = 0;
    double high = 0;
};

/**
 * Percentile bootstrap interval of mean(b) / mean(a): `resamples` times, both samples are drawn
 * with replacement (each from itself) and the ratio of the means taken; the interval is the
 * (1 - confidence) / 2 and (1 + confidence) / 2 percentiles of those ratios. Deterministic for a
 * seed (its own xorshift generator, so the figures are the same on every platform). NaN bounds
 * when a sample is empty or a resampled mean(a) is zero.
 */
RatioInterval bootstrapRatioOfMeans(const std::vector<double>& a, const std::vector<double>& b, int resamples,
                                    double confidence, std::uint64_t seed);

}  // namespace loadline::core
