#include "cmdline.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/correlate/verdict.h"

namespace loadline::cli {

namespace {

// Thrown from an option's callback (CLI11 runs it as the option is parsed) with the message
// loadline-cli prints; CLI11 lets it through, parse() catches it.
struct UsageProblem {
    std::string message;
};

std::string joinNames(std::initializer_list<const char*> names) {
    std::string out;
    for (const char* n : names) out += (out.empty() ? "" : ",") + std::string(n);
    return out;
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::string w;
    for (char c : text) {
        if (c == ' ' || c == '\n') {
            if (!w.empty()) out.push_back(std::move(w));
            w.clear();
        } else {
            w += c;
        }
    }
    if (!w.empty()) out.push_back(std::move(w));
    return out;
}

// Greedy wrap of one paragraph; lines after the first start at indent.
std::string wrapWords(const std::vector<std::string>& ws, std::size_t firstColumn, std::size_t indent, int width) {
    std::string out;
    std::size_t col = firstColumn;
    bool lineEmpty = true;
    for (const std::string& w : ws) {
        if (!lineEmpty && col + 1 + w.size() > static_cast<std::size_t>(width)) {
            out += "\n" + std::string(indent, ' ');
            col = indent;
            lineEmpty = true;
        }
        if (!lineEmpty) {
            out += ' ';
            ++col;
        }
        out += w;
        col += w.size();
        lineEmpty = false;
    }
    return out;
}

}  // namespace

struct CmdLine::Def {
    CLI::Option* option = nullptr;
    std::string metavar;   // empty: a flag
    std::string expected;  // what a value must be, for the messages
    std::function<bool(const std::string&)> accept;
    bool repeatable = false;
    bool needed = false;
    bool positional = false;
    bool many = false;  // positionals: any number
};

CmdLine::CmdLine(const char* program, std::string description, std::string footer)
    : m_program(program),
      m_description(std::move(description)),
      m_footer(std::move(footer)),
      m_app(std::make_unique<CLI::App>(m_description, m_program)) {
    m_app->set_help_flag("-h,--help", "show this help");
    // Unknown arguments are collected and reported by parse() in loadline-cli's words.
    m_app->allow_extras(true);
    // Hidden (no group): the definitions as JSON for packaging/gen-docs.py.
    m_app
        ->add_flag_callback(
            "--help-json", [] {}, "print the option definitions as JSON")
        ->group("");
}

CmdLine::~CmdLine() = default;

CmdLine::Def& CmdLine::add(std::initializer_list<const char*> names, const char* metavar, const char* expected,
                           const std::string& help) {
    auto def = std::make_unique<Def>();
    Def* d = def.get();
    d->metavar = metavar ? metavar : "";
    d->expected = expected ? expected : "";
    if (metavar) {
        const std::string shown = *(names.end() - 1);
        d->option = m_app->add_option(
            joinNames(names),
            [d, shown](const CLI::results_t& values) {
                for (const std::string& v : values)
                    if (!d->accept(v))
                        throw UsageProblem{shown + ": invalid value '" + v + "' (expected " + d->expected + ")"};
                return true;
            },
            help);
        // Each occurrence is handed to accept as it is parsed, in command-line order; a repeated
        // option is not an error (the last value wins, or a repeatable option collects them).
        d->option->type_name(metavar)->expected(1)->trigger_on_parse();
    } else {
        d->option = m_app->add_flag_callback(
            joinNames(names), [d] { d->accept({}); }, help);
    }
    m_defs.push_back(std::move(def));
    return *d;
}

CmdLine& CmdLine::flag(std::initializer_list<const char*> names, bool& target, const std::string& help) {
    add(names, nullptr, nullptr, help).accept = [&target](const std::string&) {
        target = true;
        return true;
    };
    return *this;
}

CmdLine& CmdLine::option(std::initializer_list<const char*> names, const char* metavar, const char* expected,
                         std::function<bool(const std::string&)> accept, const std::string& help) {
    add(names, metavar, expected, help).accept = std::move(accept);
    return *this;
}

CmdLine& CmdLine::text(std::initializer_list<const char*> names, std::string& target, const char* metavar,
                       const char* expected, const std::string& help, bool allowEmpty) {
    return option(
        names, metavar, expected,
        [&target, allowEmpty](const std::string& v) {
            if (v.empty() && !allowEmpty) return false;
            target = v;
            return true;
        },
        help);
}

CmdLine& CmdLine::number(std::initializer_list<const char*> names, double& target, double min, double max,
                         const char* metavar, const char* expected, const std::string& help) {
    return option(
        names, metavar, expected,
        [&target, min, max](const std::string& v) {
            double x = 0;
            if (!parseNumber(v, x) || x < min || x > max) return false;
            target = x;
            return true;
        },
        help);
}

CmdLine& CmdLine::count(std::initializer_list<const char*> names, long long& target, long long min, long long max,
                        const char* metavar, const char* expected, const std::string& help) {
    return option(
        names, metavar, expected,
        [&target, min, max](const std::string& v) {
            long long x = 0;
            if (!parseWhole(v, x) || x < min || x > max) return false;
            target = x;
            return true;
        },
        help);
}

CmdLine& CmdLine::positional(std::string& target, const char* metavar, const std::string& help) {
    m_positional = &target;
    auto def = std::make_unique<Def>();
    def->metavar = metavar;
    def->positional = true;
    def->option = m_app->add_option("positionals", m_positionalValues, help)->type_name(metavar);
    m_defs.push_back(std::move(def));
    return *this;
}

CmdLine& CmdLine::positionals(std::vector<std::string>& target, const char* metavar, const std::string& help) {
    m_positionals = &target;
    auto def = std::make_unique<Def>();
    def->metavar = metavar;
    def->positional = true;
    def->many = true;
    def->option = m_app->add_option("positionals", m_positionalValues, help)->type_name(metavar);
    m_defs.push_back(std::move(def));
    return *this;
}

CmdLine& CmdLine::repeatable() {
    if (!m_defs.empty()) m_defs.back()->repeatable = true;
    return *this;
}

CmdLine& CmdLine::needed() {
    if (!m_defs.empty()) m_defs.back()->needed = true;
    return *this;
}

int CmdLine::fail(const std::string& problem) const {
    std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", m_program.c_str(), problem.c_str(), m_program.c_str());
    return 2;
}

const CmdLine::Def* CmdLine::find(const std::string& name) const {
    for (const auto& d : m_defs)
        if (!d->positional && d->option->check_name(name)) return d.get();
    return nullptr;
}

std::optional<int> CmdLine::parse(int argc, char** argv) {
    // "--name=value" becomes "--name" "value" (CLI11 then takes the next argument as the value
    // whatever it is, so "--match=" gives the empty value to judge), and a flag given a value
    // is a problem: "--json=yes".
    std::vector<std::string> args;
    bool isValue = false;  // the argument after an option that takes one is its value, as it is
    for (int i = 0; i < argc; ++i) {
        std::string arg = argv[i];
        const std::size_t eq = arg.find('=');
        if (i == 0 || isValue) {
            isValue = false;
            args.push_back(std::move(arg));
            continue;
        }
        if (arg == "--") {  // the rest are FILEs, whatever they look like
            args.insert(args.end(), argv + i, argv + argc);
            break;
        }
        if (arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            const std::string name = arg.substr(0, eq);
            if (const Def* d = find(name)) {
                if (d->metavar.empty()) return fail(name + " takes no value");
                args.push_back(name);
                args.push_back(arg.substr(eq + 1));
                continue;
            }
        }
        // CLI11 reads "-output" as "-o utput" (short options with their value attached): a
        // forgotten dash would then write to a file named "utput". One dash takes one letter.
        if (arg.size() > 2 && arg[0] == '-' && arg[1] != '-')
            return fail("unknown option '" + arg + "' (a one-dash option is one letter, as in '" + arg.substr(0, 2) +
                        " VALUE'; long options take two dashes: '-" + arg + "')");
        if (const Def* d = find(arg)) isValue = !d->metavar.empty();
        args.push_back(std::move(arg));
    }
    std::vector<const char*> cargs;
    for (const std::string& a : args) cargs.push_back(a.c_str());
    try {
        m_app->parse(static_cast<int>(cargs.size()), cargs.data());
    } catch (const UsageProblem& p) {
        return fail(p.message);
    } catch (const CLI::CallForHelp&) {
        std::fputs(help().c_str(), stdout);
        return 0;
    } catch (const CLI::ArgumentMismatch& e) {
        // An option whose value is missing can only be the last argument: every other one takes
        // the next argument as its value, whatever it looks like.
        const std::string last = args.size() > 1 ? args.back() : "";
        if (const Def* d = find(last); d && !d->metavar.empty()) return fail(last + " needs " + d->expected);
        return fail(e.what());
    } catch (const CLI::ParseError& e) {
        // CLI11's own messages (a flag given a value it cannot read as true or false, ...).
        return fail(e.what());
    }
    if (m_app->count("--help-json") > 0) {
        std::fputs(json().c_str(), stdout);
        return 0;
    }
    for (const std::string& extra : m_app->remaining()) {
        if (extra == "--") continue;  // CLI11 keeps the end of the options among the extras
        if (extra.size() > 1 && extra[0] == '-')
            return fail("unknown option '" + extra.substr(0, extra.find('=')) + "'");
        return fail("unexpected argument '" + extra + "'");
    }
    if (m_positional && !m_positionalValues.empty()) {
        if (m_positionalValues.size() > 1) return fail("one FILE only ('" + m_positionalValues[1] + "' is extra)");
        *m_positional = m_positionalValues.front();
    }
    if (m_positionals) *m_positionals = m_positionalValues;
    return std::nullopt;
}

namespace {

std::string displayNames(const CLI::Option* o) {
    std::string out;
    for (const std::string& s : o->get_snames()) out += (out.empty() ? "-" : ", -") + s;
    for (const std::string& l : o->get_lnames()) out += (out.empty() ? "--" : ", --") + l;
    return out;
}

std::string firstName(const CLI::Option* o) {
    if (!o->get_snames().empty()) return "-" + o->get_snames().front();
    return "--" + o->get_lnames().front();
}

}  // namespace

std::string helpRow(const std::string& spec, const std::string& text) {
    std::string out = "  " + spec;
    if (text.empty()) return out + "\n";
    if (out.size() + 2 <= static_cast<std::size_t>(kHelpColumn)) {
        out.resize(kHelpColumn, ' ');
    } else {
        out += "\n" + std::string(kHelpColumn, ' ');
    }
    // '\n' in a help text starts a new line at the same column.
    std::size_t start = 0;
    bool first = true;
    while (start <= text.size()) {
        const std::size_t nl = std::min(text.find('\n', start), text.size());
        if (!first) out += "\n" + std::string(kHelpColumn, ' ');
        out += wrapWords(words(text.substr(start, nl - start)), kHelpColumn, kHelpColumn, kHelpWidth);
        first = false;
        start = nl + 1;
    }
    return out + "\n";
}

std::string wrapText(const std::string& text, int width) {
    std::string out, para;
    auto flush = [&] {
        if (para.empty()) return;
        out += wrapWords(words(para), 0, 0, width) + "\n";
        para.clear();
    };
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t nl = std::min(text.find('\n', start), text.size());
        const std::string line = text.substr(start, nl - start);
        start = nl + 1;
        if (line.empty()) {
            flush();
            out += "\n";
        } else if (line.rfind("  ", 0) == 0 || line.back() == ':') {
            // table rows and examples as written; a "Heading:" line stays on its own
            flush();
            out += line + "\n";
        } else {
            para += (para.empty() ? "" : " ") + line;
        }
    }
    flush();
    return out;
}

std::string CmdLine::help() const {
    // Usage line: positionals, then every option in declaration order.
    std::vector<std::string> parts;
    for (const auto& d : m_defs)
        if (d->positional) parts.push_back(d->needed ? d->metavar : "[" + d->metavar + "]");
    for (const auto& d : m_defs) {
        if (d->positional) continue;
        std::string p = firstName(d->option);
        if (!d->metavar.empty()) p += " " + d->metavar;
        if (!d->needed) p = "[" + p + "]";
        if (d->repeatable) p += "...";
        parts.push_back(p);
    }
    const std::string lead = "Usage: " + m_program;
    std::string out = lead;
    std::size_t col = out.size();
    const std::size_t indent = std::min<std::size_t>(lead.size() + 1, 24);
    for (const std::string& p : parts) {
        if (col + 1 + p.size() > static_cast<std::size_t>(kHelpWidth)) {
            out += "\n" + std::string(indent - 1, ' ');
            col = indent - 1;
        }
        out += " " + p;
        col += 1 + p.size();
    }
    out += "\n";
    if (!m_description.empty()) out += "\n" + wrapText(m_description);

    bool anyPositionalHelp = false;
    for (const auto& d : m_defs) anyPositionalHelp |= d->positional && !d->option->get_description().empty();
    if (anyPositionalHelp) {
        out += "\nArguments:\n";
        for (const auto& d : m_defs)
            if (d->positional) out += helpRow(d->metavar, d->option->get_description());
    }
    out += "\nOptions:\n";
    for (const CLI::Option* o : m_app->get_options()) {
        if (o->get_group().empty() || o->get_positional()) continue;  // hidden, or FILE above
        std::string spec = displayNames(o);
        if (o->get_type_size_max() > 0 && o->get_expected_max() > 0) spec += " " + o->get_type_name();
        out += helpRow(spec, o->get_description());
    }
    if (!m_footer.empty()) out += "\n" + wrapText(m_footer);
    return out;
}

std::string CmdLine::json() const {
    nlohmann::ordered_json j;
    j["program"] = m_program;
    std::string usage = help();
    usage = usage.substr(0, usage.find("\n\n"));
    j["usage"] = usage;
    j["description"] = m_description;
    j["footer"] = m_footer;
    j["options"] = nlohmann::ordered_json::array();
    j["positionals"] = nlohmann::ordered_json::array();
    for (const CLI::Option* o : m_app->get_options()) {
        if (o->get_group().empty() || o->get_positional()) continue;
        const Def* def = nullptr;
        for (const auto& d : m_defs)
            if (d->option == o) def = d.get();
        nlohmann::ordered_json e;
        auto names = nlohmann::ordered_json::array();
        for (const std::string& s : o->get_snames()) names.push_back("-" + s);
        for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
        e["names"] = names;
        const bool takesValue = def ? !def->metavar.empty() : false;
        e["value"] = takesValue ? nlohmann::ordered_json(def->metavar) : nlohmann::ordered_json(nullptr);
        e["expects"] = takesValue ? nlohmann::ordered_json(def->expected) : nlohmann::ordered_json(nullptr);
        e["help"] = o->get_description();
        e["repeatable"] = def && def->repeatable;
        e["needed"] = def && def->needed;
        j["options"].push_back(e);
    }
    for (const auto& d : m_defs) {
        if (!d->positional) continue;
        j["positionals"].push_back(nlohmann::ordered_json{
            {"name", d->metavar}, {"help", d->option->get_description()}, {"many", d->many}, {"needed", d->needed}});
    }
    return j.dump(2) + "\n";
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

void addThresholdOptions(CmdLine& parser, core::VerdictThresholds& t) {
    parser.number({"--high-load"}, t.highLoadPercent, 0, 100, "PCT", "a system CPU percent from 0 to 100",
                  "system CPU % at or above which a call ran under high load (default 70)");
    parser.number({"--own-work-ratio"}, t.ownWorkRatio, 0, std::numeric_limits<double>::max(), "R",
                  "a CPU/wall ratio >= 0", "CPU time / wall time at or above which a call is own work (default 0.8)");
    parser.count({"--min-low-load-calls"}, t.minLowLoadCalls, 1, 1000000, "N", "a whole number of calls >= 1",
                 "low-load calls of a function needed to judge its calls under high load (default 5; fewer: "
                 "unknown). A call under high load is contention only when slower than those (wall > Q3 + 1.5 "
                 "IQR and >= 1.1 x Q3 of their walls), else waiting");
}

}  // namespace loadline::cli
