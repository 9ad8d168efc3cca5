#include "html/dom.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <cstddef>
#include <new>
#include <utility>
#include <vector>

#include "html/prescan.h"

namespace scrubtext::html {

namespace {

constexpr std::size_t kAlign = alignof(std::max_align_t);
constexpr std::size_t kMaxChunk = std::size_t{64} << 20;

void* arena_allocate(void* arena, std::size_t size) { return static_cast<Arena*>(arena)->allocate(size); }
void arena_free(void*, void*) {}

}  // namespace

Arena::Arena(std::size_t first_chunk) : next_size_(std::max<std::size_t>(first_chunk, 4096)) {}

Arena::~Arena() {
  for (Chunk* c = chunks_; c;) {
    Chunk* next = c->next;
    std::free(c);
    c = next;
  }
}

void* Arena::allocate(std::size_t size) {
  size = (size + kAlign - 1) & ~(kAlign - 1);
  if (size > static_cast<std::size_t>(end_ - cur_)) return grow(size);
  void* p = cur_;
  cur_ += size;
  return p;
}

void* Arena::grow(std::size_t size) {
  const std::size_t header = (sizeof(Chunk) + kAlign - 1) & ~(kAlign - 1);
  const std::size_t bytes = std::max(next_size_, size + header);
  auto* c = static_cast<Chunk*>(std::malloc(bytes));
  if (!c) throw std::bad_alloc();
  c->next = chunks_;
  chunks_ = c;
  next_size_ = std::min(next_size_ * 2, kMaxChunk);
  cur_ = reinterpret_cast<char*>(c) + header;
  end_ = reinterpret_cast<char*>(c) + bytes;
  void* p = cur_;
  cur_ += size;
  return p;
}

// gumbo allocates about ten bytes per byte of a prescanned page (a median over the benchmark
// pages; under fifteen at most): most pages take one or two chunks. Pages of chunks never written
// are never touched.
namespace {

// A NUL-terminated copy of `s` in the arena, ASCII letters lowercased when `lower`.
const char* arena_string(Arena& arena, std::string_view s, bool lower) {
  char* p = static_cast<char*>(arena.allocate(s.size() + 1));
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    p[i] = lower && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  p[s.size()] = '\0';
  return p;
}

// Gives the element `g`, whose only attribute stands for the attribute list `list` (as the
// prescan wrote it), the attributes the tokenizer would have made of the list: names
// lowercased, values unquoted. The prescan lists no tag with two attributes of one name
// (gumbo's handling of those is its own).
void expand_list(Arena& arena, GumboNode* g, std::string_view list) {
  thread_local std::string tag;
  thread_local std::vector<AttributeSpan> spans;
  tag.assign("<x ");
  tag.append(list);
  tag += '>';
  spans.clear();
  scan_tag(tag, 1, &spans);
  GumboVector& attrs = g->v.element.attributes;
  void** data = static_cast<void**>(arena.allocate(spans.size() * sizeof(void*)));
  unsigned n = 0;
  for (const AttributeSpan& sp : spans) {
    const std::string_view raw_name(tag.data() + sp.begin, sp.name_end - sp.begin);
    const std::string_view value = attribute_value(tag, sp);
    auto* a = static_cast<GumboAttribute*>(arena.allocate(sizeof(GumboAttribute)));
    std::memset(a, 0, sizeof *a);
    a->attr_namespace = GUMBO_ATTR_NAMESPACE_NONE;
    a->name = arena_string(arena, raw_name, true);
    a->value = arena_string(arena, value, false);
    // The pieces as written point into the list (the prescan's, which outlives the tree).
    // ("<x " is 3 bytes before the list in `tag`).
    a->original_name = {list.data() + (sp.begin - 3), raw_name.size()};
    const std::size_t value_at = value.empty() ? 0 : static_cast<std::size_t>(value.data() - tag.data()) - 3;
    a->original_value = {list.data() + value_at, value.size()};
    data[n++] = a;
  }
  attrs.data = data;
  attrs.length = n;
  attrs.capacity = static_cast<unsigned>(spans.size());
}

// Expands the attribute-list placeholders of the tree under `root` (see expand_list).
void expand_attribute_lists(Arena& arena, GumboNode* root, const TextRuns& runs) {
  std::vector<GumboNode*> stack{root};
  while (!stack.empty()) {
    GumboNode* g = stack.back();
    stack.pop_back();
    if (g->type != GUMBO_NODE_ELEMENT && g->type != GUMBO_NODE_TEMPLATE && g->type != GUMBO_NODE_DOCUMENT) continue;
    const GumboVector& children = g->type == GUMBO_NODE_DOCUMENT ? g->v.document.children : g->v.element.children;
    for (unsigned k = 0; k < children.length; ++k) stack.push_back(static_cast<GumboNode*>(children.data[k]));
    if (g->type == GUMBO_NODE_DOCUMENT) continue;
    const GumboVector& attrs = g->v.element.attributes;
    if (attrs.length != 1) continue;
    const char* name = static_cast<const GumboAttribute*>(attrs.data[0])->name;
    const std::string_view nm(name);
    std::size_t end = 0;
    const std::size_t index = runs.at(nm, 0, end);
    if (index == std::string_view::npos || end != nm.size()) continue;
    const std::string_view core = runs.cores[index];
    // Only list placeholders live in list_text (text runs and class values point into the page).
    if (runs.list_text.empty() || core.data() < runs.list_text.data() ||
        core.data() >= runs.list_text.data() + runs.list_text.size())
      continue;
    expand_list(arena, g, core);
  }
}

}  // namespace

ParsedHtml::ParsedHtml(std::string_view html, const TextRuns* runs)
    : arena_(std::min(html.size(), kMaxChunk / 8) * 8 + 16384) {
  GumboOptions opts = kGumboDefaultOptions;
  opts.max_errors = 0;
  opts.allocator = arena_allocate;
  opts.deallocator = arena_free;
  opts.userdata = &arena_;
  output_ = gumbo_parse_with_options(&opts, html.data(), html.size());
  if (runs && runs->attribute_lists > 0) expand_attribute_lists(arena_, output_->document, *runs);
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

namespace {

// gumbo_get_attribute() compares names with strcasecmp; the tokenizer has lowercased every
// attribute name already (svg and MathML adjustments only touch names nothing here reads), so
// the lowercase `name` is compared exactly.
const GumboAttribute* find_attribute(const GumboNode* g, const char* name) {
  const GumboVector& attrs = g->v.element.attributes;
  for (unsigned i = 0; i < attrs.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
    if (a->name[0] == name[0] && std::strcmp(a->name, name) == 0) return a;
  }
  return nullptr;
}

// The Attr of attribute `name`, or -1.
int indexed_attribute(const char* name) {
  auto is = [&](Attr a) { return std::strcmp(name, attr_name(a)) == 0 ? static_cast<int>(a) : -1; };
  int r = -1;
  switch (name[0]) {
    case 'i': r = is(Attr::Id); if (r < 0) r = is(Attr::Itemprop); break;
    case 'r': r = is(Attr::Role); if (r < 0) r = is(Attr::Rel); break;
    case 'h': r = is(Attr::Href); if (r < 0) r = is(Attr::Hidden); break;
    case 'a':
      r = is(Attr::AriaLabel);
      if (r < 0) r = is(Attr::AriaHidden);
      if (r < 0) r = is(Attr::AriaDescribedby);
      break;
    case 's': r = is(Attr::Style); if (r < 0) r = is(Attr::Src); break;
    case 'd': r = is(Attr::DataTestid); if (r < 0) r = is(Attr::Datetime); break;
    case 'p': r = is(Attr::Pubdate); break;
    case 'c': r = is(Attr::Content); break;
    case 't': r = is(Attr::Type); break;
    default: break;
  }
  return r;
}

}  // namespace

std::string_view attribute(const GumboNode* g, const char* name) {
  if (!g || g->type != GUMBO_NODE_ELEMENT) return {};
  check_read(g, name);
  const GumboAttribute* a = find_attribute(g, name);
  return a ? std::string_view(a->value) : std::string_view();
}

std::string_view attribute(const Node& n, const char* name) {
  return std::strcmp(name, "class") == 0 ? n.cls : attribute(n.g, name);
}

bool has_attribute(const GumboNode* g, const char* name) {
  if (!g || g->type != GUMBO_NODE_ELEMENT) return false;
  check_read(g, name);
  return find_attribute(g, name) != nullptr;
}

std::string_view node_text(const GumboNode* g) {
  if (g && (g->type == GUMBO_NODE_TEXT || g->type == GUMBO_NODE_WHITESPACE || g->type == GUMBO_NODE_CDATA))
    return g->v.text.text;
  return {};
}

FlatDom flatten(const GumboNode* root, std::size_t max_depth, std::size_t max_nodes, const TextRuns* runs) {
  const bool expand = runs && runs->active() && !runs->cores.empty();
  const bool resolve = runs && runs->classes > 0;
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
      n.text = g->v.text.text;
      if (expand && runs->find(n.text, 0) != std::string_view::npos)
        n.text = dom.expanded.emplace_back(expand_text_runs(n.text, *runs));
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
      const GumboVector& attrs = g->v.element.attributes;
      bool has_class = false;  // the first class attribute is the one read, as gumbo keeps it
      for (unsigned a = 0; a < attrs.length; ++a) {
        const char* name = static_cast<const GumboAttribute*>(attrs.data[a])->name;
        if (name[0] == 'c' && std::strcmp(name, "class") == 0) {
          if (!has_class) n.cls = static_cast<const GumboAttribute*>(attrs.data[a])->value;
          has_class = true;
          continue;
        }
        const int bit = indexed_attribute(name);
        if (bit >= 0) n.attrs |= 1u << bit;
      }
      if (resolve) n.cls = resolve_class(n.cls, runs);
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
