// Transparent gzip decompression (zlib), bounded in output size.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace scrubtext::input {

/// True when `bytes` start with the gzip magic number (1f 8b).
bool looks_gzip(std::string_view bytes);

/// The result of gunzip(): `ok` with the data, or the reason it failed.
struct GunzipResult {
  bool ok = false;
  bool too_large = false;  ///< Output would exceed the limit.
  std::string data;
  std::string error;
};

/// Decompresses every gzip member in `bytes` (concatenated members are joined, as gzip(1)
/// does). Stops with too_large once the output exceeds `max_output`. A truncated or
/// corrupt stream gives ok=false and a reason. Linear in input + output.
GunzipResult gunzip(std::string_view bytes, std::size_t max_output);

}  // namespace scrubtext::input
