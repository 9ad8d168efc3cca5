// The cleaning pipeline below Cleaner::clean, for tests that vary what the public options
// do not reach.
#pragma once

#include <string_view>

#include "html/prescan.h"
#include "rules/compiled.h"
#include "scrubtext/cleaner.h"

namespace scrubtext::detail {

/// Cleaner::clean with the prescan steps given explicitly (Cleaner::clean runs all of them,
/// or none when Options::prescan is false).
Document clean_bytes(std::string_view bytes, const SourceInfo& source, const Options& options,
                     const CompiledRules& rules, const html::PrescanSteps& steps);

}  // namespace scrubtext::detail
