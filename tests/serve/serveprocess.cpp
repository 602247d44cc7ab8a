#include "serveprocess.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace loadline::testing {

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

HttpReply httpRequest(int port, const std::string& method, const std::string& target, const std::string& body,
                      const std::vector<std::string>& extraHeaders) {
    HttpReply reply;
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return reply;
    timeval tv{30, 0};  // a hung server fails the test instead of hanging it
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return reply;
    }
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto& h : extraHeaders) req += h + "\r\n";
    if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    std::size_t sent = 0;
    while (sent < req.size()) {
        ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;  // the server may answer early (413) and stop reading: read what it said
        sent += static_cast<std::size_t>(n);
    }
    std::string raw;
    char buf[65536];
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        raw.append(buf, static_cast<std::size_t>(n));
        // Stop at the end of one response (the server may keep the connection open).
        auto headEnd = raw.find("\r\n\r\n");
        if (headEnd != std::string::npos) {
            auto cl = lower(raw.substr(0, headEnd)).find("content-length:");
            if (cl != std::string::npos) {
                std::size_t len = std::strtoul(raw.c_str() + cl + 15, nullptr, 10);
                if (raw.size() >= headEnd + 4 + len) break;
            }
        }
    }
    ::close(fd);
    auto headEnd = raw.find("\r\n\r\n");
    if (raw.rfind("HTTP/1.", 0) != 0 || headEnd == std::string::npos) return reply;
    reply.status = std::atoi(raw.c_str() + 9);
    std::istringstream head(raw.substr(0, headEnd));
    std::string line;
    std::getline(head, line);
    while (std::getline(head, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        reply.headers[lower(line.substr(0, colon))] = value;
    }
    reply.body = raw.substr(headEnd + 4);
    if (auto it = reply.headers.find("content-length"); it != reply.headers.end())
        reply.body.resize(std::min<std::size_t>(reply.body.size(), std::strtoul(it->second.c_str(), nullptr, 10)));
    return reply;
}

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "loadline-serve-XXXXXX").string();
    if (::mkdtemp(tmpl.data())) m_path = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    if (!m_path.empty()) std::filesystem::remove_all(m_path, ec);
}

pid_t spawnProgram(const std::vector<std::string>& argv, const std::string& logPath) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

std::optional<int> waitForExit(pid_t pid, double seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    for (;;) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return status;
        if (r < 0) return std::nullopt;
        if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

ServeProcess::ServeProcess(const std::vector<std::string>& extraArgs) {
    m_portfile = m_dir.file("serve.port");
    std::vector<std::string> argv = {
        std::string(LOADLINE_BIN_DIR) + "/loadline-cli", "serve", "--port", "0", "--portfile", m_portfile};
    argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
    m_pid = spawnProgram(argv, m_dir.file("serve.log"));
    if (m_pid <= 0) return;
    // The portfile appears (atomically, so never half-written) once the server listens.
    for (int i = 0; i < 3000; ++i) {  // bounded: at most ~30 s on a loaded machine
        std::string text = readFile(m_portfile);
        if (!text.empty()) {
            m_port = std::atoi(text.c_str());
            return;
        }
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {  // it exited: a start-up error
            m_pid = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

ServeProcess::~ServeProcess() { terminate(); }

std::string ServeProcess::log() const { return readFile(m_dir.file("serve.log")); }

bool ServeProcess::waitForFirstSample(const std::vector<std::string>& headers) {
    for (int i = 0; i < 600; ++i) {  // bounded: ~30 s
        if (httpRequest(m_port, "GET", "/api/system/metrics", {}, headers).status == 200) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

std::optional<int> ServeProcess::terminate() {
    if (m_pid <= 0) return std::nullopt;
    ::kill(m_pid, SIGTERM);
    auto status = waitForExit(m_pid, 30);
    if (!status) {
        ::kill(m_pid, SIGKILL);
        waitForExit(m_pid, 10);
    }
    m_pid = -1;
    return status;
}

}  // namespace loadline::testing
