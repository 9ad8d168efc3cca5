// scrubtext_bench_langid: language identification, scrubtext vs CLD2, one thread, one run.
//
//   scrubtext_bench_langid [--dev DIR] [--model FILE] [--seconds S] [--errors] [--no-cld2]
//
// Reads DIR/short.tsv and DIR/long.tsv (`lang<TAB>text`, default ../shared/langid/dev),
// reports macro accuracy over the languages present, per-language accuracy, short texts/s
// and MB/s on the long texts, for the embedded model (or --model FILE) and, when built with
// libcld2-dev, for CLD2 in best-effort mode (ExtDetectLanguageSummary with
// kCLDFlagBestEffort, plain text, no hints).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "lang/identifier.h"

#ifdef SCRUBTEXT_HAVE_CLD2
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
namespace CLD2 {
const char* LanguageCode(Language lang);
}
#endif

namespace {

struct Row {
  std::string lang;
  std::string text;
};

std::vector<Row> read_tsv(const std::string& path) {
  std::vector<Row> rows;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    rows.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return rows;
}

using Detector = std::function<std::string(const std::string&)>;

struct Result {
  double macro = 0;
  std::map<std::string, double> per_lang;
  std::map<std::pair<std::string, std::string>, int> confusion;
};

Result accuracy(const Detector& d, const std::vector<Row>& rows, bool print_errors, const char* name) {
  std::map<std::string, std::pair<int, int>> per;
  Result r;
  for (const auto& row : rows) {
    std::string got = d(row.text);
    auto& pc = per[row.lang];
    pc.second++;
    if (got == row.lang) {
      pc.first++;
    } else {
      r.confusion[{row.lang, got}]++;
      if (print_errors) std::printf("error\t%s\t%s\t%s\t%s\n", name, row.lang.c_str(), got.c_str(), row.text.c_str());
    }
  }
  for (auto& [l, pc] : per) {
    double a = 100.0 * pc.first / pc.second;
    r.per_lang[l] = a;
    r.macro += a;
  }
  if (!per.empty()) r.macro /= static_cast<double>(per.size());
  return r;
}

// Runs the detector over `rows` repeatedly for about `seconds`; returns (texts/s, MB/s).
std::pair<double, double> speed(const Detector& d, const std::vector<Row>& rows, double seconds) {
  std::size_t bytes = 0;
  for (auto& r : rows) bytes += r.text.size();
  std::size_t sink = 0, texts = 0, done = 0;
  auto t0 = std::chrono::steady_clock::now();
  double el = 0;
  do {
    for (auto& r : rows) sink += d(r.text).size();
    texts += rows.size();
    done += bytes;
    el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  } while (el < seconds);
  if (sink == 42) std::printf(" ");
  return {static_cast<double>(texts) / el, static_cast<double>(done) / el / 1e6};
}

#ifdef SCRUBTEXT_HAVE_CLD2
std::string cld2_detect(const std::string& text) {
  CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language lang3[3];
  int percent3[3];
  double score3[3];
  int text_bytes = 0;
  bool reliable = false;
  CLD2::Language l = CLD2::ExtDetectLanguageSummary(text.data(), static_cast<int>(text.size()), true, &hints,
                                                    CLD2::kCLDFlagBestEffort, lang3, percent3, score3, nullptr,
                                                    &text_bytes, &reliable);
  std::string code = CLD2::LanguageCode(l);
  // CLD2's codes for the languages of the corpus.
  if (code == "no") return "nb";
  if (code == "iw") return "he";
  if (code == "zh-Hant") return "zh";
  if (code == "un") return "und";
  return code;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  std::string dev = std::string(SCRUBTEXT_SHARED_DIR) + "/langid/dev";
  std::string model_file;
  double seconds = 5.0;
  bool errors = false, use_cld2 = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dev" && i + 1 < argc) dev = argv[++i];
    else if (a == "--model" && i + 1 < argc) model_file = argv[++i];
    else if (a == "--seconds" && i + 1 < argc) seconds = std::stod(argv[++i]);
    else if (a == "--errors") errors = true;
    else if (a == "--no-cld2") use_cld2 = false;
    else {
      std::fprintf(stderr,
                   "usage: scrubtext_bench_langid [--dev DIR] [--model FILE] [--seconds S] [--errors] [--no-cld2]"
                   "\n");
      return 2;
    }
  }
  auto shorts = read_tsv(dev + "/short.tsv");
  auto longs = read_tsv(dev + "/long.tsv");
  if (shorts.empty() || longs.empty()) {
    std::fprintf(stderr, "no data in %s/{short,long}.tsv\n", dev.c_str());
    return 1;
  }

  std::string model_bytes;
  std::unique_ptr<scrubtext::lang::Identifier> own;
  const scrubtext::lang::Identifier* id = &scrubtext::lang::Identifier::builtin();
  if (!model_file.empty()) {
    std::ifstream in(model_file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    model_bytes = ss.str();
    std::string err;
    own = std::make_unique<scrubtext::lang::Identifier>(model_bytes, &err);
    if (!own->valid()) {
      std::fprintf(stderr, "%s: %s\n", model_file.c_str(), err.c_str());
      return 1;
    }
    id = own.get();
  }

  struct Entry {
    std::string name;
    Detector d;
  };
  std::vector<Entry> detectors;
  detectors.push_back({"scrubtext", [id](const std::string& t) { return id->identify(t).code; }});
#ifdef SCRUBTEXT_HAVE_CLD2
  if (use_cld2) detectors.push_back({"CLD2 (best effort)", cld2_detect});
#else
  (void)use_cld2;
  std::fprintf(stderr, "note: built without CLD2 (apt-get install libcld2-dev and reconfigure)\n");
#endif

  struct Summary {
    Result s, l;
    double tps, mbs_short, tps_long, mbs;
  };
  std::vector<Summary> sums(detectors.size());
  for (std::size_t i = 0; i < detectors.size(); ++i) {
    sums[i].s = accuracy(detectors[i].d, shorts, errors, "short");
    sums[i].l = accuracy(detectors[i].d, longs, errors, "long");
    sums[i].tps = sums[i].mbs_short = sums[i].tps_long = sums[i].mbs = 0;
  }
  // Speed: rounds interleaved between the detectors, best round kept, so that a burst of
  // load from other processes does not favour one of them.
  const int rounds = 5;
  for (int r = 0; r < rounds; ++r)
    for (std::size_t i = 0; i < detectors.size(); ++i) {
      auto [tps, mbs_short] = speed(detectors[i].d, shorts, seconds / rounds);
      auto [tps_long, mbs] = speed(detectors[i].d, longs, seconds / rounds);
      sums[i].tps = std::max(sums[i].tps, tps);
      sums[i].mbs_short = std::max(sums[i].mbs_short, mbs_short);
      sums[i].tps_long = std::max(sums[i].tps_long, tps_long);
      sums[i].mbs = std::max(sums[i].mbs, mbs);
    }

  std::printf("Language identification on %s: %zu short texts (20-60 chars), %zu long (300+), one thread (speed: best of 5 interleaved rounds)\n\n",
              dev.c_str(), shorts.size(), longs.size());
  std::printf("| detector | short macro acc. | long macro acc. | short texts/s | long MB/s |\n");
  std::printf("|---|---:|---:|---:|---:|\n");
  for (std::size_t i = 0; i < detectors.size(); ++i)
    std::printf("| %s | %.2f %% | %.2f %% | %.0f | %.1f |\n", detectors[i].name.c_str(), sums[i].s.macro, sums[i].l.macro,
                sums[i].tps, sums[i].mbs);
  std::printf("\nPer language, short / long accuracy (%%):\n\n| lang |");
  for (auto& e : detectors) std::printf(" %s short | %s long |", e.name.c_str(), e.name.c_str());
  std::printf("\n|---|");
  for (std::size_t i = 0; i < detectors.size(); ++i) std::printf("---:|---:|");
  std::printf("\n");
  for (auto& [lang, acc] : sums[0].s.per_lang) {
    std::printf("| %s |", lang.c_str());
    for (auto& s : sums) std::printf(" %.1f | %.1f |", s.s.per_lang[lang], s.l.per_lang[lang]);
    std::printf("\n");
  }
  for (std::size_t i = 0; i < detectors.size(); ++i) {
    std::vector<std::pair<int, std::pair<std::string, std::string>>> conf;
    for (auto& [k, v] : sums[i].s.confusion) conf.push_back({v, k});
    std::sort(conf.rbegin(), conf.rend());
    std::printf("\n%s, most frequent short-text confusions (gold→guess:count):", detectors[i].name.c_str());
    for (std::size_t k = 0; k < conf.size() && k < 15; ++k)
      std::printf(" %s→%s:%d", conf[k].second.first.c_str(), conf[k].second.second.c_str(), conf[k].first);
    std::printf("\n");
  }
  return 0;
}
