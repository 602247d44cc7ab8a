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

// Several samples at one time: the last valid one stands for that time (as if it overwrote the
// others). Given the valid point found at row, moves it to the group's last valid value and
// returns the first row after the group.
std::size_t collapseGroup(const SeriesTable& table, int col, std::size_t row, Point* p) {
    std::size_t r = row + 1;
    for (; r < table.size() && table.timestamp(r) == p->t; ++r) {
        const double v = table.value(col, r);
        if (!isMissing(v)) p->v = v;
    }
    return r;
}

// The first valid sample at or after row, collapsed; *next gets the row after its group.
bool nextPoint(const SeriesTable& table, int col, std::size_t row, Point* out, std::size_t* next) {
    for (std::size_t r = row; r < table.size(); ++r) {
        const double v = table.value(col, r);
        if (!isMissing(v)) {
            *out = {table.timestamp(r), v};
            *next = collapseGroup(table, col, r, out);
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
    if (!validAtOrAfter(table, col, 0, &first) || !validAtOrBefore(table, col, table.size() - 1, &last)) return out;

    // The covered part of the window.
    const double a = std::max(t0, first.t);
    const double b = std::min(t1, last.t);
    if (a > b) return out;  // entirely outside the series' range
    out.coverage = t1 > t0 ? (b - a) / (t1 - t0) : 1.0;

    // Segment containing a: p = the valid sample at or before a (the last of its time, since
    // upperBound puts lo after every sample at a), then the breakpoints after it.
    const std::size_t lo = table.upperBound(a);  // first row with time > a
    Point p;
    validAtOrBefore(table, col, lo - 1, &p);  // exists: first.t <= a

    std::size_t row = lo;
    Point next;
    bool hasNext = nextPoint(table, col, row, &next, &row);
    if (b == a) {  // zero-length window (or touching the range's edge): the value at that instant
        out.mean = hasNext ? lerp(p, next, a) : p.v;
    } else {
        // Integrate the piecewise-linear series from a to b, segment by segment (trapezoids).
        double area = 0;
        double t = a;
        double vt = hasNext ? lerp(p, next, a) : p.v;
        while (t < b && hasNext) {
            const double end = std::min(next.t, b);
            const double vend = next.t <= b ? next.v : lerp(p, next, end);
            area += (vt + vend) * 0.5 * (end - t);
            p = next;
            t = end;
            vt = vend;
            hasNext = nextPoint(table, col, row, &next, &row);
        }
        out.mean = area / (b - a);
    }

    // Confidence: valid samples inside the whole call window [t0, t1].
    for (std::size_t r = table.lowerBound(t0); r < table.size() && table.timestamp(r) <= t1; ++r)
        if (!isMissing(table.value(col, r))) ++out.samplesInside;
    return out;
}

}  // namespace loadline::core
