#include "core/format/jsoncursor.h"
#include "core/format/jsonstring.h"

#include <algorithm>
#include <charconv>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace loadline::core::detail {

namespace {

constexpr int kMaxDepth = 512;  // deeper nesting is an error, never a stack overflow

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Powers of ten that a double holds exactly (Clinger's fast path).
constexpr double kExactPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

std::string describeByte(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    char buf[32];
    if (u >= 0x20 && u < 0x7f) std::snprintf(buf, sizeof buf, "'%c'", c);
    else std::snprintf(buf, sizeof buf, "byte 0x%02x", u);
    return buf;
}

void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
        out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
}

bool isEightDigits(std::uint64_t v) {
    return (((v & 0xF0F0F0F0F0F0F0F0) | (((v + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) == 0x3333333333333333);
}

std::uint32_t eightDigitsValue(std::uint64_t v) {  // little-endian, as simdjson does it
    v = (v & 0x0F0F0F0F0F0F0F0F) * 2561 >> 8;
    v = (v & 0x00FF00FF00FF00FF) * 6553601 >> 16;
    return static_cast<std::uint32_t>((v & 0x0000FFFF0000FFFF) * 42949672960001 >> 32);
}

/** memcmp(a, b, n) == 0 for short keys, without a library call. */
bool sameBytes(const char* a, const char* b, std::size_t n) {
    while (n >= 8) {
        std::uint64_t x, y;
        std::memcpy(&x, a, 8);
        std::memcpy(&y, b, 8);
        if (x != y) return false;
        a += 8, b += 8, n -= 8;
    }
    while (n--)
        if (*a++ != *b++) return false;
    return true;
}

/** Appends the digits at p to m (wrapping past 19 digits; the caller checks the count). */
const char* parseDigits(const char* p, const char* end, std::uint64_t& m) {
    while (end - p >= 8) {
        std::uint64_t chunk;
        std::memcpy(&chunk, p, 8);
        if (!isEightDigits(chunk)) break;
        m = m * 100000000 + eightDigitsValue(chunk);
        p += 8;
    }
    while (p < end && isDigit(*p)) m = m * 10 + static_cast<unsigned>(*p++ - '0');
    return p;
}

}  // namespace

const char* describeJsonType(JsonType type) {
    switch (type) {
    case JsonType::Object: return "an object";
    case JsonType::Array: return "an array";
    case JsonType::String: return "a string";
    case JsonType::Number: return "a number";
    case JsonType::True:
    case JsonType::False: return "a boolean";
    case JsonType::Null: return "null";
    }
    return "a value";
}

TextPosition positionOf(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    TextPosition pos;
    std::size_t lineStart = 0;
    const char* p = text.data();
    const char* end = p + offset;
    while (const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
        ++pos.line;
        p = static_cast<const char*>(nl) + 1;
        lineStart = static_cast<std::size_t>(p - text.data());
    }
    pos.column = static_cast<int>(offset - lineStart) + 1;
    return pos;
}

void JsonCursor::fail(std::size_t offset, std::string message) {
    if (!m_failed) {
        m_failed = true;
        m_error = JsonError{offset, std::move(message)};
    }
    m_pos = m_end;
}

void JsonCursor::fail(const char* at, std::string message) {
    fail(static_cast<std::size_t>(at - m_begin), std::move(message));
}

std::string_view JsonCursor::failString(const char* at, std::string message) {
    fail(at, std::move(message));
    return {};
}

void JsonCursor::failUnexpected(const char* at, const char* expected) {
    if (m_failed) {  // a read after the first error: the cursor is at the end, say nothing more
        m_pos = m_end;
        return;
    }
    if (at >= m_end)
        return fail(at, std::string("unexpected end of file, expected ") + expected +
                            " (the file is truncated or a bracket is not closed)");
    fail(at, std::string("expected ") + expected + ", got " + describeByte(*at));
}

void JsonCursor::skipSpaceSlow() {
    while (m_pos < m_end) {
        const char c = *m_pos;
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            ++m_pos;
#ifdef __SSE2__
            // Indentation of json.dump(indent=2) comes in runs of spaces: skip 16 at a time.
            while (m_end - m_pos >= 16 && *m_pos == ' ') {
                const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(m_pos));
                const unsigned mask =
                    static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(' '))));
                if (mask != 0xffff) {
                    m_pos += __builtin_ctz(~mask);
                    break;
                }
                m_pos += 16;
            }
#endif
            continue;
        }
        if (c == '/' && m_end - m_pos >= 2 && m_pos[1] == '/') {
            const void* nl = std::memchr(m_pos, '\n', static_cast<std::size_t>(m_end - m_pos));
            m_pos = nl ? static_cast<const char*>(nl) + 1 : m_end;
            continue;
        }
        if (c == '/' && m_end - m_pos >= 2 && m_pos[1] == '*') {
            const char* start = m_pos;
            const char* p = m_pos + 2;
            for (;;) {
                const void* star = std::memchr(p, '*', static_cast<std::size_t>(m_end - p));
                if (!star) {
                    fail(start, "unterminated /* comment");
                    return;
                }
                p = static_cast<const char*>(star) + 1;
                if (p < m_end && *p == '/') break;
            }
            m_pos = p + 1;
            continue;
        }
        return;
    }
}

JsonType JsonCursor::peek() {
    skipSpace();
    if (m_pos >= m_end) {
        failUnexpected(m_pos, "a value");
        return JsonType::Null;  // after an error: reading null ends any loop
    }
    switch (*m_pos) {
    case '{': return JsonType::Object;
    case '[': return JsonType::Array;
    case '"': return JsonType::String;
    case 't': return JsonType::True;
    case 'f': return JsonType::False;
    case 'n': return JsonType::Null;
    case '-':
    case 'N':
    case 'I':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': return JsonType::Number;
    default: failUnexpected(m_pos, "a value"); return JsonType::Null;
    }
}

void JsonCursor::beginObject() {
    skipSpace();
    if (m_pos >= m_end || *m_pos != '{') return failUnexpected(m_pos, "'{'");
    ++m_pos;
}

bool JsonCursor::nextKey(bool& first, std::string_view& key) {
    skipSpace();
    if (m_pos >= m_end) {
        failUnexpected(m_pos, first ? "a key or '}'" : "',' or '}'");
        return false;
    }
    if (*m_pos == '}') {
        ++m_pos;
        return false;
    }
    if (!first) {
        if (*m_pos != ',') {
            failUnexpected(m_pos, "',' or '}' after an object member");
            return false;
        }
        ++m_pos;
        skipSpace();
        if (m_pos < m_end && *m_pos == '}') {
            fail(m_pos, "trailing comma before '}'");
            return false;
        }
    }
    if (m_pos >= m_end || *m_pos != '"') {
        failUnexpected(m_pos, "a key in double quotes");
        return false;
    }
    m_keyRawBegin = m_pos;
    key = parseString(m_keyBuffer);
    m_keyRawEnd = m_pos;
    skipSpace();
    if (m_pos >= m_end || *m_pos != ':') {
        failUnexpected(m_pos, "':' after the key");
        return false;
    }
    ++m_pos;
    first = false;
    return true;
}

bool JsonCursor::nextKey(bool& first, std::string_view& key, std::string_view expectedQuoted, bool& guessed) {
    guessed = false;
    skipSpace();
    const char* p = m_pos;
    if (!first) {
        if (p >= m_end || *p != ',') return nextKey(first, key);
        ++p;
        while (p < m_end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
    }
    const std::size_t n = expectedQuoted.size();
    if (n >= 2 && static_cast<std::size_t>(m_end - p) > n && sameBytes(p, expectedQuoted.data(), n) && p[n] == ':') {
        key = expectedQuoted.substr(1, n - 2);
        m_pos = p + n + 1;
        first = false;
        guessed = true;
        return true;
    }
    return nextKey(first, key);
}

void JsonCursor::beginArray() {
    skipSpace();
    if (m_pos >= m_end || *m_pos != '[') return failUnexpected(m_pos, "'['");
    ++m_pos;
}

bool JsonCursor::nextElement(bool& first) {
    skipSpace();
    if (m_pos >= m_end) {
        failUnexpected(m_pos, first ? "a value or ']'" : "',' or ']'");
        return false;
    }
    if (*m_pos == ']') {
        ++m_pos;
        return false;
    }
    if (!first) {
        if (*m_pos != ',') {
            failUnexpected(m_pos, "',' or ']' after an array element");
            return false;
        }
        ++m_pos;
        skipSpace();
        if (m_pos < m_end && *m_pos == ']') {
            fail(m_pos, "trailing comma before ']'");
            return false;
        }
    }
    first = false;
    return true;
}

double JsonCursor::parseNonFinite(bool negative) {
    if (m_end - m_pos >= 3 && std::memcmp(m_pos, "NaN", 3) == 0 && !negative) {
        m_pos += 3;
        return std::numeric_limits<double>::quiet_NaN();
    }
    if (m_end - m_pos >= 8 && std::memcmp(m_pos, "Infinity", 8) == 0) {
        m_pos += 8;
        return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    }
    // Only NaN and Infinity start a value with N or I: anything else is no JSON value at all.
    failUnexpected(m_pos, negative ? "a number" : "a JSON value");
    return 0;
}

double JsonCursor::readNumber() {
    skipSpace();
    const char* start = m_pos;
    const char* p = m_pos;
    bool negative = false;
    if (p < m_end && *p == '-') {
        negative = true;
        ++p;
    }
    if (p < m_end && (*p == 'N' || *p == 'I')) {
        m_pos = p;
        return parseNonFinite(negative);
    }
    if (p >= m_end || !isDigit(*p)) {
        failUnexpected(p, "a digit");
        return 0;
    }

    // Validate the JSON grammar while collecting the digits. With more than 19 digits the
    // mantissa may overflow: then std::from_chars does the conversion.
    std::uint64_t mantissa = 0;
    int exponent = 0;  // decimal exponent applied to mantissa
    const char* digitsStart = p;
    if (*p == '0') {
        ++p;
        if (p < m_end && isDigit(*p)) {
            fail(p, "leading zeros are not allowed in a number");
            return 0;
        }
    } else {
        p = parseDigits(p, m_end, mantissa);
    }
    std::ptrdiff_t digitCount = p - digitsStart;
    if (p < m_end && *p == '.') {
        ++p;
        const char* fractionStart = p;
        p = parseDigits(p, m_end, mantissa);
        if (p == fractionStart) {
            failUnexpected(p, "a digit after the decimal point");
            return 0;
        }
        exponent = -static_cast<int>(std::min<std::ptrdiff_t>(p - fractionStart, 100000));
        digitCount += p - fractionStart;
    }
    const bool tooLong = digitCount > 19;
    if (p < m_end && (*p == 'e' || *p == 'E')) {
        ++p;
        bool expNegative = false;
        if (p < m_end && (*p == '+' || *p == '-')) expNegative = *p++ == '-';
        if (p >= m_end || !isDigit(*p)) {
            failUnexpected(p, "a digit in the exponent");
            return 0;
        }
        int e = 0;
        while (p < m_end && isDigit(*p)) {
            if (e < 100000) e = e * 10 + (*p - '0');
            ++p;
        }
        exponent += expNegative ? -e : e;
    }
    m_pos = p;

    constexpr std::uint64_t kMaxExact = std::uint64_t{1} << 53;
    if (!tooLong && mantissa <= kMaxExact && exponent >= -22 && exponent <= 22) {
        // Clinger's fast path: both operands exact, so the one rounding is correct.
        double v = static_cast<double>(mantissa);
        v = exponent < 0 ? v / kExactPow10[-exponent] : v * kExactPow10[exponent];
        return negative ? -v : v;
    }
#if defined(__x86_64__) && LDBL_MANT_DIG == 64
    if (!tooLong && exponent >= -27 && exponent <= 27) {
        // Epoch timestamps have 17 digits: too many for the double fast path, but exact in the
        // x87 64-bit significand, as is 10^27. One correctly rounded long double operation,
        // then a second rounding to double, which is only wrong when the long double lands
        // exactly on a midpoint between two doubles (low 11 bits 0x400): then use from_chars.
        static constexpr long double kPow10L[] = {1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
                                                  1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
                                                  1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};
        long double r = static_cast<long double>(mantissa);
        r = exponent < 0 ? r / kPow10L[-exponent] : r * kPow10L[exponent];
        std::uint64_t significand;
        std::memcpy(&significand, &r, sizeof significand);
        if ((significand & 0x7ff) != 0x400 && r != 0) {
            const double v = static_cast<double>(r);
            return negative ? -v : v;
        }
    }
#endif
    double v = 0;
    auto [ptr, ec] = std::from_chars(start, p, v);
    if (ec == std::errc::result_out_of_range) {
        // Like Python: too big is infinite, too small is zero.
        bool big = exponent > 0;
        v = big ? std::numeric_limits<double>::infinity() : 0.0;
        return negative ? -v : v;
    }
    if (ec != std::errc() || ptr != p) {
        fail(start, "invalid number");
        return 0;
    }
    return v;
}

std::string_view JsonCursor::parseString(std::string& buffer) {
    const char* open = m_pos;  // at '"'
    const char* p = m_pos + 1;
    const char* start = p;
#ifdef __SSE2__
    // Find the first '"', '\\' or control character 16 bytes at a time.
    while (m_end - p >= 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i special = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('"')), _mm_cmpeq_epi8(chunk, _mm_set1_epi8('\\'))),
            // c < 0x20 as unsigned: (c ^ 0x80) < (0x20 ^ 0x80) as signed
            _mm_cmplt_epi8(_mm_xor_si128(chunk, _mm_set1_epi8(static_cast<char>(0x80))),
                           _mm_set1_epi8(static_cast<char>(0x20 ^ 0x80))));
        // Bytes >= 0x80 (UTF-8 to validate) also leave the fast scan.
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special) | _mm_movemask_epi8(chunk));
        if (mask) {
            p += __builtin_ctz(mask);
            break;
        }
        p += 16;
    }
#endif
    for (;;) {
        if (p >= m_end) return failString(open, "unterminated string (the file is truncated?)");
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c == '"') {
            m_pos = p + 1;
            return {start, static_cast<std::size_t>(p - start)};
        }
        if (c == '\\' || c >= 0x80) break;
        if (c < 0x20) return failString(p, "control character " + describeByte(*p) + " in a string (escape it)");
        ++p;
    }
    buffer.assign(start, p);
    for (;;) {
        if (p >= m_end) return failString(open, "unterminated string (the file is truncated?)");
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c == '"') {
            m_pos = p + 1;
            return buffer;
        }
        if (c < 0x20) return failString(p, "control character " + describeByte(*p) + " in a string (escape it)");
        if (c >= 0x80) {
            // Keep valid UTF-8; an invalid byte becomes U+FFFD, so that the model only holds
            // text that can be written back (Python refuses such files outright).
            const int len = jsontext::utf8SequenceLength(reinterpret_cast<const unsigned char*>(p),
                                                         reinterpret_cast<const unsigned char*>(m_end));
            if (len > 0) {
                buffer.append(p, static_cast<std::size_t>(len));
                p += len;
            } else {
                buffer.append("\xef\xbf\xbd");
                ++p;
            }
            continue;
        }
        if (c != '\\') {
            buffer.push_back(static_cast<char>(c));
            ++p;
            continue;
        }
        const char* escape = p++;
        if (p >= m_end) return failString(open, "unterminated string (the file is truncated?)");
        switch (*p++) {
        case '"': buffer.push_back('"'); break;
        case '\\': buffer.push_back('\\'); break;
        case '/': buffer.push_back('/'); break;
        case 'b': buffer.push_back('\b'); break;
        case 'f': buffer.push_back('\f'); break;
        case 'n': buffer.push_back('\n'); break;
        case 'r': buffer.push_back('\r'); break;
        case 't': buffer.push_back('\t'); break;
        case 'u': {
            constexpr std::uint32_t kBadHex = 0xffffffff;
            auto hex4 = [&](const char* at) -> std::uint32_t {
                if (m_end - at < 4) return kBadHex;
                std::uint32_t v = 0;
                for (int i = 0; i < 4; ++i) {
                    char h = at[i];
                    v <<= 4;
                    if (h >= '0' && h <= '9') v |= static_cast<std::uint32_t>(h - '0');
                    else if (h >= 'a' && h <= 'f') v |= static_cast<std::uint32_t>(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F') v |= static_cast<std::uint32_t>(h - 'A' + 10);
                    else return kBadHex;
                }
                return v;
            };
            auto badHex = [&](const char* at) {
                return failString(escape, m_end - at < 4 ? "incomplete \\u escape" : "invalid \\u escape");
            };
            std::uint32_t cp = hex4(p);
            if (cp == kBadHex) return badHex(p);
            p += 4;
            if (cp >= 0xd800 && cp <= 0xdbff && m_end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                std::uint32_t low = hex4(p + 2);
                if (low == kBadHex) return badHex(p + 2);
                if (low >= 0xdc00 && low <= 0xdfff) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    p += 6;
                }
            }
            if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;  // lone surrogate
            appendUtf8(buffer, cp);
            break;
        }
        default: return failString(escape, "invalid escape " + describeByte(p[-1]) + " in a string");
        }
    }
}

std::string_view JsonCursor::readString() {
    skipSpace();
    if (m_pos >= m_end || *m_pos != '"') {
        failUnexpected(m_pos, "a string");
        return {};
    }
    return parseString(m_stringBuffer);
}

void JsonCursor::expectLiteral(std::string_view word) {
    if (static_cast<std::size_t>(m_end - m_pos) < word.size() || std::memcmp(m_pos, word.data(), word.size()) != 0)
        return failUnexpected(m_pos, ("'" + std::string(word) + "'").c_str());
    m_pos += word.size();
}

bool JsonCursor::readBool() {
    if (peek() == JsonType::True) {
        expectLiteral("true");
        return true;
    }
    expectLiteral("false");
    return false;
}

void JsonCursor::readNull() {
    skipSpace();
    expectLiteral("null");
}

void JsonCursor::skipValue() { skipValueAt(0); }

void JsonCursor::skipValueAt(int depth) {
    switch (peek()) {
    case JsonType::Object: {
        if (depth >= kMaxDepth) return fail(m_pos, "nesting deeper than 512 levels");
        beginObject();
        std::string_view key;
        for (bool first = true; nextKey(first, key);) skipValueAt(depth + 1);
        break;
    }
    case JsonType::Array: {
        if (depth >= kMaxDepth) return fail(m_pos, "nesting deeper than 512 levels");
        beginArray();
        for (bool first = true; nextElement(first);) skipValueAt(depth + 1);
        break;
    }
    case JsonType::String: parseString(m_stringBuffer); break;
    case JsonType::Number: readNumber(); break;
    case JsonType::True: expectLiteral("true"); break;
    case JsonType::False: expectLiteral("false"); break;
    case JsonType::Null: expectLiteral("null"); break;
    }
}

void JsonCursor::copyValueCompact(std::string& out) { copyValueAt(out, 0); }

void JsonCursor::copyValueAt(std::string& out, int depth) {
    const JsonType type = peek();
    const char* start = m_pos;
    switch (type) {
    case JsonType::Object: {
        if (depth >= kMaxDepth) return fail(m_pos, "nesting deeper than 512 levels");
        beginObject();
        out.push_back('{');
        std::string_view key;
        for (bool first = true; nextKey(first, key);) {
            if (out.back() != '{') out.push_back(',');
            // The key's source text is valid JSON as it stands.
            out.append(m_keyRawBegin, m_keyRawEnd);
            out.push_back(':');
            copyValueAt(out, depth + 1);
        }
        out.push_back('}');
        return;
    }
    case JsonType::Array: {
        if (depth >= kMaxDepth) return fail(m_pos, "nesting deeper than 512 levels");
        beginArray();
        out.push_back('[');
        for (bool first = true; nextElement(first);) {
            if (out.back() != '[') out.push_back(',');
            copyValueAt(out, depth + 1);
        }
        out.push_back(']');
        return;
    }
    case JsonType::Number: {
        double v = readNumber();
        if (m_failed) return;  // m_pos is at the end now: copy nothing
        if (std::isfinite(v)) out.append(start, m_pos);
        else out.append("null");  // NaN/Infinity are not JSON: other readers choke on them
        return;
    }
    case JsonType::String: {
        const std::string_view text = parseString(m_stringBuffer);
        const bool sameAsSource = text.data() == start + 1;  // no escapes, valid UTF-8
        if (sameAsSource) {
            out.append(start, m_pos);
            return;
        }
        jsontext::appendJsonString(out, text);
        return;
    }
    default:
        skipValueAt(depth);
        if (m_failed) return;
        out.append(start, m_pos);
        return;
    }
}

void JsonCursor::expectEnd() {
    skipSpace();
    if (m_pos < m_end) fail(m_pos, "unexpected " + describeByte(*m_pos) + " after the end of the JSON value");
}

}  // namespace loadline::core::detail
