// scrubtext/language.h: identify the language of any UTF-8 text.
//
//   for (const auto& g : scrubtext::identify_language("Ceci est une phrase.", 3))
//     std::cout << g.code << ' ' << g.confidence << '\n';   // fr 0.97, …
//
// The model is embedded in the library (rules/lang/model.bin; how it is trained and how
// well it does: docs/langid.md). Thread-safe; no allocation beyond the result; linear in
// the input. Invalid UTF-8 is skipped, never an error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace scrubtext {

/// One candidate language.
struct LanguageScore {
  std::string code;         ///< ISO 639-1 code ("en"), or "und" when undetermined.
  double confidence = 0.0;  ///< 0–1.
};

/// The `k` most likely languages of `utf8_text`, best first. Returns {"und", 0} alone when
/// the text has fewer than 3 letters, only digits or symbols, or no confident answer.
std::vector<LanguageScore> identify_language(std::string_view utf8_text, std::size_t k = 1);

}  // namespace scrubtext
