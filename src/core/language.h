// Per-block and per-page languages.
#pragma once

#include <vector>

#include "core/work_block.h"
#include "scrubtext/document.h"

namespace scrubtext::detail {

/// Tags every block with a language, then sets Document::language (character-weighted
/// vote of kept blocks), languages (every language with ≥ 10 % of the letters) and
/// chrome_language (main language of the removed blocks when it differs).
void assign_languages(Document& doc, std::vector<WorkBlock>& blocks);

}  // namespace scrubtext::detail
