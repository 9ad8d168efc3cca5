// Text scanning for language identification: NFKC-casefold normalisation, script
// classification and word splitting, shared by the detector and the model trainer
// (tools/train_langid.cpp), so that both see exactly the same features.
//
// Internal header (not installed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace scrubtext::lang::detail {

/// The scripts the detector tells apart. Everything else that is a letter is kOther.
enum Script : std::uint8_t {
  kNoScript = 0,  // not a letter (or a letter of Common/Inherited script with nothing before it)
  kLatin,
  kCyrillic,
  kGreek,
  kArabic,
  kHebrew,
  kHan,
  kHiragana,
  kKatakana,
  kHangul,
  kThai,
  kDevanagari,
  kArmenian,
  kGeorgian,
  kBengali,
  kGurmukhi,
  kGujarati,
  kOriya,
  kTamil,
  kTelugu,
  kKannada,
  kMalayalam,
  kSinhala,
  kLao,
  kTibetan,
  kMyanmar,
  kEthiopic,
  kKhmer,
  kThaana,
  kMongolian,
  kBopomofo,
  kSyriac,
  kOther,
  kScriptCount
};

/// Short name of a script ("Latn", "Cyrl"…), for tools and debugging.
const char* script_name(Script s);

/// Counts gathered while scanning one text.
struct ScanCounts {
  std::uint32_t by_script[kScriptCount] = {};
  std::uint32_t letters = 0;  ///< letters and marks (all scripts)
  std::uint32_t digits = 0;
  std::uint32_t invalid = 0;  ///< ill-formed UTF-8 sequences
};

/// Longest word handed to the sink; longer letter runs are cut into pieces of this size.
inline constexpr std::size_t kMaxWord = 48;

/// Flags of a word handed to a WordSink.
enum WordFlags : unsigned {
  kWordUpper = 1,  ///< two or more letters, all upper case in the input ("RAID", "GRUB")
  kWordCamel = 2,  ///< an upper-case letter after a lower-case one ("ownCloud", "MPlayer")
  kWordPunct = 4,  ///< not a word: one non-ASCII punctuation mark (¿ « · „ 、), script kNoScript
};

/// Whether a word looks like an identifier or acronym rather than prose: its features are
/// used only when a text has nothing else, and the trainer skips them.
inline bool weak_word(unsigned flags) { return (flags & (kWordUpper | kWordCamel)) != 0; }

/// Receives the words of a text: runs of letters (and combining marks) of one script,
/// NFKC-casefolded, as code points. Everything that is not a letter separates words;
/// non-ASCII punctuation marks are also reported, one at a time, with kWordPunct.
class WordSink {
 public:
  virtual void word(const char32_t* cps, std::size_t n, Script script, unsigned flags) = 0;

 protected:
  ~WordSink() = default;
};

/// Scans `utf8` (any bytes; ill-formed sequences count as separators), fills `counts`
/// and calls `sink.word` for every word, in order. Thread-safe; allocates nothing except,
/// for text that needs full normalisation (combining sequences), a thread-local buffer
/// that is reused between calls.
void scan_text(std::string_view utf8, ScanCounts& counts, WordSink& sink);

/// Same as scan_text, into a function object `f(const char32_t*, size_t, Script, unsigned)`.
template <class F>
void scan_words(std::string_view utf8, ScanCounts& counts, F&& f) {
  struct Adapter final : WordSink {
    F& fn;
    explicit Adapter(F& g) : fn(g) {}
    void word(const char32_t* cps, std::size_t n, Script script, unsigned flags) override { fn(cps, n, script, flags); }
  } adapter(f);
  scan_text(utf8, counts, adapter);
}

/// Feature hashing shared by trainer and detector.
///
/// Features of a word w of script s (only for scripts that the n-gram model scores):
///  - character n-grams of orders 1..kMaxOrder over "<w>" where '<' and '>' are a word
///    boundary marker (a space), except the boundary alone;
///  - the whole word, when it is longer than kMaxOrder-2 letters (shorter words are
///    already a single n-gram with both boundaries);
///  - for Han: orders 1 and 2 only, no boundaries, no word.
inline constexpr int kMaxOrder = 5;

inline std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/// Hash of an n-gram that is being extended towards the left: start with
/// gram_seed(), then gram_step() for each code point from the last to the first.
inline constexpr std::uint64_t gram_seed() { return 0x9e3779b97f4a7c15ULL; }
inline std::uint64_t gram_step(std::uint64_t h, char32_t c) {
  return (h ^ static_cast<std::uint64_t>(c)) * 0x100000001b3ULL + 0x7f4a7c15ULL;
}
/// Final key of an n-gram of order `order` (1..kMaxOrder) or of a whole word (order 0).
inline std::uint64_t gram_key(std::uint64_t h, int order) {
  return mix64(h + (static_cast<std::uint64_t>(order) << 59));
}

/// The feature of a punctuation mark (kWordPunct).
inline std::uint64_t punct_key(char32_t c) { return gram_key(gram_step(gram_seed(), c), 7); }

/// Whether words of this script get n-gram features.
inline bool scored_script(Script s) {
  return s == kLatin || s == kCyrillic || s == kArabic || s == kHan;
}

/// Calls `f(key)` for every feature of one word (see above).
template <class F>
[[gnu::always_inline]] inline void word_features(const char32_t* w, std::size_t n, Script script, F&& f) {
  if (script == kHan) {
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t h = gram_step(gram_seed(), w[i]);
      f(gram_key(h, 1));
      if (i > 0) f(gram_key(gram_step(h, w[i - 1]), 2));
    }
    return;
  }
  // Padded word " w ": boundary, letters, boundary. For each end position from left to
  // right, the n-grams ending there by increasing order (hash extended to the left); the
  // boundary alone is not a feature. Written without a padded copy: the left boundary is
  // the n-gram of order end+1 at letter end (1-based), the right one is the last end.
  const std::uint64_t seed = gram_seed();
  for (std::size_t end = 1; end <= n; ++end) {
    const char32_t* q = w + end - 1;  // the letter at this end; q[-k] is k letters before it
    std::uint64_t h = gram_step(seed, q[0]);
    f(gram_key(h, 1));
    if (end >= static_cast<std::size_t>(kMaxOrder)) {
      h = gram_step(h, q[-1]);
      f(gram_key(h, 2));
      h = gram_step(h, q[-2]);
      f(gram_key(h, 3));
      h = gram_step(h, q[-3]);
      f(gram_key(h, 4));
      h = gram_step(h, q[-4]);
      f(gram_key(h, 5));
      continue;
    }
    for (std::size_t k = 1; k < end; ++k) {
      h = gram_step(h, q[-static_cast<std::ptrdiff_t>(k)]);
      f(gram_key(h, static_cast<int>(k) + 1));
    }
    h = gram_step(h, U' ');
    f(gram_key(h, static_cast<int>(end) + 1));
  }
  // The right boundary (end n+1): orders 2.. over the last letters, then the left boundary.
  {
    std::uint64_t h = gram_step(seed, U' ');
    const std::size_t m = n < static_cast<std::size_t>(kMaxOrder) - 1 ? n : static_cast<std::size_t>(kMaxOrder) - 1;
    for (std::size_t k = 1; k <= m; ++k) {
      h = gram_step(h, w[n - k]);
      f(gram_key(h, static_cast<int>(k) + 1));
    }
    if (n + 2 <= static_cast<std::size_t>(kMaxOrder)) {
      h = gram_step(h, U' ');
      f(gram_key(h, static_cast<int>(n) + 2));
    }
  }
  if (n + 2 > static_cast<std::size_t>(kMaxOrder)) {
    std::uint64_t h = gram_seed();
    for (std::size_t i = n; i-- > 0;) h = gram_step(h, w[i]);
    f(gram_key(h, 0));
  }
}

}  // namespace scrubtext::lang::detail
