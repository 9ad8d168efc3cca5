// The two seed documents: the smallest version of the whole job.
#include <sstream>
#include <vector>

#include "scrubtext/scrubtext.h"
#include "support.h"

namespace {

std::vector<std::string> nonempty_lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line))
    if (!test::squash_spaces(line).empty()) out.push_back(test::squash_spaces(line));
  return out;
}

}  // namespace

TEST_CASE("seed 001: the scraped page comes out as headline + letter, nothing else") {
  const auto shared = test::shared_dir();
  if (shared.empty()) {
    MESSAGE("../shared not found: seed test skipped");
    return;
  }
  const std::string page = test::read_file(shared / "seeds/001_scraped_page.txt");
  const scrubtext::Cleaner cleaner;
  const scrubtext::Document doc = cleaner.clean(page, {.name = "001"});
  REQUIRE(doc.status == scrubtext::Status::Ok);
  CHECK(doc.input_kind == "text");
  REQUIRE(doc.metadata.title);
  CHECK(*doc.metadata.title == "CSOs send letter to Amazon Web Services about hosting the HART biometric database");
  CHECK(doc.metadata.date_published == "2022-05-24");
  const std::string text = test::squash_spaces(doc.text);
  // Every sentence of the letter, and the quoted letter title with its date.
  for (const char* keep : {
           "\"Letter to AWS re hosting of HART biometric database\", 24 May 2022",
           "We the undersigned human rights, immigrant rights, and digital rights organizations write to express our urgent concerns",
           "According to a new report from immigrant rights groups, DHS will rely on AWS to host this new database",
           "HART... will aggregate data from U.S. federal agencies, local and state police, and foreign governments.",
           "including unsubstantiated information on people’s relationships, physical characteristics, religion, and travel patterns.",
           "This mass biometric data collection by DHS is a deep invasion of privacy",
           "AWS is directly facilitating the creation of an invasive biometrics database",
           "We request that Amazon Web Services end its agreement to host HART...",
       }) {
    INFO(std::string(keep));
    CHECK(text.find(keep) != std::string::npos);
  }
  // Nothing else: no sprite run, notice, labels, consent text or toggles.
  for (const char* drop : {"arrow-down", "C4067174", "Artboard", "twitteruniversalityweb", "n’est pas disponible",
                           "Chronologie", "Article\n", "cookies", "Cookie", "confidentialité", "Strictly necessary",
                           "Necessary storage", "Google Analytics", "ON\n", "OFF", "24 Mai 2022"}) {
    INFO(std::string(drop));
    CHECK(doc.text.find(drop) == std::string::npos);
  }
  const auto lines = nonempty_lines(doc.text);
  CHECK(lines.size() == 6);  // the quoted title line and the five paragraphs of the letter
  // Each removal says why.
  int consent = 0, sprite = 0, notice = 0, chrome = 0;
  for (const auto& b : doc.blocks) {
    if (b.kept) continue;
    CHECK_FALSE(b.rule_id.empty());
    consent += b.family == scrubtext::Family::Consent;
    sprite += b.family == scrubtext::Family::Sprite;
    notice += b.family == scrubtext::Family::Notice;
    chrome += b.family == scrubtext::Family::Chrome;
  }
  CHECK(consent >= 10);
  CHECK(sprite == 1);
  CHECK(notice == 1);
  CHECK(chrome >= 2);
}

TEST_CASE("seed 000: the clean press release keeps every sentence") {
  const auto shared = test::shared_dir();
  if (shared.empty()) {
    MESSAGE("../shared not found: seed test skipped");
    return;
  }
  const std::string page = test::read_file(shared / "seeds/000_press_release.txt");
  const scrubtext::Cleaner cleaner;
  const scrubtext::Document doc = cleaner.clean(page, {.name = "000"});
  REQUIRE(doc.status == scrubtext::Status::Ok);
  const std::string text = test::squash_spaces(doc.text);
  for (const auto& line : nonempty_lines(page)) {
    INFO(line);
    CHECK(text.find(line) != std::string::npos);
  }
  for (const auto& b : doc.blocks) CHECK(b.kept);
}
