// Main-content selection over HTML blocks: which part of the page is the article.
#pragma once

#include <vector>

#include "core/work_block.h"
#include "html/blocks.h"
#include "html/dom.h"
#include "scrubtext/options.h"

namespace scrubtext::select {

/// Scores container elements from the paragraphs they hold (text length, commas, link
/// density, tag and class/id hints), picks the best container, joins its qualifying
/// siblings, and removes from the result nested furniture that slipped past pruning
/// (link lists, image galleries, forms). Blocks outside the selection are removed with
/// family Selection ("select.outside-main"); nested removals carry "select.conditional.*".
/// If the selection is very short and relaxing the pruning finds much more text, the
/// relaxed result is used. Linear in nodes + blocks.
void select_main_content(const html::FlatDom& dom, html::BlockBuild& build, const Options& options);

}  // namespace scrubtext::select
