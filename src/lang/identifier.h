// Language identification of UTF-8 text.
//
// Scripts that belong to one language decide at once (Hangul → ko, kana → ja, Thai → th,
// Greek → el, Hebrew → he, Armenian → hy, Georgian → ka, Devanagari → hi…); Han without
// kana is Chinese unless the zh/ja model is sure; Latin, Cyrillic and Arabic text is scored
// by a hashed, quantised character n-gram model (rules/lang/model.bin, trained by
// tools/train_langid.cpp, see docs/langid.md).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace scrubtext::lang {

/// A language guess. `code` is an ISO 639-1 code ("en"), or "und" when undetermined;
/// `confidence` is in [0, 1] (0 for "und").
struct Guess {
  std::string code;
  double confidence;
};

/// The undetermined code.
inline constexpr std::string_view kUndetermined = "und";

class Identifier {
 public:
  /// The model embedded in the library, loaded once (thread-safe). Never throws; if the
  /// embedded model were unusable the identifier still decides by script and says "und"
  /// for Latin, Cyrillic and Arabic text.
  static const Identifier& builtin();

  /// An identifier over a model file's bytes (as written by the trainer). The bytes must
  /// outlive the identifier. If they are not a valid model, valid() is false and `error`
  /// (if given) says why; the identifier then behaves like one without a model.
  explicit Identifier(std::string_view model_bytes, std::string* error = nullptr);
  ~Identifier();
  Identifier(Identifier&&) noexcept;
  Identifier& operator=(Identifier&&) noexcept;
  Identifier(const Identifier&) = delete;
  Identifier& operator=(const Identifier&) = delete;

  /// Whether the n-gram model loaded.
  bool valid() const;

  /// The most likely language of `utf8` (any bytes: ill-formed sequences are ignored);
  /// "und" when the text has fewer than 3 letters, or only digits and symbols, or when no
  /// language reaches a confidence of 0.2 (no margin). Thread-safe; allocates nothing on the
  /// heap for ordinary text.
  Guess identify(std::string_view utf8) const;

  /// Up to `k` guesses, best first; their confidences add up to at most 1. A single
  /// {"und", 0} when nothing can be said (low-confidence guesses are still listed: callers
  /// may lean a short block toward its page's language).
  std::vector<Guess> identify_top(std::string_view utf8, std::size_t k) const;

  /// The languages the n-gram model scores (ISO codes), in model order.
  std::vector<std::string> model_languages() const;

  /// Every language the identifier can answer: the model's and those decided by script.
  std::vector<std::string> languages() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace scrubtext::lang
