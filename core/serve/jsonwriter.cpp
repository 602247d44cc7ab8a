#include "core/serve/jsonwriter.h"

#include <charconv>
#include <cmath>

namespace loadline::core::serve {

void JsonWriter::separate() {
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (m_depth > 0 && m_depth <= kMaxDepth) {
        if (!m_first[m_depth - 1]) m_out += ',';
        m_first[m_depth - 1] = false;
    }
}

JsonWriter& JsonWriter::key(std::string_view k) {
    separate();
    appendJsonString(m_out, k);
    m_out += ':';
    m_afterKey = true;
    return *this;
}

JsonWriter& JsonWriter::value(double v) {
    separate();
    if (!std::isfinite(v)) {
        m_out += "null";
        return *this;
    }
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_out.append(buf, r.ptr);
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
    separate();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_out.append(buf, r.ptr);
    return *this;
}

JsonWriter& JsonWriter::value(std::uint64_t v) {
    separate();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_out.append(buf, r.ptr);
    return *this;
}

}  // namespace loadline::core::serve
