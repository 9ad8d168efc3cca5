// Reading and writing the n-gram model file (see model.h).
#include "lang/model.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>

static_assert(std::endian::native == std::endian::little, "the model file is little-endian");

namespace scrubtext::lang::detail {
namespace {

bool fail(std::string* error, const char* what) {
  if (error) *error = what;
  return false;
}

}  // namespace

Model Model::parse(std::string_view bytes, std::string* error) {
  Model m;
  if (bytes.size() < sizeof(ModelHeader)) {
    fail(error, "model: file too short");
    return m;
  }
  ModelHeader h;
  std::memcpy(&h, bytes.data(), sizeof h);
  if (std::memcmp(h.magic, kModelMagic, sizeof h.magic) != 0) {
    fail(error, "model: bad magic");
    return m;
  }
  if (h.nlangs == 0 || h.nlangs > kMaxModelLangs || h.bucket_bits < 1 || h.bucket_bits > 30 || !(h.scale > 0)) {
    fail(error, "model: bad header");
    return m;
  }
  const std::size_t nbuckets = std::size_t{1} << h.bucket_bits;
  const std::size_t need = sizeof(ModelHeader) + h.nlangs * sizeof(LangRecord) + (nbuckets + 1) * 8 +
                           std::size_t{h.nfeatures} * 2 + std::size_t{h.npayload} * 2;
  if (bytes.size() < need) {
    fail(error, "model: truncated");
    return m;
  }
  const char* p = bytes.data() + sizeof(ModelHeader);
  for (std::uint32_t i = 0; i < h.nlangs; ++i) {
    LangRecord r;
    std::memcpy(&r, p + i * sizeof(LangRecord), sizeof r);
    m.codes_[i] = std::string(r.code, strnlen(r.code, sizeof r.code));
    m.scripts_[i] = r.script < kScriptCount ? static_cast<Script>(r.script) : kOther;
    m.biases_[i] = r.bias;
  }
  p += h.nlangs * sizeof(LangRecord);
  if (reinterpret_cast<std::uintptr_t>(p) % alignof(std::uint32_t) != 0) {
    fail(error, "model: misaligned");
    return m;
  }
  const auto* dir = reinterpret_cast<const std::uint32_t*>(p);
  p += (nbuckets + 1) * 8;
  const auto* fps = reinterpret_cast<const std::uint16_t*>(p);
  p += std::size_t{h.nfeatures} * 2;
  const auto* payload = reinterpret_cast<const PayloadEntry*>(p);
  // Validate the directory and the payload so that lookups can never read out of bounds.
  if (dir[0] != 0 || dir[1] != 0 || dir[2 * nbuckets] != h.nfeatures || dir[2 * nbuckets + 1] != h.npayload) {
    fail(error, "model: bad directory");
    return m;
  }
  for (std::size_t b = 0; b < nbuckets; ++b) {
    if (dir[2 * b + 2] < dir[2 * b] || dir[2 * b + 3] < dir[2 * b + 1]) {
      fail(error, "model: bad directory");
      return m;
    }
    // Every feature of the bucket must own a terminated run of entries inside the bucket.
    std::uint32_t e = dir[2 * b + 1];
    const std::uint32_t eend = dir[2 * b + 3];
    for (std::uint32_t f = dir[2 * b]; f < dir[2 * b + 2]; ++f) {
      for (;;) {
        if (e >= eend) {
          fail(error, "model: bad payload");
          return m;
        }
        const PayloadEntry x = payload[e++];
        if ((x.lang & 0x7F) >= h.nlangs) {
          fail(error, "model: bad language index");
          return m;
        }
        if (x.lang & 0x80) break;
      }
    }
    if (e != eend) {
      fail(error, "model: bad payload");
      return m;
    }
  }
  m.nlangs_ = static_cast<int>(h.nlangs);
  m.scale_ = h.scale;
  m.shift_ = 64 - h.bucket_bits;
  m.dir_ = dir;
  m.fps_ = fps;
  m.payload_ = payload;
  m.nfeatures_ = h.nfeatures;
  m.size_ = need;
  return m;
}

std::string write_model(const std::vector<ModelLang>& langs, float scale, std::vector<FeatureWeights>& features,
                        unsigned bucket_bits) {
  const unsigned shift = 64 - bucket_bits;
  auto bucket = [&](std::uint64_t k) { return static_cast<std::uint32_t>(k >> shift); };
  auto fp = [&](std::uint64_t k) { return static_cast<std::uint16_t>(k >> (shift - 16)); };
  features.erase(std::remove_if(features.begin(), features.end(), [](const FeatureWeights& f) { return f.weights.empty(); }),
                 features.end());
  // Order by (bucket, fingerprint); on a collision keep the feature with more weight.
  std::sort(features.begin(), features.end(), [&](const FeatureWeights& a, const FeatureWeights& b) {
    std::uint32_t ba = bucket(a.key), bb = bucket(b.key);
    if (ba != bb) return ba < bb;
    std::uint16_t fa = fp(a.key), fb = fp(b.key);
    if (fa != fb) return fa < fb;
    int wa = 0, wb = 0;
    for (auto& w : a.weights) wa += std::abs(w.second);
    for (auto& w : b.weights) wb += std::abs(w.second);
    return wa > wb;
  });
  std::vector<FeatureWeights> kept;
  kept.reserve(features.size());
  for (auto& f : features) {
    if (!kept.empty() && bucket(kept.back().key) == bucket(f.key) && fp(kept.back().key) == fp(f.key)) continue;
    kept.push_back(std::move(f));
  }
  features.swap(kept);

  const std::size_t nbuckets = std::size_t{1} << bucket_bits;
  std::vector<std::uint32_t> dir(2 * (nbuckets + 1), 0);
  std::vector<std::uint16_t> fps;
  std::vector<PayloadEntry> payload;
  std::size_t fi = 0;
  for (std::size_t b = 0; b < nbuckets; ++b) {
    dir[2 * b] = static_cast<std::uint32_t>(fps.size());
    dir[2 * b + 1] = static_cast<std::uint32_t>(payload.size());
    while (fi < features.size() && bucket(features[fi].key) == b) {
      auto& f = features[fi++];
      fps.push_back(fp(f.key));
      auto w = f.weights;
      std::sort(w.begin(), w.end());
      for (std::size_t i = 0; i < w.size(); ++i) {
        PayloadEntry e;
        e.lang = static_cast<std::uint8_t>(w[i].first | (i + 1 == w.size() ? 0x80 : 0));
        e.weight = w[i].second;
        payload.push_back(e);
      }
    }
  }
  dir[2 * nbuckets] = static_cast<std::uint32_t>(fps.size());
  dir[2 * nbuckets + 1] = static_cast<std::uint32_t>(payload.size());

  ModelHeader h{};
  std::memcpy(h.magic, kModelMagic, sizeof h.magic);
  h.nlangs = static_cast<std::uint32_t>(langs.size());
  h.bucket_bits = bucket_bits;
  h.nfeatures = static_cast<std::uint32_t>(fps.size());
  h.npayload = static_cast<std::uint32_t>(payload.size());
  h.scale = scale;
  std::string out(reinterpret_cast<const char*>(&h), sizeof h);
  for (auto& l : langs) {
    LangRecord r{};
    std::memcpy(r.code, l.code.data(), std::min(l.code.size(), sizeof r.code - 1));
    r.script = l.script;
    r.bias = l.bias;
    out.append(reinterpret_cast<const char*>(&r), sizeof r);
  }
  out.append(reinterpret_cast<const char*>(dir.data()), dir.size() * 4);
  out.append(reinterpret_cast<const char*>(fps.data()), fps.size() * 2);
  out.append(reinterpret_cast<const char*>(payload.data()), payload.size() * 2);
  return out;
}

}  // namespace scrubtext::lang::detail
