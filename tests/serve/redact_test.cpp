// What serve reveals of command lines: the masking rules of core/serve/redact and the per-process
// cache that applies them once per command line.
#include "core/serve/redact.h"

#include <gtest/gtest.h>

using namespace loadline::core::serve;

TEST(Redact, SecretNames) {
    for (const char* n : {"password", "PASSWORD", "db-password", "api_key", "apiKey", "token", "auth-token",
                          "client_secret", "passwd", "credentials", "AWS_SECRET_ACCESS_KEY", "pwd"})
        EXPECT_TRUE(isSecretName(n)) << n;
    for (const char* n : {"port", "verbose", "host", "user", "config", "interval", ""})
        EXPECT_FALSE(isSecretName(n)) << n;
}

TEST(Redact, OptionWithEquals) {
    EXPECT_EQ(redactCmdline("app --password=hunter2 --port=80"), "app --password=*** --port=80");
    EXPECT_EQ(redactCmdline("app -token=abc"), "app -token=***");
    EXPECT_EQ(redactCmdline("app --api-key=K1 x"), "app --api-key=*** x");
    EXPECT_EQ(redactCmdline("app --password="), "app --password=");  // nothing to hide
}

TEST(Redact, OptionWithSeparateValue) {
    EXPECT_EQ(redactCmdline("app --token abc123 --port 80"), "app --token *** --port 80");
    EXPECT_EQ(redactCmdline("mysql -u root --password s3cr3t db"), "mysql -u root --password *** db");
    // A flag followed by another option has no value to hide.
    EXPECT_EQ(redactCmdline("app --token --verbose"), "app --token --verbose");
    // The last word: nothing follows.
    EXPECT_EQ(redactCmdline("app --token"), "app --token");
    EXPECT_EQ(redactCmdline("app --port 80 value"), "app --port 80 value");
}

TEST(Redact, EnvLikeAssignments) {
    EXPECT_EQ(redactCmdline("env API_KEY=abc DB_PASSWORD=xyz MODE=fast run"),
              "env API_KEY=*** DB_PASSWORD=*** MODE=fast run");
    EXPECT_EQ(redactCmdline("java -Ddb.password=pw -Dport=1 Main"), "java -Ddb.password=*** -Dport=1 Main");
    EXPECT_EQ(redactCmdline("SECRET=a=b"), "SECRET=***");
}

TEST(Redact, UrlCredentials) {
    EXPECT_EQ(redactCmdline("psql postgres://alice:pa55@db.example:5432/app"),
              "psql postgres://alice:***@db.example:5432/app");
    EXPECT_EQ(redactCmdline("app --db=mysql://bob:pw@h/x"), "app --db=mysql://bob:***@h/x");
    EXPECT_EQ(redactCmdline("git clone https://ghp_abc@github.com/o/r"), "git clone https://***@github.com/o/r");
    EXPECT_EQ(redactCmdline("curl https://example.com/a?x=1&access_token=T0K&y=2"),
              "curl https://example.com/a?x=1&access_token=***&y=2");
    // No credentials: unchanged (a port is not a password).
    EXPECT_EQ(redactCmdline("curl https://example.com:8443/path?q=a@b"), "curl https://example.com:8443/path?q=a@b");
}

TEST(Redact, KeepsEverythingElseByteForByte) {
    const std::string plain = "/usr/bin/python3 -m http.server 8000  --bind 127.0.0.1 \xc3\xa9t\xc3\xa9";
    EXPECT_EQ(redactCmdline(plain), plain);
    EXPECT_EQ(redactCmdline(""), "");
    // Two spaces (an empty argument) between a flag and its value still hide the value.
    EXPECT_EQ(redactCmdline("app --token  abc"), "app --token  ***");
}

TEST(Redact, FilterModes) {
    CmdlineFilter show(CmdlineMode::Show), redact(CmdlineMode::Redact), omit(CmdlineMode::Omit);
    const std::string cmd = "app --password=hunter2";
    EXPECT_EQ(show.apply(1, cmd), cmd);
    EXPECT_EQ(omit.apply(1, cmd), "");
    EXPECT_EQ(redact.apply(1, cmd), "app --password=***");
    // Cached per pid, and recomputed when the command line changes.
    const auto first = redact.apply(1, cmd);
    EXPECT_EQ(redact.apply(1, cmd).data(), first.data());
    EXPECT_EQ(redact.apply(1, "app --token abc"), "app --token ***");
    EXPECT_EQ(redact.apply(2, cmd), "app --password=***");
}
