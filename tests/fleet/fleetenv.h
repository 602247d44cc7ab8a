#pragma once
// A small fleet on loopback for tests: Debian's Prometheus (temp config and storage, 1 s scrape
// interval, optionally with --web.config.file for basic auth), Debian's prometheus-node-exporter
// run directly on a free port, a bearer-token proxy in front of Prometheus (Prometheus 2.42's web
// config checks basic auth and TLS client certificates but no bearer tokens), and a runner for
// loadline-cli. Every wait is bounded.

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

#include "../serve/serveprocess.h"

namespace loadline::testing {

inline constexpr const char* kPrometheusBin = "/usr/bin/prometheus";
inline constexpr const char* kNodeExporterBin = "/usr/bin/prometheus-node-exporter";
// Basic auth of the test Prometheus: user "loadline", password "s3cret-pass", bcrypt cost 4
// (`htpasswd -nbBC 4 loadline s3cret-pass`; cost 4 keeps Prometheus's per-request check cheap).
inline constexpr const char* kBasicUser = "loadline";
inline constexpr const char* kBasicPassword = "s3cret-pass";
inline constexpr const char* kBasicHash = "$2y$04$q3HKFsZr6rbjLwWCNwstyeXUi23q3L/zDuBAWf3M9sm5o4K5l3GLm";
/** "Authorization: Basic ..." for kBasicUser / kBasicPassword. */
std::string basicAuthHeader();

int freeLoopbackPort();
std::string urlEncode(const std::string& s);

/** A child process stopped with SIGTERM (then SIGKILL) at destruction. */
class Child {
public:
    Child() = default;
    Child(const std::vector<std::string>& argv, const std::string& log);
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    pid_t pid() const { return m_pid; }
    std::string log() const { return readFile(m_log); }
    void stop();

private:
    pid_t m_pid = -1;
    std::string m_log;
};

/** scheme: https with tls_config (caFile; certFile/keyFile for mutual TLS; serverName checked
 *  against the target's certificate) when caFile is set. */
struct ScrapeTls {
    std::string caFile, certFile, keyFile, serverName;
};

struct ScrapeJob {
    ScrapeJob(std::string n, std::vector<int> p, ScrapeTls t = {})
        : name(std::move(n)), ports(std::move(p)), tls(std::move(t)) {}
    std::string name;
    std::vector<int> ports;  // 127.0.0.1:PORT targets
    ScrapeTls tls;
};

/** Prometheus's own web listener over TLS (--web.config.file tls_server_config). */
struct PrometheusWebTls {
    std::string certFile, keyFile;
};

class PrometheusServer {
public:
    /** Starts Prometheus scraping the jobs every second; withBasicAuth adds a web config, webTls
     *  makes its API HTTPS (then waitForTargets() cannot ask it: query it over TLS yourself). */
    PrometheusServer(const std::vector<ScrapeJob>& jobs, bool withBasicAuth, const PrometheusWebTls& webTls = {});
    int port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    /** Headers that let a request in (basic auth when the server wants it). */
    std::vector<std::string> authHeaders() const;
    /** Waits (bounded) until `up` reports n targets up and each has `minSamples` scrapes. */
    bool waitForTargets(int n, int minSamples, double seconds);
    std::string log() const { return m_child ? m_child->log() : std::string(); }
    const TempDir& dir() const { return m_dir; }

private:
    TempDir m_dir;
    int m_port = 0;
    bool m_basic = false;
    std::unique_ptr<Child> m_child;
};

/** Checks "Authorization: Bearer <token>" and forwards GETs to Prometheus with its own headers. */
class BearerProxy {
public:
    BearerProxy(int upstreamPort, std::string token, std::vector<std::string> upstreamHeaders);
    ~BearerProxy();
    int port() const { return m_port; }

private:
    void serve();
    int m_listen = -1;
    int m_port = 0;
    int m_upstream;
    std::string m_token;
    std::vector<std::string> m_headers;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

struct CliRun {
    int exitCode = -1;   // -1: did not exit normally in time
    std::string output;  // stdout and stderr together
};
/** Runs build/bin/loadline-cli with the arguments (bounded by seconds). */
CliRun runLoadlineCli(const std::vector<std::string>& args, double seconds = 60);

/** /proc/stat's aggregate "cpu" line: busy (psutil: total - idle - iowait) and total jiffies. */
struct CpuJiffies {
    double busy = 0, total = 0;
};
CpuJiffies readProcStatCpu();

}  // namespace loadline::testing
