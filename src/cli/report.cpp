// The HTML run report. See report.h for what it shows and how it stays small.
//
// Layout of the file: head (CSS, header, totals, charts, rule tables, languages, slowest
// pages, failures, page list), then the page sections, then the script. Reports of up to
// kInlinePages pages are plain markup: a table row and a <details> per page, readable without
// script. Larger ones would take the browser seconds to parse (10,000 <details> alone take
// ~5 s), so their page list is JSON that the script shows 50 rows at a time, and all page
// sections are the text of one <script type="text/x-scrubtext-pages">, one line per page,
// which the browser does not parse; the script builds a page's section when it is opened.
// A 10,000-page report (45 MB) is ready in about 1.5 s.
#include "cli/report.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "scrubtext/version.h"

namespace scrubtext::cli {
namespace {

// The report stays under this size whatever the number of pages (up to ~20,000 pages; past
// that the page list alone grows beyond it).
constexpr std::size_t kBudgetBytes = 45'000'000;
// Reports with at most this many pages carry their blocks as markup (readable without script).
constexpr std::size_t kInlinePages = 100;
// Longest block text kept per block, in code points.
constexpr std::size_t kBlockChars = 600;
// Rows of the page list shown at once, bars of the rule chart, rows of the slowest table.
constexpr std::size_t kTopRules = 20;
constexpr std::size_t kSlowest = 10;
constexpr std::size_t kTopLanguages = 15;

constexpr std::array<Family, 7> kFamilies = {Family::Consent, Family::Sprite,    Family::Notice,  Family::Chrome,
                                             Family::Boilerplate, Family::Selection, Family::Metadata};

int family_index(Family f) {
  for (std::size_t i = 0; i < kFamilies.size(); ++i)
    if (kFamilies[i] == f) return static_cast<int>(i);
  return -1;
}

// ---------------------------------------------------------------------------------------
// Text helpers.

// Appends `s` as valid UTF-8: invalid sequences and C0 controls other than tab, line feed and
// carriage return become U+FFFD.
void append_clean_utf8(std::string& out, std::string_view s) {
  static constexpr char kReplacement[] = "\xEF\xBF\xBD";
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) out += kReplacement;
      else out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t min = 0;
    if (c >= 0xC2 && c <= 0xDF) len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, min = 0x10000;
    bool ok = len > 0 && i + len <= s.size();
    std::uint32_t cp = ok ? (c & (0xFFu >> (len + 1))) : 0;
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    if (!ok) {
      out += kReplacement;
      ++i;
      continue;
    }
    out.append(s.substr(i, len));
    i += len;
  }
}

std::string clean_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_clean_utf8(out, s);
  return out;
}

// The first `max_cp` code points of valid UTF-8 `s`; `cut` tells whether anything was left out.
std::string_view prefix_cp(std::string_view s, std::size_t max_cp, bool* cut = nullptr) {
  std::size_t cps = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (cps == max_cp) {
      if (cut) *cut = true;
      return s.substr(0, i);
    }
    ++cps;
  }
  if (cut) *cut = false;
  return s;
}

// Appends `s` (valid UTF-8) escaped for HTML text and attribute values.
void esc(std::string& out, std::string_view s) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char* rep = nullptr;
    switch (s[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&#39;"; break;
      default: continue;
    }
    out.append(s.substr(start, i - start));
    out += rep;
    start = i + 1;
  }
  out.append(s.substr(start));
}

std::string esc(std::string_view s) {
  std::string out;
  esc(out, s);
  return out;
}

// Appends `s` (valid UTF-8) as a JSON string that is also safe inside a <script> element
// ('<' is written \u003c, so neither "</script" nor "<!--" can appear).
void json_str(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '<') out += "\\u003c";
    else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else out += c;
  }
  out += '"';
}

// Escaped prefix of at most `max_cp` code points, with "…" when cut.
void esc_cut(std::string& out, std::string_view s, std::size_t max_cp) {
  bool cut = false;
  esc(out, prefix_cp(s, max_cp, &cut));
  if (cut) out += "\xE2\x80\xA6";
}

// Line breaks (inside block text) as character references, so that a section is one line.
void one_line(std::string& s) {
  if (s.find_first_of("\r\n") == std::string::npos) return;
  std::string out;
  out.reserve(s.size() + 64);
  for (char c : s) {
    if (c == '\n') out += "&#10;";
    else if (c == '\r') out += "&#13;";
    else out += c;
  }
  s.swap(out);
}

std::string fmt_fixed(double v, int decimals) {
  if (!std::isfinite(v)) v = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// 12345 -> "12,345".
std::string fmt_count(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string fmt_percent(double share) { return fmt_fixed(share * 100.0, share > 0 && share < 0.1 ? 1 : 0) + "%"; }

// A timing value, delimited so that tools can strip it when comparing reports.
std::string timing(const std::string& s) { return "<!--t-->" + s + "<!--/t-->"; }

std::string fmt_ms(double seconds) { return fmt_fixed(seconds * 1000.0, seconds < 0.01 ? 2 : 1); }

constexpr const char* kNoExplanation = "No explanation is recorded for this rule id.";

// ---------------------------------------------------------------------------------------
// Rule explanations for the ids the library assigns itself (structure, selection,
// metadata); ids from rule files take their explanation from the RuleSet.
std::string builtin_explanation(const std::string& id) {
  static const std::pair<const char*, const char*> kExact[] = {
      {"sprite.glued-names",
       "Names of an inline SVG icon sprite or asset ids, glued together by a text dump (arrow-downarrow-left…)."},
      {"consent.dialog-member", "Part of a cookie-consent dialog: a label or toggle between the dialog's other blocks."},
      {"chrome.repeated-line", "A short line repeated three times or more on the page: interface labels, not prose."},
      {"boilerplate.caption", "A photo or table caption: it describes what a reader of the text does not see."},
      {"boilerplate.link-only", "A short paragraph that is nothing but a link: a cross-link to another page."},
      {"boilerplate.tag.dialog", "Inside a <dialog> element: a pop-up, not the article."},
      {"boilerplate.hidden.attribute", "Inside an element with the hidden attribute: never shown to readers."},
      {"boilerplate.hidden.aria", "Inside an element with aria-hidden=\"true\": not part of what readers get."},
      {"boilerplate.hidden.style", "Inside an element hidden by its inline style (display:none, visibility:hidden)."},
      {"metadata.headline", "The headline: moved into the title field rather than repeated in the body."},
      {"metadata.date-line", "A line that is only a date: moved into the date field."},
      {"select.outside-main", "Outside the main content that scrubtext chose for the page."},
      {"select.conditional.negative-score",
       "Inside the main content, in a container whose score and class/id hints say it is not article text."},
      {"select.conditional.image-gallery", "Inside the main content, in an image gallery (more images than paragraphs)."},
      {"select.conditional.list-heavy", "Inside the main content, in a container with more list items than paragraphs."},
      {"select.conditional.form", "Inside the main content, in a form."},
      {"select.conditional.short", "Inside the main content, in a tiny container of under 25 characters."},
      {"select.conditional.link-dense", "Inside the main content, in a container whose text is mostly links."},
      {"select.conditional.link-list", "Inside the main content, in a short list of links."},
      {"select.conditional.embeds", "Inside the main content, in a container of embedded videos or frames."},
  };
  for (const auto& [k, v] : kExact)
    if (id == k) return v;
  if (id.rfind("boilerplate.tag.", 0) == 0)
    return "Inside a <" + id.substr(16) + "> element: page furniture, not the article.";
  if (id.rfind("boilerplate.role.", 0) == 0)
    return "Inside an element with ARIA role \"" + id.substr(17) + "\": page furniture, not the article.";
  return {};
}

// ---------------------------------------------------------------------------------------
// What is kept of a page for its section (spooled to disk between add_page and write).

struct StoredBlock {
  std::uint8_t kind = 0, level = 0, family = 0;
  bool kept = true, cut = false;
  std::string rule, text;
};

struct StoredPage {
  std::uint64_t index = 0;
  std::string source, input_kind, charset, language, chrome_language;
  double confidence = 0;
  std::uint64_t invalid_bytes = 0;
  bool truncated = false;
  std::vector<std::pair<std::string, double>> languages;
  std::vector<std::pair<std::string, std::string>> meta;  // label, value (present fields only)
  std::vector<StoredBlock> blocks;
};

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void u64(std::uint64_t v) {
    char b[8];
    std::memcpy(b, &v, 8);
    out_.append(b, 8);
  }
  void f64(double v) {
    char b[8];
    std::memcpy(b, &v, 8);
    out_.append(b, 8);
  }
  void u8(std::uint8_t v) { out_ += static_cast<char>(v); }
  void str(std::string_view s) {
    u64(s.size());
    out_.append(s);
  }

 private:
  std::string& out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    if (take(8)) std::memcpy(&v, in_.data() + pos_ - 8, 8);
    return v;
  }
  double f64() {
    double v = 0;
    if (take(8)) std::memcpy(&v, in_.data() + pos_ - 8, 8);
    return v;
  }
  std::uint8_t u8() { return take(1) ? static_cast<std::uint8_t>(in_[pos_ - 1]) : 0; }
  std::string str() {
    const std::uint64_t n = u64();
    if (!take(n)) return {};
    return std::string(in_.substr(pos_ - n, n));
  }

 private:
  bool take(std::uint64_t n) {
    if (!ok_ || n > in_.size() - pos_) return ok_ = false;
    pos_ += n;
    return true;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

void serialize(const StoredPage& p, std::string& out) {
  Writer w(out);
  w.u64(p.index);
  w.str(p.source);
  w.str(p.input_kind);
  w.str(p.charset);
  w.str(p.language);
  w.str(p.chrome_language);
  w.f64(p.confidence);
  w.u64(p.invalid_bytes);
  w.u8(p.truncated);
  w.u64(p.languages.size());
  for (const auto& [code, share] : p.languages) {
    w.str(code);
    w.f64(share);
  }
  w.u64(p.meta.size());
  for (const auto& [k, v] : p.meta) {
    w.str(k);
    w.str(v);
  }
  w.u64(p.blocks.size());
  for (const auto& b : p.blocks) {
    w.u8(b.kind);
    w.u8(b.level);
    w.u8(b.family);
    w.u8(static_cast<std::uint8_t>((b.kept ? 1 : 0) | (b.cut ? 2 : 0)));
    w.str(b.rule);
    w.str(b.text);
  }
}

bool deserialize(std::string_view in, StoredPage& p) {
  Reader r(in);
  p.index = r.u64();
  p.source = r.str();
  p.input_kind = r.str();
  p.charset = r.str();
  p.language = r.str();
  p.chrome_language = r.str();
  p.confidence = r.f64();
  p.invalid_bytes = r.u64();
  p.truncated = r.u8() != 0;
  const std::uint64_t nl = r.u64();
  p.languages.clear();
  for (std::uint64_t i = 0; i < nl && r.ok(); ++i) {
    std::string code = r.str();
    p.languages.emplace_back(std::move(code), r.f64());
  }
  const std::uint64_t nm = r.u64();
  p.meta.clear();
  for (std::uint64_t i = 0; i < nm && r.ok(); ++i) {
    std::string k = r.str();
    p.meta.emplace_back(std::move(k), r.str());
  }
  const std::uint64_t nb = r.u64();
  p.blocks.clear();
  for (std::uint64_t i = 0; i < nb && r.ok(); ++i) {
    StoredBlock b;
    b.kind = r.u8();
    b.level = r.u8();
    b.family = r.u8();
    const std::uint8_t flags = r.u8();
    b.kept = flags & 1;
    b.cut = (flags & 2) != 0;
    b.rule = r.str();
    b.text = r.str();
    p.blocks.push_back(std::move(b));
  }
  return r.ok();
}

// ---------------------------------------------------------------------------------------
// Levels of detail of a page section, finest first. write() gives each page the finest
// level that fits the size budget.
struct Level {
  std::size_t kept_chars;     // per kept block
  std::size_t removed_chars;  // per removed block (0: rule only)
  bool fold;                  // runs of blocks removed by the same rule become one line
  int mode;                   // 0 blocks, 1 rule summary and text excerpt, 2 counts only
};
constexpr Level kLevels[] = {
    {kBlockChars, kBlockChars, false, 0}, {240, 160, false, 0}, {100, 60, false, 0}, {100, 60, true, 0},
    {60, 0, true, 0},                     {0, 0, false, 1},     {0, 0, false, 2},
};
constexpr std::size_t kLevelCount = sizeof kLevels / sizeof kLevels[0];

const char* kind_class(BlockKind k) {
  switch (k) {
    case BlockKind::Heading: return "h";
    case BlockKind::ListItem: return "li";
    case BlockKind::Quote: return "q";
    case BlockKind::Preformatted: return "pre";
    case BlockKind::TableCell: return "tr";
    case BlockKind::Caption: return "cap";
    case BlockKind::Paragraph: break;
  }
  return "";
}

// How page sections are written. Inline (small reports): full markup with explanations, readable
// without script. Compact (lazy reports): a removed block is <p data-r="K">text</p>, K the rule's
// position in the rule table, and the script expands it when the page is opened.
struct BodyStyle {
  bool titles = true;
  bool compact = false;
  const std::map<std::string, std::size_t>* rule_pos = nullptr;
};

// Per-page summary kept in memory.
struct PageRow {
  std::uint64_t index = 0;
  std::string source, title, language;
  std::uint32_t kept = 0, removed = 0;
  double seconds = 0;
  std::vector<std::uint32_t> rules;      // the rules that fired on the page (interned ids)
  std::uint64_t offset = 0, length = 0;  // of the record in the spool
};

struct Failure {
  std::uint64_t index = 0;
  std::string source, reason;
};

struct RuleStat {
  std::size_t blocks = 0, pages = 0;
  int family = -1;
};

struct RuleInfo {
  std::string id, family, explain;
};

// A horizontal bar chart as inline SVG: one row per bar, the label and the count above the bar.
struct Bar {
  std::string key;    // data-key
  std::string label;  // shown
  std::string cls;    // CSS class of the bar (family colour)
  std::size_t count = 0;
  std::string href;   // optional in-page link
};

std::string bar_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars,
                      const std::string& unit) {
  constexpr int kWidth = 480, kRow = 34, kBarY = 17, kBarH = 11;
  std::size_t max = 1;
  for (const auto& b : bars) max = std::max(max, b.count);
  const int height = std::max(1, static_cast<int>(bars.size())) * kRow + 4;
  std::string aria;
  for (const auto& b : bars) aria += (aria.empty() ? "" : ", ") + b.label + " " + std::to_string(b.count);
  std::string s = "<svg id=\"" + id + "\" class=\"chart\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
                  std::to_string(height) + "\" role=\"img\" aria-labelledby=\"" + id + "-t\"><title id=\"" + id +
                  "-t\">" + esc(title + ": " + (aria.empty() ? "none" : aria) + " (" + unit + ")") + "</title>";
  int y = 0;
  for (const auto& b : bars) {
    const double w = static_cast<double>(kWidth) * static_cast<double>(b.count) / static_cast<double>(max);
    s += "<g class=\"bar\" data-key=\"" + esc(b.key) + "\" data-count=\"" + std::to_string(b.count) + "\">";
    if (!b.href.empty()) s += "<a href=\"" + esc(b.href) + "\" aria-label=\"" + esc(b.label + ": " + std::to_string(b.count) + " " + unit) + "\">";
    s += "<rect class=\"track\" x=\"0\" y=\"" + std::to_string(y + kBarY) + "\" width=\"" + std::to_string(kWidth) +
         "\" height=\"" + std::to_string(kBarH) + "\"/>";
    s += "<rect class=\"fill " + b.cls + "\" x=\"0\" y=\"" + std::to_string(y + kBarY) + "\" width=\"" +
         fmt_fixed(w, 1) + "\" height=\"" + std::to_string(kBarH) + "\"/>";
    s += "<text x=\"0\" y=\"" + std::to_string(y + 12) + "\">" + esc(b.label) + "</text>";
    s += "<text class=\"n\" x=\"" + std::to_string(kWidth) + "\" y=\"" + std::to_string(y + 12) +
         "\" text-anchor=\"end\">" + fmt_count(b.count) + "</text>";
    if (!b.href.empty()) s += "</a>";
    s += "</g>";
    y += kRow;
  }
  s += "</svg>";
  return s;
}

constexpr const char* kCss = R"CSS(
:root{--fg:#1d1f23;--muted:#5b616b;--bg:#fff;--line:#d8dbe0;--soft:#f4f5f7;--focus:#1a5fd0;
--consent:#c0392b;--consent-bg:#fbe4e1;--sprite:#7048b5;--sprite-bg:#ece4f8;--notice:#9a6a00;--notice-bg:#fdf0c8;
--chrome:#1f6fb2;--chrome-bg:#dcebf8;--boilerplate:#2e7d43;--boilerplate-bg:#dff0e3;--selection:#6b6f76;--selection-bg:#ebecee;
--metadata:#8a6d3b;--metadata-bg:#f6efe3}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
a{color:#1554b8}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.4em .8em}
.skip:focus{left:.5em;z-index:10}
header,main{max-width:72rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem;border-bottom:1px solid var(--line)}
h1{font-size:1.5rem;margin:.2em 0}
h2{font-size:1.2rem;margin:1.6em 0 .5em;padding-top:.3em;border-top:1px solid var(--line)}
h3{font-size:1rem;margin:1em 0 .4em}
main>h2:first-child,main>section:first-child>h2{border-top:0;margin-top:.8em}
.sub{color:var(--muted);margin:.2em 0 .6em}
nav.toc{display:flex;flex-wrap:wrap;gap:.3em 1em;margin:.5em 0 .8em}
.legend{display:flex;flex-wrap:wrap;gap:.4em;margin:.6em 0;padding:0;list-style:none}
.legend li{padding:0 .5em;border-radius:3px;border-left:4px solid;font-size:.85em}
.totals{display:grid;grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr));gap:.5rem;margin:.8em 0}
.totals div{background:var(--soft);border-radius:4px;padding:.4em .6em}
.totals dt{font-size:.8em;color:var(--muted)}
.totals dd{margin:0;font-size:1.15em;font-weight:600}
.note{color:var(--muted);font-size:.85em;font-style:italic}
.tw{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{text-align:left;padding:.3em .5em;border-bottom:1px solid var(--line);vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" \25B2"}
th[aria-sort=descending] button::after{content:" \25BC"}
.src,.ttl,code,.b p,.blocks p{overflow-wrap:anywhere}
.ttl{display:block;color:var(--muted);font-size:.9em}
svg.chart{width:100%;max-width:40rem;height:auto;display:block;font-size:12px}
svg.chart text{fill:var(--fg)}
svg.chart .track{fill:var(--soft)}
svg.chart .fill{fill:#5b7fb5}
svg.chart a:focus-visible rect.track{stroke:var(--focus);stroke-width:2}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,24rem),1fr));gap:0 2rem}
.search{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;margin:.5em 0}
.search input{font:inherit;padding:.3em .5em;min-width:0;flex:1 1 14rem;max-width:30rem;border:1px solid #8a9099;border-radius:3px}
.pager{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;margin:.5em 0}
.pager button{font:inherit;padding:.2em .7em}
details.pg{border:1px solid var(--line);border-radius:4px;margin:.4em 0}
details.pg>summary{cursor:pointer;padding:.4em .6em;background:var(--soft);list-style-position:inside}
details.pg[open]>summary{border-bottom:1px solid var(--line)}
summary .no{font-weight:600;margin-right:.4em}
summary .cnt{display:block;color:var(--muted);font-size:.85em}
.pb{padding:.2em .8em .8em}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em .8em;margin:.5em 0;font-size:.9em}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0;overflow-wrap:anywhere}
.langs{display:flex;flex-wrap:wrap;gap:.3em 1.2em;font-size:.9em;margin:.3em 0 .8em}
.lb{display:inline-block;width:5rem;height:.55em;background:var(--soft);margin-left:.4em;vertical-align:middle}
.lb span{display:block;height:100%;background:#5b7fb5}
.blocks p{margin:.35em 0;padding:.15em .4em;white-space:pre-line}
.blocks p.h{font-weight:700;font-size:1.05em}
.blocks p.li::before{content:"\2022  "}
.blocks p.q{border-left:3px solid var(--line);font-style:italic}
.blocks p.pre{font-family:ui-monospace,"DejaVu Sans Mono",monospace;white-space:pre-wrap;font-size:.9em}
.blocks p.cap{font-size:.9em;color:var(--muted)}
.x{border-left:4px solid;border-radius:2px}
.x del{text-decoration-thickness:1px;color:#3c3f44}
.x .mv{font-style:italic;color:#3c3f44}
.lab{display:inline-block;font:600 .78em/1.4 ui-monospace,"DejaVu Sans Mono",monospace;padding:0 .35em;margin-right:.45em;border-radius:3px;background:#fff;border:1px solid currentColor;white-space:normal;overflow-wrap:anywhere}
.x[title]:focus::after,.x[title]:hover::after{content:attr(title);display:block;margin-top:.3em;padding:.3em .5em;background:#26292e;color:#fff;border-radius:3px;font-size:.85em;white-space:normal}
ul.rsum{list-style:none;padding:0}
ul.rsum li{margin:.2em 0;padding:.1em .4em}
.f-consent{border-color:var(--consent);background:var(--consent-bg)} .f-consent .lab{color:var(--consent)}
.f-sprite{border-color:var(--sprite);background:var(--sprite-bg)} .f-sprite .lab{color:var(--sprite)}
.f-notice{border-color:var(--notice);background:var(--notice-bg)} .f-notice .lab{color:var(--notice)}
.f-chrome{border-color:var(--chrome);background:var(--chrome-bg)} .f-chrome .lab{color:var(--chrome)}
.f-boilerplate{border-color:var(--boilerplate);background:var(--boilerplate-bg)} .f-boilerplate .lab{color:var(--boilerplate)}
.f-selection{border-color:var(--selection);background:var(--selection-bg)} .f-selection .lab{color:var(--selection)}
.f-metadata{border-color:var(--metadata);background:var(--metadata-bg)} .f-metadata .lab{color:var(--metadata)}
svg .fill.f-consent{fill:var(--consent)} svg .fill.f-sprite{fill:var(--sprite)} svg .fill.f-notice{fill:var(--notice)}
svg .fill.f-chrome{fill:var(--chrome)} svg .fill.f-boilerplate{fill:var(--boilerplate)} svg .fill.f-selection{fill:var(--selection)}
svg .fill.f-metadata{fill:var(--metadata)}
ul.nf{columns:2 22rem;font-size:.85em;padding-left:1.2em}
ul.nf li{break-inside:avoid;margin-bottom:.3em}
footer{max-width:72rem;margin:2rem auto 1rem;padding:0 1rem;color:var(--muted);font-size:.85em}
@media (max-width:40rem){body{font-size:14px}header,main{padding:0 .6rem}dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:.3em}
.hide-narrow{display:none}}
)CSS";

constexpr const char* kScript = R"JS(
(function () {
  "use strict";
  var d = document, PER = 50;
  function $(id) { return d.getElementById(id); }
  function data(id) { var e = $(id); return e ? JSON.parse(e.textContent) : null; }
  function el(tag, cls, text) {
    var e = d.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // The rules that fired, by position (data-i): id, family, explanation.
  var rules = [], ruleAt = {};
  d.querySelectorAll("#ruletable tbody tr").forEach(function (tr) {
    var i = +tr.getAttribute("data-i");
    rules[i] = {id: tr.getAttribute("data-rule"), fam: tr.cells[1].textContent, ex: tr.querySelector(".ex").textContent};
    ruleAt[rules[i].id] = i;
  });
  // Removed blocks of compact sections (data-r="K") get their full markup; all get explanations.
  function expand(root) {
    root.querySelectorAll("[data-r]").forEach(function (e) {
      var r = rules[+e.getAttribute("data-r")], n = +(e.getAttribute("data-n") || 1);
      if (!r) return;
      e.removeAttribute("data-r");
      e.className = "x f-" + r.fam;
      e.tabIndex = 0;
      e.setAttribute("data-rule", r.id);
      var w = r.fam === "metadata" ? el("span", "mv") : el("del");
      while (e.firstChild) w.appendChild(e.firstChild);
      e.appendChild(el("span", "lab", r.id + (n > 1 ? " \u00d7" + n : "")));
      if (w.firstChild) e.appendChild(w);
    });
    root.querySelectorAll("[data-rule]:not([title])").forEach(function (e) {
      var i = ruleAt[e.getAttribute("data-rule")];
      if (i !== undefined) e.setAttribute("title", rules[i].ex);
    });
  }
  // Sortable tables (the page list sorts its model instead of its rows).
  var list = $("pagelist"), model = [], byNumber = {}, page = 0;
  function cellValue(c, num) {
    var v = c.hasAttribute("data-v") ? c.getAttribute("data-v") : c.textContent.trim();
    return num ? (parseFloat(v) || 0) : v.toLowerCase();
  }
  function compare(a, b, num, asc) {
    var c = num ? a - b : (a < b ? -1 : a > b ? 1 : 0);
    return asc ? c : -c;
  }
  d.querySelectorAll("table.sortable").forEach(function (t) {
    var ths = t.tHead.rows[0].cells;
    Array.prototype.forEach.call(ths, function (th, ci) {
      var b = th.querySelector("button");
      if (!b) return;
      b.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending", num = th.classList.contains("n");
        Array.prototype.forEach.call(ths, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        if (t === list) {
          model.sort(function (x, y) { return compare(x.v[ci], y.v[ci], num, asc) || x.n - y.n; });
          page = 0;
          paginate();
          return;
        }
        var tb = t.tBodies[0];
        var keyed = Array.prototype.map.call(tb.rows, function (r, i) { return [cellValue(r.cells[ci], num), i, r]; });
        keyed.sort(function (x, y) { return compare(x[0], y[0], num, asc) || x[1] - y[1]; });
        var f = d.createDocumentFragment();
        keyed.forEach(function (k) { f.appendChild(k[2]); });
        tb.appendChild(f);
      });
    });
  });
  // The page list: from its rows (small reports) or from data (large ones), 50 rows at a time.
  var q = $("q"), info = $("pginfo"), prev = $("pgprev"), next = $("pgnext"), count = $("qcount");
  if (list) {
    var rows = data("pagerows"), times = data("pagetimes") || [];
    if (rows) {
      model = rows.map(function (r, i) {
        return {n: r[0], src: r[1], title: r[2], lang: r[3], rules: r[6], pos: i, el: null,
                v: [r[0], r[1].toLowerCase(), r[3], r[4], r[5], times[i] || 0], ms: times[i], kept: r[4], removed: r[5]};
      });
    } else {
      model = Array.prototype.map.call(list.tBodies[0].rows, function (tr, i) {
        var a = tr.cells[1].querySelector("a"), t = tr.cells[1].querySelector(".ttl");
        return {n: +tr.cells[0].textContent, src: a.textContent, title: t ? t.textContent : "", lang: tr.cells[2].textContent,
                rules: (tr.getAttribute("data-r") || "").split(" ").filter(Boolean).map(Number), pos: i, el: tr,
                v: [0, 1, 2, 3, 4, 5].map(function (c) { return cellValue(tr.cells[c], c !== 1 && c !== 2); })};
      });
    }
    model.forEach(function (m) {
      m.key = (m.src + " " + m.title + " " + m.lang).toLowerCase();
      m.match = true;
      byNumber[m.n] = m;
    });
  }
  function rowOf(m) {
    if (m.el) return m.el;
    var tr = el("tr"), c = el("td"), a = el("a", "src", m.src);
    tr.appendChild(el("td", "n", String(m.n)));
    a.href = "#p" + m.n;
    c.appendChild(a);
    if (m.title) c.appendChild(el("span", "ttl", m.title));
    tr.appendChild(c);
    tr.appendChild(el("td", "", m.lang));
    tr.appendChild(el("td", "n", String(m.kept)));
    tr.appendChild(el("td", "n", String(m.removed)));
    tr.appendChild(el("td", "n", m.ms === undefined ? "" : String(m.ms)));
    return (m.el = tr);
  }
  function paginate() {
    var shown = model.filter(function (m) { return m.match; });
    var pages = Math.max(1, Math.ceil(shown.length / PER));
    page = Math.min(Math.max(page, 0), pages - 1);
    var from = page * PER, to = Math.min(shown.length, from + PER), f = d.createDocumentFragment();
    shown.slice(from, to).forEach(function (m) { f.appendChild(rowOf(m)); });
    var tb = list.tBodies[0];
    tb.textContent = "";
    tb.appendChild(f);
    info.textContent = shown.length ? "Pages " + (from + 1) + "\u2013" + to + " of " + shown.length : "No page matches";
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    count.textContent = shown.length + " of " + model.length + " pages match";
  }
  function filter() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var hits = words.map(function (w) {
      return rules.map(function (r) { return (r.id + " " + r.fam).toLowerCase().indexOf(w) >= 0; });
    });
    model.forEach(function (m) {
      m.match = words.every(function (w, k) {
        return m.key.indexOf(w) >= 0 || m.rules.some(function (i) { return hits[k][i]; });
      });
    });
    page = 0;
    paginate();
  }
  // Page sections: inline <details> (small reports), or built from "pagebodies" when opened.
  var bodies = null;
  function section(n) {
    var det = $("p" + n);
    if (det || !$("pagebodies")) return det;
    var m = byNumber[n];
    if (!m) return null;
    if (!bodies) bodies = $("pagebodies").textContent.split("\n");
    det = el("details", "pg");
    det.id = "p" + n;
    var s = el("summary");
    s.appendChild(el("span", "no", "#" + n));
    s.appendChild(el("span", "src", m.src));
    if (m.title) s.appendChild(el("span", "ttl", m.title));
    s.appendChild(el("span", "cnt", m.lang + " \u00b7 " + m.kept + " kept \u00b7 " + m.removed + " removed \u00b7 " + m.ms + " ms"));
    det.appendChild(s);
    det.insertAdjacentHTML("beforeend", bodies[m.pos]);
    expand(det);
    var v = $("viewer");
    v.textContent = "";
    v.appendChild(det);
    return det;
  }
  d.addEventListener("toggle", function (e) {
    if (e.target.tagName === "DETAILS" && e.target.open) expand(e.target);
  }, true);
  function route() {
    var h = location.hash.slice(1);
    try { h = decodeURIComponent(h); } catch (err) { return; }
    if (h.indexOf("q=") === 0 && list) {
      q.value = h.slice(2);
      filter();
      $("pages").scrollIntoView();
    } else if (/^p\d+$/.test(h)) {
      var det = section(+h.slice(1));
      if (det) {
        det.open = true;
        expand(det);
        det.scrollIntoView();
        det.querySelector("summary").focus();
      }
    }
  }
  if (list) {
    q.addEventListener("input", filter);
    prev.addEventListener("click", function () { page--; paginate(); });
    next.addEventListener("click", function () { page++; paginate(); });
    $("pgctl").hidden = false;
    var m = /[?&]q=([^&#]*)/.exec(location.search);
    if (m) { try { q.value = decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (err) {} }
    filter();
  }
  d.querySelectorAll("details[open]").forEach(expand);
  window.addEventListener("hashchange", route);
  route();
  d.body.setAttribute("data-ready", "1");
})();
)JS";

}  // namespace

// ---------------------------------------------------------------------------------------

struct ReportBuilder::Impl {
  std::map<std::string, RuleInfo, std::less<>> rules;  // by id, from the RuleSet
  std::vector<std::string> rule_order;                 // ids in load order
  std::FILE* spool = nullptr;
  std::string memory_spool;  // used when no temporary file could be made
  std::uint64_t spool_size = 0;
  std::string spool_error;
  std::vector<PageRow> rows;
  std::vector<Failure> fails;
  std::uint64_t next_index = 0;
  std::array<std::size_t, kFamilies.size()> family_blocks{};
  std::map<std::string, RuleStat> rule_stats;
  std::map<std::string, std::uint32_t> intern;  // rule id -> index in `interned`
  std::vector<std::string> interned;
  std::map<std::string, std::size_t> lang_pages, chrome_lang_pages;
  std::map<std::string, double> lang_share_sum;
  std::size_t blocks = 0, kept = 0, removed = 0, kept_chars = 0, removed_chars = 0, cut_blocks = 0;
  double clean_seconds = 0;
  double wall_seconds = -1;

  ~Impl() {
    if (spool) std::fclose(spool);
  }

  std::string explanation(const std::string& id) const {
    auto it = rules.find(id);
    if (it != rules.end() && !it->second.explain.empty()) return it->second.explain;
    // "<rule>.link": a link in the list under a heading that <rule> matched ("Related", "Mehr zum Thema").
    if (id.size() > 5 && id.compare(id.size() - 5, 5, ".link") == 0) {
      auto base = rules.find(std::string_view(id).substr(0, id.size() - 5));
      if (base != rules.end())
        return "A link in the list under a heading matched by " + base->first + " (" + base->second.explain + ")";
    }
    std::string b = builtin_explanation(id);
    return b.empty() ? std::string(kNoExplanation) : b;
  }

  bool read_record(const PageRow& row, StoredPage& page, std::string& why) const {
    std::string buf;
    if (spool) {
      buf.resize(row.length);
      if (std::fseek(spool, static_cast<long>(row.offset), SEEK_SET) != 0 ||
          std::fread(buf.data(), 1, buf.size(), spool) != buf.size()) {
        why = std::string("cannot read the report's temporary file: ") + std::strerror(errno);
        return false;
      }
    } else {
      buf = memory_spool.substr(row.offset, row.length);
    }
    if (!deserialize(buf, page)) {
      why = "the report's temporary file is corrupt";
      return false;
    }
    return true;
  }

  void render_body(std::string& out, const StoredPage& p, const Level& lv, std::size_t level, const BodyStyle& style) const;
  std::string summary(const PageRow& row) const;
  std::string head_html(bool single, bool lazy) const;
};

void ReportBuilder::Impl::render_body(std::string& out, const StoredPage& p, const Level& lv, std::size_t level,
                                      const BodyStyle& style) const {
  out += "<div class=\"pb\">";
  bool any_cut = false;
  for (const auto& b : p.blocks) any_cut = any_cut || b.cut;
  if (level == 0 && any_cut)
    out += "<p class=\"note\">Blocks longer than " + std::to_string(kBlockChars) +
           " characters are cut (\xE2\x80\xA6) in this report.</p>";
  if (level > 0) {
    out += "<p class=\"note\">Shown in less detail to keep the report under " + std::to_string(kBudgetBytes / 1'000'000) +
           " MB: ";
    if (lv.mode == 0) {
      out += "kept blocks are cut at " + std::to_string(lv.kept_chars) + " characters";
      out += lv.removed_chars ? ", removed ones at " + std::to_string(lv.removed_chars) : ", removed ones show their rule only";
      if (lv.fold) out += "; consecutive blocks removed by the same rule are folded into one line (\xC3\x97n)";
      out += ".";
    } else if (lv.mode == 1) {
      out += "the first 300 characters of the text and the removals per rule.";
    } else {
      out += "details left out; the counts are in the page list.";
    }
    out += "</p>";
  }
  // Metadata and languages.
  if (lv.mode < 2) {
    out += "<dl class=\"meta\">";
    for (const auto& [k, v] : p.meta) {
      out += "<dt>" + k + "</dt><dd>";
      esc_cut(out, v, k == "Description" && level > 0 ? 160 : 400);
      out += "</dd>";
    }
    out += "<dt>Read as</dt><dd>";
    esc(out, p.input_kind);
    out += ", ";
    esc(out, p.charset);
    if (p.invalid_bytes) out += ", " + fmt_count(p.invalid_bytes) + " invalid bytes replaced";
    if (p.truncated) out += ", text truncated at the output limit";
    out += "</dd>";
    out += "<dt>Language</dt><dd>";
    esc(out, p.language);
    out += " (confidence " + fmt_fixed(p.confidence, 2) + ")";
    if (!p.chrome_language.empty()) {
      out += "; removed chrome: ";
      esc(out, p.chrome_language);
    }
    out += "</dd></dl>";
    if (!p.languages.empty()) {
      out += "<div class=\"langs\" aria-label=\"Languages and their shares of the page's letters\">";
      for (const auto& [code, share] : p.languages) {
        out += "<span><b>";
        esc(out, code);
        out += "</b> " + fmt_percent(share) + "<span class=\"lb\" aria-hidden=\"true\"><span style=\"width:" +
               fmt_fixed(std::clamp(share, 0.0, 1.0) * 100.0, 0) + "%\"></span></span></span>";
      }
      out += "</div>";
    }
  }
  auto removed_open = [&](const StoredBlock& b, std::size_t n, const char* tag) {
    const char* fam = family_name(kFamilies[b.family]);
    out += "<";
    out += tag;
    if (style.compact) {  // the script makes this the full markup below when the page is opened
      out += " data-r=\"" + std::to_string(style.rule_pos->at(b.rule)) + "\"";
      if (n > 1) out += " data-n=\"" + std::to_string(n) + "\"";
      out += ">";
      return;
    }
    out += " class=\"x f-";
    out += fam;
    out += "\" tabindex=\"0\" data-rule=\"";
    esc(out, b.rule);
    out += "\"";
    if (n > 1) out += " data-n=\"" + std::to_string(n) + "\"";
    if (style.titles) {
      const std::string why = explanation(b.rule);
      if (!why.empty()) {
        out += " title=\"";
        esc(out, why);
        out += "\"";
      }
    }
    out += "><span class=\"lab\">";
    esc(out, b.rule);
    if (n > 1) out += " \xC3\x97" + std::to_string(n);
    out += "</span>";
  };
  if (lv.mode == 0) {
    out += "<div class=\"blocks\">";
    for (std::size_t i = 0; i < p.blocks.size();) {
      const StoredBlock& b = p.blocks[i];
      if (b.kept) {
        const char* cls = kind_class(static_cast<BlockKind>(b.kind));
        out += *cls ? std::string("<p class=\"") + cls + "\">" : std::string("<p>");
        esc_cut(out, b.text, lv.kept_chars);
        if (b.cut && lv.kept_chars >= kBlockChars) out += "\xE2\x80\xA6";
        out += "</p>";
        ++i;
        continue;
      }
      std::size_t n = 1;
      if (lv.fold)
        while (i + n < p.blocks.size() && !p.blocks[i + n].kept && p.blocks[i + n].rule == b.rule) ++n;
      removed_open(b, n, "p");
      if (lv.removed_chars) {
        const bool moved = kFamilies[b.family] == Family::Metadata;
        if (!style.compact) out += moved ? "<span class=\"mv\">" : "<del>";
        esc_cut(out, b.text, lv.removed_chars);
        if (b.cut && lv.removed_chars >= kBlockChars) out += "\xE2\x80\xA6";
        if (n > 1) out += " \xE2\x80\xA6";
        if (!style.compact) out += moved ? "</span>" : "</del>";
      }
      out += "</p>";
      i += n;
    }
    out += "</div>";
  } else if (lv.mode == 1) {
    std::string text;
    for (const auto& b : p.blocks) {
      if (!b.kept) continue;
      if (!text.empty()) text += "\n";
      text += b.text;
      if (text.size() > 2000) break;
    }
    out += "<div class=\"blocks\"><p>";
    esc_cut(out, text, 300);
    out += "</p></div>";
    std::map<std::string, std::pair<std::size_t, std::size_t>> per_rule;  // rule -> (count, first block)
    for (std::size_t i = 0; i < p.blocks.size(); ++i)
      if (!p.blocks[i].kept) {
        auto [it, fresh] = per_rule.try_emplace(p.blocks[i].rule, 0, i);
        ++it->second.first;
      }
    std::vector<std::pair<std::size_t, std::size_t>> order;  // (count, first block)
    for (const auto& [rule, v] : per_rule) order.push_back(v);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    out += "<ul class=\"rsum\">";
    for (std::size_t k = 0; k < order.size() && k < 30; ++k) {
      const StoredBlock& b = p.blocks[order[k].second];
      removed_open(b, order[k].first, "li");
      out += "</li>";
    }
    if (order.size() > 30) out += "<li>\xE2\x80\xA6 and " + std::to_string(order.size() - 30) + " more rules</li>";
    out += "</ul>";
  }
  out += "</div>";
}

std::string ReportBuilder::Impl::summary(const PageRow& row) const {
  std::string s = "<summary><span class=\"no\">#" + std::to_string(row.index) + "</span><span class=\"src\">";
  esc(s, row.source);
  s += "</span>";
  if (!row.title.empty()) {
    s += "<span class=\"ttl\">";
    esc(s, row.title);
    s += "</span>";
  }
  s += "<span class=\"cnt\">";
  esc(s, row.language);
  s += " \xC2\xB7 " + fmt_count(row.kept) + " kept \xC2\xB7 " + fmt_count(row.removed) + " removed \xC2\xB7 " +
       timing(fmt_ms(row.seconds)) + " ms</span></summary>";
  return s;
}

std::string ReportBuilder::Impl::head_html(bool single, bool lazy) const {
  const std::size_t n = rows.size();
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Nothing this file shows may load anything: no request can leave it.
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'; img-src data:\">\n";
  h += "<meta name=\"generator\" content=\"scrubtext " SCRUBTEXT_VERSION_STRING "\">\n";
  std::string title = "scrubtext report: ";
  if (single) title += rows[0].source;
  else title += fmt_count(n) + (n == 1 ? " page" : " pages");
  h += "<title>" + esc(title) + "</title>\n<style>" + std::string(kCss) + "</style>\n</head>\n<body>\n";
  h += "<a class=\"skip\" href=\"#main\">Skip to the report</a>\n<header>\n<h1>scrubtext report</h1>\n";
  h += "<p class=\"sub\">" + fmt_count(n) + (n == 1 ? " page" : " pages") + " cleaned";
  if (!fails.empty()) h += ", " + fmt_count(fails.size()) + " failed";
  h += " \xC2\xB7 scrubtext " SCRUBTEXT_VERSION_STRING "</p>\n<nav class=\"toc\" aria-label=\"Sections\">";
  if (single) h += "<a href=\"#p" + std::to_string(rows[0].index) + "\">Page</a>";
  h += "<a href=\"#totals\">Totals</a><a href=\"#families\">Families</a><a href=\"#rules\">Rules</a>"
       "<a href=\"#languages\">Languages</a>";
  if (!single && n) h += "<a href=\"#slowest\">Slowest</a>";
  if (!fails.empty()) h += "<a href=\"#failures\">Failures</a>";
  if (!single && n) h += "<a href=\"#pages\">Pages</a>";
  h += "</nav>\n<ul class=\"legend\" aria-label=\"Colours of the removal families\">";
  for (Family f : kFamilies) h += std::string("<li class=\"f-") + family_name(f) + "\">" + family_name(f) + "</li>";
  h += "</ul>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n";
  if (lazy) h += "<noscript><p class=\"note\">Page details in reports of more than " + std::to_string(kInlinePages) +
                 " pages need JavaScript.</p></noscript>\n";
  return h;
}

ReportBuilder::ReportBuilder(const RuleSet& rules) : impl_(std::make_unique<Impl>()) {
  for (const Rule& r : rules.rules()) {
    if (impl_->rules.count(r.id)) continue;
    impl_->rules.emplace(r.id, RuleInfo{r.id, r.family, clean_utf8(r.explain)});
    impl_->rule_order.push_back(r.id);
  }
  impl_->spool = std::tmpfile();
}

ReportBuilder::~ReportBuilder() = default;

std::size_t ReportBuilder::pages() const { return impl_->rows.size(); }
std::size_t ReportBuilder::failures() const { return impl_->fails.size(); }

void ReportBuilder::add_failure(const std::string& source, const std::string& reason) {
  Impl& m = *impl_;
  m.fails.push_back(Failure{++m.next_index, clean_utf8(source), clean_utf8(reason)});
}

void ReportBuilder::add_page(const Document& doc, double seconds) {
  if (doc.status != Status::Ok) {
    add_failure(doc.source, doc.error.empty() ? status_name(doc.status) : doc.error);
    return;
  }
  Impl& m = *impl_;
  StoredPage p;
  p.index = ++m.next_index;
  p.source = clean_utf8(doc.source);
  p.input_kind = clean_utf8(doc.input_kind);
  p.charset = clean_utf8(doc.charset);
  p.language = clean_utf8(doc.language);
  p.chrome_language = clean_utf8(doc.chrome_language);
  p.confidence = doc.language_confidence;
  p.invalid_bytes = doc.invalid_bytes;
  p.truncated = doc.truncated;
  for (const auto& l : doc.languages) p.languages.emplace_back(clean_utf8(l.code), l.share);
  const Metadata& md = doc.metadata;
  auto meta = [&](const char* label, const std::optional<std::string>& v) {
    if (v && !v->empty()) p.meta.emplace_back(label, clean_utf8(prefix_cp(*v, 2000)));
  };
  meta("Title", md.title);
  meta("URL", md.url);
  meta("Site", md.site_name);
  if (!md.authors.empty()) {
    std::string a;
    for (const auto& x : md.authors) a += (a.empty() ? "" : "; ") + x;
    meta("Authors", a);
  }
  meta("Published", md.date_published);
  meta("Modified", md.date_modified);
  meta("Declared language", md.declared_language);
  meta("Description", md.description);
  meta("Image", md.image);

  PageRow row;
  row.index = p.index;
  row.source = p.source;
  row.title = md.title ? std::string(prefix_cp(clean_utf8(*md.title), 160)) : std::string();
  row.language = p.language;
  row.seconds = seconds;
  std::map<std::string, std::size_t> page_rules;
  for (const Block& b : doc.blocks) {
    StoredBlock sb;
    sb.kind = static_cast<std::uint8_t>(b.kind);
    sb.level = static_cast<std::uint8_t>(std::clamp(b.level, 0, 255));
    sb.kept = b.kept;
    const std::string text = clean_utf8(b.text);
    sb.text = std::string(prefix_cp(text, kBlockChars, &sb.cut));
    const std::size_t chars = static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    ++m.blocks;
    m.cut_blocks += sb.cut;
    if (b.kept) {
      ++m.kept;
      ++row.kept;
      m.kept_chars += chars;
    } else {
      const int fi = family_index(b.family);
      sb.family = static_cast<std::uint8_t>(fi < 0 ? family_index(Family::Selection) : fi);
      sb.rule = b.rule_id.empty() ? std::string("unknown") : clean_utf8(b.rule_id);
      ++m.removed;
      ++row.removed;
      m.removed_chars += chars;
      ++m.family_blocks[sb.family];
      RuleStat& rs = m.rule_stats[sb.rule];
      ++rs.blocks;
      if (rs.family < 0) rs.family = sb.family;
      if (page_rules[sb.rule]++ == 0) ++rs.pages;
    }
    p.blocks.push_back(std::move(sb));
  }
  for (const auto& [id, c] : page_rules) {
    auto [it, fresh] = m.intern.try_emplace(id, static_cast<std::uint32_t>(m.interned.size()));
    if (fresh) m.interned.push_back(id);
    row.rules.push_back(it->second);
  }
  ++m.lang_pages[p.language];
  if (!p.chrome_language.empty()) ++m.chrome_lang_pages[p.chrome_language];
  for (const auto& [code, share] : p.languages) m.lang_share_sum[code] += share;
  m.clean_seconds += seconds;

  std::string rec;
  serialize(p, rec);
  row.offset = m.spool_size;
  row.length = rec.size();
  if (m.spool) {
    if (std::fseek(m.spool, 0, SEEK_END) != 0 || std::fwrite(rec.data(), 1, rec.size(), m.spool) != rec.size())
      if (m.spool_error.empty()) m.spool_error = std::string("cannot write the report's temporary file: ") + std::strerror(errno);
  } else {
    m.memory_spool += rec;
  }
  m.spool_size += rec.size();
  m.rows.push_back(std::move(row));
}

void ReportBuilder::set_totals(double wall_seconds) { impl_->wall_seconds = wall_seconds; }

namespace {
// "<path>.tmp-<host>-<pid>", the batch writer's convention for temporaries.
std::string temp_name(const std::string& path) {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "host");
  return path + ".tmp-" + host + "-" + std::to_string(::getpid());
}
}  // namespace

bool ReportBuilder::can_write(const std::string& path, std::string& why) {
  const std::string tmp = temp_name(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    why = std::strerror(errno);
    return false;
  }
  std::fclose(f);
  std::remove(tmp.c_str());
  return true;
}

bool ReportBuilder::write(const std::string& path, std::string& why) const {
  const Impl& m = *impl_;
  if (!m.spool_error.empty()) {
    why = m.spool_error;
    return false;
  }
  if (m.spool && std::fflush(m.spool) != 0) {
    why = std::string("cannot write the report's temporary file: ") + std::strerror(errno);
    return false;
  }
  const std::size_t n = m.rows.size();
  const bool single = n == 1 && m.fails.empty();
  const bool lazy = n > kInlinePages;

  // The rules that fired, most first; a rule's position here is its data-i in the rule table
  // and the K of compact removed blocks (data-r="K") and of the page list's rule lists.
  std::vector<std::pair<std::string, RuleStat>> fired(m.rule_stats.begin(), m.rule_stats.end());
  std::stable_sort(fired.begin(), fired.end(),
                   [](const auto& a, const auto& b) { return a.second.blocks > b.second.blocks; });
  std::map<std::string, std::size_t> rule_pos;
  for (std::size_t i = 0; i < fired.size(); ++i) rule_pos[fired[i].first] = i;
  BodyStyle style;
  style.titles = !lazy;
  style.compact = lazy;
  style.rule_pos = &rule_pos;
  auto rules_of = [&](const PageRow& r) {
    std::vector<std::size_t> v;
    for (std::uint32_t k : r.rules) v.push_back(rule_pos.at(m.interned[k]));
    std::sort(v.begin(), v.end());
    return v;
  };

  // ---- Everything before the page sections.
  std::string h = m.head_html(single, lazy);

  // Totals.
  std::string totals = "<section aria-labelledby=\"totals\"><h2 id=\"totals\">Totals</h2>\n<dl class=\"totals\">";
  auto tile = [&](const std::string& label, const std::string& value) {
    totals += "<div><dt>" + label + "</dt><dd>" + value + "</dd></div>";
  };
  tile("Pages cleaned", fmt_count(n));
  tile("Failed", fmt_count(m.fails.size()));
  tile("Blocks", fmt_count(m.blocks));
  tile("Kept blocks", fmt_count(m.kept));
  tile("Removed blocks", fmt_count(m.removed));
  tile("Characters kept", fmt_count(m.kept_chars));
  tile("Characters removed", fmt_count(m.removed_chars));
  const double wall = m.wall_seconds >= 0 ? m.wall_seconds : m.clean_seconds;
  const std::size_t inputs = n + m.fails.size();
  tile("Wall time", timing(fmt_fixed(wall, 2)) + " s");
  tile("Pages/s", timing(wall > 0 ? fmt_fixed(static_cast<double>(inputs) / wall, 1) : std::string("\xE2\x80\x94")));
  tile("Cleaning time (sum)", timing(fmt_fixed(m.clean_seconds, 2)) + " s");
  if (n) {
    std::vector<double> secs;
    secs.reserve(n);
    for (const auto& r : m.rows) secs.push_back(r.seconds);
    std::sort(secs.begin(), secs.end());
    tile("Median per page", timing(fmt_ms(secs[n / 2])) + " ms");
    tile("95th percentile", timing(fmt_ms(secs[std::min(n - 1, n * 95 / 100)])) + " ms");
  }
  totals += "</dl>";
  if (m.cut_blocks)
    totals += "<p class=\"note\">Block text is shown up to " + std::to_string(kBlockChars) + " characters; " +
              fmt_count(m.cut_blocks) + " longer blocks are cut (\xE2\x80\xA6).</p>";
  totals += "</section>\n";

  // Families.
  std::string fam = "<section aria-labelledby=\"families\"><h2 id=\"families\">Removals by family</h2>\n";
  {
    std::vector<Bar> bars;
    for (std::size_t i = 0; i < kFamilies.size(); ++i) {
      const std::string name = family_name(kFamilies[i]);
      bars.push_back(Bar{name, name, "f-" + name, m.family_blocks[i], single ? std::string() : "#q=" + name});
    }
    fam += bar_chart("chart-family", "Removed blocks by family", bars, "blocks");
  }
  fam += "</section>\n";

  // Rules.
  std::string rules = "<section aria-labelledby=\"rules\"><h2 id=\"rules\">Rules</h2>\n";
  if (!fired.empty()) {
    std::vector<Bar> bars;
    for (std::size_t i = 0; i < fired.size() && i < kTopRules; ++i) {
      const auto& [id, st] = fired[i];
      bars.push_back(Bar{id, id, std::string("f-") + family_name(kFamilies[static_cast<std::size_t>(std::max(st.family, 0))]),
                         st.blocks, single ? std::string() : "#q=" + id});
    }
    rules += "<h3>The rules that fired most</h3>\n" +
             bar_chart("chart-rules", "Removed blocks by rule (top " + std::to_string(bars.size()) + ")", bars, "blocks");
  }
  if (fired.empty()) rules += "<p>No rule fired.</p>\n";
  else rules += "<details" + std::string(fired.size() <= 40 ? " open" : "") + "><summary>All " + fmt_count(fired.size()) +
           " rules that fired, with their explanations</summary>\n<div class=\"tw\"><table id=\"ruletable\" class=\"sortable\">"
           "<thead><tr><th><button type=\"button\">Rule</button></th><th><button type=\"button\">Family</button></th>"
           "<th class=\"n\" aria-sort=\"descending\"><button type=\"button\">Blocks</button></th>"
           "<th class=\"n\"><button type=\"button\">Pages</button></th><th>Explanation</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < fired.size(); ++i) {
    const auto& [id, st] = fired[i];
    rules += "<tr data-i=\"" + std::to_string(i) + "\" data-rule=\"" + esc(id) + "\"><td><code>";
    if (!single) rules += "<a href=\"#q=" + esc(id) + "\">";
    rules += esc(id);
    if (!single) rules += "</a>";
    rules += "</code></td><td>" + std::string(family_name(kFamilies[static_cast<std::size_t>(std::max(st.family, 0))])) +
             "</td><td class=\"n\">" + std::to_string(st.blocks) + "</td><td class=\"n\">" + std::to_string(st.pages) +
             "</td><td class=\"ex\">" + esc(m.explanation(id)) + "</td></tr>";
  }
  if (!fired.empty()) rules += "</tbody></table></div></details>\n";
  {
    std::map<std::string, std::vector<const RuleInfo*>> never;  // family -> rules
    std::size_t never_count = 0;
    for (const auto& id : m.rule_order) {
      const RuleInfo& r = m.rules.at(id);
      if (r.family == "hint" || m.rule_stats.count(id)) continue;
      never[r.family].push_back(&r);
      ++never_count;
    }
    rules += "<details><summary>" + fmt_count(never_count) + " rules never fired";
    if (!never.empty()) {
      rules += " (";
      bool first = true;
      for (const auto& [f, v] : never) {
        rules += (first ? "" : ", ") + esc(f) + " " + fmt_count(v.size());
        first = false;
      }
      rules += ")";
    }
    rules += "</summary>\n";
    for (const auto& [f, v] : never) {
      rules += "<h3>" + esc(f) + "</h3><ul class=\"nf\">";
      for (const RuleInfo* r : v) rules += "<li><code>" + esc(r->id) + "</code> " + esc(r->explain) + "</li>";
      rules += "</ul>\n";
    }
    rules += "</details>\n";
  }
  rules += "</section>\n";

  // Languages.
  std::string langs = "<section aria-labelledby=\"languages\"><h2 id=\"languages\">Languages</h2>\n";
  if (!n) langs += "<p>No page was cleaned.</p>\n";
  else {
    std::vector<std::pair<std::string, std::size_t>> lp(m.lang_pages.begin(), m.lang_pages.end());
    std::stable_sort(lp.begin(), lp.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<Bar> bars;
    std::size_t other = 0;
    for (std::size_t i = 0; i < lp.size(); ++i) {
      if (i < kTopLanguages) bars.push_back(Bar{lp[i].first, lp[i].first, "", lp[i].second, ""});
      else other += lp[i].second;
    }
    if (other) bars.push_back(Bar{"other", "other languages", "", other, ""});
    langs += bar_chart("chart-lang", "Pages by content language", bars, "pages");
    langs += "<div class=\"tw\"><table id=\"langtable\" class=\"sortable\"><thead><tr><th><button type=\"button\">Language</button></th>"
             "<th class=\"n\" aria-sort=\"descending\"><button type=\"button\">Pages (content)</button></th>"
             "<th class=\"n\"><button type=\"button\">Pages (removed chrome)</button></th>"
             "<th class=\"n\"><button type=\"button\">Share-weighted pages</button></th></tr></thead><tbody>";
    std::set<std::string> codes;
    for (const auto& [c, v] : m.lang_pages) codes.insert(c);
    for (const auto& [c, v] : m.chrome_lang_pages) codes.insert(c);
    for (const auto& [c, v] : m.lang_share_sum) codes.insert(c);
    std::vector<std::string> ordered(codes.begin(), codes.end());
    auto get = [](const auto& map, const std::string& k) {
      auto it = map.find(k);
      return it == map.end() ? decltype(it->second){} : it->second;
    };
    std::stable_sort(ordered.begin(), ordered.end(), [&](const std::string& a, const std::string& b) {
      return get(m.lang_pages, a) > get(m.lang_pages, b);
    });
    for (const auto& c : ordered)
      langs += "<tr><td>" + esc(c) + "</td><td class=\"n\">" + std::to_string(get(m.lang_pages, c)) + "</td><td class=\"n\">" +
               std::to_string(get(m.chrome_lang_pages, c)) + "</td><td class=\"n\">" +
               fmt_fixed(get(m.lang_share_sum, c), 2) + "</td></tr>";
    langs += "</tbody></table></div>";
  }
  langs += "</section>\n";

  // Slowest pages (all timing: the whole table is delimited).
  std::string slow;
  if (!single && n) {
    std::vector<const PageRow*> order;
    for (const auto& r : m.rows) order.push_back(&r);
    std::stable_sort(order.begin(), order.end(), [](const PageRow* a, const PageRow* b) { return a->seconds > b->seconds; });
    slow = "<section aria-labelledby=\"slowest\"><h2 id=\"slowest\">Slowest pages</h2>\n<!--t--><div class=\"tw\"><table>"
           "<thead><tr><th>#</th><th>Page</th><th class=\"n\">Time (ms)</th><th class=\"n\">Blocks</th></tr></thead><tbody>";
    for (std::size_t i = 0; i < order.size() && i < kSlowest; ++i) {
      const PageRow& r = *order[i];
      slow += "<tr><td>" + std::to_string(r.index) + "</td><td><a class=\"src\" href=\"#p" + std::to_string(r.index) + "\">" +
              esc(r.source) + "</a></td><td class=\"n\">" + fmt_ms(r.seconds) + "</td><td class=\"n\">" +
              std::to_string(r.kept + r.removed) + "</td></tr>";
    }
    slow += "</tbody></table></div><!--/t-->\n</section>\n";
  }

  // Failures.
  std::string failures;
  if (!m.fails.empty()) {
    failures = "<section aria-labelledby=\"failures\"><h2 id=\"failures\">Failures</h2>\n<div class=\"tw\"><table id=\"failtable\" "
               "class=\"sortable\"><thead><tr><th class=\"n\" aria-sort=\"ascending\"><button type=\"button\">#</button></th>"
               "<th><button type=\"button\">Input</button></th><th><button type=\"button\">Reason</button></th></tr></thead><tbody>";
    for (const auto& f : m.fails)
      failures += "<tr><td class=\"n\">" + std::to_string(f.index) + "</td><td class=\"src\">" + esc(f.source) +
                  "</td><td>" + esc(f.reason) + "</td></tr>";
    failures += "</tbody></table></div></section>\n";
  }

  // Page list.
  std::string list;
  if (!single && n) {
    list = "<section aria-labelledby=\"pages\"><h2 id=\"pages\">Pages</h2>\n"
           "<div class=\"search\"><label for=\"q\">Search pages</label><input type=\"search\" id=\"q\" "
           "placeholder=\"path, title, language, family or rule id\" aria-controls=\"pagelist\" autocomplete=\"off\">"
           "<span id=\"qcount\" aria-live=\"polite\"></span></div>\n"
           "<div class=\"tw\"><table id=\"pagelist\" class=\"sortable\"><thead><tr>"
           "<th class=\"n\" aria-sort=\"ascending\"><button type=\"button\">#</button></th>"
           "<th><button type=\"button\">Page</button></th><th><button type=\"button\">Lang</button></th>"
           "<th class=\"n\"><button type=\"button\">Kept</button></th><th class=\"n\"><button type=\"button\">Removed</button></th>"
           "<th class=\"n\"><button type=\"button\">ms</button></th></tr></thead><tbody>\n";
    // Small reports list every page as markup; large ones as data that the script shows 50 rows at a time.
    for (std::size_t i = 0; i < n && !lazy; ++i) {
      const PageRow& r = m.rows[i];
      std::string rr;
      for (std::size_t k : rules_of(r)) rr += (rr.empty() ? "" : " ") + std::to_string(k);
      list += "<tr data-r=\"" + rr + "\"><td class=\"n\">" + std::to_string(r.index) +
              "</td><td><a class=\"src\" href=\"#p" + std::to_string(r.index) + "\">" + esc(r.source) + "</a>";
      if (!r.title.empty()) list += "<span class=\"ttl\">" + esc(r.title) + "</span>";
      list += "</td><td>" + esc(r.language) + "</td><td class=\"n\">" + std::to_string(r.kept) + "</td><td class=\"n\">" +
              std::to_string(r.removed) + "</td><td class=\"n\">" + timing(fmt_ms(r.seconds)) + "</td></tr>\n";
    }
    list += "</tbody></table></div>\n";
    if (lazy) {
      // [number, source, title, language, kept, removed, [rule positions]]; the times apart, as timing.
      list += "<script type=\"application/json\" id=\"pagerows\">[";
      std::string times = "<!--t--><script type=\"application/json\" id=\"pagetimes\">[";
      for (std::size_t i = 0; i < n; ++i) {
        const PageRow& r = m.rows[i];
        list += i ? ",\n[" : "\n[";
        list += std::to_string(r.index) + ",";
        json_str(list, r.source);
        list += ",";
        json_str(list, r.title);
        list += ",";
        json_str(list, r.language);
        list += "," + std::to_string(r.kept) + "," + std::to_string(r.removed) + ",[";
        bool first = true;
        for (std::size_t k : rules_of(r)) {
          list += (first ? "" : ",") + std::to_string(k);
          first = false;
        }
        list += "]]";
        times += (i ? "," : "") + fmt_ms(r.seconds);
      }
      list += "]</script>\n" + times + "]</script><!--/t-->\n";
    }
    list += "<div class=\"pager\" id=\"pgctl\" hidden><button type=\"button\" id=\"pgprev\">"
            "\xE2\x86\x90 Previous</button><span id=\"pginfo\" aria-live=\"polite\"></span><button type=\"button\" "
            "id=\"pgnext\">Next \xE2\x86\x92</button></div>\n</section>\n";
  }

  std::string page_heading;
  if (n) page_heading = single ? std::string("<h2 id=\"page\">The page</h2>\n")
                               : "<section aria-labelledby=\"details\"><h2 id=\"details\">Page details</h2>\n"
                                 "<p class=\"note\">Kept blocks are plain; removed blocks are struck through, "
                                 "shaded by family and labelled with their rule (focus or hover one for the rule's "
                                 "explanation).</p>\n" +
                                 std::string(lazy ? "<div id=\"viewer\"><p class=\"note\">Choose a page in the list "
                                                    "above to see its blocks.</p></div>\n<script type=\"text/x-scrubtext-pages\" "
                                                    "id=\"pagebodies\">"
                                                  : "");
  // A single page comes first, at a glance; a batch starts with its totals and charts.
  const std::string head_all =
      single ? h + page_heading : h + totals + fam + rules + langs + slow + failures + list + page_heading;
  const std::string after_pages = single ? totals + fam + rules + langs + failures
                                         : std::string(n ? (lazy ? "</script>\n</section>\n" : "</section>\n") : "");
  const std::string tail = after_pages + "</main>\n<footer>Made by scrubtext " SCRUBTEXT_VERSION_STRING
                           " from the pages given; self-contained: it loads nothing.</footer>\n<script>" +
                           std::string(kScript) + "</script>\n</body>\n</html>\n";

  // ---- Choose each page's level of detail so that the whole fits the budget.
  std::vector<std::array<std::uint32_t, kLevelCount>> sizes(n);
  std::vector<std::string> wrappers(n);  // the <details> opening and summary
  std::size_t fixed = head_all.size() + tail.size();
  StoredPage page;
  std::string body;
  for (std::size_t i = 0; i < n; ++i) {
    if (!m.read_record(m.rows[i], page, why)) return false;
    if (!lazy)
      wrappers[i] = "<details class=\"pg\" id=\"p" + std::to_string(m.rows[i].index) + "\"" + (single ? " open" : "") +
                    ">" + m.summary(m.rows[i]);
    fixed += wrappers[i].size() + (lazy ? 1 : 11);
    for (std::size_t l = 0; l < kLevelCount; ++l) {
      body.clear();
      m.render_body(body, page, kLevels[l], l, style);
      if (lazy) one_line(body);
      sizes[i][l] = static_cast<std::uint32_t>(std::min<std::size_t>(body.size(), UINT32_MAX));
    }
  }
  const std::size_t budget = kBudgetBytes > fixed ? kBudgetBytes - fixed : 0;
  auto choose = [&](std::uint64_t cap, std::vector<std::uint8_t>* levels) {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t l = 0;
      while (l + 1 < kLevelCount && sizes[i][l] > cap) ++l;
      total += sizes[i][l];
      if (levels) (*levels)[i] = static_cast<std::uint8_t>(l);
    }
    return total;
  };
  std::uint64_t lo = 0, hi = UINT32_MAX;
  if (choose(hi, nullptr) > budget) {
    while (lo < hi) {  // the largest cap whose total fits
      const std::uint64_t mid = lo + (hi - lo + 1) / 2;
      if (choose(mid, nullptr) <= budget) lo = mid;
      else hi = mid - 1;
    }
  } else {
    lo = hi;
  }
  std::vector<std::uint8_t> levels(n, 0);
  choose(lo, &levels);

  // ---- Write: temporary name in the same directory, then rename.
  const std::string tmp = temp_name(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    why = std::strerror(errno);
    return false;
  }
  bool ok = true;
  int err = 0;
  auto put = [&](const std::string& s) {
    if (ok && std::fwrite(s.data(), 1, s.size(), f) != s.size()) {
      ok = false;
      err = errno;
    }
  };
  put(head_all);
  for (std::size_t i = 0; i < n && ok; ++i) {
    if (!m.read_record(m.rows[i], page, why)) {
      std::fclose(f);
      std::remove(tmp.c_str());
      return false;
    }
    body.clear();
    m.render_body(body, page, kLevels[levels[i]], levels[i], style);
    if (lazy) {
      // One line per page in the script element "pagebodies". Escaped text holds no '<' and the
      // markup no script or comment, so the element cannot end early.
      one_line(body);
      if (i) put("\n");
      put(body);
    } else {
      put(wrappers[i]);
      put(body);
      put("</details>\n");
    }
  }
  put(tail);
  if (ok && (std::fflush(f) != 0 || ::fsync(fileno(f)) != 0)) {
    ok = false;
    err = errno;
  }
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    why = std::strerror(err ? err : EIO);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace scrubtext::cli
