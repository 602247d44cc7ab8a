// loadline-cli's option parsing (app/cli/cmdline.*, over CLI11): the forms it takes, the
// problems it names (exit status 2, whatever CLI11 reports), the help generated from the
// definitions; then every command of the built loadline-cli: its --help lists every option its
// definitions (--help-json) hold, and an unknown option or a missing value is a usage error.
#include "cmdline.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "clirun.h"
#include "core/correlate/verdict.h"

using namespace loadline::cli;
using nlohmann::json;

namespace {

// Runs parse() on the arguments after the program name, capturing what it printed.
struct Parsed {
    std::optional<int> status;
    std::string out, err;
};
Parsed parse(CmdLine& p, std::vector<std::string> args) {
    args.insert(args.begin(), "prog");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    Parsed r;
    r.status = p.parse(static_cast<int>(argv.size()), argv.data());
    r.out = testing::internal::GetCapturedStdout();
    r.err = testing::internal::GetCapturedStderr();
    return r;
}

struct Cli {
    bool json = false;
    std::string output, file;
    double interval = 0.5;
    long long count = 0;
    std::vector<std::string> matches;
    CmdLine p{"prog", "Does things to FILE.", "Exit status: 0 done."};
    Cli() {
        p.positional(file, "FILE", "the input")
            .needed()
            .flag({"--json", "-j"}, json, "print JSON")
            .text({"-o", "--output"}, output, "OUT", "a file name", "where to write")
            .needed()
            .number({"--interval"}, interval, 0.01, 60, "S", "seconds from 0.01 to 60", "seconds between samples")
            .count({"--top"}, count, 0, 100, "N", "a count up to 100", "the N busiest")
            .option(
                {"--match"}, "REGEX", "a pattern",
                [this](const std::string& v) {
                    matches.push_back(v);
                    return !v.empty();
                },
                "a pattern (repeatable)")
            .repeatable();
    }
};

}  // namespace

TEST(CmdLine, TakesEveryFormAndRepeats) {
    Cli c;
    Parsed r =
        parse(c.p, {"-j", "-o", "out.json", "--interval=0.25", "--top", "7", "--match", "a", "--match=b", "in.json"});
    EXPECT_FALSE(r.status) << r.err;
    EXPECT_TRUE(c.json);
    EXPECT_EQ(c.output, "out.json");
    EXPECT_EQ(c.interval, 0.25);
    EXPECT_EQ(c.count, 7);
    EXPECT_EQ(c.matches, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(c.file, "in.json");
    EXPECT_EQ(r.err, "");
}

TEST(CmdLine, ARepeatedSingleOptionKeepsTheLastValue) {
    Cli c;
    EXPECT_FALSE(parse(c.p, {"--top", "3", "--top", "9"}).status);
    EXPECT_EQ(c.count, 9);
}

TEST(CmdLine, AValueMayLookLikeAnOptionOrANegativeNumber) {
    Cli c;
    Parsed r = parse(c.p, {"--match", "-x", "-o", "-", "--match", "--top=3", "--match", "--", "--top", "5"});
    EXPECT_FALSE(r.status) << r.err;
    EXPECT_EQ(c.matches, (std::vector<std::string>{"-x", "--top=3", "--"}));
    EXPECT_EQ(c.output, "-");
    EXPECT_EQ(c.count, 5);
    Parsed negative = parse(c.p, {"--top", "-1"});
    ASSERT_TRUE(negative.status);
    EXPECT_NE(negative.err.find("--top: invalid value '-1'"), std::string::npos) << negative.err;
}

TEST(CmdLine, DoubleDashAllowsAFileThatLooksLikeAnOption) {
    Cli c;
    Parsed r = parse(c.p, {"--json", "--", "-weird.json"});
    EXPECT_FALSE(r.status) << r.err;
    EXPECT_EQ(c.file, "-weird.json");
    Cli d;
    EXPECT_FALSE(parse(d.p, {"-"}).status);  // '-' alone is a FILE (standard input/output)
    EXPECT_EQ(d.file, "-");
}

TEST(CmdLine, HelpIsGeneratedFromTheDefinitions) {
    Cli c;
    Parsed r = parse(c.p, {"--top", "3", "--help"});
    ASSERT_TRUE(r.status);
    EXPECT_EQ(*r.status, 0);
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out,
              "Usage: prog FILE [-j] -o OUT [--interval S] [--top N] [--match REGEX]...\n"
              "\n"
              "Does things to FILE.\n"
              "\n"
              "Arguments:\n"
              "  FILE                  the input\n"
              "\n"
              "Options:\n"
              "  -h, --help            show this help\n"
              "  -j, --json            print JSON\n"
              "  -o, --output OUT      where to write\n"
              "  --interval S          seconds between samples\n"
              "  --top N               the N busiest\n"
              "  --match REGEX         a pattern (repeatable)\n"
              "\n"
              "Exit status: 0 done.\n");
}

TEST(CmdLine, LongHelpTextsWrapUnderTheirColumn) {
    const std::string row = helpRow("--a-very-long-option-name VALUE", std::string(150, 'x') + " " + "tail words");
    EXPECT_EQ(row.rfind("  --a-very-long-option-name VALUE\n" + std::string(kHelpColumn, ' '), 0), 0u) << row;
    std::size_t start = 0;
    for (std::size_t nl; (nl = row.find('\n', start)) != std::string::npos; start = nl + 1) {
        if (row.compare(start, 3, "  -") == 0) continue;  // the names' own line
        EXPECT_EQ(row.compare(start, kHelpColumn, std::string(kHelpColumn, ' ')), 0);
        EXPECT_LE(nl - start, static_cast<std::size_t>(kHelpWidth) + 150);  // only the unbreakable word overflows
    }
    EXPECT_NE(row.find("\n" + std::string(kHelpColumn, ' ') + "tail words\n"), std::string::npos) << row;
}

TEST(CmdLine, ProblemsAreNamedWithAPointerToHelp) {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"--bogus"}, "prog: unknown option '--bogus'\n"},
        {{"--bogus=1"}, "prog: unknown option '--bogus'\n"},
        {{"-Z"}, "prog: unknown option '-Z'\n"},
        {{"-o"}, "prog: -o needs a file name\n"},
        {{"a.json", "--interval"}, "prog: --interval needs seconds from 0.01 to 60\n"},
        {{"--interval", "0"}, "prog: --interval: invalid value '0' (expected seconds from 0.01 to 60)\n"},
        {{"--interval", "61"}, "prog: --interval: invalid value '61' (expected seconds from 0.01 to 60)\n"},
        {{"--interval", "1x"}, "prog: --interval: invalid value '1x' (expected seconds from 0.01 to 60)\n"},
        {{"--interval=nan"}, "prog: --interval: invalid value 'nan' (expected seconds from 0.01 to 60)\n"},
        {{"--top", "101"}, "prog: --top: invalid value '101' (expected a count up to 100)\n"},
        {{"--top", "-1"}, "prog: --top: invalid value '-1' (expected a count up to 100)\n"},
        {{"--top", "2.5"}, "prog: --top: invalid value '2.5' (expected a count up to 100)\n"},
        {{"--match="}, "prog: --match: invalid value '' (expected a pattern)\n"},
        {{"--json=yes"}, "prog: --json takes no value\n"},
        {{"a.json", "b.json"}, "prog: one FILE only ('b.json' is extra)\n"},
        {{"-o", ""}, "prog: --output: invalid value '' (expected a file name)\n"},
        // Not "-o utput" / "-o ut.json": a forgotten dash is named, no file is written.
        {{"-output", "x"},
         "prog: unknown option '-output' (a one-dash option is one letter, as in '-o VALUE'; long options take two "
         "dashes: '--output')\n"},
        {{"-out.json"},
         "prog: unknown option '-out.json' (a one-dash option is one letter, as in '-o VALUE'; long options take two "
         "dashes: '--out.json')\n"},
    };
    for (const Case& k : cases) {
        Cli c;
        Parsed r = parse(c.p, k.args);
        ASSERT_TRUE(r.status) << k.message;
        EXPECT_EQ(*r.status, 2) << k.message;
        EXPECT_EQ(r.err, k.message + "Try 'prog --help'.\n");
        EXPECT_EQ(r.out, "");
    }
}

TEST(CmdLine, NoPositionalDeclaredMeansNone) {
    bool f = false;
    CmdLine p("prog", "");
    p.flag({"--f"}, f, "a flag");
    Parsed r = parse(p, {"stray"});
    ASSERT_TRUE(r.status);
    EXPECT_EQ(*r.status, 2);
    EXPECT_EQ(r.err, "prog: unexpected argument 'stray'\nTry 'prog --help'.\n");
}

TEST(CmdLine, ThresholdOptions) {
    loadline::core::VerdictThresholds t;
    CmdLine p("prog", "");
    addThresholdOptions(p, t);
    EXPECT_FALSE(parse(p, {"--high-load", "85", "--own-work-ratio=0.6", "--min-low-load-calls", "3"}).status);
    EXPECT_EQ(t.highLoadPercent, 85);
    EXPECT_EQ(t.ownWorkRatio, 0.6);
    EXPECT_EQ(t.minLowLoadCalls, 3);
    for (const char* bad : {"101", "-1"}) {
        Parsed r = parse(p, {"--high-load", bad});
        ASSERT_TRUE(r.status);
        EXPECT_EQ(*r.status, 2);
        EXPECT_NE(r.err.find("--high-load: invalid value"), std::string::npos) << r.err;
    }
    Parsed r = parse(p, {"--min-low-load-calls", "0"});
    ASSERT_TRUE(r.status);
    EXPECT_EQ(*r.status, 2);
}

TEST(CmdLine, PercentParser) {
    double v = 0;
    EXPECT_TRUE(parsePercent("5%", v));
    EXPECT_EQ(v, 5);
    EXPECT_TRUE(parsePercent("0.5 %", v));
    EXPECT_EQ(v, 0.5);
    EXPECT_FALSE(parsePercent("-1", v));
    EXPECT_FALSE(parsePercent("lots", v));
}

// --help-json: the definitions the man page and completion generators (packaging/gen-docs.py) read.
TEST(CmdLine, HelpJsonDumpsTheDefinitions) {
    Cli c;
    Parsed r = parse(c.p, {"--help-json"});
    ASSERT_TRUE(r.status);
    EXPECT_EQ(*r.status, 0);
    const json j = json::parse(r.out);
    EXPECT_EQ(j["program"], "prog");
    EXPECT_EQ(j["description"], "Does things to FILE.");
    EXPECT_EQ(j["footer"], "Exit status: 0 done.");
    ASSERT_EQ(j["options"].size(), 6u);  // --help and the five above; --help-json itself is hidden
    EXPECT_EQ(j["options"][0]["names"], json({"-h", "--help"}));
    EXPECT_EQ(j["options"][1]["names"], json({"-j", "--json"}));
    EXPECT_TRUE(j["options"][1]["value"].is_null());
    EXPECT_EQ(j["options"][2]["names"], json({"-o", "--output"}));
    EXPECT_EQ(j["options"][2]["value"], "OUT");
    EXPECT_EQ(j["options"][2]["expects"], "a file name");
    EXPECT_EQ(j["options"][2]["needed"], true);
    EXPECT_EQ(j["options"][5]["repeatable"], true);
    ASSERT_EQ(j["positionals"].size(), 1u);
    EXPECT_EQ(j["positionals"][0]["name"], "FILE");
    EXPECT_EQ(j["positionals"][0]["many"], false);
}

// ---- every command of the built loadline-cli ----

namespace {
loadline::test::CliRun cli(const std::string& args) {
    return loadline::test::runCli(
        args, std::filesystem::temp_directory_path() / ("cmdline_test_err_" + std::to_string(::getpid())));
}

std::vector<std::string> commandNames() {
    const auto top = cli("--help-json");
    EXPECT_EQ(top.status, 0) << top.err;
    std::vector<std::string> names;
    const json j = json::parse(top.out);
    for (const auto& c : j["commands"]) names.push_back(c["name"]);
    EXPECT_GE(names.size(), 13u);  // inspect, record, snapshot, functions, export-*, serve, import, ...
    return names;
}

// The command line of one command: "import" has one source, "prometheus".
std::string commandLine(const std::string& name) { return name == "import" ? "import prometheus" : name; }
}  // namespace

TEST(LoadlineCli, TopLevelHelpListsEveryCommand) {
    const auto names = commandNames();
    ASSERT_GE(names.size(), 13u);
    const auto help = cli("--help");
    EXPECT_EQ(help.status, 0);
    for (const auto& n : names) EXPECT_NE(help.out.find("\n  " + n + " "), std::string::npos) << n;
    for (const char* heading : {"Commands:", "Options:", "Exit status:", "Examples:", "Files:"})
        EXPECT_NE(help.out.find(std::string("\n") + heading + "\n"), std::string::npos) << heading;
    const auto unknown = cli("frobnicate");
    EXPECT_EQ(unknown.status, 2);
    EXPECT_NE(unknown.err.find("unknown command 'frobnicate'"), std::string::npos) << unknown.err;
}

TEST(LoadlineCli, EveryCommandsHelpListsEveryOptionItAccepts) {
    for (const auto& name : commandNames()) {
        SCOPED_TRACE(name);
        const auto defs = cli(commandLine(name) + " --help-json");
        ASSERT_EQ(defs.status, 0) << defs.err;
        const json j = json::parse(defs.out);
        const auto help = cli(commandLine(name) + " --help");
        ASSERT_EQ(help.status, 0) << help.err;
        EXPECT_EQ(help.out.rfind("Usage: loadline-cli " + commandLine(name), 0), 0u) << help.out;
        ASSERT_GE(j["options"].size(), 2u);  // --help and at least one more
        for (const auto& o : j["options"]) {
            std::string spec;
            for (const auto& n : o["names"]) spec += (spec.empty() ? "" : ", ") + n.get<std::string>();
            if (!o["value"].is_null()) spec += " " + o["value"].get<std::string>();
            // The option's row: its names (and value) at the start of a line, then its help.
            const bool row = help.out.find("\n  " + spec + " ") != std::string::npos ||
                             help.out.find("\n  " + spec + "\n") != std::string::npos;  // a long spec: text below
            EXPECT_TRUE(row) << spec << "\n" << help.out;
            EXPECT_NE(help.out.find(o["help"].get<std::string>().substr(0, 20)), std::string::npos) << spec;
            // Every option accepted is in the usage line too.
            const std::string first = o["names"][0];
            if (first == "-h") continue;
            EXPECT_NE(help.out.substr(0, help.out.find("\n\n")).find(first), std::string::npos) << first;
        }
    }
}

TEST(LoadlineCli, EveryCommandRejectsUnknownOptionsAndMissingValues) {
    for (const auto& name : commandNames()) {
        SCOPED_TRACE(name);
        const auto unknown = cli(commandLine(name) + " --no-such-option");
        EXPECT_EQ(unknown.status, 2);
        EXPECT_NE(unknown.err.find("unknown option '--no-such-option'"), std::string::npos) << unknown.err;
        EXPECT_NE(unknown.err.find("Try 'loadline-cli " + commandLine(name) + " --help'."), std::string::npos)
            << unknown.err;
        const json j = json::parse(cli(commandLine(name) + " --help-json").out);
        for (const auto& o : j["options"]) {
            if (o["value"].is_null()) continue;
            const std::string n = o["names"].back();
            const auto missing = cli(commandLine(name) + " " + n);
            EXPECT_EQ(missing.status, 2) << n;
            EXPECT_NE(missing.err.find(n + " needs " + o["expects"].get<std::string>()), std::string::npos)
                << missing.err;
        }
    }
}
