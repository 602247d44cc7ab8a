// loadline-cli serve: sample continuously and serve the monitor over HTTP (REST for seeds 000
// and 004, Prometheus text at /metrics, pushes of seed 002). Qt HttpServer carries the bytes;
// core/serve holds the API; core/sampler does the sampling.
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alertoptions.h"
#include "argparser.h"
#include "commands.h"
#include "core/collect/processmatcher.h"
#include "core/format/recordingio.h"

#if defined(LOADLINE_WITH_GUI) && defined(LOADLINE_SERVE_SAMPLER)
#include <QCoreApplication>
#include <QHostAddress>
#include <QHostInfo>

#include "app/server/httpservice.h"
#include "app/server/signalwatcher.h"
#include "core/serve/servesampler.h"
#endif

namespace {

constexpr const char* kUsage =
    "Usage: loadline-cli serve [OPTIONS]\n"
    "Samples this machine continuously and serves it over HTTP.\n\n"
    "  --bind ADDR        address to listen on (default 127.0.0.1; any other needs --token-file)\n"
    "  --port N           TCP port (default 8080; 0 picks a free port)\n"
    "  --portfile FILE    write the port actually used to FILE (atomically)\n"
    "  --node-id ID       this node's id (default: the host name)\n"
    "  --interval S       seconds between samples (default 1, at least 0.01)\n"
    "  --history N        samples kept in memory (default 3600)\n"
    "  --token-file FILE  require 'Authorization: Bearer <token>' with the token in FILE\n"
    "  --pid PID          track a process (repeatable)\n"
    "  --match REGEX      track processes whose name matches (psutil's name(), as pgrep; repeatable)\n"
    "  --match-cmdline REGEX  track processes whose command line matches (as pgrep -f; repeatable)\n"
    "  --alert RULE       alert rule (repeatable), e.g. 'cpu_percent > 80 for 10s': GET /api/alerts/,\n"
    "                     loadline_alert_active in /metrics (README: Alerts)\n"
    "  --alerts FILE      rules from a file, one per line ('#' comments)\n"
    "  --help             show this help\n\n"
    "Endpoints: GET /api/health, /api/system/info, /api/system/metrics[?node_id=],\n"
    "/api/system-metrics/, /api/system-timeline/?start=&end=, /api/process-metrics/<pid>/,\n"
    "/api/performance-summary/<session_id>/, /api/alerts/, /metrics (Prometheus); POST /services/, /metrics/,\n"
    "/pipelines/, /alerts/, /api/performance-summary/.\n";

struct ServeOptions {
    std::string bind = "127.0.0.1";
    long port = 8080;
    std::string portfile;
    std::string nodeId;
    double interval = 1.0;
    long history = 3600;
    std::string tokenFile;
    std::vector<int> pids;
    std::vector<std::string> namePatterns, cmdlinePatterns;
    loadline::cli::AlertOptions alerts;
};

// nullopt to go on, else the exit status (0 after --help, 2 on bad usage, message printed).
std::optional<int> parseOptions(int argc, char** argv, ServeOptions& o) {
    using loadline::cli::parseWhole;
    auto whole = [](const std::string& v, long lo, long hi, long& out) {
        long long n = 0;
        if (!parseWhole(v, n) || n < lo || n > hi) return false;
        out = static_cast<long>(n);
        return true;
    };
    loadline::cli::ArgParser args(argv[0], [](std::FILE* out) { std::fputs(kUsage, out); });
    loadline::cli::addAlertOptions(args, o.alerts);
    args.text({"--bind"}, o.bind, "an address")
        .option({"--port"}, "a port number 0-65535", [&](const std::string& v) { return whole(v, 0, 65535, o.port); })
        .text({"--portfile"}, o.portfile, "a file name")
        .option({"--node-id"}, "1-200 characters",
                [&](const std::string& v) {
                    if (v.empty() || v.size() > 200) return false;
                    o.nodeId = v;
                    return true;
                })
        .number({"--interval"}, o.interval, 0.01, 86400, "seconds, at least 0.01")
        .option({"--history"}, "a sample count 1-10000000",
                [&](const std::string& v) { return whole(v, 1, 10'000'000, o.history); })
        .text({"--token-file"}, o.tokenFile, "a file name")
        .option({"--pid"}, "a process id",
                [&](const std::string& v) {
                    long pid = 0;
                    if (!whole(v, 1, 0x7fffffff, pid)) return false;
                    o.pids.push_back(static_cast<int>(pid));
                    return true;
                })
        .option({"--match"}, "a regular expression (ECMAScript) over the process name", [&](const std::string& v) {
            if (!loadline::core::ProcessMatcher::check(v)) return false;
            o.namePatterns.push_back(v);
            return true;
        })
        .option({"--match-cmdline"}, "a regular expression (ECMAScript) over the command line", [&](const std::string& v) {
            if (!loadline::core::ProcessMatcher::check(v)) return false;
            o.cmdlinePatterns.push_back(v);
            return true;
        });
    return args.parse(argc, argv);
}

[[maybe_unused]] bool readToken(const std::string& path, std::string& token, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": " + std::strerror(errno);
        return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    token = ss.str();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) token.erase(0, 1);
    if (token.empty()) {
        error = path + ": the token file is empty";
        return false;
    }
    if (token.find_first_of("\r\n") != std::string::npos || token.size() > 4096) {
        error = path + ": the token must be one line of at most 4096 bytes";
        return false;
    }
    return true;
}

}  // namespace

int loadline::cli::runServe(int argc, char** argv) {
    ServeOptions o;
    if (auto status = parseOptions(argc, argv, o)) return *status;
    const char* me = argv[0];
#if !defined(LOADLINE_WITH_GUI)
    std::fprintf(stderr, "%s: this build has no Qt HttpServer (configure with LOADLINE_BUILD_GUI=ON)\n", me);
    return 1;
#elif !defined(LOADLINE_SERVE_SAMPLER)
    std::fprintf(stderr, "%s: this build has no sampler (core/sampler) yet\n", me);
    return 1;
#else
    std::string token;
    if (!o.tokenFile.empty()) {
        std::string error;
        if (!readToken(o.tokenFile, token, error)) {
            std::fprintf(stderr, "%s: --token-file %s\n", me, error.c_str());
            return 2;
        }
    }
    QHostAddress address;
    if (o.bind == "localhost") address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(QString::fromStdString(o.bind))) {
        std::fprintf(stderr, "%s: --bind: '%s' is not an IP address\n", me, o.bind.c_str());
        return 2;
    }
    if (!address.isLoopback() && token.empty()) {
        std::fprintf(stderr,
                     "%s: --bind %s is reachable from other machines: give --token-file FILE so that "
                     "only clients with the token can read and push\n",
                     me, o.bind.c_str());
        return 2;
    }

    int qtArgc = 1;
    char* qtArgv[] = {argv[0], nullptr};
    QCoreApplication app(qtArgc, qtArgv);

    core::serve::ApiConfig config;
    config.nodeId = o.nodeId.empty() ? QHostInfo::localHostName().toStdString() : o.nodeId;
    config.token = token;
    config.pushLimits.pointsPerSeries = static_cast<std::size_t>(o.history);
    auto live = std::make_shared<core::serve::LiveData>(static_cast<std::size_t>(o.history));

    core::serve::SamplerSetup setup;
    setup.interval = o.interval;
    setup.history = static_cast<std::size_t>(o.history);
    setup.pids = o.pids;
    setup.namePatterns = o.namePatterns;
    setup.cmdlinePatterns = o.cmdlinePatterns;
    setup.nodeId = config.nodeId;
    std::string error;
    if (!loadline::cli::resolveAlertRules(o.alerts, setup.alerts, error)) {
        std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", me, error.c_str(), me);
        return 2;
    }
    auto sampler = core::serve::ServeSampler::create(setup, live, &error);
    if (!sampler || !sampler->start(&error)) {  // a PID that does not exist, a bad pattern
        std::fprintf(stderr, "%s: %s\n", me, error.c_str());
        return 2;
    }

    // The sampler thread exists now (nice as before). Requests are served on this thread: give it
    // a lower priority, so that a flood of requests cannot push the sampler off its schedule.
    {
        const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
        errno = 0;
        const int nice = ::getpriority(PRIO_PROCESS, tid);
        if (errno == 0) ::setpriority(PRIO_PROCESS, tid, std::min(nice + 5, 19));
    }

    server::HttpService service(config, live);
    QString listenError;
    const quint16 port = service.start(address, static_cast<quint16>(o.port), &listenError);
    if (!port) {
        std::fprintf(stderr, "%s: cannot listen on %s port %ld: %s\n", me, o.bind.c_str(), o.port,
                     listenError.toLocal8Bit().constData());
        return 1;
    }
    if (!o.portfile.empty()) {
        std::string err;
        if (!core::writeFileAtomically(o.portfile, std::to_string(port) + "\n", &err)) {
            std::fprintf(stderr, "%s: --portfile %s\n", me, err.c_str());
            return 1;
        }
    }
    std::fprintf(stderr, "%s: node %s serving http://%s:%u/ (every %.3g s, %ld samples kept)%s\n", me,
                 config.nodeId.c_str(),
                 address.protocol() == QAbstractSocket::IPv6Protocol ? ("[" + o.bind + "]").c_str() : o.bind.c_str(),
                 unsigned(port), o.interval, o.history, token.empty() ? "" : ", token required");

    server::SignalWatcher watcher;
    int exitSignal = 0;
    QObject::connect(&watcher, &server::SignalWatcher::terminationRequested, &app, [&](int sig) {
        exitSignal = sig;
        QCoreApplication::quit();
    });
    const int rc = app.exec();
    sampler->stop();
    struct stat portfileStat {};  // only the regular file written above is removed, never a device or FIFO
    if (!o.portfile.empty() && ::lstat(o.portfile.c_str(), &portfileStat) == 0 && S_ISREG(portfileStat.st_mode))
        ::unlink(o.portfile.c_str());
    std::fprintf(stderr, "%s: stopped (%s) after %llu ticks\n", me, exitSignal ? strsignal(exitSignal) : "quit",
                 static_cast<unsigned long long>(live->ticks()));
    return rc;
#endif
}
