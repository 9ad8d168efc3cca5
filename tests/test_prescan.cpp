// Prescan: removes only what extraction never reads, and changes no extracted byte.
#include <algorithm>
#include <vector>

#include "core/pipeline.h"
#include "html/dom.h"
#include "html/prescan.h"
#include "input/gzip.h"
#include "rules/compiled.h"
#include "scrubtext/scrubtext.h"
#include "support.h"

using scrubtext::html::prescan;

namespace {
// Placeholder i of a page without characters of planes 15 and 16: U+F0000 + i, in UTF-8
// (for i below 0xFFFE).
std::string ph(unsigned i) {
  const char32_t c = 0xF0000 + i;
  return {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
          static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
}
}  // namespace

TEST_CASE("script, style and svg bodies go; JSON-LD and text stay") {
  const std::string in =
      "<html><head><script>var a = '</div>'; if (a < b) {}</script><style>p{}</style>"
      "<script type=\"application/ld+json\">{\"headline\":\"H\"}</script></head>"
      "<body><p>One <svg><title>icon</title><svg><path/></svg></svg>two</p><!-- note --></body></html>";
  const std::string out = prescan(in);
  CHECK(out.find("var a") == std::string::npos);
  CHECK(out.find("p{}") == std::string::npos);
  CHECK(out.find("{\"headline\":\"H\"}") != std::string::npos);
  CHECK(out.find("icon") == std::string::npos);
  CHECK(out.find("note") == std::string::npos);
  CHECK(out.find("<p>One ") != std::string::npos);
  CHECK(out.find("two</p>") != std::string::npos);
}

TEST_CASE("tokenizer corner cases") {
  // '>' inside a quoted attribute does not end the start tag.
  CHECK(prescan("<script data-x=\"a>b\">evil()</script><p>ok</p>").find("evil") == std::string::npos);
  // Uppercase tags, and an end tag only counts when a delimiter follows the name.
  CHECK(prescan("<SCRIPT>x='</scripty>';y()</SCRIPT><p>ok</p>").find("y()") == std::string::npos);
  CHECK(prescan("<SCRIPT>x()</SCRIPT><p>ok</p>").find("<p>ok</p>") != std::string::npos);
  // Double-escaped script data: "</script>" inside "<!-- <script>" does not close it.
  const std::string esc = prescan(
      "<script><!-- document.write('<script>f()</script>'); g() --></script><p>after</p>");
  CHECK(esc.find("g()") == std::string::npos);
  CHECK(esc.find("<p>after</p>") != std::string::npos);
  // "<!-->" and "<!--->" enter and leave the escape at once: the next "<script>" does not
  // double-escape, so the first "</script>" closes the body.
  for (const char* open : {"<!-->", "<!--->"}) {
    CAPTURE(open);
    const std::string s = prescan(std::string("<script>a ") + open +
                                                " b <script> c</script><p>kept</p><script>d</script>");
    CHECK(s.find("<p>kept</p>") != std::string::npos);
  }
  // "<!--x" stays escaped: there "<script>" double-escapes and "</script>" does not close.
  CHECK(prescan("<script>a <!--x <script> c</script><p>inside</p></script><p>after</p>")
            .find("<p>inside</p>") == std::string::npos);
  // Title and textarea hold text: a "<script>" in them is not a script.
  CHECK(prescan("<title>a <script> b</title>").find("a <script> b") != std::string::npos);
  // An unterminated script swallows the rest, as the tokenizer does.
  CHECK(prescan("<p>x</p><script>never closed <p>y</p>").find("<p>y</p>") == std::string::npos);
  // A text '<' is never joined to what follows a removed comment or body into a new tag.
  CHECK(prescan("x <<!-- c -->b> y") == "x &lt;b> y");
  CHECK(prescan("x <<style>p{}</style>/p> y") == "x &lt;/p> y");
  CHECK(prescan("x <<b>y</b>") == "x <<b>y</b>");
  // A lone '<' in text survives.
  CHECK(prescan("<p>1 < 2</p>") == "<p>1 < 2</p>");
}

TEST_CASE("attributes extraction never reads are dropped, as the tokenizer reads them") {
  scrubtext::html::PrescanSteps only;
  only.bodies = false;
  only.whitespace = false;
  auto attrs = [&](const std::string& in) { return prescan(in, only); };
  CHECK(attrs("<div class=\"a\" data-x=\"1\" onclick=\"f()\">t</div>") == "<div class=\"a\">t</div>");
  CHECK(attrs("<p id=a data-b=c class=d>t") == "<p id=a class=d>t");
  // href only on links, src only on scripts.
  CHECK(attrs("<a href=\"/x\" target=_blank>l</a>") == "<a href=\"/x\">l</a>");
  CHECK(attrs("<img src=\"x.png\" alt=\"y\" srcset=\"a 1x\">") == "<img>");
  CHECK(attrs("<div href=x>t</div>") == "<div>t</div>");
  // Script start tags are copied as written (their hosts are matched).
  CHECK(attrs("<script src=\"https://cmp.example/a.js\" async></script>") ==
        "<script src=\"https://cmp.example/a.js\" async></script>");
  // Names are matched without case; a tag that keeps all its attributes is copied as written.
  CHECK(attrs("<DIV CLASS=\"a\"  ID='b' >t</DIV>") == "<DIV CLASS=\"a\"  ID='b' >t</DIV>");
  CHECK(attrs("<DIV CLASS=a DATA-X=1>") == "<DIV CLASS=a>");
  // No space needed after a quoted value; needed after an unquoted one, and before "/>".
  CHECK(attrs("<a x=\"1\"class=\"b\"y>") == "<a class=\"b\">");
  CHECK(attrs("<a class=\"b\"x=\"1\"id=\"c\">") == "<a class=\"b\"id=\"c\">");
  CHECK(attrs("<br class=a data-x=1 />") == "<br class=a />");
  CHECK(attrs("<br data-x=\"1\"/>") == "<br/>");
  // "x=1/>" has the value "1/" and no self-closing flag.
  CHECK(attrs("<br id=1/ data-x=2>") == "<br id=1/>");
  // style stays only where it hides the element.
  CHECK(attrs("<div style=\"color: red\" id=a>t</div>") == "<div id=a>t</div>");
  CHECK(attrs("<div style=\"Display : None\">t</div>") == "<div style=\"Display : None\">t</div>");
  // Two attributes of one name: the tag goes to the parser as written (with max_errors = 0
  // gumbo appends the next attribute's name to the duplicate's: "<h a a b>" has a and "ab").
  CHECK(attrs("<div style=\"color:red\" style=\"display:none\">t</div>") ==
        "<div style=\"color:red\" style=\"display:none\">t</div>");
  CHECK(attrs("<h lang data-x=1 LANG class=c>") == "<h lang data-x=1 LANG class=c>");
  CHECK(attrs("<div style=\"display:none\" style=\"color:red\">t</div>") ==
        "<div style=\"display:none\" style=\"color:red\">t</div>");
  CHECK(attrs("<div style=\"display&#58;none\">t</div>") == "<div style=\"display&#58;none\">t</div>");
  // '>' and '<' inside quoted values neither end the tag nor start another.
  CHECK(attrs("<a title=\"a > b\" href=\"/x\">l</a>") == "<a href=\"/x\">l</a>");
  CHECK(prescan("<a title=\"<script>\">x</a><p>kept</p>").find("<p>kept</p>") != std::string::npos);
  // A tag the input ends inside is left as it is (the tokenizer drops it).
  CHECK(attrs("<p>x</p><div data-x=\"never closed") == "<p>x</p><div data-x=\"never closed");
  // End tags are copied as written.
  CHECK(attrs("<b>x</b data-x=1>") == "<b>x</b data-x=1>");
}

TEST_CASE("whitespace-only text beside a block-level tag is dropped, elsewhere kept") {
  scrubtext::html::PrescanSteps only;
  only.bodies = false;
  only.attributes = false;
  auto ws = [&](const std::string& in) { return prescan(in, only); };
  // (At the end of the input there is no next tag: it stays.)
  CHECK(ws("<div>\n  <p>a</p>\n  <p>b</p>\n</div>\n") == "<div><p>a</p><p>b</p></div>\n");
  // Between inline elements it separates words.
  CHECK(ws("<span>a</span> <span>b</span>") == "<span>a</span> <span>b</span>");
  CHECK(ws("<li><a>x</a>\n<a>y</a></li>") == "<li><a>x</a>\n<a>y</a></li>");
  // Text with words is never touched, nor whitespace after text.
  CHECK(ws("<p>a  b </p>") == "<p>a  b </p>");
  // In <pre> and <listing> whitespace is content.
  CHECK(ws("<pre>\n  <b>x</b>\n  <div>y</div>\n</pre>\n<p>z</p>") == "<pre>\n  <b>x</b>\n  <div>y</div>\n</pre><p>z</p>");
  // With the bodies step, comments and dropped elements between two runs join them.
  CHECK(prescan("<div>\n<!-- c -->\n<style>p{}</style>\n<b>x</b>", {true, false, true}) == "<div><b>x</b>");
  CHECK(prescan("<b>a</b> <!-- c --> <i>b</i>", {true, false, true}) == "<b>a</b>  <i>b</i>");
}

TEST_CASE("without links, an <a> href keeps only whether it leads anywhere") {
  scrubtext::html::PrescanSteps only;
  only.bodies = false;
  only.whitespace = false;
  only.link_targets = true;
  auto hrefs = [&](const std::string& in) { return prescan(in, only); };
  CHECK(hrefs("<a href=\"https://example.org/a/long/path?q=1\" class=x>l</a>") == "<a href=h class=x>l</a>");
  CHECK(hrefs("<a class=\"x\" href='/p'>l</a>") == "<a class=\"x\"href=h>l</a>");
  // Leading nowhere: empty, a fragment, a script, once spaces, tabs and newlines are trimmed.
  CHECK(hrefs("<a href=\"#top\">l</a>") == "<a href=\"\">l</a>");
  CHECK(hrefs("<a href=\" \n javascript:void(0)\">l</a>") == "<a href=\"\">l</a>");
  CHECK(hrefs("<a href>l</a>") == "<a href=\"\">l</a>");
  CHECK(hrefs("<a href = \"\" id=b>l</a>") == "<a href=\"\"id=b>l</a>");
  // "JavaScript:" is not "javascript:" to the block builder either.
  CHECK(hrefs("<a href=JavaScript:x>l</a>") == "<a href=h>l</a>");
  // A character reference, CR or NUL where it could change the answer is left to the
  // parser; later in the value the answer is known from its start.
  CHECK(hrefs("<a href=\"&#35;x\">l</a>") == "<a href=\"&#35;x\">l</a>");
  CHECK(hrefs("<a href=\" &#35;x\">l</a>") == "<a href=\" &#35;x\">l</a>");
  CHECK(hrefs("<a href=\"java&#115;cript:x()\">l</a>") == "<a href=\"java&#115;cript:x()\">l</a>");
  CHECK(hrefs("<a href=\"/search?q=1&amp;p=2\">l</a>") == "<a href=h>l</a>");
  CHECK(hrefs("<a href=\"jav&amp;\">l</a>") == "<a href=\"jav&amp;\">l</a>");
  CHECK(hrefs("<a href=\"jam&amp;\">l</a>") == "<a href=h>l</a>");
  CHECK(hrefs("<a href=\"#top&amp;x\">l</a>") == "<a href=\"\">l</a>");
  CHECK(hrefs("<a href=\"javascript:void(0)&amp;\">l</a>") == "<a href=\"\">l</a>");
  CHECK(hrefs("<a href=\"/a\rb\">l</a>") == "<a href=\"/a\rb\">l</a>");
  // An unquoted value may end in '/': it is not a self-closing flag.
  CHECK(hrefs("<a href=/x/>l</a>") == "<a href=h>l</a>");
  // Only <a>: canonical <link>s and <base> keep theirs.
  CHECK(hrefs("<link rel=canonical href=\"https://example.org/x\">") ==
        "<link rel=canonical href=\"https://example.org/x\">");
  // Off unless asked for.
  CHECK(prescan("<a href=\"/x\">l</a>") == "<a href=\"/x\">l</a>");
}

TEST_CASE("text runs go to the parser as placeholders, and come back whole") {
  using scrubtext::html::TextRuns;
  auto placeholders = [](const std::string& in, TextRuns& runs) { return prescan(in, {}, &runs); };
  TextRuns runs;
  const std::string page = "<p>  An article sentence.\n</p><p>Tom &amp; Jerry went home.</p>";
  const std::string out = placeholders(page, runs);  // runs.cores point into page
  // Spaces around the run stay; a run with a character reference is left to the parser.
  CHECK(out == "<p>  " + ph(0) + "\n</p><p>Tom &amp; Jerry went home.</p>");
  CHECK(runs.compact);
  REQUIRE(runs.cores.size() == 1);
  CHECK(runs.cores[0] == "An article sentence.");
  CHECK(scrubtext::html::expand_text_runs("x " + ph(0) + " y", runs) == "x An article sentence. y");
  // A placeholder character whose index is not one of the runs, or a cut one, is left as it is.
  CHECK(scrubtext::html::expand_text_runs(ph(7) + "|" + ph(0).substr(0, 3) + "|" + ph(0), runs) ==
        ph(7) + "|" + ph(0).substr(0, 3) + "|An article sentence.");
  // Short runs, and runs the parser would change (controls, CR, noncharacters), stay.
  for (const std::string& text : {std::string("tiny"), std::string("a bell \x07 in the text"),
                                  std::string("a carriage\rreturn inside"), std::string("a nonchar \xEF\xB7\x90 here"),
                                  std::string("a C1 control \xC2\x85 here"), std::string("a broken \xC3 sequence")}) {
    CAPTURE(text);
    CHECK(placeholders("<p>" + text + "</p>", runs) == "<p>" + text + "</p>");
  }
  // After a '<' written as text (a doctype, a CDATA section, "a < b"), text stays as it is.
  CHECK(placeholders("<!DOCTYPE html><p>Body text of the page.</p>", runs) ==
        "<!DOCTYPE html><p>" + ph(0) + "</p>");
  CHECK(prescan("<svg><![CDATA[ character data ]]></svg>", {.bodies = false}, &runs) ==
        "<svg><![CDATA[ character data ]]></svg>");
  // Nor is any part of a "]]>" hidden: it ends a CDATA section, even when a removed comment
  // joins two runs ("…]]<!-- -->>").
  for (const std::string text : {"<svg><![CDATA[ a <b> long text ]]> more text after it</svg>",
                                 "<math><![CDATA[ a <b> long text ]]<!-- c -->> more text after it</math>"}) {
    CAPTURE(text);
    const std::string scanned = prescan(text, {.bodies = false}, &runs);
    CHECK(scanned.find(" long text ]]") != std::string::npos);
  }
  // After a <frameset> (whose text the tree builder drops, keeping its whitespace), none.
  CHECK(prescan("<frameset>Some long text with spaces\n</frameset>", {}, &runs) ==
        "<frameset>Some long text with spaces\n</frameset>");
  // A page that holds a character of planes 15 or 16, or a reference to one, gets marker,
  // index, marker, the marker a private-use character of the BMP it neither holds nor
  // references (U+E000 first).
  const std::string marker = "\xEE\x80\x80", plane15 = "\xF3\xB0\x80\x81";  // U+E000, U+F0001
  const std::string in_plane15 = "<p>" + plane15 + " an icon and a long text</p>";  // runs.cores point into it
  CHECK(placeholders(in_plane15, runs) == "<p>" + marker + "0" + marker + "</p>");
  CHECK(!runs.compact);
  CHECK(runs.cores[0] == plane15 + " an icon and a long text");
  CHECK(scrubtext::html::expand_text_runs(marker + "0" + marker + "|" + marker + "7" + marker + "|" + marker + "0", runs) ==
        std::string(runs.cores[0]) + "|" + marker + "7" + marker + "|" + marker + "0");
  placeholders("<p>&#xF0000; and then a long text</p>", runs);
  CHECK(!runs.compact);
  placeholders("<p>&#983041 and then a long text</p>", runs);  // U+F0001, without its semicolon
  CHECK(!runs.compact);
  placeholders("<p>" + plane15 + marker + " an icon and a long text</p>", runs);
  CHECK(runs.marker == "\xEE\x80\x81");
  placeholders("<p>" + plane15 + "&#57344; an icon and a long text</p>", runs);
  CHECK(runs.marker == "\xEE\x80\x81");
  placeholders("<p>" + plane15 + "&#X0E000; an icon and a long text</p>", runs);
  CHECK(runs.marker == "\xEE\x80\x81");
  // Other characters of 4 bytes (emoji, a flag's tag characters of plane 14) leave it compact.
  placeholders("<p>\xF0\x9F\x98\x80 \xF3\xA0\x81\xA7 and then a long text</p>", runs);
  CHECK(runs.compact);
  // Without the runs argument, or with the step off, text is written as it is.
  CHECK(prescan("<p>An article sentence.</p>") == "<p>An article sentence.</p>");
  CHECK(prescan("<p>An article sentence.</p>", {.text = false}, &runs) == "<p>An article sentence.</p>");
  CHECK(runs.cores.empty());
}

TEST_CASE("a JSON-LD script body goes to the parser as one placeholder, and metadata reads it whole") {
  using scrubtext::html::TextRuns;
  TextRuns runs;
  // '<', '&' and an escaped "<!--" are plain characters of a script body; the end tag the
  // prescan found still ends it.
  const std::string body =
      "{\"@type\":\"NewsArticle\",\"headline\":\"Rivers & <b>floods</b>\",\"author\":{\"name\":\"Ana Lima\"},"
      "\"datePublished\":\"2021-03-04T10:00:00Z\",\"x\":\"<!--<script></script>-->\"}";
  const std::string page = "<html><head><script type=\"application/ld+json\">" + body +
                           "</script></head><body><p>Short.</p></body></html>";
  const std::string out = prescan(page, {}, &runs);
  CHECK(out.find("<script type=\"application/ld+json\">" + ph(0) + "</script>") != std::string::npos);
  REQUIRE(!runs.cores.empty());
  CHECK(runs.cores[0] == body);
  // A body the tokenizer would change (CR, NUL, a control character) is written as it is.
  for (const std::string& odd : {std::string("{\"a\":\"line\r\nbreak\"}"), std::string("{\"a\":\"nul\0here\"}", 16),
                                std::string("{\"a\":\"bell\x07\"}")}) {
    CAPTURE(odd);
    const std::string p = "<script type=application/ld+json>" + odd + "</script><p>x</p>";
    CHECK(prescan(p, {}, &runs).find(odd) != std::string::npos);
  }
  // The full pipeline reads the same metadata with and without the step.
  scrubtext::Options off;
  off.prescan = false;
  const scrubtext::Cleaner with, without(off);
  const std::string article = "<html><head><script type=\"application/ld+json\">" + body +
                              "</script></head><body><article><p>The river rose overnight and the town "
                              "woke to water in its streets, shops and schools.</p></article></body></html>";
  const scrubtext::Document a = with.clean(article), b = without.clean(article);
  CHECK(a.metadata.title == b.metadata.title);
  CHECK(a.metadata.title == std::optional<std::string>("Rivers & <b>floods</b>"));
  CHECK(a.metadata.authors == b.metadata.authors);
  CHECK(a.metadata.authors == std::vector<std::string>{"Ana Lima"});
  CHECK(a.metadata.date_published == b.metadata.date_published);
  CHECK(a.metadata.date_published == std::optional<std::string>("2021-03-04"));
  CHECK(a.text == b.text);
}

TEST_CASE("class values go to the parser as placeholders, and every element gets its own back") {
  using scrubtext::html::TextRuns;
  TextRuns runs;
  const scrubtext::html::PrescanSteps classes_only{.text = false, .attribute_lists = false};
  const std::string page =
      "<div class=\"article-body main-column wide\"><p CLASS='byline author-name'>A</p>"
      "<p class=tiny>B</p><p class=\"tom &amp; jerry and more\">C</p>"
      "<p class=\"first-of-two-values\" class=unquoted-second-value>D</p>"
      "<br class=\"self-closing-element-class\"/></div>";
  const std::string out = prescan(page, classes_only, &runs);
  // Values longer than a placeholder become one, inside their own quotes; short ones, ones
  // with a character reference, and a tag with two class attributes stay.
  CHECK(out == "<div class=\"" + ph(0) + "\"><p CLASS='" + ph(1) + "'>A</p><p class=tiny>B</p>"
               "<p class=\"tom &amp; jerry and more\">C</p><p class=\"first-of-two-values\" "
               "class=unquoted-second-value>D</p><br class=\"" + ph(2) + "\"/></div>");
  REQUIRE(runs.cores.size() == 3);
  CHECK(runs.classes == 3);
  CHECK(runs.cores[0] == "article-body main-column wide");
  CHECK(runs.cores[2] == "self-closing-element-class");
  // Put back as text, the placeholders give the page back.
  CHECK(scrubtext::html::expand_text_runs(out, runs) == page);
  CHECK(scrubtext::html::resolve_class(ph(1), &runs) == "byline author-name");
  // Anything else is the value itself: no placeholder, more than one, a placeholder with
  // more after it, an index out of range, no runs.
  CHECK(scrubtext::html::resolve_class("plain", &runs) == "plain");
  CHECK(scrubtext::html::resolve_class(ph(1) + ph(1), &runs) == ph(1) + ph(1));
  CHECK(scrubtext::html::resolve_class(ph(1) + "x", &runs) == ph(1) + "x");
  CHECK(scrubtext::html::resolve_class(ph(99), &runs) == ph(99));
  CHECK(scrubtext::html::resolve_class(ph(1), nullptr) == ph(1));
  // The parsed elements carry the values they had (the tokenizer keeps the first of two).
  {
    const scrubtext::html::ParsedHtml parsed(out);
    const auto dom = scrubtext::html::flatten(parsed.root(), 512, 1u << 20, &runs);
    std::vector<std::string> classes;
    for (const auto& n : dom.nodes)
      if (!n.is_text && !n.cls.empty()) classes.emplace_back(n.cls);
    CHECK(classes == std::vector<std::string>{"article-body main-column wide", "byline author-name", "tiny",
                                              "tom & jerry and more", "first-of-two-values",
                                              "self-closing-element-class"});
  }
  // Where the tree builder reads a tag the prescan wrote as text (a second <select> closes
  // the first, so the <title> is a real one and holds text), the text comes back whole.
  {
    const std::string select = "<select><select><title><e class=\"a-long-class-value\"></title><p>x</p>";
    const std::string scanned = prescan(select, classes_only, &runs);
    CHECK(runs.classes == 1);
    const scrubtext::html::ParsedHtml parsed(scanned);
    const auto dom = scrubtext::html::flatten(parsed.root(), 512, 1u << 20, &runs);
    bool found = false;
    for (const auto& n : dom.nodes) found = found || n.text == "<e class=\"a-long-class-value\">";
    CHECK(found);
  }
  // Formatting elements with one class value share its placeholder: the tree builder keeps at
  // most three equal ones in its list of active formatting elements, and reopens those.
  {
    const std::string nested = "<p><b class=\"same-long-class\"><b class=\"same-long-class\"><b class='same-long-class'>"
                               "<b class=\"same-long-class\"><i class=\"same-long-class\">x</p><p>after</p>";
    const std::string scanned = prescan(nested, classes_only, &runs);
    CHECK(runs.cores.size() == 1);  // one for the four b and the i
    const scrubtext::html::ParsedHtml a(scanned), b(prescan(nested, scrubtext::html::PrescanSteps::none()));
    const auto da = scrubtext::html::flatten(a.root(), 512, 1u << 20, &runs);
    const auto db = scrubtext::html::flatten(b.root(), 512, 1u << 20, nullptr);
    REQUIRE(da.nodes.size() == db.nodes.size());
    for (std::size_t k = 0; k < da.nodes.size(); ++k) {
      CHECK(da.nodes[k].tag == db.nodes[k].tag);
      CHECK(da.nodes[k].depth == db.nodes[k].depth);
      CHECK(da.nodes[k].cls == db.nodes[k].cls);
    }
  }
  // After foreign content left to the parser, values stay as written; without the runs
  // argument, or with the step off, too.
  const std::string foreign = "<svg><p>x</p></svg><div class=\"a-long-class-value-here\">t</div>";
  CHECK(prescan(foreign, classes_only, &runs).find("a-long-class-value-here") != std::string::npos);
  CHECK(prescan(page) == page);
  CHECK(prescan(page, {.text = false, .classes = false, .attribute_lists = false}, &runs) == page);
  CHECK(runs.classes == 0);
}

TEST_CASE("attribute lists go to the parser as one placeholder, and come back as the tokenizer makes them") {
  using scrubtext::html::TextRuns;
  const scrubtext::html::PrescanSteps lists_only{.text = false, .classes = false};
  TextRuns runs;
  const std::string page =
      "<div ID=main class=\"article-body wide\" data-x=1 role='main'><p class=byline id=a CLASS=second>A</p>"
      "<br class=\"self-closing-element\"/><hr class=unquoted-value /><p class=\"tom &amp; jerry\">B</p>"
      "<input type=hidden class=\"form-field-class\"><a class=\"link-class-name\" href=/x>C</a>"
      "<span id=\"x\"class=\"glued-after-quote\">D</span><p>E</p></div>";
  const std::string out = prescan(page, lists_only, &runs);
  // The attributes kept (data-x goes) become one bare name; a list with a reference, a tag
  // with two attributes of one name, and the attributes of input and a (read by the tree
  // builder) stay as written.
  CHECK(out == "<div " + ph(0) + "><p class=byline id=a CLASS=second>A</p><br " + ph(1) + "/><hr " + ph(2) +
                   " /><p class=\"tom &amp; jerry\">B</p><input type=hidden class=\"form-field-class\">"
                   "<a class=\"link-class-name\" href=/x>C</a><span " + ph(3) + ">D</span><p>E</p></div>");
  REQUIRE(runs.cores.size() == 4);
  CHECK(runs.attribute_lists == 4);
  CHECK(runs.cores[0] == "ID=main class=\"article-body wide\"role='main'");  // as the prescan writes it
  CHECK(runs.cores[3] == "id=\"x\"class=\"glued-after-quote\"");
  // Put back as text, the placeholders give what the prescan writes without them.
  CHECK(scrubtext::html::expand_text_runs(out, runs) == prescan(page, {.text = false, .classes = false,
                                                                       .attribute_lists = false}));
  // Parsed with the runs, every element has the attributes gumbo makes of the list: names
  // lowercased, values unquoted.
  const scrubtext::html::ParsedHtml parsed(out, &runs);
  const auto dom = scrubtext::html::flatten(parsed.root(), 512, 1u << 20, &runs);
  std::vector<std::string> seen;
  for (const auto& n : dom.nodes) {
    if (n.is_text || n.tag == GUMBO_TAG_HTML || n.tag == GUMBO_TAG_HEAD || n.tag == GUMBO_TAG_BODY) continue;
    std::string line = gumbo_normalized_tagname(n.tag);
    const GumboVector& attrs = n.g->v.element.attributes;
    for (unsigned a = 0; a < attrs.length; ++a) {
      const auto* at = static_cast<const GumboAttribute*>(attrs.data[a]);
      line += std::string(" ") + at->name + "=" + at->value;
    }
    line += " | cls=" + std::string(n.cls) + " id=" + std::string(attribute(n, scrubtext::html::Attr::Id));
    seen.push_back(line);
  }
  CHECK(seen == std::vector<std::string>{
                    "div id=main class=article-body wide role=main | cls=article-body wide id=main",
                    "p class=byline id=a | cls=byline id=a",
                    "br class=self-closing-element | cls=self-closing-element id=",
                    "hr class=unquoted-value | cls=unquoted-value id=",
                    "p class=tom & jerry | cls=tom & jerry id=",
                    "input type=hidden class=form-field-class | cls=form-field-class id=",
                    "a class=link-class-name href=/x | cls=link-class-name id=",
                    "span id=x class=glued-after-quote | cls=glued-after-quote id=x",
                    "p | cls= id="});
  // Without the runs the parser keeps the bare name.
  {
    const scrubtext::html::ParsedHtml bare(out);
    const auto d = scrubtext::html::flatten(bare.root(), 512, 1u << 20, nullptr);
    bool placeholder_name = false;
    for (const auto& n : d.nodes)
      if (!n.is_text && n.tag == GUMBO_TAG_DIV)
        placeholder_name = static_cast<const GumboAttribute*>(n.g->v.element.attributes.data[0])->name == ph(0);
    CHECK(placeholder_name);
  }
  // More than kMaxListedAttributes attributes stay as written, as do short lists.
  std::string many = "<div";
  for (std::size_t k = 0; k <= scrubtext::html::kMaxListedAttributes; ++k) many += " id=" + std::to_string(k);
  many += ">x</div><p id=1>y</p>";
  CHECK(prescan(many, lists_only, &runs) == many);
  // Where the tree builder reads a tag the prescan wrote as text (a second <select> closes the
  // first, so the <title> is a real one), the text comes back whole.
  {
    const std::string select = "<select><select><title><e id=x class=\"a-long-class-value\"></title><p>x</p>";
    const std::string scanned = prescan(select, lists_only, &runs);
    CHECK(runs.attribute_lists == 1);
    const scrubtext::html::ParsedHtml p(scanned, &runs);
    const auto d = scrubtext::html::flatten(p.root(), 512, 1u << 20, &runs);
    bool found = false;
    for (const auto& n : d.nodes) found = found || n.text == "<e id=x class=\"a-long-class-value\">";
    CHECK(found);
  }
  // After foreign content left to the parser, lists stay as written.
  const std::string foreign = "<svg><p>x</p></svg><div class=\"a-long-class-value-here\">t</div>";
  CHECK(prescan(foreign, lists_only, &runs).find("a-long-class-value-here") != std::string::npos);
}

TEST_CASE("unread elements go: head meta and link elements metadata skips, scripts without src or JSON-LD") {
  scrubtext::html::PrescanSteps only = scrubtext::html::PrescanSteps::none();
  only.unread_elements = true;
  auto unread = [&](const std::string& in) { return prescan(in, only); };
  // In the head: metadata reads og:title, description and the canonical link, not the rest.
  CHECK(unread("<html><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">"
               "<meta property=\"og:title\" content=\"T\"><meta name=Description content=d>"
               "<link rel=stylesheet href=a.css><link rel=\"Canonical\" href=\"https://e.org/a\">"
               "<title>T</title></head><body><p>x</p></body></html>") ==
        "<html><head><meta property=\"og:title\" content=\"T\"><meta name=Description content=d>"
        "<link rel=\"Canonical\" href=\"https://e.org/a\"><title>T</title></head><body><p>x</p></body></html>");
  // The key is the first non-empty of property, name, itemprop, http-equiv; no content, no read.
  CHECK(unread("<meta property=\"\" name=author content=A>") == "<meta property=\"\" name=author content=A>");
  CHECK(unread("<head><meta name=author content=\"\">") == "<head>");
  CHECK(unread("<head><meta name=author>") == "<head>");
  CHECK(unread("<meta http-equiv=Content-Language content=fr>") == "<meta http-equiv=Content-Language content=fr>");
  // Duplicate attributes: the first one counts, as for gumbo.
  // Two attributes of one name: gumbo joins the name after the duplicate to it ("it it
  // emprop" gives "itemprop"), so such an element is kept.
  CHECK(unread("<head><meta name=viewport name=author content=A>") == "<head><meta name=viewport name=author content=A>");
  CHECK(unread("<head><script s s rc=x></script>") == "<head><script s s rc=x></script>");
  CHECK(unread("<link rel=canonical rel=icon href=/a>") == "<link rel=canonical rel=icon href=/a>");
  // A character reference may decode to a key that is read: kept.
  CHECK(unread("<meta name=\"og&#58;title\" content=T>") == "<meta name=\"og&#58;title\" content=T>");
  // Once body content starts (an element, text, a '<' as text, an end tag), metas and links
  // stay: in the body they render apart from the words around them.
  CHECK(unread("<div></div><meta name=viewport content=x>") == "<div></div><meta name=viewport content=x>");
  CHECK(unread("text<link rel=icon href=/f.ico>") == "text<link rel=icon href=/f.ico>");
  CHECK(unread("1 < 2<meta name=x content=y>") == "1 < 2<meta name=x content=y>");
  CHECK(unread("</p><meta name=x content=y>") == "</p><meta name=x content=y>");
  // Whitespace, comments, doctypes and </head> keep the head open.
  CHECK(unread("<!DOCTYPE html>\n<head>\n<meta name=x content=y>\n</head>\n<link rel=icon href=/f>\n<body>") ==
        "<!DOCTYPE html>\n<head>\n\n</head>\n\n<body>");
  // Scripts: without src and JSON-LD they go anywhere, end tag included.
  CHECK(unread("<p>a<script>f()</script>b</p>") == "<p>a<!---->b</p>");
  CHECK(unread("<p>a<SCRIPT type=module>f()</SCRIPT >b</p>") == "<p>a<!---->b</p>");
  // After whitespace-only text it leaves a comment, which ends that text as the script did
  // (in a table the whitespace stays in it; the text after is moved before it).
  CHECK(unread("<table>\n<script>x</script>Fostered<tr>") == "<table>\n<!---->Fostered<tr>");
  CHECK(unread("<p>a <script>x</script>b") == "<p>a <!---->b");
  // Right after <pre> or <listing> too: a newline after the script is not the element's first.
  CHECK(unread("<listing><script></script>\nx") == "<listing><!---->\nx");
  CHECK(unread("<pre class=a><script>x</script>\nx") == "<pre class=a><!---->\nx");
  CHECK(unread("<script src=\"https://cmp.example/a.js\"></script>") == "<script src=\"https://cmp.example/a.js\"></script>");
  // Given the script-src rules, a src none of them matches is unread too.
  const scrubtext::detail::CompiledRules rules(scrubtext::RuleSet::builtin());
  only.script_rules = &rules;
  CHECK(unread("<p>a<script src=\"https://cdn.example/app.js\" async></script>b") == "<p>a<!---->b");
  CHECK(unread("<script src=\"https://consent.cookiebot.com/uc.js\"></script>") ==
        "<script src=\"https://consent.cookiebot.com/uc.js\"></script>");
  CHECK(unread("<script src=\"https://cdn.example/app.js?a=1&amp;b=2\"></script>") ==
        "<script src=\"https://cdn.example/app.js?a=1&amp;b=2\"></script>");
  only.script_rules = nullptr;
  CHECK(unread("<head><script src=\"\"></script><p>x") == "<head><p>x");
  // Before the tree builder has made the head, an element that would make it stays: a <head>
  // tag after it is ignored, attributes and all, and would not be without it.
  CHECK(unread("<meta name=x content=y><head class=page-head>") == "<meta name=x content=y><head class=page-head>");
  CHECK(unread("<link rel=icon href=/f><head id=h>") == "<link rel=icon href=/f><head id=h>");
  CHECK(unread("<script>x()</script><head id=h>") == "<script>x()</script><head id=h>");
  CHECK(unread("<title>T</title><meta name=x content=y><head id=h>") == "<title>T</title><head id=h>");
  CHECK(unread("</head><script>x()</script><p>x") == "</head><p>x");
  CHECK(unread("</p><script>x()</script><head id=h>") == "</p><script>x()</script><head id=h>");  // </p> makes nothing
  CHECK(unread("text<script>x()</script><p>x") == "text<!---->" "<p>x");
  CHECK(unread("<script type=\"application/ld+json\">{}</script>") == "<script type=\"application/ld+json\">{}</script>");
  // Kept: a character reference in the tag, a body that never closes, an end tag the input ends in.
  CHECK(unread("<script type=\"application/ld&#43;json\">{}</script>") ==
        "<script type=\"application/ld&#43;json\">{}</script>");
  CHECK(unread("<p>a<script>never closed") == "<p>a<script>never closed");
  CHECK(unread("<p>a<script>x</script") == "<p>a<script>x</script");
  // Nor after a title or style the prescan had to read as markup in a select: an <input>
  // may have closed the select, and then the title's text holds the "script".
  CHECK(unread("<select><input><title><script>x</script></title>") == "<select><input><title><script>x</script></title>");
  // After a frameset, or foreign content left to the parser, nothing is dropped.
  CHECK(unread("<frameset><script>x</script>") == "<frameset><script>x</script>");
  CHECK(unread("<svg><p>x</p><script>y</script>") == "<svg><p>x</p><script>y</script>");
}

TEST_CASE("pages built to make removals join markup clean the same with and without the prescan") {
  scrubtext::Options off;
  off.prescan = false;
  const scrubtext::Cleaner with, without(off);
  for (const std::string page : {"<p>Less than: a <<!-- c -->b> c, and more words after it.</p>",
                                 "<p>Less than: a <<style>p{}</style>/p> c, and more words after it.</p>",
                                 "<p>Less than: a <<script>x()</script>i>tal</i> c, and more words after it.</p>",
                                 // In a select, <style>, <title> and <svg> are ignored tags: what
                                 // follows is markup, and "</select>" ends the select.
                                 "<select><style></select><p>Article text that follows a select.</p></style>",
                                 "<select><title></select><p>Article text that follows a select.</p></title>",
                                 "<select><svg></select><p>Article text that follows a select.</p></svg>",
                                 "<p>Spaced  <b>bold</b> <i>it</i>\n<span>and</span>\t<a href=/x>link</a> text.</p>",
                                 // Text placeholders where the tree builder moves or treats text apart:
                                 // foster-parented table text, before <head>, after </body>, in a
                                 // <pre> with its first newline, in a select, in a table cell.
                                 "<table>  Foster parented text of the table. <tr><td>A cell with some words.</td></tr></table>",
                                 "Text before any head or body element, long enough.<p>A paragraph after it.</p>",
                                 "<p>The article body with a sentence.</p></body>  Text after the body ended here.",
                                 "<pre>\nPreformatted line one\n  indented line two\n</pre><p>And a paragraph.</p>",
                                 "<p>Choose one:<select><option>First option text</option></select> then read on.</p>",
                                 "<p>Visible <b>bold <i>nested</b> misnested text</i> after the formatting.</p>",
                                 // A second <select>, an <input>, a <textarea> close the select:
                                 // the <title> after them is a real one, its content text.
                                 "<select><select><title><b data-x=\"1\" class=\"a-long-class-value\">Title</b>"
                                 "</title><p>An article paragraph after the select.</p>",
                                 "<p>Form:<select><input><title><i style=\"x\" class=\"another-long-class\">T</i></title>"
                                 "</p><p>An article paragraph after the select.</p>",
                                 "<p>Form:<select><textarea>x</textarea><title><i onclick=\"x()\">T</i></title>"
                                 "</p><p>An article paragraph after the select.</p>",
                                 // Unread elements: in the head, between words, in a table, after
                                 // </head>, where whitespace meets around them.
                                 "<head><meta name=viewport content=x>\n<link rel=stylesheet href=a.css>\n"
                                 "<title>The title</title><script>var x;</script></head>"
                                 "<body><p>Article text after the head with several words.</p>",
                                 "<p>Words before<meta name=viewport content=x>after a body meta, and more.</p>",
                                 "<p>Words before<script>x()</script>after a body script, and more words.</p>",
                                 "<meta name=x content=y> Text straight after a head meta, long enough.<p>More.</p>",
                                 "<table><script>x()</script>  Foster parented text. <tr><td>A cell.</td></tr></table>",
                                 "<table>\n<script>x()</script>Foster parented words after a script.<tr><td>A cell.</td>"
                                 "</tr></table>",
                                 "<div>A block of words.</div>\n<script>a()</script>\n<b>x</b> and words of a sentence.",
                                 "<title>T</title></head>\n<meta name=x content=y>\n<link rel=x>\n"
                                 "<p>After the head closed, more words here.</p>"}) {
    CAPTURE(page);
    const scrubtext::Document a = with.clean(page), b = without.clean(page);
    CHECK(a.text == b.text);
    CHECK(a.metadata.title == b.metadata.title);
    CHECK(!a.text.empty());
  }
}

TEST_CASE("with every step off, the prescan gives back its input") {
  const std::string page =
      "<!DOCTYPE html><html><head><title>T</title><script>x</script></head>\n<body>\n"
      "<div class=a data-x=1>\n  <p>t <!-- c --> u</p><svg><path d=1/></svg>\n</div></body></html>";
  CHECK(prescan(page, scrubtext::html::PrescanSteps::none()) == page);
}

TEST_CASE("every prescan step, on and off, gives the same output on every benchmark page") {
  const auto shared = test::shared_dir();
  if (shared.empty()) {
    MESSAGE("../shared not found: benchmark equivalence skipped");
    return;
  }
  using scrubtext::html::PrescanSteps;
  const scrubtext::Options options;
  const scrubtext::detail::CompiledRules rules(scrubtext::RuleSet::builtin());
  scrubtext::RenderOptions render;
  render.explain = true;
  render.links = true;
  // All steps; none; and each one left out.
  const PrescanSteps all;
  const PrescanSteps variants[] = {
      PrescanSteps::none(),
      {.bodies = false},
      {.attributes = false},
      {.whitespace = false},
      {.text = false},
      {.classes = false},
      {.attribute_lists = false},
      {.unread_elements = false}};
#ifdef SCRUBTEXT_SANITIZED
  constexpr int kStride = 6;  // every 6th page under ASan+UBSan; all of them in the Release suite
#else
  constexpr int kStride = 1;
#endif
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(shared / "bench/aeb/html")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  CHECK(files.size() == 181);
  int pages = 0;
  for (std::size_t f = 0; f < files.size(); f += kStride) {
    const std::filesystem::path& path = files[f];
    const std::string gz = test::read_file(path);
    INFO(path.filename().string());
    const scrubtext::SourceInfo source{.name = path.filename().string()};
    const std::string expected =
        scrubtext::render(scrubtext::detail::clean_bytes(gz, source, options, rules, all), scrubtext::Format::Json, render);
    REQUIRE(expected.find("\"text\"") != std::string::npos);
    for (const PrescanSteps& v : variants) {
      CAPTURE(v.bodies);
      CAPTURE(v.attributes);
      CAPTURE(v.whitespace);
      CAPTURE(v.text);
      CAPTURE(v.classes);
      CAPTURE(v.attribute_lists);
      CAPTURE(v.unread_elements);
      CHECK(scrubtext::render(scrubtext::detail::clean_bytes(gz, source, options, rules, v), scrubtext::Format::Json,
                              render) == expected);
    }
    // Without links: the same output, bar the links, with hrefs reduced or not.
    {
      scrubtext::Options no_links = options;
      no_links.links = false;
      PrescanSteps reduced = all;
      reduced.link_targets = true;
      scrubtext::RenderOptions plain = render;
      plain.links = false;
      const std::string with_links = scrubtext::render(
          scrubtext::detail::clean_bytes(gz, source, options, rules, all), scrubtext::Format::Json, plain);
      const scrubtext::Document a = scrubtext::detail::clean_bytes(gz, source, no_links, rules, all);
      const scrubtext::Document b = scrubtext::detail::clean_bytes(gz, source, no_links, rules, reduced);
      CHECK(scrubtext::render(a, scrubtext::Format::Json, plain) == with_links);
      CHECK(scrubtext::render(b, scrubtext::Format::Json, plain) == with_links);
      for (const auto& block : b.blocks) CHECK(block.links.empty());
    }
    // The text placeholders stand exactly for the runs they replaced; the class placeholders
    // give every element the class value it had, the attribute-list ones all its attributes.
    {
      const std::string html = scrubtext::input::gunzip(gz, 1u << 30).data;
      scrubtext::html::TextRuns runs;
      PrescanSteps text_only = all;
      text_only.classes = false;
      text_only.attribute_lists = false;
      const std::string with_runs = prescan(html, text_only, &runs);
      CHECK(runs.cores.size() > 10);
      CHECK(runs.classes == 0);
      CHECK(scrubtext::html::expand_text_runs(with_runs, runs) == prescan(html, all));
      PrescanSteps classes_only = all;
      classes_only.text = false;
      classes_only.attribute_lists = false;
      scrubtext::html::TextRuns class_runs;
      const std::string with_classes = prescan(html, classes_only, &class_runs);
      CHECK(class_runs.classes == class_runs.cores.size());
      CHECK(scrubtext::html::expand_text_runs(with_classes, class_runs) == prescan(html, classes_only));
      const std::string without_classes = prescan(html, all);
      CHECK(with_classes.size() < without_classes.size());
      const scrubtext::html::ParsedHtml pa(with_classes), pb(without_classes);
      const auto da = scrubtext::html::flatten(pa.root(), 512, 1u << 22, &class_runs);
      const auto db = scrubtext::html::flatten(pb.root(), 512, 1u << 22, nullptr);
      REQUIRE(da.nodes.size() == db.nodes.size());
      std::size_t differ = 0;
      for (std::size_t k = 0; k < da.nodes.size(); ++k) {
        differ += da.nodes[k].cls != db.nodes[k].cls;
        if (da.nodes[k].tag != db.nodes[k].tag) ++differ;
      }
      CHECK(differ == 0);
      PrescanSteps lists_only = all;
      lists_only.text = false;
      lists_only.classes = false;
      scrubtext::html::TextRuns list_runs;
      const std::string with_lists = prescan(html, lists_only, &list_runs);
      CHECK(list_runs.attribute_lists == list_runs.cores.size());
      CHECK(list_runs.attribute_lists > 10);
      CHECK(scrubtext::html::expand_text_runs(with_lists, list_runs) == without_classes);
      const scrubtext::html::ParsedHtml pl(with_lists, &list_runs);
      const auto dl = scrubtext::html::flatten(pl.root(), 512, 1u << 22, &list_runs);
      REQUIRE(dl.nodes.size() == db.nodes.size());
      for (std::size_t k = 0; k < dl.nodes.size(); ++k) {
        const auto &x = dl.nodes[k], &y = db.nodes[k];
        differ += x.tag != y.tag || x.cls != y.cls || x.attrs != y.attrs || x.text != y.text;
        if (x.is_text) continue;
        const GumboVector &ax = x.g->v.element.attributes, &ay = y.g->v.element.attributes;
        differ += ax.length != ay.length;
        for (unsigned a = 0; a < std::min(ax.length, ay.length); ++a) {
          const auto* p = static_cast<const GumboAttribute*>(ax.data[a]);
          const auto* q = static_cast<const GumboAttribute*>(ay.data[a]);
          differ += std::string_view(p->name) != q->name || std::string_view(p->value) != q->value;
        }
      }
      CHECK(differ == 0);
    }
    // With no step, the prescan is the identity.
    const std::string html = scrubtext::input::gunzip(gz, 1u << 30).data;
    CHECK(prescan(html, PrescanSteps::none()) == html);
    ++pages;
  }
  CHECK(pages == static_cast<int>((files.size() + kStride - 1) / kStride));
}
