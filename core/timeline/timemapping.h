#pragma once
// Pixel <-> time and value <-> pixel maps of a chart's plot area. Plain structs with no Qt, so
// zoom, pan and hit-testing maths is tested without a GUI (tests/timeline/decimate_test.cpp).

#include <algorithm>
#include <cmath>

namespace loadline::core {

/** Maps the visible time range [t0, t1] (seconds) onto pixels [x0, x0 + width). */
struct TimeMapping {
    double t0 = 0;
    double t1 = 1;
    double x0 = 0;
    double width = 1;

    bool valid() const { return t1 > t0 && width > 0; }
    double span() const { return t1 - t0; }
    double secondsPerPixel() const { return (t1 - t0) / width; }
    double toX(double t) const { return x0 + (t - t0) * width / (t1 - t0); }
    double toTime(double x) const { return t0 + (x - x0) * (t1 - t0) / width; }
    bool containsX(double x) const { return x >= x0 && x <= x0 + width; }

    /** The range scaled by factor (< 1 zooms in) keeping anchorTime at the same pixel. */
    TimeMapping zoomedAbout(double anchorTime, double factor) const {
        TimeMapping m = *this;
        m.t0 = anchorTime - (anchorTime - t0) * factor;
        m.t1 = anchorTime + (t1 - anchorTime) * factor;
        return m;
    }
    /** The range moved so the content shifts right by dx pixels (time moves left). */
    TimeMapping pannedByPixels(double dx) const {
        TimeMapping m = *this;
        const double dt = dx * secondsPerPixel();
        m.t0 -= dt;
        m.t1 -= dt;
        return m;
    }
};

/** Maps values [v0, v1] onto pixels, v0 at yBottom and v1 at yBottom - height (y grows down). */
struct ValueMapping {
    double v0 = 0;
    double v1 = 100;
    double yBottom = 100;
    double height = 100;

    double toY(double v) const { return yBottom - (v - v0) * height / (v1 - v0); }
    double toValue(double y) const { return v0 + (yBottom - y) * (v1 - v0) / height; }
};

/**
 * Keeps a view range [t0, t1] sensible: at least minSpan long, at most the bounds' length, and
 * inside [lo, hi] (shifted, not squeezed, when it sticks out). Returns the corrected pair.
 */
inline void clampViewRange(double& t0, double& t1, double lo, double hi, double minSpan) {
    if (!(hi > lo)) {  // no data or one sample: a small window around it
        const double c = std::isfinite(lo) ? lo : 0.0;
        const double half = std::max(minSpan, 1.0) / 2;
        t0 = c - half;
        t1 = c + half;
        return;
    }
    double span = std::clamp(t1 - t0, std::min(minSpan, hi - lo), hi - lo);
    if (!std::isfinite(span)) span = hi - lo;
    const double mid = std::isfinite(t0 + t1) ? (t0 + t1) / 2 : (lo + hi) / 2;
    t0 = mid - span / 2;
    t1 = mid + span / 2;
    if (t0 < lo) {
        t1 += lo - t0;
        t0 = lo;
    }
    if (t1 > hi) {
        t0 -= t1 - hi;
        t1 = hi;
    }
    t0 = std::max(t0, lo);
}

}  // namespace loadline::core
