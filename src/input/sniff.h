// Decide what the bytes are: an HTML page, plain text, or something that is not text.
#pragma once

#include <string>
#include <string_view>

namespace scrubtext::input {

enum class Sniffed { Html, Text, Binary };

/// Looks at the first few kilobytes. Binary when a known non-text magic number is present
/// (PDF, images, archives, executables, office files) or when control bytes dominate;
/// `reason` then names what was found. Html when markup is found near the start.
/// Text encodings with a BOM (UTF-16/32) count as text. Cost: O(min(size, 8 KiB)).
Sniffed sniff(std::string_view bytes, std::string* reason);

}  // namespace scrubtext::input
