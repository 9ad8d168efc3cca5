// Rules compiled into RE2 sets, one per target, built once per Cleaner and shared read-only.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>

#include "rules/atoms.h"
#include "scrubtext/document.h"
#include "scrubtext/rules.h"

namespace scrubtext::detail {

enum class RuleFamily : unsigned char { Consent, Sprite, Notice, Chrome, Boilerplate, Hint };
inline constexpr std::size_t kRuleFamilies = 6;

/// A compiled rule: the loaded rule plus its family as an enum.
struct CompiledRule {
  const Rule* rule;
  RuleFamily family;
};

/// One RE2::Set and the rule behind each of its patterns.
class PatternSet {
 public:
  /// `anchor`: how the set is searched. RE2::ANCHOR_BOTH when every pattern added is
  /// anchored at both ends ("^…$"), RE2::ANCHOR_START when every one is anchored at the
  /// start; then the search stops as soon as no pattern can match any more.
  explicit PatternSet(RE2::Anchor anchor = RE2::UNANCHORED);
  /// Adds a pattern; it is parsed by compile(), which throws RuleError when it is invalid.
  void add(const std::string& regex, int rule_index);
  void compile();
  /// Appends the rule indices whose patterns match `s` to `out` (cleared first).
  void match(std::string_view s, std::vector<int>& out) const;
  bool empty() const { return rule_of_.empty(); }
  std::size_t size() const { return rule_of_.size(); }

 private:
  std::unique_ptr<re2::RE2::Set> set_;
  std::vector<std::string> regexes_;  // added, not yet compiled
  std::vector<int> rule_of_;
};

/// Compiles `sets` (PatternSet::compile), several at a time on up to 8 threads. Throws the
/// error of the first set in order that fails.
void compile_sets(const std::vector<PatternSet*>& sets);

/// Text rules, each pattern its own RE2, run only on texts that hold the literal strings
/// ("atoms", from RE2's FilteredRE2) it needs; a pattern without atoms runs on every text.
/// The atoms are looked for in the case-folded text in one pass, so a block pays for the
/// few patterns it can match, not for all of them. The atoms are a necessary condition only:
/// the matches are the same with the filter off (tests/test_rules.cpp checks it).
class TextRules {
 public:
  TextRules();
  /// Adds `regex` (a wrapped rule pattern) of rule `rule`. A builtin pattern (one
  /// builtin_text_pattern_atoms() knows) is compiled only when a text first needs it; any
  /// other is compiled now, and add() throws RuleError when it does not compile.
  void add(const std::string& regex, int rule, RuleFamily family);
  /// Call once, after the last add(). The pattern sets of patterns without atoms are
  /// appended to `sets`, for the caller to compile (compile_sets) with its own.
  void compile(std::vector<PatternSet*>& sets);
  /// Appends to `out` the rules whose patterns occur in `text` (of `family` only, unless
  /// null), in no particular order.
  void match(std::string_view text, const RuleFamily* family, std::vector<int>& out) const;
  /// With false, every pattern runs on every text (for tests and measurements).
  void set_enabled(bool on) { enabled_ = on; }

 private:
  // Whether the atom formula of pattern `pattern` holds when its atoms `locals` (its own
  // indices) are found (and no others): FilteredRE2::AllPotentials, remembered per thread.
  bool formula_holds(int pattern, const std::vector<int>& locals, std::vector<int>& scratch) const;
  struct Pattern {
    Pattern(std::string r, int ru, RuleFamily f, const TextPatternAtoms& a)
        : regex(std::move(r)), rule(ru), family(f), sufficient(a.sufficient) {}
    std::string regex;
    int rule;
    RuleFamily family;
    // The build-time analysis of a builtin pattern, which filter_of() compiles on first use;
    // null for a pattern analysed (and compiled) when it was added.
    const TextPatternAtoms* builtin = nullptr;
    // Per atom of the pattern (its own index): whether that atom alone satisfies the atom
    // formula (most formulas are a plain OR). The formula is monotone, so a text holding
    // such an atom needs no evaluation of it.
    std::vector<unsigned char> sufficient;
    // This pattern alone, as a FilteredRE2 (its RE2, and its atom formula), built on first
    // use (filter_of). Null when it did not compile.
    mutable std::once_flag built;
    mutable std::unique_ptr<re2::FilteredRE2> filter;
    // The filter numbers the atoms as the analysis did (a libre2 other than the one the
    // analysis ran with could number them otherwise: the formula is then not asked, and the
    // pattern runs whenever any of its atoms is found).
    mutable bool same_atoms = true;
  };
  // The filter of `pt`, built on first use (thread-safe); nullptr when it does not compile.
  const re2::FilteredRE2* filter_of(const Pattern& pt) const;
  std::deque<Pattern> patterns_;  // a deque: a Pattern (its once_flag) never moves
  std::vector<int> always_;                                  // patterns without atoms
  // The same patterns in two sets, for texts matched against every family: those anchored
  // at the start (most of them: bylines, dates, credits), searched anchored so that the
  // search ends within a few bytes of most texts, and the others. One RE2 call per set
  // instead of one per pattern, whose fixed cost was most of what these patterns cost.
  PatternSet always_start_{RE2::ANCHOR_START}, always_other_;
  std::vector<std::string> atoms_;                           // case-folded, distinct
  std::unordered_map<std::string, int> atom_ids_;            // atom -> index in atoms_
  std::vector<std::vector<std::pair<int, int>>> atom_uses_;  // atom -> (pattern, its own atom index)
  // Atoms by a 16-bit hash of their first three bytes: a bitmap of the hashes for a quick
  // reject (8 KB), and the atoms of each hash contiguous in `entries`, found through the
  // rank of the hash among the set bits (so the whole index stays small enough for L1/L2).
  struct AtomIndex {
    struct Entry {
      std::uint32_t key;   // the prefix (kShortAtomBytes bytes)
      std::uint32_t size;  // of the atom
      std::uint64_t tail;  // the atom's next bytes, up to 8 (little-endian)
      std::uint64_t mask;  // which bytes of `tail` are the atom's
      int atom;
    };
    std::vector<std::uint64_t> bits;         // 2^16 bits
    std::vector<std::uint32_t> word_rank;    // set bits before each word of `bits`
    std::vector<std::uint32_t> bucket_start; // per set bit, its first entry (one more at the end)
    std::vector<Entry> entries;
    void build(const std::vector<std::string>& atoms, const std::vector<int>& ids);
    // Calls f(atom) for every atom of the index that `folded` (of `n` bytes, then at least
    // 8 bytes of padding) holds at `i`.
    template <class F>
    void at(const char* folded, std::size_t n, std::size_t i, const std::vector<std::string>& atoms, F&& f) const;
  };
  AtomIndex all_;                              // every atom
  AtomIndex by_family_[kRuleFamilies];         // the atoms of each family's patterns
  bool enabled_ = true;
  // Tells this object's answers apart in the per-thread memo of atom formulas (match()):
  // unique per TextRules, never reused.
  std::uint64_t serial_;
};

class CompiledRules {
 public:
  /// `prefilter` false runs every text pattern on every text (the matches are the same;
  /// for tests and measurements).
  explicit CompiledRules(const RuleSet& rules, bool prefilter = true);

  const CompiledRule& rule(int index) const { return compiled_[static_cast<std::size_t>(index)]; }
  std::size_t size() const { return compiled_.size(); }

  /// Rules of target `text` that occur in `text`.
  void match_text(std::string_view text, std::vector<int>& out) const;
  /// Rules of target `text` and of one family that occur in `text`.
  void match_text(RuleFamily family, std::string_view text, std::vector<int>& out) const;
  /// Rules of target `line` that match the whole (trimmed) `text`.
  void match_line(std::string_view text, std::vector<int>& out) const;
  /// Rules of target `attr` matching one "name=value" string.
  void match_attr(std::string_view name_value, std::vector<int>& out) const { attr_.match(name_value, out); }
  /// Rules of target `script-src` matching a script URL.
  void match_script(std::string_view src, std::vector<int>& out) const { script_.match(src, out); }

  static Family family_of(RuleFamily f);

 private:
  // Hits in the order detectors read them: by family-and-language group, in the order the
  // groups first appear among the loaded rules, then by rule order within a group.
  void sort_hits(std::vector<int>& hits) const;
  std::vector<int> rank_;  // rule index -> its group's position
  RuleSet rules_;  // owns the Rule objects the CompiledRule pointers refer to
  std::vector<CompiledRule> compiled_;
  TextRules text_;
  // Line rules are compiled into several sets per family, each holding the patterns of a
  // few languages: a single set of all of them makes RE2's DFA thrash (its states combine
  // every pattern and the cache keeps being flushed), while each extra set costs a pass.
  struct FamilySet {
    RuleFamily family;
    std::unique_ptr<PatternSet> set;
  };
  std::vector<FamilySet> line_;
  static constexpr std::size_t set_cap_ = 100;
  PatternSet attr_, script_;
};

}  // namespace scrubtext::detail
