#pragma once
// Follows the framing of HTTP/1.x requests on one connection as bytes arrive, before any
// HTTP library buffers them, so limits are enforced on the header block and the declared body
// length without ever holding more than the header limit. Qt HttpServer 6.4 buffers a whole
// request (headers and body) with no limit; this is the guard in front of it.
// Framing rules: RFC 9112 §6 (Content-Length, Transfer-Encoding).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace loadline::core::serve {

struct FramingLimits {
    std::size_t maxHeaderBytes = 64 * 1024;
    std::size_t maxBodyBytes = 1024 * 1024;
};

/** What the guard decided. status 0 means "go on"; otherwise the HTTP status to answer with. */
struct FramingVerdict {
    int status = 0;
    std::string message;  // for the JSON error body
    std::string field;    // what was wrong: "body", "headers", "Content-Length", "Transfer-Encoding"
    explicit operator bool() const { return status == 0; }
};

/**
 * Incremental request framer for one connection (keep-alive and pipelining included).
 * feed() sees every byte once, in order. After a refusal it stays refused.
 */
class RequestFramer {
public:
    explicit RequestFramer(FramingLimits limits = {}) : m_limits(limits) {}

    FramingVerdict feed(std::string_view bytes);
    /** Requests whose headers were complete so far. */
    std::uint64_t requestsSeen() const { return m_requests; }
    bool refused() const { return m_refused.status != 0; }
    /** The client asked to close after the response: "Connection: close", or HTTP/1.0 without
     *  "Connection: keep-alive" (RFC 9112 §9.3). Sticks once seen. */
    bool wantsClose() const { return m_wantsClose; }

private:
    FramingVerdict refuse(int status, std::string field, std::string message);
    FramingVerdict headersComplete();

    FramingLimits m_limits;
    enum class State { Headers, Body } m_state = State::Headers;
    std::string m_head;           // the header block so far (bounded by maxHeaderBytes)
    std::uint64_t m_bodyLeft = 0;  // bytes of the current body still to come
    std::uint64_t m_requests = 0;
    FramingVerdict m_refused;
    bool m_wantsClose = false;
};

/** Content-Length value of a header block, parsed strictly (digits only); -1 when invalid. */
long long parseContentLength(std::string_view value);

}  // namespace loadline::core::serve
