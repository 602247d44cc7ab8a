#include "core/serve/requestframer.h"

#include <algorithm>
#include <cctype>

namespace loadline::core::serve {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// RFC 9110 §5.6.2 token characters (method and header names).
bool isTchar(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
    }
}

bool isToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), isTchar); }

// A header value may hold visible characters, spaces, tabs and obs-text; no other control bytes.
bool isFieldValue(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == '\t' || (u >= 0x20 && u != 0x7f);
    });
}

bool isTarget(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u != 0x7f;
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
    m_head.clear();
    m_current = {};
    m_refused = failRefused(status, std::move(field), std::move(message)).value();
    return tl::unexpected<Error>(*m_refused);
}

FramedRequest RequestFramer::takeRequest() {
    FramedRequest r = std::move(m_ready.front());
    m_ready.pop_front();
    return r;
}

FramingVerdict RequestFramer::feed(std::string_view bytes) {
    if (refused()) return tl::unexpected<Error>(*m_refused);
    while (!bytes.empty()) {
        if (m_state == State::Body) {
            const std::uint64_t left = m_current.head.contentLength - m_current.body.size();
            const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(left, bytes.size()));
            m_current.body.append(bytes.substr(0, take));
            bytes.remove_prefix(take);
            if (m_current.body.size() == m_current.head.contentLength) {
                m_ready.push_back(std::move(m_current));
                m_current = {};
                m_state = State::Headers;
            }
            continue;
        }
        // The client asked to close after an earlier request: what follows is never answered.
        if (m_wantsClose) break;
        // Headers: skip blank lines before a request line (RFC 9112 §2.2), then look for the
        // empty line ending the block ("\n\n" or "\n\r\n": every line may end in CRLF or LF).
        if (m_head.empty()) {
            while (!bytes.empty() && (bytes.front() == '\r' || bytes.front() == '\n')) bytes.remove_prefix(1);
            if (bytes.empty()) break;
            m_scanned = 0;
        }
        const std::size_t room = m_limits.maxHeaderBytes + 1 - std::min(m_head.size(), m_limits.maxHeaderBytes + 1);
        const std::size_t take = std::min(room, bytes.size());
        m_head.append(bytes.substr(0, take));
        std::size_t end = std::string::npos;
        for (std::size_t p = m_head.find('\n', m_scanned); p != std::string::npos; p = m_head.find('\n', p + 1)) {
            if (p >= 1 && m_head[p - 1] == '\n') {
                end = p + 1;
                break;
            }
            if (p >= 2 && m_head[p - 1] == '\r' && m_head[p - 2] == '\n') {
                end = p + 1;
                break;
            }
        }
        if (end == std::string::npos) {
            m_scanned = m_head.size();
            if (m_head.size() > m_limits.maxHeaderBytes)
                return refuse(431, "headers",
                              "request headers exceed " + std::to_string(m_limits.maxHeaderBytes) + " bytes");
            bytes.remove_prefix(take);
            continue;
        }
        // Bytes after the header block belong to the body (or the next request).
        const std::size_t usedOfThese = take - (m_head.size() - end);
        m_head.resize(end);
        bytes.remove_prefix(usedOfThese);
        if (auto v = headersComplete(); !v) return v;
    }
    return {};
}

FramingVerdict RequestFramer::headersComplete() {
    ++m_requests;
    RequestHead head;
    std::string_view block(m_head);
    bool first = true, haveLength = false, haveAuth = false, close = false, keepAlive = false, expect = false;
    while (!block.empty()) {
        const std::size_t nl = block.find('\n');
        std::string_view line = block.substr(0, nl);
        block.remove_prefix(nl == std::string_view::npos ? block.size() : nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) break;  // the end of the block
        if (line.find('\r') != std::string_view::npos)
            return refuse(400, "headers", "a bare CR inside a request line or header line");
        if (first) {
            first = false;
            const std::size_t sp1 = line.find(' ');
            const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
            if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
                return refuse(400, "request line", "expected 'METHOD TARGET HTTP/1.1' as the request line");
            const std::string_view method = line.substr(0, sp1);
            const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
            const std::string_view version = line.substr(sp2 + 1);
            if (!isToken(method)) return refuse(400, "method", "the method is not an HTTP token");
            if (!isTarget(target))
                return refuse(400, "path", "the request target is empty or holds control characters");
            if (version != "HTTP/1.1" && version != "HTTP/1.0") {
                if (version.substr(0, 5) == "HTTP/")
                    return refuse(505, "version", "only HTTP/1.0 and HTTP/1.1 are served");
                return refuse(400, "version", "expected HTTP/1.1 at the end of the request line");
            }
            head.method = method;
            head.target = target;
            head.version = version;
            continue;
        }
        if (line.front() == ' ' || line.front() == '\t')
            return refuse(400, "headers", "obsolete line folding (a header line starting with whitespace)");
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) return refuse(400, "headers", "a header line without ':'");
        const std::string_view name = line.substr(0, colon);
        const std::string_view value = trim(line.substr(colon + 1));
        if (!isToken(name))
            return refuse(400, "headers", "a header name that is not an HTTP token (whitespace before ':'?)");
        if (!isFieldValue(value)) return refuse(400, std::string(name), "control characters in a header value");
        if (iequals(name, "transfer-encoding")) {
            // A chunked body's length is unknown up front; asking for Content-Length keeps the
            // limit exact and the parser small (RFC 9110 §15.5.12 allows refusing with 411).
            return refuse(411, "Transfer-Encoding",
                          "Transfer-Encoding is not accepted; send Content-Length (at most " +
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
        } else if (iequals(name, "content-length")) {
            const long long n = parseContentLength(value);
            if (n < 0) return refuse(400, "Content-Length", "invalid Content-Length header");
            if (haveLength && static_cast<std::uint64_t>(n) != head.contentLength)
                return refuse(400, "Content-Length", "conflicting Content-Length headers");
            head.contentLength = static_cast<std::uint64_t>(n);
            haveLength = true;
        } else if (iequals(name, "expect")) {
            expect = iequals(value, "100-continue");
        } else if (iequals(name, "authorization")) {
            if (haveAuth) return refuse(400, "Authorization", "more than one Authorization header");
            head.authorization = value;
            haveAuth = true;
        }
    }
    if (first) return refuse(400, "request line", "no request line");
    if (head.contentLength > m_limits.maxBodyBytes)
        return refuse(413, "body",
                      "request body of " + std::to_string(head.contentLength) + " bytes exceeds the limit of " +
                          std::to_string(m_limits.maxBodyBytes) + " bytes");
    head.wantsClose = close || (head.version == "HTTP/1.0" && !keepAlive);
    if (m_check)
        if (FramingVerdict v = m_check(head); !v)
            return refuse(v.error().httpStatus, std::move(v.error().field), std::move(v.error().message));
    if (head.wantsClose) m_wantsClose = true;
    m_continue = expect && head.contentLength > 0 && head.version == "HTTP/1.1";
    m_head.clear();
    m_current = {};
    m_current.head = std::move(head);
    if (m_current.head.contentLength == 0) {
        m_ready.push_back(std::move(m_current));
        m_current = {};
    } else {
        m_state = State::Body;  // no reserve: a declared length costs nothing until bytes arrive
    }
    return {};
}

}  // namespace loadline::core::serve
