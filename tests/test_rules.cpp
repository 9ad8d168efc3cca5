// Rule files: format, validation errors with file:line, embedding, user rules.
#include <filesystem>
#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include <re2/re2.h>

#include "input/gzip.h"
#include "rules/compiled.h"
#include "rules/pattern.h"
#include "scrubtext/scrubtext.h"
#include "support.h"

using scrubtext::RuleError;
using scrubtext::RuleSet;

namespace {
std::string error_of(const std::string& text) {
  RuleSet set;
  try {
    set.add_text("my.rules", text);
  } catch (const RuleError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a well-formed file loads with header defaults") {
  RuleSet set;
  set.add_text("t.rules",
               "# comment\nfamily: chrome\ntarget: line\nlang: de\n\n[chrome.de.teilen]\npattern: teilen  # trailing comment\n"
               "explain: Share label.\n\n[chrome.de.drucken]\npattern: drucken\nweight: 2\nexplain: Print label.\n");
  REQUIRE(set.rules().size() == 2);
  CHECK(set.rules()[0].id == "chrome.de.teilen");
  CHECK(set.rules()[0].pattern == "teilen");
  CHECK(set.rules()[0].lang == "de");
  CHECK(set.rules()[1].weight == 2.0);
  CHECK(set.rules()[1].origin == "t.rules:10");
}

TEST_CASE("malformed files fail with file:line: reason") {
  CHECK(error_of("family: chrome\ntarget: line\n[x]\npattern: (unclosed\nexplain: e\n").starts_with("my.rules:3: rule x: invalid pattern"));
  CHECK(error_of("family: nope\n") == "my.rules:1: unknown family 'nope'");
  CHECK(error_of("family: chrome\ntarget: line\n[Bad Id]\n").starts_with("my.rules:3: invalid rule id"));
  CHECK(error_of("family: chrome\ntarget: line\n[a]\npattern: x\n").starts_with("my.rules:3: rule a has no explain"));
  CHECK(error_of("family: chrome\ntarget: line\n[a]\npattern: x\nexplain: e\ncolour: red\n") == "my.rules:6: unknown key 'colour'");
  CHECK(error_of("family: chrome\ntarget: line\n[a]\npattern: x\nexplain: e\n[a]\npattern: y\nexplain: f\n")
            .find("duplicate rule id 'a'") != std::string::npos);
  CHECK(error_of("family: chrome\ntarget: line\n[a]\npattern: x\nexplain: e\nweight: heavy\n").find("weight is not a number") !=
        std::string::npos);
  CHECK(error_of("just some words\n") == "my.rules:1: expected 'key: value' or '[id]'");
  // RE2 refuses what could be slow: backreferences and lookaround.
  CHECK(error_of("family: chrome\ntarget: text\n[a]\npattern: (a)\\1\nexplain: e\n").find("invalid pattern") != std::string::npos);
  CHECK(error_of("family: chrome\ntarget: text\n[a]\npattern: a(?=b)\nexplain: e\n").find("invalid pattern") != std::string::npos);
}

TEST_CASE("the embedded rules load, with unique ids, every family present") {
  const RuleSet set = RuleSet::builtin();
  CHECK(set.rules().size() > 300);
  std::set<std::string> families;
  std::set<std::string> consent_langs;
  for (const auto& r : set.rules()) {
    families.insert(r.family);
    if (r.family == "consent" && r.lang != "*") consent_langs.insert(r.lang);
    CHECK_FALSE(r.explain.empty());
  }
  // Embedded rules skip per-pattern validation at load (it costs startup time); this is
  // where they are validated instead.
  for (const auto& r : set.rules()) {
    RE2 re(scrubtext::detail::wrap_pattern(r.pattern, r.case_sensitive, r.target == "line"), RE2::Quiet);
    INFO(r.origin, " ", r.id);
    CHECK(re.ok());
  }
  for (const char* f : {"consent", "sprite", "notice", "chrome", "boilerplate", "hint"}) CHECK(families.count(f) == 1);
  CHECK(consent_langs.size() >= 25);
}

TEST_CASE("user rule directories add rules; an unreadable path is an error") {
  const auto dir = std::filesystem::temp_directory_path() / "scrubtext-test-rules";
  std::filesystem::create_directories(dir / "sub");
  std::ofstream(dir / "sub" / "mine.rules") << "family: chrome\ntarget: line\n[chrome.mine.x]\npattern: zzz label\nexplain: Mine.\n";
  std::ofstream(dir / "ignored.txt") << "not a rule file";
  RuleSet set = RuleSet::builtin();
  const std::size_t before = set.rules().size();
  set.add_directory(dir.string());
  CHECK(set.rules().size() == before + 1);
  CHECK_THROWS_AS(set.add_directory((dir / "missing").string()), RuleError);
  CHECK_THROWS_AS(set.add_file((dir / "missing.rules").string()), RuleError);
  // A user rule takes effect.
  const scrubtext::Cleaner cleaner({}, set);
  scrubtext::SourceInfo src;
  src.kind = scrubtext::InputKind::Text;
  const auto doc = cleaner.clean("A first line of ordinary article text that stays here.\nzzz label\nAnother line of the article.\n", src);
  CHECK(doc.text.find("zzz") == std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the text-rule prefilter changes no match: every block of the cases, seeds and benchmark pages") {
  const RuleSet builtin = RuleSet::builtin();
  const scrubtext::detail::CompiledRules filtered(builtin, true), unfiltered(builtin, false);
  scrubtext::Options options;
  options.keep_removed_blocks = true;
  const scrubtext::Cleaner cleaner(options);
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(test::source_dir() / "testdata/cases"))
    if (e.path().filename().string().starts_with("input.")) files.push_back(e.path());
  const auto shared = test::shared_dir();
  if (!shared.empty()) {
    for (const auto& e : std::filesystem::directory_iterator(shared / "seeds")) files.push_back(e.path());
#ifdef SCRUBTEXT_SANITIZED
    constexpr std::size_t kStride = 6;  // a sample under ASan+UBSan; every page in the Release suite
#else
    constexpr std::size_t kStride = 1;
#endif
    std::vector<std::filesystem::path> pages;
    for (const auto& e : std::filesystem::directory_iterator(shared / "bench/aeb/html")) pages.push_back(e.path());
    std::sort(pages.begin(), pages.end());
    for (std::size_t i = 0; i < pages.size(); i += kStride) files.push_back(pages[i]);
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 69);
  std::size_t texts = 0, with_hits = 0;
  std::vector<int> a, b;
  auto compare = [&](std::string_view text) {
    filtered.match_text(text, a);
    unfiltered.match_text(text, b);
    CHECK(a == b);
    with_hits += !b.empty();
    for (auto family : {scrubtext::detail::RuleFamily::Consent, scrubtext::detail::RuleFamily::Sprite}) {
      filtered.match_text(family, text, a);
      unfiltered.match_text(family, text, b);
      CHECK(a == b);
    }
    ++texts;
  };
  for (const auto& path : files) {
    INFO(path.string());
    const scrubtext::Document doc = cleaner.clean(test::read_file(path));
    for (const auto& block : doc.blocks) {
      compare(block.text);
      // Each line and word of it too: the sprite detector matches single tokens.
      std::size_t start = 0;
      for (std::size_t i = 0; i <= block.text.size(); ++i)
        if (i == block.text.size() || block.text[i] == ' ' || block.text[i] == '\n') {
          if (i - start >= 8) compare(std::string_view(block.text).substr(start, i - start));
          start = i + 1;
        }
    }
  }
  // Case folding the prefilter must agree with: final sigma, dotted capitals, the Kelvin sign.
  for (const char* text : {"ΧΡΗΣΙΜΟΠΟΙΟΥΜΕ COOKIES", "Ο ΙΣΤΌΤΟΠΟΣ ΧΡΗΣΙΜΟΠΟΙΕΊ COOKIES", "WIR VERWENDEN COOKIES",
                           "İSTATİSTİK ÇEREZLERİ", "\xE2\x84\xAA" "ookies we use"})
    compare(text);
  MESSAGE(texts << " texts compared, " << with_hits << " with a rule hit");
  CHECK(with_hits > 100);
}

TEST_CASE("the atoms found at build time are those found at run time, for every builtin text rule") {
  std::size_t checked = 0, always = 0;
  const RuleSet builtin = RuleSet::builtin();
  for (const scrubtext::Rule& r : builtin.rules()) {
    if (r.target != "text") continue;
    const std::string regex = scrubtext::detail::wrap_pattern(r.pattern, r.case_sensitive, false);
    CAPTURE(r.id);
    const scrubtext::detail::TextPatternAtoms* built = scrubtext::detail::builtin_text_pattern_atoms(regex);
    REQUIRE(built != nullptr);
    CHECK(*built == scrubtext::detail::analyze_text_pattern(regex));
    CHECK(built->always == built->atoms.empty());
    CHECK(built->sufficient.size() == built->atoms.size());
    always += built->always;
    ++checked;
  }
  CHECK(checked > 400);
  CHECK(always < checked / 4);  // most patterns have atoms to filter on
  // A pattern of no builtin rule is unknown (and is analysed when its rule is loaded).
  CHECK(scrubtext::detail::builtin_text_pattern_atoms("(?i:not a builtin pattern)") == nullptr);
  RuleSet mine;
  mine.add_text("mine.rules", "family: notice\nlang: en\ntarget: text\n\n[notice.en.mine]\n"
                              "pattern: only in (?:klingon|vulcan)\nexplain: A test rule.\n");
  const scrubtext::detail::CompiledRules compiled(mine);
  std::vector<int> hits;
  compiled.match_text("This page is ONLY IN Vulcan for now.", hits);
  CHECK(hits == std::vector<int>{0});
  compiled.match_text("This page is in English.", hits);
  CHECK(hits.empty());
}

TEST_CASE("patterns compiled on first use: threads matching at once get the hits one thread gets") {
  // Every block, line and long word of the sample page and the testdata cases, matched by four
  // threads at once against a fresh set of rules (each pattern is compiled by whichever
  // thread needs it first), and by one thread against another.
  const RuleSet builtin = RuleSet::builtin();
  scrubtext::Options options;
  options.keep_removed_blocks = true;
  const scrubtext::Cleaner cleaner(options);
  std::vector<std::string> texts;
  std::vector<std::filesystem::path> files{test::source_dir() / "testdata/sample/advocacy-page.html"};
  for (const auto& e : std::filesystem::recursive_directory_iterator(test::source_dir() / "testdata/cases"))
    if (e.path().filename().string().starts_with("input.")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files)
    for (const auto& block : cleaner.clean(test::read_file(path)).blocks) {
      texts.push_back(block.text);
      std::size_t start = 0;
      for (std::size_t i = 0; i <= block.text.size(); ++i)
        if (i == block.text.size() || block.text[i] == ' ') {
          if (i - start >= 8) texts.push_back(block.text.substr(start, i - start));
          start = i + 1;
        }
    }
  REQUIRE(texts.size() > 1000);
  const scrubtext::detail::CompiledRules one(builtin), shared(builtin);
  std::vector<std::vector<int>> expected(texts.size());
  for (std::size_t k = 0; k < texts.size(); ++k) one.match_text(texts[k], expected[k]);
  constexpr std::size_t kThreads = 4;
  std::vector<std::size_t> wrong(kThreads, 0);
  {
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        std::vector<int> hits;
        for (std::size_t j = 0; j < texts.size(); ++j) {
          const std::size_t k = (j + t * texts.size() / kThreads) % texts.size();  // each from its own start
          shared.match_text(texts[k], hits);
          wrong[t] += hits != expected[k];
        }
      });
    for (auto& th : threads) th.join();
  }
  for (std::size_t t = 0; t < kThreads; ++t) CHECK(wrong[t] == 0);
  std::size_t with_hits = 0;
  for (const auto& e : expected) with_hits += !e.empty();
  CHECK(with_hits > 50);
}

TEST_CASE("text rules without atoms: anchored ones only at the start, alternatives and quoting read right") {
  // Patterns too short for atoms run on every text, in a set searched anchored when every
  // match starts at the text's start. Each text below says which rules must match it.
  RuleSet set;
  set.add_text("t.rules",
               "family: boilerplate\ntarget: text\n\n"
               "[t.alt]\npattern: ^xy|zq\nexplain: x.\n\n"              // the second alternative is unanchored
               "[t.both]\npattern: ^rs|^tz\nexplain: x.\n\n"            // every alternative anchored
               "[t.class]\npattern: ^[|(]q\nexplain: x.\n\n"            // '|' and '(' inside a class
               "[t.group]\npattern: ^(p|w)v\nexplain: x.\n\n"           // '|' inside a group: anchored
               "[t.escape]\npattern: ^n\\|\nexplain: x.\n\n"            // an escaped '|'
               "[t.closes]\npattern: ^(k|j))|(m\nexplain: x.\n\n"       // closes the wrapper: an outer alternative
               "[t.posix]\npattern: ^[[:digit:](]|u\nexplain: x.\n\n"   // a POSIX class, then an alternative
               "[t.quoted]\npattern: ^\\Qe|\\E\nexplain: x.\n");        // \Q…\E: read conservatively
  const scrubtext::detail::CompiledRules filtered(set, true), unfiltered(set, false);
  auto ids = [&](std::string_view text) {
    std::vector<int> a, b;
    filtered.match_text(text, a);
    unfiltered.match_text(text, b);
    CHECK(a == b);
    std::set<std::string> out;
    for (int h : a) out.insert(filtered.rule(h).rule->id);
    return out;
  };
  using S = std::set<std::string>;
  CHECK(ids("xy then") == S{"t.alt"});
  CHECK(ids("at the end zq") == S{"t.alt"});
  CHECK(ids("a xy") == S{});
  CHECK(ids("rs then") == S{"t.both"});
  CHECK(ids("tz then") == S{"t.both"});
  CHECK(ids("a rs tz") == S{});
  CHECK(ids("(q") == S{"t.class", "t.posix"});
  CHECK(ids("|q") == S{"t.class"});
  CHECK(ids("a(q") == S{});
  CHECK(ids("wv") == S{"t.group"});
  CHECK(ids("a pv") == S{});
  CHECK(ids("n|") == S{"t.escape"});
  CHECK(ids("a n|") == S{});
  CHECK(ids("kk") == S{"t.closes"});
  CHECK(ids("a k") == S{});
  CHECK(ids("j") == S{"t.closes"});
  CHECK(ids("a m") == S{"t.closes"});
  CHECK(ids("7") == S{"t.posix"});
  CHECK(ids("((") == S{"t.posix"});
  CHECK(ids("a u") == S{"t.posix"});
  CHECK(ids("a 7") == S{});
  CHECK(ids("e|") == S{"t.quoted"});
  CHECK(ids("a e|") == S{});
}

TEST_CASE("attr rules match as each pattern alone would: every class token and id of the benchmark pages") {
  const auto shared = test::shared_dir();
  if (shared.empty()) {
    MESSAGE("../shared not found: attr prefilter equivalence skipped");
    return;
  }
  const RuleSet builtin = RuleSet::builtin();
  const scrubtext::detail::CompiledRules compiled(builtin);
  // The oracle: each attr rule's pattern compiled and run on its own.
  std::vector<std::pair<int, std::unique_ptr<re2::RE2>>> alone;
  for (std::size_t i = 0; i < builtin.rules().size(); ++i) {
    const scrubtext::Rule& r = builtin.rules()[i];
    if (r.target != "attr") continue;
    alone.emplace_back(static_cast<int>(i), std::make_unique<re2::RE2>(
                                                scrubtext::detail::wrap_pattern(r.pattern, r.case_sensitive, false)));
    REQUIRE(alone.back().second->ok());
  }
  REQUIRE(alone.size() >= 20);
  std::set<std::string> strings;  // "class=token" and "id=value", as html/blocks.cpp builds them
  for (const auto& e : std::filesystem::directory_iterator(shared / "bench/aeb/html")) {
    const std::string html = scrubtext::input::gunzip(test::read_file(e.path()), 1u << 30).data;
    for (const char* attr : {"class", "id"}) {
      const std::string open = std::string(" ") + attr + "=\"";
      for (std::size_t at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
        const std::size_t from = at + open.size(), to = html.find('"', from);
        if (to == std::string::npos || to - from > 200) continue;
        const std::string value = html.substr(from, to - from);
        if (std::string(attr) == "id") {
          strings.insert("id=" + value);
          continue;
        }
        std::size_t i = 0;
        while (i < value.size()) {
          while (i < value.size() && value[i] == ' ') ++i;
          std::size_t j = i;
          while (j < value.size() && value[j] != ' ') ++j;
          if (j > i) strings.insert("class=" + value.substr(i, j - i));
          i = j;
        }
      }
    }
  }
  REQUIRE(strings.size() > 10'000);
  std::vector<int> got, want;
  std::size_t with_hits = 0;
  for (const std::string& s : strings) {
    compiled.match_attr(s, got);
    std::sort(got.begin(), got.end());
    want.clear();
    for (const auto& [rule, re] : alone)
      if (re2::RE2::PartialMatch(s, *re)) want.push_back(rule);
    INFO(s);
    CHECK(got == want);
    with_hits += !want.empty();
  }
  MESSAGE(strings.size() << " attribute strings compared, " << with_hits << " with a rule hit");
  CHECK(with_hits > 100);
}
