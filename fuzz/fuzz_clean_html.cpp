// Cleaner::clean() of HTML bytes. The first byte picks the cleaner: prescan on or off (the
// parse then sees raw script and comment bodies), normal or tiny limits, built-in rules or
// none (structure only: ten times as many runs per second, RE2 being the costly part).
#include "fuzz_clean.h"

namespace {
const scrubtext::Cleaner& cleaner(int which) {
  static const scrubtext::Cleaner* cleaners[8] = {};
  if (!cleaners[which]) {
    scrubtext::Options o;
    o.prescan = (which & 1) == 0;
    if (which & 2) {
      o.limits.max_dom_depth = 12;
      o.limits.max_nodes = 300;
      o.limits.max_output_bytes = 200;
    }
    const scrubtext::RuleSet rules = (which & 4) ? scrubtext::RuleSet{} : scrubtext::RuleSet::builtin();
    cleaners[which] = new scrubtext::Cleaner(o, rules);  // lives for the process
  }
  return *cleaners[which];
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  fuzz::clean_and_check(cleaner(data[0] & 7), bytes, scrubtext::InputKind::Html);
  return 0;
}
