#pragma once
// Text for the CLI's aligned tables: printf's %-32s pads by bytes, so a UTF-8 name ("データ処理")
// misaligns every column after it, and a name holding a newline breaks the table in two.

#include <cstddef>
#include <string>
#include <string_view>

namespace loadline::cli {

/**
 * text as one table cell of `width` terminal columns: control characters shown as escapes (\n,
 * \t, \x01), East Asian wide characters counted as two, cut with "…" when longer, padded with
 * spaces when shorter.
 */
std::string tableCell(std::string_view text, std::size_t width);
/** The same for a row's last column: no padding after it. */
std::string lastCell(std::string_view text, std::size_t width);

}  // namespace loadline::cli
