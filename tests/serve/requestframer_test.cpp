#include "core/serve/requestframer.h"

#include <gtest/gtest.h>

#include <string>

using namespace loadline::core::serve;

namespace {
/** The HTTP status of a refusal; 0 when the framer goes on. */
int statusOf(const FramingVerdict& v) { return v ? 0 : v.error().httpStatus; }

std::string post(std::size_t bodyBytes) {
    return "POST /metrics/ HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(bodyBytes) + "\r\n\r\n" +
           std::string(bodyBytes, 'a');
}
}  // namespace

TEST(RequestFramer, AcceptsRequestsWithinLimits) {
    RequestFramer f;
    EXPECT_TRUE(f.feed("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_TRUE(f.feed(post(1024 * 1024)));
    EXPECT_EQ(f.requestsSeen(), 2u);
    EXPECT_FALSE(f.refused());
}

TEST(RequestFramer, RefusesDeclaredBodyOverLimitBeforeAnyBodyByte) {
    RequestFramer f;
    auto v = f.feed("POST /metrics/ HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n");
    EXPECT_EQ(statusOf(v), 413);
    EXPECT_NE(v.error().message.find("1048577"), std::string::npos);
    EXPECT_EQ(v.error().field, "body");
    EXPECT_TRUE(f.refused());
    EXPECT_EQ(statusOf(f.feed("more")), 413);  // stays refused
}

TEST(RequestFramer, FollowsKeepAliveAndPipelinedRequests) {
    RequestFramer f;
    // Two pipelined requests in one chunk; the second is too big.
    std::string both = post(10) + "POST /x HTTP/1.1\r\nContent-Length: 5000000\r\n\r\n";
    EXPECT_EQ(statusOf(f.feed(both)), 413);
    EXPECT_EQ(f.requestsSeen(), 2u);
}

TEST(RequestFramer, BodyBytesThatLookLikeHeadersAreSkipped) {
    RequestFramer f;
    std::string body = "\r\n\r\nContent-Length: 99999999\r\n\r\n";
    std::string req = "POST /x HTTP/1.1\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    EXPECT_TRUE(f.feed(req));
    EXPECT_TRUE(f.feed("GET / HTTP/1.1\r\n\r\n"));
    EXPECT_EQ(f.requestsSeen(), 2u);
}

TEST(RequestFramer, ByteAtATimeGivesTheSameVerdict) {
    RequestFramer f;
    std::string s = post(3) + "POST /x HTTP/1.1\r\ncontent-length: 2000000\r\n\r\n";
    FramingVerdict last;
    for (char c : s) {
        last = f.feed(std::string_view(&c, 1));
        if (!last) break;
    }
    EXPECT_EQ(statusOf(last), 413);
    EXPECT_EQ(f.requestsSeen(), 2u);
}

TEST(RequestFramer, RefusesHugeHeaderBlock) {
    RequestFramer f(FramingLimits{1024, 1024});
    std::string s = "GET / HTTP/1.1\r\nX-Big: " + std::string(2000, 'x');
    EXPECT_EQ(statusOf(f.feed(s)), 431);
}

TEST(RequestFramer, RefusesChunkedAndBadLengths) {
    EXPECT_EQ(statusOf(RequestFramer().feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")), 411);
    EXPECT_EQ(statusOf(RequestFramer().feed("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n")), 400);
    EXPECT_EQ(statusOf(RequestFramer().feed("POST / HTTP/1.1\r\nContent-Length: 1e9\r\n\r\n")), 400);
    EXPECT_EQ(statusOf(RequestFramer().feed("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n")),
              400);
    EXPECT_EQ(statusOf(RequestFramer().feed("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n")), 400);
    EXPECT_TRUE(RequestFramer().feed("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"));
}

TEST(ParseContentLength, StrictDigits) {
    EXPECT_EQ(parseContentLength("0"), 0);
    EXPECT_EQ(parseContentLength(" 42 "), 42);
    EXPECT_EQ(parseContentLength("+1"), -1);
    EXPECT_EQ(parseContentLength(""), -1);
    EXPECT_EQ(parseContentLength("12a"), -1);
}

TEST(RequestFramer, SeesWhenTheClientWantsTheConnectionClosed) {
    auto wantsClose = [](const std::string& request) {
        RequestFramer f;
        EXPECT_TRUE(f.feed(request));
        return f.wantsClose();
    };
    EXPECT_FALSE(wantsClose("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_TRUE(wantsClose("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    EXPECT_TRUE(wantsClose("GET / HTTP/1.1\r\nconnection: Upgrade, CLOSE\r\n\r\n"));
    EXPECT_TRUE(wantsClose("GET / HTTP/1.0\r\n\r\n"));
    EXPECT_FALSE(wantsClose("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    EXPECT_FALSE(wantsClose("GET / HTTP/1.1\r\nX-Connection: close\r\n\r\n"));
    // Sticks: a later keep-alive request on the same connection does not undo it.
    RequestFramer f;
    EXPECT_TRUE(f.feed("GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n"));
    EXPECT_TRUE(f.wantsClose());
}

// Every line may end in a bare LF (RFC 9112 §2.2): the parser frames such a block exactly as it
// parses it, so a bare-LF header block declaring 100 MiB is refused from its headers.
TEST(RequestFramer, BareLfHeaderBlocksAreFramedAndLimited) {
    RequestFramer f;
    EXPECT_EQ(statusOf(f.feed("POST /services/ HTTP/1.1\nContent-Length: 104857600\n\n")), 413);
    RequestFramer g;
    EXPECT_TRUE(g.feed("GET /a HTTP/1.1\nHost: x\n\nPOST /b HTTP/1.1\r\nContent-Length: 2\n\r\nhiGET /c HTTP/1.0\n\n"));
    ASSERT_EQ(g.readyRequests(), 3u);
    EXPECT_EQ(g.takeRequest().head.target, "/a");
    auto b = g.takeRequest();
    EXPECT_EQ(b.head.method, "POST");
    EXPECT_EQ(b.body, "hi");
    auto c = g.takeRequest();
    EXPECT_EQ(c.head.target, "/c");
    EXPECT_TRUE(c.head.wantsClose);
}

TEST(RequestFramer, RefusesWhatItCannotFrameUnambiguously) {
    EXPECT_EQ(statusOf(RequestFramer().feed("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n")), 400);          // line folding
    EXPECT_EQ(statusOf(RequestFramer().feed("GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\n")), 400);  // space before ':'
    EXPECT_EQ(statusOf(RequestFramer().feed("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n")), 400);             // bare CR
    EXPECT_EQ(statusOf(RequestFramer().feed("GET / HTTP/2.0\r\n\r\n")), 505);
    EXPECT_EQ(statusOf(RequestFramer().feed("GET  / HTTP/1.1\r\n\r\n")), 400);
    EXPECT_EQ(statusOf(RequestFramer().feed("GET / HTTP/1.1\r\nX: \x01\r\n\r\n")), 400);
}

TEST(RequestFramer, TheHeadCheckRunsBeforeAnyBodyByte) {
    RequestFramer f;
    std::string seenAuth;
    f.setHeadCheck([&](const RequestHead& h) {
        seenAuth = h.authorization;
        return h.authorization == "Bearer t"
                   ? FramingVerdict{}
                   : FramingVerdict(loadline::core::failRefused(401, "Authorization", "missing bearer token"));
    });
    EXPECT_EQ(statusOf(f.feed("POST /metrics/ HTTP/1.1\r\nContent-Length: 1000\r\n\r\n")), 401);
    EXPECT_EQ(seenAuth, "");
    RequestFramer g;
    g.setHeadCheck([](const RequestHead& h) {
        return h.authorization == "Bearer t" ? FramingVerdict{}
                                             : FramingVerdict(loadline::core::failRefused(401, "Authorization", "no"));
    });
    EXPECT_TRUE(g.feed("POST /m HTTP/1.1\r\nAuthorization: Bearer t\r\nContent-Length: 3\r\n\r\nabc"));
    EXPECT_EQ(g.readyRequests(), 1u);
}

TEST(RequestFramer, NothingIsParsedAfterARequestThatAskedToClose) {
    RequestFramer f;
    EXPECT_TRUE(f.feed("GET /1 HTTP/1.1\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"));
    EXPECT_EQ(f.readyRequests(), 1u);
}
