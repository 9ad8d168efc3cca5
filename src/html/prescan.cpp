#include "html/prescan.h"

#include <gumbo.h>
#include <unicode/utf.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "html/blocks.h"
#include "html/metadata.h"
#include "rules/compiled.h"

namespace scrubtext::html {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Case-insensitive "s[i..] starts with lowercase `word`".
bool starts_ci(std::string_view s, std::size_t i, std::string_view word) {
  if (i + word.size() > s.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if (lower(s[i + k]) != word[k]) return false;
  return true;
}

// After a tag name: the name ends here when followed by space, '/', '>' or the end.
bool name_ends(std::string_view s, std::size_t i) { return i >= s.size() || is_space(s[i]) || s[i] == '/' || s[i] == '>'; }

}  // namespace

TagScan scan_tag(std::string_view s, std::size_t name_at, std::vector<AttributeSpan>* attributes) {
  enum { Before, Name, AfterName, BeforeValue, Unquoted, AfterQuoted, SelfClosing } state = Before;
  const std::size_t n = s.size();
  TagScan t;
  std::size_t i = name_at;
  while (i < n && !is_space(s[i]) && s[i] != '/' && s[i] != '>') ++i;
  t.name_end = i;
  AttributeSpan a;  // the attribute being read
  auto finish = [&](std::size_t end) {
    a.end = end;
    if (attributes) attributes->push_back(a);
  };
  auto start = [&](std::size_t at) {
    a = {at, at, at, false};
    state = Name;
  };
  while (i < n) {
    const char c = s[i];
    switch (state) {
      case Before:
        if (is_space(c)) ++i;
        else if (c == '/') { state = SelfClosing; ++i; }
        else if (c == '>') { t.end = i + 1; return t; }
        else { start(i); ++i; }  // even '=' starts a name
        continue;
      case Name:
        if (is_space(c) || c == '/' || c == '>' || c == '=') {
          a.name_end = i;
          if (c == '=') { state = BeforeValue; ++i; }
          else if (is_space(c)) { state = AfterName; ++i; }
          else { finish(i); state = Before; }
        } else {
          ++i;
        }
        continue;
      case AfterName:
        if (is_space(c)) ++i;
        else if (c == '=') { state = BeforeValue; ++i; }
        else { finish(a.name_end); state = Before; }  // '/', '>' or a new attribute
        continue;
      case BeforeValue:
        if (is_space(c)) {
          ++i;
        } else if (c == '"' || c == '\'') {
          const void* q = std::memchr(s.data() + i + 1, c, n - i - 1);
          if (!q) return t;  // the input ends inside the value: the tag is never emitted
          i = static_cast<std::size_t>(static_cast<const char*>(q) - s.data()) + 1;
          a.quoted = true;
          finish(i);
          state = AfterQuoted;
        } else if (c == '>') {
          finish(a.name_end);  // "name=" with no value is "name"
          state = Before;
        } else {
          state = Unquoted;
        }
        continue;
      case Unquoted:
        if (is_space(c) || c == '>') { finish(i); state = Before; }
        else ++i;
        continue;
      case AfterQuoted:
        if (is_space(c)) { state = Before; ++i; }
        else state = Before;  // '/', '>' or an attribute with no space before it
        continue;
      case SelfClosing:
        if (c == '>') {
          t.self_closing = true;
          t.end = i + 1;
          return t;
        }
        state = Before;
        continue;
    }
  }
  return t;
}

std::size_t tag_end(std::string_view s, std::size_t lt) {
  const std::size_t name_at = lt + 1 < s.size() && s[lt + 1] == '/' ? lt + 2 : lt + 1;
  const std::size_t end = scan_tag(s, name_at, nullptr).end;
  return end == std::string_view::npos ? s.size() : end;
}

bool starts_markup(char c) { return is_alpha(c) || c == '/' || c == '!' || c == '?'; }

std::size_t comment_end(std::string_view s, std::size_t lt) {
  const std::size_t n = s.size();
  if (s.compare(lt + 4, 1, ">") == 0) return lt + 5;
  if (s.compare(lt + 4, 2, "->") == 0) return lt + 6;
  for (std::size_t i = lt + 4; i < n;) {
    const void* p = std::memchr(s.data() + i, '-', n - i);
    if (!p) break;
    i = static_cast<std::size_t>(static_cast<const char*>(p) - s.data());
    if (s.compare(i, 3, "-->") == 0) return i + 3;
    if (s.compare(i, 4, "--!>") == 0) return i + 4;
    ++i;
  }
  return n;
}

// Finds "</name" + terminator at or after `from`; returns the position of '<' or npos.
std::size_t find_end_tag(std::string_view s, std::size_t from, std::string_view name) {
  const std::size_t n = s.size();
  std::size_t i = from;
  while (i < n) {
    const void* p = std::memchr(s.data() + i, '<', n - i);
    if (!p) return std::string_view::npos;
    const std::size_t lt = static_cast<std::size_t>(static_cast<const char*>(p) - s.data());
    if (lt + 1 < n && s[lt + 1] == '/' && starts_ci(s, lt + 2, name) && name_ends(s, lt + 2 + name.size())) return lt;
    i = lt + 1;
  }
  return std::string_view::npos;
}

// End of a script body per the tokenizer's script-data states: inside "<!--", a "<script"
// opens the double-escaped state in which "</script>" does not close the element.
std::size_t find_script_end(std::string_view s, std::size_t from) {
  const std::size_t n = s.size();
  enum { Data, Escaped, DoubleEscaped } state = Data;
  std::size_t i = from;
  while (i < n) {
    const char c = s[i];
    if (c == '<') {
      if (state != DoubleEscaped && i + 1 < n && s[i + 1] == '/' && starts_ci(s, i + 2, "script") &&
          name_ends(s, i + 8))
        return i;
      if (state == Data && s.compare(i, 4, "<!--") == 0) {
        // The tokenizer is now in the escaped dash-dash state: the same two dashes may end
        // the escape at once ("<!-->", "<!--->"), so scanning resumes on them.
        state = Escaped;
        i += 2;
        continue;
      }
      if (state == Escaped && starts_ci(s, i + 1, "script") && name_ends(s, i + 7)) {
        state = DoubleEscaped;
        i += 7;
        continue;
      }
      if (state == DoubleEscaped && i + 1 < n && s[i + 1] == '/' && starts_ci(s, i + 2, "script") &&
          name_ends(s, i + 8)) {
        state = Escaped;
        i += 8;
        continue;
      }
      ++i;
      continue;
    }
    if (c == '-' && state != Data && s.compare(i, 3, "-->") == 0) {
      state = Data;
      i += 3;
      continue;
    }
    // Jump to the next character that can change state.
    const char* p = s.data() + i + 1;
    const char* end = s.data() + n;
    if (state == Data) {
      const void* q = std::memchr(p, '<', static_cast<std::size_t>(end - p));
      i = q ? static_cast<std::size_t>(static_cast<const char*>(q) - s.data()) : n;
    } else {
      while (p < end && *p != '<' && *p != '-') ++p;
      i = static_cast<std::size_t>(p - s.data());
    }
  }
  return std::string_view::npos;
}

namespace {

// The next '<' at or after `i` that does not open a comment (comments are skipped whole, an
// unterminated one runs to the end); npos when there is none.
std::size_t next_tag_open(std::string_view s, std::size_t i) {
  const std::size_t n = s.size();
  while (i < n) {
    const void* p = std::memchr(s.data() + i, '<', n - i);
    if (!p) return std::string_view::npos;
    const std::size_t lt = static_cast<std::size_t>(static_cast<const char*>(p) - s.data());
    if (s.compare(lt, 4, "<!--") != 0) return lt;
    i = comment_end(s, lt);
  }
  return std::string_view::npos;
}

// For foreign or template content: the end of the element, counting nested same-name
// elements. Returns the position just past the closing tag's '>' (or n).
std::size_t skip_nested(std::string_view s, std::size_t from, std::string_view name) {
  const std::size_t n = s.size();
  int depth = 1;
  std::size_t i = from;
  while (i < n) {
    const std::size_t lt = next_tag_open(s, i);
    if (lt == std::string_view::npos) return n;
    if (lt + 1 < n && s[lt + 1] == '/' && starts_ci(s, lt + 2, name) && name_ends(s, lt + 2 + name.size())) {
      const std::size_t e = tag_end(s, lt);
      if (--depth == 0) return e;
      i = e;
      continue;
    }
    if (starts_ci(s, lt + 1, name) && name_ends(s, lt + 1 + name.size())) {
      const std::size_t e = tag_end(s, lt);
      const bool self_closing = e >= 2 && e <= n && s[e - 2] == '/';
      if (!self_closing) ++depth;
      i = e;
      continue;
    }
    i = lt + 1;
  }
  return n;
}

// HTML start tags that end foreign content when met inside it (outside an integration point).
bool breaks_out(std::string_view lname, std::string_view tag) {
  static constexpr std::string_view kNames[] = {
      "b",  "big", "blockquote", "body", "br",   "center", "code", "dd",     "div",    "dl",  "dt", "em",
      "embed", "h1", "h2",   "h3",   "h4",     "h5",     "h6",     "head",   "hr",   "i",   "img", "li",
      "listing", "menu", "meta", "nobr", "ol",   "p",      "pre",    "ruby",   "s",    "small", "span",
      "strong", "strike", "sub",  "sup",  "table", "tt",   "u",      "ul",     "var"};
  for (auto k : kNames)
    if (lname == k) return true;
  if (lname != "font") return false;
  std::string low(tag);
  for (char& c : low) c = lower(c);
  return low.find("color") != std::string::npos || low.find("face") != std::string::npos ||
         low.find("size") != std::string::npos;
}

// Elements of svg (or math) whose content is HTML again.
bool integration_point(std::string_view lname, bool svg) {
  if (svg) return lname == "foreignobject" || lname == "desc" || lname == "title";
  return lname == "mi" || lname == "mo" || lname == "mn" || lname == "ms" || lname == "mtext";
}

bool html_void(std::string_view lname) {
  for (std::string_view k : {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
                             "param", "source", "track", "wbr", "basefont", "bgsound", "frame", "image", "isindex"})
    if (lname == k) return true;
  return false;
}

// For svg and math: the position just past the end tag that closes the element, or npos
// when the tree builder would leave the foreign content earlier (an HTML start tag such as
// <p> or <div>, "</p>", "</br>", or the end tag of an element opened outside it); `left`
// is then that tag's position. Only the parser resolves those, so the caller leaves such
// an element to it. Comments and HTML raw-text bodies (a <script> in a <foreignObject>)
// are skipped as the tokenizer does.
std::size_t skip_foreign(std::string_view s, std::size_t from, std::string_view root, std::size_t& left) {
  struct Open {
    std::string name;
    bool html;  // its content is HTML (an integration point, or an HTML element inside one)
    bool svg;   // in (or under) an svg element, else math
  };
  std::vector<Open> open{{std::string(root), false, root == "svg"}};
  const std::size_t n = s.size();
  std::size_t i = from;
  std::string lname;
  while (i < n) {
    const std::size_t lt = next_tag_open(s, i);
    if (lt == std::string_view::npos) return n;
    if (s.compare(lt, 9, "<![CDATA[") == 0 && !open.back().html) {
      const std::size_t e = s.find("]]>", lt + 9);
      i = e == std::string_view::npos ? n : e + 3;
      continue;
    }
    const bool end_tag = lt + 1 < n && s[lt + 1] == '/';
    const std::size_t name_at = lt + (end_tag ? 2 : 1);
    if (name_at >= n || !is_alpha(s[name_at])) {
      i = lt + 1;
      continue;
    }
    std::size_t name_end = name_at;
    while (!name_ends(s, name_end)) ++name_end;
    lname.assign(s.data() + name_at, name_end - name_at);
    for (char& c : lname) c = lower(c);
    const std::size_t e = tag_end(s, lt);
    if (end_tag) {
      left = lt;
      if (!open.back().html && (lname == "p" || lname == "br")) return std::string_view::npos;
      std::size_t k = open.size();
      while (k > 0 && open[k - 1].name != lname) --k;
      if (k == 0) return std::string_view::npos;  // closes something opened outside
      open.resize(k - 1);
      if (open.empty()) return e;
      i = e;
      continue;
    }
    const bool html = open.back().html;
    if (!html && breaks_out(lname, s.substr(lt, e - lt))) {
      left = lt;
      return std::string_view::npos;
    }
    i = e;
    if (html) {
      if (lname == "script") {
        const std::size_t close = find_script_end(s, e);
        i = close == std::string_view::npos ? n : close;
        continue;
      }
      for (std::string_view raw : {"style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}) {
        if (lname == raw) {
          const std::size_t close = find_end_tag(s, e, raw);
          i = close == std::string_view::npos ? n : close;
          break;
        }
      }
      if (i != e || html_void(lname)) continue;
      const bool root_again = lname == "svg" || lname == "math";
      open.push_back({lname, !root_again, root_again ? lname == "svg" : open.back().svg});
    } else {
      const bool self_closing = e >= 2 && e <= n && s[e - 2] == '/';
      const bool svg = open.back().svg;
      if (!self_closing) open.push_back({lname, integration_point(lname, svg), svg});
    }
  }
  return n;
}

bool is_json_ld(std::string_view start_tag) {
  std::string low(start_tag.size(), '\0');
  for (std::size_t i = 0; i < start_tag.size(); ++i) low[i] = lower(start_tag[i]);
  return low.find("ld+json") != std::string::npos;
}

enum class Handling { Keep, DropAll, DropNested, CopyRcdata, Plaintext, Script };

Handling handling_of(std::string_view s, std::size_t name_at, std::size_t& name_len) {
  struct Entry {
    std::string_view name;
    Handling h;
  };
  static constexpr Entry kEntries[] = {
      {"script", Handling::Script},       {"style", Handling::DropAll},      {"noscript", Handling::DropAll},
      {"iframe", Handling::DropAll},      {"noembed", Handling::DropAll},    {"noframes", Handling::DropAll},
      {"xmp", Handling::DropAll},         {"template", Handling::DropNested}, {"svg", Handling::DropNested},
      {"math", Handling::DropNested},     {"title", Handling::CopyRcdata},   {"textarea", Handling::CopyRcdata},
      {"plaintext", Handling::Plaintext},
  };
  // Every name above starts with one of these letters; most tags are done here.
  switch (lower(s[name_at])) {
    case 's': case 'n': case 'i': case 'x': case 't': case 'm': case 'p': break;
    default: return Handling::Keep;
  }
  for (const auto& e : kEntries) {
    if (starts_ci(s, name_at, e.name) && name_ends(s, name_at + e.name.size())) {
      name_len = e.name.size();
      return e.h;
    }
  }
  return Handling::Keep;
}

}  // namespace

namespace {

bool equals_ci(std::string_view s, std::string_view lowercase_word) {
  if (s.size() != lowercase_word.size()) return false;
  for (std::size_t k = 0; k < s.size(); ++k)
    if (lower(s[k]) != lowercase_word[k]) return false;
  return true;
}

// The elements the block builder starts a new block at: whitespace between text and one
// of them never reaches the output.
// The tag of a lowercase name (GUMBO_TAG_UNKNOWN for names gumbo does not know): the tests
// below ask it once per tag instead of comparing the name with lists of names.
GumboTag tag_of(std::string_view lname) { return gumbo_tagn_enum(lname.data(), static_cast<unsigned>(lname.size())); }

}  // namespace

std::string_view attribute_value(std::string_view s, const AttributeSpan& a) {
  std::size_t v = a.name_end;
  while (v < a.end && is_space(s[v])) ++v;
  if (v >= a.end || s[v] != '=') return {};
  ++v;
  while (v < a.end && is_space(s[v])) ++v;
  if (v >= a.end) return {};
  if (a.quoted && (s[v] == '"' || s[v] == '\'')) {
    const std::size_t close = a.end > v + 1 && s[a.end - 1] == s[v] ? a.end - 1 : a.end;
    return s.substr(v + 1, close - v - 1);
  }
  return s.substr(v, a.end - v);
}

namespace {

// keep[] values beside 0 (drop) and 1 (copy as written): an <a> href rewritten, a class
// value replaced by its placeholder.
constexpr unsigned char kHrefNowhere = 2, kHrefSomewhere = 3, kClassPlaceholder = 4;

enum class LinkTarget { AsWritten, Nowhere, Somewhere };

// Whether two of `attributes` (of `s`) have one name, ASCII case aside. Pairwise for a few,
// sorted for many (a hostile tag may have a hundred thousand); `names` is scratch.
bool has_duplicate_names(std::string_view s, const std::vector<AttributeSpan>& attributes,
                         std::vector<std::string>& names) {
  auto name = [&](const AttributeSpan& a) { return s.substr(a.begin, a.name_end - a.begin); };
  auto same = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (lower(a[i]) != lower(b[i])) return false;
    return true;
  };
  const std::size_t n = attributes.size();
  if (n <= 16) {
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t j = k + 1; j < n; ++j)
        if (same(name(attributes[k]), name(attributes[j]))) return true;
    return false;
  }
  names.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    names[k].assign(name(attributes[k]));
    for (char& c : names[k]) c = lower(c);
  }
  std::sort(names.begin(), names.end());
  return std::adjacent_find(names.begin(), names.end()) != names.end();
}

// Whether `tag` is a formatting element (the tree builder's list of active formatting
// elements holds them, and compares their attributes).
bool is_formatting(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A: case GUMBO_TAG_B: case GUMBO_TAG_BIG: case GUMBO_TAG_CODE: case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT: case GUMBO_TAG_I: case GUMBO_TAG_NOBR: case GUMBO_TAG_S: case GUMBO_TAG_SMALL:
    case GUMBO_TAG_STRIKE: case GUMBO_TAG_STRONG: case GUMBO_TAG_TT: case GUMBO_TAG_U:
      return true;
    default:
      return false;
  }
}

// Whether the attributes of a start tag `tag` can go to the parser as one placeholder:
// not when the tree builder reads them (see PrescanSteps::attribute_lists).
bool lists_attributes(GumboTag tag) {
  if (is_formatting(tag)) return false;
  switch (tag) {
    case GUMBO_TAG_HTML: case GUMBO_TAG_BODY: case GUMBO_TAG_INPUT: case GUMBO_TAG_ISINDEX: case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH: case GUMBO_TAG_ANNOTATION_XML:
      return false;
    default:
      return true;
  }
}


// What the block builder makes of an <a> href when links are not recorded: whether it leads
// anywhere (link_href). A value with CR or NUL (which the tree builder rewrites) is left as
// written. A character reference ("?a=1&amp;b=2") decodes to other bytes, but the answer
// depends only on the value's start (empty, '#', "javascript:" once spaces, tabs and
// newlines are trimmed): only a reference there leaves the value as written.
LinkTarget link_target(std::string_view v) {
  for (char c : v)
    if (c == '\r' || c == '\0') return LinkTarget::AsWritten;
  const std::size_t amp = v.find('&');
  if (amp == std::string_view::npos) return link_href(v).empty() ? LinkTarget::Nowhere : LinkTarget::Somewhere;
  std::size_t start = 0;  // link_href's trimming
  while (start < v.size() && (v[start] == ' ' || v[start] == '\n' || v[start] == '\t')) ++start;
  const std::string_view literal = v.substr(start, amp - start);  // decodes to itself
  if (literal.empty()) return LinkTarget::AsWritten;
  if (literal.front() == '#') return LinkTarget::Nowhere;
  constexpr std::string_view kScript = "javascript:";
  if (literal.size() >= kScript.size()) return literal.starts_with(kScript) ? LinkTarget::Nowhere : LinkTarget::Somewhere;
  return kScript.starts_with(literal) ? LinkTarget::AsWritten : LinkTarget::Somewhere;
}

}  // namespace

bool prescan_keeps_attribute(std::string_view tag, std::string_view name) {
  // Read on any element by extraction (html/blocks.cpp, html/metadata.cpp, select/), or by
  // the tree builder itself: <font color|face|size> ends foreign content, <input
  // type=hidden> stays inside a table, <annotation-xml encoding> holds HTML. Links and
  // canonical URLs (href of a, link, base); script hosts (src of script). By length first:
  // a name is compared with a few of these at most.
  auto is = [&](std::string_view k) { return equals_ci(name, k); };
  switch (name.size()) {
    case 2: return is("id");
    case 3: return is("rel") || (is("src") && equals_ci(tag, "script"));
    case 4:
      return is("role") || is("lang") || is("type") || is("name") || is("face") || is("size") ||
             (is("href") && (equals_ci(tag, "a") || equals_ci(tag, "link") || equals_ci(tag, "base")));
    case 5: return is("class") || is("style") || is("color");
    case 6: return is("hidden");
    case 7: return is("content") || is("pubdate");
    case 8: return is("itemprop") || is("property") || is("xml:lang") || is("datetime") || is("encoding");
    case 10: return is("aria-label") || is("http-equiv");
    case 11: return is("data-testid") || is("aria-hidden");
    case 16: return is("aria-describedby");
    default: return false;
  }
}

namespace {

// Runs shorter than this are left in place: the placeholder would save little.
constexpr std::size_t kMinTextRun = 5;

// Whether gumbo passes `core` through unchanged: no character reference, no '<', none of the
// code points it replaces with U+FFFD (C0 controls but tab, LF and FF; DEL and C1 controls;
// noncharacters), no CR or NUL (which it rewrites), well-formed UTF-8; and no part of a "]]>"
// (which ends a CDATA section in svg or math, also when a removed comment joins two runs).
// `raw_text`: `core` is the body of a raw-text element (a script), where the tokenizer reads
// '&' and '<' as plain characters (the element's end is found apart, by find_script_end).
template <bool raw_text = false>
bool passes_unchanged(std::string_view core) {
  if (!raw_text &&
      (core.find("]]>") != std::string_view::npos || core.front() == ']' || core.front() == '>' || core.back() == ']'))
    return false;
  if (core.size() > static_cast<std::size_t>(INT32_MAX)) return false;
  const auto* p = reinterpret_cast<const std::uint8_t*>(core.data());
  const auto n = static_cast<std::int32_t>(core.size());
  // Eight bytes at a time while they are plain ASCII: no byte with its high bit set, below
  // 0x20, '&', '<' or DEL (a byte that is 0 after XOR with the one looked for, or below 0x20,
  // sets the high bit of its lane in `low`; exact when no high bit was set before).
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto suspect = [](std::uint64_t w) {
    auto zero_lane = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
    const std::uint64_t markup = raw_text ? 0 : zero_lane(w ^ ('&' * kOnes)) | zero_lane(w ^ ('<' * kOnes));
    return (w & kHigh) | ((w - 0x20 * kOnes) & ~w & kHigh) | markup | zero_lane(w ^ (0x7F * kOnes));
  };
  for (std::int32_t i = 0; i < n;) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, sizeof w);
      if (!suspect(w)) {
        i += 8;
        continue;
      }
    }
    const std::uint8_t b = p[i];
    if (b < 0x80) {
      if ((!raw_text && (b == '&' || b == '<')) || b == 0x7F || (b < 0x20 && b != '\t' && b != '\n' && b != '\f'))
        return false;
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);  // negative when ill-formed (overlong, surrogate, truncated)
    if (c < 0 || c <= 0x9F || U_IS_UNICODE_NONCHAR(c)) return false;
  }
  return true;
}

// The private-use code points numeric character references of `s` name ("&#57344;",
// "&#xF0000;"): the parser turns them into those characters, which placeholders must not be.
// Bit k of `bmp` for U+E000 + k (k < 16); `planes_15_16` for any of planes 15 and 16.
struct ReferencedPrivateUse {
  unsigned bmp = 0;
  bool planes_15_16 = false;
};

ReferencedPrivateUse referenced_private_use(std::string_view s) {
  ReferencedPrivateUse r;
  for (std::size_t i = s.find("&#"); i != std::string_view::npos; i = s.find("&#", i + 2)) {
    std::size_t k = i + 2;
    const bool hex = k < s.size() && (s[k] == 'x' || s[k] == 'X');
    if (hex) ++k;
    std::uint64_t v = 0;
    for (; k < s.size(); ++k) {
      const char c = s[k];
      int d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) break;
      v = std::min<std::uint64_t>(v * (hex ? 16 : 10) + static_cast<unsigned>(d), 0x7FFFFFFF);
    }
    if (v >= 0xE000 && v < 0xE010) r.bmp |= 1u << (v - 0xE000);
    if (v >= 0xF0000 && v <= 0x10FFFF) r.planes_15_16 = true;
  }
  return r;
}

// A private-use character the page neither contains nor references, or "" when none of
// the candidates is free.
std::string pick_marker(std::string_view s, unsigned referenced) {
  for (unsigned c = 0xE000; c < 0xE010; ++c) {
    if (referenced >> (c - 0xE000) & 1u) continue;
    const char m[3] = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                       static_cast<char>(0x80 | (c & 0x3F))};
    const std::string_view marker(m, 3);
    if (s.find(marker) == std::string_view::npos) return std::string(marker);
  }
  return {};
}

// Whether `s` holds a byte that can start a character of planes 15 or 16 (F3 B0–BF, F4 80–8F)
// once its lead byte is found: the lead bytes F3 and up are rare, so the page is read in
// blocks with no branch per byte until one turns up.
bool holds_planes_15_16(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  constexpr std::size_t kBlock = 64;
  std::size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    unsigned char high = 0;
    for (std::size_t k = 0; k < kBlock; ++k) high |= static_cast<unsigned char>(p[i + k] >= 0xF3);
    if (high) break;
  }
  for (; i + 1 < n; ++i)
    if ((p[i] == 0xF3 && p[i + 1] >= 0xB0 && p[i + 1] <= 0xBF) || (p[i] == 0xF4 && p[i + 1] >= 0x80 && p[i + 1] <= 0x8F))
      return true;
  return false;
}

// The code point of compact placeholder `index` (planes 15 and 16, skipping U+FFFFE and
// U+FFFFF, noncharacters the tokenizer reports).
char32_t compact_code_point(std::size_t index) {
  return index < 0xFFFE ? TextRuns::kCompactFirst + static_cast<char32_t>(index)
                        : 0x100000 + static_cast<char32_t>(index - 0xFFFE);
}

}  // namespace

std::size_t TextRuns::size_of(std::size_t index) const {
  return compact ? 4 : 2 * marker.size() + std::to_string(index).size();
}

void TextRuns::put(std::string& out, std::size_t index) const {
  if (!compact) {
    out += marker;
    out += std::to_string(index);
    out += marker;
    return;
  }
  const char32_t c = compact_code_point(index);
  const char b[4] = {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
                     static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
  out.append(b, 4);
}

std::size_t TextRuns::find(std::string_view text, std::size_t from) const {
  if (!compact) return marker.empty() ? std::string_view::npos : text.find(marker, from);
  for (std::size_t i = from; i < text.size(); ++i)
    if (static_cast<unsigned char>(text[i]) == 0xF3 || static_cast<unsigned char>(text[i]) == 0xF4) return i;
  return std::string_view::npos;
}

std::size_t TextRuns::at(std::string_view text, std::size_t m, std::size_t& end) const {
  if (compact) {
    if (m + 4 > text.size()) return std::string_view::npos;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data() + m);
    if ((p[0] != 0xF3 && p[0] != 0xF4) || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return std::string_view::npos;
    const char32_t c = (char32_t{p[0]} & 0x07) << 18 | (char32_t{p[1]} & 0x3F) << 12 | (char32_t{p[2]} & 0x3F) << 6 |
                       (char32_t{p[3]} & 0x3F);
    std::size_t index = std::string_view::npos;
    if (c >= kCompactFirst && c < kCompactFirst + 0xFFFE) index = c - kCompactFirst;
    else if (c >= 0x100000 && c < 0x100000 + 0xFFFE) index = 0xFFFE + (c - 0x100000);
    if (index >= cores.size()) return std::string_view::npos;
    end = m + 4;
    return index;
  }
  if (marker.empty() || text.compare(m, marker.size(), marker) != 0) return std::string_view::npos;
  std::size_t d = m + marker.size(), index = 0;
  bool digits = false;
  while (d < text.size() && text[d] >= '0' && text[d] <= '9' && index < cores.size()) {
    index = index * 10 + static_cast<std::size_t>(text[d] - '0');
    digits = true;
    ++d;
  }
  if (!digits || index >= cores.size() || text.substr(d, marker.size()) != marker) return std::string_view::npos;
  end = d + marker.size();
  return index;
}

std::string_view resolve_class(std::string_view value, const TextRuns* runs) {
  if (!runs || runs->classes == 0 || value.empty()) return value;
  std::size_t end = 0;
  const std::size_t index = runs->at(value, 0, end);
  return index != std::string_view::npos && end == value.size() ? runs->cores[index] : value;
}

std::string expand_text_runs(std::string_view text, const TextRuns& runs) {
  std::string out;
  if (!runs.active()) return std::string(text);
  out.reserve(text.size() * 4);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t m = runs.find(text, i);
    if (m == std::string_view::npos) break;
    std::size_t end = 0;
    const std::size_t index = runs.at(text, m, end);
    if (index != std::string_view::npos) {
      out.append(text.data() + i, m - i);
      out.append(runs.cores[index]);
      i = end;
    } else {
      const std::size_t skip = runs.compact ? 1 : runs.marker.size();
      out.append(text.data() + i, m + skip - i);
      i = m + skip;
    }
  }
  out.append(text.data() + i, text.size() - i);
  return out;
}

namespace {

// The value of the first attribute of `attributes` named `name` (lowercase), as gumbo keeps
// the first of duplicates; "" when there is none.
std::string_view first_value(std::string_view s, const std::vector<AttributeSpan>& attributes, std::string_view name) {
  for (const AttributeSpan& a : attributes)
    if (equals_ci(s.substr(a.begin, a.name_end - a.begin), name)) return attribute_value(s, a);
  return {};
}

// Start tags that leave the tree builder in the head (or, after </head>, still put
// elements there): head elements, and the html and head tags.
bool keeps_head_open(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_META: case GUMBO_TAG_LINK: case GUMBO_TAG_TITLE: case GUMBO_TAG_BASE: case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE: case GUMBO_TAG_BASEFONT: case GUMBO_TAG_BGSOUND: case GUMBO_TAG_HTML: case GUMBO_TAG_HEAD:
      return true;
    default:
      return false;
  }
}

// Whether a <meta> or <link> of the head is read by metadata (html/metadata.cpp): a meta
// whose key meta_key_read() names and whose content is not empty, a link rel=canonical.
// A value with a character reference is taken as read (gumbo decodes it).
bool head_element_read(std::string_view s, std::string_view lname, const std::vector<AttributeSpan>& attributes) {
  if (lname == "link") {
    const std::string_view rel = first_value(s, attributes, "rel");
    return rel.find('&') != std::string_view::npos || equals_ci(rel, "canonical");
  }
  std::string_view key;
  for (std::string_view name : {"property", "name", "itemprop", "http-equiv"}) {
    key = first_value(s, attributes, name);
    if (key.find('&') != std::string_view::npos) return true;
    if (!key.empty()) break;
  }
  const std::string_view content = first_value(s, attributes, "content");
  if (key.empty() || content.empty()) return false;
  std::string lower_key(key);
  for (char& c : lower_key) c = lower(c);
  return meta_key_read(lower_key);
}

}  // namespace

std::string prescan(std::string_view s, const PrescanSteps& steps, TextRuns* runs) {
  std::size_t parse_foreign_until = 0;  // svg and math starting before this are left to the parser
  std::string out;
  out.reserve(s.size());
  if (runs) {
    runs->cores.clear();
    runs->classes = 0;
    runs->attribute_lists = 0;
    runs->list_text.clear();
    runs->compact = false;
    runs->marker.clear();
    if (steps.text || steps.classes || steps.attribute_lists) {
      const ReferencedPrivateUse referenced = referenced_private_use(s);
      runs->compact = !referenced.planes_15_16 && !holds_planes_15_16(s);
      if (!runs->compact) runs->marker = pick_marker(s, referenced.bmp);
    }
  }
  bool placeholders = runs && runs->active() && steps.text;
  bool class_placeholders = runs && runs->active() && steps.classes;
  bool list_placeholders = runs && runs->active() && steps.attribute_lists;
  // Written attribute lists never outgrow the tags they come from by more than the few bytes
  // an href reduction adds ("href=#" becomes "href=\"\""); lists that would not fit stay.
  if (list_placeholders) runs->list_text.reserve(s.size() + s.size() / 4 + 64);
  std::string tail;  // the end of a tag whose attribute list became a placeholder
  std::vector<std::string> names;  // scratch of has_duplicate_names
  std::unordered_map<std::string_view, std::size_t> formatting_classes;  // class value -> its placeholder
  const std::size_t n = s.size();
  std::size_t i = 0;
  // Whitespace-only text after a tag is held back until the next tag is known: beside a
  // block-level tag it is dropped, elsewhere written as it was. Dropped bodies and comments
  // between them leave it held.
  std::string held;
  enum class Last { Text, BlockTag, OtherTag } last = Last::Text;
  int pre = 0;  // open <pre> and <listing>, whose whitespace is content
  std::size_t no_noscript_end_from = std::string_view::npos;  // no "</noscript" at or after this
  std::size_t lone_lt_end = std::string_view::npos;           // just past the last '<' written as text
  bool in_select = false;                                      // after <select>, before </select>
  // Nothing but head elements, whitespace, comments and doctypes so far: a meta or link
  // element is the head's (also after </head>, where the tree builder still puts it there).
  bool head_zone = true;
  // The tree builder has made the head element: a start tag other than <html> was read, or an
  // end tag that opens it (</head>, </body>, </html>, </br>), or text. Before that, an element
  // stays even when nothing reads it: it would make the head, and a <head> tag after it
  // is then ignored, attributes and all.
  bool head_started = false;
  std::size_t pre_start_end = std::string::npos;  // out's size just after a <pre> or <listing> start tag
  bool drop_unread = steps.unread_elements;
  std::vector<AttributeSpan> attributes;
  std::vector<unsigned char> keep;  // per attribute of the tag being written
  std::vector<int> script_hits;
  std::string lname;

  auto flush_held = [&] {
    out += held;
    held.clear();
  };
  // Some text since the last token written (tag, comment, doctype). Removed elements and
  // comments do not end it.
  bool text_run = false;
  auto before_tag = [&](bool block) {
    text_run = false;
    if (held.empty()) return;
    if (!block && last != Last::BlockTag) out += held;
    held.clear();
  };
  // Writes a placeholder for `core` (a view into the input) and records what it stands for.
  auto put_placeholder = [&](std::string_view core) {
    runs->put(out, runs->cores.size());
    runs->cores.push_back(core);
  };
  // Whether `bytes` of text (a run, a script body) are worth the next placeholder: at least
  // kMinTextRun, longer than it, and room for it.
  auto worth_placeholder = [&](std::size_t bytes) {
    return bytes >= kMinTextRun && bytes > runs->size_of(runs->cores.size()) && runs->room(runs->cores.size());
  };
  auto text = [&](std::size_t from, std::size_t to) {
    if (from == to) return;
    text_run = true;
    if (head_zone || !head_started)
      for (std::size_t k = from; k < to; ++k)
        if (!is_space(s[k])) {  // text makes the head (and the body)
          head_zone = false;
          head_started = true;
          break;
        }
    // A text '<' followed, once something between was removed, by what would start a tag
    // ("<" + "<!-- -->" + "p>"): written "&lt;", the same text, so that no tag appears.
    if (from != lone_lt_end && !out.empty() && out.back() == '<' && starts_markup(s[from])) {
      out.back() = '&';
      out += "lt;";
    }
    if (steps.whitespace && last != Last::Text && pre == 0) {
      std::size_t k = from;
      while (k < to && is_space(s[k])) ++k;
      if (k == to) {
        held.append(s.data() + from, to - from);
        return;
      }
    }
    flush_held();
    last = Last::Text;
    if (placeholders && to - from >= kMinTextRun && from != lone_lt_end && (out.empty() || out.back() != '<')) {
      std::size_t a = from, b = to;
      while (a < b && is_space(s[a])) ++a;
      while (b > a && is_space(s[b - 1])) --b;
      if (worth_placeholder(b - a) && passes_unchanged(s.substr(a, b - a))) {
        out.append(s.data() + from, a - from);
        put_placeholder(s.substr(a, b - a));
        out.append(s.data() + b, to - b);
        return;
      }
    }
    out.append(s.data() + from, to - from);
  };
  GumboTag tag = GUMBO_TAG_UNKNOWN;  // of lname
  auto set_name = [&](std::size_t from, std::size_t to) {
    lname.assign(s.data() + from, to - from);
    for (char& c : lname) c = lower(c);
    tag = tag_of(lname);
  };
  // A start tag with only the attributes extraction reads; as written when it keeps them all
  // and rewrites none.
  // (Tags with two attributes of one name are written as they are, not through here.)
  auto write_start_tag = [&](std::size_t lt, const TagScan& t) {
    keep.assign(attributes.size(), 1);
    bool drop = false;
    if (steps.attributes)
      for (std::size_t k = 0; k < attributes.size(); ++k) {
        const AttributeSpan& a = attributes[k];
        keep[k] = prescan_keeps_attribute(lname, s.substr(a.begin, a.name_end - a.begin));
        drop = drop || !keep[k];
      }
    // style: read only for whether it hides the element (hidden_by_style; the tag has one at
    // most). When it does not, and no reference, CR or NUL could make it read
    // otherwise, it goes.
    if (steps.attributes)
      for (std::size_t k = 0; k < attributes.size(); ++k) {
        const AttributeSpan& a = attributes[k];
        if (!equals_ci(s.substr(a.begin, a.name_end - a.begin), "style")) continue;
        const std::string_view v = attribute_value(s, a);
        if (v.find_first_of(std::string_view("&\r\0", 3)) == std::string_view::npos && !hidden_by_style(v)) {
          keep[k] = 0;
          drop = true;
        }
        break;
      }
    // The whole list becomes one placeholder (below): its class value stays in it.
    const bool as_list = list_placeholders && runs->room(runs->cores.size()) && lists_attributes(tag);
    std::size_t placeholders_in_tag = 0;
    if (class_placeholders && !as_list)
      for (std::size_t k = 0; k < attributes.size(); ++k) {
        const AttributeSpan& a = attributes[k];
        if (!keep[k] || !equals_ci(s.substr(a.begin, a.name_end - a.begin), "class")) continue;
        const std::string_view v = attribute_value(s, a);
        const std::size_t index = runs->cores.size() + placeholders_in_tag;
        if (v.size() <= runs->size_of(index) || !runs->room(index) || !passes_unchanged(v))
          continue;
        ++placeholders_in_tag;
        keep[k] = kClassPlaceholder;
      }
    if (steps.link_targets && tag == GUMBO_TAG_A)
      for (std::size_t k = 0; k < attributes.size(); ++k) {
        const AttributeSpan& a = attributes[k];
        if (!keep[k] || !equals_ci(s.substr(a.begin, a.name_end - a.begin), "href")) continue;
        const LinkTarget target = link_target(attribute_value(s, a));
        if (target == LinkTarget::AsWritten) continue;
        keep[k] = target == LinkTarget::Nowhere ? kHrefNowhere : kHrefSomewhere;
        drop = true;
      }
    // Formatting elements with one class value share its placeholder: the tree builder
    // compares their attributes (at most three equal ones stay in its list of active
    // formatting elements), and equal values must stay equal.
    const bool formatting = is_formatting(tag);
    // A value replaced by a placeholder: the tag as written otherwise (its whitespace too, so
    // that placeholders put back as text give back the bytes).
    auto write_class = [&](const AttributeSpan& a) {
      const std::string_view v = attribute_value(s, a);
      const std::size_t vb = static_cast<std::size_t>(v.data() - s.data()), ve = vb + v.size();
      out.append(s.data() + a.begin, vb - a.begin);
      const auto [it, fresh] =
          formatting ? formatting_classes.try_emplace(v, runs->cores.size()) : std::pair{formatting_classes.end(), true};
      if (fresh) {
        put_placeholder(v);
        ++runs->classes;
      } else {
        runs->put(out, it->second);
      }
      out.append(s.data() + ve, a.end - ve);
    };
    const std::size_t tag_at = out.size();
    // The `count` attributes just written at [b, e) of `out` become one placeholder (the
    // rest of the tag, "…>", "…/>", is whitespace, '/' and '>' only).
    auto list_attributes = [&](std::size_t b, std::size_t e, std::size_t count) {
      if (count == 0 || count > kMaxListedAttributes) return;
      const std::string_view list(out.data() + b, e - b);
      const std::size_t index = runs->cores.size();
      if (list.size() <= runs->size_of(index) || runs->list_text.size() + list.size() > runs->list_text.capacity() ||
          !passes_unchanged(list))
        return;
      const std::size_t at = runs->list_text.size();
      runs->list_text.append(list);
      tail.assign(out, e);
      out.resize(b);
      runs->put(out, index);
      out += tail;
      runs->cores.emplace_back(runs->list_text.data() + at, list.size());
      ++runs->attribute_lists;
    };
    if (!drop) {
      std::size_t from = lt;
      for (std::size_t k = 0; k < attributes.size() && placeholders_in_tag > 0; ++k) {
        if (keep[k] != kClassPlaceholder) continue;
        out.append(s.data() + from, attributes[k].begin - from);
        write_class(attributes[k]);
        from = attributes[k].end;
      }
      out.append(s.data() + from, t.end - from);
      if (as_list && !attributes.empty())
        list_attributes(tag_at + (attributes.front().begin - lt), tag_at + (attributes.back().end - lt), attributes.size());
      return;
    }
    out.append(s.data() + lt, t.name_end - lt);
    // A space goes after the name and after a bare name or an unquoted value; a quoted value
    // needs none. Each was at least one byte of the input (a space or a dropped attribute),
    // so the tag never grows. "/>" after an unquoted value needs one too ("x=1/>" is "1/").
    bool first = true, after_quoted = false, after_unquoted = false;
    std::size_t list_begin = 0, kept = 0;
    for (std::size_t k = 0; k < attributes.size(); ++k) {
      if (!keep[k]) continue;
      const AttributeSpan& a = attributes[k];
      if (first || !after_quoted) out += ' ';
      if (first) list_begin = out.size();
      first = false;
      ++kept;
      if (keep[k] == kClassPlaceholder) {
        write_class(a);
        after_quoted = a.quoted;
        after_unquoted = !a.quoted;
        continue;
      }
      if (keep[k] == kHrefNowhere || keep[k] == kHrefSomewhere) {
        const bool nowhere = keep[k] == kHrefNowhere;
        out += nowhere ? "href=\"\"" : "href=h";
        after_quoted = nowhere;
        after_unquoted = !nowhere;
        continue;
      }
      out.append(s.data() + a.begin, a.end - a.begin);
      after_quoted = a.quoted;
      after_unquoted = !a.quoted && a.end > a.name_end;
    }
    const std::size_t list_end = out.size();
    out += t.self_closing ? (after_unquoted ? " />" : "/>") : ">";
    if (as_list) list_attributes(list_begin, list_end, kept);
  };

  while (i < n) {
    const void* p = std::memchr(s.data() + i, '<', n - i);
    if (!p) {
      text(i, n);
      break;
    }
    const std::size_t lt = static_cast<std::size_t>(static_cast<const char*>(p) - s.data());
    text(i, lt);
    if (s.compare(lt, 4, "<!--") == 0) {
      const std::size_t e = comment_end(s, lt);
      if (!steps.bodies) {
        flush_held();
        out.append(s.data() + lt, e - lt);
        last = Last::Text;
        text_run = false;
      }
      i = e;
      continue;
    }
    const bool end_tag = lt + 2 < n && s[lt + 1] == '/' && is_alpha(s[lt + 2]);
    // A doctype or a bogus comment ("<!x", "<?x", "</ x"; "</>" is dropped by the tokenizer):
    // up to the next '>' it is no text, whatever it holds ("<!DOCTYPE x <p class='>"), so it
    // is copied as it is and nothing in it is read as a tag or a text run.
    if (!end_tag && lt + 1 < n && (s[lt + 1] == '!' || s[lt + 1] == '?' || s[lt + 1] == '/')) {
      const void* gt = std::memchr(s.data() + lt + 2, '>', n > lt + 2 ? n - lt - 2 : 0);
      const std::size_t e = gt ? static_cast<std::size_t>(static_cast<const char*>(gt) - s.data()) + 1 : n;
      flush_held();
      out.append(s.data() + lt, e - lt);
      last = Last::Text;
      text_run = false;
      i = e;
      continue;
    }
    if (!end_tag && (lt + 1 >= n || !is_alpha(s[lt + 1]))) {  // text
      head_zone = false;
      text_run = true;
      head_started = true;
      flush_held();
      out += '<';
      lone_lt_end = lt + 1;
      last = Last::Text;
      i = lt + 1;
      continue;
    }
    std::size_t name_len = 0;
    Handling h = end_tag ? Handling::Keep : handling_of(s, lt + 1, name_len);
    if (h != Handling::Keep) set_name(lt + 1, lt + 1 + name_len);
    // Inside a select the tree builder ignores these start tags (only script, template and
    // textarea act there), so what follows them is markup: they are kept as plain tags.
    // A select counts as open up to "</select>", past any tag that closes it earlier: that
    // only keeps more than needed.
    if (in_select && h != Handling::Keep && h != Handling::Script && tag != GUMBO_TAG_TEMPLATE && tag != GUMBO_TAG_TEXTAREA) {
      h = Handling::Keep;
      // Where an <input> or a second <select> closed the select, this is a real title or
      // style whose text the prescan now reads as markup: no element in it may be dropped.
      drop_unread = false;
    }
    if (h == Handling::Keep) {  // a tag written as it is, or with fewer attributes
      const std::size_t name_at = lt + (end_tag ? 2 : 1);
      attributes.clear();
      const TagScan t = scan_tag(s, name_at, &attributes);
      if (t.end == std::string_view::npos) {  // the input ends inside it: the tokenizer drops it
        flush_held();
        out.append(s.data() + lt, n - lt);
        break;
      }
      set_name(name_at, t.name_end);
      // Two attributes with one name: gumbo keeps the first, but with max_errors = 0 it also
      // leaves the duplicate's name in its buffer, where the next attribute's name is
      // appended ("<h a a b>" gets a and "ab", "it it emprop" gets "itemprop"). Which
      // attributes follow the duplicate then matters, so such a tag goes to the parser as
      // written, and is never dropped as unread.
      const bool duplicate_names = !end_tag && has_duplicate_names(s, attributes, names);
      if (head_zone) {
        if (end_tag) {
          head_zone = tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_TITLE || tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE;
        } else if (drop_unread && head_started && (tag == GUMBO_TAG_META || tag == GUMBO_TAG_LINK) &&
                   !duplicate_names && !head_element_read(s, lname, attributes)) {
          i = t.end;  // whitespace around it stays held, as around a comment
          continue;
        } else {
          head_zone = keeps_head_open(tag);
        }
      }
      if (end_tag ? tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_BODY || tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BR
                  : tag != GUMBO_TAG_HTML)
        head_started = true;
      const bool block = is_block_tag(tag);
      before_tag(block);
      if (end_tag) out.append(s.data() + lt, t.end - lt);  // its attributes mean nothing
      else if (duplicate_names) out.append(s.data() + lt, t.end - lt);
      else write_start_tag(lt, t);
      if (tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING) {
        if (!end_tag) ++pre;
        else if (pre > 0) --pre;
        if (!end_tag) pre_start_end = out.size();
      }
      if (tag == GUMBO_TAG_SELECT) in_select = !end_tag;
      // In a frameset the tree builder drops text but keeps the whitespace inside it: a
      // placeholder would lose that whitespace.
      if (tag == GUMBO_TAG_FRAMESET && !end_tag) placeholders = drop_unread = false;
      last = block ? Last::BlockTag : Last::OtherTag;
      i = t.end;
      continue;
    }
    if (!keeps_head_open(tag)) head_zone = false;
    const bool head_was_started = head_started;
    head_started = true;
    const std::size_t body = tag_end(s, lt);
    // Writes [lt, to) as it is: the element's start tag, or all of it.
    auto copy = [&](std::size_t to) {
      before_tag(false);
      out.append(s.data() + lt, to - lt);
      last = Last::OtherTag;
    };
    switch (h) {
      case Handling::Script: {
        const std::string_view start_tag = s.substr(lt, body - lt);
        const std::size_t close = find_script_end(s, body);
        const std::size_t stop = close == std::string_view::npos ? n : close;
        if (drop_unread && head_was_started && close != std::string_view::npos && !is_json_ld(start_tag) &&
            start_tag.find('&') == std::string_view::npos) {
          // No JSON-LD and no src a script-src rule matches: nothing reads it. Dropped with
          // its end tag when that is whole; whitespace around it stays held, as around a
          // comment.
          attributes.clear();
          scan_tag(s, lt + 1, &attributes);
          const std::string_view src = first_value(s, attributes, "src");
          // With two attributes of one name gumbo joins the next name to the duplicate's
          // ("s s rc=x" gives "src"): such a script is kept.
          bool src_read = !src.empty() || has_duplicate_names(s, attributes, names);
          if (src_read && steps.script_rules && src.find_first_of(std::string_view("\r\0", 2)) == std::string_view::npos) {
            steps.script_rules->match_script(src, script_hits);
            src_read = !script_hits.empty();
          }
          const std::size_t after = scan_tag(s, close + 2, nullptr).end;
          if (!src_read && after != std::string_view::npos) {
            i = after;
            // After text, the script ends that text: in a table, whitespace alone stays in
            // the table while text with words is moved before it, so joining the text before
            // and after could move either. Right after <pre> or <listing> it is the token
            // that keeps a newline after it from being dropped as the element's first. A
            // comment does both alike and is never read.
            if (text_run || out.size() == pre_start_end) {
              before_tag(false);
              out += "<!---->";
              last = Last::OtherTag;
            }
            break;
          }
        }
        const bool json_ld = is_json_ld(start_tag);
        if (json_ld && placeholders && close != std::string_view::npos && worth_placeholder(stop - body) &&
            passes_unchanged<true>(s.substr(body, stop - body))) {
          // The tokenizer reads a script body one character at a time and the tree builder
          // appends each to the script's text, which metadata reads back whole: one
          // placeholder stands for all of it (flatten() puts it back). Where the body ends,
          // the end tag found above decides, placeholder or not.
          copy(body);
          put_placeholder(s.substr(body, stop - body));
          i = stop;
          break;
        }
        copy(json_ld || !steps.bodies ? stop : body);
        i = stop;  // the end tag itself is copied by the main loop
        break;
      }
      case Handling::DropAll: {
        // An unterminated <noscript> is left to the parser and scanning goes on after its
        // start tag: once no "</noscript" follows a point, none follows any later one either.
        std::size_t close = std::string_view::npos;
        if (lname != "noscript" || body < no_noscript_end_from) close = find_end_tag(s, body, lname);
        if (close == std::string_view::npos && lname == "noscript") no_noscript_end_from = std::min(no_noscript_end_from, body);
        if (close == std::string_view::npos && lname == "noscript") {
          // gumbo parses noscript content as markup: unterminated, an end tag of an
          // enclosing element ends it, which only the parser knows. Leave it to the parser.
          copy(body);
          i = body;
          break;
        }
        i = close == std::string_view::npos ? n : tag_end(s, close);
        if (!steps.bodies) copy(i);
        break;
      }
      case Handling::DropNested: {
        const bool self_closing = body >= 2 && s[body - 2] == '/';
        std::size_t end = std::string_view::npos;
        if (self_closing) {
          end = body;
        } else if (lname == "template") {
          end = skip_nested(s, body, lname);
        } else if (lt >= parse_foreign_until) {
          end = skip_foreign(s, body, lname, parse_foreign_until);
        }
        if (end == std::string_view::npos) {
          // Foreign content the parser leaves early: parsed whole, up to where it is left
          // (nested svg and math elements before that point included, which keeps this linear).
          // Which of what follows is text, only the tree builder knows from here (a <title>
          // is RCDATA in HTML, an element in MathML; a <script> in svg is no raw text): the
          // text and classes steps stop.
          placeholders = false;
          class_placeholders = false;
          list_placeholders = false;
          drop_unread = false;
          copy(body);
          i = body;
        } else {
          if (!steps.bodies) copy(end);
          i = end;
        }
        break;
      }
      case Handling::CopyRcdata: {
        const std::size_t close = find_end_tag(s, body, lname);
        const std::size_t stop = close == std::string_view::npos ? n : close;
        copy(stop);
        i = stop;
        break;
      }
      case Handling::Plaintext:
        flush_held();
        out.append(s.data() + lt, n - lt);
        i = n;
        break;
      case Handling::Keep:
        break;
    }
  }
  flush_held();
  return out;
}

}  // namespace scrubtext::html
