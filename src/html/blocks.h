// DOM → blocks: structural pruning and the text of every block in reading order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/work_block.h"
#include "html/dom.h"
#include "rules/compiled.h"

namespace scrubtext::html {

/// Elements that start and end a block of text (div, p, li, h1…; also the prescan's test
/// for whitespace that never reaches the output).
bool is_block_tag(GumboTag t);

/// Per-element decisions made from structure and attributes.
struct ElementInfo {
  double hint = 0.0;               ///< Sum of matching `hint` rule weights (class/id/itemprop).
  std::int32_t prune_rule = -1;    ///< Compiled rule index that prunes this element, or -1.
  const char* prune_builtin = nullptr;  ///< Built-in prune reason (tag, role, hidden), or nullptr.
  bool block_level = false;        ///< Starts and ends a block.
  bool skip = false;               ///< Never rendered text (head, script, form controls…): no blocks at all.
  bool has_block_descendant = false;
  bool consent_signature = false;  ///< Pruned by a consent-platform DOM signature.
};

struct BlockBuild {
  std::vector<ElementInfo> info;           ///< Indexed like FlatDom::nodes.
  std::vector<detail::WorkBlock> blocks;   ///< Every block of <body>; pruned ones already removed.
  bool consent_platform = false;           ///< A consent platform's element or script was found.
};

/// Classifies every element (skip / prune / hint) with the built-in structural rules and
/// the compiled attr rules, then emits blocks in document order. An element is not pruned
/// when it holds more than `kMaxPrunedShare` of the page's text (a wrapper whose class
/// happens to match must not take the article with it). Linear in the number of nodes.
/// With `links` false, blocks get no Block::links (and <a> hrefs are read only for whether
/// they lead anywhere).
BlockBuild build_blocks(const FlatDom& dom, const detail::CompiledRules& rules,
                        const std::vector<std::string>& script_srcs, bool links = true);

/// Whether an element's style attribute hides it (display:none, visibility:hidden; case and
/// spaces, tabs and newlines ignored): the element is then pruned.
bool hidden_by_style(std::string_view style);

/// An <a> href as blocks keep it: without the spaces, tabs and newlines around it; "" when it
/// leads nowhere (empty, "#…", "javascript:…").
std::string_view link_href(std::string_view href);

/// Share of the body's text above which a class/id or tag prune is ignored. Calibrated on
/// the benchmark: wrappers named "comments-area"/"sidebar-layout" held 65–95 % of the text
/// where it mattered, real furniture under 40 %.
inline constexpr double kMaxPrunedShare = 0.6;

}  // namespace scrubtext::html
