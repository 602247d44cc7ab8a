#include "textcell.h"

#include <gtest/gtest.h>

using loadline::cli::tableCell;

TEST(TableCell, PadsByCharactersNotBytes) {
    EXPECT_EQ(tableCell("abc", 5), "abc  ");
    EXPECT_EQ(tableCell("été", 5), "été  ");        // 5 bytes, 3 characters
    EXPECT_EQ(tableCell("データ", 8), "データ  ");  // 9 bytes, 3 wide characters: 6 columns
    EXPECT_EQ(tableCell("", 2), "  ");
}

TEST(TableCell, CutsLongTextWithAnEllipsis) {
    EXPECT_EQ(tableCell("abcdefgh", 5), "abcd\u2026");
    EXPECT_EQ(tableCell("ééééééé", 4), "ééé\u2026");  // never inside a UTF-8 sequence
    EXPECT_EQ(tableCell("abcde", 5), "abcde");
    EXPECT_EQ(tableCell("データ処理", 6), "デー… ");  // a wide character never straddles the edge
}

TEST(TableCell, ControlCharactersAreEscapedSoTheRowStaysOneLine) {
    EXPECT_EQ(tableCell("a\nb", 6), "a\\nb  ");
    EXPECT_EQ(tableCell("x\ty\x01", 10), "x\\ty\\x01  ");
}

TEST(TableCell, CombiningMarksTakeNoColumnAndStayWithTheirBase) {
    // "e" + U+0301 COMBINING ACUTE ACCENT: one column, two code points.
    EXPECT_EQ(tableCell("cafe\u0301", 6), "cafe\u0301  ");
    // Cut after the accented letter, never between the letter and its accent.
    EXPECT_EQ(tableCell("e\u0301e\u0301e\u0301e\u0301", 3), "e\u0301e\u0301\u2026");
    // U+200B ZERO WIDTH SPACE takes no column either.
    EXPECT_EQ(tableCell("a\u200Bb", 3), "a\u200Bb ");
}

TEST(TableCell, InvalidUtf8IsReplacedSoTheOutputStaysValid) {
    EXPECT_EQ(tableCell("a\xff"
                        "b",
                        4),
              "a\uFFFDb ");
}
