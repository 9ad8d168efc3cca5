// Speed benchmark: scrubtext's full clean vs a gumbo parse-only baseline, same pages,
// same process, one thread. Pages are read and decompressed before timing.
//
//   scrubtext_bench DIR [--rounds N] [--warmup N] [--pages N] [--batch N] [--only gumbo|clean] [--links]
//
// For each round it times (a) gumbo_parse + gumbo_destroy_output of every page and (b)
// Cleaner::clean of every page, in batches of 16 pages (`--batch N`; 0: the whole round)
// timed one right after the other (which one first alternates), so that both see the same
// machine state; each batch starts with the caches the other one left (see BENCHMARKS.md on
// what that costs the clean). It prints the median pages/s and
// MB/s of each and the median of the rounds' ratios. `--warmup N` (default 1) rounds run
// first, untimed, so that the figures are those of a long crawl: a process's first pages
// also pay for loading ICU's data and for the first states of RE2's DFAs. `--pages N` takes
// the first N pages (by name); `--only` runs one of the two, for profiles. The clean uses the
// command's default options (no --links: Options::links false); `--links` records links
// as `scrubtext --links` does:
//
//   valgrind --tool=callgrind --toggle-collect='scrubtext::Cleaner::clean*'
//            build/scrubtext_bench DIR --pages 40 --only clean --rounds 2 --warmup 0
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gumbo.h>

#include "input/gzip.h"
#include "scrubtext/scrubtext.h"

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::fprintf(stderr,
                 "usage: scrubtext_bench DIR [--rounds N] [--warmup N] [--pages N] [--batch N] [--only gumbo|clean] "
                 "[--links]\n");
    return argc < 2 ? 2 : 0;
  }
  std::size_t max_pages = 0;  // 0: all
  std::string only;
  scrubtext::Options options;
  options.links = false;
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "--links") options.links = true;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--pages") max_pages = static_cast<std::size_t>(std::max(1, std::atoi(argv[i + 1])));
    if (std::string(argv[i]) == "--only") only = argv[i + 1];
  }
  if (!only.empty() && only != "gumbo" && only != "clean") {
    std::fprintf(stderr, "scrubtext_bench: --only takes gumbo or clean\n");
    return 2;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(argv[1], ec)) {
    std::fprintf(stderr, "scrubtext_bench: %s: not a directory\n", argv[1]);
    return 2;
  }
  int rounds = 5, warmup = 1;
  std::size_t batch = 16;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--batch") batch = static_cast<std::size_t>(std::max(0, std::atoi(argv[i + 1])));
    if (std::string(argv[i]) == "--rounds") rounds = std::max(1, std::atoi(argv[i + 1]));
    if (std::string(argv[i]) == "--warmup") warmup = std::max(0, std::atoi(argv[i + 1]));
  }
  std::vector<std::string> pages;
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(argv[1]))
    if (e.is_regular_file()) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  if (max_pages && paths.size() > max_pages) paths.resize(max_pages);
  std::size_t bytes = 0;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string data = ss.str();
    if (scrubtext::input::looks_gzip(data)) data = scrubtext::input::gunzip(data, 1u << 30).data;
    bytes += data.size();
    pages.push_back(std::move(data));
  }
  const scrubtext::Cleaner cleaner(options);
  using clock = std::chrono::steady_clock;
  std::vector<double> gumbo_s, scrub_s, ratios;
  std::size_t sink = 0;
  auto parse = [&](const std::string& p) {
    GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, p.data(), p.size());
    sink += out->root->v.element.children.length;
    gumbo_destroy_output(&kGumboDefaultOptions, out);
  };
  auto clean = [&](const std::string& p) { sink += cleaner.clean(p).text.size(); };
  // Pages go in batches of batch_pages, each timed for the two one right after the other (in
  // turn first): a change in the machine's speed while the benchmark runs (a shared host)
  // meets both alike, and each side still runs many pages in a row, its own tables warm
  // as in a crawl.
  const std::size_t batch_pages = batch == 0 ? std::max<std::size_t>(pages.size(), 1) : batch;
  for (int r = -warmup; r < rounds; ++r) {
    double g = 0, c = 0;
    for (std::size_t from = 0, b = 0; from < pages.size(); from += batch_pages, ++b) {
      const std::size_t to = std::min(pages.size(), from + batch_pages);
      const bool gumbo_first = (b + static_cast<std::size_t>(r + warmup)) % 2 == 0;
      for (int step = 0; step < 2; ++step) {
        const bool is_gumbo = (step == 0) == gumbo_first;
        if (is_gumbo ? only == "clean" : only == "gumbo") continue;
        const auto t0 = clock::now();
        for (std::size_t k = from; k < to; ++k) {
          if (is_gumbo) parse(pages[k]);
          else clean(pages[k]);
        }
        (is_gumbo ? g : c) += std::chrono::duration<double>(clock::now() - t0).count();
      }
    }
    if (r < 0) continue;  // a warm-up round: caches, RE2's DFA states, ICU's data loaded
    gumbo_s.push_back(g);
    scrub_s.push_back(c);
    if (only.empty()) ratios.push_back(g / c);
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double g = median(gumbo_s), s = median(scrub_s);
  const double n = static_cast<double>(pages.size()), mb = static_cast<double>(bytes) / 1e6;
  std::printf("pages: %zu, %.1f MB, rounds: %d (median), batches of %zu pages\n", pages.size(), mb, rounds, batch_pages);
  if (only != "clean") std::printf("gumbo parse-only : %7.1f pages/s  %6.1f MB/s\n", n / g, mb / g);
  if (only != "gumbo") std::printf("scrubtext clean  : %7.1f pages/s  %6.1f MB/s\n", n / s, mb / s);
  if (only.empty()) std::printf("ratio scrubtext/gumbo: %.2fx (median of the rounds' ratios)\n", median(ratios));
  return sink == 0 ? 1 : 0;
}
