// The C interface (include/scrubtext.h): results match the C++ API, and every error path
// (NULL arguments, bad rules, invalid UTF-8, out-of-range values) returns its code and a
// message without crashing or leaking. Runs under ASan/UBSan in CI.
#include <scrubtext.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "scrubtext/scrubtext.h"
#include "support.h"

namespace {

const std::string kTitle = "Coalition urges telecom operator to publish every government shutdown order";

std::string sample() { return test::read_file(test::source_dir() / "testdata" / "sample" / "advocacy-page.html"); }

// One cleaner for the suite: building compiles every rule.
const scrubtext_cleaner* shared_cleaner() {
  static scrubtext_cleaner* cleaner = [] {
    scrubtext_cleaner* c = nullptr;
    REQUIRE(scrubtext_cleaner_new(nullptr, &c) == SCRUBTEXT_OK);
    return c;
  }();
  return cleaner;
}

struct Doc {
  scrubtext_document* d = nullptr;
  ~Doc() { scrubtext_document_free(d); }
};

std::string last_error() { return scrubtext_last_error(); }

const std::string kMyRules =
    "family: chrome\ntarget: line\nlang: *\n\n"
    "[chrome.test.zorblax]\npattern: zorblax\nexplain: A test label.\n";

const std::string kTextPage =
    "A headline for the test article about rivers\n\n"
    "The river rose by two metres overnight, and the town council met at dawn to decide what to do next.\n\n"
    "ZORBLAX\n\n"
    "Volunteers filled sandbags until noon, while the fire brigade pumped water out of the old mill.\n";

}  // namespace

TEST_CASE("version: the library reports the version of the headers") {
  CHECK(std::string(scrubtext_version()) == SCRUBTEXT_VERSION_STRING);
  CHECK(std::string(scrubtext::version()) == SCRUBTEXT_VERSION_STRING);
  CHECK(scrubtext_version_number() ==
        SCRUBTEXT_VERSION_MAJOR * 10000 + SCRUBTEXT_VERSION_MINOR * 100 + SCRUBTEXT_VERSION_PATCH);
}

TEST_CASE("clean: the sample page gives the same result as the C++ API") {
  const std::string page = sample();
  Doc doc;
  REQUIRE(scrubtext_clean(shared_cleaner(), page.data(), page.size(), "advocacy-page.html", nullptr, nullptr, &doc.d) ==
          SCRUBTEXT_OK);
  CHECK(last_error().empty());
  CHECK(scrubtext_document_status(doc.d) == SCRUBTEXT_STATUS_OK);
  CHECK(scrubtext_document_error(doc.d) == nullptr);
  REQUIRE(scrubtext_document_title(doc.d) != nullptr);
  CHECK(scrubtext_document_title(doc.d) == kTitle);
  CHECK(std::string(scrubtext_document_field(doc.d, SCRUBTEXT_FIELD_DATE_PUBLISHED)).rfind("2023-11-14", 0) == 0);
  CHECK(std::string(scrubtext_document_field(doc.d, SCRUBTEXT_FIELD_LANGUAGE)) == "en");
  CHECK(std::string(scrubtext_document_field(doc.d, SCRUBTEXT_FIELD_SOURCE)) == "advocacy-page.html");
  CHECK(std::string(scrubtext_document_field(doc.d, SCRUBTEXT_FIELD_INPUT_KIND)) == "html");
  CHECK(scrubtext_document_language_confidence(doc.d) > 0.5);
  REQUIRE(scrubtext_document_language_count(doc.d) >= 1);
  double share = -1;
  CHECK(std::string(scrubtext_document_language_at(doc.d, 0, &share)) == "en");
  CHECK(share > 0.5);
  CHECK(scrubtext_document_language_at(doc.d, 99, &share) == nullptr);

  const scrubtext::Cleaner cxx;
  const scrubtext::Document expected = cxx.clean(page, {.name = "advocacy-page.html"});
  CHECK(std::string(scrubtext_document_text(doc.d)) == expected.text);
  std::size_t removed = 0;
  for (const auto& b : expected.blocks) removed += b.kept ? 0 : 1;
  CHECK(scrubtext_document_removed_count(doc.d) == removed);

  bool consent = false;
  for (std::size_t i = 0; i < scrubtext_document_removed_count(doc.d); ++i) {
    const char *rule = nullptr, *family = nullptr, *text = nullptr;
    REQUIRE(scrubtext_document_removed_at(doc.d, i, &rule, &family, &text) == SCRUBTEXT_OK);
    REQUIRE(rule != nullptr);
    REQUIRE(family != nullptr);
    REQUIRE(text != nullptr);
    consent = consent || std::string(family) == "consent";
  }
  CHECK(consent);

  char* json = nullptr;
  std::size_t len = 0;
  REQUIRE(scrubtext_document_render(doc.d, SCRUBTEXT_FORMAT_JSON, 0, &json, &len) == SCRUBTEXT_OK);
  CHECK(std::string(json, len) == scrubtext::render(expected, scrubtext::Format::Json));
  CHECK(std::strlen(json) == len);
  scrubtext_string_free(json);
  char* text = nullptr;
  REQUIRE(scrubtext_document_render(doc.d, SCRUBTEXT_FORMAT_TEXT, 0, &text, nullptr) == SCRUBTEXT_OK);
  CHECK(std::string(text).rfind(kTitle + "\n\n", 0) == 0);
  scrubtext_string_free(text);
}

TEST_CASE("clean: name, url and charset are passed through") {
  const std::string page = "<html><body><h1>Headline of a page without a canonical link</h1>"
                           "<p>A paragraph long enough to be kept as the article body of this page.</p></body></html>";
  Doc doc;
  REQUIRE(scrubtext_clean(shared_cleaner(), page.data(), page.size(), "n.html", "https://example.org/a", "windows-1252",
                          &doc.d) == SCRUBTEXT_OK);
  CHECK(std::string(scrubtext_document_field(doc.d, SCRUBTEXT_FIELD_URL)) == "https://example.org/a");
  CHECK(std::string(scrubtext_document_field(doc.d, SCRUBTEXT_FIELD_SOURCE)) == "n.html");
  CHECK(scrubtext_document_field(doc.d, SCRUBTEXT_FIELD_DESCRIPTION) == nullptr);
  CHECK(scrubtext_document_field(doc.d, SCRUBTEXT_FIELD_AUTHOR) == nullptr);
}

TEST_CASE("clean: refused pages are documents with a status, not call errors") {
  Doc empty;
  REQUIRE(scrubtext_clean(shared_cleaner(), nullptr, 0, nullptr, nullptr, nullptr, &empty.d) == SCRUBTEXT_OK);
  CHECK(scrubtext_document_status(empty.d) == SCRUBTEXT_STATUS_EMPTY);
  CHECK(std::string(scrubtext_status_name(scrubtext_document_status(empty.d))) == "empty");
  REQUIRE(scrubtext_document_error(empty.d) != nullptr);
  CHECK(std::string(scrubtext_document_text(empty.d)).empty());
  CHECK(scrubtext_document_title(empty.d) == nullptr);

  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(512, '\0');
  Doc binary;
  REQUIRE(scrubtext_clean(shared_cleaner(), png.data(), png.size(), "x.png", nullptr, nullptr, &binary.d) ==
          SCRUBTEXT_OK);
  CHECK(scrubtext_document_status(binary.d) == SCRUBTEXT_STATUS_BINARY);

  char* json = nullptr;
  REQUIRE(scrubtext_document_render(binary.d, SCRUBTEXT_FORMAT_JSON, 1, &json, nullptr) == SCRUBTEXT_OK);
  CHECK(std::string(json).find("\"binary\"") != std::string::npos);
  scrubtext_string_free(json);
}

TEST_CASE("clean: invalid UTF-8 inside the page is decoded, not an error") {
  const std::string page = "A headline for a page with broken bytes in it\n\n"
                           "This paragraph has a broken byte \xff\xfe right here, and it is long enough to keep.\n";
  Doc doc;
  REQUIRE(scrubtext_clean(shared_cleaner(), page.data(), page.size(), nullptr, nullptr, "UTF-8", &doc.d) == SCRUBTEXT_OK);
  CHECK(scrubtext_document_status(doc.d) == SCRUBTEXT_STATUS_OK);
  CHECK(scrubtext_document_invalid_bytes(doc.d) >= 1);
  CHECK(std::string(scrubtext_document_text(doc.d)).find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD
}

TEST_CASE("errors: NULL arguments") {
  const std::string page = sample();
  int sentinel = 0;
  scrubtext_document* doc = reinterpret_cast<scrubtext_document*>(&sentinel);  // must be overwritten with NULL
  CHECK(scrubtext_clean(nullptr, page.data(), page.size(), nullptr, nullptr, nullptr, &doc) ==
        SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(doc == nullptr);
  CHECK(last_error() == "scrubtext_clean: cleaner is NULL");
  CHECK(scrubtext_clean(shared_cleaner(), nullptr, 5, nullptr, nullptr, nullptr, &doc) == SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(last_error().find("bytes") != std::string::npos);
  CHECK(scrubtext_clean(shared_cleaner(), page.data(), page.size(), nullptr, nullptr, nullptr, nullptr) ==
        SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(scrubtext_cleaner_new(nullptr, nullptr) == SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(std::string(scrubtext_error_name(SCRUBTEXT_ERR_NULL_ARGUMENT)) == "null-argument");

  CHECK(scrubtext_options_add_rules(nullptr, "x") == SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(scrubtext_options_add_rules_text(nullptr, "x", "", 0) == SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(scrubtext_options_clear_rules(nullptr) == SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(scrubtext_options_set_input(nullptr, SCRUBTEXT_INPUT_HTML) == SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(scrubtext_options_set_limit(nullptr, SCRUBTEXT_LIMIT_NODES, 5) == SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(scrubtext_options_set_keep_removed_blocks(nullptr, 1) == SCRUBTEXT_ERR_NULL_ARGUMENT);

  // Accessors on NULL return nothing; free functions accept NULL.
  CHECK(scrubtext_document_status(nullptr) == SCRUBTEXT_STATUS_NULL);
  CHECK(std::string(scrubtext_status_name(SCRUBTEXT_STATUS_NULL)) == "null");
  CHECK(scrubtext_document_text(nullptr) == nullptr);
  CHECK(scrubtext_document_field(nullptr, SCRUBTEXT_FIELD_TITLE) == nullptr);
  CHECK(scrubtext_document_removed_count(nullptr) == 0);
  CHECK(scrubtext_document_language_count(nullptr) == 0);
  CHECK(scrubtext_document_language_at(nullptr, 0, nullptr) == nullptr);
  CHECK(scrubtext_document_invalid_bytes(nullptr) == 0);
  CHECK(scrubtext_document_truncated(nullptr) == 0);
  CHECK(scrubtext_document_language_confidence(nullptr) == 0.0);
  const char* rule = "x";
  CHECK(scrubtext_document_removed_at(nullptr, 0, &rule, nullptr, nullptr) == SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(rule == nullptr);
  char* out = reinterpret_cast<char*>(&rule);
  CHECK(scrubtext_document_render(nullptr, SCRUBTEXT_FORMAT_JSON, 0, &out, nullptr) == SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(out == nullptr);
  scrubtext_document_free(nullptr);
  scrubtext_cleaner_free(nullptr);
  scrubtext_options_free(nullptr);
  scrubtext_string_free(nullptr);
}

TEST_CASE("errors: invalid UTF-8 in string arguments") {
  const std::string page = sample();
  scrubtext_document* doc = nullptr;
  for (const char* bad : {"\xff", "caf\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
    CAPTURE(bad);
    CHECK(scrubtext_clean(shared_cleaner(), page.data(), page.size(), bad, nullptr, nullptr, &doc) ==
          SCRUBTEXT_ERR_INVALID_UTF8);
    CHECK(doc == nullptr);
    CHECK(last_error() == "scrubtext_clean: name is not valid UTF-8");
  }
  CHECK(scrubtext_clean(shared_cleaner(), page.data(), page.size(), nullptr, "https://\xfe", nullptr, &doc) ==
        SCRUBTEXT_ERR_INVALID_UTF8);
  CHECK(last_error() == "scrubtext_clean: url is not valid UTF-8");
  CHECK(scrubtext_clean(shared_cleaner(), page.data(), page.size(), nullptr, nullptr, "utf\x80", &doc) ==
        SCRUBTEXT_ERR_INVALID_UTF8);
  // Valid multi-byte names pass.
  Doc ok;
  CHECK(scrubtext_clean(shared_cleaner(), page.data(), page.size(), "caf\xc3\xa9-\xf0\x9f\x8d\xb5.html", nullptr,
                        nullptr, &ok.d) == SCRUBTEXT_OK);
  CHECK(std::string(scrubtext_document_field(ok.d, SCRUBTEXT_FIELD_SOURCE)) == "caf\xc3\xa9-\xf0\x9f\x8d\xb5.html");

  scrubtext_options* opts = scrubtext_options_new();
  REQUIRE(opts != nullptr);
  const std::string bad_rules = kMyRules + "# \xff\n";
  CHECK(scrubtext_options_add_rules_text(opts, "mine.rules", bad_rules.data(), bad_rules.size()) ==
        SCRUBTEXT_ERR_INVALID_UTF8);
  CHECK(scrubtext_options_add_rules_text(opts, "mine\xff", kMyRules.data(), kMyRules.size()) ==
        SCRUBTEXT_ERR_INVALID_UTF8);
  scrubtext_options_free(opts);
}

TEST_CASE("errors: bad rules give file:line messages and leave the options usable") {
  scrubtext_options* opts = scrubtext_options_new();
  REQUIRE(opts != nullptr);
  const std::string broken = "family: chrome\ntarget: line\n\n[chrome.broken]\npattern: (unclosed\nexplain: Broken.\n";
  CHECK(scrubtext_options_add_rules_text(opts, "broken.rules", broken.data(), broken.size()) == SCRUBTEXT_ERR_RULES);
  CHECK(last_error().rfind("broken.rules:4: ", 0) == 0);
  CHECK(last_error().find("invalid pattern") != std::string::npos);
  CHECK(std::string(scrubtext_error_name(SCRUBTEXT_ERR_RULES)) == "rules");

  const std::string unknown_key = "family: chrome\ntarget: line\n\n[chrome.x]\ncolour: red\n";
  CHECK(scrubtext_options_add_rules_text(opts, nullptr, unknown_key.data(), unknown_key.size()) == SCRUBTEXT_ERR_RULES);
  CHECK(last_error().rfind("<text>:5: ", 0) == 0);

  CHECK(scrubtext_options_add_rules(opts, "/nonexistent/scrubtext-rules") == SCRUBTEXT_ERR_RULES);
  CHECK(last_error().find("/nonexistent/scrubtext-rules:0: ") == 0);

  // A duplicate of a built-in rule id.
  const std::string dup = "family: chrome\ntarget: line\nlang: en\n\n[chrome.action.en]\npattern: x\nexplain: Dup.\n";
  CHECK(scrubtext_options_add_rules_text(opts, "dup.rules", dup.data(), dup.size()) == SCRUBTEXT_ERR_RULES);
  CHECK(last_error().find("duplicate rule id") != std::string::npos);

  // Nothing was added by the failures: the cleaner builds and works.
  scrubtext_cleaner* cleaner = nullptr;
  REQUIRE(scrubtext_cleaner_new(opts, &cleaner) == SCRUBTEXT_OK);
  CHECK(last_error().empty());
  scrubtext_cleaner_free(cleaner);
  scrubtext_options_free(opts);
}

TEST_CASE("options: user rules, from text and from a directory, remove what they match") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("scrubtext-capi-" + std::to_string(::getpid()));
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "sub" / "mine.rules") << kMyRules;

  for (const bool from_dir : {false, true}) {
    CAPTURE(from_dir);
    scrubtext_options* opts = scrubtext_options_new();
    REQUIRE(opts != nullptr);
    if (from_dir) REQUIRE(scrubtext_options_add_rules(opts, dir.c_str()) == SCRUBTEXT_OK);
    else REQUIRE(scrubtext_options_add_rules_text(opts, "mine.rules", kMyRules.data(), kMyRules.size()) == SCRUBTEXT_OK);
    REQUIRE(scrubtext_options_set_input(opts, SCRUBTEXT_INPUT_TEXT) == SCRUBTEXT_OK);
    scrubtext_cleaner* cleaner = nullptr;
    REQUIRE(scrubtext_cleaner_new(opts, &cleaner) == SCRUBTEXT_OK);
    scrubtext_options_free(opts);  // the cleaner does not need them any more

    Doc doc;
    REQUIRE(scrubtext_clean(cleaner, kTextPage.data(), kTextPage.size(), nullptr, nullptr, nullptr, &doc.d) ==
            SCRUBTEXT_OK);
    CHECK(std::string(scrubtext_document_text(doc.d)).find("ZORBLAX") == std::string::npos);
    bool found = false;
    for (std::size_t i = 0; i < scrubtext_document_removed_count(doc.d); ++i) {
      const char *rule = nullptr, *family = nullptr, *text = nullptr;
      REQUIRE(scrubtext_document_removed_at(doc.d, i, &rule, &family, &text) == SCRUBTEXT_OK);
      if (std::string(rule) == "chrome.test.zorblax") {
        found = true;
        CHECK(std::string(family) == "chrome");
        CHECK(std::string(text) == "ZORBLAX");
      }
    }
    CHECK(found);
    const char* rule = "x";
    CHECK(scrubtext_document_removed_at(doc.d, scrubtext_document_removed_count(doc.d), &rule, nullptr, nullptr) ==
          SCRUBTEXT_ERR_INVALID_ARGUMENT);
    CHECK(rule == nullptr);
    scrubtext_cleaner_free(cleaner);  // the document outlives its cleaner
    CHECK(std::string(scrubtext_document_field(doc.d, SCRUBTEXT_FIELD_INPUT_KIND)) == "text");
  }
  fs::remove_all(dir);
}

TEST_CASE("options: clear_rules, limits, removed blocks, input kind") {
  scrubtext_options* opts = scrubtext_options_new();
  REQUIRE(opts != nullptr);
  CHECK(scrubtext_options_set_limit(opts, SCRUBTEXT_LIMIT_INPUT_BYTES, 0) == SCRUBTEXT_ERR_INVALID_ARGUMENT);
  CHECK(last_error() == "scrubtext_options_set_limit: a limit must be positive");
  // Unknown enum values (as a C caller may pass) are rejected. Only values inside the C++
  // enum's range can be formed here; tests/e2e/install.py passes arbitrary ints via ctypes.
  CHECK(scrubtext_options_set_input(opts, static_cast<scrubtext_input>(3)) == SCRUBTEXT_ERR_INVALID_ARGUMENT);
  CHECK(last_error() == "scrubtext_options_set_input: unknown input kind");
  CHECK(scrubtext_options_set_limit(opts, SCRUBTEXT_LIMIT_INPUT_BYTES, 100) == SCRUBTEXT_OK);
  CHECK(scrubtext_options_set_keep_removed_blocks(opts, 0) == SCRUBTEXT_OK);
  CHECK(scrubtext_options_clear_rules(opts) == SCRUBTEXT_OK);
  scrubtext_cleaner* cleaner = nullptr;
  REQUIRE(scrubtext_cleaner_new(opts, &cleaner) == SCRUBTEXT_OK);
  scrubtext_options_free(opts);

  const std::string page = sample();
  Doc big;
  REQUIRE(scrubtext_clean(cleaner, page.data(), page.size(), nullptr, nullptr, nullptr, &big.d) == SCRUBTEXT_OK);
  CHECK(scrubtext_document_status(big.d) == SCRUBTEXT_STATUS_TOO_LARGE);
  CHECK(std::string(scrubtext_document_error(big.d)).find("100") != std::string::npos);

  Doc small;
  const std::string tiny = "A headline for a short page\n\nA paragraph that is the whole body of it.\n";
  REQUIRE(scrubtext_clean(cleaner, tiny.data(), tiny.size(), nullptr, nullptr, nullptr, &small.d) == SCRUBTEXT_OK);
  CHECK(scrubtext_document_status(small.d) == SCRUBTEXT_STATUS_OK);
  CHECK(scrubtext_document_removed_count(small.d) == 0);
  scrubtext_cleaner_free(cleaner);

  Doc doc;
  REQUIRE(scrubtext_clean(shared_cleaner(), page.data(), page.size(), nullptr, nullptr, nullptr, &doc.d) ==
          SCRUBTEXT_OK);
  CHECK(scrubtext_document_render(doc.d, SCRUBTEXT_FORMAT_JSON, 0, nullptr, nullptr) == SCRUBTEXT_ERR_NULL_ARGUMENT);
  CHECK(std::string(scrubtext_error_name(static_cast<scrubtext_error>(7))) == "unknown");
  CHECK(std::string(scrubtext_status_name(static_cast<scrubtext_status>(7))) == "unknown");
}

TEST_CASE("threads: one cleaner, many threads; the last error is per thread") {
  const std::string page = sample();
  std::vector<std::string> titles(4);
  std::vector<std::string> errors(4);
  {
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < titles.size(); ++t) {
      workers.emplace_back([&, t] {
        scrubtext_document* doc = nullptr;
        if (t % 2) {  // odd threads fail first, then succeed: their own message is cleared
          scrubtext_clean(nullptr, nullptr, 0, nullptr, nullptr, nullptr, &doc);
          errors[t] = scrubtext_last_error();
        }
        if (scrubtext_clean(shared_cleaner(), page.data(), page.size(), nullptr, nullptr, nullptr, &doc) == SCRUBTEXT_OK) {
          if (const char* title = scrubtext_document_title(doc)) titles[t] = title;
        }
        if (!t) errors[t] = scrubtext_last_error();
        scrubtext_document_free(doc);
      });
    }
    for (auto& w : workers) w.join();
  }
  for (std::size_t t = 0; t < titles.size(); ++t) {
    CAPTURE(t);
    CHECK(titles[t] == kTitle);
    CHECK(errors[t] == (t % 2 ? "scrubtext_clean: cleaner is NULL" : ""));
  }
}
