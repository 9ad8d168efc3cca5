// Whitespace and Unicode normalisation of block text.
#pragma once

#include <string>
#include <string_view>

namespace scrubtext::text {

/// Appends `in` to `out` with every run of whitespace (ASCII, NBSP, the U+2000 spaces,
/// U+3000, line and paragraph separators) turned into one space. Zero-width spaces and
/// soft hyphens are dropped. `pending_space` carries a space across calls so that
/// "a" + " " + "b" joins as "a b" and never glues words; no space is written at the
/// start of `out`. Linear, no allocation beyond `out`'s growth.
void append_collapsed(std::string& out, std::string_view in, bool& pending_space);

/// Collapses whitespace and trims both ends.
std::string collapse_whitespace(std::string_view in);

/// NFC form of UTF-8 `s` (ICU). ASCII and already-normalised text is returned unchanged
/// without allocation beyond the copy.
std::string to_nfc(std::string_view s);

/// Number of Unicode code points in UTF-8 `s`.
std::size_t count_chars(std::string_view s);

/// Trims ASCII whitespace.
std::string_view trim(std::string_view s);

}  // namespace scrubtext::text
