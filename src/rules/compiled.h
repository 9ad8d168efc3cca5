// Rules compiled into RE2 sets, one per target, built once per Cleaner and shared read-only.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/set.h>

#include "scrubtext/document.h"
#include "scrubtext/rules.h"

namespace scrubtext::detail {

enum class RuleFamily : unsigned char { Consent, Sprite, Notice, Chrome, Boilerplate, Hint };

/// A compiled rule: the loaded rule plus its family as an enum.
struct CompiledRule {
  const Rule* rule;
  RuleFamily family;
};

/// One RE2::Set and the rule behind each of its patterns.
class PatternSet {
 public:
  PatternSet();
  void add(const std::string& regex, int rule_index);
  void compile();
  /// Appends the rule indices whose patterns match `s` to `out` (cleared first).
  void match(std::string_view s, std::vector<int>& out) const;
  bool empty() const { return rule_of_.empty(); }

 private:
  std::unique_ptr<re2::RE2::Set> set_;
  std::vector<int> rule_of_;
};

class CompiledRules {
 public:
  explicit CompiledRules(const RuleSet& rules);

  const CompiledRule& rule(int index) const { return compiled_[static_cast<std::size_t>(index)]; }
  std::size_t size() const { return compiled_.size(); }

  /// Rules of target `text` that occur in `text`.
  void match_text(std::string_view text, std::vector<int>& out) const;
  /// Rules of target `line` that match the whole (trimmed) `text`.
  void match_line(std::string_view text, std::vector<int>& out) const;
  /// Rules of target `attr` matching one "name=value" string.
  void match_attr(std::string_view name_value, std::vector<int>& out) const { attr_.match(name_value, out); }
  /// Rules of target `script-src` matching a script URL.
  void match_script(std::string_view src, std::vector<int>& out) const { script_.match(src, out); }

  static Family family_of(RuleFamily f);

 private:
  RuleSet rules_;  // owns the Rule objects the CompiledRule pointers refer to
  std::vector<CompiledRule> compiled_;
  // Text and line rules are compiled into one set per family and language: a single set of
  // ~1,000 phrases makes RE2's DFA thrash (its states combine every pattern and the cache
  // keeps being flushed); small sets each scan the block at full DFA speed.
  // Sets are keyed by family and language.
  std::vector<std::unique_ptr<PatternSet>> text_, line_;
  std::vector<std::string> text_keys_, line_keys_;
  PatternSet attr_, script_;
};

}  // namespace scrubtext::detail
