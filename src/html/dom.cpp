#include "html/dom.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "html/prescan.h"

namespace scrubtext::html {

ParsedHtml::ParsedHtml(std::string_view html) {
  GumboOptions opts = kGumboDefaultOptions;
  opts.max_errors = 0;
  output_ = gumbo_parse_with_options(&opts, html.data(), html.size());
}

namespace {

// gumbo_destroy_output() recurses once per level of the tree. The markup bounds keep the tree
// near --max-depth, but they are a model of the tree builder; so that no tree, however deep,
// can exhaust the stack in the teardown, the children of every element at this depth are
// moved up to the document first (no node is lost: each is freed at a shallow depth).
constexpr std::size_t kTeardownDepth = 1000;

GumboVector* children_of(GumboNode* g) {
  if (g->type == GUMBO_NODE_ELEMENT || g->type == GUMBO_NODE_TEMPLATE) return &g->v.element.children;
  if (g->type == GUMBO_NODE_DOCUMENT) return &g->v.document.children;
  return nullptr;
}

void flatten_for_teardown(GumboNode* document) noexcept {
  std::vector<void*> moved;
  std::vector<GumboVector*> cut;
  try {  // first only look: out of memory here, the tree is left as it is
    std::vector<std::pair<GumboNode*, std::size_t>> stack{{document, 0}};
    while (!stack.empty()) {
      const auto [g, depth] = stack.back();
      stack.pop_back();
      GumboVector* kids = children_of(g);
      if (!kids || kids->length == 0) continue;
      const bool deep = depth >= kTeardownDepth;
      if (deep) cut.push_back(kids);
      for (unsigned k = 0; k < kids->length; ++k) {
        auto* child = static_cast<GumboNode*>(kids->data[k]);
        if (deep) moved.push_back(child);
        stack.emplace_back(child, deep ? 1 : depth + 1);
      }
    }
  } catch (...) {
    return;
  }
  if (moved.empty()) return;
  // The document's children array, grown with gumbo's default allocator (malloc and free).
  GumboVector& dc = document->v.document.children;
  const std::size_t total = dc.length + moved.size();
  auto** data = static_cast<void**>(std::malloc(total * sizeof(void*)));
  if (!data) return;
  if (dc.length) std::memcpy(data, dc.data, dc.length * sizeof(void*));
  std::memcpy(data + dc.length, moved.data(), moved.size() * sizeof(void*));
  std::free(dc.data);
  dc.data = data;
  dc.length = dc.capacity = static_cast<unsigned>(total);
  for (GumboVector* v : cut) v->length = 0;  // their arrays are still freed with their elements
}

}  // namespace

ParsedHtml::~ParsedHtml() {
  if (!output_) return;
  flatten_for_teardown(output_->document);
  gumbo_destroy_output(&kGumboDefaultOptions, output_);
}

namespace {

// Reading an attribute the prescan drops would make the output depend on Options::prescan.
void check_read(const GumboNode* g, const char* name) {
#ifdef SCRUBTEXT_CHECK_ATTRIBUTES
  if (!prescan_keeps_attribute(gumbo_normalized_tagname(g->v.element.tag), name)) {
    std::fprintf(stderr, "scrubtext: attribute '%s' read on <%s>, but the prescan drops it\n", name,
                 gumbo_normalized_tagname(g->v.element.tag));
    std::abort();
  }
#else
  (void)g;
  (void)name;
#endif
}

}  // namespace

std::string_view attribute(const GumboNode* g, const char* name) {
  if (!g || g->type != GUMBO_NODE_ELEMENT) return {};
  check_read(g, name);
  const GumboAttribute* a = gumbo_get_attribute(&g->v.element.attributes, name);
  return a ? std::string_view(a->value) : std::string_view();
}

bool has_attribute(const GumboNode* g, const char* name) {
  if (!g || g->type != GUMBO_NODE_ELEMENT) return false;
  check_read(g, name);
  return gumbo_get_attribute(&g->v.element.attributes, name) != nullptr;
}

std::string_view node_text(const GumboNode* g) {
  if (g && (g->type == GUMBO_NODE_TEXT || g->type == GUMBO_NODE_WHITESPACE || g->type == GUMBO_NODE_CDATA))
    return g->v.text.text;
  return {};
}

FlatDom flatten(const GumboNode* root, std::size_t max_depth, std::size_t max_nodes) {
  FlatDom dom;
  if (!root) return dom;
  dom.nodes.reserve(1024);
  struct Frame {
    const GumboNode* g;
    std::uint32_t parent;   // flat index of the element that receives this node
    std::uint32_t depth;
    bool exit;              // closing marker for flat index `parent`
  };
  std::vector<Frame> stack;
  stack.push_back({root, kNoNode, 0, false});
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    if (f.exit) {
      dom.nodes[f.parent].end = static_cast<std::uint32_t>(dom.nodes.size());
      continue;
    }
    if (dom.nodes.size() >= max_nodes) {
      dom.too_many_nodes = true;
      break;
    }
    const GumboNode* g = f.g;
    if (g->type == GUMBO_NODE_TEXT || g->type == GUMBO_NODE_WHITESPACE || g->type == GUMBO_NODE_CDATA) {
      Node n;
      n.g = g;
      n.parent = f.parent;
      n.is_text = true;
      n.whitespace_only = g->type == GUMBO_NODE_WHITESPACE;
      n.depth = f.depth;
      n.end = static_cast<std::uint32_t>(dom.nodes.size() + 1);
      dom.nodes.push_back(n);
      continue;
    }
    if (g->type != GUMBO_NODE_ELEMENT && g->type != GUMBO_NODE_TEMPLATE) continue;  // comments, document
    const GumboVector& children = g->v.element.children;
    std::uint32_t receiver = f.parent;
    if (f.depth < max_depth) {
      Node n;
      n.g = g;
      n.parent = f.parent;
      n.tag = g->v.element.tag;
      n.depth = f.depth;
      receiver = static_cast<std::uint32_t>(dom.nodes.size());
      dom.nodes.push_back(n);
      stack.push_back({nullptr, receiver, 0, true});
    } else {
      dom.depth_capped = true;
    }
    if (g->type == GUMBO_NODE_TEMPLATE) continue;  // template contents are inert
    const std::uint32_t child_depth = f.depth < max_depth ? f.depth + 1 : f.depth;
    for (unsigned int k = children.length; k-- > 0;)
      stack.push_back({static_cast<const GumboNode*>(children.data[k]), receiver, child_depth, false});
  }
  // Close any element left open by an early stop.
  for (auto& n : dom.nodes)
    if (!n.is_text && n.end == 0) n.end = static_cast<std::uint32_t>(dom.nodes.size());
  return dom;
}

}  // namespace scrubtext::html
