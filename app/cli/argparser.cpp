#include "argparser.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/correlate/verdict.h"

namespace loadline::cli {

ArgParser::ArgParser(const char* program, std::function<void(std::FILE*)> usage)
    : m_program(program), m_usage(std::move(usage)) {}

ArgParser& ArgParser::flag(std::initializer_list<const char*> names, bool& target) {
    m_options.push_back({{names.begin(), names.end()}, nullptr, nullptr, &target});
    return *this;
}

ArgParser& ArgParser::option(std::initializer_list<const char*> names, const char* expected,
                             std::function<bool(const std::string&)> accept) {
    m_options.push_back({{names.begin(), names.end()}, expected, std::move(accept), nullptr});
    return *this;
}

ArgParser& ArgParser::text(std::initializer_list<const char*> names, std::string& target, const char* expected,
                           bool allowEmpty) {
    return option(names, expected, [&target, allowEmpty](const std::string& v) {
        if (v.empty() && !allowEmpty) return false;
        target = v;
        return true;
    });
}

ArgParser& ArgParser::number(std::initializer_list<const char*> names, double& target, double min, double max,
                             const char* expected) {
    return option(names, expected, [&target, min, max](const std::string& v) {
        double x = 0;
        if (!parseNumber(v, x) || x < min || x > max) return false;
        target = x;
        return true;
    });
}

ArgParser& ArgParser::count(std::initializer_list<const char*> names, long long& target, long long min,
                            long long max, const char* expected) {
    return option(names, expected, [&target, min, max](const std::string& v) {
        long long x = 0;
        if (!parseWhole(v, x) || x < min || x > max) return false;
        target = x;
        return true;
    });
}

ArgParser& ArgParser::positionals(std::vector<std::string>& target) {
    m_positionals = &target;
    return *this;
}

ArgParser& ArgParser::positional(std::string& target) {
    m_positional = &target;
    return *this;
}

const ArgParser::Option* ArgParser::find(const std::string& name) const {
    for (const Option& o : m_options)
        for (const std::string& n : o.names)
            if (n == name) return &o;
    return nullptr;
}

void ArgParser::listOptions(std::FILE* out) const {
    std::fprintf(out, "-h,--help\t\n");
    for (const Option& o : m_options) {
        std::string names;
        for (const std::string& n : o.names) names += (names.empty() ? "" : ",") + n;
        std::fprintf(out, "%s\t%s\n", names.c_str(), o.expected ? o.expected : "");
    }
    if (m_positional) std::fprintf(out, "FILE\t\n");
}

int ArgParser::fail(const std::string& problem) const {
    std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", m_program, problem.c_str(), m_program);
    return 2;
}

std::optional<int> ArgParser::parse(int argc, char** argv) {
    bool havePositional = false;
    bool optionsEnded = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        const bool looksLikeOption = !optionsEnded && arg.size() > 1 && arg[0] == '-';
        if (!looksLikeOption && m_positionals) {
            m_positionals->push_back(arg);
            continue;
        }
        if (!looksLikeOption) {
            if (!m_positional) return fail("unexpected argument '" + arg + "'");
            if (havePositional) return fail("one FILE only ('" + arg + "' is extra)");
            *m_positional = arg;
            havePositional = true;
            continue;
        }
        if (arg == "--") {
            optionsEnded = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            m_usage(stdout);
            return 0;
        }
        if (arg == "--list-options") {
            listOptions(stdout);
            return 0;
        }
        std::optional<std::string> value;
        if (arg.rfind("--", 0) == 0) {
            if (const auto eq = arg.find('='); eq != std::string::npos) {
                value = arg.substr(eq + 1);
                arg.resize(eq);
            }
        }
        const Option* o = find(arg);
        if (!o) return fail("unknown option '" + arg + "'");
        if (!o->expected) {
            if (value) return fail(arg + " takes no value");
            *o->flag = true;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc) return fail(arg + " needs " + o->expected);
            value = argv[++i];
        }
        if (!o->accept(*value)) return fail(arg + ": invalid value '" + *value + "' (expected " + o->expected + ")");
    }
    return std::nullopt;
}

bool parseNumber(const std::string& text, double& out) {
    if (text.empty()) return false;
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || errno == ERANGE || !std::isfinite(v)) return false;
    out = v;
    return true;
}

bool parseWhole(const std::string& text, long long& out) {
    if (text.empty()) return false;
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE) return false;
    out = v;
    return true;
}

bool parsePercent(std::string text, double& out) {
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (!text.empty() && text.back() == '%') text.pop_back();
    while (!text.empty() && text.back() == ' ') text.pop_back();
    double v = 0;
    if (!parseNumber(text, v) || !std::isfinite(v) || v < 0) return false;
    out = v;
    return true;
}

void addThresholdOptions(ArgParser& parser, core::VerdictThresholds& t) {
    parser.number({"--high-load"}, t.highLoadPercent, 0, 100, "a system CPU percent from 0 to 100");
    parser.number({"--own-work-ratio"}, t.ownWorkRatio, 0, std::numeric_limits<double>::max(),
                  "a CPU/wall ratio >= 0");
    parser.count({"--min-low-load-calls"}, t.minLowLoadCalls, 1, 1000000,
                 "a whole number of calls >= 1");
}

}  // namespace loadline::cli
