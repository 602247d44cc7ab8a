// Real HTTP over loopback to a real `loadline-cli serve` process: every endpoint and every error.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <memory>

#include <nlohmann/json.hpp>

#include "serveprocess.h"

using namespace loadline::testing;
using json = nlohmann::json;

namespace {

json parse(const HttpReply& r) { return json::parse(r.body, nullptr, false); }

// One server for the suite (sampling costs CPU on a shared machine), tracking a child `sleep`.
class ServeHttp : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_sleeper = spawnProgram({"/bin/sleep", "600"}, "/dev/null");
        s_server = std::make_unique<ServeProcess>(std::vector<std::string>{
            "--interval", "0.2", "--history", "500", "--node-id", "test-node", "--pid", std::to_string(s_sleeper)});
    }
    static void TearDownTestSuite() {
        s_server.reset();
        if (s_sleeper > 0) {
            ::kill(s_sleeper, SIGKILL);
            waitForExit(s_sleeper, 10);
        }
    }
    void SetUp() override {
        ASSERT_TRUE(s_server && s_server->ok()) << (s_server ? s_server->log() : "");
        ASSERT_TRUE(s_server->waitForFirstSample()) << s_server->log();
    }
    static int port() { return s_server->port(); }
    static HttpReply get(const std::string& target) { return httpRequest(port(), "GET", target); }
    static HttpReply post(const std::string& target, const std::string& body) {
        return httpRequest(port(), "POST", target, body, {"Content-Type: application/json"});
    }

    static inline std::unique_ptr<ServeProcess> s_server;
    static inline pid_t s_sleeper = -1;
};

}  // namespace

TEST_F(ServeHttp, Health) {
    auto r = get("/api/health");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.headers["content-type"], "application/json");
    EXPECT_EQ(r.headers["x-loadline-schema-version"], "1");  // docs/json.md
    auto j = parse(r);
    EXPECT_EQ(j["status"], "ok");
    EXPECT_EQ(j["node_id"], "test-node");
}

// A plain-HTTP server never loads Qt's TLS backend (the OpenSSL plugin and libssl: about 6 MB
// resident). Even a default QSslConfiguration loads it, so the server holds one only with TLS.
TEST_F(ServeHttp, PlainHttpLoadsNoTlsBackend) {
    ASSERT_EQ(get("/metrics").status, 200);
    ASSERT_EQ(get("/api/system/metrics").status, 200);
    const std::string maps = readFile("/proc/" + std::to_string(s_server->pid()) + "/maps");
    ASSERT_FALSE(maps.empty());
    EXPECT_EQ(maps.find("tls/libq"), std::string::npos) << "a Qt TLS plugin is loaded";
    EXPECT_EQ(maps.find("libssl.so"), std::string::npos) << "libssl is loaded";
    // The TLS certificate check loads libcrypto when it runs (not linked: ~1.4 MB resident).
    EXPECT_EQ(maps.find("/libcrypto.so"), std::string::npos) << "libcrypto is loaded";
}

// loadline-cli links no GUI library: export-png and report draw in loadline-draw
// (app/cli/drawhelper.cpp), so a server that runs for days does not map Qt Widgets, Gui and
// Charts and what they pull in (about 6 MB resident).
TEST_F(ServeHttp, ServerMapsNoGuiLibrary) {
    ASSERT_EQ(get("/api/system/metrics").status, 200);
    const std::string maps = readFile("/proc/" + std::to_string(s_server->pid()) + "/maps");
    ASSERT_NE(maps.find("libQt6Network.so"), std::string::npos) << "the maps do not show the server's libraries";
    for (const char* lib : {"libQt6Gui.so", "libQt6Widgets.so", "libQt6Charts.so", "libX11.so", "libOpenGL.so"})
        EXPECT_EQ(maps.find(lib), std::string::npos) << lib << " is loaded";
}

TEST_F(ServeHttp, SystemInfo) {
    auto j = parse(get("/api/system/info"));
    EXPECT_EQ(j["platform"], "Linux");
    EXPECT_EQ(j["node_id"], "test-node");
    EXPECT_EQ(j["cpu_count_logical"].get<long>(), sysconf(_SC_NPROCESSORS_ONLN));
    EXPECT_GT(j["memory_total_bytes"].get<double>(), 0);
    for (const char* k : {"architecture", "cpu_model", "cpu_count_physical", "swap_total_bytes", "gpus", "hostname"})
        EXPECT_TRUE(j.contains(k)) << k;
}

TEST_F(ServeHttp, SystemMetricsSnapshotAndNodeFilter) {
    auto j = parse(get("/api/system/metrics"));
    EXPECT_EQ(j["node_id"], "test-node");
    EXPECT_GT(j["timestamp"].get<double>(), 1e9);
    EXPECT_EQ(j["cpu"]["per_core"].size(), static_cast<std::size_t>(sysconf(_SC_NPROCESSORS_ONLN)));
    EXPECT_GT(j["memory"]["total"].get<double>(), 0);
    ASSERT_EQ(j["processes"].size(), 1u);
    EXPECT_EQ(j["processes"][0]["pid"], s_sleeper);
    EXPECT_EQ(get("/api/system/metrics?node_id=test-node").status, 200);
    auto other = get("/api/system/metrics?node_id=elsewhere");
    EXPECT_EQ(other.status, 404);
    EXPECT_EQ(parse(other)["field"], "node_id");
}

TEST_F(ServeHttp, LatestPyPerfSample) {
    auto j = parse(get("/api/system-metrics/"));
    for (const char* k : {"timestamp", "cpu_percent", "memory_percent", "memory_available_mb", "memory_used_mb",
                          "load_avg_1m", "load_avg_5m", "load_avg_15m"})
        EXPECT_TRUE(j.contains(k)) << k;
}

TEST_F(ServeHttp, TimelineRange) {
    auto all = parse(get("/api/system-timeline/"));
    ASSERT_GE(all["system"].size(), 1u);
    EXPECT_EQ(all["metadata"]["platform"], "Linux");
    EXPECT_TRUE(all["processes"].contains(std::to_string(s_sleeper)));
    const double last = all["system"].back()["timestamp"].get<double>();
    // Incremental fetch: from the last timestamp on, only the newest rows come back.
    char lastText[32];
    std::snprintf(lastText, sizeof lastText, "%.17g", last);  // exact: the bound is inclusive
    auto tail = parse(get(std::string("/api/system-timeline/?start=") + lastText));
    ASSERT_GE(tail["system"].size(), 1u);
    for (const auto& s : tail["system"]) EXPECT_GE(s["timestamp"].get<double>(), last - 1e-6);
    auto none = parse(get("/api/system-timeline/?start=1&end=2"));
    EXPECT_EQ(none["system"].size(), 0u);
    EXPECT_TRUE(none["metadata"]["start_time"].is_null());
    EXPECT_EQ(parse(get("/api/system-timeline/?start=yesterday"))["field"], "start");
    EXPECT_EQ(parse(get("/api/system-timeline/?start=10&end=5"))["field"], "end");
}

TEST_F(ServeHttp, ProcessMetrics) {
    auto r = get("/api/process-metrics/" + std::to_string(s_sleeper) + "/");
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = parse(r);
    EXPECT_EQ(j["pid"], s_sleeper);
    EXPECT_EQ(j["latest"]["name"], "sleep");
    EXPECT_GE(j["samples"].size(), 1u);
    auto untracked = get("/api/process-metrics/1/");
    EXPECT_EQ(untracked.status, 404);
    EXPECT_EQ(parse(untracked)["field"], "pid");
    EXPECT_EQ(get("/api/process-metrics/abc/").status, 400);
}

TEST_F(ServeHttp, PrometheusText) {
    auto r = get("/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    for (const char* s :
         {"# HELP loadline_load1 ", "# TYPE loadline_load1 gauge\nloadline_load1 ",
          "# TYPE loadline_cpu_seconds_total counter\n", "loadline_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} ",
          "# TYPE loadline_memory_available_bytes gauge\nloadline_memory_available_bytes "})
        EXPECT_NE(r.body.find(s), std::string::npos) << s;
    const std::string proc =
        "loadline_process_resident_memory_bytes{name=\"sleep\",pid=\"" + std::to_string(s_sleeper) + "\"} ";
    EXPECT_NE(r.body.find(proc), std::string::npos);
}

TEST_F(ServeHttp, PushEndpointsAndRoundTripIntoTheTimeline) {
    auto svc = post("/services/", R"({"name": "ingest", "status": "up", "endpoint": "http://127.0.0.1:9"})");
    EXPECT_EQ(svc.status, 201) << svc.body;
    EXPECT_EQ(post("/metrics/", R"({"service": "ingest", "metric_type": "queue_size", "value": 17})").status, 201);
    EXPECT_EQ(
        post("/pipelines/", R"({"pipeline_type": "training", "status": "running", "metadata": {"step": "epoch-1"}})")
            .status,
        201);
    EXPECT_EQ(
        post("/alerts/",
             R"({"title": "High CPU Usage", "message": "CPU usage above 90%", "severity": 2, "service": "ingest"})")
            .status,
        201);
    auto t = parse(get("/api/system-timeline/"));
    bool found = false;
    for (const auto& s : t["custom_metrics"])
        if (s["service"] == "ingest" && s["metric_type"] == "queue_size") found = s["samples"][0]["value"] == 17;
    EXPECT_TRUE(found) << t["custom_metrics"].dump();
    bool span = false;
    for (const auto& p : t["pipelines"]) span = span || (p["pipeline_type"] == "training" && p["stage"] == "epoch-1");
    EXPECT_TRUE(span) << t["pipelines"].dump();
    EXPECT_GE(t["alerts"].size(), 1u);
    auto prom = get("/metrics").body;
    EXPECT_NE(prom.find("loadline_custom_metric{service=\"ingest\",metric_type=\"queue_size\"} 17\n"),
              std::string::npos);
    EXPECT_NE(prom.find("loadline_service_status{service=\"ingest\",status=\"up\"} 1\n"), std::string::npos);
}

TEST_F(ServeHttp, PerformanceSummaryRoundTrip) {
    const std::string summary = R"({"session_id": "sess-42", "function_timings": [
        {"function_name": "train_step", "wall_time": 0.5, "cpu_time": 0.4, "timestamp": 1700000000.5,
         "system_context": {"timestamp": 1700000000.4, "cpu_percent": 50, "memory_percent": 20}}],
        "system_timeline": {"system": [{"timestamp": 1700000000.0, "cpu_percent": 55, "memory_percent": 20,
                                        "memory_available_mb": 100, "memory_used_mb": 50}],
                            "processes": {}, "metadata": {"platform": "Linux", "sample_interval": 0.5,
                                                          "start_time": 1700000000.0, "end_time": 1700000000.0}}})";
    auto r = post("/api/performance-summary/", summary);
    ASSERT_EQ(r.status, 201) << r.body;
    auto g = get("/api/performance-summary/sess-42/");
    ASSERT_EQ(g.status, 200);
    auto j = parse(g);
    EXPECT_EQ(j["session_id"], "sess-42");
    EXPECT_EQ(j["function_timings"][0]["function_name"], "train_step");
    EXPECT_EQ(j["system_timeline"]["system"][0]["cpu_percent"], 55);
    EXPECT_EQ(get("/api/performance-summary/unknown/").status, 404);
    auto bad = post("/api/performance-summary/", R"({"session_id": "x", "function_timings": [}")");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(parse(bad)["field"], "body");
}

TEST_F(ServeHttp, ErrorsNameWhatIsWrong) {
    auto nf = get("/api/nowhere");
    EXPECT_EQ(nf.status, 404);
    EXPECT_EQ(parse(nf)["field"], "path");
    auto wrong = httpRequest(port(), "PUT", "/alerts/", "{}");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(wrong.headers["allow"], "GET, POST");
    auto bad = post("/alerts/", R"({"title": "t", "message": "m", "severity": 7})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(parse(bad)["field"], "severity");
    EXPECT_EQ(parse(post("/metrics/", R"({"service": "s", "metric_type": "cpu", "value": "high"})"))["field"], "value");
    EXPECT_EQ(parse(post("/services/", "{not json"))["field"], "body");
}

TEST_F(ServeHttp, OversizedBodyIs413AndTheServerKeepsItsData) {
    ASSERT_EQ(post("/services/", R"({"name": "keeper", "status": "up"})").status, 201);
    const std::string big = R"({"name": ")" + std::string(1024 * 1024 + 10, 'x') + R"(", "status": "up"})";
    auto r = post("/services/", big);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(parse(r)["field"], "body");
    auto chunked = httpRequest(port(), "POST", "/services/", {}, {"Transfer-Encoding: chunked"});
    EXPECT_EQ(chunked.status, 411);
    auto hugeHeader = httpRequest(port(), "GET", "/api/health", {}, {"X-Filler: " + std::string(70000, 'h')});
    EXPECT_EQ(hugeHeader.status, 431);
    // A body of exactly 1 MiB is accepted (and refused only by validation).
    const std::string justFits(1024 * 1024, ' ');
    EXPECT_EQ(post("/services/", justFits).status, 400);
    // Still serving, and what it held is intact.
    EXPECT_EQ(get("/api/health").status, 200);
    auto list = parse(get("/services/"));
    bool kept = false;
    for (const auto& s : list) kept = kept || s["name"] == "keeper";
    EXPECT_TRUE(kept);
}

// The server closes after answering a client that asked it to (HTTP/1.0, "Connection: close"),
// instead of keeping it waiting for EOF until the 60 s idle timeout.
TEST_F(ServeHttp, ClosesWhenTheClientAsks) {
    for (const std::string& request :
         {std::string("GET /api/health HTTP/1.0\r\n\r\n"),
          std::string("GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")}) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ASSERT_GE(fd, 0);
        timeval tv{20, 0};  // well under the idle timeout: a read that times out means "kept open"
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port()));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
        std::string reply;
        char buf[4096];
        ssize_t n;
        while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, static_cast<std::size_t>(n));
        ::close(fd);
        EXPECT_EQ(n, 0) << "no EOF after the reply (errno " << errno << "): " << request;
        EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
        EXPECT_NE(reply.find("\"status\""), std::string::npos) << reply;  // the whole body came
    }
}

TEST_F(ServeHttp, HostileInputNeverCrashesTheServer) {
    // Deep nesting within the size limit (recursive JSON code would overflow its stack).
    const std::string deep = R"({"pipeline_type": "t", "status": "running", "metadata": {"m": )" +
                             std::string(400000, '[') + std::string(400000, ']') + "}}";
    auto r = post("/pipelines/", deep);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(parse(r)["field"], "body");
    EXPECT_EQ(post("/api/performance-summary/", "{\"session_id\": " + std::string(400000, '[')).status, 400);
    // Invalid UTF-8, NUL bytes, garbage request lines.
    EXPECT_EQ(post("/services/", std::string("{\"name\": \"\xff\xfe\", \"status\": \"up\"}")).status, 400);
    EXPECT_EQ(post("/alerts/", std::string("{\"title\"\0: 1}", 14)).status, 400);
    httpRequest(port(), "GET /\x01\x02 nonsense", "/");
    httpRequest(port(), "BREW", "/coffee");
    EXPECT_EQ(get("/api/health").status, 200);
}

TEST(ServeAuth, TokenRequiredWhenSet) {
    TempDir dir;
    writeFile(dir.file("token"), "t0ken-123\n");
    ServeProcess server({"--interval", "0.5", "--token-file", dir.file("token")});
    ASSERT_TRUE(server.ok()) << server.log();
    const std::string auth = "Authorization: Bearer t0ken-123";
    ASSERT_TRUE(server.waitForFirstSample({auth}));
    EXPECT_EQ(httpRequest(server.port(), "GET", "/api/health").status, 200);  // open for liveness probes
    const std::string alert = R"({"title": "t", "message": "m", "severity": 1})";
    auto none = httpRequest(server.port(), "POST", "/alerts/", alert);
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(parse(none)["field"], "Authorization");
    EXPECT_EQ(httpRequest(server.port(), "POST", "/alerts/", alert, {"Authorization: Bearer nope"}).status, 401);
    EXPECT_EQ(httpRequest(server.port(), "POST", "/alerts/", alert, {auth}).status, 201);
    EXPECT_EQ(httpRequest(server.port(), "GET", "/api/system/metrics").status, 401);
    EXPECT_EQ(httpRequest(server.port(), "GET", "/api/system/metrics", {}, {auth}).status, 200);
}

TEST(ServeStartup, NonLoopbackBindWithoutTokenIsRefused) {
    TempDir dir;
    pid_t pid =
        spawnProgram({std::string(LOADLINE_BIN_DIR) + "/loadline-cli", "serve", "--bind", "0.0.0.0", "--port", "0"},
                     dir.file("log"));
    auto status = waitForExit(pid, 60);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status));
    EXPECT_EQ(WEXITSTATUS(*status), 2);
    EXPECT_NE(readFile(dir.file("log")).find("--token-file"), std::string::npos);
}

TEST(ServeStartup, BadOptionsAreUsageErrors) {
    TempDir dir;
    for (std::vector<std::string> args : {std::vector<std::string>{"--port", "70000"},
                                          {"--interval", "0"},
                                          {"--history", "zero"},
                                          {"--match", "("},
                                          {"--token-file", "/nonexistent/t"}}) {
        std::vector<std::string> argv = {std::string(LOADLINE_BIN_DIR) + "/loadline-cli", "serve"};
        argv.insert(argv.end(), args.begin(), args.end());
        pid_t pid = spawnProgram(argv, dir.file("log"));
        auto status = waitForExit(pid, 60);
        ASSERT_TRUE(status.has_value());
        EXPECT_EQ(WEXITSTATUS(*status), 2) << args[0] << ": " << readFile(dir.file("log"));
    }
}

// --portfile naming a FIFO: the port is written into the pipe (read here), and the FIFO is
// neither replaced by a regular file at start nor deleted at exit.
TEST(ServeStartup, APortfileThatIsAFifoIsWrittenNeverReplacedOrDeleted) {
    TempDir dir;
    const std::string fifo = dir.file("port.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    ASSERT_GE(reader, 0);
    const pid_t pid = spawnProgram({std::string(LOADLINE_BIN_DIR) + "/loadline-cli", "serve", "--port", "0",
                                    "--interval", "0.5", "--portfile", fifo},
                                   dir.file("log"));
    std::string text;
    for (int i = 0; i < 600 && text.find('\n') == std::string::npos; ++i) {  // bounded: 60 s
        char buf[64];
        const ssize_t n = ::read(reader, buf, sizeof buf);
        if (n > 0) text.append(buf, static_cast<std::size_t>(n));
        else ::usleep(100000);
    }
    ::close(reader);
    const int port = std::atoi(text.c_str());
    EXPECT_GT(port, 0) << "portfile said '" << text << "': " << readFile(dir.file("log"));
    if (port > 0) {
        EXPECT_EQ(httpRequest(port, "GET", "/api/health").status, 200);
    }
    struct stat st {};
    ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "replaced at start";
    ::kill(pid, SIGTERM);
    auto status = waitForExit(pid, 60);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(WEXITSTATUS(*status), 0) << readFile(dir.file("log"));
    ASSERT_EQ(::lstat(fifo.c_str(), &st), 0) << "deleted at exit";
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST(ServeStartup, SigtermShutsDownCleanlyAndRemovesThePortfile) {
    ServeProcess server({"--interval", "0.5"});
    ASSERT_TRUE(server.ok()) << server.log();
    ASSERT_TRUE(server.waitForFirstSample());
    const std::string portfile = server.portfile();
    EXPECT_FALSE(readFile(portfile).empty());
    auto status = server.terminate();
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status)) << "killed by a signal instead of exiting";
    EXPECT_EQ(WEXITSTATUS(*status), 0);
    EXPECT_EQ(::access(portfile.c_str(), F_OK), -1);
}

// serve --match is the process name, --match-cmdline the command line (the recorder's matcher):
// a shell whose command line mentions a word is a command-line match only, and its `sleep`
// child matches neither.
TEST(ServeMatch, MatchIsTheNameAndMatchCmdlineTheCommandLine) {
    TempDir dir;
    const std::string named = dir.file("llserve-name");
    writeFile(named, readFile("/bin/sleep"));
    ASSERT_EQ(::chmod(named.c_str(), 0700), 0);
    const pid_t byName = spawnProgram({named, "600"}, "/dev/null");
    const pid_t shell = spawnProgram({"/bin/sh", "-c", "sleep 600; : llserve-marker"}, "/dev/null");
    ASSERT_GT(byName, 0);
    ASSERT_GT(shell, 0);
    ServeProcess server({"--interval", "0.2", "--match", "^llserve-name$", "--match-cmdline", "llserve-marker"});
    ASSERT_TRUE(server.ok()) << server.log();
    ASSERT_TRUE(server.waitForFirstSample()) << server.log();
    auto tracked = [&](pid_t pid) {
        return httpRequest(server.port(), "GET", "/api/process-metrics/" + std::to_string(pid) + "/").status == 200;
    };
    bool both = false;
    for (int i = 0; i < 300 && !both; ++i) {  // bounded wait for the event, not a speed check
        both = tracked(byName) && tracked(shell);
        if (!both) ::usleep(100'000);
    }
    EXPECT_TRUE(both) << server.log();
    const std::string children =
        readFile("/proc/" + std::to_string(shell) + "/task/" + std::to_string(shell) + "/children");
    const int sleeper = std::atoi(children.c_str());
    EXPECT_GT(sleeper, 0);
    if (sleeper > 0) {
        EXPECT_FALSE(tracked(sleeper));
    }
    server.terminate();
    for (pid_t pid : {byName, shell}) {
        ::kill(pid, SIGKILL);
        waitForExit(pid, 10);
    }
    if (sleeper > 0) ::kill(sleeper, SIGKILL);
}
