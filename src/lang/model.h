// The n-gram model of the language identifier: a flat, hashed, quantised table of feature
// weights, read in place from rules/lang/model.bin (written by tools/train_langid.cpp).
//
// File layout (little-endian), version 1:
//   Header            (48 bytes, see ModelHeader)
//   languages         nlangs × LangRecord (16 bytes: code, script, bias)
//   directory         (2^bucket_bits + 1) × { u32 first feature, u32 first payload entry }
//   fingerprints      nfeatures × u16, sorted within each bucket
//   payload           npayload × { u8 lang | 0x80 on the last entry of a feature, i8 weight }
//
// A feature key (64-bit hash, see text.h) lives in bucket key >> (64 - bucket_bits) with
// fingerprint (key >> (48 - bucket_bits)) & 0xFFFF. Its weights are the payload entries
// that follow those of the bucket's earlier features. A language absent from a feature's
// entries has weight 0 for it. Score of a language = bias + scale × Σ weights.
//
// Internal header (not installed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lang/text.h"

namespace scrubtext::lang::detail {

inline constexpr char kModelMagic[8] = {'S', 'C', 'L', 'A', 'N', 'G', '0', '1'};
inline constexpr int kMaxModelLangs = 64;

struct ModelHeader {
  char magic[8];
  std::uint32_t nlangs;
  std::uint32_t bucket_bits;
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

struct PayloadEntry {
  std::uint8_t lang;  // low 7 bits: language index; 0x80: last entry of the feature
  std::int8_t weight;
};

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

  /// Adds the weights of feature `key` to acc[lang] (raw quantised units). Returns
  /// whether the feature is in the model.
  bool add(std::uint64_t key, std::int32_t* acc) const {
    const std::uint32_t b = static_cast<std::uint32_t>(key >> shift_);
    const std::uint16_t fp = static_cast<std::uint16_t>(key >> (shift_ - 16));
    const std::uint32_t* d = dir_ + 2 * b;
    std::uint32_t f = d[0];
    const std::uint32_t fend = d[2];
    const PayloadEntry* p = payload_ + d[1];
    for (; f < fend; ++f) {
      const std::uint16_t x = fps_[f];
      if (x == fp) {
        for (;;) {
          const PayloadEntry e = *p++;
          acc[e.lang & 0x7F] += e.weight;
          if (e.lang & 0x80) break;
        }
        return true;
      }
      if (x > fp) return false;
      while (!((p++)->lang & 0x80)) {
      }
    }
    return false;
  }

 private:
  int nlangs_ = 0;
  std::string codes_[kMaxModelLangs];
  Script scripts_[kMaxModelLangs] = {};
  float biases_[kMaxModelLangs] = {};
  float scale_ = 0;
  unsigned shift_ = 0;
  const std::uint32_t* dir_ = nullptr;
  const std::uint16_t* fps_ = nullptr;
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

/// Serialises a model (used by the trainer). `features` is reordered.
std::string write_model(const std::vector<ModelLang>& langs, float scale, std::vector<FeatureWeights>& features,
                        unsigned bucket_bits);

}  // namespace scrubtext::lang::detail
