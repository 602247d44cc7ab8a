#include "textcell.h"

#include <cstdint>
#include <cstdio>
#include <vector>

namespace loadline::cli {

namespace {

struct Char {
    std::string bytes;
    int columns;  // terminal cells: 2 for East Asian wide characters, else 1
};

std::uint32_t decode(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])); };
    switch (s.size()) {
    case 2: return (b(0) & 0x1f) << 6 | (b(1) & 0x3f);
    case 3: return (b(0) & 0x0f) << 12 | (b(1) & 0x3f) << 6 | (b(2) & 0x3f);
    case 4: return (b(0) & 0x07) << 18 | (b(1) & 0x3f) << 12 | (b(2) & 0x3f) << 6 | (b(3) & 0x3f);
    default: return b(0);
    }
}

// The main wide blocks of Unicode's East Asian Width (W/F): CJK, Hangul, full-width forms, emoji.
bool wide(std::uint32_t c) {
    return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf && c != 0x303f) ||
           (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
           (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
           (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd);
}

std::vector<Char> split(std::string_view text) {
    std::vector<Char> chars;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) {  // shown as an escape, so the row stays one line
            char escaped[8];
            if (c == '\n') std::snprintf(escaped, sizeof escaped, "\\n");
            else if (c == '\t') std::snprintf(escaped, sizeof escaped, "\\t");
            else if (c == '\r') std::snprintf(escaped, sizeof escaped, "\\r");
            else std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            for (const char* e = escaped; *e; ++e) chars.push_back({std::string(1, *e), 1});
            ++i;
            continue;
        }
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
        if (i + len > text.size()) len = 1;
        const std::string_view one = text.substr(i, len);
        chars.push_back({std::string(one), wide(decode(one)) ? 2 : 1});
        i += len;
    }
    return chars;
}

}  // namespace

std::string tableCell(std::string_view text, std::size_t width) {
    const std::vector<Char> chars = split(text);
    std::size_t total = 0;
    for (const Char& c : chars) total += static_cast<std::size_t>(c.columns);
    std::string out;
    std::size_t used = 0;
    if (total <= width) {
        for (const Char& c : chars) out += c.bytes;
        used = total;
    } else if (width > 0) {
        for (const Char& c : chars) {  // keep what fits before the ellipsis
            if (used + static_cast<std::size_t>(c.columns) > width - 1) break;
            out += c.bytes;
            used += static_cast<std::size_t>(c.columns);
        }
        out += "\u2026";
        ++used;
    }
    out.append(width > used ? width - used : 0, ' ');
    return out;
}

std::string lastCell(std::string_view text, std::size_t width) {
    std::string out = tableCell(text, width);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace loadline::cli
