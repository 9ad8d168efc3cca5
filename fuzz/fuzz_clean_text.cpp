// Cleaner::clean() of text bytes (an already-scraped page dump). The first byte picks
// the built-in rules or none.
#include "fuzz_clean.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const scrubtext::Cleaner* with_rules = new scrubtext::Cleaner();  // live for the process
  static const scrubtext::Cleaner* without = new scrubtext::Cleaner(scrubtext::Options{}, scrubtext::RuleSet{});
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  fuzz::clean_and_check((data[0] & 1) ? *without : *with_rules, bytes, scrubtext::InputKind::Text);
  return 0;
}
