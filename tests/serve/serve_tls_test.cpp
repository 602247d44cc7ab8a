// `loadline-cli serve` beyond loopback: HTTPS with a throwaway CA made by `openssl` here (right CA
// answered, wrong CA refused, mutual TLS, plain HTTP to the TLS port, a silent client dropped at
// the handshake deadline, a new certificate on SIGHUP) and what command lines reveal (a real
// process started with a secret argument, read back from /api/system/metrics and /metrics).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "serveprocess.h"
#include "testpki.h"

using namespace loadline::testing;

namespace {

constexpr const char* kCurl = "/usr/bin/curl";
constexpr const char* kOpenssl = "/usr/bin/openssl";

struct CurlResult {
    int exitCode = -1;  // curl's: 0 ok, 60 untrusted certificate, 35/56 handshake refused
    std::string body;
    std::string log;
};

// GET https://localhost:PORT/PATH with curl (localhost pinned to 127.0.0.1).
CurlResult curlGet(const TempDir& dir, int port, const std::string& path, const std::vector<std::string>& tlsArgs,
                   const std::vector<std::string>& headers = {}) {
    std::vector<std::string> argv = {kCurl,        "-sS",
                                     "--max-time", "30",
                                     "--resolve",  "localhost:" + std::to_string(port) + ":127.0.0.1",
                                     "-o",         dir.file("curl.body")};
    argv.insert(argv.end(), tlsArgs.begin(), tlsArgs.end());
    for (const auto& h : headers) {
        argv.push_back("-H");
        argv.push_back(h);
    }
    argv.push_back("https://localhost:" + std::to_string(port) + path);
    ::unlink(dir.file("curl.body").c_str());
    CurlResult r;
    r.exitCode = runTool(argv, dir.file("curl.log"));
    r.body = readFile(dir.file("curl.body"));
    r.log = readFile(dir.file("curl.log"));
    return r;
}

int connectLoopback(int port, int timeoutSeconds) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{timeoutSeconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

class ServeTls : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(::access(kOpenssl, X_OK), 0) << "openssl is missing: scripts/install-deps.sh installs it";
        ASSERT_EQ(::access(kCurl, X_OK), 0) << "curl is missing: scripts/install-deps.sh installs it";
        ASSERT_TRUE(pki.makeCa("ca")) << pki.log();
        ASSERT_TRUE(pki.makeCa("otherca")) << pki.log();
        ASSERT_TRUE(pki.makeCert("ca", "server", "localhost", "DNS:localhost,IP:127.0.0.1")) << pki.log();
    }
    std::vector<std::string> tlsArgs() const {
        return {"--tls-cert", pki.pem("server"), "--tls-key", pki.key("server")};
    }

    TempDir dir;
    TestPki pki{dir.path()};
};

}  // namespace

TEST_F(ServeTls, HttpsAnswersWithTheRightCaAndRefusesAWrongOne) {
    ServeProcess serve([&] {
        auto a = tlsArgs();
        a.insert(a.end(), {"--interval", "0.2"});
        return a;
    }());
    ASSERT_TRUE(serve.ok()) << serve.log();
    // The port file is written before the banner, so wait for the banner (bounded: a hang guard).
    for (int i = 0; i < 100 && serve.log().find("serving https://") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_NE(serve.log().find("serving https://"), std::string::npos) << serve.log();

    auto ok = curlGet(dir, serve.port(), "/api/health", {"--cacert", pki.pem("ca")});
    ASSERT_EQ(ok.exitCode, 0) << ok.log << serve.log();
    EXPECT_NE(ok.body.find("\"status\":\"ok\""), std::string::npos) << ok.body;

    auto wrong = curlGet(dir, serve.port(), "/api/health", {"--cacert", pki.pem("otherca")});
    EXPECT_EQ(wrong.exitCode, 60) << wrong.log;  // curl: the peer's certificate cannot be verified
    EXPECT_TRUE(wrong.body.empty()) << wrong.body;

    // TLS 1.1 and older are refused.
    auto old = curlGet(dir, serve.port(), "/api/health", {"--cacert", pki.pem("ca"), "--tlsv1.0", "--tls-max", "1.1"});
    EXPECT_NE(old.exitCode, 0) << old.log;
    EXPECT_TRUE(old.body.empty());
    // After all that, the server still serves.
    EXPECT_EQ(curlGet(dir, serve.port(), "/api/health", {"--cacert", pki.pem("ca")}).exitCode, 0);
}

TEST_F(ServeTls, MutualTlsRefusesAClientWithoutACertificate) {
    ASSERT_TRUE(pki.makeCa("clientca")) << pki.log();
    ASSERT_TRUE(pki.makeCert("clientca", "client", "scraper", "", 2, true)) << pki.log();
    ASSERT_TRUE(pki.makeCert("otherca", "stranger", "stranger", "", 2, true)) << pki.log();
    auto args = tlsArgs();
    args.insert(args.end(), {"--tls-client-ca", pki.pem("clientca")});
    ServeProcess serve(args);
    ASSERT_TRUE(serve.ok()) << serve.log();

    auto none = curlGet(dir, serve.port(), "/api/health", {"--cacert", pki.pem("ca")});
    EXPECT_NE(none.exitCode, 0) << none.log;
    EXPECT_TRUE(none.body.empty()) << none.body;
    auto stranger = curlGet(dir, serve.port(), "/api/health",
                            {"--cacert", pki.pem("ca"), "--cert", pki.pem("stranger"), "--key", pki.key("stranger")});
    EXPECT_NE(stranger.exitCode, 0) << stranger.log;
    EXPECT_TRUE(stranger.body.empty()) << stranger.body;
    auto client = curlGet(dir, serve.port(), "/api/health",
                          {"--cacert", pki.pem("ca"), "--cert", pki.pem("client"), "--key", pki.key("client")});
    ASSERT_EQ(client.exitCode, 0) << client.log << serve.log();
    EXPECT_NE(client.body.find("\"status\":\"ok\""), std::string::npos) << client.body;
}

TEST_F(ServeTls, PlainHttpToTheTlsPortGetsNoData) {
    ServeProcess serve(tlsArgs());
    ASSERT_TRUE(serve.ok()) << serve.log();
    const int fd = connectLoopback(serve.port(), 30);
    ASSERT_GE(fd, 0);
    const std::string req = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ASSERT_EQ(::send(fd, req.data(), req.size(), MSG_NOSIGNAL), ssize_t(req.size()));
    // The server takes it for a broken handshake and closes: nothing readable comes back (not an
    // HTTP answer, not a TLS alert in clear text that holds our data).
    std::string got;
    char buf[4096];
    ssize_t n = 0;
    errno = 0;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<std::size_t>(n));
    const int err = errno;
    ::close(fd);
    EXPECT_TRUE(n == 0 || err == ECONNRESET) << "the connection was not closed (errno " << err << ")";
    EXPECT_EQ(got.find("HTTP/1."), std::string::npos) << got;
    EXPECT_EQ(got.find("status"), std::string::npos) << got;
    // A TLS client is still served.
    EXPECT_EQ(curlGet(dir, serve.port(), "/api/health", {"--cacert", pki.pem("ca")}).exitCode, 0);
}

TEST_F(ServeTls, ASilentClientIsDroppedAtTheHandshakeDeadline) {
    auto args = tlsArgs();
    args.insert(args.end(), {"--tls-handshake-timeout", "0.3"});
    ServeProcess serve(args);
    ASSERT_TRUE(serve.ok()) << serve.log();
    // Opens TCP and never speaks TLS. The read timeout (60 s) is only a guard against a hung
    // test; the server closes long before it.
    const int fd = connectLoopback(serve.port(), 60);
    ASSERT_GE(fd, 0);
    char buf[64];
    errno = 0;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    const int err = errno;
    ::close(fd);
    EXPECT_TRUE(n == 0 || (n < 0 && err == ECONNRESET))
        << "not dropped: recv returned " << n << " errno " << err << (err == EAGAIN ? " (the guard ran out)" : "");
    EXPECT_EQ(curlGet(dir, serve.port(), "/api/health", {"--cacert", pki.pem("ca")}).exitCode, 0) << serve.log();
}

TEST_F(ServeTls, SighupPicksUpANewCertificate) {
    // The files serve reads: replaced in place, as certbot and friends do.
    const std::string cert = dir.file("live.pem"), key = dir.file("live.key");
    writeFile(cert, readFile(pki.pem("server")));
    writeFile(key, readFile(pki.key("server")));
    ServeProcess serve({"--tls-cert", cert, "--tls-key", key});
    ASSERT_TRUE(serve.ok()) << serve.log();
    auto subjectServed = [&] {
        runTool({"/bin/sh", "-c",
                 std::string(kOpenssl) + " s_client -connect 127.0.0.1:" + std::to_string(serve.port()) +
                     " -servername localhost </dev/null 2>/dev/null | " + kOpenssl + " x509 -noout -subject"},
                dir.file("subject.txt"));
        return readFile(dir.file("subject.txt"));
    };
    EXPECT_NE(subjectServed().find("CN = localhost"), std::string::npos) << subjectServed();

    // A new certificate from another CA, for the same names.
    ASSERT_TRUE(pki.makeCert("otherca", "renewed", "renewed.localhost", "DNS:localhost,IP:127.0.0.1")) << pki.log();
    writeFile(cert, readFile(pki.pem("renewed")));
    writeFile(key, readFile(pki.key("renewed")));
    ASSERT_EQ(::kill(serve.pid(), SIGHUP), 0);
    std::string subject;
    for (int i = 0; i < 100 && subject.find("renewed.localhost") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        subject = subjectServed();
    }
    EXPECT_NE(subject.find("CN = renewed.localhost"), std::string::npos) << subject << serve.log();
    // Same listener, same port: the new CA is what clients now need.
    EXPECT_EQ(curlGet(dir, serve.port(), "/api/health", {"--cacert", pki.pem("otherca")}).exitCode, 0) << serve.log();
    EXPECT_EQ(curlGet(dir, serve.port(), "/api/health", {"--cacert", pki.pem("ca")}).exitCode, 60);

    // A broken file on SIGHUP keeps the certificate in use, and says so.
    writeFile(key, "not a key\n");
    ASSERT_EQ(::kill(serve.pid(), SIGHUP), 0);
    for (int i = 0; i < 100 && serve.log().find("not reloaded") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_NE(serve.log().find("not reloaded"), std::string::npos) << serve.log();
    EXPECT_EQ(curlGet(dir, serve.port(), "/api/health", {"--cacert", pki.pem("otherca")}).exitCode, 0) << serve.log();
}

TEST_F(ServeTls, RefusesAMismatchedKeyAndAnExpiredCertificateAtStart) {
    ASSERT_TRUE(pki.makeCert("ca", "other", "localhost", "DNS:localhost")) << pki.log();
    ASSERT_TRUE(pki.makeCert("ca", "expired", "localhost", "DNS:localhost", -1)) << pki.log();
    const std::string bin = std::string(LOADLINE_BIN_DIR) + "/loadline-cli";
    EXPECT_EQ(runTool({bin, "serve", "--port", "0", "--tls-cert", pki.pem("server"), "--tls-key", pki.key("other")},
                      dir.file("mismatch.log")),
              2);
    EXPECT_NE(readFile(dir.file("mismatch.log")).find("is not the private key of the certificate"), std::string::npos)
        << readFile(dir.file("mismatch.log"));
    EXPECT_EQ(runTool({bin, "serve", "--port", "0", "--tls-cert", pki.pem("expired"), "--tls-key", pki.key("expired")},
                      dir.file("expired.log")),
              2);
    EXPECT_NE(readFile(dir.file("expired.log")).find("expired"), std::string::npos)
        << readFile(dir.file("expired.log"));
    EXPECT_EQ(runTool({bin, "serve", "--port", "0", "--tls-cert", pki.pem("server")}, dir.file("nokey.log")), 2);
    EXPECT_NE(readFile(dir.file("nokey.log")).find("--tls-cert needs --tls-key"), std::string::npos);
}

// A real process with secrets on its command line, tracked by serve: what each setting reveals.
TEST(ServeRedaction, SecretArgumentsAreMaskedInSnapshotsAndPrometheus) {
    TempDir dir;
    const pid_t victim =
        spawnProgram({"/usr/bin/python3", "-c", "import time; time.sleep(600)", "--password=hunter2", "--token",
                      "tok-XYZ-123", "postgres://alice:pa55word@db.example/app", "--port", "5432"},
                     dir.file("victim.log"));
    ASSERT_GT(victim, 0);
    struct Reap {
        pid_t pid;
        ~Reap() {
            ::kill(pid, SIGKILL);
            waitForExit(pid, 10);
        }
    } reap{victim};
    const std::string pid = std::to_string(victim);
    writeFile(dir.file("token"), "redaction-test-token\n");
    const std::vector<std::string> auth = {"Authorization: Bearer redaction-test-token"};

    auto fetch = [&](const std::vector<std::string>& extra, std::string& snapshot, std::string& prom,
                     std::string& log) {
        std::vector<std::string> args = {"--interval", "0.2", "--pid", pid, "--token-file", dir.file("token")};
        args.insert(args.end(), extra.begin(), extra.end());
        ServeProcess serve(args);
        ASSERT_TRUE(serve.ok()) << serve.log();
        ASSERT_TRUE(serve.waitForFirstSample(auth)) << serve.log();
        // The first tick may come before the command line is read: wait for the process in it.
        for (int i = 0; i < 100; ++i) {
            snapshot = httpRequest(serve.port(), "GET", "/api/system/metrics", {}, auth).body;
            prom = httpRequest(serve.port(), "GET", "/metrics", {}, auth).body;
            if (snapshot.find("5432") != std::string::npos && prom.find("loadline_process_info{") != std::string::npos)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        log = serve.log();
    };
    const char* secrets[] = {"hunter2", "tok-XYZ-123", "pa55word"};

    // Loopback default: shown as read (the secrets are there to be found, so the checks below can fail).
    std::string snap, prom, log;
    fetch({}, snap, prom, log);
    for (const char* s : secrets) {
        EXPECT_NE(snap.find(s), std::string::npos) << s << "\n" << snap;
        EXPECT_NE(prom.find(s), std::string::npos) << s << "\n" << prom;
    }
    // --redact-cmdline: masked in both, the rest of the command line kept.
    fetch({"--redact-cmdline"}, snap, prom, log);
    for (const char* s : secrets) {
        EXPECT_EQ(snap.find(s), std::string::npos) << s << "\n" << snap;
        EXPECT_EQ(prom.find(s), std::string::npos) << s << "\n" << prom;
    }
    EXPECT_NE(snap.find("--password=*** --token *** postgres://alice:***@db.example/app --port 5432"),
              std::string::npos)
        << snap;
    EXPECT_NE(prom.find("cmdline=\"/usr/bin/python3 -c import time; time.sleep(600) --password=*** --token *** "
                        "postgres://alice:***@db.example/app --port 5432\""),
              std::string::npos)
        << prom;
    EXPECT_NE(log.find("command lines redacted"), std::string::npos) << log;
    // A non-loopback bind redacts by default (and warns that it is clear text without TLS).
    fetch({"--bind", "0.0.0.0"}, snap, prom, log);
    for (const char* s : secrets) {
        EXPECT_EQ(snap.find(s), std::string::npos) << s << "\n" << snap;
        EXPECT_EQ(prom.find(s), std::string::npos) << s << "\n" << prom;
    }
    EXPECT_NE(log.find("travel in clear text"), std::string::npos) << log;
    // --no-cmdline: no command line at all.
    fetch({"--bind", "0.0.0.0", "--no-cmdline"}, snap, prom, log);
    EXPECT_EQ(snap.find("\"cmdline\""), std::string::npos) << snap;
    EXPECT_EQ(prom.find("cmdline="), std::string::npos) << prom;
    EXPECT_NE(prom.find("loadline_process_info{name="), std::string::npos) << prom;
    // --no-redact-cmdline beyond loopback: as read.
    fetch({"--bind", "0.0.0.0", "--no-redact-cmdline"}, snap, prom, log);
    EXPECT_NE(snap.find("hunter2"), std::string::npos) << snap;
}
