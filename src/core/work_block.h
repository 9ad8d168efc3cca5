// A block while the pipeline works on it: the public Block plus what the stages need.
#pragma once

#include <cstdint>
#include <string>

#include "html/dom.h"
#include "scrubtext/document.h"

namespace scrubtext::detail {

struct WorkBlock {
  Block b;
  std::uint32_t owner = html::kNoNode;  ///< HTML: flat index of the block-level element holding it.
  std::uint32_t chars = 0;              ///< Code points of b.text.
  std::uint32_t link_chars = 0;         ///< Code points inside links.
  std::uint32_t commas = 0;             ///< Commas (Latin, CJK and Arabic) in the text.
  bool in_quote = false;                ///< Inside a blockquote.

  /// Marks the block removed (first decision wins).
  void remove(Family family, std::string rule_id) {
    if (!b.kept) return;
    b.kept = false;
    b.family = family;
    b.rule_id = std::move(rule_id);
  }
};

}  // namespace scrubtext::detail
