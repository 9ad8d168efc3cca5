// Bytes in any charset → UTF-8, the way a browser would decide the charset.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace scrubtext::input {

struct Decoded {
  /// The text when decoding made new bytes (converted from another charset, invalid
  /// sequences replaced, a byte-order mark dropped); empty when the input was valid UTF-8,
  /// which is then used in place (see text()).
  std::string utf8;
  std::string charset;       ///< Canonical name of the charset used ("UTF-8", "windows-1252"…).
  std::size_t invalid = 0;   ///< Byte sequences replaced by U+FFFD.
  /// The input itself, when it was valid UTF-8 as it came (a view: valid while the bytes
  /// given to decode() are); empty otherwise.
  std::string_view in_place;

  /// The decoded text: valid UTF-8, not yet normalised (blocks are NFC'd later).
  std::string_view text() const { return utf8.empty() ? in_place : std::string_view(utf8); }
};

/// Decides the charset in this order: byte-order mark; `declared` (HTTP header or caller)
/// when ICU knows it; for HTML, <meta charset> / http-equiv in the first 4 KiB; valid
/// UTF-8; ICU's charset detector. A label naming a single-byte charset is overridden when
/// the bytes are valid UTF-8 with multi-byte sequences (a mislabelled page, common in
/// crawls). Invalid sequences become U+FFFD and are counted. Linear in the input. Valid
/// UTF-8 is not copied: the result then refers to `bytes`.
Decoded decode(std::string_view bytes, std::string_view declared, bool html);

/// The charset named by <meta charset> or <meta http-equiv=content-type> within the first
/// `window` bytes, or "" when none (exposed for tests).
std::string meta_charset(std::string_view bytes, std::size_t window = 4096);

/// Replaces invalid UTF-8 sequences in `s` by U+FFFD; returns how many were replaced.
std::size_t repair_utf8(std::string& s);

}  // namespace scrubtext::input
