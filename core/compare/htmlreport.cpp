#include "core/compare/htmlreport.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "core/compare/comparetext.h"
#include "core/correlate/verdict.h"

namespace loadline::core {

std::string base64Encode(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        out += kAlphabet[v >> 6 & 63];
        out += kAlphabet[v & 63];
    }
    if (const std::size_t rest = bytes.size() - i; rest > 0) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += kAlphabet[v >> 18 & 63];
        out += kAlphabet[v >> 12 & 63];
        out += rest == 2 ? kAlphabet[v >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

std::string htmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += ch;
        }
    }
    return out;
}

namespace {

std::string num(double v, const char* fmt) {
    if (!std::isfinite(v)) return "–";
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

std::string arrow(const Pair& p, const char* fmt) { return num(p[0], fmt) + " → " + num(p[1], fmt); }

std::string utcTime(double epoch) {
    if (!std::isfinite(epoch)) return "–";
    const std::time_t t = static_cast<std::time_t>(std::floor(epoch));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

std::string td(const std::string& text, const char* cls = nullptr) {
    return std::string("<td") + (cls ? std::string(" class=\"") + cls + "\"" : "") + ">" + text + "</td>";
}

constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #1d232b; background: #ffffff; }
h1 { font-size: 22px; margin: 0 0 4px 0; }
h2 { font-size: 17px; margin: 28px 0 8px 0; border-bottom: 1px solid #c9d1db; padding-bottom: 3px; }
p.sub { color: #5a6675; margin: 0 0 12px 0; }
table { border-collapse: collapse; font-size: 13px; }
th { background: #33415c; color: #ffffff; text-align: left; padding: 5px 9px; }
td { border-bottom: 1px solid #dfe4ea; padding: 4px 9px; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.meta th { background: #eef1f5; color: #1d232b; font-weight: normal; }
figure { margin: 10px 0; }
figure img { border: 1px solid #c9d1db; max-width: 100%; }
figcaption { color: #5a6675; font-size: 13px; }
.finding { font-weight: bold; padding: 1px 6px; border-radius: 3px; white-space: nowrap; }
.f-code { background: #f6d5d5; } .f-machine { background: #fbe7c3; } .f-waiting { background: #dcd5f2; }
.f-no-change { background: #dcefdc; } .f-inconclusive { background: #e6e6e6; }
ul.warnings li { color: #8a4b00; }
p.method { color: #5a6675; font-size: 12px; max-width: 1100px; }
)";

std::string findingBadge(std::string_view name) {
    std::string cls(name);
    for (char& ch : cls)
        if (ch == ' ') ch = '-';
    return "<span class=\"finding f-" + cls + "\">" + htmlEscape(name) + "</span>";
}

void metadataTable(std::string& h, const ReportRun& r, const char* label) {
    const Recording& rec = *r.recording;
    const Timeline& tl = rec.timeline;
    const auto first = tl.firstTime(), last = tl.lastTime();
    h += "<table class=\"meta\">";
    auto row = [&](const std::string& k, const std::string& v) { h += "<tr><th>" + k + "</th>" + td(v) + "</tr>"; };
    row(label, htmlEscape(r.path));
    row("kind", rec.kind == Recording::Kind::PerformanceSummary ? "py-perf performance summary" : "py-perf timeline");
    if (!rec.sessionId.empty()) row("session", htmlEscape(rec.sessionId));
    row("platform", htmlEscape(tl.metadata.platform.value_or("–")));
    row("start", utcTime(first ? *first : (tl.metadata.startTime ? *tl.metadata.startTime : NAN)));
    row("duration", first && last ? num(*last - *first, "%.1f s") : "–");
    row("sample interval", tl.metadata.sampleInterval ? num(*tl.metadata.sampleInterval, "%.3g s") : "–");
    row("system samples", std::to_string(tl.system.size()));
    row("tracked processes", std::to_string(tl.processes.size()));
    row("function calls", std::to_string(rec.functionTimings.size()));
    h += "</table>\n";
}

void functionTable(std::string& h, const Correlation& c) {
    h += "<table class=\"functions\"><tr><th>function</th><th>calls</th><th>total s</th><th>mean s</th>"
         "<th>p50 s</th><th>p95 s</th><th>max s</th><th>CPU s/call</th><th>CPU/wall</th><th>system CPU %</th>"
         "<th>own work / contention / waiting / unknown</th></tr>\n";
    for (const auto& f : c.functions) {
        h += "<tr>" + td(htmlEscape(f.name)) + td(std::to_string(f.calls), "n") + td(num(f.totalWall, "%.4f"), "n") +
             td(num(f.meanWall, "%.4f"), "n") + td(num(f.p50Wall, "%.4f"), "n") + td(num(f.p95Wall, "%.4f"), "n") +
             td(num(f.maxWall, "%.4f"), "n") + td(num(f.meanCpu, "%.4f"), "n") + td(num(f.cpuWallRatio, "%.2f"), "n") +
             td(num(f.meanSystemCpuPercent, "%.1f"), "n") +
             td(std::to_string(f.verdictCount(Verdict::OwnWork)) + " / " +
                    std::to_string(f.verdictCount(Verdict::Contention)) + " / " +
                    std::to_string(f.verdictCount(Verdict::Waiting)) + " / " +
                    std::to_string(f.verdictCount(Verdict::Unknown)),
                "n") +
             "</tr>\n";
    }
    h += "</table>\n";
}

void comparisonTable(std::string& h, const RunComparison& c) {
    h += "<table class=\"functions\"><tr><th>function</th><th>calls</th><th>mean wall s</th><th>p50 wall s</th>"
         "<th>p95 wall s</th><th>change</th><th>p</th><th>" +
         num(c.options.confidence * 100, "%.0f") +
         " % interval</th><th>CPU s/call</th><th>system CPU % in calls</th><th>finding</th></tr>\n";
    for (const auto& f : c.functions) {
        const bool both = f.status == FunctionComparison::Status::Both;
        const std::string ci = both && std::isfinite(f.ciLowPercent)
                                   ? num(f.ciLowPercent, "%+.1f") + " … " + num(f.ciHighPercent, "%+.1f") + " %"
                                   : "–";
        const std::string p = !std::isfinite(f.pValue) ? "–" : (f.pValue < 0.001 ? "&lt;0.001" : num(f.pValue, "%.3f"));
        h += "<tr>" + td(htmlEscape(f.name)) +
             td(std::to_string(f.calls[0]) + " → " + std::to_string(f.calls[1]), "n") +
             td(arrow(f.meanWall, "%.4f"), "n") + td(arrow(f.p50Wall, "%.4f"), "n") +
             td(arrow(f.p95Wall, "%.4f"), "n") + td(num(f.changePercent, "%+.1f %%"), "n") + td(p, "n") + td(ci, "n") +
             td(arrow(f.meanCpu, "%.4f"), "n") + td(arrow(f.meanSystemCpuPercent, "%.1f"), "n") +
             td(both ? findingBadge(findingName(f.finding)) : htmlEscape(f.reason)) + "</tr>\n";
    }
    h += "</table>\n";
}

void systemTable(std::string& h, const RunComparison& c) {
    const auto& b = c.system[0];
    const auto& n = c.system[1];
    h += "<table class=\"system\"><tr><th></th><th>baseline</th><th>new run</th></tr>\n";
    auto row = [&](const std::string& k, const std::string& x, const std::string& y) {
        h += "<tr>" + td(k) + td(x, "n") + td(y, "n") + "</tr>\n";
    };
    row("system samples", std::to_string(b.samples), std::to_string(n.samples));
    row("duration", num(b.durationSeconds, "%.1f s"), num(n.durationSeconds, "%.1f s"));
    row("CPU % mean / p95", num(b.meanCpuPercent, "%.1f") + " / " + num(b.p95CpuPercent, "%.1f"),
        num(n.meanCpuPercent, "%.1f") + " / " + num(n.p95CpuPercent, "%.1f"));
    row("memory % mean / p95", num(b.meanMemoryPercent, "%.1f") + " / " + num(b.p95MemoryPercent, "%.1f"),
        num(n.meanMemoryPercent, "%.1f") + " / " + num(n.p95MemoryPercent, "%.1f"));
    row("CPU % during calls, mean / p95",
        num(b.callsMeanCpuPercent, "%.1f") + " / " + num(b.callsP95CpuPercent, "%.1f"),
        num(n.callsMeanCpuPercent, "%.1f") + " / " + num(n.callsP95CpuPercent, "%.1f"));
    row("memory % during calls, mean / p95",
        num(b.callsMeanMemoryPercent, "%.1f") + " / " + num(b.callsP95MemoryPercent, "%.1f"),
        num(n.callsMeanMemoryPercent, "%.1f") + " / " + num(n.callsP95MemoryPercent, "%.1f"));
    row("calls with a known load", std::to_string(b.callsWithLoad) + " of " + std::to_string(b.calls),
        std::to_string(n.callsWithLoad) + " of " + std::to_string(n.calls));
    h += "</table>\n";
}

}  // namespace

std::string htmlReport(const ReportInput& in) {
    std::string h;
    const std::string name = htmlEscape(in.run.path);
    h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>loadline report: " + name +
         "</title>\n<style>" + kStyle + "</style></head>\n<body>\n";
    h += "<h1>loadline report: " + name + "</h1>\n<p class=\"sub\">" +
         (in.baseline ? "compared with the baseline " + htmlEscape(in.baseline->path) + " · " : std::string()) +
         "generated " + htmlEscape(in.generatedAt) + " by " + htmlEscape(in.generator) + "</p>\n";

    if (in.comparison) {
        const RunComparison& c = *in.comparison;
        h += "<h2>Findings: why is it slower (or faster) than the baseline?</h2>\n<ul class=\"findings\">\n";
        bool any = false;
        for (const auto& f : c.functions) {
            if (f.status != FunctionComparison::Status::Both) continue;
            any = true;
            h += "<li>" + findingBadge(findingName(f.finding)) + " <b>" + htmlEscape(f.name) +
                 "</b>: " + htmlEscape(f.reason) + "</li>\n";
        }
        for (const auto& f : c.functions)
            if (f.status != FunctionComparison::Status::Both)
                h += "<li><b>" + htmlEscape(f.name) + "</b>: " + htmlEscape(f.reason) + "</li>\n";
        if (!any) h += "<li>no function is in both runs</li>\n";
        h += "</ul>\n<p class=\"method\">Method: " + htmlEscape(compareMethodText(c.options)) + ".</p>\n";
    }

    for (const auto& chart : in.charts) {
        h += "<figure><img alt=\"" + htmlEscape(chart.caption) + "\"";
        if (chart.width > 0) h += " width=\"" + std::to_string(chart.width) + "\"";
        h += " src=\"data:image/png;base64," + base64Encode(chart.png) + "\"><figcaption>" + htmlEscape(chart.caption) +
             "</figcaption></figure>\n";
    }

    h += "<h2>Functions</h2>\n";
    if (in.comparison) comparisonTable(h, *in.comparison);
    else if (in.run.correlation && !in.run.correlation->functions.empty()) functionTable(h, *in.run.correlation);
    else h += "<p>No function timings: the recording is a timeline.</p>\n";
    if (!in.comparison && in.run.correlation && !in.run.correlation->functions.empty())
        h += "<p class=\"method\">Verdicts: " + htmlEscape(verdictRuleText(in.run.correlation->thresholds)) + "</p>\n";

    if (in.comparison) {
        h += "<h2>System load</h2>\n";
        systemTable(h, *in.comparison);
    }

    h += "<h2>Recording</h2>\n";
    metadataTable(h, in.run, "file");
    if (in.baseline) {
        h += "<h2>Baseline</h2>\n";
        metadataTable(h, *in.baseline, "file");
    }

    std::vector<std::string> warnings;
    for (const auto& w : in.run.recording->warnings) warnings.push_back(in.run.path + ": " + w);
    if (in.baseline)
        for (const auto& w : in.baseline->recording->warnings) warnings.push_back(in.baseline->path + ": " + w);
    if (in.comparison) warnings.insert(warnings.end(), in.comparison->warnings.begin(), in.comparison->warnings.end());
    else if (in.run.correlation)
        warnings.insert(warnings.end(), in.run.correlation->warnings.begin(), in.run.correlation->warnings.end());
    if (!warnings.empty()) {
        h += "<h2>Warnings</h2>\n<ul class=\"warnings\">\n";
        for (const auto& w : warnings) h += "<li>" + htmlEscape(w) + "</li>\n";
        h += "</ul>\n";
    }
    h += "</body></html>\n";
    return h;
}

}  // namespace loadline::core
