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
  CHECK(doc.metadata.site_name == "Valley Times");  // the <title> suffix, when nothing else names the site
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

TEST_CASE("dates: JSON-LD beats meta beats <time> beats URL; future and furniture dates never win") {
  scrubtext::Options options;
  options.crawl_date = "2024-06-01";
  const scrubtext::Cleaner cleaner(options);
  auto date_of = [&](const std::string& head, const std::string& body, const std::string& url = "") {
    const auto doc = cleaner.clean("<html><head>" + head + "</head><body>" + body + kBody + "</body></html>",
                                   {.name = "p", .url = url});
    return std::pair{doc.metadata.date_published.value_or(""), doc.metadata.date_source.value_or("")};
  };
  const std::string ld = "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2021-01-02\"}</script>";
  const std::string meta = "<meta property=\"article:published_time\" content=\"2021-03-04T10:00:00Z\">";
  CHECK(date_of(meta + ld, "").first == "2021-01-02");
  CHECK(date_of(meta, "<time datetime=\"2020-01-01\">x</time>").first == "2021-03-04");
  CHECK(date_of("", "<time datetime=\"2020-01-01\">x</time>", "https://a.example/2019/05/06/x").first == "2020-01-01");
  CHECK(date_of("", "", "https://a.example/2019/05/06/x") == std::pair<std::string, std::string>{"2019-05-06", "url"});
  // Future (after the crawl date), related-list and comment dates are skipped.
  CHECK(date_of("<meta name=\"date\" content=\"2025-01-01\">", "").first.empty());
  CHECK(date_of("", "<div class=\"related\"><time datetime=\"2020-02-02\">x</time></div>").first.empty());
  CHECK(date_of("", "<div id=\"comments\"><time datetime=\"2020-02-02\">x</time></div>").first.empty());
}

TEST_CASE("authors: JSON-LD references, meta lists, bylines in several languages") {
  using scrubtext::html::split_author_names;
  const scrubtext::Cleaner cleaner;
  auto authors_of = [&](const std::string& html) { return cleaner.clean(html).metadata.authors; };
  CHECK(authors_of("<html><head><script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"Person\",\"@id\":\"#a\","
                   "\"name\":\"Ana Ruiz\"},{\"@type\":\"Article\",\"author\":{\"@id\":\"#a\"}}]}</script></head><body>" +
                   kBody + "</body></html>") == std::vector<std::string>{"Ana Ruiz"});
  CHECK(authors_of("<html><head><meta name=author content=\"Ruth Adeyemi; Colin Baird\"></head><body>" + kBody +
                   "</body></html>") == std::vector<std::string>{"Ruth Adeyemi", "Colin Baird"});
  CHECK(authors_of("<html><head><meta property=\"article:author\" content=\"https://www.facebook.com/x\"></head><body>" +
                   kBody + "</body></html>").empty());
  for (const auto& [byline, want] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"Par Marie Dubois et Luc Martin", {"Marie Dubois", "Luc Martin"}},
           {"Von Anna Schmidt und Peter Berg", {"Anna Schmidt", "Peter Berg"}},
           {"Por Lucía Fernández y Carlos Ruiz", {"Lucía Fernández", "Carlos Ruiz"}},
           {"Door Sanne de Vries en Pieter van Dam", {"Sanne de Vries", "Pieter van Dam"}},
           {"By JAMES OKAFOR, Staff Writer", {"James Okafor"}},
           {"Autor: Jan Kowalski", {"Jan Kowalski"}},
       }) {
    INFO(byline);
    const std::string page = "<html><body><article><h1>Rivers flood the valley again</h1><p>" + byline + "</p>" +
                             kBody.substr(kBody.find("<p>")) + "</body></html>";
    CHECK(cleaner.clean(page).metadata.authors == want);
  }
  CHECK(split_author_names("Ana Ruiz - 24 May 2022", nullptr) == std::vector<std::string>{"Ana Ruiz"});
}

TEST_CASE("title: site name removed by og:site_name or host; date format option") {
  using scrubtext::html::strip_site_name;
  std::string removed;
  CHECK(strip_site_name("Headline about the harbour - Valley Times", "", "www.valleytimes.example", &removed) ==
        "Headline about the harbour");
  CHECK(removed == "Valley Times");
  CHECK(strip_site_name("Dale Echo | Reservoir walk reopens", "Dale Echo", "", nullptr) == "Reservoir walk reopens");
  scrubtext::Options options;
  options.date_format = "%d.%m.%Y";
  const scrubtext::Cleaner cleaner(options);
  const auto doc = cleaner.clean("<html><head><meta property=\"article:published_time\" content=\"2021-03-04T10:00:00Z\">"
                                 "</head><body>" + kBody + "</body></html>");
  CHECK(doc.metadata.date_published == "04.03.2021");
  CHECK(doc.metadata.datetime_published == "2021-03-04T10:00:00Z");
}
