#pragma once
// Time arguments of `loadline-cli import prometheus`: a moment as seconds since the epoch
// ("1733170000", "1733170000.5") or ISO 8601 ("2026-12-02T20:00:00Z", "...+01:00", a space for
// the 'T', fractions of a second; without a zone it is local time, as ISO 8601 says), and a
// duration with a unit ("90s", "15m", "1h", "7d"; a bare number is seconds).

#include <optional>
#include <string>
#include <string_view>

namespace loadline::core::fleet {

std::optional<double> parseMoment(std::string_view text);
std::optional<double> parseDurationArg(std::string_view text);
/** "2026-12-02T20:00:00Z" (UTC, fractions only when not whole), for messages and queries. */
std::string formatUtc(double epochSeconds);
/** The decimal a Prometheus API parameter takes (start=, end=, time=, step=): up to ms. */
std::string formatApiSeconds(double seconds);

}  // namespace loadline::core::fleet
