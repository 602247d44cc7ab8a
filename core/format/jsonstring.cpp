#include "core/format/jsonstring.h"

namespace loadline::core::jsontext {

namespace {
constexpr std::string_view kReplacement = "\xef\xbf\xbd";  // U+FFFD
}

int utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
    const unsigned char c = *p;
    if (c < 0x80) return 1;
    const int len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 0 || end - p < len) return 0;
    for (int i = 1; i < len; ++i)
        if ((p[i] & 0xc0) != 0x80) return 0;
    if (len == 2) return c >= 0xc2 ? 2 : 0;
    if (len == 3) {
        const unsigned cp = ((c & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
        return cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff) ? 3 : 0;
    }
    const unsigned cp = ((c & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
    return cp >= 0x10000 && cp <= 0x10ffff ? 4 : 0;
}

std::size_t appendUtf8At(std::string& out, std::string_view s, std::size_t i) {
    const std::size_t n = utf8SequenceLength(s, i);
    if (n == 0) {
        out.append(kReplacement);
        return 1;
    }
    out.append(s.substr(i, n));
    return n;
}

void appendUtf8Sanitized(std::string& out, std::string_view s) {
    for (std::size_t i = 0; i < s.size();) i += appendUtf8At(out, s, i);
}

void appendJsonString(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    // Runs of printable ASCII other than '"' and '\\' (nearly every byte of names, keys and
    // command lines) are appended whole; only the bytes between them are looked at one by one.
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        out.append(s.data() + run, i - run);
        if (c >= 0x80) {
            i += appendUtf8At(out, s, i);
            run = i;
            continue;
        }
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default:
            out.append("\\u00");
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
        run = ++i;
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

}  // namespace loadline::core::jsontext
