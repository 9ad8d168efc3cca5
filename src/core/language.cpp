#include "core/language.h"
#include "scrubtext/language.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#if __has_include("lang/identifier.h")
#include "lang/identifier.h"
#define SCRUBTEXT_HAVE_LANGID 1
#endif

namespace scrubtext::detail {
namespace {

// A language must hold this share of the page's letters to be listed in `languages`.
constexpr double kListedShare = 0.10;
// Blocks shorter than this (characters) with a confidence below kLeanConfidence take the
// page's content language: short labels are too little evidence on their own.
constexpr std::uint32_t kLeanChars = 40;
constexpr double kLeanConfidence = 0.5;

std::string primary_subtag(const std::string& tag) {
  std::string out;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

std::string top_of(const std::map<std::string, double>& votes, double* share) {
  double total = 0, best = 0;
  std::string code = "und";
  for (const auto& [k, v] : votes) {
    total += v;
    if (v > best) {
      best = v;
      code = k;
    }
  }
  if (share) *share = total > 0 ? best / total : 0.0;
  return code;
}

}  // namespace

void assign_languages(Document& doc, std::vector<WorkBlock>& blocks) {
#ifdef SCRUBTEXT_HAVE_LANGID
  const lang::Identifier& id = lang::Identifier::builtin();
  // One cache for the page's blocks, which share many words (menus, repeated names, the
  // article's own vocabulary); a page's cache is never reused for another page.
  lang::WordCache cache;
  // A fifth of a page's blocks repeat an earlier block's text (menu entries, "Share", dates):
  // each text is identified once (the answer depends on the text alone).
  std::unordered_map<std::string_view, std::size_t> first_with;  // text -> index of its first block
  first_with.reserve(blocks.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    auto& wb = blocks[i];
    const auto [at, fresh] = first_with.try_emplace(wb.b.text, i);
    if (!fresh) {
      wb.b.language = blocks[at->second].b.language;
      wb.b.language_confidence = blocks[at->second].b.language_confidence;
      continue;
    }
    const lang::Guess g = id.identify(wb.b.text, &cache);
    wb.b.language = g.code;
    wb.b.language_confidence = g.confidence;
  }
#else
  for (auto& wb : blocks) wb.b.language = "und";
#endif
  std::map<std::string, double> content, removed, all;
  for (const auto& wb : blocks) {
    if (wb.b.language == "und") continue;
    const double w = wb.chars * std::max(0.2, wb.b.language_confidence);
    (wb.b.kept ? content : removed)[wb.b.language] += w;
    all[wb.b.language] += wb.chars;
  }
  double share = 0;
  std::string lang = top_of(content, &share);
  if (lang == "und" && doc.metadata.declared_language) lang = primary_subtag(*doc.metadata.declared_language);
  doc.language = lang.empty() ? "und" : lang;
  doc.language_confidence = lang == "und" ? 0.0 : share;
  for (auto& wb : blocks) {
    if (doc.language != "und" && wb.chars < kLeanChars && wb.b.language_confidence < kLeanConfidence)
      wb.b.language = doc.language;
  }
  double total = 0;
  for (const auto& [k, v] : all) total += v;
  for (const auto& [k, v] : all)
    if (total > 0 && v / total >= kListedShare) doc.languages.push_back({k, v / total});
  std::stable_sort(doc.languages.begin(), doc.languages.end(),
                   [](const LanguageShare& a, const LanguageShare& b) { return a.share > b.share; });
  const std::string chrome = top_of(removed, nullptr);
  if (chrome != "und" && chrome != doc.language) doc.chrome_language = chrome;
}

}  // namespace scrubtext::detail

namespace scrubtext {

std::vector<LanguageScore> identify_language(std::string_view utf8_text, std::size_t k) {
  std::vector<LanguageScore> out;
#ifdef SCRUBTEXT_HAVE_LANGID
  for (const auto& g : lang::Identifier::builtin().identify_top(utf8_text, std::max<std::size_t>(k, 1)))
    out.push_back({g.code, g.confidence});
#endif
  if (out.empty()) out.push_back({"und", 0.0});
  return out;
}

}  // namespace scrubtext
