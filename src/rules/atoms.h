// The literal strings ("atoms") a text rule's pattern needs before it can match, found with
// RE2's FilteredRE2. The builtin rules' atoms are found at build time (tools/rule_atoms.cpp
// writes them into the library), so a Cleaner compiles a builtin pattern only when a text
// first holds its atoms; rules added at run time are analysed when they are loaded.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/filtered_re2.h>

namespace scrubtext::detail {

/// What the prefilter knows of one wrapped text pattern.
struct TextPatternAtoms {
  /// The FilteredRE2 minimum atom length the atoms were found with (a filter built with it
  /// numbers the atoms as `atoms` does).
  int min_atom = 4;
  /// The pattern can match a text holding none of its atoms: it is run on every text.
  bool always = false;
  /// Case-folded (fold_utf8), in FilteredRE2's order. Empty when `always`.
  std::vector<std::string> atoms;
  /// Per atom: whether that atom alone satisfies the pattern's atom formula.
  std::vector<unsigned char> sufficient;

  bool operator==(const TextPatternAtoms&) const = default;
};

/// Case-folds UTF-8 code point by code point (simple folding: "Σ", "σ" and "ς" all become
/// "σ"). Applied to FilteredRE2's lowercased atoms and to the text alike, so that whatever
/// RE2's (?i) treats as equal is equal here too.
void fold_utf8(std::string_view s, std::string& out);

/// A FilteredRE2 holding `regex` alone, compiled with atoms of at least `min_atom` bytes;
/// `atoms` gets them (as FilteredRE2 writes them, lowercased, not folded). Throws RuleError
/// when the pattern does not compile.
std::unique_ptr<re2::FilteredRE2> filter_for(const std::string& regex, int min_atom, std::vector<std::string>& atoms);

/// Finds the atoms of `regex` (a pattern as wrap_pattern() writes it). Atoms of 4 bytes are
/// tried first; a pattern that has none is tried again with 3 ("_ga", "(c)"). When `filter`
/// is given it gets the FilteredRE2 the answer came from. Throws RuleError when the pattern
/// does not compile.
TextPatternAtoms analyze_text_pattern(const std::string& regex, std::unique_ptr<re2::FilteredRE2>* filter = nullptr);

/// The analysis of a builtin text pattern, made at build time; nullptr for any other pattern.
const TextPatternAtoms* builtin_text_pattern_atoms(std::string_view regex);

}  // namespace scrubtext::detail
