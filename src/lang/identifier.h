// Language identification of UTF-8 text.
//
// Scripts that belong to one language decide at once (Hangul → ko, kana → ja, Thai → th,
// Greek → el, Hebrew → he, Armenian → hy, Georgian → ka, Devanagari → hi…); Han without
// kana is Chinese unless the zh/ja model is sure; Latin, Cyrillic and Arabic text is scored
// by a hashed, quantised character n-gram model (rules/lang/model.bin, trained by
// tools/train_langid.cpp, see docs/langid.md).
#pragma once

#include <cstddef>
#include <cstdint>
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

/// What the words of the n-gram model's scripts add to the language scores, remembered
/// across calls of Identifier::identify. A page repeats many of its words from block to
/// block; a word met again is one addition of its remembered sums instead of a lookup of
/// each of its character n-grams. The answers are exactly those without a cache: a word's
/// part of the scores is a sum of integers, and the cache keeps that sum.
///
/// Meant to live for one page (or one batch of related texts), owned by the caller: it is
/// not thread-safe, and it serves one identifier at a time (handed to another one, it
/// forgets what it held). Memory is bounded: once `max_words` distinct words are held,
/// further new words are scored as without a cache. Nothing is allocated before the first
/// word; the tables then grow with the words, about 250 bytes a word for ordinary text, at
/// most about 1.6 MB at the default bound.
class WordCache {
 public:
  /// Enough for the distinct words of a large page.
  static constexpr std::size_t kDefaultMaxWords = 4096;

  explicit WordCache(std::size_t max_words = kDefaultMaxWords) : max_words_(max_words) {}
  WordCache(const WordCache&) = delete;
  WordCache& operator=(const WordCache&) = delete;
  /// A moved-from cache is empty (and keeps its bound).
  WordCache(WordCache&& other) noexcept;
  WordCache& operator=(WordCache&& other) noexcept;

  /// Distinct words held.
  std::size_t size() const { return count_; }
  /// The most words held at once.
  std::size_t max_words() const { return max_words_; }

 private:
  friend class Identifier;

  // A remembered word, in an open-addressing table with linear probing (key nullptr: a
  // free slot).
  struct Slot {
    const char32_t* key;  // the word's code points, in a chunk of keys_
    std::uint32_t hash;
    std::uint32_t index;  // its sums are sums(index)
    std::uint8_t len;
    std::uint8_t script;
    std::uint16_t hits;   // features of the word found in the model
  };
  // Sums and code points live in chunks that are allocated unzeroed and never moved: a
  // page with few words pays for little, and growing copies only the slots.
  static constexpr std::size_t kChunkWords = 256;   // words whose sums one chunk holds
  static constexpr std::size_t kChunkChars = 2048;  // code points of one chunk of keys

  std::int32_t* sums(std::size_t index) const {
    return sums_[index / kChunkWords].get() + index % kChunkWords * width_;
  }
  static std::uint32_t hash(const char32_t* w, std::size_t n, std::uint8_t script);
  // The slot of word `w`, or nullptr.
  const Slot* find(std::uint32_t h, const char32_t* w, std::size_t n, std::uint8_t script) const;
  // Adds word `w` (not held; size() < max_words()) with zeroed sums. The slot stays where
  // it is until the next insert.
  Slot& insert(std::uint32_t h, const char32_t* w, std::size_t n, std::uint8_t script);
  void grow();

  std::size_t max_words_;
  std::uint64_t owner_ = 0;  // serial number of the identifier whose model the sums are of
  std::size_t width_ = 0;    // sums per word (the scores a word can reach)
  std::size_t count_ = 0;    // words held
  std::vector<Slot> slots_;  // power-of-two size, at most half full
  std::size_t mask_ = 0;     // slots_.size() - 1
  std::vector<std::unique_ptr<std::int32_t[]>> sums_;  // chunks of kChunkWords × width_
  std::vector<std::unique_ptr<char32_t[]>> keys_;      // chunks of kChunkChars
  std::size_t chars_left_ = 0;                          // unused code points of keys_.back()
};

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

  /// The same answer, faster for texts that share words (the blocks of one page): scored
  /// words are looked up in and added to `cache` (nullptr: no cache), which allocates as it
  /// fills. Thread-safe as long as no other thread uses the same cache.
  Guess identify(std::string_view utf8, WordCache* cache) const;

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
