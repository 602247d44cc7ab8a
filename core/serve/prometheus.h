#pragma once
// Prometheus text exposition format 0.0.4:
// https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
// Each family is written once (# HELP, # TYPE, then its samples), as the format requires.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace loadline::core::serve {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

using Label = std::pair<std::string_view, std::string_view>;

/** Appends metric families to a string; reuse one writer (clear()) to avoid reallocating. */
class PrometheusWriter {
public:
    /** Starts a family: type is "gauge" or "counter" (or "untyped"). */
    void family(std::string_view name, std::string_view help, std::string_view type);
    /** A sample of the current family (name without suffix) or of an explicit name. */
    void sample(double value, std::initializer_list<Label> labels = {});
    void sample(double value, const Label* labels, std::size_t labelCount);

    const std::string& text() const { return m_out; }
    std::string& text() { return m_out; }
    void clear() { m_out.clear(); }

private:
    std::string m_out;
    std::string m_name;
};

/** Escapes a label value: backslash, double quote and newline (the format's rule). */
void appendEscapedLabelValue(std::string& out, std::string_view value);
/** Formats a sample value: shortest round-trip decimal, NaN, +Inf, -Inf. */
void appendPrometheusValue(std::string& out, double value);
/** Whether a string is a valid metric or label name ([a-zA-Z_:][a-zA-Z0-9_:]*; no ':' for labels). */
bool isValidMetricName(std::string_view name);
/** Replaces characters not allowed in a metric name with '_'. */
std::string sanitizeMetricName(std::string_view name);

}  // namespace loadline::core::serve
