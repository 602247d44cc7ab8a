// A real Prometheus (Debian's `prometheus`, on loopback, temp config and storage) scrapes a real
// `loadline-cli serve`, and its query API returns the scraped loadline_load1.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <thread>

#include <nlohmann/json.hpp>

#include "serveprocess.h"

using namespace loadline::testing;
using json = nlohmann::json;

namespace {

constexpr const char* kPrometheus = "/usr/bin/prometheus";

int freeLoopbackPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

std::string urlEncode(const std::string& s) {
    std::string out;
    const char* hex = "0123456789ABCDEF";
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '_' || c == '-' || c == '.') out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

TEST(ServePrometheus, PrometheusScrapesLoad1) {
    ASSERT_EQ(::access(kPrometheus, X_OK), 0)
        << kPrometheus << " is missing: scripts/install-deps.sh installs Debian's prometheus package";
    ServeProcess serve({"--interval", "0.5", "--node-id", "prom-node"});
    ASSERT_TRUE(serve.ok()) << serve.log();
    ASSERT_TRUE(serve.waitForFirstSample()) << serve.log();

    TempDir dir;
    const int promPort = freeLoopbackPort();
    ASSERT_GT(promPort, 0);
    writeFile(dir.file("prometheus.yml"),
              "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
              "scrape_configs:\n  - job_name: loadline\n    static_configs:\n      - targets: ['127.0.0.1:" +
                  std::to_string(serve.port()) + "']\n");
    pid_t prom = spawnProgram({kPrometheus, "--config.file=" + dir.file("prometheus.yml"),
                               "--storage.tsdb.path=" + dir.file("data"),
                               "--web.listen-address=127.0.0.1:" + std::to_string(promPort), "--log.level=warn"},
                              dir.file("prometheus.log"));
    ASSERT_GT(prom, 0);

    // Prometheus serves its first scraped sample after ~6 s (DESIGN.md §3): poll its API, bounded.
    json result;
    const std::string query = "/api/v1/query?query=" + urlEncode("loadline_load1{job=\"loadline\"}");
    for (int i = 0; i < 120 && result.empty(); ++i) {  // at most ~60 s on a loaded machine
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        auto r = httpRequest(promPort, "GET", query);
        if (r.status != 200) continue;
        auto j = json::parse(r.body, nullptr, false);
        if (j.is_object() && j["status"] == "success" && !j["data"]["result"].empty()) result = j["data"]["result"];
    }
    auto up = json::parse(httpRequest(promPort, "GET", "/api/v1/query?query=" + urlEncode("up{job=\"loadline\"}")).body,
                          nullptr, false);
    ::kill(prom, SIGTERM);
    auto status = waitForExit(prom, 30);
    if (!status) {
        ::kill(prom, SIGKILL);
        waitForExit(prom, 10);
    }

    ASSERT_FALSE(result.empty()) << "Prometheus never returned loadline_load1\n" << readFile(dir.file("prometheus.log"))
                                 << serve.log();
    ASSERT_EQ(result.size(), 1u);
    EXPECT_EQ(result[0]["metric"]["instance"], "127.0.0.1:" + std::to_string(serve.port()));
    const double load1 = std::stod(result[0]["value"][1].get<std::string>());
    EXPECT_TRUE(std::isfinite(load1));
    EXPECT_GE(load1, 0.0);
    ASSERT_TRUE(up.is_object());
    ASSERT_FALSE(up["data"]["result"].empty());
    EXPECT_EQ(up["data"]["result"][0]["value"][1], "1");  // the scrape itself succeeded
}
