#pragma once
// The HTTP/1.x request parser of `loadline-cli serve`: it follows the framing of requests on one
// connection as bytes arrive and hands out complete requests (method, target, the headers the API
// needs, body). Framing and parsing are one thing here, so there is no second parser that could
// frame the same bytes differently (a front guard looking for CRLF CRLF while the parser behind it
// also took bare-LF lines let a 100 MiB body through). Limits are enforced on the header block and
// on the declared body length before any body byte is kept, and a caller's check (the bearer
// token) runs on the header block before any body byte is accepted.
//
// Accepted syntax (RFC 9112): request line `METHOD SP target SP HTTP/1.0|HTTP/1.1`; header lines
// `name:value`, each line ending in CRLF or a bare LF (RFC 9112 §2.2 lets a recipient accept a bare
// LF); the block ends with an empty line. Refused: obsolete line folding, whitespace before the
// colon, control characters, a bare CR, Transfer-Encoding (411: send Content-Length),
// unparsable or conflicting Content-Length, other HTTP versions (505).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <optional>
#include <utility>

#include "core/base/result.h"

namespace loadline::core::serve {

struct FramingLimits {
    std::size_t maxHeaderBytes = 64 * 1024;
    std::size_t maxBodyBytes = 1024 * 1024;
};

/** What the parser decided: a value means "go on"; an error (kind Refused) carries the HTTP
 *  status to answer with (httpStatus), the message for the JSON error body, and the field that
 *  was wrong: "body", "headers", "Content-Length", "Transfer-Encoding", ... */
using FramingVerdict = Status;

/** A request's line and the headers the server needs; known once its header block is complete. */
struct RequestHead {
    std::string method;   // as sent: "GET", "POST", ...
    std::string target;   // as sent: "/path?query" (or an absolute URI)
    std::string version;  // "HTTP/1.0" or "HTTP/1.1"
    std::string authorization;
    std::uint64_t contentLength = 0;
    bool wantsClose = false;  // "Connection: close", or HTTP/1.0 without "keep-alive" (RFC 9112 §9.3)
};

struct FramedRequest {
    RequestHead head;
    std::string body;
};

/**
 * Incremental request parser for one connection (keep-alive and pipelining included).
 * feed() sees every byte once, in order; complete requests queue up for takeRequest().
 * After a refusal it stays refused; after a request that asked to close, later bytes are ignored.
 */
class RequestFramer {
public:
    /** Runs when a request's header block is complete, before any of its body is accepted; a
     *  non-ok verdict refuses the request (and the connection). */
    using HeadCheck = std::function<FramingVerdict(const RequestHead&)>;

    explicit RequestFramer(FramingLimits limits = {}) : m_limits(limits) {}
    void setHeadCheck(HeadCheck check) { m_check = std::move(check); }

    FramingVerdict feed(std::string_view bytes);

    bool hasRequest() const { return !m_ready.empty(); }
    std::size_t readyRequests() const { return m_ready.size(); }
    FramedRequest takeRequest();

    /** Requests whose header blocks were complete so far. */
    std::uint64_t requestsSeen() const { return m_requests; }
    bool refused() const { return m_refused.has_value(); }
    /** Some bytes of a request not yet complete are held (a deadline runs for it). */
    bool midRequest() const { return m_state == State::Body || !m_head.empty(); }
    /** Inside a header block (as opposed to a body). */
    bool inHeaders() const { return m_state == State::Headers && !m_head.empty(); }
    /** A request asked to close after its response; bytes after it are ignored. Sticks. */
    bool wantsClose() const { return m_wantsClose; }
    /** That request has arrived whole: nothing more will be parsed on this connection. */
    bool finished() const { return m_wantsClose && m_state == State::Headers; }
    /** The last complete header block asked for "Expect: 100-continue" and was accepted; reading
     *  it clears it (the caller sends "100 Continue" so the client sends its body at once). */
    bool takeContinue() { return std::exchange(m_continue, false); }

private:
    FramingVerdict refuse(int status, std::string field, std::string message);
    FramingVerdict headersComplete();

    FramingLimits m_limits;
    HeadCheck m_check;
    enum class State { Headers, Body } m_state = State::Headers;
    std::string m_head;         // the header block so far (bounded by maxHeaderBytes)
    std::size_t m_scanned = 0;  // bytes of m_head already searched for line ends
    FramedRequest m_current;    // the request whose body is arriving
    std::deque<FramedRequest> m_ready;
    std::uint64_t m_requests = 0;
    std::optional<Error> m_refused;
    bool m_wantsClose = false;
    bool m_continue = false;
};

/** Content-Length value of a header block, parsed strictly (digits only); -1 when invalid. */
long long parseContentLength(std::string_view value);

}  // namespace loadline::core::serve
