// Hostile input: what scraped pages throw at a cleaner that runs unattended. Every input is
// generated here (or read from testdata/hostile/, where fuzzer findings are kept) and every
// case asserts an outcome: a status, and text that survived. Nothing here asserts a time;
// each case runs in well under a second in Release, and a case that suddenly takes many
// seconds means something went quadratic (see README, "Limits and hostile input").
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <random>

#include <gumbo.h>

#include "html/bounds.h"
#include "html/dom.h"
#include "html/prescan.h"
#include "scrubtext/scrubtext.h"
#include "support.h"

using scrubtext::Cleaner;
using scrubtext::Document;
using scrubtext::Options;
using scrubtext::SourceInfo;
using scrubtext::Status;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out.append(s);
  return out;
}

std::string gzip_bytes(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    std::size_t len = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                                 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    if (len == 0 || i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return false;
    if (c == 0xE0 && p[i + 1] < 0xA0) return false;
    if (c == 0xED && p[i + 1] > 0x9F) return false;
    if (c == 0xF0 && p[i + 1] < 0x90) return false;
    if (c == 0xF4 && p[i + 1] > 0x8F) return false;
    i += len;
  }
  return true;
}

// Whatever went in, what comes out is a well-formed Document.
void check_sane(const Document& doc, const Options& options = Options{}) {
  if (doc.status != Status::Ok) {
    CHECK_FALSE(doc.error.empty());
    CHECK(doc.text.empty());
    return;
  }
  CHECK(doc.error.empty());
  CHECK(doc.text.size() <= options.limits.max_output_bytes);
  CHECK(valid_utf8(doc.text));
  for (const auto& b : doc.blocks) CHECK(valid_utf8(b.text));
  if (doc.metadata.title) CHECK(valid_utf8(*doc.metadata.title));
}

const Cleaner& default_cleaner() {
  static const Cleaner cleaner;
  return cleaner;
}

// Limits and structure do not depend on rules; a cleaner without rules builds in no time.
Cleaner cleaner_with(const Options& options) { return Cleaner(options, scrubtext::RuleSet{}); }

Document clean(std::string_view bytes, std::string name = "hostile.html") {
  Document doc = default_cleaner().clean(bytes, {.name = std::move(name)});
  check_sane(doc);
  return doc;
}

const std::string kSentence = "A sentence of the article that a reader came for, long enough to count as prose.";

}  // namespace

TEST_CASE("200,000 nested divs are folded at the depth limit and keep their text") {
  const std::size_t n = 200'000;
  const std::string closed = "<html><body>" + repeat("<div>", n) + "<p>" + kSentence + "</p>" + repeat("</div>", n) +
                             "<p>" + kSentence + " After.</p></body></html>";
  Document doc = clean(closed);
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.text.find(kSentence) != std::string::npos);
  CHECK(doc.text.find("After.") != std::string::npos);
  Options no_prescan;
  no_prescan.prescan = false;
  doc = cleaner_with(no_prescan).clean(closed);
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.text.find("After.") != std::string::npos);

  // Never closed, with text at every level (a generator that forgot its end tags).
  const std::string open = "<html><body>" + repeat("<div>words ", n) + "<p>" + kSentence + "</p>";
  doc = clean(open);
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.text.find(kSentence) != std::string::npos);

  // The same with every kind of element the tree builder nests: tables, lists, inline.
  for (const char* unit : {"<table><tr><td>", "<ul><li>", "<span>", "<b>", "<blockquote>", "<section><article>",
                           "<svg><g>", "<math><mi>", "<div/>", "<font size=2>"}) {
    const std::string unit_name = unit;
    CAPTURE(unit_name);
    doc = clean("<body>" + repeat(unit, 100'000) + "<p>" + kSentence + "</p>");
    REQUIRE(doc.status == Status::Ok);
    // (MathML content is never article text; a <p> inside <mi> stays inside it.)
    if (std::string_view(unit) != "<math><mi>") CHECK(doc.text.find(kSentence) != std::string::npos);
  }
}

TEST_CASE("a lower depth limit folds earlier, and the smallest limits still work") {
  const std::string page = "<body>" + repeat("<div>", 50) + "<p>" + kSentence + "</p>" + repeat("</div>", 50);
  for (std::size_t depth : {0, 1, 2, 5, 40, 512}) {
    CAPTURE(depth);
    Options o;
    o.limits.max_dom_depth = depth;
    const Cleaner cleaner = cleaner_with(o);
    const Document doc = cleaner.clean(page);
    check_sane(doc, o);
    REQUIRE(doc.status == Status::Ok);
    CHECK(doc.text.find(kSentence) != std::string::npos);
  }
}

TEST_CASE("formatting elements that never close do not multiply the tree") {
  // Each unclosed <b> with distinct attributes stays in the list of active formatting
  // elements, and the tree builder clones the whole list into every later paragraph: n
  // paragraphs make n²/2 nodes. 20,000 of them are 200 billion nodes unless guarded.
  std::string page = "<body>";
  for (int i = 0; i < 20'000; ++i) page += "<p><b id=b" + std::to_string(i) + ">" + kSentence + "</p>";
  Document doc = clean(page);
  REQUIRE((doc.status == Status::Ok || doc.status == Status::TooComplex));
  if (doc.status == Status::Ok) CHECK(doc.text.find(kSentence) != std::string::npos);

  // Unclosed links are closed by the next one (adoption agency): plenty of them is normal,
  // and none is removed.
  page = "<body><div>" + repeat("<a href=/x>a link ", 50'000) + "</div>";
  doc = clean(page);
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.text.size() == 50'000 * 7 - 1);
}

TEST_CASE("100,000 sibling paragraphs are all kept, in order") {
  std::string page = "<html><body><article>";
  for (int i = 0; i < 100'000; ++i) page += "<p>Paragraph " + std::to_string(i) + ", of the article, which is long.</p>";
  page += "</article></body></html>";
  Document doc = clean(page);
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.text.find("Paragraph 0,") != std::string::npos);
  CHECK(doc.text.find("Paragraph 99999,") != std::string::npos);

  // 100,000 sibling lines of a text dump.
  std::string dump;
  for (int i = 0; i < 100'000; ++i) dump += "Line " + std::to_string(i) + " of a text dump, with words.\n\n";
  doc = clean(dump, "dump.txt");
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.text.find("Line 99999 of") != std::string::npos);
}

TEST_CASE("100,000 short sibling paragraphs straight under <body>") {
  // Each one ends a sentence, so each is a candidate to join the article as a sibling.
  const std::string page = "<html><body><div><p>" + kSentence + " " + kSentence + "</p></div>" +
                           repeat("<p>Short one.</p>", 100'000) + "</body></html>";
  const Document doc = clean(page);
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.text.find(kSentence) != std::string::npos);
}

TEST_CASE("a 20 MB single line is cleaned; the output limit cuts it") {
  const std::string line = repeat("word ", 4'000'000);  // 20 MB, no newline
  Document doc = clean(line, "line.txt");
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.input_kind == "text");
  CHECK(doc.text.size() <= Options{}.limits.max_output_bytes);
  CHECK(doc.truncated);

  // The same as one HTML paragraph, and as one 20 MB attribute value.
  doc = clean("<html><body><p>" + line + "</p></body></html>");
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.truncated);
  doc = clean("<html><body><div class=\"" + std::string(20'000'000, 'x') + "\"><p>" + kSentence + "</p></div>");
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.text.find(kSentence) != std::string::npos);

  // A long line under the limit is kept whole.
  const std::string shorter = repeat("mot ", 1'000'000);
  doc = clean(shorter, "line.txt");
  REQUIRE(doc.status == Status::Ok);
  CHECK_FALSE(doc.truncated);
  CHECK(doc.text.size() + 1 == shorter.size());
}

TEST_CASE("the output limit cuts at a block boundary and never exceeds") {
  Options o;
  o.limits.max_output_bytes = 1000;
  const Cleaner cleaner = cleaner_with(o);
  std::string page = "<html><body><article>";
  for (int i = 0; i < 200; ++i) page += "<p>Paragraph " + std::to_string(i) + " of the article, which is long enough.</p>";
  page += "</article></body></html>";
  const Document doc = cleaner.clean(page);
  REQUIRE(doc.status == Status::Ok);
  check_sane(doc, o);
  CHECK(doc.truncated);
  CHECK(doc.text.size() <= 1000);
  CHECK(doc.text.find("Paragraph 0 ") != std::string::npos);
  // Cut, not thinned out: nothing after the first block that did not fit.
  CHECK(doc.text.find("Paragraph 199 ") == std::string::npos);
}

TEST_CASE("an unterminated comment, script or title at the start of a 5 MB page") {
  std::string body;
  for (int i = 0; body.size() < 5'000'000; ++i) body += "<p>" + repeat(kSentence + " ", 50) + std::to_string(i) + "</p>\n";
  const std::string page = "<html><body>" + body + "</body></html>";
  Options no_prescan;
  no_prescan.prescan = false;
  const Cleaner with = cleaner_with(Options{}), without = cleaner_with(no_prescan);
  // Raw text, comments and tags that swallow the rest, then markup that swallows a little:
  // the first kind runs with and without the prescan (then gumbo sees the raw text).
  const std::pair<const char*, bool> openers[] = {
      {"<!-- ", true},     {"<script>", true},  {"<style>", true},   {"<title>", true},    {"<textarea>", true},
      {"<xmp>", true},     {"<iframe>", true},  {"<noscript>", true}, {"<template>", true}, {"<svg>", true},
      {"<plaintext>", true}, {"<script><!--<script>", true}, {"<div class=\"", true}, {"<a href='", true},
      {"<![CDATA[", false}, {"<p <", false},    {"</", false}};
  for (const auto& [opener, both] : openers) {
    CAPTURE(opener);
    for (const Cleaner* cleaner : {&with, &without}) {
      if (cleaner == &without && !both) continue;
      const Document doc = cleaner->clean(std::string(opener) + page, {.name = "open.html", .kind = scrubtext::InputKind::Html});
      check_sane(doc);
      CHECK(doc.status == Status::Ok);
    }
  }
}

TEST_CASE("an unclosed svg or noscript hides nothing the parser would show") {
  // Foreign content ends at an HTML start tag such as <p>, at "</p>", or at the end tag of
  // an enclosing element; the prescan used to drop everything up to a "</svg>" that never
  // came. With and without the prescan the text must be the same.
  Options no_prescan;
  no_prescan.prescan = false;
  const Cleaner with = cleaner_with(Options{}), without = cleaner_with(no_prescan);
  const std::string after = "<p>" + kSentence + " After the icon.</p>";
  for (const std::string& page :
       {"<body><div><svg><g><path d=x>" + after, "<body><div><svg><use href=#i></div>" + after,
        "<body><div><svg><g></p>" + after, "<body><div><math><mo>x</math>" + after,
        "<body><div><noscript><img src=x></div>" + after, "<body><div><svg><svg><svg><g><b>bold</b>" + after,
        "<body><svg><foreignObject><p>Inside the drawing.</p></foreignObject></svg>" + after,
        "<body><svg><title>icon</title><desc><div>A description</div></desc></svg>" + after,
        "<body><svg><foreignObject><script>if (a < b) document.write('</svg>')</script></foreignObject></svg>" + after,
        "<body><svg><![CDATA[ <p> ]]></svg>" + after}) {
    CAPTURE(page);
    const Document a = with.clean(page), b = without.clean(page);
    REQUIRE(a.status == Status::Ok);
    CHECK(a.text == b.text);
    CHECK(a.text.find("After the icon.") != std::string::npos);
  }
}

TEST_CASE("binary garbage named .html is refused or read, never crashes") {
  std::mt19937_64 rng(7);
  std::string garbage(3'000'000, '\0');
  for (auto& c : garbage) c = static_cast<char>(rng());
  Document doc = clean(garbage, "page.html");
  CHECK(doc.status == Status::Binary);
  CHECK(doc.error.find("binary") != std::string::npos);

  // High bytes only (no NUL, no control bytes): looks like some legacy charset.
  for (auto& c : garbage) c = static_cast<char>(0x80 | (rng() & 0x7F));
  doc = clean(garbage, "page.html");
  CHECK((doc.status == Status::Ok || doc.status == Status::Binary));

  // Garbage after a real page start, and magic numbers with an .html name.
  doc = clean("<!DOCTYPE html><html><body><p>" + kSentence + "</p>" + garbage, "page.html");
  CHECK(doc.status == Status::Ok);
  doc = clean(std::string("%PDF-1.4\n") + garbage, "page.html");
  CHECK(doc.status == Status::Binary);
  doc = clean(std::string("\x89PNG\r\n\x1a\n", 8) + garbage, "page.html");
  CHECK(doc.status == Status::Binary);

  // UTF-16 without a byte-order mark is full of NULs.
  std::string utf16;
  for (char c : "<html><body><p>" + kSentence + "</p></body></html>") {
    utf16 += c;
    utf16 += '\0';
  }
  doc = clean(utf16, "utf16.html");
  CHECK((doc.status == Status::Ok || doc.status == Status::Binary));

  // Nothing at all, and only whitespace.
  CHECK(clean("", "empty.html").status == Status::Empty);
  CHECK(clean(" \n\t\r\n ", "blank.html").status == Status::Empty);
}

TEST_CASE("gzip: truncated, corrupt, a bomb, and concatenated garbage") {
  const std::string page = "<html><body><p>" + kSentence + "</p></body></html>";
  const std::string gz = gzip_bytes(page);
  for (std::size_t cut : {std::size_t{2}, std::size_t{3}, std::size_t{10}, gz.size() / 2, gz.size() - 4, gz.size() - 1}) {
    CAPTURE(cut);
    const Document doc = clean(gz.substr(0, cut), "page.html.gz");
    CHECK(doc.status == Status::BadGzip);
    CHECK_FALSE(doc.error.empty());
  }
  std::string corrupt = gz;
  for (std::size_t i = 12; i < corrupt.size() - 8; i += 3) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5A);
  CHECK(clean(corrupt, "page.html.gz").status == Status::BadGzip);
  // A valid member followed by bytes that are not a member.
  CHECK(clean(gz + "trailing garbage", "page.html.gz").status == Status::BadGzip);
  // A bomb: 100 MB of spaces in about 100 KB; refused at the input limit, not inflated.
  const std::string bomb = gzip_bytes(std::string(100'000'000, ' '));
  CHECK(bomb.size() < 1'000'000);
  Document doc = clean(bomb, "bomb.html.gz");
  CHECK(doc.status == Status::TooLarge);
  // The same limit applies to small limits set by the caller.
  Options o;
  o.limits.max_input_bytes = 1000;
  doc = cleaner_with(o).clean(gzip_bytes(std::string(5000, 'a')));
  CHECK(doc.status == Status::TooLarge);
  // Gzip inside gzip is not unpacked twice: the inner stream is binary.
  doc = clean(gzip_bytes(gz), "double.html.gz");
  CHECK((doc.status == Status::Binary || doc.status == Status::BadGzip || doc.status == Status::Ok));
}

TEST_CASE("invalid UTF-8 everywhere becomes U+FFFD and is counted") {
  const std::string bad[] = {"\x80", "\xBF", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xED\xBF\xBF",
                             "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xF8\x88\x80\x80\x80",
                             "\xFC\x84\x80\x80\x80\x80", "\xFE", "\xFF", "\xC3", "\xE2\x82", "\xF0\x9F\x98"};
  std::string junk;
  for (const auto& b : bad) junk += b;
  std::string page = "<html lang=\"" + junk + "\"><head><meta charset=\"utf-8\"><title>" + junk + " Title " + junk +
                     "</title><meta property=\"og:title\" content=\"" + junk + "\"></head><body class=\"" + junk + "\">";
  for (int i = 0; i < 2000; ++i) page += "<p>" + junk + kSentence + junk + "</p><" + junk + ">";
  page += "</body></html>" + std::string("\xE2\x82", 2);  // truncated at the very end
  Document doc = clean(page);
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.invalid_bytes > 2000);
  CHECK(doc.text.find(kSentence) != std::string::npos);
  CHECK(doc.text.find("\xEF\xBF\xBD") != std::string::npos);

  // The same bytes as a text dump (no charset declared: detection may pick a legacy
  // charset in which every byte is valid), and with declared charsets right and wrong.
  doc = clean(junk + "\n" + kSentence + "\n" + junk, "dump.txt");
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.text.find(kSentence) != std::string::npos);
  for (const char* charset : {"utf-8", "UTF-16", "utf-32", "shift_jis", "iso-2022-jp", "x-user-defined", "gb18030",
                              "nonsense", "", "utf-7", "windows-1252", "\xFF\xFE"}) {
    CAPTURE(charset);
    doc = default_cleaner().clean(page, {.name = "declared.html", .charset = charset});
    check_sane(doc);
    CHECK(doc.status == Status::Ok);
  }
}

TEST_CASE("JSON-LD: 100,000 nested arrays and objects, and a headline buried in them") {
  const std::size_t n = 100'000;
  auto page_with = [](const std::string& json) {
    return "<html><head><script type=\"application/ld+json\">" + json + "</script></head><body><p>" + kSentence +
           "</p></body></html>";
  };
  Document doc = clean(page_with(repeat("[", n) + repeat("]", n)));
  CHECK(doc.status == Status::Ok);
  doc = clean(page_with(repeat("{\"a\":", n) + "1" + repeat("}", n)));
  CHECK(doc.status == Status::Ok);
  doc = clean(page_with(repeat("[", n)));  // never closed: not JSON
  CHECK(doc.status == Status::Ok);
  // Values are read through arrays ("headline": ["…"]): a deep one must not recurse.
  for (const char* field : {"headline", "author", "publisher", "datePublished", "image", "description"}) {
    CAPTURE(field);
    doc = clean(page_with("{\"@type\":\"NewsArticle\",\"" + std::string(field) + "\":" + repeat("[", n) + "\"x\"" +
                          repeat("]", n) + "}"));
    CHECK(doc.status == Status::Ok);
  }
  // A @graph holding 200,000 objects.
  std::string graph = "{\"@graph\":[";
  for (int i = 0; i < 200'000; ++i) graph += (i ? "," : "") + std::string("{\"@type\":\"Thing\"}");
  graph += ",{\"@type\":\"Article\",\"headline\":\"Deep headline\"}]}";
  doc = clean(page_with(graph));
  CHECK(doc.status == Status::Ok);
}

TEST_CASE("attributes: many, huge, and repeated") {
  // 50,000 attributes on one element (the tree builder checks each for duplicates).
  std::string tag = "<div";
  for (int i = 0; i < 50'000; ++i) tag += " a" + std::to_string(i) + "=v";
  Document doc = clean("<body>" + tag + "><p>" + kSentence + "</p></div>");
  REQUIRE(doc.status == Status::Ok);
  CHECK(doc.text.find(kSentence) != std::string::npos);
  // The same attribute 50,000 times.
  doc = clean("<body><div" + repeat(" class=x", 50'000) + "><p>" + kSentence + "</p></div>");
  REQUIRE(doc.status == Status::Ok);
  // 50,000 class tokens (each is matched against the attr rules).
  doc = clean("<body><div class=\"" + repeat("menu-item ", 50'000) + "\">x</div><p>" + kSentence + "</p>");
  REQUIRE(doc.status == Status::Ok);
  // A 5 MB style attribute and 5 MB of entity references.
  doc = clean("<body><div style=\"" + repeat("color:red;", 500'000) + "\"><p>" + kSentence + "</p></div>" +
              repeat("&amp;&#x1F600;&#0;&#xD800;&#99999999;&notanentity", 100'000));
  REQUIRE(doc.status == Status::Ok);
}

TEST_CASE("tag soup made to be slow") {
  const std::size_t n = 50'000;  // each unit nests or adds nodes; far past every limit
  const Cleaner cleaner = cleaner_with(Options{});
  for (const std::string& unit : {std::string("<"), std::string("<a"), std::string("</"), std::string("<!"),
                                  std::string("</p>"), std::string("</div>"), std::string("<br>"),
                                  std::string("<p>x"), std::string("<li>x"), std::string("<td>x"),
                                  std::string("<tr><td>x"), std::string("<option>x"), std::string("<select>"),
                                  std::string("<table>x"), std::string("<h1>x"), std::string("<button>x"),
                                  std::string("<form>x"), std::string("<a href=x><div>x"), std::string("<nobr>x"),
                                  std::string("<i><p>x</i>"), std::string("<b><table>x"), std::string("<dd>x"),
                                  std::string("<frameset>"), std::string("<image>"), std::string("<isindex>"),
                                  std::string("<ruby><rt>x"), std::string("<head><body>"),
                                  std::string("<select><optgroup><option>x"), std::string("<b><div>x</b>"),
                                  std::string("<table><tr><td>x"), std::string("<svg><foreignObject><div>"),
                                  std::string("<math><mi>"), std::string("<p><em>x</p>"),
                                  std::string("<font size=2><p>x"), std::string("<a href=1><div>x</a>"),
                                  std::string("<b><table><tr><td>x</b>"), std::string("<object>x"),
                                  std::string("<dl><dd>x"), std::string("<template>"), std::string("<x-y>"),
                                  // Each comment's end is found in one scan, not by searching the
                                  // rest of the page for each kind of ending.
                                  std::string("<!-- c - - -->x"), std::string("<noscript><x-a></x-b>")}) {
    CAPTURE(unit);
    const Document doc = cleaner.clean("<html><body><p>" + kSentence + "</p>" + repeat(unit, n));
    check_sane(doc);
    CHECK((doc.status == Status::Ok || doc.status == Status::TooComplex));
  }
}

TEST_CASE("the node limit refuses a page before it is parsed") {
  Options o;
  o.limits.max_nodes = 1000;
  const Cleaner cleaner = cleaner_with(o);
  Document doc = cleaner.clean("<body>" + repeat("<p>x</p>", 2000));
  CHECK(doc.status == Status::TooComplex);
  CHECK(doc.error.find("1000") != std::string::npos);
  doc = cleaner.clean("<body>" + repeat("</p>", 2000));  // each stray </p> makes an element
  CHECK(doc.status == Status::TooComplex);
  doc = cleaner.clean("<body>" + repeat("<p>x</p>", 100));
  CHECK(doc.status == Status::Ok);
  // The default limit: 2,000,000 elements and text nodes.
  doc = clean("<body>" + repeat("<br>", 2'100'000));
  CHECK(doc.status == Status::TooComplex);
}

TEST_CASE("the input limit is checked before any work, compressed or not") {
  Options o;
  o.limits.max_input_bytes = 100;
  const Cleaner cleaner = cleaner_with(o);
  Document doc = cleaner.clean(std::string(101, 'a'));
  CHECK(doc.status == Status::TooLarge);
  CHECK(doc.error.find("100") != std::string::npos);
  doc = cleaner.clean(std::string(100, 'a'));
  CHECK(doc.status == Status::Ok);
}

namespace {

struct TreeSize {
  std::size_t nodes = 0, depth = 0;
};

// The size of gumbo's tree below `document`, measured without recursion.
TreeSize gumbo_tree_of(const GumboNode* document) {
  TreeSize t;
  std::vector<std::pair<const GumboNode*, std::size_t>> stack{{document, 0}};
  while (!stack.empty()) {
    const auto [g, d] = stack.back();
    stack.pop_back();
    ++t.nodes;
    t.depth = std::max(t.depth, d);
    const GumboVector* c = g->type == GUMBO_NODE_DOCUMENT ? &g->v.document.children
                           : (g->type == GUMBO_NODE_ELEMENT || g->type == GUMBO_NODE_TEMPLATE) ? &g->v.element.children
                                                                                               : nullptr;
    if (c)
      for (unsigned k = 0; k < c->length; ++k) stack.emplace_back(static_cast<const GumboNode*>(c->data[k]), d + 1);
  }
  return t;
}

// gumbo's real tree for `markup`.
TreeSize gumbo_tree(const std::string& markup) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* out = gumbo_parse_with_options(&options, markup.data(), markup.size());
  const TreeSize t = gumbo_tree_of(out->document);
  gumbo_destroy_output(&options, out);
  return t;
}

// What fuzz/fuzz_bounds.cpp checks: with small limits, the tree gumbo builds from the
// bounded markup stays within a small multiple of them.
void check_bounded(std::string markup, bool prescan) {
  if (prescan) markup = scrubtext::html::prescan(markup);
  scrubtext::html::MarkupLimits limits;
  limits.max_depth = 16;
  limits.max_open_formatting = 4;
  limits.max_attributes = 4;
  const scrubtext::html::MarkupBounds b = scrubtext::html::bound_markup(markup, limits);
  REQUIRE_FALSE(b.too_many_nodes);
  const TreeSize t = gumbo_tree(b.changed ? b.html : markup);
  CHECK(t.depth <= 3 * limits.max_depth + 16);
  CHECK(t.nodes <= 4 * b.estimated_nodes + 16);
}

}  // namespace

TEST_CASE("a tree far deeper than the bounds allow is torn down without exhausting the stack") {
  // Straight to gumbo, without the markup bounds: 300,000 nested unknown elements (each an
  // O(1) insert) make a tree 300,000 levels deep, which gumbo_destroy_output() (recursive)
  // would not survive on an 8 MB stack; ParsedHtml frees its arena instead.
  const std::string markup = repeat("<x-a>", 300'000) + "deep text";
  {
    const scrubtext::html::ParsedHtml parsed(markup);
    const TreeSize t = gumbo_tree_of(parsed.document());
    CHECK(t.depth > 300'000);
    CHECK(t.nodes > 300'000);
  }  // destroyed here
  CHECK(true);
}

TEST_CASE("the pre-parse model keeps gumbo's real tree within the limits (fuzz_bounds findings)") {
  // gumbo 0.10 closes the nearest unknown element on any unknown end tag ("</x>" in
  // <x><y><z> closes z), so the model must not pop down to x.
  check_bounded(repeat("<x-a><x-b><x-c></x-a>", 10'000), false);
  // Inside an svg <title> (an integration point) an end tag is still foreign; a start tag
  // is HTML: "<title>" there is an RCDATA element.
  check_bounded(repeat("<svg><title><e></title><title><script </title><p> <a>b<a> <h>", 2'000), false);
  // An svg <script> is not raw text: the tags after it are parsed.
  check_bounded(repeat("<svg><title></title><script><a> <s><a> <a>><s> <a>x", 2'000), false);
  // Inside svg, <math> is an svg element, not MathML: its <mo> is no integration point,
  // and the table and html tags after it are foreign elements that nest.
  check_bounded(repeat("<svg><math><mo><tfoot><td><html>", 2'000), false);
  check_bounded(repeat("<math><svg><title><td><html>", 2'000), false);
  // A start tag removed at the depth limit right after a text '<' does not make the '<'
  // start a tag with what follows ("<<y>r<script>").
  check_bounded(repeat("<div>", 20) + repeat("<<y>r<script>x</script>", 200), false);
  // Inside a select, <title> (or <style>, <xmp>…) is an ignored tag, not the start of raw
  // text: the <input> after it closes the select and the rest is parsed in the body.
  check_bounded("<select><title><input>" + repeat("<x-a>u", 2'000), false);
  check_bounded("<select><style><input>" + repeat("<x-a>u", 2'000), false);
  // An svg element named select is no select: the <title> HTML starts at the svg <title>
  // integration point is raw text, ended by its end tag.
  check_bounded("<svg><select><title><title><!--</title>" + repeat("<x-a>u", 2'000), false);
  // "</li>" looks in the list item scope: an open <ul> between makes gumbo ignore it.
  check_bounded(repeat("<li><ul></li>", 2'000), false);
  // "</form>" takes only the form off the stack: the <div> opened inside stays open.
  check_bounded(repeat("<form><div></form>", 2'000), false);
  check_bounded(repeat("<form><p><div>x</form>", 2'000), false);
  // <noscript> is special: "</x-b>" stops at it and is ignored, so the unknown elements nest.
  check_bounded(repeat("<x-a><noscript></x-b>", 2'000), false);
  // "<!-->" in a script ends the escape at once: what follows the first "</script>" is markup.
  check_bounded("<script>x<!--> <script>y</script>" + repeat("<div>", 2'000), false);
  // <rp> closes an open <rp> only inside a <ruby>.
  check_bounded(repeat("<rp>x", 10'000), false);
  check_bounded(repeat("<ruby><rp>x<rt>y", 10'000), false);
  // <select> inside a select closes it and is ignored.
  check_bounded(repeat("<select><optgroup><option>x", 10'000), false);
  // The minimized inputs, as fuzz_bounds saw them (first byte: bit 0 = prescan first).
  for (const auto& e : std::filesystem::directory_iterator(test::source_dir() / "testdata/hostile")) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with("bounds-")) continue;
    CAPTURE(name);
    const std::string bytes = test::read_file(e.path());
    REQUIRE_FALSE(bytes.empty());
    check_bounded(bytes.substr(1), bytes[0] & 1);
  }
}

TEST_CASE("malformed rule files are refused with file:line, never crash") {
  const std::string ok_rule = "[a.b]\nfamily: chrome\ntarget: line\npattern: x\nexplain: y\n";
  const std::string bad[] = {
      "[",
      "[]",
      "[x",
      "]",
      "[A]",
      "[a]\n",
      "no colon here",
      ":",
      "family:",
      "family: nope",
      "[a]\nfamily: chrome\ntarget: line\npattern: (\nexplain: y\n",
      "[a]\nfamily: chrome\ntarget: line\npattern: a{1001}\nexplain: y\n",
      "[a]\nfamily: chrome\ntarget: line\npattern: ((((((((((a{100}){100}){100}){100})))))))\nexplain: y\n",
      "[a]\nfamily: chrome\ntarget: line\npattern: (?P<n>a)\\1\nexplain: y\n",
      "[a]\nfamily: chrome\ntarget: line\npattern: x\nexplain: y\nweight: heavy\n",
      "[a]\nfamily: chrome\ntarget: line\npattern: x\nexplain: y\nweight: \n",
      "[a]\nfamily: chrome\ntarget: line\npattern: x\nexplain: y\ncase: maybe\n",
      "[a]\nfamily: hint\ntarget: text\npattern: x\nexplain: y\n",
      "[a]\nfamily: chrome\ntarget: attr\npattern: x\nexplain: y\n",
      "pattern: x\n",
      ok_rule + ok_rule,
      "[a]\nfamily: chrome\ntarget: line\npattern: \xFF\xFE\nexplain: y\n",
      "[" + std::string(100'000, 'a') + "\n",
      "[a]\nfamily: chrome\ntarget: line\npattern: " + repeat("(", 100'000) + "\nexplain: y\n",
  };
  for (const auto& text : bad) {
    CAPTURE(text.substr(0, 80));
    scrubtext::RuleSet set;
    bool threw = false;
    try {
      set.add_text("bad.rules", text);
    } catch (const scrubtext::RuleError& e) {
      threw = true;
      CHECK(std::string(e.what()).starts_with("bad.rules:"));
    }
    CHECK(threw);
    CHECK(set.rules().empty());
  }
  // Odd but valid: CRLF line ends, a missing final newline, a huge explanation, weights
  // that are not finite are refused or kept, never a crash.
  for (const std::string& text : {std::string("[a]\r\nfamily: chrome\r\ntarget: line\r\npattern: x\r\nexplain: y"),
                                  "[a]\nfamily: chrome\ntarget: line\npattern: x\nexplain: " + std::string(1'000'000, 'y'),
                                  std::string("[a]\nfamily: consent\ntarget: text\npattern: x\nexplain: y\nweight: nan\n"),
                                  std::string("[a]\nfamily: consent\ntarget: text\npattern: x\nexplain: y\nweight: 1e999\n"),
                                  "[a]\nfamily: chrome\ntarget: line\npattern: a" + std::string(1, '\0') + "\nexplain: y\n"}) {
    scrubtext::RuleSet set;
    try {
      set.add_text("odd.rules", text);
      CHECK(set.rules().size() == 1);
    } catch (const scrubtext::RuleError& e) {
      CHECK(std::string(e.what()).starts_with("odd.rules:"));
    }
  }
}

TEST_CASE("every file under testdata/hostile/ is cleaned or refused, never a crash") {
  const auto dir = test::source_dir() / "testdata/hostile";
  std::error_code ec;
  REQUIRE(std::filesystem::is_directory(dir, ec));
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    if (name == "README.md") continue;
    CAPTURE(name);
    const std::string bytes = test::read_file(e.path());
    ++files;
    if (e.path().extension() == ".rules") {
      scrubtext::RuleSet set;
      try {
        set.add_text(name, bytes);
      } catch (const scrubtext::RuleError& err) {
        CHECK(std::string(err.what()).starts_with(name + ":"));
      }
      continue;
    }
    for (auto kind : {scrubtext::InputKind::Auto, scrubtext::InputKind::Html, scrubtext::InputKind::Text}) {
      const Document doc = default_cleaner().clean(bytes, {.name = name, .kind = kind});
      check_sane(doc);
    }
  }
  CHECK(files > 0);
}
