#include "alertdispatch.h"

#include <algorithm>
#include <csignal>
#include <cmath>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alert/alertjson.h"

extern char** environ;

namespace loadline::cli {

using namespace core::alert;

namespace {
std::string num(double v) { return std::isfinite(v) ? numberText(v) : std::string(); }
std::string epoch(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}
}  // namespace

AlertDispatcher::AlertDispatcher(std::vector<AlertRule> rules, std::string command, std::FILE* log,
                                 std::size_t maxRunning, std::size_t maxQueued)
    : m_rules(std::move(rules)),
      m_command(std::move(command)),
      m_log(log),
      m_maxRunning(maxRunning),
      m_maxQueued(maxQueued),
      m_worker([this] { work(); }) {}

AlertDispatcher::~AlertDispatcher() { finish(); }

void AlertDispatcher::finish() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_worker.joinable()) m_worker.join();
}

void AlertDispatcher::submit(const AlertEvent& event) {
    {
        std::lock_guard lock(m_mutex);
        if (m_stop) return;
        if (m_queue.size() >= m_maxQueued) {
            ++m_dropped;
            return;
        }
        m_queue.push_back({event.state, *event.interval, event.time, event.value});
    }
    m_cv.notify_one();
}

std::uint64_t AlertDispatcher::commandsRun() const {
    std::lock_guard lock(m_mutex);
    return m_run;
}
std::uint64_t AlertDispatcher::commandsSkipped() const {
    std::lock_guard lock(m_mutex);
    return m_skipped;
}
std::uint64_t AlertDispatcher::eventsDropped() const {
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

std::vector<std::string> AlertDispatcher::environment(const AlertEvent& e, const AlertRule& rule) {
    const AlertInterval& a = *e.interval;
    return {"LOADLINE_ALERT_STATE=" + std::string(stateText(e.state)),
            "LOADLINE_ALERT_RULE=" + a.rule,
            "LOADLINE_ALERT_METRIC=" + a.metric,
            "LOADLINE_ALERT_VALUE=" + num(e.value),
            "LOADLINE_ALERT_THRESHOLD=" + num(rule.threshold),
            "LOADLINE_ALERT_CRITICAL=" + num(rule.critical),
            "LOADLINE_ALERT_SEVERITY=" + std::string(severityText(a.severity)),
            "LOADLINE_ALERT_PID=" + (a.pid > 0 ? std::to_string(a.pid) : std::string()),
            "LOADLINE_ALERT_PROCESS=" + (a.pid > 0 ? a.process : std::string()),
            "LOADLINE_ALERT_START=" + epoch(a.start),
            "LOADLINE_ALERT_END=" + (a.end ? epoch(*a.end) : std::string()),
            "LOADLINE_ALERT_PEAK=" + num(a.peak),
            "LOADLINE_ALERT_PEAK_TIME=" + epoch(a.peakTime),
            "LOADLINE_ALERT_TIME=" + epoch(e.time)};
}

void AlertDispatcher::reap(bool) {
    for (auto it = m_running.begin(); it != m_running.end();) {
        int status = 0;
        if (::waitpid(*it, &status, WNOHANG) == *it) it = m_running.erase(it);
        else ++it;
    }
}

void AlertDispatcher::spawn(const Item& item) {
    reap(false);
    if (m_running.size() >= m_maxRunning) {
        std::lock_guard lock(m_mutex);
        ++m_skipped;
        return;
    }
    AlertEvent e{item.state, &item.interval, item.time, item.value};
    std::vector<std::string> env;
    for (char** p = environ; p && *p; ++p)
        if (std::string_view(*p).rfind("LOADLINE_ALERT_", 0) != 0) env.emplace_back(*p);
    const AlertRule* rule = item.interval.ruleIndex < m_rules.size() ? &m_rules[item.interval.ruleIndex] : nullptr;
    if (rule)
        for (auto& v : environment(e, *rule)) env.push_back(std::move(v));
    std::vector<char*> envp;
    for (auto& v : env) envp.push_back(v.data());
    envp.push_back(nullptr);
    std::string sh = "/bin/sh", dashC = "-c";
    char* argv[] = {sh.data(), dashC.data(), m_command.data(), nullptr};
    // record blocks its stop signals in every thread (it waits for them with sigtimedwait); the
    // command must start with none blocked and default actions, or Ctrl-C would not reach it.
    posix_spawnattr_t attr;
    ::posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGPIPE}) sigaddset(&defaults, sig);
    ::posix_spawnattr_setsigmask(&attr, &none);
    ::posix_spawnattr_setsigdefault(&attr, &defaults);
    ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, "/bin/sh", nullptr, &attr, argv, envp.data());
    ::posix_spawnattr_destroy(&attr);
    if (rc == 0) {
        m_running.push_back(pid);
        std::lock_guard lock(m_mutex);
        ++m_run;
    } else if (m_log) {
        std::fprintf(m_log, "loadline-cli record: --on-alert: cannot start /bin/sh\n");
    }
}

void AlertDispatcher::work() {
    for (;;) {
        Item item;
        {
            std::unique_lock lock(m_mutex);
            // While commands run, wake now and then to reap them (no zombies piling up).
            auto ready = [&] { return m_stop || !m_queue.empty(); };
            if (m_running.empty()) m_cv.wait(lock, ready);
            else m_cv.wait_for(lock, std::chrono::milliseconds(200), ready);
            if (m_queue.empty()) {
                if (m_stop) break;
                lock.unlock();
                reap(false);
                continue;
            }
            item = std::move(m_queue.front());
            m_queue.pop_front();
        }
        if (m_log) {
            std::string line = "alert " + std::string(stateText(item.state)) + ": " + describeInterval(item.interval);
            std::fprintf(m_log, "%s\n", line.c_str());
            std::fflush(m_log);
        }
        if (!m_command.empty()) spawn(item);
    }
    reap(false);
}

}  // namespace loadline::cli
