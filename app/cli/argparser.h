#pragma once
// The command-line options of a loadline-cli command, declared once: the names, what a value
// must be and where it goes. parse() walks argv in one pass and handles what every command
// shares: -h/--help, "--name=value" and "--name value", "--" before a FILE that starts with '-',
// one positional FILE, and the messages for unknown options, missing and bad values (always
// "PROGRAM: problem" then "Try 'PROGRAM --help'.", exit status 2). Qt-free, like loadline-cli
// itself when built without the GUI (QCommandLineParser is not available there).
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace loadline::core {
struct VerdictThresholds;
}

namespace loadline::cli {

class ArgParser {
public:
    /** usage prints the command's help to the given stream. */
    ArgParser(const char* program, std::function<void(std::FILE*)> usage);

    /** An option without a value: sets target to true. */
    ArgParser& flag(std::initializer_list<const char*> names, bool& target);
    /**
     * An option with a value. accept stores it, or returns false when it is not valid; expected
     * says what it must be ("a file name") for the messages.
     */
    ArgParser& option(std::initializer_list<const char*> names, const char* expected,
                      std::function<bool(const std::string& value)> accept);
    /** A value kept as text (non-empty unless allowEmpty). */
    ArgParser& text(std::initializer_list<const char*> names, std::string& target, const char* expected,
                    bool allowEmpty = false);
    /** A finite number in [min, max]. */
    ArgParser& number(std::initializer_list<const char*> names, double& target, double min, double max,
                      const char* expected);
    /** A whole number in [min, max]. */
    ArgParser& count(std::initializer_list<const char*> names, long long& target, long long min, long long max,
                     const char* expected);
    /** The command's FILE (at most one). */
    ArgParser& positional(std::string& target);
    /** Every positional argument, in order (commands taking several files, e.g. BASE NEW). */
    ArgParser& positionals(std::vector<std::string>& target);

    /** nullopt: go on with the command; otherwise its exit status (0 after --help, 2 on a problem). */
    std::optional<int> parse(int argc, char** argv);

    /**
     * The option table for tools (the man page and shell completion generators in packaging/),
     * printed by the hidden option --list-options: one line per option, "NAMES<TAB>EXPECTED"
     * with the names comma-separated and EXPECTED empty for a flag, then "FILE<TAB>" when the
     * command takes a FILE.
     */
    void listOptions(std::FILE* out) const;

    /** For checks after parse(): prints the problem like parse() does and returns 2. */
    int fail(const std::string& problem) const;

private:
    struct Option {
        std::vector<std::string> names;
        const char* expected = nullptr;  // nullptr: a flag
        std::function<bool(const std::string&)> accept;
        bool* flag = nullptr;
    };
    const Option* find(const std::string& name) const;

    const char* m_program;
    std::function<void(std::FILE*)> m_usage;
    std::vector<Option> m_options;
    std::string* m_positional = nullptr;
    std::vector<std::string>* m_positionals = nullptr;
};

/** Strict parsers: the whole text must be the number. */
bool parseNumber(const std::string& text, double& out);
bool parseWhole(const std::string& text, long long& out);
/** A percentage >= 0, with or without a trailing '%' ("5", "5%", "0.5 %"). */
bool parsePercent(std::string text, double& out);

/** --high-load and --own-work-ratio, the verdict thresholds (functions, export-trace, export-csv). */
void addThresholdOptions(ArgParser& parser, core::VerdictThresholds& thresholds);
inline constexpr const char* kThresholdHelp =
    "  --high-load PCT       system CPU %% at or above which a call ran under high load (default 70)\n"
    "  --own-work-ratio R    CPU time / wall time at or above which a call is own work (default 0.8)\n"
    "  --min-low-load-calls N  low-load calls of a function needed to judge its calls under high\n"
    "                        load (default 5; fewer: unknown). A call under high load is contention\n"
    "                        only when slower than those (wall > Q3 + 1.5 IQR and >= 1.1 x Q3 of\n"
    "                        their walls), else waiting\n";

}  // namespace loadline::cli
