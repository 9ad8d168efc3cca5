// Language identification: script decisions plus the hashed n-gram model (see identifier.h).
#include "lang/identifier.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include <unicode/ulocdata.h>
#include <unicode/uset.h>

#include "lang/model.h"
#include "lang/text.h"

namespace scrubtext::lang {
namespace {

using detail::Script;

// acc[i] += v[i] for i < width, a multiple of 8 (the two never overlap).
inline void add_sums(std::int32_t* __restrict acc, const std::int32_t* __restrict v, std::size_t width) {
  for (std::size_t i = 0; i < width; i += 8)
    for (std::size_t j = 0; j < 8; ++j) acc[i + j] += v[i + j];
}

// Script groups: the scripts of one writing system are counted together.
enum Group : std::uint8_t {
  gNone = 0,
  gLatin,
  gCyrillic,
  gArabic,
  gCJK,     // Han, Hiragana, Katakana, Bopomofo
  gHangul,
  gSingle,  // base value: scripts that one language decides (see kSingleCode)
};

// Language decided by a script alone (nullptr: not such a script).
const char* single_code(Script s) {
  switch (s) {
    case detail::kGreek: return "el";
    case detail::kHebrew: return "he";
    case detail::kThai: return "th";
    case detail::kDevanagari: return "hi";
    case detail::kArmenian: return "hy";
    case detail::kGeorgian: return "ka";
    case detail::kBengali: return "bn";
    case detail::kGurmukhi: return "pa";
    case detail::kGujarati: return "gu";
    case detail::kOriya: return "or";
    case detail::kTamil: return "ta";
    case detail::kTelugu: return "te";
    case detail::kKannada: return "kn";
    case detail::kMalayalam: return "ml";
    case detail::kSinhala: return "si";
    case detail::kLao: return "lo";
    case detail::kTibetan: return "bo";
    case detail::kMyanmar: return "my";
    case detail::kEthiopic: return "am";
    case detail::kKhmer: return "km";
    case detail::kThaana: return "dv";
    case detail::kMongolian: return "mn";
    case detail::kSyriac: return "syr";
    default: return nullptr;
  }
}

// A CJK character carries about as much as three alphabetic letters.
constexpr std::uint32_t kCjkWeight = 3;
// Below this many (weighted) letters a text is undetermined.
constexpr std::uint32_t kMinLetters = 3;
// Kana share of CJK characters from which a text is Japanese.
constexpr double kKanaShare = 0.05;
// CLDR exemplar vetoes: each letter that a language's exemplar characters (standard and
// auxiliary) lack costs it kVetoCost logits, at most kVetoMax times per text; a letter
// that is only auxiliary (foreign words, names) costs kAuxCost.
constexpr double kVetoCost = 3.0;
constexpr double kAuxCost = 0.7;
constexpr int kVetoMax = 4;
constexpr char32_t kVetoFirst = 0x80, kVetoLast = 0x2000;  // Latin to Arabic, and Latin Extended Additional
// At most this many words (and as many punctuation marks) of a text are scored: keeps the
// 32-bit sums far from overflow.
constexpr std::uint32_t kMaxScoredWords = 20000;
// Features of one word: at most 5 per letter plus a few (kMaxWord letters: 239).
constexpr std::size_t kMaxFeatures = 256;
static_assert(detail::kMaxOrder * (detail::kMaxWord + 2) + 1 <= kMaxFeatures);
// Texts longer than this (bytes) score every other word: the evidence of a paragraph is
// ample, and sampling from the first word on keeps the mix of a mixed-language text.
constexpr std::size_t kSampleFrom = 512;
// identify() answers "und" when its best guess has less confidence than this (no margin).
constexpr double kMinConfidence = 0.2;
// Groups holding less than this share of the letters are not reported by identify_top.
constexpr double kMinGroupShare = 0.1;

// Trivially constructible (a Decision lives on the stack of every call: no zeroing).
struct Candidate {
  const char* data;
  std::size_t size;
  double p;
  std::string_view code() const { return std::string_view(data, size); }
};

struct Decision {
  int n = 0;
  Candidate c[detail::kMaxModelLangs + 8];
  static constexpr int kCap = detail::kMaxModelLangs + 8;
  void add(std::string_view code, double p) {
    if (n < kCap) c[n++] = Candidate{code.data(), code.size(), p};
  }
};

}  // namespace

WordCache::WordCache(WordCache&& other) noexcept : max_words_(other.max_words_) { *this = std::move(other); }

WordCache& WordCache::operator=(WordCache&& other) noexcept {
  if (this == &other) return *this;
  max_words_ = other.max_words_;
  owner_ = std::exchange(other.owner_, 0);
  width_ = std::exchange(other.width_, 0);
  count_ = std::exchange(other.count_, 0);
  slots_ = std::exchange(other.slots_, {});
  mask_ = std::exchange(other.mask_, 0);
  sums_ = std::exchange(other.sums_, {});
  keys_ = std::exchange(other.keys_, {});
  chars_left_ = std::exchange(other.chars_left_, 0);
  return *this;
}

// The lookups are defined inline here, ahead of their one caller (Identifier::Impl):
// a cached word should cost a small fraction of scoring it.
inline std::uint32_t WordCache::hash(const char32_t* w, std::size_t n, std::uint8_t script) {
  std::uint64_t h = (std::uint64_t{script} << 8 | n) * 0x9e3779b97f4a7c15ULL;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ w[i]) * 0x100000001b3ULL;
  return static_cast<std::uint32_t>(detail::mix64(h));
}

inline const WordCache::Slot* WordCache::find(std::uint32_t h, const char32_t* w, std::size_t n,
                                              std::uint8_t script) const {
  if (slots_.empty()) return nullptr;
  for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.key == nullptr) return nullptr;
    if (slot.hash != h || slot.len != n || slot.script != script) continue;
    // Words are short: a loop costs less than a call of memcmp.
    std::size_t j = 0;
    while (j < n && slot.key[j] == w[j]) ++j;
    if (j == n) return &slot;
  }
}

inline WordCache::Slot& WordCache::insert(std::uint32_t h, const char32_t* w, std::size_t n,
                                          std::uint8_t script) {
  if ((count_ + 1) * 2 > slots_.size()) grow();
  if (count_ % kChunkWords == 0) sums_.emplace_back(new std::int32_t[kChunkWords * width_]);
  if (chars_left_ < n) {
    keys_.emplace_back(new char32_t[kChunkChars]);
    chars_left_ = kChunkChars;
  }
  char32_t* const key = keys_.back().get() + (kChunkChars - chars_left_);
  chars_left_ -= n;
  for (std::size_t j = 0; j < n; ++j) key[j] = w[j];
  std::int32_t* const v = sums(count_);
  for (std::size_t j = 0; j < width_; ++j) v[j] = 0;
  std::size_t i = h & mask_;
  while (slots_[i].key != nullptr) i = (i + 1) & mask_;
  slots_[i] = Slot{key, h, static_cast<std::uint32_t>(count_), static_cast<std::uint8_t>(n), script, 0};
  ++count_;
  return slots_[i];
}

void WordCache::grow() {
  // Room for 128 words at first (a small page), then the table doubles.
  constexpr std::size_t kFirstSlots = 256;
  const std::size_t size = slots_.empty() ? kFirstSlots : slots_.size() * 2;
  std::vector<Slot> old(size, Slot{});
  old.swap(slots_);
  mask_ = size - 1;
  for (const Slot& slot : old) {
    if (slot.key == nullptr) continue;
    std::size_t i = slot.hash & mask_;
    while (slots_[i].key != nullptr) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

struct Identifier::Impl {
  detail::Model model;
  // Tells the identifiers apart for WordCache (an address could be reused by a later one).
  const std::uint64_t serial = next_serial();
  // Model languages scored by each script.
  std::array<std::array<std::int8_t, detail::kMaxModelLangs>, detail::kScriptCount> langs_of{};
  std::array<int, detail::kScriptCount> nlangs_of{};
  // veto[c - kVetoFirst]: model languages whose exemplar sets lack letter c (bit i = language i),
  // for letters that some model language of the same script has.
  std::vector<std::uint64_t> veto;
  std::vector<std::uint64_t> aux_only;  // same, for languages that have c only as auxiliary

  void build_vetoes() {
    veto.assign(kVetoLast - kVetoFirst, 0);
    aux_only.assign(kVetoLast - kVetoFirst, 0);
    std::vector<std::uint64_t> have(kVetoLast - kVetoFirst, 0), standard(kVetoLast - kVetoFirst, 0);
    std::uint64_t scored = 0;
    for (int i = 0; i < model.nlangs(); ++i) {
      const Script s = model.script(i);
      if (s != detail::kLatin && s != detail::kCyrillic && s != detail::kArabic) continue;
      const std::string loc(model.code(i));
      UErrorCode st = U_ZERO_ERROR;
      ULocaleData* ld = ulocdata_open(loc.c_str(), &st);
      if (U_FAILURE(st)) continue;
      bool any = false;
      for (ULocaleDataExemplarSetType t : {ULOCDATA_ES_STANDARD, ULOCDATA_ES_AUXILIARY}) {
        UErrorCode e2 = U_ZERO_ERROR;
        USet* set = ulocdata_getExemplarSet(ld, nullptr, USET_ADD_CASE_MAPPINGS, t, &e2);
        if (U_FAILURE(e2) || !set) continue;
        any = true;
        // The code points of the set in [kVetoFirst, kVetoLast), range by range (its
        // strings are not code points: uset_contains is false for them too).
        const std::int32_t items = uset_getItemCount(set);
        for (std::int32_t item = 0; item < items; ++item) {
          UChar32 lo = 0, hi = -1;
          UErrorCode e3 = U_ZERO_ERROR;
          if (uset_getItem(set, item, &lo, &hi, nullptr, 0, &e3) != 0 || U_FAILURE(e3)) continue;
          const char32_t first = std::max(static_cast<char32_t>(lo), kVetoFirst);
          const char32_t last = std::min(static_cast<char32_t>(hi + 1), kVetoLast);  // exclusive
          for (char32_t c = first; c < last; ++c) {
            have[c - kVetoFirst] |= std::uint64_t{1} << i;
            if (t == ULOCDATA_ES_STANDARD) standard[c - kVetoFirst] |= std::uint64_t{1} << i;
          }
        }
        uset_close(set);
      }
      ulocdata_close(ld);
      if (any) scored |= std::uint64_t{1} << i;
    }
    // A letter vetoes the languages of its script that lack it, if another one has it.
    std::uint64_t script_mates[detail::kMaxModelLangs] = {};  // languages of the script of language i
    for (int i = 0; i < model.nlangs(); ++i)
      for (int j = 0; j < model.nlangs(); ++j)
        if (model.script(j) == model.script(i)) script_mates[i] |= std::uint64_t{1} << j;
    for (char32_t c = kVetoFirst; c < kVetoLast; ++c) {
      const std::uint64_t h = have[c - kVetoFirst];
      if (!h) continue;
      std::uint64_t same_script = 0;
      for (std::uint64_t m = h; m; m &= m - 1) same_script |= script_mates[__builtin_ctzll(m)];
      veto[c - kVetoFirst] = same_script & scored & ~h;
      if (standard[c - kVetoFirst]) aux_only[c - kVetoFirst] = h & ~standard[c - kVetoFirst];
    }
  }

  static std::uint64_t next_serial() {
    static std::atomic<std::uint64_t> last{0};
    return ++last;
  }

  explicit Impl(std::string_view bytes, std::string* error) {
    if (!bytes.empty()) model = detail::Model::parse(bytes, error);
    else if (error) *error = "model: empty";
    if (model.valid()) {
      for (int i = 0; i < model.nlangs(); ++i) {
        Script s = model.script(i);
        langs_of[s][static_cast<std::size_t>(nlangs_of[s]++)] = static_cast<std::int8_t>(i);
      }
      build_vetoes();
    }
    // Build the character table now rather than in the first call.
    Decision d;
    decide(std::string_view(), d, false);
  }

  // Adds the weights of `n` dense features (kDenseLangs int8 weights each) to acc. They
  // are summed in 16-bit lanes (a word has fewer than kMaxFeatures features of at most
  // 127: no overflow), then widened.
  static void add_dense(const detail::PayloadEntry* const* f, std::size_t n, std::int32_t* acc) {
    if (n == 0) return;
#ifdef __SSE2__
    __m128i s0 = _mm_setzero_si128(), s1 = s0, s2 = s0, s3 = s0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto* d = reinterpret_cast<const __m128i*>(detail::Model::dense_weights(f[i]));
      const __m128i a = _mm_loadu_si128(d), b = _mm_loadu_si128(d + 1);
      s0 = _mm_add_epi16(s0, _mm_srai_epi16(_mm_unpacklo_epi8(a, a), 8));
      s1 = _mm_add_epi16(s1, _mm_srai_epi16(_mm_unpackhi_epi8(a, a), 8));
      s2 = _mm_add_epi16(s2, _mm_srai_epi16(_mm_unpacklo_epi8(b, b), 8));
      s3 = _mm_add_epi16(s3, _mm_srai_epi16(_mm_unpackhi_epi8(b, b), 8));
    }
    auto widen_add = [](__m128i s, std::int32_t* a) {
      auto* v = reinterpret_cast<__m128i*>(a);
      _mm_storeu_si128(v, _mm_add_epi32(_mm_loadu_si128(v), _mm_srai_epi32(_mm_unpacklo_epi16(s, s), 16)));
      _mm_storeu_si128(v + 1, _mm_add_epi32(_mm_loadu_si128(v + 1), _mm_srai_epi32(_mm_unpackhi_epi16(s, s), 16)));
    };
    widen_add(s0, acc);
    widen_add(s1, acc + 8);
    widen_add(s2, acc + 16);
    widen_add(s3, acc + 24);
#else
    for (std::size_t i = 0; i < n; ++i) {
      const std::int8_t* d = detail::Model::dense_weights(f[i]);
      for (int l = 0; l < detail::kDenseLangs; ++l) acc[l] += d[l];
    }
#endif
  }

  // Per-word buffers of score_word.
  struct Scratch {
    struct Probe {
      const detail::Bucket* b;
      std::uint16_t check;
    };
    struct Range {
      const detail::PayloadEntry* begin;
      const detail::PayloadEntry* end;
    };
    Probe probes[kMaxFeatures];
    const detail::PayloadEntry* dense[kMaxFeatures];
    Range sparse[kMaxFeatures];
  };

  // Adds the weights of the features of word `w` (script `s`) to acc; returns how many
  // of its features are in the model.
  std::uint32_t score_word(const char32_t* w, std::size_t n, Script s, std::int32_t* acc, Scratch& scratch) const {
    // Locals, not members: the stores below cannot alias them.
    const detail::Bucket* const buckets = model.buckets();
    const detail::PayloadEntry* const payload = model.payload();
    const std::uint32_t nbuckets = model.nbuckets();
    Scratch::Probe* const probes = scratch.probes;
    const detail::PayloadEntry** const dense = scratch.dense;
    Scratch::Range* const sparse = scratch.sparse;
    // Hash every feature of the word first and prefetch their buckets, so that the
    // lookups overlap their cache misses. A word of at most kMaxWord letters (every word
    // scan_text reports) has fewer than kMaxFeatures features.
    std::size_t nk = 0;
    auto push = [&](std::uint64_t key) {
      const detail::Bucket* b = buckets + detail::key_bucket(key, nbuckets);
      __builtin_prefetch(b);
      probes[nk].b = b;
      probes[nk].check = detail::key_check(key);
      ++nk;
    };
    if (n <= detail::kMaxWord) {
      detail::word_features(w, n, s, push);
    } else {
      detail::word_features(w, n, s, [&](std::uint64_t key) {
        if (nk < kMaxFeatures) push(key);
      });
    }
    // Then find their weights (dense and sparse apart) and prefetch those, then add them.
    std::size_t nd = 0, ns = 0;
    for (std::size_t i = 0; i < nk; ++i) {
      const detail::Bucket* b = probes[i].b;
      const int j = detail::Model::slot_of(*b, probes[i].check);
      if (j < 0) continue;
      // start[j] and start[j + 1] in one load (little-endian).
      std::uint16_t se;
      std::memcpy(&se, b->start + j, sizeof se);
      const detail::PayloadEntry* p = payload + b->base + (se & 0xFF);
      __builtin_prefetch(p);
      const bool is_dense = (b->dense >> j) & 1;
      dense[nd] = p;
      sparse[ns].begin = p;
      sparse[ns].end = p + ((se >> 8) - (se & 0xFF));
      nd += is_dense;
      ns += !is_dense;
    }
    add_dense(dense, nd, acc);
    for (std::size_t i = 0; i < ns; ++i) detail::Model::add_sparse(sparse[i].begin, sparse[i].end, acc);
    return static_cast<std::uint32_t>(nd + ns);
  }

  // Softmax over the model languages of script `s`; appends candidates scaled by `share`.
  void score_group(Script s, const std::int32_t* acc, const int* vetoes, const int* aux_vetoes, double share,
                   Decision& d) const {
    const int n = nlangs_of[s];
    if (n == 0) return;
    double logit[detail::kMaxModelLangs];
    double mx = -1e300;
    for (int j = 0; j < n; ++j) {
      int li = langs_of[s][static_cast<std::size_t>(j)];
      logit[j] = model.bias(li) + static_cast<double>(model.scale()) * acc[li] -
                 kVetoCost * std::min(vetoes[li], kVetoMax) - kAuxCost * std::min(aux_vetoes[li], kVetoMax);
      mx = std::max(mx, logit[j]);
    }
    double sum = 0;
    for (int j = 0; j < n; ++j) {
      // exp(-40) < 5e-18: not worth the call.
      logit[j] = logit[j] - mx < -40 ? 0.0 : std::exp(logit[j] - mx);
      sum += logit[j];
    }
    for (int j = 0; j < n; ++j) d.add(model.code(langs_of[s][static_cast<std::size_t>(j)]), share * logit[j] / sum);
  }

  // score_word through `cache`: a word held there adds its remembered sums; a new one is
  // scored into zeroed sums that are kept and then added. Either way `acc` gets the same
  // integers as from score_word, so the answers do not depend on the cache.
  std::uint32_t score_word_cached(WordCache& cache, const char32_t* w, std::size_t n, Script s, std::int32_t* acc,
                                  Scratch& scratch) const {
    // Longer words (which scan_text never reports) are not kept.
    static_assert(detail::kMaxWord <= 255 && detail::kMaxWord <= WordCache::kChunkChars);
    if (n > detail::kMaxWord) return score_word(w, n, s, acc, scratch);
    if (cache.owner_ != serial) {
      cache = WordCache(cache.max_words_);
      cache.owner_ = serial;
      // Dense features add to the first kDenseLangs scores, sparse ones to those of model
      // languages; rounded up to whole vectors (acc has kMaxModelLangs scores, a multiple of 8).
      static_assert(detail::kMaxModelLangs % 8 == 0);
      cache.width_ = (static_cast<std::size_t>(std::max(model.nlangs(), detail::kDenseLangs)) + 7) / 8 * 8;
    }
    const std::size_t width = cache.width_;
    const std::uint32_t h = WordCache::hash(w, n, s);
    if (const WordCache::Slot* e = cache.find(h, w, n, s)) {
      add_sums(acc, cache.sums(e->index), width);
      return e->hits;
    }
    if (cache.count_ >= cache.max_words_) return score_word(w, n, s, acc, scratch);
    WordCache::Slot& e = cache.insert(h, w, n, s);
    std::int32_t* const v = cache.sums(e.index);
    const std::uint32_t found = score_word(w, n, s, v, scratch);
    e.hits = static_cast<std::uint16_t>(found);
    add_sums(acc, v, width);
    return found;
  }

  // The full decision for a text: candidates with probabilities, unsorted. `cache` may be
  // nullptr.
  void decide(std::string_view text, Decision& d, bool all_groups, WordCache* cache = nullptr) const {
    detail::ScanCounts counts;
    // Features of prose words go to `acc`; those of acronyms and identifiers ("RAID",
    // "ownCloud") to `weak`, used only for a script whose text has no prose words.
    std::int32_t acc[detail::kMaxModelLangs] = {};
    std::int32_t weak[detail::kMaxModelLangs] = {};
    std::uint32_t hits[detail::kScriptCount] = {};
    std::uint32_t weak_hits[detail::kScriptCount] = {};
    const bool have_model = model.valid();
    Scratch scratch;  // not zeroed
    std::uint32_t scored_words = 0, punct_seen = 0;
    const bool sample = text.size() > kSampleFrom;
    std::uint32_t south_slavic = 0, serbian = 0, macedonian = 0;
    int vetoes[detail::kMaxModelLangs] = {};
    int aux_vetoes[detail::kMaxModelLangs] = {};
    if (text.size() > (std::size_t{1} << 30)) text = text.substr(0, std::size_t{1} << 30);
    detail::scan_words(text, counts, [&](const char32_t* w, std::size_t n, Script s, unsigned flags) {
      if (!have_model) return;
      if (flags & detail::kWordPunct) {
        if (++punct_seen <= kMaxScoredWords) model.add(detail::punct_key(w[0]), acc);
        return;
      }
      if (!detail::scored_script(s) || nlangs_of[s] == 0) return;
      if (s == detail::kCyrillic) {
        // Letters that Russian, Ukrainian and Bulgarian never write: Serbian and Macedonian.
        for (std::size_t i = 0; i < n; ++i) {
          const char32_t c = w[i];
          if (c == U'ј' || c == U'љ' || c == U'њ' || c == U'џ') ++south_slavic;
          else if (c == U'ђ' || c == U'ћ') ++serbian;
          else if (c == U'ѓ' || c == U'ќ' || c == U'ѕ') ++macedonian;
        }
      }
      // Long texts: every other word (see kSampleFrom).
      if (++scored_words > kMaxScoredWords || (sample && (scored_words & 1))) return;
      if (!veto.empty() && !detail::weak_word(flags)) {
        for (std::size_t i = 0; i < n; ++i) {
          const char32_t c = w[i];
          if (c < kVetoFirst || c >= kVetoLast) continue;
          for (std::uint64_t m = veto[c - kVetoFirst]; m; m &= m - 1) ++vetoes[__builtin_ctzll(m)];
          for (std::uint64_t m = aux_only[c - kVetoFirst]; m; m &= m - 1) ++aux_vetoes[__builtin_ctzll(m)];
        }
      }
      const bool is_weak = detail::weak_word(flags);
      std::int32_t* const into = is_weak ? weak : acc;
      (is_weak ? weak_hits : hits)[s] +=
          cache ? score_word_cached(*cache, w, n, s, into, scratch) : score_word(w, n, s, into, scratch);
    });
    for (int s = 0; s < detail::kScriptCount; ++s) {
      if (hits[s] > 0 || weak_hits[s] == 0) continue;
      for (int j = 0; j < nlangs_of[s]; ++j) {
        const int li = langs_of[static_cast<std::size_t>(s)][static_cast<std::size_t>(j)];
        acc[li] += weak[li];
      }
      hits[s] = weak_hits[s];
    }

    // Weighted letters per group.
    const auto* by = counts.by_script;
    std::uint32_t kana = by[detail::kHiragana] + by[detail::kKatakana];
    std::uint32_t han = by[detail::kHan] + by[detail::kBopomofo];
    struct G {
      int id;
      std::uint32_t w;
    };
    std::array<G, detail::kScriptCount> groups{};
    int ng = 0;
    std::uint32_t total = 0;
    auto put = [&](int id, std::uint32_t w) {
      if (w == 0) return;
      groups[static_cast<std::size_t>(ng++)] = G{id, w};
      total += w;
    };
    put(gLatin, by[detail::kLatin]);
    put(gCyrillic, by[detail::kCyrillic]);
    put(gArabic, by[detail::kArabic]);
    put(gCJK, (han + kana) * kCjkWeight);
    put(gHangul, by[detail::kHangul] * kCjkWeight);
    for (int s = 0; s < detail::kScriptCount; ++s)
      if (by[s] > 0 && single_code(static_cast<Script>(s))) put(gSingle + s, by[s]);
    // Letters of unknown scripts count against every answer but are never an answer.
    std::uint32_t unknown = by[detail::kOther] + by[detail::kNoScript];
    total += unknown;
    if (ng == 0 || total < kMinLetters) return;
    std::sort(groups.begin(), groups.begin() + ng, [](const G& a, const G& b) { return a.w > b.w; });
    if (unknown > groups[0].w) return;

    for (int gi = 0; gi < ng; ++gi) {
      const G& g = groups[static_cast<std::size_t>(gi)];
      const double share = static_cast<double>(g.w) / total;
      if (gi > 0 && (!all_groups || share < kMinGroupShare)) break;
      switch (g.id) {
        case gLatin:
          if (hits[detail::kLatin] > 0) score_group(detail::kLatin, acc, vetoes, aux_vetoes, share, d);
          break;
        case gCyrillic:
          if (macedonian > 0 && macedonian >= serbian) d.add("mk", share);
          else if (serbian + south_slavic > 0 && (serbian + south_slavic) * 50 >= by[detail::kCyrillic])
            d.add("sr", share);
          else if (hits[detail::kCyrillic] > 0) score_group(detail::kCyrillic, acc, vetoes, aux_vetoes, share, d);
          break;
        case gArabic:
          if (hits[detail::kArabic] > 0) score_group(detail::kArabic, acc, vetoes, aux_vetoes, share, d);
          break;
        case gCJK:
          // Japanese writes kana in almost every sentence; Han alone is Chinese.
          d.add(kana > 0 && static_cast<double>(kana) >= kKanaShare * (han + kana) ? "ja" : "zh", share);
          break;
        case gHangul: d.add("ko", share); break;
        default: d.add(single_code(static_cast<Script>(g.id - gSingle)), share); break;
      }
    }
  }
};

namespace {

void sort_candidates(Decision& d) {
  std::sort(d.c, d.c + d.n, [](const Candidate& a, const Candidate& b) {
    if (a.p != b.p) return a.p > b.p;
    return a.code() < b.code();
  });
}

}  // namespace

Identifier::Identifier(std::string_view model_bytes, std::string* error)
    : impl_(std::make_unique<Impl>(model_bytes, error)) {}
Identifier::~Identifier() = default;
Identifier::Identifier(Identifier&&) noexcept = default;
Identifier& Identifier::operator=(Identifier&&) noexcept = default;

bool Identifier::valid() const { return impl_ && impl_->model.valid(); }

Guess Identifier::identify(std::string_view utf8) const { return identify(utf8, nullptr); }

Guess Identifier::identify(std::string_view utf8, WordCache* cache) const {
  Decision d;
  impl_->decide(utf8, d, false, cache);
  if (d.n == 0) return Guess{std::string(kUndetermined), 0.0};
  int best = 0;
  for (int i = 1; i < d.n; ++i)
    if (d.c[i].p > d.c[best].p) best = i;
  const Candidate& c = d.c[best];
  if (c.p < kMinConfidence) return Guess{std::string(kUndetermined), 0.0};
  return Guess{std::string(c.code()), std::clamp(c.p, 0.0, 1.0)};
}

std::vector<Guess> Identifier::identify_top(std::string_view utf8, std::size_t k) const {
  Decision d;
  impl_->decide(utf8, d, true);
  std::vector<Guess> out;
  if (d.n == 0) {
    if (k > 0) out.push_back(Guess{std::string(kUndetermined), 0.0});
    return out;
  }
  sort_candidates(d);
  for (int i = 0; i < d.n && out.size() < k; ++i)
    out.push_back(Guess{std::string(d.c[i].code()), std::clamp(d.c[i].p, 0.0, 1.0)});
  return out;
}

std::vector<std::string> Identifier::model_languages() const {
  std::vector<std::string> out;
  for (int i = 0; i < impl_->model.nlangs(); ++i) out.emplace_back(impl_->model.code(i));
  return out;
}

std::vector<std::string> Identifier::languages() const {
  std::vector<std::string> out = model_languages();
  for (const char* c : {"ja", "zh", "ko", "sr", "mk"}) out.emplace_back(c);
  for (int s = 0; s < detail::kScriptCount; ++s)
    if (const char* c = single_code(static_cast<Script>(s))) out.emplace_back(c);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace scrubtext::lang
