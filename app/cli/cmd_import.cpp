// loadline-cli import prometheus: a node's py-perf timeline from a Prometheus server's range
// queries (core/fleet does the PromQL and the merging; app/prom carries the HTTP over Qt Network).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "cmdline.h"
#include "commands.h"
#include "core/fleet/promimport.h"
#include "core/fleet/timearg.h"
#include "core/format/recordingio.h"
#include "core/store/llrec.h"

#if defined(LOADLINE_WITH_GUI)
#include <QCoreApplication>

#include "app/prom/promhttp.h"
#include "app/prom/tlsclient.h"
#endif

namespace {

struct Options {
    std::string url, instance, output, from, to, last, bearerFile, basicFile, caFile, certFile, keyFile;
    double step = 0;
    std::vector<int> pids;
    std::vector<std::string> patterns;
    bool list = false;
};

}  // namespace

namespace loadline::cli {

int runImportPrometheus(int argc, char** argv) {
    const char* me = argv[0];
    Options o;
    CmdLine args(me,
                 "Builds a py-perf timeline of one node from a Prometheus server's range queries. The node may be "
                 "a loadline agent (loadline-cli serve) or a node_exporter; processes come from loadline agents. "
                 "With --list (and --url only), lists the server's instances instead.",
                 "Exit status: 0 written, 2 bad usage or nothing to import (the server cannot be reached, is not "
                 "Prometheus, refuses the credentials, does not know the instance, or has no samples in the range), "
                 "1 the file could not be written.");
    args.text({"--url"}, o.url, "URL", "a URL", "the Prometheus server (or Thanos/Mimir/VictoriaMetrics query API)")
        .needed()
        .text({"--instance"}, o.instance, "HOST:PORT", "an instance label value (HOST:PORT)",
              "the node: its `instance` label")
        .needed()
        .text({"--from"}, o.from, "T", "a time",
              "the start of the range; T is seconds since the epoch or ISO 8601 (2026-12-02T20:00:00Z; without "
              "a zone, local time)")
        .text({"--to"}, o.to, "T", "a time", "the end of the range (like --from; default: now)")
        .text({"--last"}, o.last, "D", "a duration",
              "the last D before --to (default: now); D is 90s, 15m, 1h, 7d (default 1h)")
        .number({"--step"}, o.step, 0.001, 86400 * 365.0, "S", "seconds (0.001 or more)",
                "seconds between points (default: the range / 4000, never below the node's scrape interval)")
        .option(
            {"--pid"}, "PID", "a process id",
            [&](const std::string& v) {
                long long n = 0;
                if (!parseWhole(v, n) || n <= 0 || n > 0x7fffffff) return false;
                o.pids.push_back(static_cast<int>(n));
                return true;
            },
            "a tracked process to read (repeatable; default: every tracked one)")
        .repeatable()
        .option(
            {"--process"}, "REGEX", "a regular expression",
            [&](const std::string& v) {
                if (v.empty()) return false;
                o.patterns.push_back(v);
                return true;
            },
            "tracked processes whose name matches (RE2, whole name; repeatable)")
        .repeatable()
        .text({"--bearer-token-file"}, o.bearerFile, "FILE", "a file name",
              "send 'Authorization: Bearer <token>' with the token in FILE")
        .text({"--basic-auth-file"}, o.basicFile, "FILE", "a file name",
              "send HTTP basic auth with 'user:password' from FILE")
        .text({"--ca-file"}, o.caFile, "FILE", "a PEM file",
              "https: trust the CAs in FILE (PEM) instead of the system's")
        .text({"--cert"}, o.certFile, "FILE", "a PEM file",
              "https: present this client certificate (PEM; mutual TLS, with --key)")
        .text({"--key"}, o.keyFile, "FILE", "a PEM file", "https: the client certificate's key (PEM)")
        .flag({"--list"}, o.list, "list the server's instances (job, up, loadline or node_exporter)")
        .text({"-o", "--output"}, o.output, "FILE", "a file name",
              "where to write the timeline: py-perf JSON (atomically), a .llrec store for NAME.llrec, '-' for "
              "standard output")
        .needed();
    if (auto status = args.parse(argc, argv)) return *status;
    if (o.url.empty()) return args.fail("--url is required");

    double from = 0, to = 0;
    if (!o.list) {
        if (o.instance.empty()) return args.fail("--instance is required (see --list)");
        if (o.output.empty()) return args.fail("-o FILE is required");
        if (!o.last.empty() && !o.from.empty()) return args.fail("give --from or --last, not both");
        if (!o.to.empty()) {
            auto t = core::fleet::parseMoment(o.to);
            if (!t) return args.fail("--to '" + o.to + "' is not a time (epoch seconds or ISO 8601)");
            to = *t;
        } else {
            to = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
        }
        if (!o.from.empty()) {
            auto f = core::fleet::parseMoment(o.from);
            if (!f) return args.fail("--from '" + o.from + "' is not a time (epoch seconds or ISO 8601)");
            from = *f;
        } else {
            auto d = core::fleet::parseDurationArg(o.last.empty() ? "1h" : o.last);
            if (!d) return args.fail("--last '" + o.last + "' is not a duration (90s, 15m, 1h, 7d)");
            from = to - *d;
        }
        if (!(to > from)) {  // well-formed options, but nothing to import: one line, like the server's refusals
            std::fprintf(stderr, "%s: empty time range: --from %s is not before --to %s\n", me,
                         core::fleet::formatUtc(from).c_str(), core::fleet::formatUtc(to).c_str());
            return 2;
        }
    }

#if defined(LOADLINE_WITH_GUI)
    int qtArgc = 1;
    char* qtArgv[] = {argv[0], nullptr};
    std::unique_ptr<QCoreApplication> app;
    if (!QCoreApplication::instance()) app = std::make_unique<QCoreApplication>(qtArgc, qtArgv);

    QString why;
    auto base = app::prometheusBaseUrl(QString::fromStdString(o.url), &why);
    if (!base) return args.fail("--url " + why.toStdString());
    auto auth =
        app::authorizationHeader({QString::fromStdString(o.bearerFile), QString::fromStdString(o.basicFile)}, &why);
    if (!auth) {
        std::fprintf(stderr, "%s: %s\n", me, why.toLocal8Bit().constData());
        return 2;
    }
    app::PrometheusHttpClient client(*base, *auth);
    const app::TlsClientFiles tlsFiles{QString::fromStdString(o.caFile), QString::fromStdString(o.certFile),
                                       QString::fromStdString(o.keyFile)};
    if (tlsFiles.any()) {
        if (base->scheme() != QLatin1String("https"))
            return args.fail("--ca-file, --cert and --key need an https:// --url");
        auto tls = app::clientTlsConfiguration(tlsFiles, &why);
        if (!tls) {
            std::fprintf(stderr, "%s: %s\n", me, why.toLocal8Bit().constData());
            return 2;
        }
        client.setTlsConfiguration(*tls);
    }
    const std::string server = base->toString().toStdString();

    if (o.list) {
        const auto targets = core::fleet::instanceListTargets();
        std::string error;
        auto parsed = core::fleet::parseInstanceList(server, client.fetch(targets));
        auto list = parsed.value_or(std::vector<core::fleet::PromInstance>{});
        if (!parsed) error = parsed.error().toString();
        if (!error.empty()) {
            std::fprintf(stderr, "%s: %s\n", me, error.c_str());
            return 2;
        }
        std::printf("%-32s %-20s %-5s %s\n", "INSTANCE", "JOB", "UP", "EXPORTER");
        for (const auto& i : list)
            std::printf("%-32s %-20s %-5s %s\n", i.instance.c_str(), i.job.c_str(), i.up ? "yes" : "no",
                        i.source ? core::fleet::nodeSourceName(*i.source) : "-");
        return 0;
    }

    core::fleet::PromImportRequest req;
    req.server = server;
    req.instance = o.instance;
    req.from = from;
    req.to = to;
    req.step = o.step;
    req.processes.pids = o.pids;
    req.processes.namePatterns = o.patterns;
    const auto started = std::chrono::steady_clock::now();
    auto result = core::fleet::importFromPrometheus(req, client.fetcher());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!result) {
        std::fprintf(stderr, "%s: %s\n", me, result.error().toString().c_str());
        return 2;
    }
    for (const auto& w : result->recording.warnings) std::fprintf(stderr, "%s: warning: %s\n", me, w.c_str());
    std::string err;
    // '-': standard output; NAME.llrec: a store, as everywhere; else py-perf JSON (atomically).
    const bool ok = core::store::hasStoreExtension(o.output)
                        ? core::succeeded(core::saveRecordingFile(o.output, result->recording), &err)
                        : core::succeeded(core::writeOutput(o.output, core::recordingToText(result->recording)), &err);
    if (!ok) {
        std::fprintf(stderr, "%s: %s\n", me, err.c_str());
        return 1;
    }
    const auto& tl = result->recording.timeline;
    // The status goes to standard error, as every command's does (standard output may be the data).
    std::fprintf(stderr,
                 "%s: %zu system samples, %zu processes of %s instance %s, step %s s (%d range queries, %.2f s)\n",
                 o.output == "-" ? "standard output" : o.output.c_str(), tl.system.size(), tl.processes.size(),
                 core::fleet::nodeSourceName(result->source), o.instance.c_str(),
                 core::fleet::formatApiSeconds(result->step).c_str(), result->queries, seconds);
    return 0;
#else
    std::fprintf(stderr, "%s: this loadline-cli was built without Qt (-DLOADLINE_BUILD_GUI=OFF): no HTTP client\n", me);
    return 2;
#endif
}

int runImport(int argc, char** argv) {
    const char* me = argv[0];
    const char* usage =
        "Usage: loadline-cli import SOURCE [OPTIONS]\nSources:\n"
        "  prometheus    a node's timeline from a Prometheus server (see 'import prometheus --help')\n";
    if (argc < 2) {
        std::fprintf(stderr, "%s%s: a SOURCE is required\n", usage, me);
        return 2;
    }
    const std::string source = argv[1];
    if (source == "-h" || source == "--help") {
        std::fputs(usage, stdout);
        return 0;
    }
    if (source == "--help-json") {  // the packaging generators: the one source's option definitions
        std::string name = std::string(me) + " prometheus";
        char* forward[] = {name.data(), argv[1], nullptr};
        return runImportPrometheus(2, forward);
    }
    if (source == "prometheus") {
        std::string name = std::string(me) + " prometheus";
        argv[1] = name.data();
        return runImportPrometheus(argc - 1, argv + 1);
    }
    std::fprintf(stderr, "%s: unknown source '%s' (known: prometheus)\nTry '%s --help'.\n", me, source.c_str(), me);
    return 2;
}

}  // namespace loadline::cli
