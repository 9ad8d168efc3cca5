#include "rules/compiled.h"

#include <re2/re2.h>

#include "rules/pattern.h"

namespace scrubtext::detail {

PatternSet::PatternSet() {
  RE2::Options opts;
  opts.set_case_sensitive(true);  // each pattern carries its own (?i:) wrapper
  opts.set_log_errors(false);
  opts.set_max_mem(64 << 20);
  set_ = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
}

void PatternSet::add(const std::string& regex, int rule_index) {
  std::string error;
  if (set_->Add(regex, &error) < 0) throw RuleError("invalid pattern '" + regex + "': " + error);
  rule_of_.push_back(rule_index);
}

void PatternSet::compile() {
  if (!rule_of_.empty() && !set_->Compile()) throw RuleError("rule patterns exceed the RE2 memory budget");
}

void PatternSet::match(std::string_view s, std::vector<int>& out) const {
  out.clear();
  if (rule_of_.empty()) return;
  std::vector<int> hits;
  if (!set_->Match(re2::StringPiece(s.data(), s.size()), &hits)) return;
  out.reserve(hits.size());
  for (int h : hits) out.push_back(rule_of_[static_cast<std::size_t>(h)]);
}

namespace {
RuleFamily parse_family(const std::string& f) {
  if (f == "consent") return RuleFamily::Consent;
  if (f == "sprite") return RuleFamily::Sprite;
  if (f == "notice") return RuleFamily::Notice;
  if (f == "chrome") return RuleFamily::Chrome;
  if (f == "boilerplate") return RuleFamily::Boilerplate;
  return RuleFamily::Hint;
}
}  // namespace

CompiledRules::CompiledRules(const RuleSet& rules) : rules_(rules) {
  const auto& all = rules_.rules();
  compiled_.reserve(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Rule& r = all[i];
    compiled_.push_back({&r, parse_family(r.family)});
    const int idx = static_cast<int>(i);
    const std::string key = r.family + "/" + r.lang;
    auto set_for = [&](std::vector<std::unique_ptr<PatternSet>>& sets, std::vector<std::string>& keys) -> PatternSet& {
      for (std::size_t k = 0; k < keys.size(); ++k)
        if (keys[k] == key) return *sets[k];
      keys.push_back(key);
      sets.push_back(std::make_unique<PatternSet>());
      return *sets.back();
    };
    if (r.target == "text") set_for(text_, text_keys_).add(wrap_pattern(r.pattern, r.case_sensitive, false), idx);
    else if (r.target == "line") set_for(line_, line_keys_).add(wrap_pattern(r.pattern, r.case_sensitive, true), idx);
    else if (r.target == "attr") attr_.add(wrap_pattern(r.pattern, r.case_sensitive, false), idx);
    else if (r.target == "script-src") script_.add(wrap_pattern(r.pattern, r.case_sensitive, false), idx);
  }
  for (auto& set : text_) set->compile();
  for (auto& set : line_) set->compile();
  attr_.compile();
  script_.compile();
}

void CompiledRules::match_text(std::string_view text, std::vector<int>& out) const {
  out.clear();
  std::vector<int> hits;
  for (const auto& set : text_) {
    set->match(text, hits);
    out.insert(out.end(), hits.begin(), hits.end());
  }
}

void CompiledRules::match_line(std::string_view text, std::vector<int>& out) const {
  // Labels are often followed by a colon or a breadcrumb separator; trim those and spaces.
  auto is_trim = [](std::string_view s) {
    return s.ends_with(" ") || s.ends_with(":") || s.ends_with("|") || s.ends_with("\xE2\x80\xBA") ||
           s.ends_with("\xC2\xBB");
  };
  while (!text.empty() && is_trim(text)) {
    if (text.ends_with("\xE2\x80\xBA")) text.remove_suffix(3);
    else if (text.ends_with("\xC2\xBB")) text.remove_suffix(2);
    else text.remove_suffix(1);
  }
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.size() > 200) {  // labels are short; long blocks never match a line rule
    out.clear();
    return;
  }
  out.clear();
  std::vector<int> hits;
  for (const auto& set : line_) {
    set->match(text, hits);
    out.insert(out.end(), hits.begin(), hits.end());
  }
}

Family CompiledRules::family_of(RuleFamily f) {
  switch (f) {
    case RuleFamily::Consent: return Family::Consent;
    case RuleFamily::Sprite: return Family::Sprite;
    case RuleFamily::Notice: return Family::Notice;
    case RuleFamily::Chrome: return Family::Chrome;
    case RuleFamily::Boilerplate: return Family::Boilerplate;
    case RuleFamily::Hint: return Family::None;
  }
  return Family::None;
}

}  // namespace scrubtext::detail
