// Junk detectors that read block text: the same for HTML blocks and text-dump lines.
#pragma once

#include <vector>

#include "core/work_block.h"
#include "rules/compiled.h"

namespace scrubtext::classify {

/// Page-level facts that change how much evidence a detector needs.
struct PageContext {
  bool consent_platform = false;  ///< A consent platform's script or element is on the page.
  bool text_input = false;        ///< The blocks are lines of a text dump.
};

/// Runs every detector in order: icon-sprite runs (which may trim a block instead of
/// removing it), language notices, page chrome labels, boilerplate phrases, consent
/// dialogs (decided per dialog, not per block), repeated lines. Removes blocks with the
/// rule id that fired; blocks already removed by structure keep their first reason,
/// except that a text detector's family replaces "outside the main content".
void classify_blocks(std::vector<detail::WorkBlock>& blocks, const detail::CompiledRules& rules,
                     const PageContext& page);

/// Sprite detection alone (exposed for tests): the byte length of a leading run of glued
/// icon names/asset ids in `text`, or text.size() when the whole text is such a run.
std::size_t sprite_prefix(std::string_view text, const detail::CompiledRules& rules);

}  // namespace scrubtext::classify
