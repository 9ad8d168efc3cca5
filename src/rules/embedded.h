// The rule files compiled into the library (see cmake/EmbedRules.cmake).
#pragma once

#include <span>
#include <string_view>

namespace scrubtext::detail {

/// One file from rules/, embedded at build time.
struct EmbeddedFile {
  std::string_view path;  ///< Path relative to rules/, e.g. "consent/fr.rules".
  std::string_view data;  ///< The file's bytes; static storage, valid for the program's life.
};

/// Every file under rules/ (*.rules, *.bin, *.tsv), sorted by path.
std::span<const EmbeddedFile> embedded_rule_files();

}  // namespace scrubtext::detail
