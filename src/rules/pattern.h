// How a rule's pattern becomes the RE2 expression that runs.
#pragma once

#include <string>
#include <string_view>

namespace scrubtext::detail {

/// Wraps a rule pattern with its case flag, and anchors it for `line` rules.
inline std::string wrap_pattern(std::string_view pattern, bool case_sensitive, bool whole_line) {
  std::string out;
  out.reserve(pattern.size() + 12);
  if (whole_line) out += '^';
  out += case_sensitive ? "(?:" : "(?i:";
  out += pattern;
  out += ')';
  if (whole_line) out += '$';
  return out;
}

}  // namespace scrubtext::detail
