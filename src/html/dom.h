// The parsed page: gumbo's tree behind RAII, and a flat preorder index over it that every
// later stage walks without recursion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include <gumbo.h>

#include "html/prescan.h"

namespace scrubtext::html {

/// Bump allocator for everything gumbo allocates while parsing one page. gumbo makes one
/// malloc per node, attribute, string and vector growth, and frees them one by one in
/// gumbo_destroy_output(); here a free is a no-op and the whole tree goes at once with the
/// arena. What gumbo frees during the parse (buffers it outgrew, end-tag tokens) stays until
/// then: at most a constant factor of the page, which the memory bounds account for.
class Arena {
 public:
  /// `first_chunk`: bytes of the first block (later blocks double, up to a cap).
  explicit Arena(std::size_t first_chunk);
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* allocate(std::size_t size);

 private:
  void* grow(std::size_t size);
  struct Chunk {
    Chunk* next;
  };
  Chunk* chunks_ = nullptr;
  char* cur_ = nullptr;
  char* end_ = nullptr;
  std::size_t next_size_;
};

/// Owns a GumboOutput and the arena its nodes live in; destroyed with the object, in time
/// independent of the tree's depth (nothing walks the tree to free it). Not copyable.
class ParsedHtml {
 public:
  /// Parses UTF-8 `html`. gumbo never fails on any input; errors are not recorded
  /// (max_errors = 0) because nothing reads them. `html` must outlive this object
  /// (gumbo's nodes point into it). Throws std::bad_alloc when memory runs out.
  /// With `runs` (the prescan's), every element whose attributes went to the parser as one
  /// placeholder (PrescanSteps::attribute_lists) gets them back, as gumbo would have made
  /// them; `runs` must then outlive this object too.
  explicit ParsedHtml(std::string_view html, const TextRuns* runs = nullptr);
  ~ParsedHtml() = default;
  ParsedHtml(const ParsedHtml&) = delete;
  ParsedHtml& operator=(const ParsedHtml&) = delete;

  const GumboNode* document() const { return output_->document; }
  const GumboNode* root() const { return output_->root; }

 private:
  Arena arena_;
  GumboOutput* output_;
};

inline constexpr std::uint32_t kNoNode = 0xFFFFFFFFu;

/// One element or text node in document order.
/// Attributes an element node records the presence of (Node::attrs), so that reading one it
/// lacks (the usual case: most elements have a class and little else) costs a bit test.
enum class Attr : std::uint8_t {
  Id, Role, Hidden, AriaHidden, Style, Itemprop, AriaLabel, AriaDescribedby, DataTestid, Href, Rel,
  Datetime, Pubdate, Content, Src, Type
};
/// The name of `a`, as the tokenizer writes it.
constexpr const char* attr_name(Attr a) {
  constexpr const char* kNames[] = {"id",        "role",         "hidden",     "aria-hidden", "style", "itemprop",
                                    "aria-label", "aria-describedby", "data-testid", "href", "rel", "datetime",
                                    "pubdate",   "content",      "src",        "type"};
  return kNames[static_cast<std::size_t>(a)];
}

struct Node {
  const GumboNode* g = nullptr;
  std::uint32_t parent = kNoNode;  ///< Index of the parent element (kNoNode for the root).
  std::uint32_t end = 0;           ///< One past the last descendant: the subtree is [index, end).
  GumboTag tag = GUMBO_TAG_UNKNOWN;  ///< Element tag; GUMBO_TAG_UNKNOWN for text.
  bool is_text = false;
  bool whitespace_only = false;    ///< Text made only of whitespace.
  std::uint32_t depth = 0;
  std::string_view text;           ///< A text node's text, placeholders put back ("" for elements).
  std::string_view cls;            ///< An element's class value, placeholder resolved ("" for text).
  std::uint32_t attrs = 0;         ///< Bit a: the element has attribute Attr a.
};

/// The flattened tree. Nodes deeper than `max_depth` are folded into their ancestor at that
/// depth (their text is kept, their tags are not). Comments are skipped.
struct FlatDom {
  std::vector<Node> nodes;
  std::deque<std::string> expanded;  ///< Texts with placeholders put back (Node::text points here).
  bool too_many_nodes = false;  ///< Flattening stopped at the node limit.
  bool depth_capped = false;    ///< Some elements were folded at the depth limit.
};

/// Builds the flat index from `root` with an explicit stack. Stops (too_many_nodes) after
/// `max_nodes`. Linear in the number of nodes. With `runs` (the prescan's text step), text
/// nodes get their placeholders replaced by the text they stand for.
FlatDom flatten(const GumboNode* root, std::size_t max_depth, std::size_t max_nodes,
                const TextRuns* runs = nullptr);

/// Value of attribute `name` (lowercase, as the tokenizer writes names) on element `g`, or ""
/// when absent (or `g` is not an element).
std::string_view attribute(const GumboNode* g, const char* name);

/// Value of attribute `name` on element node `n`; "class" is read from Node::cls (its
/// placeholder resolved).
std::string_view attribute(const Node& n, const char* name);

/// Value of attribute `a` on element node `n`, or "" when absent.
inline std::string_view attribute(const Node& n, Attr a) {
  if (!(n.attrs >> static_cast<unsigned>(a) & 1u)) return {};
  return attribute(n.g, attr_name(a));
}

/// True when attribute `name` is present on element `g`.
bool has_attribute(const GumboNode* g, const char* name);

/// The text of a text node ("" for elements).
std::string_view node_text(const GumboNode* g);

}  // namespace scrubtext::html
