// The prescan (html::prescan): any bytes in, fewer out; its text placeholders put back give
// the prescan without them.
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
  // With the text step: never longer, and the placeholders stand exactly for the text runs.
  scrubtext::html::TextRuns runs;
  const std::string with_runs = scrubtext::html::prescan(in, {}, &runs);
  fuzz::require(with_runs.size() <= out.size(), "placeholders are shorter than their runs");
  fuzz::require(scrubtext::html::expand_text_runs(with_runs, runs) == out, "placeholders expand to the runs");
  return 0;
}
