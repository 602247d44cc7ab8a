#pragma once
// Tiny allocation-free helpers for the /proc parsers: whitespace tokens and integer fields.

#include <charconv>
#include <cstdint>
#include <string_view>

namespace loadline::core::scan {

inline bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/** Next whitespace-separated token of s starting at pos (pos advances); empty at the end. */
inline std::string_view nextToken(std::string_view s, std::size_t& pos) {
    while (pos < s.size() && isSpace(s[pos])) ++pos;
    std::size_t b = pos;
    while (pos < s.size() && !isSpace(s[pos])) ++pos;
    return s.substr(b, pos - b);
}

/** The next line (without '\n') of s starting at pos; false at the end. */
inline bool nextLine(std::string_view s, std::size_t& pos, std::string_view& line) {
    if (pos >= s.size()) return false;
    std::size_t e = s.find('\n', pos);
    if (e == std::string_view::npos) e = s.size();
    line = s.substr(pos, e - pos);
    pos = e + 1;
    return true;
}

/** Decimal digits only, overflow checked (a plain loop: measurably faster than from_chars here). */
inline bool toU64(std::string_view t, std::uint64_t& v) {
    if (t.empty()) return false;
    std::uint64_t x = 0;
    for (char c : t) {
        const unsigned d = static_cast<unsigned char>(c) - unsigned('0');
        if (d > 9 || __builtin_mul_overflow(x, 10u, &x) || __builtin_add_overflow(x, d, &x)) return false;
    }
    v = x;
    return true;
}

inline bool toI64(std::string_view t, std::int64_t& v) {
    if (t.empty()) return false;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    return r.ec == std::errc() && r.ptr == t.data() + t.size();
}

inline bool toDouble(std::string_view t, double& v) {
    if (t.empty()) return false;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    return r.ec == std::errc() && r.ptr == t.data() + t.size();
}

/** Integer value of a "Key:   123 kB" line after the colon, times 1024 when the unit is kB. */
inline bool keyValueBytes(std::string_view rest, std::uint64_t& v) {
    std::size_t p = 0;
    std::string_view num = nextToken(rest, p);
    if (!toU64(num, v)) return false;
    std::string_view unit = nextToken(rest, p);
    if (unit == "kB") v *= 1024;
    return true;
}

}  // namespace loadline::core::scan
