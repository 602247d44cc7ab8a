#include "core/correlate/windowmean.h"

#include <algorithm>

namespace loadline::core {

namespace {

struct Point {
    double t;
    double v;
};

// The valid sample at or before row (walking back over missing values), if any.
bool validAtOrBefore(const SeriesTable& table, int col, std::size_t row, Point* out) {
    for (std::size_t r = row + 1; r-- > 0;) {
        double v = table.value(col, r);
        if (!isMissing(v)) {
            *out = {table.timestamp(r), v};
            return true;
        }
    }
    return false;
}

// The valid sample at or after row, if any.
bool validAtOrAfter(const SeriesTable& table, int col, std::size_t row, Point* out) {
    for (std::size_t r = row; r < table.size(); ++r) {
        double v = table.value(col, r);
        if (!isMissing(v)) {
            *out = {table.timestamp(r), v};
            return true;
        }
    }
    return false;
}

double lerp(const Point& a, const Point& b, double t) {
    if (b.t <= a.t) return b.v;
    return a.v + (b.v - a.v) * (t - a.t) / (b.t - a.t);
}

}  // namespace

WindowMean windowMean(const SeriesTable& table, int col, double t0, double t1) {
    WindowMean out;
    if (col < 0 || table.empty() || !(t1 >= t0)) return out;

    Point first, last;
    if (!validAtOrAfter(table, col, 0, &first) || !validAtOrBefore(table, col, table.size() - 1, &last))
        return out;

    // The covered part of the window.
    const double a = std::max(t0, first.t);
    const double b = std::min(t1, last.t);
    if (a > b) return out;  // entirely outside the series' range
    out.coverage = t1 > t0 ? (b - a) / (t1 - t0) : 1.0;

    // Segment containing a: the valid samples p (<= a) and q (> a, or == a at the very end).
    const std::size_t lo = table.upperBound(a);  // first row with time > a
    Point p, q;
    validAtOrBefore(table, col, lo - 1, &p);  // exists: first.t <= a
    if (!validAtOrAfter(table, col, lo, &q)) q = p;

    if (b == a) {  // zero-length window (or touching the range's edge): the value at that instant
        out.mean = lerp(p, q, a);
    } else {
        // Integrate the piecewise-linear series from a to b, segment by segment (trapezoids).
        double area = 0;
        double t = a;
        double vt = lerp(p, q, a);
        std::size_t row = lo;
        while (t < b) {
            // Next breakpoint: the next valid sample after t, capped at b.
            Point next;
            if (!validAtOrAfter(table, col, row, &next)) break;  // cannot happen: last.t >= b
            const double end = std::min(next.t, b);
            const double vend = next.t <= b ? next.v : lerp(p, next, end);
            area += (vt + vend) * 0.5 * (end - t);
            p = next;
            t = end;
            vt = vend;
            row = table.upperBound(next.t);
        }
        out.mean = area / (b - a);
    }

    // Confidence: valid samples inside the whole call window [t0, t1].
    for (std::size_t r = table.lowerBound(t0); r < table.size() && table.timestamp(r) <= t1; ++r)
        if (!isMissing(table.value(col, r))) ++out.samplesInside;
    return out;
}

}  // namespace loadline::core
