#include "core/fleet/timearg.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace loadline::core::fleet {

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

bool wholeNumber(std::string_view s, double& out) {
    if (s.empty()) return false;
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

}  // namespace

std::optional<double> parseMoment(std::string_view s) {
    double epoch = 0;
    if (wholeNumber(s, epoch)) return epoch >= 0 ? std::optional<double>(epoch) : std::nullopt;
    // YYYY-MM-DD[(T| )HH:MM[:SS[.frac]]][Z|±HH[:MM]]
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return std::nullopt;
    std::size_t p = 10;
    double frac = 0;
    if (p < s.size() && (s[p] == 'T' || s[p] == 't' || s[p] == ' ')) {
        if (!digits(s, p + 1, 2, h) || p + 3 >= s.size() || s[p + 3] != ':' || !digits(s, p + 4, 2, mi))
            return std::nullopt;
        p += 6;
        if (p < s.size() && s[p] == ':') {
            if (!digits(s, p + 1, 2, sec)) return std::nullopt;
            p += 3;
            if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
                std::size_t q = p + 1;
                double scale = 0.1;
                while (q < s.size() && s[q] >= '0' && s[q] <= '9') {
                    frac += (s[q] - '0') * scale;
                    scale /= 10;
                    ++q;
                }
                if (q == p + 1) return std::nullopt;
                p = q;
            }
        }
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    // timegm/mktime would quietly roll 2026-02-30 over to March 2: a day the month does not
    // have is a typo, not a moment.
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    std::time_t t = 0;
    if (p == s.size()) {  // no zone: local time
        tm.tm_isdst = -1;
        t = std::mktime(&tm);
    } else {
        long offset = 0;
        if (s[p] == 'Z' || s[p] == 'z') {
            ++p;
        } else if (s[p] == '+' || s[p] == '-') {
            int oh = 0, om = 0;
            const int sign = s[p] == '-' ? -1 : 1;
            if (!digits(s, p + 1, 2, oh)) return std::nullopt;
            p += 3;
            if (p < s.size() && s[p] == ':') ++p;
            if (p < s.size()) {
                if (!digits(s, p, 2, om)) return std::nullopt;
                p += 2;
            }
            if (oh > 23 || om > 59) return std::nullopt;
            offset = sign * (oh * 3600L + om * 60L);
        } else {
            return std::nullopt;
        }
        if (p != s.size()) return std::nullopt;
        t = timegm(&tm) - offset;
    }
    if (t < 0) return std::nullopt;
    return static_cast<double>(t) + frac;
}

std::optional<double> parseDurationArg(std::string_view s) {
    if (s.empty()) return std::nullopt;
    double mult = 1;
    switch (s.back()) {
    case 's':
        mult = 1;
        s.remove_suffix(1);
        break;
    case 'm':
        mult = 60;
        s.remove_suffix(1);
        break;
    case 'h':
        mult = 3600;
        s.remove_suffix(1);
        break;
    case 'd':
        mult = 86400;
        s.remove_suffix(1);
        break;
    default: break;
    }
    double n = 0;
    if (!wholeNumber(s, n) || n <= 0) return std::nullopt;
    return n * mult;
}

std::string formatUtc(double epochSeconds) {
    const std::time_t whole = static_cast<std::time_t>(std::floor(epochSeconds));
    std::tm tm{};
    gmtime_r(&whole, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out = buf;
    const int ms = static_cast<int>(std::lround((epochSeconds - std::floor(epochSeconds)) * 1000));
    if (ms > 0 && ms < 1000) {
        char f[8];
        std::snprintf(f, sizeof f, ".%03d", ms);
        out += f;
    }
    return out + "Z";
}

std::string formatApiSeconds(double seconds) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", seconds);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

}  // namespace loadline::core::fleet
