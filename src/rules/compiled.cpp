#include "rules/compiled.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <bit>
#include <cstring>
#include <tuple>
#include <unordered_map>
#include <cstdio>

#include <re2/re2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "rules/pattern.h"

namespace scrubtext::detail {

PatternSet::PatternSet(RE2::Anchor anchor) {
  RE2::Options opts;
  opts.set_case_sensitive(true);  // each pattern carries its own (?i:) wrapper
  opts.set_log_errors(false);
  opts.set_max_mem(64 << 20);
  // Line patterns are wrapped in ^…$ already: searched anchored, the DFA need not restart
  // every pattern at every byte (about a fifth fewer instructions for line rules).
  set_ = std::make_unique<RE2::Set>(opts, anchor);
}

void PatternSet::add(const std::string& regex, int rule_index) {
  regexes_.push_back(regex);
  rule_of_.push_back(rule_index);
}

void PatternSet::compile() {
  for (const std::string& regex : regexes_) {
    std::string error;
    if (set_->Add(regex, &error) < 0) throw RuleError("invalid pattern '" + regex + "': " + error);
  }
  regexes_.clear();
  regexes_.shrink_to_fit();
  if (!rule_of_.empty() && !set_->Compile()) throw RuleError("rule patterns exceed the RE2 memory budget");
}

void compile_sets(const std::vector<PatternSet*>& sets) {
  // Each set is parsed and compiled on its own (RE2 objects share nothing), so the sets are
  // spread over up to kMaxThreads threads: most of a Cleaner's construction time.
  constexpr unsigned kMaxThreads = 8;
  std::vector<std::exception_ptr> errors(sets.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < sets.size();) {
      try {
        sets[k]->compile();
      } catch (...) {
        errors[k] = std::current_exception();
      }
    }
  };
  const unsigned threads = std::min<unsigned>({std::max(1u, std::thread::hardware_concurrency()), kMaxThreads,
                                               static_cast<unsigned>(sets.size())});
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) {
    try {
      helpers.emplace_back(work);
    } catch (...) {
      break;  // no more threads (or memory for one): this one does the rest
    }
  }
  work();
  for (auto& h : helpers) h.join();
  // The first failing set in order: the same error whatever the threads' timing.
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

void PatternSet::match(std::string_view s, std::vector<int>& out) const {
  out.clear();
  if (rule_of_.empty()) return;
  thread_local std::vector<int> hits;  // reused: one allocation per thread, not per call
  hits.clear();
  const re2::StringPiece piece(s.data(), s.size());
  // Most texts match no pattern of a set. Asked without a list, RE2 allocates nothing and
  // stops at the first match; only a text that matches is searched again for the list.
  if (!set_->Match(piece, nullptr) || !set_->Match(piece, &hits)) return;
  out.reserve(hits.size());
  for (int h : hits) out.push_back(rule_of_[static_cast<std::size_t>(h)]);
}

namespace {
// Every atom has at least this many bytes (rules/atoms.cpp): the index keys on them.
constexpr int kShortAtomBytes = 3;

// The first three bytes at `p` as one number; `p` must have a fourth byte after them (the
// atoms are stored with their NUL, texts are padded).
std::uint32_t prefix_key(const char* p) {
  std::uint32_t w;
  std::memcpy(&w, p, sizeof w);  // one load instead of three
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
  return w & 0xFFFFFF;
}

std::uint32_t prefix_bit(std::uint32_t key) { return (key * 2654435761u) >> 16; }

}  // namespace

namespace {
// Whether every match of `regex`, a pattern as wrap_pattern() writes it ("(?:…)" or
// "(?i:…)"), starts at the start of the text: the wrapped pattern begins with '^' and has no
// alternative outside its parentheses. Decided on the syntax, conservatively: a construct this
// reading does not follow (\Q…\E quoting, unbalanced parentheses) answers false, and a
// pattern answered false is only searched unanchored, which is always correct.
bool anchored_at_start(std::string_view regex) {
  std::size_t i;
  if (regex.starts_with("(?:^")) i = 4;
  else if (regex.starts_with("(?i:^")) i = 5;
  else return false;
  int depth = 1;  // inside the wrapper's group
  while (i < regex.size()) {
    const char c = regex[i];
    if (c == '\\') {
      if (i + 1 >= regex.size() || regex[i + 1] == 'Q') return false;
      i += 2;
    } else if (c == '[') {  // a character class: '|' and parentheses in it are literal
      ++i;
      if (i < regex.size() && regex[i] == '^') ++i;
      if (i < regex.size() && regex[i] == ']') ++i;  // a ']' first is literal
      for (;;) {
        if (i >= regex.size()) return false;
        if (regex[i] == ']') break;
        if (regex[i] == '\\') i += 2;
        else if (regex.compare(i, 2, "[:") == 0) {  // [:alpha:]
          const std::size_t e = regex.find(":]", i + 2);
          if (e == std::string_view::npos) return false;
          i = e + 2;
        } else ++i;
      }
      ++i;
    } else {
      if (c == '(') ++depth;
      else if (c == ')' && --depth == 0) return i + 1 == regex.size();  // the wrapper's end
      else if (c == '|' && depth == 1 && (i + 1 >= regex.size() || regex[i + 1] != '^')) return false;
      ++i;
    }
  }
  return false;
}
}  // namespace

TextRules::TextRules() {
  static std::atomic<std::uint64_t> last{0};
  serial_ = ++last;
}

void TextRules::add(const std::string& regex, int rule, RuleFamily family) {
  std::unique_ptr<re2::FilteredRE2> compiled;
  const TextPatternAtoms* known = builtin_text_pattern_atoms(regex);
  TextPatternAtoms analysed;
  if (!known) {  // a rule loaded at run time: analysed (and so compiled) now
    analysed = analyze_text_pattern(regex, &compiled);
    known = &analysed;
  }
  const int pattern = static_cast<int>(patterns_.size());
  Pattern& pt = patterns_.emplace_back(regex, rule, family, *known);
  if (compiled) std::call_once(pt.built, [&] { pt.filter = std::move(compiled); });
  else pt.builtin = known;
  if (known->always) {
    always_.push_back(pattern);
    return;
  }
  for (std::size_t local = 0; local < known->atoms.size(); ++local) {
    auto [it, fresh] = atom_ids_.try_emplace(known->atoms[local], static_cast<int>(atoms_.size()));
    if (fresh) {
      atoms_.push_back(known->atoms[local]);
      atom_uses_.emplace_back();
    }
    atom_uses_[static_cast<std::size_t>(it->second)].emplace_back(pattern, static_cast<int>(local));
  }
}

const re2::FilteredRE2* TextRules::filter_of(const Pattern& pt) const {
  std::call_once(pt.built, [&] {
    try {
      std::vector<std::string> atoms;
      // Only builtin patterns get here: one analysed when added was compiled then.
      pt.filter = filter_for(pt.regex, pt.builtin->min_atom, atoms);
      pt.same_atoms = atoms.size() == pt.builtin->atoms.size();
      std::string folded;
      for (std::size_t k = 0; k < atoms.size() && pt.same_atoms; ++k) {
        fold_utf8(atoms[k], folded);
        pt.same_atoms = folded == pt.builtin->atoms[k];
      }
    } catch (const RuleError&) {
      pt.filter.reset();  // checked when the rules were built; never expected here
    }
  });
  return pt.filter.get();
}

void TextRules::compile(std::vector<PatternSet*>& sets) {
  for (int p : always_) {
    const Pattern& pt = patterns_[static_cast<std::size_t>(p)];
    (anchored_at_start(pt.regex) ? always_start_ : always_other_).add(pt.regex, pt.rule);
  }
  sets.push_back(&always_start_);
  sets.push_back(&always_other_);
  std::vector<int> every(atoms_.size());
  std::vector<std::vector<int>> of_family(kRuleFamilies);
  for (std::size_t a = 0; a < atoms_.size(); ++a) {
    every[a] = static_cast<int>(a);
    bool in[kRuleFamilies] = {};
    for (const auto& [pattern, local] : atom_uses_[a])
      in[static_cast<std::size_t>(patterns_[static_cast<std::size_t>(pattern)].family)] = true;
    for (std::size_t f = 0; f < kRuleFamilies; ++f)
      if (in[f]) of_family[f].push_back(static_cast<int>(a));
  }
  all_.build(atoms_, every);
  for (std::size_t f = 0; f < kRuleFamilies; ++f) by_family_[f].build(atoms_, of_family[f]);
}

void TextRules::AtomIndex::build(const std::vector<std::string>& atoms, const std::vector<int>& ids) {
  struct Keyed {
    std::uint32_t bit;
    Entry e;
  };
  std::vector<Keyed> keyed;
  bits.assign((std::size_t{1} << 16) / 64, 0);
  for (int a : ids) {
    const std::string& atom = atoms[static_cast<std::size_t>(a)];
    const std::uint32_t key = prefix_key(atom.data());  // kShortAtomBytes at least
    const std::uint32_t bit = prefix_bit(key);
    Entry e{key, static_cast<std::uint32_t>(atom.size()), 0, 0, a};
    for (std::size_t k = kShortAtomBytes; k < atom.size() && k < kShortAtomBytes + 8; ++k) {
      e.tail |= std::uint64_t{static_cast<unsigned char>(atom[k])} << (8 * (k - kShortAtomBytes));
      e.mask |= std::uint64_t{0xFF} << (8 * (k - kShortAtomBytes));
    }
    keyed.push_back({bit, e});
    bits[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
  std::sort(keyed.begin(), keyed.end(), [](const Keyed& x, const Keyed& y) {
    return std::tie(x.bit, x.e.key, x.e.atom) < std::tie(y.bit, y.e.key, y.e.atom);
  });
  word_rank.assign(bits.size(), 0);
  std::uint32_t set = 0;
  for (std::size_t w = 0; w < bits.size(); ++w) {
    word_rank[w] = set;
    set += static_cast<std::uint32_t>(__builtin_popcountll(bits[w]));
  }
  entries.clear();
  bucket_start.clear();
  for (std::size_t k = 0; k < keyed.size(); ++k) {
    if (k == 0 || keyed[k].bit != keyed[k - 1].bit) bucket_start.push_back(static_cast<std::uint32_t>(entries.size()));
    entries.push_back(keyed[k].e);
  }
  bucket_start.push_back(static_cast<std::uint32_t>(entries.size()));
}

template <class F>
void TextRules::AtomIndex::at(const char* folded, std::size_t n, std::size_t i, const std::vector<std::string>& atoms,
                              F&& f) const {
  const std::uint32_t key = prefix_key(folded + i);
  const std::uint32_t bit = prefix_bit(key);
  const std::uint64_t word = bits[bit >> 6];
  if (!(word >> (bit & 63) & 1)) return;
  const std::uint64_t below = word & ((std::uint64_t{1} << (bit & 63)) - 1);
  const std::size_t bucket = word_rank[bit >> 6] + static_cast<std::size_t>(__builtin_popcountll(below));
  std::uint64_t next;  // the 8 bytes after the prefix (padding past n)
  std::memcpy(&next, folded + i + kShortAtomBytes, sizeof next);
  if constexpr (std::endian::native == std::endian::big) next = __builtin_bswap64(next);
  for (std::size_t e = bucket_start[bucket], end = bucket_start[bucket + 1]; e < end; ++e) {
    const Entry& pe = entries[e];
    // The first kShortAtomBytes bytes are the key; the next 8 at most are in `tail`.
    if (pe.key != key || ((next ^ pe.tail) & pe.mask) != 0 || pe.size > n - i) continue;
    if (pe.size > kShortAtomBytes + 8) {
      const std::string& atom = atoms[static_cast<std::size_t>(pe.atom)];
      if (std::memcmp(folded + i + kShortAtomBytes + 8, atom.data() + kShortAtomBytes + 8,
                      atom.size() - kShortAtomBytes - 8) != 0)
        continue;
    }
    f(pe.atom);
  }
}

bool TextRules::formula_holds(int pattern, const std::vector<int>& locals, std::vector<int>& scratch) const {
  // FilteredRE2::AllPotentials evaluates the pattern's whole atom formula (about 1,700
  // instructions), and a page asks about the same few sets of atoms again and again (the
  // same words recur); the answer depends on the pattern and the set alone, so each thread
  // keeps the answers it got, by pattern and set (as a bitmask: atoms 0..63 of a pattern).
  struct Key {
    std::uint64_t serial, mask;
    int pattern;
    bool operator==(const Key&) const = default;
  };
  struct Hash {
    std::size_t operator()(const Key& k) const {
      return static_cast<std::size_t>((k.mask * 0x9E3779B97F4A7C15ull) ^ (k.serial << 40) ^
                                      static_cast<std::uint64_t>(k.pattern) * 0xC2B2AE3D27D4EB4Full);
    }
  };
  constexpr std::size_t kMaxMemo = std::size_t{1} << 16;  // entries per thread, then it starts over
  thread_local std::unordered_map<Key, bool, Hash> memo;
  std::uint64_t mask = 0;
  bool fits = true;
  for (int l : locals) {
    if (l >= 64) fits = false;
    else mask |= std::uint64_t{1} << l;
  }
  const Key key{serial_, mask, pattern};
  if (fits) {
    if (const auto it = memo.find(key); it != memo.end()) return it->second;
  }
  const Pattern& pt = patterns_[static_cast<std::size_t>(pattern)];
  const re2::FilteredRE2* filter = filter_of(pt);
  if (!filter || !pt.same_atoms) return true;  // the pattern itself decides
  scratch.clear();
  filter->AllPotentials(locals, &scratch);
  const bool holds = !scratch.empty();
  if (fits) {
    if (memo.size() >= kMaxMemo) memo.clear();
    memo.emplace(key, holds);
  }
  return holds;
}

void TextRules::match(std::string_view text, const RuleFamily* family, std::vector<int>& out) const {
  const re2::StringPiece piece(text.data(), text.size());
  auto run = [&](int p) {
    const Pattern& pt = patterns_[static_cast<std::size_t>(p)];
    if (family && pt.family != *family) return;
    const re2::FilteredRE2* filter = filter_of(pt);
    if (filter && RE2::PartialMatch(piece, filter->GetRE2(0))) out.push_back(pt.rule);
  };
  if (!enabled_) {
    for (std::size_t p = 0; p < patterns_.size(); ++p) run(static_cast<int>(p));
    return;
  }
  if (family) {
    for (int p : always_) run(p);
  } else {
    thread_local std::vector<int> always_hits;
    for (const PatternSet* set : {&always_start_, &always_other_}) {
      set->match(text, always_hits);
      out.insert(out.end(), always_hits.begin(), always_hits.end());
    }
  }
  thread_local std::string folded;
  thread_local std::vector<std::pair<int, int>> found;  // (pattern, its atom)
  thread_local std::vector<int> locals, potentials;
  fold_utf8(text, folded);
  found.clear();
  const std::size_t n = folded.size();
  folded.append(8, '\0');  // AtomIndex::at reads 8 bytes past a prefix
  const AtomIndex& index = family ? by_family_[static_cast<std::size_t>(*family)] : all_;
  for (std::size_t i = 0; i + kShortAtomBytes <= n; ++i)
    index.at(folded.data(), n, i, atoms_, [&](int atom) {
      for (const auto& use : atom_uses_[static_cast<std::size_t>(atom)]) found.push_back(use);
    });
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  for (std::size_t i = 0; i < found.size();) {
    const int pattern = found[i].first;
    locals.clear();
    for (; i < found.size() && found[i].first == pattern; ++i) locals.push_back(found[i].second);
    const Pattern& pt = patterns_[static_cast<std::size_t>(pattern)];
    if (family && pt.family != *family) continue;
    bool potential = false;
    for (int l : locals) potential = potential || pt.sufficient[static_cast<std::size_t>(l)];
    if (!potential) potential = formula_holds(pattern, locals, potentials);
    if (potential) run(pattern);
  }
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

CompiledRules::CompiledRules(const RuleSet& rules, bool prefilter) : rules_(rules) {
  text_.set_enabled(prefilter);
  const auto& all = rules_.rules();
  compiled_.reserve(all.size());
  // Text and line patterns gathered per family and language, in rule order.
  struct Group {
    std::string key;
    RuleFamily family;
    std::vector<std::pair<std::string, int>> patterns;
  };
  std::vector<Group> text_groups, line_groups;
  std::vector<std::pair<std::string, int>> attr_regexes;
  bool attr_start = true;  // every attr pattern is anchored at the start
  auto group_for = [](std::vector<Group>& groups, const std::string& key, RuleFamily f) -> Group& {
    for (auto& g : groups)
      if (g.key == key) return g;
    groups.push_back({key, f, {}});
    return groups.back();
  };
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Rule& r = all[i];
    const RuleFamily family = parse_family(r.family);
    compiled_.push_back({&r, family});
    const int idx = static_cast<int>(i);
    const std::string key = r.family + "/" + r.lang;
    rank_.push_back(0);
    if (r.target == "text" || r.target == "line") {
      auto& groups = r.target == "text" ? text_groups : line_groups;
      Group& g = group_for(groups, key, family);
      g.patterns.emplace_back(wrap_pattern(r.pattern, r.case_sensitive, r.target == "line"), idx);
      rank_.back() = static_cast<int>(&g - groups.data());
    }
    else if (r.target == "attr") {
      std::string regex = wrap_pattern(r.pattern, r.case_sensitive, false);
      attr_start = attr_start && anchored_at_start(regex);
      attr_regexes.emplace_back(std::move(regex), idx);
    }
    else if (r.target == "script-src") script_.add(wrap_pattern(r.pattern, r.case_sensitive, false), idx);
  }
  // Languages of one family share a set, up to set_cap_ patterns.
  auto build = [&](std::vector<Group>& groups, std::vector<FamilySet>& sets) {
    const std::size_t first = sets.size();
    for (auto& g : groups) {
      FamilySet* target = nullptr;
      for (std::size_t k = first; k < sets.size(); ++k)
        if (sets[k].family == g.family && sets[k].set->size() + g.patterns.size() <= set_cap_) target = &sets[k];
      if (!target) {
        sets.push_back({g.family, std::make_unique<PatternSet>(RE2::ANCHOR_BOTH)});
        target = &sets.back();
      }
      for (auto& [pattern, idx] : g.patterns) target->set->add(pattern, idx);
    }
  };
  for (const auto& g : text_groups)
    for (const auto& [pattern, idx] : g.patterns) text_.add(pattern, idx, g.family);
  // Attribute rules are anchored at the start ("^class=…", "^id=…|^class=…"): searched
  // anchored, the DFA does not restart every pattern at every byte.
  if (attr_start) attr_ = PatternSet(RE2::ANCHOR_START);
  for (auto& [regex, idx] : attr_regexes) attr_.add(regex, idx);
  std::vector<PatternSet*> sets;  // compiled together, below
  text_.compile(sets);
  build(line_groups, line_);
  for (auto& fs : line_) sets.push_back(fs.set.get());
  sets.push_back(&attr_);
  sets.push_back(&script_);
  compile_sets(sets);
}

void CompiledRules::sort_hits(std::vector<int>& hits) const {
  std::sort(hits.begin(), hits.end(), [&](int a, int b) {
    const int ra = rank_[static_cast<std::size_t>(a)], rb = rank_[static_cast<std::size_t>(b)];
    return ra != rb ? ra < rb : a < b;
  });
}

void CompiledRules::match_text(std::string_view text, std::vector<int>& out) const {
  out.clear();
  text_.match(text, nullptr, out);
  sort_hits(out);
}

void CompiledRules::match_text(RuleFamily family, std::string_view text, std::vector<int>& out) const {
  out.clear();
  text_.match(text, &family, out);
  sort_hits(out);
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
  thread_local std::vector<int> hits;
  for (const auto& fs : line_) {
    fs.set->match(text, hits);
    out.insert(out.end(), hits.begin(), hits.end());
  }
  sort_hits(out);
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
