// A real Prometheus (Debian's `prometheus`, on loopback, temp config and storage; started by the
// fleet tests' PrometheusServer) scrapes a real `loadline-cli serve`, over HTTP and over HTTPS
// with mutual TLS, and its query API returns the scraped loadline_load1. And `import prometheus`
// reads a Prometheus that serves HTTPS: with the CA file, and failing clearly without it.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <thread>

#include <nlohmann/json.hpp>

#include "../fleet/fleetenv.h"
#include "core/format/recordingio.h"
#include "core/store/llrec.h"
#include "serveprocess.h"
#include "testpki.h"

using namespace loadline::testing;
using json = nlohmann::json;

namespace {

// The scraped loadline_load1 of job "loadline" (bounded wait), and `up` for it.
json queryLoad1(const PrometheusServer& prom, json& up) {
    json result;
    const std::string query = "/api/v1/query?query=" + urlEncode("loadline_load1{job=\"loadline\"}");
    for (int i = 0; i < 120 && result.empty(); ++i) {  // at most ~60 s on a loaded machine
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        auto r = httpRequest(prom.port(), "GET", query);
        if (r.status != 200) continue;
        auto j = json::parse(r.body, nullptr, false);
        if (j.is_object() && j["status"] == "success" && !j["data"]["result"].empty()) result = j["data"]["result"];
    }
    up = json::parse(httpRequest(prom.port(), "GET", "/api/v1/query?query=" + urlEncode("up{job=\"loadline\"}")).body,
                     nullptr, false);
    return result;
}

void expectScraped(const json& result, const json& up, int port) {
    ASSERT_EQ(result.size(), 1u);
    EXPECT_EQ(result[0]["metric"]["instance"], "127.0.0.1:" + std::to_string(port));
    const double load1 = std::stod(result[0]["value"][1].get<std::string>());
    EXPECT_TRUE(std::isfinite(load1));
    EXPECT_GE(load1, 0.0);
    ASSERT_TRUE(up.is_object());
    ASSERT_FALSE(up["data"]["result"].empty());
    EXPECT_EQ(up["data"]["result"][0]["value"][1], "1");  // the scrape itself succeeded
}

}  // namespace

TEST(ServePrometheus, PrometheusScrapesLoad1) {
    ASSERT_EQ(::access(kPrometheusBin, X_OK), 0)
        << kPrometheusBin << " is missing: scripts/install-deps.sh installs Debian's prometheus package";
    ServeProcess serve({"--interval", "0.5", "--node-id", "prom-node"});
    ASSERT_TRUE(serve.ok()) << serve.log();
    ASSERT_TRUE(serve.waitForFirstSample()) << serve.log();

    PrometheusServer prom({{"loadline", {serve.port()}}}, false);
    json up;
    const json result = queryLoad1(prom, up);
    ASSERT_FALSE(result.empty()) << "Prometheus never returned loadline_load1\n" << prom.log() << serve.log();
    expectScraped(result, up, serve.port());
}

// The scrape config the README documents: scheme https, tls_config with the CA, a client
// certificate (serve --tls-client-ca) and the server name the certificate carries.
TEST(ServePrometheus, PrometheusScrapesOverTlsWithAClientCertificate) {
    ASSERT_EQ(::access(kPrometheusBin, X_OK), 0) << kPrometheusBin << " is missing";
    TempDir dir;
    TestPki pki(dir.path());
    ASSERT_TRUE(pki.makeCa("ca")) << pki.log();
    ASSERT_TRUE(pki.makeCa("clientca")) << pki.log();
    ASSERT_TRUE(pki.makeCert("ca", "agent", "agent.example", "DNS:agent.example")) << pki.log();
    ASSERT_TRUE(pki.makeCert("clientca", "prometheus", "prometheus", "", 2, true)) << pki.log();
    ServeProcess serve({"--interval", "0.5", "--tls-cert", pki.pem("agent"), "--tls-key", pki.key("agent"),
                        "--tls-client-ca", pki.pem("clientca")});
    ASSERT_TRUE(serve.ok()) << serve.log();

    ScrapeJob job("loadline", {serve.port()},
                  ScrapeTls{pki.pem("ca"), pki.pem("prometheus"), pki.key("prometheus"), "agent.example"});
    PrometheusServer prom({job}, false);
    json up;
    const json result = queryLoad1(prom, up);
    ASSERT_FALSE(result.empty()) << "Prometheus never returned loadline_load1 over TLS\n" << prom.log() << serve.log();
    expectScraped(result, up, serve.port());
}

TEST(ServePrometheus, ImportPrometheusOverHttpsWithTheCaFileAndClearErrorsWithout) {
    ASSERT_EQ(::access(kPrometheusBin, X_OK), 0) << kPrometheusBin << " is missing";
    TempDir dir;
    TestPki pki(dir.path());
    ASSERT_TRUE(pki.makeCa("ca")) << pki.log();
    ASSERT_TRUE(pki.makeCa("otherca")) << pki.log();
    ASSERT_TRUE(pki.makeCert("ca", "prom", "localhost", "DNS:localhost")) << pki.log();
    ServeProcess serve({"--interval", "0.5"});
    ASSERT_TRUE(serve.ok()) << serve.log();
    PrometheusServer prom({{"loadline", {serve.port()}}}, false, PrometheusWebTls{pki.pem("prom"), pki.key("prom")});
    const std::string url = "https://localhost:" + std::to_string(prom.port());
    const std::string instance = "127.0.0.1:" + std::to_string(serve.port());

    CliRun ok;
    for (int i = 0; i < 120; ++i) {  // until Prometheus has scraped the agent (bounded)
        ok = runLoadlineCli({"import", "prometheus", "--url", url, "--ca-file", pki.pem("ca"), "--list"});
        if (ok.exitCode == 0 && ok.output.find(instance) != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    ASSERT_EQ(ok.exitCode, 0) << ok.output << prom.log();
    EXPECT_NE(ok.output.find(instance), std::string::npos) << ok.output;
    const std::string out = dir.file("node.json");
    auto imported = runLoadlineCli({"import", "prometheus", "--url", url, "--ca-file", pki.pem("ca"), "--instance",
                                    instance, "--last", "5m", "-o", out});
    ASSERT_EQ(imported.exitCode, 0) << imported.output;
    EXPECT_NE(readFile(out).find("\"system\""), std::string::npos);
    // A .llrec name is a store here as everywhere, holding what the JSON holds.
    const std::string store = dir.file("node.llrec");
    auto stored = runLoadlineCli({"import", "prometheus", "--url", url, "--ca-file", pki.pem("ca"), "--instance",
                                  instance, "--last", "5m", "-o", store});
    ASSERT_EQ(stored.exitCode, 0) << stored.output;
    EXPECT_TRUE(loadline::core::store::looksLikeStore(store)) << stored.output;
    auto fromJson = loadline::core::loadRecordingFile(out);
    auto fromStore = loadline::core::loadRecordingFile(store);
    ASSERT_TRUE(fromJson && fromStore);
    EXPECT_GE(fromStore->timeline.system.size(), fromJson->timeline.system.size());

    auto wrongCa = runLoadlineCli({"import", "prometheus", "--url", url, "--ca-file", pki.pem("otherca"), "--list"});
    EXPECT_EQ(wrongCa.exitCode, 2) << wrongCa.output;
    EXPECT_NE(wrongCa.output.find("signed by an unknown CA"), std::string::npos) << wrongCa.output;
    auto wrongHost =
        runLoadlineCli({"import", "prometheus", "--url", "https://127.0.0.1:" + std::to_string(prom.port()),
                        "--ca-file", pki.pem("ca"), "--list"});
    EXPECT_EQ(wrongHost.exitCode, 2) << wrongHost.output;
    EXPECT_NE(wrongHost.output.find("is for localhost, not for 127.0.0.1"), std::string::npos) << wrongHost.output;
}
