#include "core/serve/requestframer.h"

#include <algorithm>
#include <cctype>

namespace loadline::core::serve {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

long long parseContentLength(std::string_view value) {
    value = trim(value);
    if (value.empty() || value.size() > 18) return -1;  // 18 digits cannot overflow
    long long n = 0;
    for (char c : value) {
        if (c < '0' || c > '9') return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

FramingVerdict RequestFramer::refuse(int status, std::string field, std::string message) {
    m_refused = {status, std::move(message), std::move(field)};
    return m_refused;
}

FramingVerdict RequestFramer::feed(std::string_view bytes) {
    if (refused()) return m_refused;
    while (!bytes.empty()) {
        if (m_state == State::Body) {
            std::uint64_t take = std::min<std::uint64_t>(m_bodyLeft, bytes.size());
            m_bodyLeft -= take;
            bytes.remove_prefix(static_cast<std::size_t>(take));
            if (m_bodyLeft == 0) m_state = State::Headers;
            continue;
        }
        // Headers: skip blank lines between pipelined requests (RFC 9112 §2.2), then look for
        // the end of the header block. Search only the new bytes plus 3 bytes of overlap.
        if (m_head.empty()) {
            while (!bytes.empty() && (bytes.front() == '\r' || bytes.front() == '\n')) bytes.remove_prefix(1);
            if (bytes.empty()) break;
        }
        std::size_t searchFrom = m_head.size() >= 3 ? m_head.size() - 3 : 0;
        std::size_t room = m_limits.maxHeaderBytes + 1 - std::min(m_head.size(), m_limits.maxHeaderBytes + 1);
        std::size_t take = std::min(room, bytes.size());
        m_head.append(bytes.substr(0, take));
        std::size_t end = m_head.find("\r\n\r\n", searchFrom);
        if (end == std::string::npos) {
            if (m_head.size() > m_limits.maxHeaderBytes)
                return refuse(431, "headers", "request headers exceed " + std::to_string(m_limits.maxHeaderBytes) + " bytes");
            bytes.remove_prefix(take);
            continue;
        }
        // Bytes after the header block belong to the body (or the next request).
        std::size_t headEnd = end + 4;
        std::size_t usedOfThese = take - (m_head.size() - headEnd);
        m_head.resize(headEnd);
        bytes.remove_prefix(usedOfThese);
        if (auto v = headersComplete(); !v) return v;
    }
    return {};
}

FramingVerdict RequestFramer::headersComplete() {
    ++m_requests;
    std::string_view head(m_head);
    long long contentLength = 0;
    bool haveLength = false;
    std::size_t lineStart = head.find("\r\n");
    const bool http10 = lineStart != std::string_view::npos && lineStart >= 8 && head.substr(lineStart - 8, 8) == "HTTP/1.0";
    bool close = false, keepAlive = false;
    while (lineStart != std::string_view::npos && lineStart + 2 < head.size()) {
        std::size_t lineEnd = head.find("\r\n", lineStart + 2);
        if (lineEnd == std::string_view::npos) break;
        std::string_view line = head.substr(lineStart + 2, lineEnd - lineStart - 2);
        lineStart = lineEnd;
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view name = line.substr(0, colon);
        std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "transfer-encoding")) {
            // A chunked body's length is unknown up front; asking for Content-Length keeps the
            // limit exact and the guard small (RFC 9110 §15.5.12 allows refusing with 411).
            return refuse(411, "Transfer-Encoding", "Transfer-Encoding is not accepted; send Content-Length (at most " +
                                   std::to_string(m_limits.maxBodyBytes) + " bytes)");
        }
        if (iequals(name, "connection")) {
            // A comma-separated list of options: "close", "keep-alive", header names.
            for (std::size_t at = 0; at <= value.size();) {
                std::size_t comma = value.find(',', at);
                if (comma == std::string_view::npos) comma = value.size();
                const std::string_view option = trim(value.substr(at, comma - at));
                close = close || iequals(option, "close");
                keepAlive = keepAlive || iequals(option, "keep-alive");
                at = comma + 1;
            }
        }
        if (iequals(name, "content-length")) {
            long long n = parseContentLength(value);
            if (n < 0) return refuse(400, "Content-Length", "invalid Content-Length header");
            if (haveLength && n != contentLength) return refuse(400, "Content-Length", "conflicting Content-Length headers");
            contentLength = n;
            haveLength = true;
        }
    }
    if (static_cast<unsigned long long>(contentLength) > m_limits.maxBodyBytes)
        return refuse(413, "body", "request body of " + std::to_string(contentLength) + " bytes exceeds the limit of " +
                               std::to_string(m_limits.maxBodyBytes) + " bytes");
    if (close || (http10 && !keepAlive)) m_wantsClose = true;
    m_head.clear();
    m_bodyLeft = static_cast<std::uint64_t>(contentLength);
    m_state = m_bodyLeft ? State::Body : State::Headers;
    return {};
}

}  // namespace loadline::core::serve
