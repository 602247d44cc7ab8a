// The pull parser on its own: JSON edge cases, comments, numbers, positions.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/format/jsoncursor.h"

using loadline::core::detail::JsonCursor;
using loadline::core::detail::JsonType;
using loadline::core::detail::positionOf;

namespace {
double number(const std::string& text) {
    JsonCursor c(text.data(), text.size());
    double v = c.readNumber();
    c.expectEnd();
    if (c.failed()) {
        ADD_FAILURE() << text << ": " << c.error().message;
        return 0;
    }
    return v;
}
std::string errorOf(const std::string& text) {
    // An exact-size copy (no terminating NUL after it), so that a read past the end is caught
    // under AddressSanitizer (the dev-asan preset).
    const auto bytes = std::make_unique<char[]>(text.size());
    std::memcpy(bytes.get(), text.data(), text.size());
    JsonCursor c(bytes.get(), text.size());
    c.skipValue();
    c.expectEnd();
    if (!c.failed()) return "ok";
    auto p = positionOf(text, c.error().offset);
    return std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + c.error().message;
}
std::string compact(const std::string& text) {
    JsonCursor c(text.data(), text.size());
    std::string out;
    c.copyValueCompact(out);
    return out;
}
}  // namespace

TEST(JsonCursor, NumbersMatchStrtod) {
    for (const char* s : {"0", "-0", "1", "45.2", "1234567890.123", "1700000000.1234567", "1e-05", "2.5E+3", "0.1",
                          "123456789012345678901234567890", "9007199254740993", "1.7976931348623157e308", "4.9e-324",
                          "-12.75", "0.000001", "17000000001234567"}) {
        EXPECT_EQ(number(s), std::strtod(s, nullptr)) << s;
    }
    EXPECT_TRUE(std::isnan(number("NaN")));
    EXPECT_EQ(number("-Infinity"), -INFINITY);
    EXPECT_EQ(number("1e400"), INFINITY);
}

TEST(JsonCursor, RejectsInvalidNumbers) {
    EXPECT_EQ(errorOf("01"), "1:2: leading zeros are not allowed in a number");
    EXPECT_EQ(errorOf("1."),
              "1:3: unexpected end of file, expected a digit after the decimal point (the file is "
              "truncated or a bracket is not closed)");
    EXPECT_EQ(errorOf("-"),
              "1:2: unexpected end of file, expected a digit (the file is truncated or a bracket is "
              "not closed)");
    EXPECT_EQ(errorOf("1e"),
              "1:3: unexpected end of file, expected a digit in the exponent (the file is truncated "
              "or a bracket is not closed)");
    EXPECT_EQ(errorOf("+1"), "1:1: expected a value, got '+'");
}

TEST(JsonCursor, StringsAndEscapes) {
    std::string text = R"("a\"b\\c\/\n\t\u00e9\ud83d\ude00\ud800x")";
    JsonCursor c(text.data(), text.size());
    EXPECT_EQ(c.readString(), "a\"b\\c/\n\t\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx");
    EXPECT_EQ(errorOf("\"abc"), "1:1: unterminated string (the file is truncated?)");
    EXPECT_EQ(errorOf("\"a\tb\""), "1:3: control character byte 0x09 in a string (escape it)");
    EXPECT_EQ(errorOf(R"("\x")"), "1:2: invalid escape 'x' in a string");
}

TEST(JsonCursor, StructureErrorsArePositioned) {
    EXPECT_EQ(errorOf("{\"a\": 1,\n \"b\" 2}"), "2:6: expected ':' after the key, got '2'");
    EXPECT_EQ(errorOf("[1, 2"),
              "1:6: unexpected end of file, expected ',' or ']' (the file is truncated or a "
              "bracket is not closed)");
    EXPECT_EQ(errorOf("[1 2]"), "1:4: expected ',' or ']' after an array element, got '2'");
    EXPECT_EQ(errorOf("[1,]"), "1:4: trailing comma before ']'");
    EXPECT_EQ(errorOf("{} x"), "1:4: unexpected 'x' after the end of the JSON value");
    EXPECT_EQ(errorOf("tru"), "1:1: expected 'true', got 't'");
    EXPECT_EQ(errorOf(std::string(600, '[') + std::string(600, ']')), "1:513: nesting deeper than 512 levels");
    EXPECT_EQ(errorOf("// only a comment\n"),
              "2:1: unexpected end of file, expected a value (the file is "
              "truncated or a bracket is not closed)");
}

TEST(JsonCursor, EscapeErrorsPointAtTheEscape) {
    EXPECT_EQ(errorOf(R"("ab\u12")"), "1:4: incomplete \\u escape");
    EXPECT_EQ(errorOf(R"("ab\u12g4")"), "1:4: invalid \\u escape");
    EXPECT_EQ(errorOf(R"("ab\ud83d\uzz00")"), "1:4: invalid \\u escape");  // the low half of a pair
}

// Errors are sticky: the first one stands, the cursor reads as the end of its input, so every
// loop over it ends at the next call and nothing after the error is parsed or reported.
TEST(JsonCursor, FirstErrorStandsAndReadsStopAfterIt) {
    const std::string text = "[1, 2x, {\"a\": [3, 4]}, \"s\", 5]";
    JsonCursor c(text.data(), text.size());
    c.beginArray();
    std::vector<double> numbers;
    int elements = 0;
    for (bool first = true; c.nextElement(first); ++elements) {
        if (c.peek() == JsonType::Number) numbers.push_back(c.readNumber());
        else c.skipValue();
    }
    EXPECT_EQ(numbers, (std::vector<double>{1, 2}));
    EXPECT_EQ(elements, 2);
    ASSERT_TRUE(c.failed());
    EXPECT_EQ(c.error().offset, 5u);
    EXPECT_EQ(c.error().message, "expected ',' or ']' after an array element, got 'x'");
    EXPECT_EQ(c.offset(), text.size());
    // Every later read fails quietly with a neutral value and leaves the first error as it was.
    EXPECT_EQ(c.peek(), JsonType::Null);
    EXPECT_EQ(c.readNumber(), 0);
    EXPECT_EQ(c.readString(), "");
    bool first = true;
    std::string_view key;
    EXPECT_FALSE(c.nextKey(first, key));
    first = true;
    EXPECT_FALSE(c.nextElement(first));
    std::string out;
    c.copyValueCompact(out);
    EXPECT_EQ(out, "");
    c.fail(1, "a later error");
    EXPECT_EQ(c.error().offset, 5u);
    EXPECT_EQ(c.error().message, "expected ',' or ']' after an array element, got 'x'");
}

TEST(JsonCursor, CompactCopyOfABadValueCopiesNothingAfterIt) {
    const std::string text = "{\"a\": [1, 2], \"b\": tru, \"c\": 3}";
    JsonCursor c(text.data(), text.size());
    std::string out;
    c.copyValueCompact(out);
    ASSERT_TRUE(c.failed());
    EXPECT_EQ(c.error().message, "expected 'true', got 't'");
    EXPECT_EQ(out.find("\"c\""), std::string::npos) << out;
}

TEST(JsonCursor, CommentsAreWhitespace) {
    EXPECT_EQ(errorOf("/* a */ { // b\n \"k\" /* c */ : [1, /**/ 2] } // end"), "ok");
    EXPECT_EQ(errorOf("{\"k\": \"// not a comment\"}"), "ok");
}

TEST(JsonCursor, CompactCopyDropsSpaceCommentsAndNonFinite) {
    EXPECT_EQ(compact("{ \"a\" /* x */ : [1, 2.50, NaN , \"s p\"], \"b\\\"q\": {\"c\": null, \"d\": true} }"),
              R"({"a":[1,2.50,null,"s p"],"b\"q":{"c":null,"d":true}})");
}

TEST(JsonCursor, PeekTypes) {
    std::string text = "[{}, [], \"s\", 1, true, false, null]";
    JsonCursor c(text.data(), text.size());
    c.beginArray();
    std::vector<JsonType> types;
    for (bool first = true; c.nextElement(first);) {
        types.push_back(c.peek());
        c.skipValue();
    }
    EXPECT_EQ(types, (std::vector<JsonType>{JsonType::Object, JsonType::Array, JsonType::String, JsonType::Number,
                                            JsonType::True, JsonType::False, JsonType::Null}));
}

// Every double written in its shortest form reads back to the same bits (what makes a save
// lossless), including the 16-19 digit numbers that take the long double path.
TEST(JsonCursor, ShortestReprOfRandomDoublesRoundTrips) {
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (int i = 0; i < 300000; ++i) {
        double v;
        switch (i % 3) {
        case 0: v = 1.7e9 + static_cast<double>(next() % 100000000000ull) / 1e7; break;  // timestamps
        case 1: v = static_cast<double>(next() % 10000000000000000000ull) / 1e9; break;  // 19 digits
        default: {
            std::uint64_t bits = next();
            std::memcpy(&v, &bits, sizeof v);
            if (!std::isfinite(v)) continue;
        }
        }
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        const std::string text(buf, r.ptr);
        ASSERT_EQ(number(text), v) << text;
        // The same digits with a fixed number of decimals (as other writers print them).
        if (!(std::fabs(v) < 1e12)) continue;
        std::snprintf(buf, sizeof buf, "%.7f", v);
        ASSERT_EQ(number(buf), std::strtod(buf, nullptr)) << buf;
    }
}

TEST(JsonCursor, InvalidUtf8BecomesReplacementCharacters) {
    std::string text = "\"ok \xc3\xa9 bad \xff\xfe end \xe4\xb8\"";
    JsonCursor c(text.data(), text.size());
    EXPECT_EQ(c.readString(), "ok \xc3\xa9 bad \xef\xbf\xbd\xef\xbf\xbd end \xef\xbf\xbd\xef\xbf\xbd");
    EXPECT_EQ(compact("[\"a\xff\", \"b\\n\"]"), "[\"a\xef\xbf\xbd\",\"b\\n\"]");
}
