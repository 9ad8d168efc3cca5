// Reading and writing the n-gram model file (see model.h).
#include "lang/model.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <numeric>

static_assert(std::endian::native == std::endian::little, "the model file is little-endian");

namespace scrubtext::lang::detail {
namespace {

constexpr std::size_t kBucketAlign = 32;

std::size_t buckets_offset(std::uint32_t nlangs) {
  std::size_t off = sizeof(ModelHeader) + nlangs * sizeof(LangRecord);
  return (off + kBucketAlign - 1) / kBucketAlign * kBucketAlign;
}

Model fail(std::string* error, const char* what) {
  if (error) *error = what;
  return Model();
}

}  // namespace

Model Model::parse(std::string_view bytes, std::string* error) {
  if (bytes.size() < sizeof(ModelHeader)) return fail(error, "model: file too short");
  ModelHeader h;
  std::memcpy(&h, bytes.data(), sizeof h);
  if (std::memcmp(h.magic, kModelMagic, sizeof h.magic) != 0) return fail(error, "model: bad magic or version");
  if (h.nlangs == 0 || h.nlangs > kMaxModelLangs || h.nbuckets == 0 || !(h.scale > 0))
    return fail(error, "model: bad header");
  const std::size_t boff = buckets_offset(h.nlangs);
  const std::size_t poff = boff + std::size_t{h.nbuckets} * sizeof(Bucket);
  const std::size_t need = poff + std::size_t{h.npayload} * sizeof(PayloadEntry);
  if (bytes.size() < need) return fail(error, "model: truncated");
  if (reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(Bucket) != 0) return fail(error, "model: misaligned");
  Model m;
  const char* p = bytes.data() + sizeof(ModelHeader);
  for (std::uint32_t i = 0; i < h.nlangs; ++i) {
    LangRecord r;
    std::memcpy(&r, p + i * sizeof(LangRecord), sizeof r);
    m.codes_[i] = std::string(r.code, strnlen(r.code, sizeof r.code));
    m.scripts_[i] = r.script < kScriptCount ? static_cast<Script>(r.script) : kOther;
    m.biases_[i] = r.bias;
  }
  const auto* buckets = reinterpret_cast<const Bucket*>(bytes.data() + boff);
  const auto* payload = reinterpret_cast<const PayloadEntry*>(bytes.data() + poff);
  // Validate every bucket so that lookups can never read out of bounds.
  std::size_t nfeatures = 0;
  for (std::uint32_t b = 0; b < h.nbuckets; ++b) {
    const Bucket& k = buckets[b];
    for (int i = 0; i < kSlots; ++i) {
      if (k.check[i] == 0) continue;
      ++nfeatures;
      const std::size_t s = std::size_t{k.base} + k.start[i], e = std::size_t{k.base} + k.start[i + 1];
      if (e <= s || (e - s) % 4 != 0 || e > h.npayload) return fail(error, "model: bad payload range");
      if ((k.dense >> i) & 1) {
        if (e - s != kDenseLangs / 2) return fail(error, "model: bad dense feature");
        continue;
      }
      for (std::size_t j = s; j < e; ++j)
        if (payload[j].lang >= h.nlangs) return fail(error, "model: bad language index");
    }
  }
  m.nlangs_ = static_cast<int>(h.nlangs);
  m.scale_ = h.scale;
  m.nbuckets_ = h.nbuckets;
  m.buckets_ = buckets;
  m.payload_ = payload;
  m.nfeatures_ = nfeatures;
  m.size_ = need;
  return m;
}

std::string write_model(const std::vector<ModelLang>& langs, float scale, std::vector<FeatureWeights> features,
                        double load, std::size_t* dropped) {
  features.erase(std::remove_if(features.begin(), features.end(), [](const FeatureWeights& f) { return f.weights.empty(); }),
                 features.end());
  auto mass = [](const FeatureWeights& f) {
    int w = 0;
    for (auto& x : f.weights) w += std::abs(x.second);
    return w;
  };
  const std::uint32_t nb =
      std::max<std::uint32_t>(1, static_cast<std::uint32_t>(static_cast<double>(features.size()) / (kSlots * load)) + 1);
  // Dense when the feature has more than 12 weights, all for languages below kDenseLangs.
  auto is_dense = [](const FeatureWeights& f) {
    if (f.weights.size() <= 12) return false;
    for (auto& x : f.weights)
      if (x.first >= kDenseLangs) return false;
    return true;
  };
  auto entries_of = [&](const FeatureWeights& f) {
    return is_dense(f) ? kDenseLangs / 2 : static_cast<int>((f.weights.size() + 3) / 4 * 4);
  };
  // Fill buckets with the heaviest features first; a feature whose bucket is full (or
  // whose check is taken there) is dropped.
  std::vector<std::size_t> order(features.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    int ma = mass(features[a]), mb = mass(features[b]);
    if (ma != mb) return ma > mb;
    return features[a].key < features[b].key;
  });
  std::vector<std::vector<std::size_t>> slots(nb);
  std::vector<int> entries(nb, 0);
  std::size_t lost = 0;
  for (std::size_t fi : order) {
    const FeatureWeights& f = features[fi];
    const std::uint32_t b = key_bucket(f.key, nb);
    const std::uint16_t c = key_check(f.key);
    const int n = entries_of(f);
    bool clash = slots[b].size() >= static_cast<std::size_t>(kSlots) || entries[b] + n > 255;
    for (std::size_t o : slots[b]) clash = clash || key_check(features[o].key) == c;
    if (clash) {
      ++lost;
      continue;
    }
    slots[b].push_back(fi);
    entries[b] += n;
  }
  if (dropped) *dropped = lost;

  ModelHeader h{};
  std::memcpy(h.magic, kModelMagic, sizeof h.magic);
  h.nlangs = static_cast<std::uint32_t>(langs.size());
  h.nbuckets = nb;
  h.scale = scale;
  std::vector<Bucket> buckets(nb);
  std::vector<PayloadEntry> payload;
  std::size_t nfeat = 0;
  for (std::uint32_t b = 0; b < nb; ++b) {
    Bucket& k = buckets[b];
    std::memset(&k, 0, sizeof k);
    k.base = static_cast<std::uint32_t>(payload.size());
    // Slots in key order, so that the file does not depend on insertion order.
    std::sort(slots[b].begin(), slots[b].end(), [&](std::size_t x, std::size_t y) { return features[x].key < features[y].key; });
    int i = 0;
    for (std::size_t fi : slots[b]) {
      auto w = features[fi].weights;
      std::sort(w.begin(), w.end());
      k.check[i] = key_check(features[fi].key);
      k.start[i] = static_cast<std::uint8_t>(payload.size() - k.base);
      if (is_dense(features[fi])) {
        k.dense = static_cast<std::uint8_t>(k.dense | (1u << i));
        std::int8_t d[kDenseLangs] = {};
        for (auto& x : w) d[x.first] = x.second;
        for (int j = 0; j < kDenseLangs; j += 2)
          payload.push_back(PayloadEntry{static_cast<std::uint8_t>(d[j]), d[j + 1]});
      } else {
        for (auto& x : w) payload.push_back(PayloadEntry{x.first, x.second});
        while ((payload.size() - k.base - k.start[i]) % 4 != 0) payload.push_back(PayloadEntry{w[0].first, 0});
      }
      ++i;
      ++nfeat;
    }
    for (int j = i; j <= kSlots; ++j) k.start[j] = static_cast<std::uint8_t>(payload.size() - k.base);
  }
  h.nfeatures = static_cast<std::uint32_t>(nfeat);
  h.npayload = static_cast<std::uint32_t>(payload.size());
  std::string out(reinterpret_cast<const char*>(&h), sizeof h);
  for (auto& l : langs) {
    LangRecord r{};
    std::memcpy(r.code, l.code.data(), std::min(l.code.size(), sizeof r.code - 1));
    r.script = l.script;
    r.bias = l.bias;
    out.append(reinterpret_cast<const char*>(&r), sizeof r);
  }
  out.resize(buckets_offset(h.nlangs), '\0');
  out.append(reinterpret_cast<const char*>(buckets.data()), buckets.size() * sizeof(Bucket));
  out.append(reinterpret_cast<const char*>(payload.data()), payload.size() * sizeof(PayloadEntry));
  return out;
}

}  // namespace scrubtext::lang::detail
