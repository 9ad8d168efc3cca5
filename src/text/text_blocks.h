// Text dumps → blocks: one block per line, hard-wrapped paragraphs joined.
#pragma once

#include <string_view>
#include <vector>

#include "core/work_block.h"

namespace scrubtext::text {

/// Splits UTF-8 text into blocks. Every non-empty line is a block, except that a group of
/// lines (between blank lines) that looks hard-wrapped — at least three lines, most of them
/// 40–100 characters long and not ending a sentence — is joined into one paragraph.
/// `paragraph_break` is false for a line that followed the previous one without a blank
/// line. Lines are whitespace-collapsed and NFC-normalised. Linear in the input.
std::vector<detail::WorkBlock> split_text(std::string_view text);

}  // namespace scrubtext::text
