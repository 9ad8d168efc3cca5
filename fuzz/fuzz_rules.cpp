// The rule-file parser (RuleSet::add_text): malformed files throw RuleError and leave the
// set unchanged; files that load compile into a Cleaner that cleans a page.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "scrubtext/scrubtext.h"

namespace {
constexpr std::string_view kPage =
    "<html><head><title>A headline - Site</title></head><body><nav><a href=/>Home</a></nav>"
    "<article><h1>A headline</h1><p>We use cookies to improve your experience. Accept all</p>"
    "<p>The article text, long enough to be a paragraph of the story, with commas, and more.</p>"
    "<div class=\"share-bar\">Share Tweet</div></article><footer>Copyright</footer></body></html>";
constexpr std::string_view kText = "A headline for the dump\n\nAccept cookies\nMenu\n\nThe article, in a line.\n";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  scrubtext::RuleSet set;
  try {
    set.add_text("fuzz.rules", text);
  } catch (const scrubtext::RuleError& e) {
    fuzz::require(std::string_view(e.what()).starts_with("fuzz.rules:"), "a RuleError starts with file:");
    fuzz::require(set.rules().empty(), "a failed add_text() leaves the set unchanged");
    return 0;
  }
  for (const auto& r : set.rules()) {
    fuzz::require(!r.id.empty() && !r.pattern.empty() && !r.explain.empty(), "a loaded rule is complete");
  }
  if (set.rules().empty() || set.rules().size() > 32) return 0;
  try {
    const scrubtext::Cleaner cleaner(scrubtext::Options{}, set);
    (void)cleaner.clean(kPage, {.name = "page.html"});
    (void)cleaner.clean(kText, {.name = "dump.txt"});
  } catch (const scrubtext::RuleError&) {
    // A set of valid patterns may still exceed RE2's memory budget together: documented.
  }
  return 0;
}
