// The option parser every loadline-cli command uses: forms, errors and their messages.
#include "argparser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/correlate/verdict.h"

using namespace loadline::cli;

namespace {

// Runs parse() on the arguments after the program name, capturing what it printed.
struct Parsed {
    std::optional<int> status;
    std::string out, err;
};
Parsed parse(ArgParser& p, std::vector<std::string> args) {
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
    ArgParser p{"prog", [](std::FILE* f) { std::fputs("usage text\n", f); }};
    Cli() {
        p.flag({"--json", "-j"}, json)
            .text({"-o", "--output"}, output, "a file name")
            .number({"--interval"}, interval, 0.01, 60, "seconds from 0.01 to 60")
            .count({"--top"}, count, 0, 100, "a count up to 100")
            .option({"--match"}, "a pattern",
                    [this](const std::string& v) {
                        matches.push_back(v);
                        return !v.empty();
                    })
            .positional(file);
    }
};

}  // namespace

TEST(ArgParser, TakesEveryFormAndRepeats) {
    Cli c;
    Parsed r = parse(c.p, {"-j", "-o", "out.json", "--interval=0.25", "--top", "7", "--match", "a", "--match=b", "in.json"});
    EXPECT_FALSE(r.status) << r.err;
    EXPECT_TRUE(c.json);
    EXPECT_EQ(c.output, "out.json");
    EXPECT_EQ(c.interval, 0.25);
    EXPECT_EQ(c.count, 7);
    EXPECT_EQ(c.matches, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(c.file, "in.json");
    EXPECT_EQ(r.err, "");
}

TEST(ArgParser, DoubleDashAllowsAFileThatLooksLikeAnOption) {
    Cli c;
    Parsed r = parse(c.p, {"--json", "--", "-weird.json"});
    EXPECT_FALSE(r.status);
    EXPECT_EQ(c.file, "-weird.json");
    Cli d;
    EXPECT_FALSE(parse(d.p, {"-"}).status);  // '-' alone is a FILE (standard input/output)
    EXPECT_EQ(d.file, "-");
}

TEST(ArgParser, HelpPrintsUsageToStandardOutput) {
    Cli c;
    Parsed r = parse(c.p, {"--top", "3", "--help", "--bogus"});
    ASSERT_TRUE(r.status);
    EXPECT_EQ(*r.status, 0);
    EXPECT_EQ(r.out, "usage text\n");
}

TEST(ArgParser, ProblemsAreNamedWithAPointerToHelp) {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"--bogus"}, "prog: unknown option '--bogus'\n"},
        {{"-o"}, "prog: -o needs a file name\n"},
        {{"--interval", "0"}, "prog: --interval: invalid value '0' (expected seconds from 0.01 to 60)\n"},
        {{"--interval", "1x"}, "prog: --interval: invalid value '1x' (expected seconds from 0.01 to 60)\n"},
        {{"--interval=nan"}, "prog: --interval: invalid value 'nan' (expected seconds from 0.01 to 60)\n"},
        {{"--top", "101"}, "prog: --top: invalid value '101' (expected a count up to 100)\n"},
        {{"--top", "2.5"}, "prog: --top: invalid value '2.5' (expected a count up to 100)\n"},
        {{"--match="}, "prog: --match: invalid value '' (expected a pattern)\n"},
        {{"--json=yes"}, "prog: --json takes no value\n"},
        {{"a.json", "b.json"}, "prog: one FILE only ('b.json' is extra)\n"},
        {{"-o", ""}, "prog: -o: invalid value '' (expected a file name)\n"},
    };
    for (const Case& k : cases) {
        Cli c;
        Parsed r = parse(c.p, k.args);
        ASSERT_TRUE(r.status) << k.message;
        EXPECT_EQ(*r.status, 2);
        EXPECT_EQ(r.err, k.message + "Try 'prog --help'.\n");
    }
}

TEST(ArgParser, NoPositionalDeclaredMeansNone) {
    bool f = false;
    ArgParser p("prog", [](std::FILE*) {});
    p.flag({"--f"}, f);
    Parsed r = parse(p, {"stray"});
    ASSERT_TRUE(r.status);
    EXPECT_EQ(r.err, "prog: unexpected argument 'stray'\nTry 'prog --help'.\n");
}

TEST(ArgParser, ThresholdOptions) {
    loadline::core::VerdictThresholds t;
    ArgParser p("prog", [](std::FILE*) {});
    addThresholdOptions(p, t);
    EXPECT_FALSE(parse(p, {"--high-load", "85", "--own-work-ratio=0.6"}).status);
    EXPECT_EQ(t.highLoadPercent, 85);
    EXPECT_EQ(t.ownWorkRatio, 0.6);
    Parsed r = parse(p, {"--high-load", "101"});
    ASSERT_TRUE(r.status);
    EXPECT_EQ(*r.status, 2);
}

// --list-options: the table the man page and completion generators (packaging/gen-docs.py) read.
TEST(ArgParser, ListOptionsPrintsTheTable) {
    Cli c;
    Parsed r = parse(c.p, {"--list-options"});
    ASSERT_TRUE(r.status);
    EXPECT_EQ(*r.status, 0);
    EXPECT_EQ(r.out,
              "-h,--help\t\n"
              "--json,-j\t\n"
              "-o,--output\ta file name\n"
              "--interval\tseconds from 0.01 to 60\n"
              "--top\ta count up to 100\n"
              "--match\ta pattern\n"
              "FILE\t\n");
    bool f = false;
    ArgParser bare("prog", [](std::FILE*) {});
    bare.flag({"--f"}, f);
    EXPECT_EQ(parse(bare, {"--list-options"}).out, "-h,--help\t\n--f\t\n");  // no FILE line
}
