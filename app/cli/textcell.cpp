#include "textcell.h"

#include <cstdio>
#include <vector>

#include <utf8proc.h>

namespace loadline::cli {

namespace {

struct Char {
    std::string bytes;
    int columns;  // terminal cells, from utf8proc: 2 for East Asian wide, 0 for combining marks
};

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
        utf8proc_int32_t codepoint = 0;
        const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i);
        const utf8proc_ssize_t len =
            utf8proc_iterate(bytes, static_cast<utf8proc_ssize_t>(text.size() - i), &codepoint);
        if (len <= 0) {  // not UTF-8: one byte shown as U+FFFD, one column
            chars.push_back({"\uFFFD", 1});
            ++i;
            continue;
        }
        const std::string_view one = text.substr(i, static_cast<std::size_t>(len));
        // utf8proc_charwidth is the Unicode width, independent of the locale (unlike wcwidth).
        const int columns = utf8proc_charwidth(codepoint);
        if (columns == 0 && !chars.empty()) {
            chars.back().bytes += one;  // a zero-width mark stays with its base: never cut between them
        } else {
            chars.push_back({std::string(one), columns});
        }
        i += static_cast<std::size_t>(len);
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
