// The HTTP layer of `loadline-cli serve` in process (app/server over loopback): parsing the way it
// frames, pipelining, the token before any body, deadlines, connection caps and the worker thread.
// Clients are plain blocking sockets on a helper thread (every read has a timeout); the server
// runs on the test's main thread, whose event loop spins until the client is done.

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <tuple>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <nlohmann/json.hpp>

#include "app/server/httpservice.h"
#include "app/server/tlsconfig.h"

#include <QSslSocket>

using namespace loadline;
using json = nlohmann::json;

namespace {

// Runs f on a client thread while this thread serves; returns what f returned.
template <class F>
auto asClient(F f) {
    std::optional<decltype(f())> result;
    std::atomic<bool> done{false};
    std::thread t([&] {
        result.emplace(f());
        done = true;
    });
    QElapsedTimer clock;
    clock.start();
    while (!done && clock.elapsed() < 90000) QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    t.join();
    return std::move(*result);
}

int connectFrom(const char* source, int port, int timeoutMs = 5000) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &src.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
        ::close(fd);
        return -1;
    }
    timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool sendAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Reads until EOF, an error or the socket's timeout.
std::string readAll(int fd) {
    std::string out;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

struct Reply {
    int status = 0;
    std::string body;
};

// Splits a stream of HTTP/1.1 responses (each with Content-Length).
std::vector<Reply> parseReplies(std::string_view s) {
    std::vector<Reply> out;
    while (s.substr(0, 9) == "HTTP/1.1 ") {
        const auto end = s.find("\r\n\r\n");
        if (end == std::string_view::npos) break;
        Reply r;
        r.status = std::atoi(std::string(s.substr(9, 3)).c_str());
        std::size_t length = 0;
        if (auto cl = s.substr(0, end).find("Content-Length: "); cl != std::string_view::npos)
            length = std::strtoul(std::string(s.substr(cl + 16, 12)).c_str(), nullptr, 10);
        if (end + 4 + length > s.size()) break;
        r.body = s.substr(end + 4, length);
        out.push_back(std::move(r));
        s.remove_prefix(end + 4 + length);
    }
    return out;
}

Reply request(int port, const std::string& raw, const char* source = "127.0.0.1") {
    const int fd = connectFrom(source, port);
    if (fd < 0) return {};
    sendAll(fd, raw);
    auto replies = parseReplies(readAll(fd));
    ::close(fd);
    return replies.empty() ? Reply{} : replies.front();
}

std::string get(const std::string& path, const std::string& extra = {}) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extra + "Connection: close\r\n\r\n";
}

std::string post(const std::string& path, const std::string& body, bool close = true) {
    return "POST " + path +
           " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           (close ? "\r\nConnection: close" : "") + "\r\n\r\n" + body;
}

class HttpServer : public ::testing::Test {
protected:
    void start(server::ConnectionLimits limits = {}, std::string token = {}) {
        core::serve::ApiConfig config;
        config.nodeId = "node-test";
        config.token = std::move(token);
        service = std::make_unique<server::HttpService>(config, std::make_shared<core::serve::LiveData>(16), limits);
        QString error;
        port = service->start(QHostAddress(QHostAddress::LocalHost), 0, &error);
        ASSERT_GT(port, 0) << error.toStdString();
    }
    std::unique_ptr<server::HttpService> service;
    int port = 0;
};

}  // namespace

TEST_F(HttpServer, BareLfRequestsAreFramedAsTheyAreParsed) {
    start();
    // Every line ending in a bare LF: parsed and answered like CRLF.
    auto r = asClient([&] { return request(port, "GET /api/health HTTP/1.1\nHost: x\nConnection: close\n\n"); });
    EXPECT_EQ(r.status, 200);
    // A bare-LF header block declaring 100 MiB is refused from its headers: nothing buffered.
    r = asClient([&] {
        return request(port, "POST /services/ HTTP/1.1\nContent-Length: 104857600\n\n" + std::string(4096, 'x'));
    });
    EXPECT_EQ(r.status, 413);
}

TEST_F(HttpServer, TheTokenIsCheckedBeforeAnyBodyIsAccepted) {
    start({}, "s3cret");
    // Headers only, a body of 1000 bytes declared and never sent: the 401 comes at once.
    auto r =
        asClient([&] { return request(port, "POST /metrics/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"); });
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(service->api().pushStores().metricSeries().size(), 0u);
    const std::string body = R"({"service":"a","metric_type":"cpu","value":1})";
    r = asClient([&] { return request(port, post("/metrics/", body)); });
    EXPECT_EQ(r.status, 401);
    auto ok = asClient([&] {
        std::string req = post("/metrics/", body);
        req.insert(req.find("\r\n") + 2, "Authorization: Bearer s3cret\r\n");
        return request(port, req);
    });
    EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST_F(HttpServer, PipelinedRequestsAreAllAnsweredInOrder) {
    start();
    std::string gets;
    for (int i = 0; i < 100; ++i)
        gets += "GET /api/health?i=" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n" +
                (i == 99 ? "Connection: close\r\n" : "") + "\r\n";
    auto replies = asClient([&] {
        const int fd = connectFrom("127.0.0.1", port);
        sendAll(fd, gets);
        auto out = parseReplies(readAll(fd));
        ::close(fd);
        return out;
    });
    ASSERT_EQ(replies.size(), 100u);
    for (const auto& r : replies) EXPECT_EQ(r.status, 200);

    // 50 pushes, pipelined: 50 answers, in order, and 50 points stored; then a GET on the same
    // connection sees them all.
    std::string posts;
    for (int i = 0; i < 50; ++i)
        posts += post("/metrics/", R"({"service":"svc","metric_type":"m","value":)" + std::to_string(i) + "}", false);
    posts += get("/metrics/");
    replies = asClient([&] {
        const int fd = connectFrom("127.0.0.1", port);
        sendAll(fd, posts);
        auto out = parseReplies(readAll(fd));
        ::close(fd);
        return out;
    });
    ASSERT_EQ(replies.size(), 51u);
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(replies[std::size_t(i)].status, 201);
        EXPECT_EQ(json::parse(replies[std::size_t(i)].body)["value"], i);
    }
    const auto listed = json::parse(replies[50].body);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["samples"].size(), 50u);
}

TEST_F(HttpServer, AnIncompleteRequestGets408AtItsDeadline) {
    server::ConnectionLimits limits;
    limits.headerTimeoutMs = 300;
    start(limits);
    auto r = asClient([&] {
        const int fd = connectFrom("127.0.0.1", port);
        std::string all;
        // One byte every 100 ms: each byte would restart an idle clock, not this deadline.
        for (char c : std::string("GET /api/health HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaa")) {
            if (!sendAll(fd, std::string(1, c))) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        all = readAll(fd);
        ::close(fd);
        return parseReplies(all);
    });
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].status, 408);
}

// The idle clock counts from the last answer: a busy kept-alive connection is never cut.
TEST_F(HttpServer, TheIdleTimeoutCountsFromTheLastAnswer) {
    server::ConnectionLimits limits;
    limits.idleTimeoutMs = 400;
    start(limits);
    auto answered = asClient([&] {
        const int fd = connectFrom("127.0.0.1", port);
        int n = 0;
        for (int i = 0; i < 10; ++i) {  // 1.5 s of requests on one connection, 150 ms apart
            if (!sendAll(fd, "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")) break;
            char buf[4096];
            const ssize_t got = ::recv(fd, buf, sizeof buf, 0);
            if (got > 0 && std::string_view(buf, std::size_t(got)).substr(0, 12) == "HTTP/1.1 200") ++n;
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
        }
        // Then silence: closed after the idle timeout (EOF, not a hang).
        char buf[16];
        const ssize_t eof = ::recv(fd, buf, sizeof buf, 0);
        ::close(fd);
        return std::make_pair(n, eof);
    });
    EXPECT_EQ(answered.first, 10);
    EXPECT_EQ(answered.second, 0);
}

TEST_F(HttpServer, BeyondTheConnectionCapsClientsGetA503NotAReset) {
    server::ConnectionLimits limits;
    limits.maxConnections = 4;
    limits.maxPerPeer = 2;
    start(limits);
    auto statuses = asClient([&] {
        std::vector<int> held, out;
        for (int i = 0; i < 2; ++i) held.push_back(connectFrom("127.0.0.2", port));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        out.push_back(request(port, get("/api/health"), "127.0.0.2").status);  // third from .2: per-peer cap
        for (int i = 0; i < 2; ++i) held.push_back(connectFrom("127.0.0.3", port));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        out.push_back(request(port, get("/api/health"), "127.0.0.4").status);  // fifth overall: global cap
        for (int fd : held) ::close(fd);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        out.push_back(request(port, get("/api/health"), "127.0.0.4").status);  // room again
        return out;
    });
    EXPECT_EQ(statuses, (std::vector<int>{503, 503, 200}));
}

// 200 connections from 127.0.0.2 … 127.0.0.11 dripping a byte at a time; the well-behaved client
// on 127.0.0.1 is answered throughout (default limits, a shortened header deadline).
TEST_F(HttpServer, AWellBehavedClientIsAnsweredWhileSlowConnectionsDrip) {
    server::ConnectionLimits limits;
    limits.headerTimeoutMs = 1000;
    start(limits);
    auto result = asClient([&] {
        std::atomic<bool> stop{false};
        std::atomic<int> attackerConnects{0};
        std::vector<std::thread> attackers;
        for (int a = 0; a < 10; ++a)
            attackers.emplace_back([&, a] {
                const std::string source = "127.0.0." + std::to_string(a + 2);
                std::vector<int> fds;
                while (!stop) {
                    // Keep 20 connections from this address open, each dripping one byte.
                    for (auto& fd : fds)
                        if (fd >= 0 && !sendAll(fd, "G")) {
                            ::close(fd);
                            fd = -1;
                        }
                    std::erase(fds, -1);
                    while (fds.size() < 20 && !stop) {
                        const int fd = connectFrom(source.c_str(), port, 200);
                        if (fd < 0) break;
                        ++attackerConnects;
                        fds.push_back(fd);
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
                }
                for (int fd : fds) ::close(fd);
            });
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        int answered = 0, asked = 0;
        for (int i = 0; i < 20; ++i) {
            ++asked;
            if (request(port, get("/api/health")).status == 200) ++answered;
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
        }
        stop = true;
        for (auto& t : attackers) t.join();
        return std::make_tuple(answered, asked, attackerConnects.load());
    });
    EXPECT_GE(std::get<2>(result), 200);  // the attack really held 200 connections
    EXPECT_EQ(std::get<0>(result), std::get<1>(result));
}

TEST_F(HttpServer, ASlowPushNeverHoldsUpHealthOrScrapes) {
    start();
    std::mutex m;
    std::condition_variable cv;
    bool release = false, holding = false;
    service->setWorkerHook([&](const core::serve::HttpRequest&) {
        std::unique_lock lock(m);
        holding = true;
        cv.notify_all();
        cv.wait_for(lock, std::chrono::seconds(20), [&] { return release; });
    });
    auto result = asClient([&] {
        // A push held on the worker (as a long parse would be)...
        const int slow = connectFrom("127.0.0.1", port, 30000);
        sendAll(slow, post("/services/", R"({"name":"a","status":"up"})"));
        {
            std::unique_lock lock(m);
            cv.wait_for(lock, std::chrono::seconds(10), [&] { return holding; });
        }
        // ...while health and /metrics answer.
        const int health = request(port, get("/api/health")).status;
        const int metrics = request(port, get("/metrics")).status;
        {
            std::lock_guard lock(m);
            release = true;
        }
        cv.notify_all();
        auto pushed = parseReplies(readAll(slow));
        ::close(slow);
        return std::make_tuple(health, metrics, pushed.empty() ? 0 : pushed[0].status);
    });
    EXPECT_EQ(std::get<0>(result), 200);
    EXPECT_EQ(std::get<1>(result), 200);
    EXPECT_EQ(std::get<2>(result), 201);
}

TEST_F(HttpServer, UnfetchableSessionIdsAreRefused) {
    start();
    const std::string summary =
        R"({"session_id":"../../etc/passwd","function_timings":[],"system_timeline":{"system":[],"processes":{},"metadata":{}}})";
    auto r = asClient([&] { return request(port, post("/api/performance-summary/", summary)); });
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(json::parse(r.body)["field"], "session_id");
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

// --- TLS: the handshake is run by GuardedTcpServer, after the caps and under its own deadline ---

namespace {

// A throwaway CA and a server certificate for localhost, made by the openssl command line.
struct TlsFiles {
    std::string dir;
    bool ok = false;
    TlsFiles() {
        char tmpl[] = "/tmp/loadline-tls-XXXXXX";
        dir = ::mkdtemp(tmpl) ? tmpl : "";
        const std::string d = dir;
        const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
        ok = !d.empty() &&
             std::system(("openssl req -x509" + ec + "-keyout " + d + "/ca.key -out " + d +
                          "/ca.pem -days 2 -subj /CN=ca 2>/dev/null && openssl req" + ec + "-keyout " + d +
                          "/srv.key -out " + d + "/srv.csr -subj /CN=localhost 2>/dev/null && " +
                          "printf 'subjectAltName=DNS:localhost\\n' > " + d + "/ext && openssl x509 -req -in " + d +
                          "/srv.csr -CA " + d + "/ca.pem -CAkey " + d + "/ca.key -CAcreateserial -out " + d +
                          "/srv.pem -days 2 -extfile " + d + "/ext 2>/dev/null")
                             .c_str()) == 0;
    }
    ~TlsFiles() {
        if (!dir.empty()) std::system(("rm -rf " + dir).c_str());
    }
};

// curl's HTTP status for GET https://localhost:PORT/PATH with the test CA ("000": no answer).
std::string curlStatus(const TlsFiles& tls, int port, const std::string& path) {
    const std::string cmd = "curl -s -o /dev/null -w '%{http_code}' --max-time 30 --cacert " + tls.dir +
                            "/ca.pem --resolve localhost:" + std::to_string(port) +
                            ":127.0.0.1 https://localhost:" + std::to_string(port) + path;
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[64];
        while (std::fgets(buf, sizeof buf, p)) out += buf;
        ::pclose(p);
    }
    return out;
}

}  // namespace

class HttpsServer : public HttpServer {
protected:
    void startTls(server::ConnectionLimits limits) {
        ASSERT_TRUE(files.ok) << "openssl could not make the test certificates";
        QString error;
        auto tls = server::loadServerTls(
            {QString::fromStdString(files.dir + "/srv.pem"), QString::fromStdString(files.dir + "/srv.key"), {}},
            &error);
        ASSERT_TRUE(tls) << error.toStdString();
        core::serve::ApiConfig config;
        config.nodeId = "node-tls";
        service = std::make_unique<server::HttpService>(config, std::make_shared<core::serve::LiveData>(16), limits);
        service->setTlsConfiguration(*tls);
        port = service->start(QHostAddress(QHostAddress::LocalHost), 0, &error);
        ASSERT_GT(port, 0) << error.toStdString();
    }
    TlsFiles files;
};

// Connections still in their handshake hold their slots: the per-peer cap counts them, and a
// client beyond it gets its 503 over TLS (not a reset, not a handshake that waits for a slot).
TEST_F(HttpsServer, ThePerPeerCapCountsConnectionsBeforeTheirHandshake) {
    server::ConnectionLimits limits;
    limits.maxPerPeer = 2;
    limits.handshakeTimeoutMs = 60000;  // the silent ones keep their slots for the whole test
    startTls(limits);
    auto statuses = asClient([&] {
        std::vector<std::string> out;
        std::vector<int> held;
        for (int i = 0; i < 2; ++i) held.push_back(connectFrom("127.0.0.1", port));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        out.push_back(curlStatus(files, port, "/api/health"));  // third from 127.0.0.1
        for (int fd : held) ::close(fd);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        out.push_back(curlStatus(files, port, "/api/health"));  // room again
        return out;
    });
    EXPECT_EQ(statuses, (std::vector<std::string>{"503", "200"}));
    EXPECT_GE(service->tcpServer()->refusedConnections(), 1u);
}

// A client that opens TCP and never speaks TLS is dropped at the handshake deadline, and its
// slot is free again.
TEST_F(HttpsServer, ASilentConnectionLosesItsSlotAtTheHandshakeDeadline) {
    server::ConnectionLimits limits;
    limits.maxPerPeer = 1;
    limits.handshakeTimeoutMs = 200;
    startTls(limits);
    auto result = asClient([&] {
        const int fd = connectFrom("127.0.0.1", port, 60000);  // the 60 s read timeout only guards the test
        char buf[16];
        errno = 0;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        const int err = errno;
        ::close(fd);
        return std::make_tuple(n, err, curlStatus(files, port, "/api/health"));
    });
    const auto [n, err, after] = result;
    EXPECT_TRUE(n == 0 || (n < 0 && err == ECONNRESET)) << "recv " << n << " errno " << err;
    EXPECT_EQ(after, "200");  // the one slot of 127.0.0.1 was given back
    EXPECT_GE(service->tcpServer()->failedHandshakes(), 1u);
}

// The per-connection limits are the same after a TLS handshake: an unfinished request gets its
// 408 (encrypted) at the header deadline, an idle kept-alive connection is closed.
TEST_F(HttpsServer, HeaderDeadlineAndIdleTimeoutApplyAfterTheHandshake) {
    server::ConnectionLimits limits;
    limits.headerTimeoutMs = 300;
    limits.idleTimeoutMs = 300;
    startTls(limits);
    auto result = asClient([&] {
        std::pair<std::string, bool> out;
        {
            QSslSocket s;  // blocking use on this thread: no event loop needed
            s.setPeerVerifyMode(QSslSocket::VerifyNone);
            s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), quint16(port));
            if (!s.waitForEncrypted(30000)) return out;
            s.write("GET /api/health HTTP/1.1\r\nHost: x\r\n");  // and never the blank line
            s.flush();
            while (s.waitForReadyRead(30000)) out.first += s.readAll().toStdString();
        }
        QSslSocket idle;
        idle.setPeerVerifyMode(QSslSocket::VerifyNone);
        idle.connectToHostEncrypted(QStringLiteral("127.0.0.1"), quint16(port));
        if (!idle.waitForEncrypted(30000)) return out;
        // The 30 s wait is only a guard; the server closes after its idle timeout.
        out.second = idle.state() == QAbstractSocket::UnconnectedState || idle.waitForDisconnected(30000);
        return out;
    });
    EXPECT_EQ(result.first.substr(0, 12), "HTTP/1.1 408") << result.first;
    EXPECT_TRUE(result.second) << "the idle TLS connection was not closed";
}
