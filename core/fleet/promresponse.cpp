#include "core/fleet/promresponse.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

namespace loadline::core::fleet {

using json = nlohmann::json;

std::optional<double> parsePromValue(std::string_view t) {
    if (t == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (t == "+Inf" || t == "Inf") return std::numeric_limits<double>::infinity();
    if (t == "-Inf") return -std::numeric_limits<double>::infinity();
    double v = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return std::nullopt;
    return v;
}

namespace {

bool readPoint(const json& p, double& t, double& v) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_string()) return false;
    t = p[0].get<double>();
    auto val = parsePromValue(p[1].get_ref<const std::string&>());
    if (!val) return false;
    v = *val;
    return true;
}

void readLabels(const json& metric, std::map<std::string, std::string>& out) {
    if (!metric.is_object()) return;
    for (auto it = metric.begin(); it != metric.end(); ++it)
        if (it.value().is_string()) out.emplace(it.key(), it.value().get<std::string>());
}

}  // namespace

Result<PromReplyData> parsePromReply(std::string_view body) {
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("status") || !j["status"].is_string())
        return failField("body", j.is_discarded() ? "the reply is not JSON" : "the JSON is not a Prometheus API reply");
    if (j["status"] != "success") {
        std::string type = j.value("errorType", std::string());
        std::string msg = j.value("error", std::string("(no error text)"));
        return failRefused(0, "error", type.empty() ? msg : type + ": " + msg);
    }
    PromReplyData r;
    if (auto w = j.find("warnings"); w != j.end() && w->is_array())
        for (const auto& s : *w)
            if (s.is_string()) r.warnings.push_back(s.get<std::string>());
    const json& data = j.contains("data") ? j["data"] : json();
    if (data.is_array()) {  // label values
        for (const auto& s : data)
            if (s.is_string()) r.strings.push_back(s.get<std::string>());
        return r;
    }
    if (!data.is_object()) return r;
    r.resultType = data.value("resultType", std::string());
    const auto res = data.find("result");
    if (res == data.end() || !res->is_array()) return r;
    r.series.reserve(res->size());
    for (const auto& s : *res) {
        if (!s.is_object()) continue;
        PromSeries ps;
        if (auto m = s.find("metric"); m != s.end()) readLabels(*m, ps.labels);
        double t = 0, v = 0;
        if (auto vals = s.find("values"); vals != s.end() && vals->is_array()) {
            ps.times.reserve(vals->size());
            ps.values.reserve(vals->size());
            for (const auto& p : *vals)
                if (readPoint(p, t, v)) {
                    ps.times.push_back(t);
                    ps.values.push_back(v);
                }
        } else if (auto one = s.find("value"); one != s.end() && readPoint(*one, t, v)) {
            ps.times.push_back(t);
            ps.values.push_back(v);
        }
        r.series.push_back(std::move(ps));
    }
    return r;
}

std::optional<double> parseGoDuration(std::string_view t) {
    if (t.empty()) return std::nullopt;
    double total = 0;
    std::size_t i = 0;
    while (i < t.size()) {
        std::size_t start = i;
        while (i < t.size() && ((t[i] >= '0' && t[i] <= '9') || t[i] == '.')) ++i;
        double n = 0;
        auto r = std::from_chars(t.data() + start, t.data() + i, n);
        if (r.ec != std::errc() || r.ptr != t.data() + i) return std::nullopt;
        std::size_t u = i;
        while (i < t.size() && !((t[i] >= '0' && t[i] <= '9') || t[i] == '.')) ++i;
        std::string_view unit = t.substr(u, i - u);
        double mult = 0;
        if (unit == "ms") mult = 1e-3;
        else if (unit == "s") mult = 1;
        else if (unit == "m") mult = 60;
        else if (unit == "h") mult = 3600;
        else if (unit == "d") mult = 86400;
        else if (unit == "w") mult = 7 * 86400;
        else if (unit == "y") mult = 365 * 86400;
        else if (unit == "us" || unit == "\xC2\xB5s") mult = 1e-6;
        else if (unit == "ns") mult = 1e-9;
        else return std::nullopt;
        total += n * mult;
    }
    return total;
}

std::optional<double> scrapeIntervalFromTargets(std::string_view body, std::string_view instance) {
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (!j.is_object() || j.value("status", std::string()) != "success") return std::nullopt;
    const auto data = j.find("data");
    if (data == j.end() || !data->is_object()) return std::nullopt;
    const auto active = data->find("activeTargets");
    if (active == data->end() || !active->is_array()) return std::nullopt;
    for (const auto& t : *active) {
        if (!t.is_object() || !t.contains("labels") || !t["labels"].is_object()) continue;
        if (t["labels"].value("instance", std::string()) != instance) continue;
        std::string iv = t.value("scrapeInterval", std::string());
        if (iv.empty() && t.contains("discoveredLabels") && t["discoveredLabels"].is_object())
            iv = t["discoveredLabels"].value("__scrape_interval__", std::string());
        if (auto d = parseGoDuration(iv); d && *d > 0) return d;
    }
    return std::nullopt;
}

}  // namespace loadline::core::fleet
