#include "core/serve/pushpayloads.h"

#include <algorithm>
#include <cmath>

namespace loadline::core::serve {

namespace {

using json = nlohmann::json;

const char* typeName(const json& v) {
    switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::binary: return "binary";
    case json::value_t::discarded: return "invalid";
    default: return "a number";
    }
}

// A required (or, with optional=true, optional) string field of bounded length.
Status getString(const json& obj, const char* field, std::size_t maxLen, std::string& out, bool optional = false,
                 bool* present = nullptr) {
    auto it = obj.find(field);
    if (it == obj.end() || (optional && it->is_null())) {
        if (present) *present = false;
        if (optional) return {};
        return failField(field, "missing (a string is required)");
    }
    if (!it->is_string()) return failField(field, std::string("expected a string, got ") + typeName(*it));
    const auto& s = it->get_ref<const std::string&>();
    if (s.empty() && !optional) return failField(field, "must not be empty");
    if (s.size() > maxLen) return failField(field, "longer than " + std::to_string(maxLen) + " bytes");
    out = s;
    if (present) *present = true;
    return {};
}

Status oneOf(const char* field, const std::string& value, std::initializer_list<const char*> allowed) {
    for (const char* a : allowed)
        if (value == a) return {};
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return failField(field, "must be one of " + list + ", got \"" + value + "\"");
}

}  // namespace

std::size_t jsonValueCount(const json& j) {
    std::size_t n = 1;
    if (j.is_structured())
        for (const auto& v : j) n += jsonValueCount(v);
    return n;
}

std::size_t jsonMemoryEstimate(const json& j) {
    std::size_t n = 64;  // a json value plus its container node
    if (j.is_string()) n += j.get_ref<const std::string&>().size();
    if (j.is_object())
        for (const auto& [k, v] : j.items()) n += k.size() + jsonMemoryEstimate(v);
    else if (j.is_array())
        for (const auto& v : j) n += jsonMemoryEstimate(v);
    return n;
}

int jsonNestingDepth(std::string_view text) {
    int depth = 0, deepest = 0;
    bool inString = false, escaped = false;
    for (char c : text) {
        if (inString) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') inString = true;
        else if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
        else if ((c == ']' || c == '}') && depth > 0) --depth;
    }
    return deepest;
}

Parsed<json> parseJsonObject(std::string_view body) {
    if (body.empty()) return failField("body", "empty; a JSON object is required");
    // nlohmann's copy and dump recurse: a 1 MiB "[[[[…" would overflow the stack.
    if (jsonNestingDepth(body) > kMaxJsonDepth)
        return failField("body", "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    json doc;
    // The keys leading to where the parser is, so that a number too large for a double
    // ("value": 1e400, which nlohmann reports as out_of_range) names its field.
    std::vector<std::string> path;
    const json::parser_callback_t track = [&path](int, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::object_start) path.emplace_back();
        else if (event == json::parse_event_t::object_end && !path.empty()) path.pop_back();
        else if (event == json::parse_event_t::key && !path.empty() && parsed.is_string())
            path.back() = parsed.get<std::string>();
        return true;
    };
    try {
        doc = json::parse(body.begin(), body.end(), track);
    } catch (const json::parse_error& e) {
        return failField("body", std::string("not valid JSON: ") + e.what());
    } catch (const json::out_of_range&) {
        std::string field;
        for (const std::string& key : path) field += (field.empty() ? "" : ".") + key;
        return failField(field.empty() ? "body" : field, "number out of range (larger than a double holds)");
    }
    if (!doc.is_object()) return failField("body", std::string("expected a JSON object, got ") + typeName(doc));
    return doc;
}

Parsed<ServiceReport> parseServiceReport(std::string_view body) {
    auto doc = parseJsonObject(body);
    if (!doc) return fail(std::move(doc.error()));
    const json& o = *doc;
    ServiceReport r;
    if (Status s = getString(o, "name", kMaxNameLength, r.name); !s) return fail(std::move(s.error()));
    if (Status s = getString(o, "status", kMaxNameLength, r.status); !s) return fail(std::move(s.error()));
    if (Status s = oneOf("status", r.status, {"up", "down", "unknown"}); !s) return fail(std::move(s.error()));
    std::string endpoint;
    bool has = false;
    if (Status s = getString(o, "endpoint", kMaxTextLength, endpoint, true, &has); !s)
        return fail(std::move(s.error()));
    if (has) r.endpoint = endpoint;
    return r;
}

Parsed<MetricReport> parseMetricReport(std::string_view body) {
    auto doc = parseJsonObject(body);
    if (!doc) return fail(std::move(doc.error()));
    const json& o = *doc;
    MetricReport r;
    if (Status s = getString(o, "service", kMaxNameLength, r.service); !s) return fail(std::move(s.error()));
    if (Status s = getString(o, "metric_type", kMaxNameLength, r.metricType); !s) return fail(std::move(s.error()));
    auto v = o.find("value");
    if (v == o.end()) return failField("value", "missing (a number is required)");
    if (!v->is_number()) return failField("value", std::string("expected a number, got ") + typeName(*v));
    r.value = v->get<double>();
    if (!std::isfinite(r.value)) return failField("value", "must be finite");
    if (auto t = o.find("timestamp"); t != o.end() && !t->is_null()) {
        if (!t->is_number()) return failField("timestamp", std::string("expected a number, got ") + typeName(*t));
        double ts = t->get<double>();
        if (!std::isfinite(ts) || ts < 0) return failField("timestamp", "must be epoch seconds (>= 0)");
        r.timestamp = ts;
    }
    return r;
}

Parsed<PipelineReport> parsePipelineReport(std::string_view body) {
    auto doc = parseJsonObject(body);
    if (!doc) return fail(std::move(doc.error()));
    const json& o = *doc;
    PipelineReport r;
    if (Status s = getString(o, "pipeline_type", kMaxNameLength, r.pipelineType); !s) return fail(std::move(s.error()));
    if (Status s = getString(o, "status", kMaxNameLength, r.status); !s) return fail(std::move(s.error()));
    if (Status s = oneOf("status", r.status, {"running", "completed", "failed"}); !s) return fail(std::move(s.error()));
    if (auto m = o.find("metadata"); m != o.end() && !m->is_null()) {
        if (!m->is_object()) return failField("metadata", std::string("expected an object, got ") + typeName(*m));
        if (m->dump().size() > kMaxMetadataBytes)
            return failField("metadata", "larger than " + std::to_string(kMaxMetadataBytes) + " bytes");
        if (jsonValueCount(*m) > kMaxMetadataValues)
            return failField("metadata", "more than " + std::to_string(kMaxMetadataValues) + " values");
        r.metadata = *m;
    }
    return r;
}

Parsed<AlertReport> parseAlertReport(std::string_view body) {
    auto doc = parseJsonObject(body);
    if (!doc) return fail(std::move(doc.error()));
    const json& o = *doc;
    AlertReport r;
    if (Status s = getString(o, "title", kMaxNameLength, r.title); !s) return fail(std::move(s.error()));
    auto msg = o.find("message");
    if (msg != o.end() && !msg->is_null()) {
        if (!msg->is_string()) return failField("message", std::string("expected a string, got ") + typeName(*msg));
        r.message = msg->get<std::string>();
        if (r.message.size() > kMaxTextLength)
            return failField("message", "longer than " + std::to_string(kMaxTextLength) + " bytes");
    } else {
        return failField("message", "missing (a string is required)");
    }
    auto sev = o.find("severity");
    if (sev == o.end()) return failField("severity", "missing (1: info, 2: warning, 3: critical)");
    bool integral =
        sev->is_number_integer() || (sev->is_number_float() && std::floor(sev->get<double>()) == sev->get<double>());
    if (!integral) return failField("severity", std::string("expected an integer 1-3, got ") + typeName(*sev));
    double s = sev->get<double>();
    if (s < 1 || s > 3) return failField("severity", "must be 1 (info), 2 (warning) or 3 (critical)");
    r.severity = static_cast<int>(s);
    std::string service;
    bool has = false;
    if (Status s = getString(o, "service", kMaxNameLength, service, true, &has); !s) return fail(std::move(s.error()));
    if (has) r.service = service;
    return r;
}

}  // namespace loadline::core::serve
