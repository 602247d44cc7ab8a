#pragma once
// The text writer behind every py-perf file loadline saves: json.dump(indent=2)'s layout, Python's
// float repr, UTF-8 made valid. Internal to core/format (recordingwriter, timelinetext,
// timelinecheckpoint); not part of the public API.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/format/jsonstring.h"
#include "core/timeline/timeline.h"

namespace loadline::core::jsontext {

/** Takes the text in chunks (a file being written); false when writing failed. */
using ChunkSink = std::function<bool(std::string_view)>;

class TextWriter {
public:
    /** sink, when set, takes the text every few MB (then out is cleared): saving streams. */
    explicit TextWriter(std::string& out, const ChunkSink* sink = nullptr) : m_out(out), m_sink(sink) {}

    /** Hands a full buffer to the sink; called between samples. */
    void maybeFlush() {
        if (m_sink && m_out.size() >= kChunk) flush();
    }
    void flush() {
        if (!m_sink || m_failed) return;
        if (!(*m_sink)(m_out)) m_failed = true;
        m_out.clear();
    }
    bool failed() const { return m_failed; }
    /** Text that is ready as it is (a cache): straight to the sink after what is buffered. */
    void passThrough(std::string_view text) {
        if (!m_sink) {
            m_out.append(text);
            return;
        }
        flush();
        if (!m_failed && !(*m_sink)(text)) m_failed = true;
    }

    void newline(int depth) {
        m_out.push_back('\n');
        m_out.append(static_cast<std::size_t>(depth) * 2, ' ');
    }

    void string(std::string_view s) { appendJsonString(m_out, s); }

    /** A double as Python's repr writes a float (shortest round trip, ".0" on whole numbers). */
    void number(double v, bool asInteger = false) {
        if (!std::isfinite(v)) {  // NaN/Infinity are not JSON; missing values never get here
            m_out.append("null");
            return;
        }
        char buf[64];
        if (asInteger && v == std::trunc(v) && std::fabs(v) < 9007199254740992.0) {
            auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
            m_out.append(buf, r.ptr);
            return;
        }
        appendPythonRepr(v);
    }

    /**
     * Python's repr of a float: the shortest digits that read back exactly, in fixed notation
     * when the decimal exponent is in [-4, 16), else as 1.5e+16 / 1e-05.
     */
    void appendPythonRepr(double v) {
        char sci[64];
        auto r = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
        std::string_view text(sci, static_cast<std::size_t>(r.ptr - sci));
        const std::size_t e = text.find('e');
        int exponent = 0;
        const char* expStart = sci + e + 1;
        const bool negativeExp = *expStart == '-';
        if (*expStart == '+' || *expStart == '-') ++expStart;
        std::from_chars(expStart, r.ptr, exponent);
        if (negativeExp) exponent = -exponent;
        if (exponent < -4 || exponent >= 16) {
            m_out.append(text);
            return;
        }
        std::string_view mantissa = text.substr(0, e);
        if (mantissa.front() == '-') {
            m_out.push_back('-');
            mantissa.remove_prefix(1);
        }
        char digits[32];
        std::size_t n = 0;
        for (char c : mantissa)
            if (c != '.') digits[n++] = c;
        if (exponent < 0) {
            m_out.append("0.");
            m_out.append(static_cast<std::size_t>(-exponent - 1), '0');
            m_out.append(digits, n);
            return;
        }
        const std::size_t intDigits = static_cast<std::size_t>(exponent) + 1;
        if (n <= intDigits) {
            m_out.append(digits, n);
            m_out.append(intDigits - n, '0');
            m_out.append(".0");
        } else {
            m_out.append(digits, intDigits);
            m_out.push_back('.');
            m_out.append(digits + intDigits, n - intDigits);
        }
    }

    void key(std::string_view k, int depth, bool& first) {
        m_out.push_back(first ? '{' : ',');
        first = false;
        newline(depth);
        string(k);
        m_out.append(": ");
    }
    void closeObject(int depth, bool first) {
        if (first) {
            m_out.append("{}");
            return;
        }
        newline(depth - 1);
        m_out.push_back('}');
    }

    /** A raw JSON value (ExtraFields), re-indented to sit at this depth. */
    void raw(std::string_view json, int depth) {
        auto value = nlohmann::ordered_json::parse(json, nullptr, false, true);
        if (value.is_discarded()) {
            m_out.append("null");
            return;
        }
        std::string text = value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        const std::string indent = "\n" + std::string(static_cast<std::size_t>(depth) * 2, ' ');
        for (char c : text) {
            if (c == '\n') m_out.append(indent);
            else m_out.push_back(c);
        }
    }

    void extras(const ExtraFields& extra, int depth, bool& first) {
        for (const auto& [k, v] : extra) {
            key(k, depth, first);
            raw(v, depth);
        }
    }

    std::string& out() { return m_out; }

private:
    static constexpr std::size_t kChunk = 4u << 20;
    std::string& m_out;
    const ChunkSink* m_sink;
    bool m_failed = false;
};

}  // namespace loadline::core::jsontext
