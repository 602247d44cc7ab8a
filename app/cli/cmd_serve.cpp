// loadline-cli serve: sample continuously and serve the monitor over HTTP or HTTPS (REST, Prometheus
// text at /metrics, pushes). app/server carries the bytes (QtNetwork, QSslSocket for TLS);
// core/serve holds the API and what command lines reveal; core/sampler does the sampling.
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <optional>
#include <csignal>
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
#include "cmdline.h"
#include "commands.h"
#include "core/collect/processmatcher.h"
#include "core/format/recordingio.h"

#if defined(LOADLINE_WITH_GUI)
#include <QCoreApplication>
#include <QHostAddress>
#include <QHostInfo>

#include "app/server/httpservice.h"
#include "app/server/signalwatcher.h"
#include "app/server/tlsconfig.h"
#include "core/serve/servesampler.h"
#endif

namespace {

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
    std::string tlsCert, tlsKey, tlsClientCa;
    double handshakeTimeout = 5;
    bool redact = false, noRedact = false, noCmdline = false;
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
    loadline::cli::CmdLine args(
        argv[0], "Samples this machine continuously and serves it over HTTP.",
        "Endpoints: GET /api/health, /api/system/info, /api/system/metrics[?node_id=], /api/system-metrics/, "
        "/api/system-timeline/?start=&end=, /api/process-metrics/<pid>/, /api/performance-summary/<session_id>/, "
        "/api/alerts/, /metrics (Prometheus); POST /services/, /metrics/, /pipelines/, /alerts/, "
        "/api/performance-summary/. Alerts (--alert, --alerts) are served at GET /api/alerts/ and as "
        "loadline_alert_active in /metrics.");
    args.text({"--bind"}, o.bind, "ADDR", "an address",
              "address to listen on (default 127.0.0.1; any other needs --token-file)")
        .option(
            {"--port"}, "N", "a port number 0-65535", [&](const std::string& v) { return whole(v, 0, 65535, o.port); },
            "TCP port (default 8080; 0 picks a free port)")
        .text({"--portfile"}, o.portfile, "FILE", "a file name", "write the port actually used to FILE (atomically)")
        .option(
            {"--node-id"}, "ID", "1-200 characters",
            [&](const std::string& v) {
                if (v.empty() || v.size() > 200) return false;
                o.nodeId = v;
                return true;
            },
            "this node's id (default: the host name)")
        .number({"--interval"}, o.interval, 0.01, 86400, "S", "seconds, at least 0.01",
                "seconds between samples (default 1, at least 0.01)")
        .option(
            {"--history"}, "N", "a sample count 1-10000000",
            [&](const std::string& v) { return whole(v, 1, 10'000'000, o.history); },
            "samples kept in memory (default 3600)")
        .text({"--token-file"}, o.tokenFile, "FILE", "a file name",
              "require 'Authorization: Bearer <token>' with the token in FILE")
        .option(
            {"--pid"}, "PID", "a process id",
            [&](const std::string& v) {
                long pid = 0;
                if (!whole(v, 1, 0x7fffffff, pid)) return false;
                o.pids.push_back(static_cast<int>(pid));
                return true;
            },
            "track a process (repeatable)")
        .repeatable()
        .option(
            {"--match"}, "REGEX", "a regular expression (ECMAScript) over the process name",
            [&](const std::string& v) {
                if (!loadline::core::ProcessMatcher::check(v)) return false;
                o.namePatterns.push_back(v);
                return true;
            },
            "track processes whose name matches (psutil's name(), as pgrep; repeatable)")
        .repeatable()
        .option(
            {"--match-cmdline"}, "REGEX", "a regular expression (ECMAScript) over the command line",
            [&](const std::string& v) {
                if (!loadline::core::ProcessMatcher::check(v)) return false;
                o.cmdlinePatterns.push_back(v);
                return true;
            },
            "track processes whose command line matches (as pgrep -f; repeatable)")
        .repeatable();
    loadline::cli::addAlertOptions(args, o.alerts);
    args.text({"--tls-cert"}, o.tlsCert, "FILE", "a PEM file",
              "serve HTTPS with this PEM certificate (chain); needs --tls-key")
        .text({"--tls-key"}, o.tlsKey, "FILE", "a PEM file",
              "the certificate's PEM private key; both are read again on SIGHUP")
        .text({"--tls-client-ca"}, o.tlsClientCa, "FILE", "a PEM file",
              "require client certificates signed by a CA in FILE (mutual TLS)")
        .number({"--tls-handshake-timeout"}, o.handshakeTimeout, 0.001, 3600, "S", "seconds",
                "seconds a connection may take for its TLS handshake (default 5)")
        .flag({"--redact-cmdline"}, o.redact,
              "mask secret-looking arguments in served command lines (--password=..., --token X, user:pass@ in "
              "URLs, API_KEY=...); default for non-loopback binds")
        .flag({"--no-redact-cmdline"}, o.noRedact, "serve command lines as read")
        .flag({"--no-cmdline"}, o.noCmdline, "serve no command lines at all");
    if (auto status = args.parse(argc, argv)) return status;
    if (o.tlsCert.empty() != o.tlsKey.empty())
        return args.fail(o.tlsCert.empty() ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
    if (!o.tlsClientCa.empty() && o.tlsCert.empty()) return args.fail("--tls-client-ca needs --tls-cert and --tls-key");
    if (o.redact && o.noRedact) return args.fail("--redact-cmdline and --no-redact-cmdline exclude each other");
    return std::nullopt;
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

    const bool tls = !o.tlsCert.empty();
    if (!address.isLoopback() && !tls)
        std::fprintf(stderr,
                     "%s: warning: --bind %s without --tls-cert: the bearer token, every served sample (process "
                     "names and command lines included) and every pushed body travel in clear text\n",
                     me, o.bind.c_str());

    int qtArgc = 1;
    char* qtArgv[] = {argv[0], nullptr};
    QCoreApplication app(qtArgc, qtArgv);

    const server::TlsFiles tlsFiles{QString::fromStdString(o.tlsCert), QString::fromStdString(o.tlsKey),
                                    QString::fromStdString(o.tlsClientCa)};
    // Only with TLS: a default QSslConfiguration loads Qt's TLS backend (OpenSSL) at once, about
    // 6 MB of resident libraries that a plain-HTTP server does not need.
    std::optional<QSslConfiguration> tlsConfig;
    if (tls) {
        QString tlsError;
        auto loaded = server::loadServerTls(tlsFiles, &tlsError);
        if (!loaded) {
            std::fprintf(stderr, "%s: %s\n", me, tlsError.toLocal8Bit().constData());
            return 2;
        }
        tlsConfig = *loaded;
    }
    // Command lines: as read on loopback, masked beyond it, unless told otherwise.
    const core::serve::CmdlineMode cmdlineMode = o.noCmdline            ? core::serve::CmdlineMode::Omit
                                                 : o.redact             ? core::serve::CmdlineMode::Redact
                                                 : o.noRedact           ? core::serve::CmdlineMode::Show
                                                 : address.isLoopback() ? core::serve::CmdlineMode::Show
                                                                        : core::serve::CmdlineMode::Redact;

    core::serve::ApiConfig config;
    config.nodeId = o.nodeId.empty() ? QHostInfo::localHostName().toStdString() : o.nodeId;
    config.token = token;
    config.pushLimits.pointsPerSeries = static_cast<std::size_t>(o.history);
    config.cmdline = cmdlineMode;
    auto live = std::make_shared<core::serve::LiveData>(static_cast<std::size_t>(o.history));

    core::serve::SamplerSetup setup;
    setup.interval = o.interval;
    setup.history = static_cast<std::size_t>(o.history);
    setup.pids = o.pids;
    setup.namePatterns = o.namePatterns;
    setup.cmdlinePatterns = o.cmdlinePatterns;
    setup.nodeId = config.nodeId;
    setup.cmdline = cmdlineMode;
    std::string error;
    if (!loadline::cli::resolveAlertRules(o.alerts, setup.alerts, error)) {
        std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", me, error.c_str(), me);
        return 2;
    }
    auto created = core::serve::ServeSampler::create(setup, live);
    std::unique_ptr<core::serve::ServeSampler> sampler = created ? std::move(*created) : nullptr;
    // a PID that does not exist, a bad pattern
    if (!core::succeeded(created, &error) || !core::succeeded(sampler->start(), &error)) {
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

    server::ConnectionLimits limits;
    limits.handshakeTimeoutMs = std::max(1, static_cast<int>(std::lround(o.handshakeTimeout * 1000)));
    server::HttpService service(config, live, limits);
    if (tlsConfig) service.setTlsConfiguration(*tlsConfig);
    QString listenError;
    const quint16 port = service.start(address, static_cast<quint16>(o.port), &listenError);
    if (!port) {
        std::fprintf(stderr, "%s: cannot listen on %s port %ld: %s\n", me, o.bind.c_str(), o.port,
                     listenError.toLocal8Bit().constData());
        return 1;
    }
    if (!o.portfile.empty()) {
        std::string err;
        if (!core::succeeded(core::writeFileAtomically(o.portfile, std::to_string(port) + "\n"), &err)) {
            std::fprintf(stderr, "%s: --portfile %s\n", me, err.c_str());
            return 1;
        }
    }
    std::fprintf(stderr, "%s: node %s serving %s://%s:%u/ (every %.3g s, %ld samples kept)%s; command lines %s\n", me,
                 config.nodeId.c_str(), tls ? "https" : "http",
                 address.protocol() == QAbstractSocket::IPv6Protocol ? ("[" + o.bind + "]").c_str() : o.bind.c_str(),
                 unsigned(port), o.interval, o.history, token.empty() ? "" : ", token required",
                 core::serve::cmdlineModeName(cmdlineMode));
    if (tls)
        std::fprintf(stderr, "%s: TLS certificate %s%s\n", me,
                     server::describeCertificate(*tlsConfig).toLocal8Bit().constData(),
                     o.tlsClientCa.empty() ? "" : "; client certificates required");

    server::SignalWatcher watcher;
    int exitSignal = 0;
    QObject::connect(&watcher, &server::SignalWatcher::terminationRequested, &app, [&](int sig) {
        if (sig == SIGHUP && tls) {
            // New certificate and key for connections from now on; the listener and the open
            // connections stay. A file that does not load keeps the old configuration.
            QString tlsError;
            if (auto loaded = server::loadServerTls(tlsFiles, &tlsError)) {
                service.setTlsConfiguration(*loaded);
                std::fprintf(stderr, "%s: SIGHUP: TLS certificate reloaded: %s\n", me,
                             server::describeCertificate(*loaded).toLocal8Bit().constData());
            } else {
                std::fprintf(stderr, "%s: SIGHUP: TLS certificate not reloaded, the previous one stays: %s\n", me,
                             tlsError.toLocal8Bit().constData());
            }
            return;
        }
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
