// DOM → blocks: block boundaries, whitespace, entities, pruning.
#include "scrubtext/scrubtext.h"
#include "support.h"

namespace {
scrubtext::Document clean_html(const std::string& body) {
  static const scrubtext::Cleaner cleaner;
  scrubtext::SourceInfo src;
  src.kind = scrubtext::InputKind::Html;
  return cleaner.clean("<html><head><title>T</title></head><body>" + body + "</body></html>", src);
}
const std::string kFiller =
    "This paragraph is long enough to be scored as article text, with commas, clauses, and a full stop.";
}  // namespace

TEST_CASE("no words are glued across element boundaries") {
  const auto doc = clean_html("<article><p>" + kFiller + "</p><p>first word</p><p>Next word</p>"
                              "<table><tr><td>first cell alpha</td><td>second cell beta</td></tr></table><p>line one<br>line two</p>"
                              "<p>" + kFiller + "</p></article>");
  CHECK(doc.text.find("wordNext") == std::string::npos);
  CHECK(doc.text.find("first word\n\nNext word") != std::string::npos);
  CHECK(doc.text.find("first cell alpha | second cell beta") != std::string::npos);
  CHECK(doc.text.find("line one\nline two") != std::string::npos);
}

TEST_CASE("entities are decoded and whitespace collapsed; inline tags do not add spaces") {
  const auto doc = clean_html("<article><p>" + kFiller + "</p><p>Caf&eacute;&nbsp;&amp;   bar,\n\t<b>bold</b>ly "
                              "&ldquo;quoted&rdquo; H<sub>2</sub>O</p><p>" + kFiller + "</p></article>");
  CHECK(doc.text.find("Caf\xC3\xA9 & bar, boldly \xE2\x80\x9Cquoted\xE2\x80\x9D H2O") != std::string::npos);
}

TEST_CASE("headings and list items are their own blocks") {
  const auto doc = clean_html("<article><h1>T</h1><p>" + kFiller + "</p><h2>Section</h2><p>" + kFiller +
                              "</p><ul><li>one</li><li>two</li></ul><p>" + kFiller + "</p></article>");
  bool heading = false, items = false;
  for (const auto& b : doc.blocks) {
    if (b.kind == scrubtext::BlockKind::Heading && b.text == "Section" && b.kept) heading = b.level == 2;
    if (b.kind == scrubtext::BlockKind::ListItem && b.text == "two" && b.kept) items = true;
  }
  CHECK(heading);
  CHECK(items);
  CHECK(doc.text.find("Section\n\n") != std::string::npos);
}

TEST_CASE("navigation, hidden elements and share bars are pruned with a reason") {
  const auto doc = clean_html(
      "<nav><a href=/>Home</a> <a href=/news>News</a></nav>"
      "<article><p>" + kFiller + "</p>"
      "<div class=\"share-buttons\"><a href=#>Facebook</a> <a href=#>Twitter</a></div>"
      "<p hidden>Secret hidden text</p><div style=\"display: none\">Invisible text</div>"
      "<p>" + kFiller + "</p></article><footer>Copyright footer text</footer>");
  CHECK(doc.text.find("Facebook") == std::string::npos);
  CHECK(doc.text.find("Secret") == std::string::npos);
  CHECK(doc.text.find("Invisible") == std::string::npos);
  CHECK(doc.text.find("Copyright footer") == std::string::npos);
  CHECK(doc.text.find("Home") == std::string::npos);
  bool share_reason = false;
  for (const auto& b : doc.blocks)
    if (!b.kept && b.text.find("Facebook") != std::string::npos) share_reason = b.rule_id == "boilerplate.attr.share";
  CHECK(share_reason);
}

TEST_CASE("main content wins over a longer sidebar of links") {
  std::string links;
  for (int i = 0; i < 30; ++i) links += "<li><a href=/x" + std::to_string(i) + ">Another story headline number " + std::to_string(i) + "</a></li>";
  const auto doc = clean_html("<div id=sidebar><ul>" + links + "</ul></div><div class=story><p>" + kFiller + "</p><p>" +
                              kFiller + "</p><p>The end of the story, told plainly, with a final sentence.</p></div>");
  CHECK(doc.text.find("Another story headline") == std::string::npos);
  CHECK(doc.text.find("The end of the story") != std::string::npos);
}

TEST_CASE("links: byte spans of each block's text, rendered in Markdown and JSON on request") {
  const std::string html =
      "<html><body><article><h1>Harbour works approved</h1>"
      "<p>The council <a href=\"https://example.org/vote\">approved the budget</a> on Monday after a debate that "
      "lasted <a href=\" /minutes#p3 \"><b>three</b> hours</a>, and the <a href=\"#top\">mayor</a> spoke [briefly] "
      "to the press about <a href=\"https://example.org/a (b)\">the works</a> and <a>nothing</a>.</p>"
      "<p>Residents had asked for a new pier for years, and the harbour master said the works would start in "
      "spring, with a first phase finished before the summer season.</p></article></body></html>";
  const scrubtext::Cleaner cleaner;
  const scrubtext::Document doc = cleaner.clean(html);
  const scrubtext::Block* para = nullptr;
  for (const auto& b : doc.blocks)
    if (b.kept && b.text.starts_with("The council")) para = &b;
  REQUIRE(para != nullptr);
  REQUIRE(para->links.size() == 3);  // "#top" and the <a> without href are not links
  auto span = [&](const scrubtext::Link& l) { return para->text.substr(l.begin, l.end - l.begin); };
  CHECK(span(para->links[0]) == "approved the budget");
  CHECK(para->links[0].href == "https://example.org/vote");
  CHECK(span(para->links[1]) == "three hours");  // one span across the <b> inside the link
  CHECK(para->links[1].href == "/minutes#p3");   // trimmed, not resolved
  CHECK(span(para->links[2]) == "the works");

  scrubtext::RenderOptions ro;
  CHECK(scrubtext::render(doc, scrubtext::Format::Markdown, ro).find("](") == std::string::npos);
  ro.links = true;
  const std::string md = scrubtext::render(doc, scrubtext::Format::Markdown, ro);
  CHECK(md.find("The council [approved the budget](https://example.org/vote) on Monday") != std::string::npos);
  CHECK(md.find("lasted [three hours](/minutes#p3), and the mayor spoke [briefly] to") != std::string::npos);
  CHECK(md.find("[the works](https://example.org/a%20%28b%29) and nothing.") != std::string::npos);
  const std::string json = scrubtext::render(doc, scrubtext::Format::Json, ro);
  CHECK(json.find("\"links\": [") != std::string::npos);
  CHECK(json.find("\"text\": \"three hours\"") != std::string::npos);
  // Plain text never changes.
  CHECK(scrubtext::render(doc, scrubtext::Format::Text, ro) == scrubtext::render(doc, scrubtext::Format::Text));
}
