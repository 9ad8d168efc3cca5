// Metadata accuracy on the hand-labelled pages of testdata/meta (labels.json): every field
// must be right on at least 95 % of the pages that label it, so a regression fails here
// before it shows in bench/metadata.py.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "scrubtext/scrubtext.h"
#include "support.h"

namespace {

nlohmann::json value_of(const scrubtext::Metadata& m, const std::string& field) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  auto list = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return nlohmann::json(v);
  };
  if (field == "title") return opt(m.title);
  if (field == "authors") return list(m.authors);
  if (field == "date") return opt(m.date_published);
  if (field == "date_modified") return opt(m.date_modified);
  if (field == "site_name") return opt(m.site_name);
  if (field == "url") return opt(m.url);
  if (field == "page_type") return opt(m.page_type);
  if (field == "tags") return list(m.tags);
  return list(m.categories);
}

}  // namespace

TEST_CASE("hand-labelled pages: every metadata field right on at least 95 % of them") {
  const auto root = test::source_dir() / "testdata/meta";
  const auto labels = nlohmann::json::parse(test::read_file(root / "labels.json"));
  REQUIRE(labels["pages"].size() >= 60);
  scrubtext::Options options;
  options.crawl_date = labels["crawl_date"].get<std::string>();
  const scrubtext::Cleaner cleaner(options);
  std::map<std::string, int> right, total;
  for (const auto& [name, want] : labels["pages"].items()) {
    const std::string url = want.contains("source_url") ? want["source_url"].get<std::string>() : "";
    const auto doc = cleaner.clean(test::read_file(root / (name + ".html")), {.name = name, .url = url});
    REQUIRE(doc.status == scrubtext::Status::Ok);
    for (const char* field : {"title", "authors", "date", "date_modified", "site_name", "url", "page_type", "tags",
                              "categories"}) {
      if (!want.contains(field)) continue;
      nlohmann::json expected = want[field];
      if (expected.is_array()) std::sort(expected.begin(), expected.end());
      if (expected.is_null() && (std::string(field) == "authors" || std::string(field) == "tags" ||
                                 std::string(field) == "categories"))
        expected = nlohmann::json::array();
      const nlohmann::json got = value_of(doc.metadata, field);
      ++total[field];
      if (got == expected) ++right[field];
      else MESSAGE(name << " " << field << ": want " << expected.dump() << ", got " << got.dump());
    }
  }
  for (const auto& [field, n] : total) {
    INFO(field << ": " << right[field] << "/" << n);
    CHECK(right[field] * 100 >= n * 95);
  }
}
