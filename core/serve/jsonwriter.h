#pragma once
// A small streaming JSON writer into a reused std::string: no DOM, no allocation once the
// string has grown, so the sampler thread can serialize every tick for free. NaN and infinities
// are written as null (JSON has no NaN); text is made valid UTF-8 (bad bytes become U+FFFD),
// since /proc names and command lines are arbitrary bytes.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/format/jsonstring.h"

namespace loadline::core::serve {

using jsontext::appendJsonString;
using jsontext::appendUtf8Sanitized;

class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : m_out(out) {}

    JsonWriter& beginObject() {
        separate();
        m_out += '{';
        push();
        return *this;
    }
    JsonWriter& endObject() {
        m_out += '}';
        pop();
        return *this;
    }
    JsonWriter& beginArray() {
        separate();
        m_out += '[';
        push();
        return *this;
    }
    JsonWriter& endArray() {
        m_out += ']';
        pop();
        return *this;
    }
    /** The key of the next value inside an object. */
    JsonWriter& key(std::string_view k);

    JsonWriter& value(double v);
    JsonWriter& value(std::int64_t v);
    JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
    JsonWriter& value(std::uint64_t v);
    JsonWriter& value(bool v) {
        separate();
        m_out += v ? "true" : "false";
        return *this;
    }
    JsonWriter& value(std::string_view s) {
        separate();
        appendJsonString(m_out, s);
        return *this;
    }
    JsonWriter& value(const char* s) { return value(std::string_view(s ? s : "")); }
    JsonWriter& null() {
        separate();
        m_out += "null";
        return *this;
    }

    template <class T>
    JsonWriter& field(std::string_view k, T v) {
        key(k);
        return value(v);
    }

private:
    void separate();
    void push() {
        if (m_depth < kMaxDepth) m_first[m_depth] = true;
        ++m_depth;
        m_afterKey = false;
    }
    void pop() {
        if (m_depth > 0) --m_depth;
        m_afterKey = false;
    }

    static constexpr int kMaxDepth = 32;
    std::string& m_out;
    bool m_first[kMaxDepth] = {};
    int m_depth = 0;
    bool m_afterKey = false;
};

}  // namespace loadline::core::serve
