// Icon-sprite junk: the <symbol>/<title> names of an SVG sprite sheet glued together by a
// naive text extraction ("arrow-downarrow-leftchevron-up…"), asset ids, layer names.
#include <string_view>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "classify/classify.h"

namespace scrubtext::classify {
namespace {

// Words longer than this without a space are not prose in any language scrubtext reads
// (the longest common German compounds stay under it; URLs are excluded separately).
constexpr std::size_t kGluedTokenBytes = 30;
// Ordinary words after a run that make its tail real text rather than more junk.
constexpr int kWordsAfterRun = 3;

bool ascii_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '@' || c == '.' || c == ',';
}

// A run of names glued without spaces: long, ASCII, and joined by hyphens or case changes.
bool glued_token(std::string_view tok) {
  if (tok.size() < kGluedTokenBytes) return false;
  if (tok.find("://") != std::string_view::npos || tok.starts_with("www.")) return false;
  int hyphens = 0, case_joins = 0, digits = 0;
  std::size_t non_ascii = 0;
  for (std::size_t i = 0; i < tok.size(); ++i) {
    const char c = tok[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      ++non_ascii;  // layer names in another script glued to the run ("路径编组")
      continue;
    }
    if (!ascii_word_char(c)) return false;
    if (c == '-') ++hyphens;
    if (c >= '0' && c <= '9') ++digits;
    if (i > 0 && c >= 'A' && c <= 'Z' && tok[i - 1] >= 'a' && tok[i - 1] <= 'z') ++case_joins;
  }
  if (non_ascii * 4 > tok.size() || tok.size() - non_ascii < kGluedTokenBytes) return false;
  return hyphens + case_joins >= 2 || (digits > 0 && hyphens > 0);
}

// Length of a "<layer number><Capitalised word>" join at the start of `tok` ("12Überschwemmte":
// returns 2, the digits), or 0 when `tok` does not start with 1–4 digits and an upper-case letter.
std::size_t digits_before_capital(std::string_view tok) {
  std::size_t d = 0;
  while (d < tok.size() && d < 5 && tok[d] >= '0' && tok[d] <= '9') ++d;
  if (d == 0 || d > 4 || d >= tok.size()) return 0;
  const std::string_view rest = tok.substr(d, 4);
  const UChar32 c = icu::UnicodeString::fromUTF8(icu::StringPiece(rest.data(), static_cast<int32_t>(rest.size()))).char32At(0);
  return u_isupper(c) ? d : 0;
}

bool sprite_rule_matches(std::string_view tok, const detail::CompiledRules& rules) {
  thread_local std::vector<int> hits;  // one allocation per thread, not per token
  rules.match_text(detail::RuleFamily::Sprite, tok, hits);
  return !hits.empty();
}

}  // namespace

std::size_t sprite_prefix(std::string_view text, const detail::CompiledRules& rules) {
  // Split into space-separated tokens.
  struct Tok {
    std::size_t begin, end;
  };
  std::vector<Tok> toks;
  for (std::size_t i = 0; i < text.size();) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n')) ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\n') ++j;
    if (j > i) toks.push_back({i, j});
    i = j;
  }
  if (toks.empty()) return 0;
  std::size_t all_bytes = 0;
  for (const Tok& t : toks) all_bytes += t.end - t.begin;
  std::size_t glued_bytes = 0, total = 0;
  std::size_t prefix_end_tok = 0;  // number of leading junk tokens
  bool in_prefix = true;
  for (std::size_t k = 0; k < toks.size(); ++k) {
    const std::string_view tok = text.substr(toks[k].begin, toks[k].end - toks[k].begin);
    total += tok.size();
    const bool junk = glued_token(tok) || (tok.size() >= 8 && sprite_rule_matches(tok, rules));
    if (junk) glued_bytes += tok.size();
    if (in_prefix) {
      if (junk) prefix_end_tok = k + 1;
      else if (tok.size() > 12) in_prefix = false;  // a normal word: the prefix ended (short tokens may be layer names)
      else if (k > prefix_end_tok + 3) in_prefix = false;
    }
    // Once the prefix is known, the rest only decides whether the block is mostly glued:
    // stop as soon as the answer cannot change (rule matching per token is the cost here).
    if (!in_prefix) {
      const std::size_t remaining = all_bytes - total;
      const bool cannot = (glued_bytes + remaining) * 2 < all_bytes;
      const bool already = glued_bytes * 2 >= all_bytes && glued_bytes >= kGluedTokenBytes;
      if (cannot || already) {
        total = all_bytes;
        break;
      }
    }
  }
  const bool mostly_glued = glued_bytes * 2 >= total && glued_bytes >= kGluedTokenBytes;
  if (prefix_end_tok == 0) return mostly_glued ? text.size() : 0;
  // A junk prefix before real text: cut after the last junk token, but keep a capitalised
  // word glued to its end ("…twitterwebWe the undersigned" keeps "We").
  const Tok last = toks[prefix_end_tok - 1];
  std::size_t cut = last.end;
  for (std::size_t i = last.end; i-- > last.begin + 1;) {
    if (text[i] >= 'A' && text[i] <= 'Z' && text[i - 1] >= 'a' && text[i - 1] <= 'z') {
      if (last.end - i <= 15) cut = i;
      break;
    }
  }
  if (cut == last.end) {
    while (cut < text.size() && text[cut] == ' ') ++cut;
  }
  // Layer names numbered and glued to what follows ("…Gruppe 7Rechteck 12Überschwemmte
  // Keller"): a following token that starts with digits and a capital continues the run.
  // When one does, the capitalised word kept above was a layer name too.
  for (std::size_t k = prefix_end_tok; k < toks.size(); ++k) {
    if (toks[k].begin < cut) continue;
    const std::string_view tok = text.substr(toks[k].begin, toks[k].end - toks[k].begin);
    const std::size_t d = digits_before_capital(tok);
    if (d == 0) break;
    const bool next_also = k + 1 < toks.size() &&
                           digits_before_capital(text.substr(toks[k + 1].begin, toks[k + 1].end - toks[k + 1].begin)) > 0;
    cut = next_also ? toks[k + 1].begin : toks[k].begin + d;
    if (!next_also) break;
  }
  // Mostly glued names: the whole block is junk, unless real words follow the run (a
  // headline glued to the end of a long sprite line).
  if (mostly_glued) {
    int words = 0;
    for (const auto& t : toks)
      if (t.begin >= cut && t.end - t.begin <= kGluedTokenBytes) ++words;
    if (words < kWordsAfterRun) return text.size();
  }
  return cut;
}

}  // namespace scrubtext::classify
