// Prescan: removes only what extraction never reads, and changes no extracted byte.
#include <algorithm>
#include <vector>

#include "html/prescan.h"
#include "input/gzip.h"
#include "scrubtext/scrubtext.h"
#include "support.h"

using scrubtext::html::strip_raw_text_bodies;

TEST_CASE("script, style and svg bodies go; JSON-LD and text stay") {
  const std::string in =
      "<html><head><script>var a = '</div>'; if (a < b) {}</script><style>p{}</style>"
      "<script type=\"application/ld+json\">{\"headline\":\"H\"}</script></head>"
      "<body><p>One <svg><title>icon</title><svg><path/></svg></svg>two</p><!-- note --></body></html>";
  const std::string out = strip_raw_text_bodies(in);
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
  CHECK(strip_raw_text_bodies("<script data-x=\"a>b\">evil()</script><p>ok</p>").find("evil") == std::string::npos);
  // Uppercase tags, and an end tag only counts when a delimiter follows the name.
  CHECK(strip_raw_text_bodies("<SCRIPT>x='</scripty>';y()</SCRIPT><p>ok</p>").find("y()") == std::string::npos);
  CHECK(strip_raw_text_bodies("<SCRIPT>x()</SCRIPT><p>ok</p>").find("<p>ok</p>") != std::string::npos);
  // Double-escaped script data: "</script>" inside "<!-- <script>" does not close it.
  const std::string esc = strip_raw_text_bodies(
      "<script><!-- document.write('<script>f()</script>'); g() --></script><p>after</p>");
  CHECK(esc.find("g()") == std::string::npos);
  CHECK(esc.find("<p>after</p>") != std::string::npos);
  // "<!-->" and "<!--->" enter and leave the escape at once: the next "<script>" does not
  // double-escape, so the first "</script>" closes the body.
  for (const char* open : {"<!-->", "<!--->"}) {
    CAPTURE(open);
    const std::string s = strip_raw_text_bodies(std::string("<script>a ") + open +
                                                " b <script> c</script><p>kept</p><script>d</script>");
    CHECK(s.find("<p>kept</p>") != std::string::npos);
  }
  // "<!--x" stays escaped: there "<script>" double-escapes and "</script>" does not close.
  CHECK(strip_raw_text_bodies("<script>a <!--x <script> c</script><p>inside</p></script><p>after</p>")
            .find("<p>inside</p>") == std::string::npos);
  // Title and textarea hold text: a "<script>" in them is not a script.
  CHECK(strip_raw_text_bodies("<title>a <script> b</title>").find("a <script> b") != std::string::npos);
  // An unterminated script swallows the rest, as the tokenizer does.
  CHECK(strip_raw_text_bodies("<p>x</p><script>never closed <p>y</p>").find("<p>y</p>") == std::string::npos);
  // A lone '<' in text survives.
  CHECK(strip_raw_text_bodies("<p>1 < 2</p>") == "<p>1 < 2</p>");
}

TEST_CASE("the full pipeline gives identical output with and without the prescan on every benchmark page") {
  const auto shared = test::shared_dir();
  if (shared.empty()) {
    MESSAGE("../shared not found: benchmark equivalence skipped");
    return;
  }
  scrubtext::Options with, without;
  without.prescan = false;
  const scrubtext::Cleaner a(with), b(without);
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
    const scrubtext::Document da = a.clean(gz), db = b.clean(gz);
    INFO(path.filename().string());
    CHECK(da.text == db.text);
    CHECK(da.metadata.title == db.metadata.title);
    ++pages;
  }
  CHECK(pages == static_cast<int>((files.size() + kStride - 1) / kStride));
}
