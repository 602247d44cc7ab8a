#pragma once
// A one-pass pull parser over JSON bytes in memory, made for big py-perf recordings: no DOM and
// no structural index (simdjson's index alone costs 4 bytes per token, about half the size of an
// indent=2 file), so values stream straight into the columns and peak memory stays near the
// size of the columns. It accepts what Python's json.load accepts (NaN, Infinity, -Infinity
// included) plus // and /* */ comments, which py-perf's own documented examples contain. Every error
// carries its byte offset, from which the loader reports FILE:LINE:COLUMN.
//
// Errors are sticky, not thrown: the first one is recorded (offset and message) and the cursor
// jumps to the end of its input, so every later read fails quietly and returns a neutral value
// (peek() says null, numbers read 0, strings are empty, nextKey/nextElement return false) and
// every loop over it ends at once. The caller checks failed() once, after the whole parse.
//
// Internal to core/format.

#include <cstddef>
#include <string>
#include <string_view>

namespace loadline::core::detail {

/** The first error of a parse: a byte offset of the input and what is wrong there. */
struct JsonError {
    std::size_t offset;
    std::string message;
};

enum class JsonType { Object, Array, String, Number, True, False, Null };

/** "an object", "a string", ... for messages like "expected a number, got a string". */
const char* describeJsonType(JsonType type);

/** 1-based line and column (in bytes) of a byte offset. */
struct TextPosition {
    int line = 1;
    int column = 1;
};
TextPosition positionOf(std::string_view text, std::size_t offset);

class JsonCursor {
public:
    JsonCursor(const char* data, std::size_t size) : m_begin(data), m_pos(data), m_end(data + size) {}

    std::size_t offset() const { return static_cast<std::size_t>(m_pos - m_begin); }
    std::size_t size() const { return static_cast<std::size_t>(m_end - m_begin); }

    /** The first error so far; error() is valid only when failed(). */
    bool failed() const { return m_failed; }
    const JsonError& error() const { return m_error; }
    /**
     * Records an error at a byte offset unless one is recorded already (the first one stands),
     * and moves to the end of the input, so that the parse winds down. The loader reports values
     * of the wrong shape (and cancellation) through here too.
     */
    [[gnu::cold]] void fail(std::size_t offset, std::string message);

    /** Type of the next value, after whitespace and comments. Fails at the end or a bad byte. */
    JsonType peek();

    /** Consumes '{'. Then: for (bool first = true; nextKey(first, key);) { read the value } */
    void beginObject();
    /** The next key of the object (the ':' consumed), or false after its '}'. */
    bool nextKey(bool& first, std::string_view& key);
    /**
     * nextKey with a guess: when the key's source text is exactly expectedQuoted ("key" with its
     * quotes, no escapes) it is matched by one compare and guessed is set. Samples repeat their
     * keys in the same order, so this skips most of the key scanning in big files.
     */
    bool nextKey(bool& first, std::string_view& key, std::string_view expectedQuoted, bool& guessed);
    /** Consumes '['. Then: for (bool first = true; nextElement(first);) { read the value } */
    void beginArray();
    /** True when another element follows, false after the ']'. */
    bool nextElement(bool& first);

    double readNumber();
    /** The unescaped string; valid until the next readString (keys have their own buffer). */
    std::string_view readString();
    bool readBool();
    void readNull();
    void skipValue();
    /** The next value as compact JSON: no whitespace or comments, NaN/Infinity become null. */
    void copyValueCompact(std::string& out);
    /** Only whitespace and comments may follow the top-level value. */
    void expectEnd();

private:
    void skipSpace() {
        // Most calls find a token right away: keep that check inline.
        if (m_pos<m_end&& static_cast<unsigned char>(*m_pos)> ' ' && *m_pos != '/') return;
        skipSpaceSlow();
    }
    void skipSpaceSlow();
    [[gnu::cold]] void fail(const char* at, std::string message);
    [[gnu::cold]] void failUnexpected(const char* at, const char* expected);
    std::string_view parseString(std::string& buffer);
    [[gnu::cold]] std::string_view failString(const char* at, std::string message);
    void expectLiteral(std::string_view word);
    double parseNonFinite(bool negative);
    void skipValueAt(int depth);
    void copyValueAt(std::string& out, int depth);

    const char* m_begin;
    const char* m_pos;
    const char* m_end;
    const char* m_keyRawBegin = nullptr;  // source text of the last key, quotes included
    const char* m_keyRawEnd = nullptr;
    std::string m_keyBuffer;
    std::string m_stringBuffer;
    bool m_failed = false;
    JsonError m_error;
};

}  // namespace loadline::core::detail
