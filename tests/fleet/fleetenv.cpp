#include "fleetenv.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace loadline::testing {

namespace {

std::string base64(const std::string& in) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0, bits = -6;
    for (unsigned char c : in) {
        val = (val << 8) + c;
        bits += 8;
        while (bits >= 0) {
            out += t[(val >> bits) & 0x3F];
            bits -= 6;
        }
    }
    if (bits > -6) out += t[((val << 8) >> (bits + 8)) & 0x3F];
    while (out.size() % 4) out += '=';
    return out;
}

void writeAll(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        ssize_t n = ::write(fd, s.data() + off, s.size() - off);
        if (n <= 0) return;
        off += static_cast<std::size_t>(n);
    }
}

// Sends one request upstream (Connection: close) and returns the raw response bytes, chunked
// or not, to hand back verbatim.
std::string relay(int port, const std::string& requestLine, const std::vector<std::string>& headers) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{30, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string raw;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
        std::string req = requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        for (const auto& h : headers) req += h + "\r\n";
        writeAll(fd, req + "\r\n");
        char buf[65536];
        for (;;) {
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) break;
            raw.append(buf, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    return raw;
}

}  // namespace

std::string basicAuthHeader() {
    return "Authorization: Basic " + base64(std::string(kBasicUser) + ":" + kBasicPassword);
}

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

Child::Child(const std::vector<std::string>& argv, const std::string& log) : m_log(log) {
    m_pid = spawnProgram(argv, log);
}

Child::~Child() { stop(); }

void Child::stop() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGTERM);
    if (!waitForExit(m_pid, 20)) {
        ::kill(m_pid, SIGKILL);
        waitForExit(m_pid, 10);
    }
    m_pid = -1;
}

PrometheusServer::PrometheusServer(const std::vector<ScrapeJob>& jobs, bool withBasicAuth,
                                   const PrometheusWebTls& webTls)
    : m_basic(withBasicAuth) {
    m_port = freeLoopbackPort();
    std::string cfg =
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n";
    for (const auto& j : jobs) {
        cfg += "  - job_name: " + j.name + "\n    static_configs:\n      - targets: [";
        for (std::size_t i = 0; i < j.ports.size(); ++i)
            cfg += (i ? ", " : "") + std::string("'127.0.0.1:") + std::to_string(j.ports[i]) + "'";
        cfg += "]\n";
        if (!j.tls.caFile.empty()) {
            cfg += "    scheme: https\n    tls_config:\n      ca_file: " + j.tls.caFile + "\n";
            if (!j.tls.certFile.empty())
                cfg += "      cert_file: " + j.tls.certFile + "\n      key_file: " + j.tls.keyFile + "\n";
            if (!j.tls.serverName.empty()) cfg += "      server_name: " + j.tls.serverName + "\n";
        }
    }
    writeFile(m_dir.file("prometheus.yml"), cfg);
    std::vector<std::string> argv = {kPrometheusBin, "--config.file=" + m_dir.file("prometheus.yml"),
                                     "--storage.tsdb.path=" + m_dir.file("data"),
                                     "--web.listen-address=127.0.0.1:" + std::to_string(m_port), "--log.level=warn"};
    std::string web;
    if (withBasicAuth) web += std::string("basic_auth_users:\n  ") + kBasicUser + ": '" + kBasicHash + "'\n";
    if (!webTls.certFile.empty())
        web += "tls_server_config:\n  cert_file: " + webTls.certFile + "\n  key_file: " + webTls.keyFile + "\n";
    if (!web.empty()) {
        writeFile(m_dir.file("web.yml"), web);
        argv.push_back("--web.config.file=" + m_dir.file("web.yml"));
    }
    m_child = std::make_unique<Child>(argv, m_dir.file("prometheus.log"));
}

std::vector<std::string> PrometheusServer::authHeaders() const {
    return m_basic ? std::vector<std::string>{basicAuthHeader()} : std::vector<std::string>{};
}

bool PrometheusServer::waitForTargets(int n, int minSamples, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    const std::string q = "/api/v1/query?query=" + urlEncode("count_over_time(up[1m]) and up == 1");
    while (std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        auto r = httpRequest(m_port, "GET", q, {}, authHeaders());
        if (r.status != 200) continue;
        auto j = nlohmann::json::parse(r.body, nullptr, false);
        if (!j.is_object() || j["status"] != "success") continue;
        const auto& res = j["data"]["result"];
        int ready = 0;
        for (const auto& s : res)
            if (std::stod(s["value"][1].get<std::string>()) >= minSamples) ++ready;
        if (ready >= n) return true;
    }
    return false;
}

BearerProxy::BearerProxy(int upstreamPort, std::string token, std::vector<std::string> upstreamHeaders)
    : m_upstream(upstreamPort), m_token(std::move(token)), m_headers(std::move(upstreamHeaders)) {
    m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::listen(m_listen, 64) == 0 &&
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        m_port = ntohs(a.sin_port);
    m_thread = std::thread([this] { serve(); });
}

BearerProxy::~BearerProxy() {
    m_stop = true;
    m_thread.join();
    ::close(m_listen);
}

void BearerProxy::serve() {
    while (!m_stop) {
        pollfd p{m_listen, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        int c = ::accept(m_listen, nullptr, nullptr);
        if (c < 0) continue;
        std::string req;
        char buf[4096];
        while (req.find("\r\n\r\n") == std::string::npos) {
            pollfd q{c, POLLIN, 0};
            if (::poll(&q, 1, 5000) <= 0) break;
            ssize_t n = ::read(c, buf, sizeof buf);
            if (n <= 0) break;
            req.append(buf, static_cast<std::size_t>(n));
        }
        std::istringstream in(req);
        std::string method, target, line, auth;
        in >> method >> target;
        std::getline(in, line);
        while (std::getline(in, line) && line != "\r") {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            auto colon = line.find(':');
            if (colon == std::string::npos) continue;
            std::string name = line.substr(0, colon);
            for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            if (name == "authorization") auth = line.substr(line.find_first_not_of(' ', colon + 1));
        }
        std::string reply;
        if (auth != "Bearer " + m_token) {
            reply =
                "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
                "Connection: close\r\n\r\nUnauthorized\n";
        } else {
            reply = relay(m_upstream, method + " " + target, m_headers);
        }
        writeAll(c, reply);
        ::shutdown(c, SHUT_WR);
        ::close(c);
    }
}

CliRun runLoadlineCli(const std::vector<std::string>& args, double seconds) {
    TempDir dir;
    std::vector<std::string> argv = {std::string(LOADLINE_BIN_DIR) + "/loadline-cli"};
    argv.insert(argv.end(), args.begin(), args.end());
    CliRun run;
    pid_t pid = spawnProgram(argv, dir.file("out.log"));
    if (pid <= 0) return run;
    auto status = waitForExit(pid, seconds);
    if (!status) {
        ::kill(pid, SIGKILL);
        waitForExit(pid, 10);
    } else if (WIFEXITED(*status)) {
        run.exitCode = WEXITSTATUS(*status);
    }
    run.output = readFile(dir.file("out.log"));
    return run;
}

CpuJiffies readProcStatCpu() {
    std::ifstream f("/proc/stat");
    std::string cpu;
    double v[10] = {};
    f >> cpu;
    for (double& x : v) f >> x;
    // user nice system idle iowait irq softirq steal guest guest_nice; guest is inside user.
    CpuJiffies j;
    j.total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
    j.busy = j.total - v[3] - v[4];
    return j;
}

}  // namespace loadline::testing
