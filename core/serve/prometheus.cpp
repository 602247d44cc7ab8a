#include "core/serve/prometheus.h"

#include <charconv>
#include <cmath>

#include "core/serve/jsonwriter.h"

namespace loadline::core::serve {

namespace {
bool nameChar(char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
}
}  // namespace

void appendEscapedLabelValue(std::string& out, std::string_view value) {
    // Runs of plain ASCII are appended whole: most label values have nothing to escape.
    std::size_t run = 0;
    for (std::size_t i = 0; i < value.size();) {
        const char c = value[i];
        const bool plain = static_cast<unsigned char>(c) < 0x80 && c != '\\' && c != '"' && c != '\n';
        if (plain) {
            ++i;
            continue;
        }
        out.append(value.data() + run, i - run);
        if (static_cast<unsigned char>(c) >= 0x80) {  // label values must be UTF-8
            i += jsontext::appendUtf8At(out, value, i);
        } else {
            out += c == '\\' ? "\\\\" : c == '"' ? "\\\"" : "\\n";
            ++i;
        }
        run = i;
    }
    out.append(value.data() + run, value.size() - run);
}

void appendPrometheusValue(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr);
}

bool isValidMetricName(std::string_view name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (!nameChar(name[i], i == 0)) return false;
    return true;
}

std::string sanitizeMetricName(std::string_view name) {
    std::string s(name);
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!nameChar(s[i], i == 0)) s[i] = '_';
    if (s.empty()) s = "_";
    return s;
}

void PrometheusWriter::family(std::string_view name, std::string_view help, std::string_view type) {
    m_name.assign(name);
    m_out += "# HELP ";
    m_out += name;
    m_out += ' ';
    // HELP escapes only backslash and newline; the runs between them are appended whole.
    std::size_t run = 0;
    for (std::size_t i = 0; i < help.size(); ++i) {
        if (help[i] != '\\' && help[i] != '\n') continue;
        m_out.append(help.data() + run, i - run);
        m_out += help[i] == '\\' ? "\\\\" : "\\n";
        run = i + 1;
    }
    m_out.append(help.data() + run, help.size() - run);
    m_out += "\n# TYPE ";
    m_out += name;
    m_out += ' ';
    m_out += type;
    m_out += '\n';
}

void PrometheusWriter::sample(double value, std::initializer_list<Label> labels) {
    sample(value, labels.begin(), labels.size());
}

void PrometheusWriter::sample(double value, const Label* labels, std::size_t labelCount) {
    m_out += m_name;
    if (labelCount) {
        m_out += '{';
        for (std::size_t i = 0; i < labelCount; ++i) {
            if (i) m_out += ',';
            m_out += labels[i].first;
            m_out += "=\"";
            appendEscapedLabelValue(m_out, labels[i].second);
            m_out += '"';
        }
        m_out += '}';
    }
    m_out += ' ';
    appendPrometheusValue(m_out, value);
    m_out += '\n';
}

}  // namespace loadline::core::serve
