// loadline-cli import prometheus against a real Prometheus (Debian's package) on loopback with a
// 1 s scrape interval and basic auth (--web.config.file), scraping two `loadline-cli serve` agents
// and a prometheus-node-exporter. Each instance is imported and checked against an independent
// source over the same window:
//  - an agent's system CPU, memory and load against its own /api/system-timeline/;
//  - node_exporter's against /proc/stat deltas and /proc/meminfo read by this test.
// Tolerances (stated): CPU means within 10 percentage points (the import's rates span 4 s windows,
// the references the plain window; both see the same /proc/stat, but the machine's load moves
// between their sample times), memory % within 2 points, load1 within 1.5.
// --list names each instance's job and exporter.
// Bad input: unknown instance, empty range, 401 without / with wrong credentials, a bearer proxy
// that refuses a wrong token: each exit 2, one line, no file.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/format/recordingio.h"
#include "fleetenv.h"

using namespace loadline::testing;
using json = nlohmann::json;

namespace {

double nowSeconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool exists(const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0;
}

std::string str(double t) {
    char b[64];
    std::snprintf(b, sizeof b, "%.3f", t);
    return b;
}

// Mean of a column over rows with from <= t <= to.
double meanColumn(const loadline::core::SeriesTable& t, const char* column, double from, double to, int* n = nullptr) {
    double sum = 0;
    int count = 0;
    for (std::size_t r = 0; r < t.size(); ++r) {
        if (t.timestamp(r) < from || t.timestamp(r) > to) continue;
        double v = t.value(column, r);
        if (std::isnan(v)) continue;
        sum += v;
        ++count;
    }
    if (n) *n = count;
    return count ? sum / count : NAN;
}

// A one-line message, exit 2, and no file: what every refused import must do.
void expectRefused(const CliRun& run, const std::string& out, const std::string& needle) {
    EXPECT_EQ(run.exitCode, 2) << run.output;
    ASSERT_FALSE(run.output.empty());
    EXPECT_EQ(run.output.find('\n'), run.output.size() - 1) << "more than one line:\n" << run.output;
    EXPECT_NE(run.output.find(needle), std::string::npos) << run.output;
    EXPECT_FALSE(exists(out)) << out << " was written";
}

}  // namespace

TEST(PrometheusImport, AgentsAndNodeExporterMatchTheirOwnSources) {
    ASSERT_EQ(::access(kPrometheusBin, X_OK), 0) << "scripts/install-deps.sh installs Debian's prometheus";
    ASSERT_EQ(::access(kNodeExporterBin, X_OK), 0) << "scripts/install-deps.sh installs prometheus-node-exporter";

    ServeProcess agentA({"--interval", "0.5", "--node-id", "agent-a", "--pid", std::to_string(::getpid())});
    ServeProcess agentB({"--interval", "0.5", "--node-id", "agent-b"});
    ASSERT_TRUE(agentA.ok() && agentB.ok()) << agentA.log() << agentB.log();
    const int nodePort = freeLoopbackPort();
    TempDir tmp;
    Child node({kNodeExporterBin, "--web.listen-address=127.0.0.1:" + std::to_string(nodePort),
                "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.loadavg",
                "--collector.diskstats", "--collector.netdev"},
               tmp.file("node_exporter.log"));
    ASSERT_GT(node.pid(), 0);
    PrometheusServer prom({{"agents", {agentA.port(), agentB.port()}}, {"node", {nodePort}}}, true);
    ASSERT_TRUE(prom.waitForTargets(3, 3, 60)) << "Prometheus did not scrape all three targets\n"
                                               << prom.log() << node.log() << agentA.log();

    // The window: /proc/stat and meminfo read here at both ends.
    const double t1 = nowSeconds();
    const CpuJiffies j1 = readProcStatCpu();
    std::this_thread::sleep_for(std::chrono::seconds(12));
    const CpuJiffies j2 = readProcStatCpu();
    const double t2 = nowSeconds();
    const double procStatCpu = 100.0 * (j2.busy - j1.busy) / (j2.total - j1.total);
    std::this_thread::sleep_for(std::chrono::seconds(2));  // let the last scrapes land

    writeFile(tmp.file("basic"), std::string(kBasicUser) + ":" + kBasicPassword + "\n");
    const std::string instA = "127.0.0.1:" + std::to_string(agentA.port());
    const std::string instB = "127.0.0.1:" + std::to_string(agentB.port());
    const std::string instNode = "127.0.0.1:" + std::to_string(nodePort);
    // Rates at t cover (t - 4 s, t]: compare the points whose windows lie inside [t1, t2].
    const double from = t1 + 4, to = t2;

    for (const auto& [inst, agent] : {std::pair{instA, &agentA}, std::pair{instB, &agentB}}) {
        const std::string out = tmp.file("agent.json");
        ::unlink(out.c_str());
        auto run = runLoadlineCli({"import", "prometheus", "--url", prom.url(), "--instance", inst, "--from", str(from),
                                   "--to", str(to), "--basic-auth-file", tmp.file("basic"), "-o", out});
        ASSERT_EQ(run.exitCode, 0) << run.output;
        EXPECT_NE(run.output.find("loadline instance " + inst), std::string::npos) << run.output;
        auto loaded = loadline::core::loadRecordingFile(out);
        ASSERT_TRUE(loaded) << loaded.error().toString();
        const auto& imported = loaded->timeline.system;
        int n = 0;
        const double cpuImported = meanColumn(imported, "cpu_percent", from, to, &n);
        EXPECT_GE(n, 6) << "too few imported points in " << to - from << " s";
        EXPECT_EQ(loaded->timeline.metadata.sampleInterval, 1.0);

        auto reply = httpRequest(agent->port(), "GET", "/api/system-timeline/?start=" + str(t1) + "&end=" + str(t2));
        ASSERT_EQ(reply.status, 200) << reply.body;
        auto own = loadline::core::loadRecordingFromString(reply.body, "agent");
        ASSERT_TRUE(own) << own.error().toString();
        const auto& history = own->timeline.system;
        const double cpuOwn = meanColumn(history, "cpu_percent", t1, t2);
        std::printf("%s: system CPU imported %.1f %% (%d points), the agent's own history %.1f %%\n", inst.c_str(),
                    cpuImported, n, cpuOwn);
        EXPECT_NEAR(cpuImported, cpuOwn, 10.0) << inst;
        EXPECT_NEAR(meanColumn(imported, "memory_percent", from, to), meanColumn(history, "memory_percent", t1, t2),
                    2.0);
        EXPECT_NEAR(meanColumn(imported, "load_avg_1m", from, to), meanColumn(history, "load_avg_1m", t1, t2), 1.5);
        EXPECT_GE(imported.columnIndex("cpu_percent_per_core[0]"), 0);
        if (agent == &agentA) {  // it tracks this test process: per-process series come back
            const auto& procs = loaded->timeline.processes;
            ASSERT_EQ(procs.count(::getpid()), 1u) << "tracked process missing";
            const auto& p = procs.at(::getpid());
            EXPECT_FALSE(p.latestText("name").empty());
            EXPECT_GE(p.samples.columnIndex("memory_rss_mb"), 0);
            EXPECT_GT(p.samples.size(), 3u);
        }
    }

    {
        const std::string out = tmp.file("node.json");
        auto run = runLoadlineCli({"import", "prometheus", "--url", prom.url(), "--instance", instNode, "--from",
                                   str(from), "--to", str(to), "--basic-auth-file", tmp.file("basic"), "-o", out});
        ASSERT_EQ(run.exitCode, 0) << run.output;
        EXPECT_NE(run.output.find("node_exporter instance"), std::string::npos) << run.output;
        auto loaded = loadline::core::loadRecordingFile(out);
        ASSERT_TRUE(loaded) << loaded.error().toString();
        const auto& imported = loaded->timeline.system;
        std::printf("node_exporter: system CPU imported %.1f %%, /proc/stat delta %.1f %%\n",
                    meanColumn(imported, "cpu_percent", from, to), procStatCpu);
        EXPECT_NEAR(meanColumn(imported, "cpu_percent", from, to), procStatCpu, 10.0);
        // psutil's memory percent from /proc/meminfo now (memory moves little in seconds).
        std::string meminfo = readFile("/proc/meminfo");
        auto field = [&](const char* key) {
            auto p = meminfo.find(key);
            return p == std::string::npos ? NAN : std::atof(meminfo.c_str() + p + std::strlen(key));
        };
        const double memPct = 100.0 * (1 - field("MemAvailable:") / field("MemTotal:"));
        EXPECT_NEAR(meanColumn(imported, "memory_percent", from, to), memPct, 2.0);
        EXPECT_NEAR(meanColumn(imported, "memory_total_mb", from, to), field("MemTotal:") / 1024.0, 1.0);
        EXPECT_TRUE(loaded->timeline.processes.empty());
    }

    {  // --list: every instance with its job, up and exporter
        auto run = runLoadlineCli(
            {"import", "prometheus", "--url", prom.url(), "--list", "--basic-auth-file", tmp.file("basic")});
        ASSERT_EQ(run.exitCode, 0) << run.output;
        auto row = [&](const std::string& inst) {
            auto p = run.output.find(inst);
            return p == std::string::npos ? std::string() : run.output.substr(p, run.output.find('\n', p) - p);
        };
        EXPECT_NE(row(instA).find("agents"), std::string::npos) << run.output;
        EXPECT_NE(row(instA).find("loadline"), std::string::npos) << run.output;
        EXPECT_NE(row(instB).find("loadline"), std::string::npos) << run.output;
        EXPECT_NE(row(instNode).find("node_exporter"), std::string::npos) << run.output;
        EXPECT_NE(row(instNode).find("yes"), std::string::npos) << run.output;
    }

    // --- bad input against the same server: one line, exit 2, nothing written ---
    const std::string out = tmp.file("refused.json");
    expectRefused(runLoadlineCli({"import", "prometheus", "--url", prom.url(), "--instance", "10.9.9.9:1", "--last",
                                  "5m", "--basic-auth-file", tmp.file("basic"), "-o", out}),
                  out, "has no instance \"10.9.9.9:1\" (it has: ");
    expectRefused(runLoadlineCli({"import", "prometheus", "--url", prom.url(), "--instance", instNode, "--from",
                                  "2001-09-09T01:46:40Z", "--to", "2001-09-09T02:46:40Z", "--basic-auth-file",
                                  tmp.file("basic"), "-o", out}),
                  out, "has no samples of instance \"" + instNode + "\" between 2001-09-09T01:46:40Z");
    expectRefused(runLoadlineCli({"import", "prometheus", "--url", prom.url(), "--instance", instNode, "--from",
                                  str(to), "--to", str(from), "-o", out}),
                  out, "empty time range");
    expectRefused(runLoadlineCli(
                      {"import", "prometheus", "--url", prom.url(), "--instance", instNode, "--last", "5m", "-o", out}),
                  out, "refused the request (HTTP 401 Unauthorized)");
    writeFile(tmp.file("wrong"), std::string(kBasicUser) + ":not-the-password\n");
    expectRefused(runLoadlineCli({"import", "prometheus", "--url", prom.url(), "--instance", instNode, "--last", "5m",
                                  "--basic-auth-file", tmp.file("wrong"), "-o", out}),
                  out, "HTTP 401");

    // --- bearer tokens: Prometheus 2.42 cannot check them itself, so a proxy in front does ---
    BearerProxy proxy(prom.port(), "tok-123", prom.authHeaders());
    ASSERT_GT(proxy.port(), 0);
    const std::string proxyUrl = "http://127.0.0.1:" + std::to_string(proxy.port());
    writeFile(tmp.file("token"), "tok-123\n");
    writeFile(tmp.file("badtoken"), "tok-999\n");
    const std::string viaProxy = tmp.file("proxy.json");
    auto run = runLoadlineCli({"import", "prometheus", "--url", proxyUrl, "--instance", instNode, "--from", str(from),
                               "--to", str(to), "--bearer-token-file", tmp.file("token"), "-o", viaProxy});
    ASSERT_EQ(run.exitCode, 0) << run.output;
    EXPECT_TRUE(exists(viaProxy));
    expectRefused(runLoadlineCli({"import", "prometheus", "--url", proxyUrl, "--instance", instNode, "--last", "5m",
                                  "--bearer-token-file", tmp.file("badtoken"), "-o", out}),
                  out, "HTTP 401");
}

TEST(PrometheusImport, UnreachableAndNotPrometheusAreOneLineErrors) {
    TempDir tmp;
    const std::string out = tmp.file("x.json");
    const int nobody = freeLoopbackPort();
    expectRefused(runLoadlineCli({"import", "prometheus", "--url", "http://127.0.0.1:" + std::to_string(nobody),
                                  "--instance", "a:1", "--last", "1h", "-o", out}),
                  out,
                  "cannot reach Prometheus at http://127.0.0.1:" + std::to_string(nobody) + ": Connection refused");
    ServeProcess agent({"--interval", "0.5"});  // an HTTP server that is not Prometheus
    ASSERT_TRUE(agent.ok()) << agent.log();
    expectRefused(runLoadlineCli({"import", "prometheus", "--url", "http://127.0.0.1:" + std::to_string(agent.port()),
                                  "--instance", "a:1", "--last", "1h", "-o", out}),
                  out, "does not look like a Prometheus server: GET /api/v1/label/__name__/values answered HTTP 404");
    auto usage =
        runLoadlineCli({"import", "prometheus", "--url", "http://x", "--instance", "a:1", "--last", "1w", "-o", out});
    EXPECT_EQ(usage.exitCode, 2);
    EXPECT_NE(usage.output.find("--last '1w' is not a duration"), std::string::npos) << usage.output;
    auto missingToken = runLoadlineCli({"import", "prometheus", "--url", "http://x", "--instance", "a:1",
                                        "--bearer-token-file", tmp.file("none"), "-o", out});
    EXPECT_EQ(missingToken.exitCode, 2);
    EXPECT_NE(missingToken.output.find("cannot read the bearer token file"), std::string::npos) << missingToken.output;
}
