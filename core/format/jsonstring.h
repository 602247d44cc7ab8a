#pragma once
// JSON string literals and UTF-8, one implementation for every writer in core: py-perf files
// (jsontextwriter.h), the loader's kept-as-text unknown keys (jsoncursor) and the HTTP API
// (serve/jsonwriter). /proc names and command lines are arbitrary bytes, JSON text must be
// UTF-8: invalid bytes become U+FFFD.
#include <cstddef>
#include <string>
#include <string_view>

namespace loadline::core::jsontext {

/** Length of the valid UTF-8 sequence at p (1 for ASCII), or 0 when the bytes there are not one
 *  (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
int utf8SequenceLength(const unsigned char* p, const unsigned char* end);

inline std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
    const auto* base = reinterpret_cast<const unsigned char*>(s.data());
    return static_cast<std::size_t>(utf8SequenceLength(base + i, base + s.size()));
}

/** Appends the UTF-8 sequence at s[i], or U+FFFD for one byte that starts none; returns the bytes used. */
std::size_t appendUtf8At(std::string& out, std::string_view s, std::size_t i);

/** Appends s with every byte that is not part of valid UTF-8 replaced by U+FFFD. */
void appendUtf8Sanitized(std::string& out, std::string_view s);

/**
 * Appends s as a JSON string literal, quotes included, as Python's json.dumps(ensure_ascii=False)
 * writes it: \" \\ \n \r \t \b \f, other control characters as \u00XX, valid UTF-8 as it is,
 * and U+FFFD for invalid bytes.
 */
void appendJsonString(std::string& out, std::string_view s);

}  // namespace loadline::core::jsontext
