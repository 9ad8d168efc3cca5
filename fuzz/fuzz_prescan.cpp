// The prescan (html::prescan): any bytes in, fewer out; its text placeholders put back give
// the prescan without them, and the tree built with text and class placeholders is the tree
// built without them.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <vector>

#include "fuzz_support.h"
#include "html/dom.h"
#include "html/prescan.h"

namespace {

// What later stages read of a tree: each node's tag, depth, kind, text and class value.
struct Seen {
  GumboTag tag;
  std::uint32_t depth;
  bool is_text, whitespace_only;
  std::string text, cls;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> tree_of(const std::string& markup, const scrubtext::html::TextRuns* runs) {
  const scrubtext::html::ParsedHtml parsed(markup);
  const scrubtext::html::FlatDom dom = scrubtext::html::flatten(parsed.root(), 1u << 20, 1u << 20, runs);
  std::vector<Seen> out;
  for (const auto& n : dom.nodes)
    out.push_back({n.tag, n.depth, n.is_text, n.whitespace_only, std::string(n.text), std::string(n.cls)});
  return out;
}

}  // namespace

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
  const std::string with_runs = scrubtext::html::prescan(in, {.classes = false}, &runs);
  fuzz::require(with_runs.size() <= out.size(), "placeholders are shorter than their runs");
  fuzz::require(scrubtext::html::expand_text_runs(with_runs, runs) == out, "placeholders expand to the runs");
  // The tree gumbo builds from the placeholders, text put back, is the tree it builds from
  // the text (small inputs: the markup is not bounded here, see fuzz_bounds).
  if (size <= 4096) {
    scrubtext::html::TextRuns all_runs;
    const std::string with_all = scrubtext::html::prescan(in, {}, &all_runs);
    fuzz::require(with_all.size() <= with_runs.size(), "class placeholders are shorter than their values");
    fuzz::require(scrubtext::html::expand_text_runs(with_all, all_runs) == out,
                  "text and class placeholders expand to what they replaced");
    const std::string without = scrubtext::html::prescan(in, {.text = false, .classes = false});
    fuzz::require(tree_of(with_runs, &runs) == tree_of(without, nullptr),
                  "the tree with placeholders is the tree with the text");
    fuzz::require(tree_of(with_all, &all_runs) == tree_of(without, nullptr),
                  "the tree with text and class placeholders is the tree without them");
  }
  return 0;
}
