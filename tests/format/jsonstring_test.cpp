// The one JSON string escaper and UTF-8 check every writer in core uses.
#include "core/format/jsonstring.h"

#include <gtest/gtest.h>

using namespace loadline::core::jsontext;

namespace {
std::string quoted(std::string_view s) {
    std::string out;
    appendJsonString(out, s);
    return out;
}
}  // namespace

TEST(JsonString, EscapesAsPythonJsonDumps) {
    EXPECT_EQ(quoted("plain"), "\"plain\"");
    EXPECT_EQ(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(quoted("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
    EXPECT_EQ(quoted(std::string_view("\x00\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
    EXPECT_EQ(quoted("\x7f"), "\"\x7f\"");  // DEL is not escaped by Python
    EXPECT_EQ(quoted("caf\xc3\xa9 \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");  // valid UTF-8 as is
}

TEST(JsonString, InvalidUtf8BecomesReplacementCharacters) {
    const std::string r = "\xef\xbf\xbd";
    EXPECT_EQ(quoted("a\xff"), "\"a" + r + "\"");
    EXPECT_EQ(quoted("\xc0\x80"), "\"" + r + r + "\"");                  // overlong NUL
    EXPECT_EQ(quoted("\xed\xa0\x80"), "\"" + r + r + r + "\"");          // a surrogate
    EXPECT_EQ(quoted("\xf4\x90\x80\x80"), "\"" + r + r + r + r + "\"");  // above U+10FFFF
    EXPECT_EQ(quoted("\xe2\x82"), "\"" + r + r + "\"");                  // cut short
    std::string clean;
    appendUtf8Sanitized(clean, "ok\xfe!");
    EXPECT_EQ(clean, "ok" + r + "!");
}

TEST(JsonString, SequenceLengths) {
    EXPECT_EQ(utf8SequenceLength("A", 0), 1u);
    EXPECT_EQ(utf8SequenceLength("\xc3\xa9", 0), 2u);
    EXPECT_EQ(utf8SequenceLength("\xe2\x82\xac", 0), 3u);
    EXPECT_EQ(utf8SequenceLength("\xf0\x9f\x98\x80", 0), 4u);
    EXPECT_EQ(utf8SequenceLength("\x80", 0), 0u);
    EXPECT_EQ(utf8SequenceLength("x\xe2\x82", 1), 0u);
}
