#include "widgets/timeaxis.h"

#include <QDateTime>
#include <QTimeZone>
#include <cmath>

namespace loadline::widgets {

double niceTimeStep(double span, int maxTicks) {
    if (!(span > 0)) return 1;
    maxTicks = std::max(maxTicks, 1);
    const double raw = span / maxTicks;
    static constexpr double kLarge[] = {1,   2,   5,    10,   15,   30,    60,    120,   300,
                                        600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
    if (raw <= 1) {  // 1-2-5 steps below a second
        const double p = std::pow(10.0, std::floor(std::log10(raw)));
        for (double m : {1.0, 2.0, 5.0, 10.0})
            if (m * p >= raw) return m * p;
    }
    for (double s : kLarge)
        if (s >= raw) return s;
    return 86400 * std::ceil(raw / 86400);
}

namespace {

QString clockLabel(double t, double step, double span = 0) {
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::llround(t * 1000)));
    if (step >= 86400) return dt.toString(QStringLiteral("yyyy-MM-dd"));
    if (span > 86400) return dt.toString(QStringLiteral("MM-dd HH:mm"));  // days apart: name the day
    if (step >= 1) return dt.toString(QStringLiteral("HH:mm:ss"));
    QString s = dt.toString(QStringLiteral("HH:mm:ss.zzz"));
    if (step >= 0.1) s.chop(2);
    else if (step >= 0.01) s.chop(1);
    return s;
}

QString relativeLabel(double seconds, double step) {
    int decimals = 0;
    if (step < 1) decimals = std::min(6, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
    if (std::abs(seconds) < step / 2) seconds = 0;  // no "-0"
    return QString::number(seconds, 'f', decimals);
}

}  // namespace

QVector<TimeTick> timeTicks(double t0, double t1, double origin, TimeAxisMode mode, int maxTicks) {
    QVector<TimeTick> ticks;
    if (!(t1 > t0)) return ticks;
    const double step = niceTimeStep(t1 - t0, maxTicks);
    // Align ticks to round local times (clock) or round offsets from the start (relative).
    double base = origin;
    if (mode == TimeAxisMode::Clock) {
        const QDateTime dt = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(t0 * 1000));
        base = -static_cast<double>(dt.offsetFromUtc());  // local midnight-aligned grid
    }
    const double first = base + std::ceil((t0 - base) / step - 1e-9) * step;
    for (int i = 0; i < 1000; ++i) {
        const double t = first + i * step;
        if (t > t1 + step * 1e-9) break;
        QString label = mode == TimeAxisMode::Clock ? clockLabel(t, step, t1 - t0) : relativeLabel(t - origin, step);
        if (!ticks.isEmpty() && ticks.back().label == label) continue;  // labels must differ
        ticks.push_back({t, std::move(label)});
    }
    return ticks;
}

QString formatTimePoint(double t, double origin, TimeAxisMode mode) {
    if (mode == TimeAxisMode::Clock) return clockLabel(t, 0.001);
    return QStringLiteral("+%1 s").arg(t - origin, 0, 'f', 3);
}

QString formatDuration(double s) {
    if (!(s >= 0)) return QStringLiteral("?");
    if (s < 1) return QStringLiteral("%1 ms").arg(s * 1000, 0, 'f', s < 0.01 ? 2 : 0);
    if (s < 60) return QStringLiteral("%1 s").arg(s, 0, 'f', s < 10 ? 2 : 1);
    const auto total = static_cast<long long>(std::llround(s));
    if (total < 3600) return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(total / 3600).arg((total % 3600) / 60, 2, 10, QLatin1Char('0'));
}

}  // namespace loadline::widgets
