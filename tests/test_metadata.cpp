// Metadata from <head>, OpenGraph, JSON-LD and <time>.
#include "html/metadata.h"
#include "scrubtext/scrubtext.h"
#include "support.h"

namespace {
const std::string kBody =
    "<article><h1>Rivers flood the valley again</h1><p>The river rose overnight, and by morning, the lower town was under "
    "water for the third time this year.</p><p>Residents, who had only just finished repairs, said the warnings came too "
    "late.</p></article>";
}

TEST_CASE("OpenGraph, meta and JSON-LD fields") {
  const std::string page =
      "<html lang=\"en-GB\"><head><title>Rivers flood the valley again | Valley Times</title>"
      "<meta property=\"og:site_name\" content=\"Valley Times\">"
      "<meta name=\"description\" content=\"The third flood this year.\">"
      "<meta property=\"og:image\" content=\"https://example.org/flood.jpg\">"
      "<link rel=\"canonical\" href=\"https://example.org/news/flood\">"
      "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"WebPage\"},"
      "{\"@type\":\"NewsArticle\",\"headline\":\"Rivers flood the valley again\",\"datePublished\":\"2023-03-14T08:00:00+01:00\","
      "\"dateModified\":\"2023-03-15\",\"author\":[{\"@type\":\"Person\",\"name\":\"Ana Ruiz\"},{\"name\":\"Tom Berg\"}]}]}</script>"
      "</head><body>" + kBody + "</body></html>";
  const scrubtext::Cleaner cleaner;
  const auto doc = cleaner.clean(page, {.name = "p", .url = "https://fallback.example/x"});
  const auto& m = doc.metadata;
  CHECK(m.title == "Rivers flood the valley again");
  CHECK(m.site_name == "Valley Times");
  CHECK(m.url == "https://example.org/news/flood");
  CHECK(m.description == "The third flood this year.");
  CHECK(m.image == "https://example.org/flood.jpg");
  CHECK(m.date_published == "2023-03-14");
  CHECK(m.date_modified == "2023-03-15");
  REQUIRE(m.authors.size() == 2);
  CHECK(m.authors[0] == "Ana Ruiz");
  CHECK(m.declared_language == "en-GB");
  // The headline is the title, not repeated in the body.
  CHECK(doc.text.find("Rivers flood the valley again") == std::string::npos);
  CHECK(doc.text.find("The river rose overnight") != std::string::npos);
}

TEST_CASE("fallbacks: <title> without the site name, <time datetime>, caller URL, meta author") {
  const std::string page =
      "<html><head><title>Rivers flood the valley again - Valley Times</title><meta name=author content=\"Ana Ruiz\"></head>"
      "<body><time datetime=\"2021-07-01\">1 July</time>" + kBody + "</body></html>";
  const scrubtext::Cleaner cleaner;
  const auto doc = cleaner.clean(page, {.name = "p", .url = "https://fallback.example/x"});
  CHECK(doc.metadata.title == "Rivers flood the valley again");
  CHECK(doc.metadata.date_published == "2021-07-01");
  CHECK(doc.metadata.url == "https://fallback.example/x");
  REQUIRE(doc.metadata.authors.size() == 1);
  CHECK(doc.metadata.authors[0] == "Ana Ruiz");
  CHECK_FALSE(doc.metadata.site_name);
}

TEST_CASE("site-name stripping") {
  using scrubtext::html::strip_site_name;
  CHECK(strip_site_name("Headline here | Site", "Site") == "Headline here");
  CHECK(strip_site_name("Site | Headline here", "Site") == "Headline here");
  CHECK(strip_site_name("A long headline about something important - Short", "") == "A long headline about something important");
  CHECK(strip_site_name("Why: a headline with a colon", "") == "Why: a headline with a colon");
}

TEST_CASE("bad JSON-LD is ignored, not fatal") {
  const std::string page = "<html><head><script type=\"application/ld+json\">{\"headline\": broken</script></head><body>" +
                           kBody + "</body></html>";
  const scrubtext::Cleaner cleaner;
  const auto doc = cleaner.clean(page);
  CHECK(doc.status == scrubtext::Status::Ok);
  CHECK(doc.metadata.title == "Rivers flood the valley again");
}
