// The prescan (html::prescan): any bytes in, a subsequence of them out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "html/prescan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string out = scrubtext::html::prescan(in);
  fuzz::require(out.size() <= in.size(), "the prescan only removes bytes");
  // Removing never invents a '<': every tag left was a tag (or text) of the input.
  std::size_t lt_in = 0, lt_out = 0;
  for (char c : in) lt_in += c == '<';
  for (char c : out) lt_out += c == '<';
  fuzz::require(lt_out <= lt_in, "the prescan adds no '<'");
  return 0;
}
