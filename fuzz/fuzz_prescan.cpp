// The prescan (html::prescan): any bytes in, fewer out; its text placeholders put back give
// the prescan without them, and the tree built with text, class and attribute-list
// placeholders is the tree built without them, attributes and all; and the tree without
// unread elements is the tree with them, once those are taken out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <vector>

#include "fuzz_support.h"
#include "html/dom.h"
#include "html/prescan.h"
#include "rules/compiled.h"
#include "scrubtext/rules.h"

namespace {

// What later stages read of a tree: each node's tag, depth, kind, text, class value and
// attributes (name and value, in order).
struct Seen {
  GumboTag tag;
  std::uint32_t depth;
  bool is_text, whitespace_only;
  std::string text, cls, attributes;
  std::uint32_t attrs;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> tree_of(const std::string& markup, const scrubtext::html::TextRuns* runs) {
  const scrubtext::html::ParsedHtml parsed(markup, runs);
  const scrubtext::html::FlatDom dom = scrubtext::html::flatten(parsed.root(), 1u << 20, 1u << 20, runs);
  std::vector<Seen> out;
  for (const auto& n : dom.nodes) {
    std::string attributes;
    if (!n.is_text) {
      const GumboVector& v = n.g->v.element.attributes;
      for (unsigned a = 0; a < v.length; ++a) {
        const auto* at = static_cast<const GumboAttribute*>(v.data[a]);
        // A class value is compared as resolved (cls): its placeholder is not the value.
        if (std::string_view(at->name) == "class") continue;
        attributes.append(at->name).append(1, '\0').append(at->value).append(1, '\0');
      }
    }
    out.push_back({n.tag, n.depth, n.is_text, n.whitespace_only, std::string(n.text), std::string(n.cls),
                   std::move(attributes), n.attrs});
  }
  return out;
}

// The tree as the unread_elements step may leave it: without script elements, without the
// meta and link elements of the head, without whitespace outside the body (an element the
// step drops may be what opened the head, where whitespace is kept, rather than ignored
// before it), and with the text nodes that then meet joined.
std::vector<Seen> without_unread(std::vector<Seen> tree) {
  std::vector<Seen> out;
  std::uint32_t head_depth = 0, skip_depth = 0;
  bool in_head = false, skipping = false;
  for (Seen& n : tree) {
    if (skipping && n.depth > skip_depth) continue;
    skipping = false;
    if (in_head && n.depth <= head_depth) in_head = false;
    if (!n.is_text && n.tag == GUMBO_TAG_HEAD) {
      in_head = true;
      head_depth = n.depth;
    }
    if (!n.is_text && (n.tag == GUMBO_TAG_SCRIPT || (in_head && (n.tag == GUMBO_TAG_META || n.tag == GUMBO_TAG_LINK)))) {
      skipping = true;
      skip_depth = n.depth;
      continue;
    }
    if (n.is_text && n.whitespace_only && (in_head || n.depth <= 1)) continue;
    if (n.is_text && !out.empty() && out.back().is_text && out.back().depth == n.depth) {
      out.back().text += n.text;
      out.back().whitespace_only = out.back().whitespace_only && n.whitespace_only;
      continue;
    }
    out.push_back(std::move(n));
  }
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
    const std::string without =
        scrubtext::html::prescan(in, {.text = false, .classes = false, .attribute_lists = false});
    fuzz::require(tree_of(with_runs, &runs) == tree_of(without, nullptr),
                  "the tree with placeholders is the tree with the text");
    fuzz::require(tree_of(with_all, &all_runs) == tree_of(without, nullptr),
                  "the tree with text, class and attribute-list placeholders is the tree without them");
    // Dropping unread elements removes only those (whitespace kept as written on both sides).
    static const scrubtext::detail::CompiledRules rules(scrubtext::RuleSet::builtin());
    const std::string dropped = scrubtext::html::prescan(
        in, {.whitespace = false, .text = false, .classes = false, .attribute_lists = false, .script_rules = &rules});
    const std::string kept = scrubtext::html::prescan(
        in, {.whitespace = false, .text = false, .classes = false, .attribute_lists = false, .unread_elements = false});
    fuzz::require(dropped.size() <= kept.size(), "dropping elements only removes bytes");
    fuzz::require(without_unread(tree_of(dropped, nullptr)) == without_unread(tree_of(kept, nullptr)),
                  "unread elements are all the step removes from the tree");
  }
  return 0;
}
