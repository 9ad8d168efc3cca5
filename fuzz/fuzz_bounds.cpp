// The markup bounds (html::bound_markup), checked against gumbo's real tree: with small
// limits, the tree gumbo builds from the bounded markup must stay within a small multiple
// of them. A finding here is a pattern the model misses, which in production means a page
// that makes gumbo slow (stack scans per tag) or deep (recursive teardown).
#include <gumbo.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_support.h"
#include "html/bounds.h"
#include "html/prescan.h"

namespace {

struct TreeSize {
  std::size_t nodes = 0;
  std::size_t depth = 0;
};

TreeSize measure(const GumboNode* root) {
  TreeSize t;
  std::vector<std::pair<const GumboNode*, std::size_t>> stack{{root, 0}};
  while (!stack.empty()) {
    const auto [g, d] = stack.back();
    stack.pop_back();
    ++t.nodes;
    if (d > t.depth) t.depth = d;
    const GumboVector* children = nullptr;
    if (g->type == GUMBO_NODE_ELEMENT || g->type == GUMBO_NODE_TEMPLATE) children = &g->v.element.children;
    else if (g->type == GUMBO_NODE_DOCUMENT) children = &g->v.document.children;
    if (children)
      for (unsigned k = 0; k < children->length; ++k)
        stack.emplace_back(static_cast<const GumboNode*>(children->data[k]), d + 1);
  }
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte: prescan first or not.
  const bool prescan = data[0] & 1;
  std::string in(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (prescan) in = scrubtext::html::prescan(in);
  scrubtext::html::MarkupLimits limits;
  limits.max_depth = 16;
  limits.max_open_formatting = 4;
  limits.max_attributes = 4;
  limits.max_nodes = 1'000'000;
  const scrubtext::html::MarkupBounds b = scrubtext::html::bound_markup(in, limits);
  if (b.too_many_nodes) return 0;
  const std::string& markup = b.changed ? b.html : in;
  fuzz::require(markup.size() <= in.size(), "bounding only removes bytes");
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* out = gumbo_parse_with_options(&options, markup.data(), markup.size());
  const TreeSize t = measure(out->document);
  gumbo_destroy_output(&options, out);
  // document > html > body > 16 levels, plus what the model does not see at the top
  // (formatting clones, implied elements): a few levels, never a multiple of the input.
  fuzz::require(t.depth <= 3 * limits.max_depth + 16, "gumbo's tree is no deeper than a multiple of max_depth");
  fuzz::require(t.nodes <= 4 * b.estimated_nodes + 16, "gumbo builds no more than a multiple of the estimated nodes");
  return 0;
}
