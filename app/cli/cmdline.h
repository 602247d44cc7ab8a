#pragma once
// The command line of one loadline-cli command, declared once with CLI11 (Debian's
// libcli11-dev): each option's names, its value's placeholder, what the value must be, where it
// goes and its help text. From those definitions come the parsing, the --help text (usage line,
// description, option table, footer) and the hidden --help-json dump that packaging/gen-docs.py
// turns into the man page and the shell completions, so the three cannot drift apart.
//
// Exit statuses and messages are loadline-cli's own, whatever CLI11 reports: --help exits 0;
// every usage problem (unknown option, missing or bad value, an extra FILE, CLI11's own parse
// errors) prints "PROGRAM: problem" then "Try 'PROGRAM --help'." to stderr and exits 2.
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace loadline::core {
struct VerdictThresholds;
}

namespace loadline::cli {

class CmdLine {
public:
    /**
     * program: "loadline-cli NAME" (argv[0] of a command). description: the text after the usage
     * line (paragraphs separated by blank lines; lines starting with two spaces are kept as they
     * are, others are wrapped). footer: the text after the option table, laid out the same way.
     */
    CmdLine(const char* program, std::string description, std::string footer = {});
    ~CmdLine();
    CmdLine(const CmdLine&) = delete;
    CmdLine& operator=(const CmdLine&) = delete;

    /** An option without a value: sets target to true. */
    CmdLine& flag(std::initializer_list<const char*> names, bool& target, const std::string& help);
    /**
     * An option with a value shown as metavar ("FILE", "cpu|memory"). accept stores it, or
     * returns false when it is not valid; expected says what it must be ("a file name") for the
     * messages. Given twice, accept sees both values in order (repeatable options collect them).
     */
    CmdLine& option(std::initializer_list<const char*> names, const char* metavar, const char* expected,
                    std::function<bool(const std::string& value)> accept, const std::string& help);
    /** A value kept as text (non-empty unless allowEmpty). */
    CmdLine& text(std::initializer_list<const char*> names, std::string& target, const char* metavar,
                  const char* expected, const std::string& help, bool allowEmpty = false);
    /** A finite number in [min, max]. */
    CmdLine& number(std::initializer_list<const char*> names, double& target, double min, double max,
                    const char* metavar, const char* expected, const std::string& help);
    /** A whole number in [min, max]. */
    CmdLine& count(std::initializer_list<const char*> names, long long& target, long long min, long long max,
                   const char* metavar, const char* expected, const std::string& help);
    /** The command's FILE (at most one); metavar names it in the usage line and the help. */
    CmdLine& positional(std::string& target, const char* metavar, const std::string& help);
    /** Every positional argument, in order (commands taking several files, e.g. BASE NEW). */
    CmdLine& positionals(std::vector<std::string>& target, const char* metavar, const std::string& help);

    /** Marks the option declared last as repeatable ("[--pid PID]..." in the usage line). */
    CmdLine& repeatable();
    /** Marks the option or positional declared last as needed: shown without brackets in the
     *  usage line. The command checks it after parse() (with its own message). */
    CmdLine& needed();

    /** nullopt: go on with the command; otherwise its exit status (0 after --help, 2 on a problem). */
    std::optional<int> parse(int argc, char** argv);

    /** For checks after parse(): prints the problem like parse() does and returns 2. */
    int fail(const std::string& problem) const;

    /** The --help text, generated from the definitions. */
    std::string help() const;
    /**
     * The definitions as JSON (the hidden option --help-json), for the man page and completion
     * generators: {"program", "usage", "description", "footer", "options": [{"names",
     * "value" (metavar or null for a flag), "expects", "help", "repeatable", "needed"}],
     * "positionals": [{"name", "help", "many", "needed"}]}.
     */
    std::string json() const;

private:
    struct Def;
    const Def* find(const std::string& name) const;
    Def& add(std::initializer_list<const char*> names, const char* metavar, const char* expected,
             const std::string& help);

    std::string m_program;
    std::string m_description;
    std::string m_footer;
    std::unique_ptr<CLI::App> m_app;
    std::vector<std::unique_ptr<Def>> m_defs;
    std::vector<std::string>* m_positionals = nullptr;
    std::string* m_positional = nullptr;
    std::vector<std::string> m_positionalValues;
};

/**
 * Help text laid out like a command's: "  NAMES VALUE" then the text wrapped at kHelpWidth
 * columns, at column kHelpColumn (on the next line when NAMES VALUE does not fit).
 */
inline constexpr int kHelpWidth = 100;
inline constexpr int kHelpColumn = 24;
std::string helpRow(const std::string& spec, const std::string& text);
/** Wraps paragraphs (blank-line separated); a line starting with two spaces is kept as it is. */
std::string wrapText(const std::string& text, int width = kHelpWidth);

/** Strict parsers: the whole text must be the number. */
bool parseNumber(const std::string& text, double& out);
bool parseWhole(const std::string& text, long long& out);
/** A percentage >= 0, with or without a trailing '%' ("5", "5%", "0.5 %"). */
bool parsePercent(std::string text, double& out);

/** --high-load, --own-work-ratio and --min-low-load-calls, the verdict thresholds (functions,
 *  export-trace, export-csv, compare). */
void addThresholdOptions(CmdLine& parser, core::VerdictThresholds& thresholds);

}  // namespace loadline::cli
