// Language identification (src/lang/): script decisions, the n-gram model, "und",
// ill-formed input, mixed-language input, accuracy on a sample of the dev corpus, and the
// word cache (answers identical with and without it).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lang/identifier.h"
#include "lang/text.h"

using scrubtext::lang::Guess;
using scrubtext::lang::Identifier;

namespace {

const Identifier& id() { return Identifier::builtin(); }

std::string code(std::string_view text) { return id().identify(text).code; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Row {
  std::string lang, text;
};

std::vector<Row> read_tsv(const std::string& path) {
  std::vector<Row> rows;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    auto tab = line.find('\t');
    if (tab != std::string::npos) rows.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return rows;
}

std::string dev_dir() { return std::string(SCRUBTEXT_SHARED_DIR) + "/langid/dev"; }

bool have_dev() { return std::filesystem::exists(dev_dir() + "/short.tsv") && std::filesystem::exists(dev_dir() + "/long.tsv"); }

// Macro accuracy (%) over every `step`-th row.
double macro_accuracy(const std::vector<Row>& rows, std::size_t step, std::map<std::string, double>* per = nullptr) {
  std::map<std::string, std::pair<int, int>> count;
  for (std::size_t i = 0; i < rows.size(); i += step) {
    auto& c = count[rows[i].lang];
    c.second++;
    if (code(rows[i].text) == rows[i].lang) c.first++;
  }
  double sum = 0;
  for (auto& [lang, c] : count) {
    double a = 100.0 * c.first / c.second;
    if (per) (*per)[lang] = a;
    sum += a;
  }
  return count.empty() ? 0 : sum / static_cast<double>(count.size());
}

}  // namespace

TEST_CASE("the embedded model loads and covers the 39 languages") {
  REQUIRE(id().valid());
  auto langs = id().languages();
  for (const char* l : {"en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "ar", "fa", "tr",
                        "zh", "ja", "ko", "hi", "vi", "id", "sv", "da", "nb", "fi", "cs", "ro", "hu",
                        "el", "he", "th", "ca", "gl", "eu", "sk", "sl", "hr", "bg", "et", "lt", "lv"})
    CHECK_MESSAGE(std::find(langs.begin(), langs.end(), l) != langs.end(), l);
}

TEST_CASE("scripts of one language decide at once") {
  CHECK(code("안녕하세요, 만나서 반갑습니다") == "ko");
  CHECK(code("これは日本語の文章です。") == "ja");
  CHECK(code("設定ファイルを開けません") == "ja");  // Han with kana
  CHECK(code("สวัสดีครับ ยินดีต้อนรับ") == "th");
  CHECK(code("Καλημέρα σε όλους") == "el");
  CHECK(code("שלום לכולם, מה שלומכם") == "he");
  CHECK(code("Բարեւ ձեզ, ինչպես եք") == "hy");
  CHECK(code("გამარჯობა, როგორ ხარ") == "ka");
  CHECK(code("नमस्ते, आप कैसे हैं") == "hi");
  CHECK(code("Српски језик је један од словенских језика") == "sr");  // Cyrillic ј, љ, њ, ђ, ћ, џ
  CHECK(code("这是一个简体中文句子") == "zh");   // Han without kana
  CHECK(code("這是一個繁體中文句子") == "zh");
  Guess g = id().identify("안녕하세요, 만나서 반갑습니다");
  CHECK(g.confidence > 0.9);
  CHECK(g.confidence <= 1.0);
}

TEST_CASE("the n-gram model separates languages of one script") {
  CHECK(code("The cat is sleeping on the sofa while we are working") == "en");
  CHECK(code("Le chat dort sur le canapé pendant que nous travaillons") == "fr");
  CHECK(code("Die Katze schläft auf dem Sofa, während wir arbeiten") == "de");
  CHECK(code("El gato duerme en el sofá mientras nosotros trabajamos") == "es");
  CHECK(code("Il gatto dorme sul divano mentre noi lavoriamo") == "it");
  CHECK(code("O gato está dormindo no sofá enquanto nós trabalhamos") == "pt");
  CHECK(code("De kat slaapt op de bank terwijl wij werken") == "nl");
  CHECK(code("Kot śpi na kanapie, podczas gdy my pracujemy") == "pl");
  CHECK(code("Kedi biz çalışırken kanepede uyuyor") == "tr");
  CHECK(code("Con mèo đang ngủ trên ghế sofa trong khi chúng tôi làm việc") == "vi");
  CHECK(code("Kissa nukkuu sohvalla, kun me työskentelemme") == "fi");
  CHECK(code("A macska a kanapén alszik, amíg mi dolgozunk") == "hu");
  CHECK(code("Kočka spí na pohovce, zatímco my pracujeme") == "cs");
  CHECK(code("Вчера вечером мы ужинали у друзей недалеко от вокзала") == "ru");
  CHECK(code("Вчора ввечері ми вечеряли у друзів неподалік від вокзалу") == "uk");
  CHECK(code("Снощи вечеряхме при приятели близо до гарата") == "bg");
  CHECK(code("I går aftes spiste vi middag hos nogle venner nær stationen") == "da");
  CHECK(code("I går kveld spiste vi middag hos noen venner i nærheten av stasjonen") == "nb");
  CHECK(code("I går kväll åt vi middag hos några vänner nära stationen") == "sv");
  CHECK(code("Kemarin malam kami makan malam di rumah teman dekat stasiun") == "id");
  CHECK(code("Ahir a la nit vam sopar a casa d'uns amics a prop de l'estació") == "ca");
  CHECK(code("Vakar vakarā mēs vakariņojām pie draugiem netālu no stacijas") == "lv");
  CHECK(code("Vakar vakare vakarieniavome pas draugus netoli stoties") == "lt");
  CHECK(code("Eile õhtul sõime õhtusööki sõprade juures jaama lähedal") == "et");
  CHECK(code("Aseară am cenat la niște prieteni lângă gară") == "ro");
  CHECK(code("القطة نائمة على الأريكة بينما نحن نعمل في المكتب") == "ar");
  CHECK(code("گربه روی مبل خوابیده است در حالی که ما کار می‌کنیم") == "fa");
}

TEST_CASE("word_features: the keys of the padded-word definition, in the same order") {
  namespace d = scrubtext::lang::detail;
  // The definition (text.h): n-grams of orders 1..kMaxOrder over " w " by end position,
  // then by order, without the boundary alone; then the whole word when n + 2 > kMaxOrder.
  auto reference = [](const char32_t* w, std::size_t n) {
    std::vector<std::uint64_t> keys;
    const std::size_t len = n + 2;
    auto at = [&](std::size_t p) -> char32_t { return (p == 0 || p == len - 1) ? U' ' : w[p - 1]; };
    for (std::size_t end = 0; end < len; ++end) {
      std::uint64_t h = d::gram_seed();
      for (int order = 1; order <= d::kMaxOrder && static_cast<std::size_t>(order) <= end + 1; ++order) {
        h = d::gram_step(h, at(end + 1 - static_cast<std::size_t>(order)));
        if (order == 1 && (end == 0 || end == len - 1)) continue;
        keys.push_back(d::gram_key(h, order));
      }
    }
    if (n + 2 > static_cast<std::size_t>(d::kMaxOrder)) {
      std::uint64_t h = d::gram_seed();
      for (std::size_t i = n; i-- > 0;) h = d::gram_step(h, w[i]);
      keys.push_back(d::gram_key(h, 0));
    }
    return keys;
  };
  std::mt19937 rng(7);
  for (std::size_t n = 0; n <= d::kMaxWord; ++n) {
    for (int rep = 0; rep < 20; ++rep) {
      std::vector<char32_t> w(n + 1);
      for (auto& c : w) c = static_cast<char32_t>(U'a' + rng() % 5 + (rng() % 4 == 0 ? 0x400 : 0));
      std::vector<std::uint64_t> got;
      d::word_features(w.data(), n, d::kLatin, [&](std::uint64_t k) { got.push_back(k); });
      CHECK(got == reference(w.data(), n));
    }
  }
}

TEST_CASE("und for empty input, digits, symbols and too few letters") {
  for (const char* t : {"", "   ", "12345 678 90", "!!! ??? --- ...", "42 € / 3,5 %", "a", "x1", "\xEF\xBF\xBD\xEF\xBF\xBD"}) {
    Guess g = id().identify(t);
    CHECK_MESSAGE(g.code == "und", t);
    CHECK(g.confidence == 0.0);
  }
  auto top = id().identify_top("2024-01-01 12:00", 3);
  REQUIRE(top.size() == 1);
  CHECK(top[0].code == "und");
}

TEST_CASE("ill-formed UTF-8 never crashes and is ignored") {
  // Stray continuation bytes, truncated and overlong sequences, encoded surrogates, 0xFF.
  std::string bad = "Bonjour \xff\xfe tout le monde, \xc3 comment \xe2\x82 allez-vous \xed\xa0\x80 aujourd'hui "
                    "\xc0\xaf avec ce \x80\x80 temps magnifique ?";
  CHECK(code(bad) == "fr");
  std::mt19937 rng(12345);
  for (int i = 0; i < 2000; ++i) {
    std::string s(static_cast<std::size_t>(rng() % 200), '\0');
    for (auto& ch : s) ch = static_cast<char>(rng() & 0xFF);
    Guess g = id().identify(s);
    CHECK(g.confidence >= 0.0);
    CHECK(g.confidence <= 1.0);
    auto top = id().identify_top(s, 5);
    CHECK(!top.empty());
    CHECK(top.size() <= 5);
  }
  // A string_view into the middle of a multi-byte sequence.
  std::string s = "Größenänderung der Partition";
  for (std::size_t cut = 0; cut < s.size(); ++cut) (void)id().identify(std::string_view(s).substr(cut));
}

TEST_CASE("digits, URLs, U+FFFD and punctuation around the text do not matter") {
  CHECK(code("https://example.com/a/b?x=1 — Das ist ein kurzer deutscher Satz über Software, 2024") == "de");
  CHECK(code("\xEF\xBF\xBD\xEF\xBF\xBD Questo \xEF\xBF\xBD è un testo italiano 123 con caratteri sostitutivi") == "it");
  CHECK(code("ＦＵＬＬＷＩＤＴＨ letters are folded: this sentence is written in English") == "en");
  CHECK(code("  \t\n¿Dónde está la estación de tren más cercana?  ") == "es");
}

TEST_CASE("decomposed (NFD) text is read like composed text") {
  const std::string nfc = "Včera večer sme večerali u priateľov neďaleko stanice";
  const std::string caron = "\xcc\x8c";  // U+030C COMBINING CARON
  const std::string nfd = "Vc" + caron + "era vec" + caron + "er sme vec" + caron + "erali u priatel" + caron +
                          "ov ned" + caron + "aleko stanice";
  Guess a = id().identify(nfc), b = id().identify(nfd);
  CHECK(a.code == "sk");
  CHECK(b.code == a.code);
  CHECK(b.confidence == doctest::Approx(a.confidence));
}

TEST_CASE("acronyms and identifiers do not outweigh prose") {
  CHECK(code("Não foi possível instalar o GRUB nos dispositivos RAID") == "pt");
  CHECK(code("¿Realmente desea eliminar este dispositivo RAID software?") == "es");
  // With nothing but identifiers, they are still used.
  CHECK(code("DAS IST EIN SATZ IN GROSSBUCHSTABEN") == "de");
}

TEST_CASE("mixed-language input: the language of most of the text wins") {
  const std::string en =
      "The committee published its annual report on Tuesday, describing how the new rules changed the way "
      "small farms sell their produce at local markets and what the next steps should be. ";
  const std::string fr_chrome = "Accueil | Se connecter | Mentions légales | Tous droits réservés";
  CHECK(code(fr_chrome + "\n" + en + "\n" + fr_chrome) == "en");
  // Japanese with English product names, Chinese with Latin terms, Russian with English words.
  CHECK(code("Ubuntu のインストール方法について説明します") == "ja");
  CHECK(code("使用 Linux 内核的自由操作系统，包含 GNU 工具") == "zh");
  CHECK(code("Установите пакет Firefox и перезапустите систему после обновления") == "ru");
  // identify_top reports both halves of a text in two scripts.
  auto top = id().identify_top("Это предложение написано по-русски. This sentence is written in English.", 5);
  REQUIRE(top.size() >= 2);
  std::vector<std::string> codes;
  for (auto& g : top) codes.push_back(g.code);
  CHECK(std::find(codes.begin(), codes.end(), "ru") != codes.end());
  CHECK(std::find(codes.begin(), codes.end(), "en") != codes.end());
  double sum = 0;
  for (std::size_t i = 0; i < top.size(); ++i) {
    sum += top[i].confidence;
    if (i > 0) CHECK(top[i - 1].confidence >= top[i].confidence);
  }
  CHECK(sum <= 1.0 + 1e-9);
}

TEST_CASE("identify and identify_top agree") {
  for (const char* t : {"Le chat dort sur le canapé", "Kot śpi na kanapie", "Вчера вечером мы ужинали", "猫在沙发上睡觉"}) {
    auto top = id().identify_top(t, 3);
    REQUIRE(!top.empty());
    CHECK(top[0].code == id().identify(t).code);
    CHECK(top.size() <= 3);
  }
  CHECK(id().identify_top("Le chat dort", 0).empty());
}

TEST_CASE("an invalid model leaves script decisions working") {
  std::string error;
  std::string garbage(1000, 'x');
  Identifier bad(garbage, &error);
  CHECK_FALSE(bad.valid());
  CHECK(!error.empty());
  CHECK(bad.identify("The cat is sleeping on the sofa").code == "und");
  CHECK(bad.identify("안녕하세요, 만나서 반갑습니다").code == "ko");

  const std::string model = read_file(std::string(SCRUBTEXT_SOURCE_DIR) + "/rules/lang/model.bin");
  REQUIRE(model.size() > 1000);
  CHECK(model.size() <= 2u * 1024 * 1024);
  Identifier same(model);
  CHECK(same.valid());
  CHECK(same.identify("Kot śpi na kanapie, podczas gdy my pracujemy").code == "pl");
  for (std::size_t cut : {std::size_t{10}, std::size_t{100}, model.size() / 2, model.size() - 1}) {
    Identifier truncated(std::string_view(model).substr(0, cut));
    CHECK_FALSE(truncated.valid());
  }
}

TEST_CASE("thread safety: concurrent calls give the single-threaded answers") {
  const std::vector<std::string> texts = {"The cat is sleeping on the sofa", "Le chat dort sur le canapé",
                                          "Вчера вечером мы ужинали", "これは日本語です", "Kot śpi na kanapie"};
  std::vector<std::string> expected;
  for (auto& t : texts) expected.push_back(code(t));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        std::size_t k = static_cast<std::size_t>(i + t) % texts.size();
        if (code(texts[k]) != expected[k]) mismatches[static_cast<std::size_t>(t)]++;
      }
    });
  for (auto& th : threads) th.join();
  for (int m : mismatches) CHECK(m == 0);
}

TEST_CASE("accuracy on a sample of the dev corpus") {
  if (!have_dev()) {
    MESSAGE("skipped: " << dev_dir() << " not found");
    return;
  }
  const auto shorts = read_tsv(dev_dir() + "/short.tsv");
  const auto longs = read_tsv(dev_dir() + "/long.tsv");
  REQUIRE(shorts.size() > 1000);
  REQUIRE(longs.size() > 1000);
  // Every 3rd row. Measured with the committed model: short 97.9 %, long 100 % (see
  // docs/langid.md for the full run); the floors leave room for retraining noise.
  std::map<std::string, double> per_short;
  const double acc_short = macro_accuracy(shorts, 3, &per_short);
  const double acc_long = macro_accuracy(longs, 3);
  MESSAGE("dev sample macro accuracy: short " << acc_short << " %, long " << acc_long << " %");
  CHECK(acc_short >= 96.0);
  CHECK(acc_long >= 99.3);
  for (const char* l : {"en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "ar", "fa", "tr", "zh", "ja",
                        "ko", "hi", "vi", "sv", "fi", "cs", "ro", "hu", "el", "he", "th"})
    CHECK_MESSAGE(per_short[l] >= 85.0, l << " " << per_short[l]);
  for (const char* l : {"da", "nb", "id"}) CHECK_MESSAGE(per_short[l] >= 75.0, l << " " << per_short[l]);
}

TEST_CASE("an article inside chrome of another language keeps the article's language") {
  if (!have_dev()) {
    MESSAGE("skipped: " << dev_dir() << " not found");
    return;
  }
  const auto longs = read_tsv(dev_dir() + "/long.tsv");
  // Chrome strings (navigation, cookie notice, footer) in one language around a dev text
  // of another.
  const std::map<std::string, std::string> chrome = {
      {"fr", "Accueil · Actualités · Se connecter · Nous utilisons des cookies pour améliorer votre expérience. "
             "Accepter · Refuser · Mentions légales · Tous droits réservés"},
      {"en", "Home · News · Sign in · We use cookies to improve your experience. Accept · Reject · "
             "Privacy policy · All rights reserved"},
      {"de", "Startseite · Nachrichten · Anmelden · Wir verwenden Cookies, um Ihr Erlebnis zu verbessern. "
             "Akzeptieren · Ablehnen · Impressum · Alle Rechte vorbehalten"},
  };
  int total = 0, ok = 0;
  std::map<std::string, int> seen;
  for (const auto& row : longs) {
    // Five texts per language of at least twice the chrome's length: a single text where
    // the chrome outweighs the article is the chrome's (pages are judged block by block).
    if (row.text.size() < 400 || seen[row.lang]++ >= 5) continue;
    for (const auto& [clang, c] : chrome) {
      if (clang == row.lang) continue;
      ++total;
      if (code(c + "\n" + row.text) == row.lang) ++ok;
    }
  }
  MESSAGE("article-in-chrome: " << ok << " / " << total);
  CHECK(ok >= total * 97 / 100);
}

namespace {

using scrubtext::lang::WordCache;

// Runs every text through `ident` without a cache and then with `cache` (kept across the
// texts, so later texts meet words of earlier ones) and counts the answers that differ in
// code or in confidence (compared exactly: the cached sums are the same integers).
int cache_mismatches(const Identifier& ident, const std::vector<std::string>& texts, WordCache& cache) {
  int mismatches = 0;
  for (const auto& t : texts) {
    const Guess plain = ident.identify(t);
    const Guess cached = ident.identify(t, &cache);
    if (cached.code != plain.code || cached.confidence != plain.confidence) {
      if (mismatches == 0)
        MESSAGE("first mismatch: " << plain.code << " " << plain.confidence << " vs " << cached.code << " "
                                   << cached.confidence << " for: " << t.substr(0, 200));
      ++mismatches;
    }
  }
  return mismatches;
}

// Texts that share words with each other and with themselves, in the scripts the n-gram
// model scores and around them.
std::vector<std::string> cache_texts() {
  std::vector<std::string> texts = {
      "The cat is sleeping on the sofa while we are working",
      "The cat is sleeping. The cat is sleeping. The dog is not.",
      "Le chat dort sur le canapé pendant que nous travaillons",
      "Le chat dort sur le cana\u0301pe\u0301 pendant que nous travaillons",  // decomposed é
      "Die Katze schläft auf dem Sofa, während wir arbeiten",
      "Kot śpi na kanapie, podczas gdy my pracujemy",
      "Con mèo đang ngủ trên ghế sofa trong khi chúng tôi làm việc",
      "I går kveld spiste vi middag hos noen venner i nærheten av stasjonen",
      "I går aftes spiste vi middag hos nogle venner nær stationen",
      "Вчера вечером мы ужинали у друзей недалеко от вокзала",
      "Вчора ввечері ми вечеряли у друзів неподалік від вокзалу",
      "Снощи вечеряхме при приятели близо до гарата",
      "Српски језик је један од словенских језика",
      "Љубав и њежност, ђак и ћерка, џем и јабука",
      "језик језик језик вечером вокзала",  // Serbian letters among Russian words
      "Ќерка и ѓаволот гледаат ѕвезда",      // Macedonian letters
      "القطة نائمة على الأريكة بينما نحن نعمل",
      "گربه روی مبل خوابیده است در حالی که ما کار می‌کنیم",
      "القطة نائمة The cat is sleeping Вчера вечером",  // three scored scripts
      "这是一个简体中文句子 The cat 这是",
      "これは日本語の文章です。The cat",
      "안녕하세요, 만나서 반갑습니다 cat",
      "ownCloud",
      "RAID GRUB MPlayer ownCloud",
      "Install ownCloud on RAID with GRUB and MPlayer",
      "ownCloud RAID Вчера вечером",
      "¿Dónde está la estación? «Bonjour» „Hallo“ · 、",
      std::string(100, 'a') + " " + std::string(49, 'b'),  // letter runs cut into pieces
      "2024-01-01 12:00 https://example.com/a/b?c=d",
      "",
      "ab",
  };
  // Above the sampling threshold (every other word is scored): the cache must not shift
  // which words are scored.
  std::string long_en, long_mixed;
  while (long_en.size() < 2000) long_en += "The cat is sleeping on the sofa while we are working at home. ";
  for (int i = 0; i < 20; ++i) long_mixed += "Вчера вечером мы ужинали The cat is sleeping Le chat dort ";
  texts.push_back(long_en);
  texts.push_back(long_mixed);
  texts.push_back(long_en.substr(1));  // the same words, one letter off at the start
  // Above the limit of scored words.
  std::string huge;
  for (int i = 0; i < 25000; ++i) huge += i % 3 ? "chat " : "maison ";
  texts.push_back(huge);
  // Every text once more: now all its words are in the cache.
  const std::size_t n = texts.size();
  for (std::size_t i = 0; i < n; ++i) texts.push_back(texts[i]);
  return texts;
}

std::vector<std::string> dev_texts(const std::string& file, std::size_t step) {
  std::vector<std::string> texts;
  const auto rows = read_tsv(dev_dir() + "/" + file);
  for (std::size_t i = 0; i < rows.size(); i += step) texts.push_back(rows[i].text);
  return texts;
}

}  // namespace

TEST_CASE("a word cache shared across calls gives exactly the uncached answers") {
  WordCache cache;
  CHECK(cache.size() == 0);
  const auto texts = cache_texts();
  CHECK(cache_mismatches(id(), texts, cache) == 0);
  const std::size_t held = cache.size();
  CHECK(held > 50);
  CHECK(held <= WordCache::kDefaultMaxWords);
  CHECK(cache_mismatches(id(), texts, cache) == 0);  // every word from the cache
  CHECK(cache.size() == held);
}

TEST_CASE("a word cache gives exactly the uncached answers on the dev corpus") {
  if (!have_dev()) {
    MESSAGE("skipped: " << dev_dir() << " not found");
    return;
  }
#ifdef SCRUBTEXT_SANITIZED
  const std::size_t step = 7;
#else
  const std::size_t step = 1;
#endif
  const auto shorts = dev_texts("short.tsv", step);
  const auto longs = dev_texts("long.tsv", step);
  REQUIRE(shorts.size() > 1000 / step);
  // One cache for both files, large enough for all their words, and one with the default
  // bound, which fills up early in the long texts (39 languages).
  WordCache large(std::size_t{1} << 20);
  CHECK(cache_mismatches(id(), shorts, large) == 0);
  CHECK(cache_mismatches(id(), longs, large) == 0);
  CHECK(cache_mismatches(id(), shorts, large) == 0);  // all words held now
  CHECK(large.size() > WordCache::kDefaultMaxWords);
  WordCache bounded;
  CHECK(cache_mismatches(id(), longs, bounded) == 0);
  CHECK(cache_mismatches(id(), shorts, bounded) == 0);
  CHECK(bounded.size() == WordCache::kDefaultMaxWords);
}

TEST_CASE("a full word cache stops remembering and still gives the uncached answers") {
  const auto texts = cache_texts();
  for (std::size_t bound : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{128}, std::size_t{129}}) {
    WordCache cache(bound);
    CHECK(cache.max_words() == bound);
    CHECK_MESSAGE(cache_mismatches(id(), texts, cache) == 0, bound);
    CHECK_MESSAGE(cache.size() == bound, bound);  // the texts have more distinct words
  }
}

TEST_CASE("a word cache follows the identifier it is handed to, and moves") {
  const std::string model = read_file(std::string(SCRUBTEXT_SOURCE_DIR) + "/rules/lang/model.bin");
  Identifier other(model);
  REQUIRE(other.valid());
  std::string error;
  Identifier bad(std::string(1000, 'x'), &error);
  REQUIRE_FALSE(bad.valid());
  const auto texts = cache_texts();
  WordCache cache;
  CHECK(cache_mismatches(id(), texts, cache) == 0);
  const std::size_t held = cache.size();
  CHECK(cache_mismatches(other, texts, cache) == 0);  // starts over for `other`
  CHECK(cache.size() == held);
  CHECK(cache_mismatches(bad, texts, cache) == 0);  // no model: nothing scored
  CHECK(cache_mismatches(id(), texts, cache) == 0);

  WordCache moved(std::move(cache));
  CHECK(moved.size() == held);
  CHECK(cache.size() == 0);  // a moved-from cache is empty
  CHECK(cache_mismatches(id(), texts, cache) == 0);
  CHECK(cache_mismatches(id(), texts, moved) == 0);
  cache = std::move(moved);
  CHECK(cache.size() == held);
  CHECK(cache_mismatches(id(), texts, cache) == 0);
}
