// The n-gram model of the language identifier: a flat, hashed, quantised table of feature
// weights, read in place from rules/lang/model.bin (written by tools/train_langid.cpp).
//
// File layout (little-endian), version 2:
//   Header            (48 bytes, see ModelHeader)
//   languages         nlangs × LangRecord (16 bytes: code, script, bias)
//   buckets           nbuckets × Bucket (32 bytes, 32-byte aligned in the file)
//   payload           npayload × { u8 lang, i8 weight }
//
// A feature key (64-bit hash, see text.h) lives in bucket ((key >> 32) × nbuckets) >> 32,
// in the slot whose 16-bit check equals key_check(key) (never 0; 0 marks a free slot).
// Its weights are the payload entries [base + start[i], base + start[i+1]), padded with
// zero-weight entries to a multiple of 4 so that they are added four at a time. A language
// absent from a feature's entries has weight 0 for it. Score of a language =
// bias + scale × Σ weights.
//
// Internal header (not installed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lang/text.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace scrubtext::lang::detail {

inline constexpr char kModelMagic[8] = {'S', 'C', 'L', 'A', 'N', 'G', '0', '2'};
inline constexpr int kMaxModelLangs = 64;

struct ModelHeader {
  char magic[8];
  std::uint32_t nlangs;
  std::uint32_t nbuckets;
  std::uint32_t nfeatures;
  std::uint32_t npayload;
  float scale;
  std::uint32_t reserved[5];
};
static_assert(sizeof(ModelHeader) == 48);

struct LangRecord {
  char code[8];          // NUL-padded ISO 639-1 (or 639-3) code
  std::uint32_t script;  // detail::Script whose words score this language
  float bias;
};
static_assert(sizeof(LangRecord) == 16);

inline constexpr int kSlots = 8;  // features per bucket

struct Bucket {
  std::uint16_t check[kSlots];           // 0: free
  std::uint32_t base;                    // first payload entry of the bucket
  std::uint8_t start[kSlots + 1];        // entries of slot i: [base+start[i], base+start[i+1])
  std::uint8_t dense;                    // bit i: slot i is dense (see kDenseLangs)
  std::uint8_t pad[2];
};
static_assert(sizeof(Bucket) == 32 && alignof(Bucket) == 4);

struct PayloadEntry {
  std::uint8_t lang;  // language index (padding entries: any valid index, weight 0)
  std::int8_t weight;
};

/// A dense feature stores one int8 weight for each of the model languages 0..kDenseLangs-1
/// (in the bytes of kDenseLangs/2 payload entries) instead of (lang, weight) pairs. Common
/// n-grams, which have weights for most languages of their script, are stored so; they
/// are added with SIMD instructions.
inline constexpr int kDenseLangs = 32;

inline std::uint16_t key_check(std::uint64_t key) { return static_cast<std::uint16_t>(key | 1); }
inline std::uint32_t key_bucket(std::uint64_t key, std::uint32_t nbuckets) {
  return static_cast<std::uint32_t>(((key >> 32) * nbuckets) >> 32);
}

/// A read-only view of a model file. The bytes must outlive the model.
class Model {
 public:
  /// Parses `bytes`; on any inconsistency returns an empty model (valid() false) and
  /// sets `error`.
  static Model parse(std::string_view bytes, std::string* error = nullptr);

  bool valid() const { return nlangs_ > 0; }
  int nlangs() const { return nlangs_; }
  std::string_view code(int i) const { return codes_[i]; }
  Script script(int i) const { return scripts_[i]; }
  float bias(int i) const { return biases_[i]; }
  float scale() const { return scale_; }
  std::size_t nfeatures() const { return nfeatures_; }
  std::size_t bytes() const { return size_; }

  struct Weights {
    const PayloadEntry* begin;
    const PayloadEntry* end;  // sparse: a multiple of 4 entries; dense: kDenseLangs/2 entries
    bool dense;
  };

  /// The first slot of `b` whose check is `c`, or -1.
  static int slot_of(const Bucket& b, std::uint16_t c) {
#ifdef __SSE2__
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.check));
    const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi16(v, _mm_set1_epi16(static_cast<short>(c)))));
    return m == 0 ? -1 : __builtin_ctz(m) >> 1;
#else
    for (int i = 0; i < kSlots; ++i)
      if (b.check[i] == c) return i;
    return -1;
#endif
  }

  /// Finds the weights of feature `key`; false when the feature is not in the model.
  bool find(std::uint64_t key, Weights& w) const {
    const Bucket& b = buckets_[key_bucket(key, nbuckets_)];
    const int i = slot_of(b, key_check(key));
    if (i < 0) return false;
    w.begin = payload_ + b.base + b.start[i];
    w.end = payload_ + b.base + b.start[i + 1];
    w.dense = (b.dense >> i) & 1;
    return true;
  }

  /// Adds sparse weights (from find) to acc[lang], in raw quantised units.
  static void add_sparse(const PayloadEntry* p, const PayloadEntry* e, std::int32_t* acc) {
    do {
      acc[p[0].lang] += p[0].weight;
      acc[p[1].lang] += p[1].weight;
      acc[p[2].lang] += p[2].weight;
      acc[p[3].lang] += p[3].weight;
      p += 4;
    } while (p < e);
  }

  /// The kDenseLangs weights of a dense feature.
  static const std::int8_t* dense_weights(const PayloadEntry* p) { return reinterpret_cast<const std::int8_t*>(p); }

  /// Adds the weights of feature `key` to acc[lang] (acc has kMaxModelLangs entries).
  /// Returns whether the feature is in the model.
  bool add(std::uint64_t key, std::int32_t* acc) const {
    Weights w;
    if (!find(key, w)) return false;
    if (w.dense) {
      const std::int8_t* d = dense_weights(w.begin);
      for (int l = 0; l < kDenseLangs; ++l) acc[l] += d[l];
    } else {
      add_sparse(w.begin, w.end, acc);
    }
    return true;
  }

  /// The raw table, for lookups that split find() into steps (see Identifier).
  const Bucket* buckets() const { return buckets_; }
  const PayloadEntry* payload() const { return payload_; }
  std::uint32_t nbuckets() const { return nbuckets_; }

  /// Hints the cache about the bucket of `key` (call ahead of add()).
  void prefetch(std::uint64_t key) const { __builtin_prefetch(&buckets_[key_bucket(key, nbuckets_)]); }

 private:
  int nlangs_ = 0;
  std::string codes_[kMaxModelLangs];
  Script scripts_[kMaxModelLangs] = {};
  float biases_[kMaxModelLangs] = {};
  float scale_ = 0;
  std::uint32_t nbuckets_ = 0;
  const Bucket* buckets_ = nullptr;
  const PayloadEntry* payload_ = nullptr;
  std::size_t nfeatures_ = 0;
  std::size_t size_ = 0;
};

/// One feature with its weights, as the trainer hands it to write_model.
struct FeatureWeights {
  std::uint64_t key;
  std::vector<std::pair<std::uint8_t, std::int8_t>> weights;  // (lang index, weight), weight != 0
};

struct ModelLang {
  std::string code;
  Script script;
  float bias;
};

/// Serialises a model (used by the trainer). Features that find no free slot (their
/// bucket is full of features with more weight) are dropped; `dropped` counts them.
std::string write_model(const std::vector<ModelLang>& langs, float scale, std::vector<FeatureWeights> features,
                        double load, std::size_t* dropped = nullptr);

}  // namespace scrubtext::lang::detail
