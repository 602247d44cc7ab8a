#pragma once
// Test helpers: start a real `loadline-cli serve` on loopback (port 0 + portfile), talk HTTP/1.1 to
// it over a plain socket, stop it with SIGTERM. Every wait is a bounded loop on a condition.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace loadline::testing {

struct HttpReply {
    int status = 0;                              // 0: no reply (connection failed or closed early)
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

/** One request on a fresh connection ("Connection: close"), reply read to EOF. */
HttpReply httpRequest(int port, const std::string& method, const std::string& target, const std::string& body = {},
                      const std::vector<std::string>& extraHeaders = {});

/** A scratch directory removed at destruction. */
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

/** Spawns a program; stdout+stderr go to logPath. */
pid_t spawnProgram(const std::vector<std::string>& argv, const std::string& logPath);
/** Waits (bounded) for a child to exit; the wait status, or nullopt if it did not exit in time. */
std::optional<int> waitForExit(pid_t pid, double seconds);
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& text);

class ServeProcess {
public:
    /** Starts serve with --port 0 --portfile, plus extra arguments; waits for the port. */
    explicit ServeProcess(const std::vector<std::string>& extraArgs = {});
    ~ServeProcess();
    bool ok() const { return m_port > 0; }
    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    const std::string& portfile() const { return m_portfile; }
    std::string log() const;
    /** Waits (bounded) until /api/system/metrics answers 200, i.e. the sampler ticked. */
    bool waitForFirstSample(const std::vector<std::string>& headers = {});
    /** SIGTERM and wait; returns the wait status (nullopt if it did not exit). */
    std::optional<int> terminate();

private:
    TempDir m_dir;
    std::string m_portfile;
    pid_t m_pid = -1;
    int m_port = 0;
};

}  // namespace loadline::testing
