#include "html/bounds.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <array>
#include <unordered_map>
#include <utility>
#include <vector>

#include <gumbo.h>

#include "html/prescan.h"

namespace scrubtext::html {
namespace {

constexpr std::size_t npos = std::string_view::npos;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// What the tree builder does with an element, by tag name (HTML Standard, "tree construction").
enum Prop : std::uint32_t {
  kVoid = 1u << 0,         // no content, never on the stack
  kFormatting = 1u << 1,   // kept in the list of active formatting elements
  kMarker = 1u << 2,       // closing it ends the formatting elements opened inside
  kSpecial = 1u << 3,      // the "special" category: stops searches for other end tags
  kScope = 1u << 4,        // boundary of the default scope
  kClosesP = 1u << 5,      // its start tag closes an open <p> in button scope
  kRawText = 1u << 6,      // body is raw text or RCDATA, skipped unread
  kMerged = 1u << 7,       // html, head, body: merged into the implied ones, never pushed
  kIntegration = 1u << 8,  // foreign element whose content is HTML again
  kForeignRoot = 1u << 9,  // svg, math
  kBreakout = 1u << 10,    // start tag that ends foreign content
  kTableScope = 1u << 11,  // boundary of the table scope: html, table, template
  kImpliedEnd = 1u << 12,  // popped by "generate implied end tags" when it is the current node
  kListScope = 1u << 13,   // boundary of the list item scope too (ol, ul): "</li>" stops there
};

// Start tags that close an open element of their own kind (implied end tags).
enum class Implied : std::uint8_t { None, Li, DdDt, Heading, Option, Optgroup, Tr, Cell, Section, Ruby, A, Nobr,
                                    Button, Select, Form, Table };

struct TagInfo {
  std::string_view name;
  std::uint32_t props;
  Implied implied = Implied::None;
};

constexpr std::uint32_t kSpecialScope = kSpecial | kScope;

// Every name the tree builder treats specially; all others are ordinary elements.
constexpr TagInfo kTags[] = {
    {"a", kFormatting, Implied::A},
    {"address", kSpecial | kClosesP},
    {"applet", kSpecialScope | kMarker},
    {"area", kVoid | kSpecial},
    {"article", kSpecial | kClosesP},
    {"aside", kSpecial | kClosesP},
    {"b", kFormatting | kBreakout},
    {"base", kVoid | kSpecial},
    {"basefont", kVoid | kSpecial},
    {"bgsound", kVoid | kSpecial},
    {"big", kFormatting | kBreakout},
    {"blockquote", kSpecial | kClosesP | kBreakout},
    {"body", kMerged | kSpecial | kBreakout},
    {"br", kVoid | kSpecial | kBreakout},
    {"button", kSpecial, Implied::Button},
    {"caption", kSpecialScope | kMarker},
    {"center", kSpecial | kClosesP | kBreakout},
    {"code", kFormatting | kBreakout},
    {"col", kVoid | kSpecial},
    {"colgroup", kSpecial},
    {"dd", kSpecial | kClosesP | kBreakout | kImpliedEnd, Implied::DdDt},
    {"details", kSpecial | kClosesP},
    {"dir", kSpecial | kClosesP},
    {"div", kSpecial | kClosesP | kBreakout},
    {"dl", kSpecial | kClosesP | kBreakout},
    {"dt", kSpecial | kClosesP | kBreakout | kImpliedEnd, Implied::DdDt},
    {"em", kFormatting | kBreakout},
    {"embed", kVoid | kSpecial | kBreakout},
    {"fieldset", kSpecial | kClosesP},
    {"figcaption", kSpecial | kClosesP},
    {"figure", kSpecial | kClosesP},
    {"font", kFormatting},
    {"footer", kSpecial | kClosesP},
    {"form", kSpecial | kClosesP, Implied::Form},
    {"frame", kVoid | kSpecial},
    {"frameset", kSpecial},
    {"h1", kSpecial | kClosesP | kBreakout, Implied::Heading},
    {"h2", kSpecial | kClosesP | kBreakout, Implied::Heading},
    {"h3", kSpecial | kClosesP | kBreakout, Implied::Heading},
    {"h4", kSpecial | kClosesP | kBreakout, Implied::Heading},
    {"h5", kSpecial | kClosesP | kBreakout, Implied::Heading},
    {"h6", kSpecial | kClosesP | kBreakout, Implied::Heading},
    {"head", kMerged | kSpecial | kBreakout},
    {"header", kSpecial | kClosesP},
    {"hgroup", kSpecial | kClosesP},
    {"hr", kVoid | kSpecial | kClosesP | kBreakout},
    {"html", kMerged | kSpecialScope | kMarker | kTableScope},
    {"i", kFormatting | kBreakout},
    {"iframe", kRawText | kSpecial},
    {"image", kVoid},
    {"img", kVoid | kSpecial | kBreakout},
    {"input", kVoid | kSpecial},
    {"isindex", kVoid | kSpecial},
    {"keygen", kVoid | kSpecial},
    {"li", kSpecial | kClosesP | kBreakout | kImpliedEnd, Implied::Li},
    {"link", kVoid | kSpecial},
    {"listing", kSpecial | kClosesP | kBreakout},
    {"main", kSpecial | kClosesP},
    {"marquee", kSpecialScope | kMarker},
    {"math", kForeignRoot},
    {"menu", kSpecial | kClosesP | kBreakout},
    {"menuitem", kSpecial},
    {"meta", kVoid | kSpecial | kBreakout},
    {"nav", kSpecial | kClosesP},
    {"nobr", kFormatting | kBreakout, Implied::Nobr},
    {"noembed", kRawText | kSpecial},
    {"noframes", kRawText | kSpecial},
    // Parsed as markup (scripting off), but special: an unknown end tag stops at it.
    {"noscript", kSpecial},
    {"object", kSpecialScope | kMarker},
    {"ol", kSpecial | kClosesP | kBreakout | kListScope},
    {"optgroup", kImpliedEnd, Implied::Optgroup},
    {"option", kImpliedEnd, Implied::Option},
    {"p", kSpecial | kClosesP | kBreakout | kImpliedEnd},
    {"param", kVoid | kSpecial},
    {"plaintext", kRawText | kSpecial | kClosesP},
    {"pre", kSpecial | kClosesP | kBreakout},
    {"rb", kImpliedEnd, Implied::Ruby},
    {"rp", kImpliedEnd, Implied::Ruby},
    {"rt", kImpliedEnd, Implied::Ruby},
    {"rtc", kImpliedEnd, Implied::Ruby},
    {"ruby", kBreakout},
    {"s", kFormatting | kBreakout},
    {"script", kRawText | kSpecial},
    {"section", kSpecial | kClosesP},
    {"select", kSpecial, Implied::Select},
    {"small", kFormatting | kBreakout},
    {"source", kVoid | kSpecial},
    {"span", kBreakout},
    {"strike", kFormatting | kBreakout},
    {"strong", kFormatting | kBreakout},
    {"style", kRawText | kSpecial},
    {"sub", kBreakout},
    {"summary", kSpecial | kClosesP},
    {"sup", kBreakout},
    {"svg", kForeignRoot},
    {"table", kSpecialScope | kClosesP | kBreakout | kTableScope, Implied::Table},
    {"tbody", kSpecial, Implied::Section},
    {"td", kSpecialScope | kMarker, Implied::Cell},
    {"template", kSpecialScope | kMarker | kTableScope},
    {"textarea", kRawText | kSpecial},
    {"tfoot", kSpecial, Implied::Section},
    {"th", kSpecialScope | kMarker, Implied::Cell},
    {"thead", kSpecial, Implied::Section},
    {"title", kRawText | kSpecialScope},
    {"tr", kSpecial, Implied::Tr},
    {"track", kVoid | kSpecial},
    {"tt", kFormatting | kBreakout},
    {"u", kFormatting | kBreakout},
    {"ul", kSpecial | kClosesP | kBreakout | kListScope},
    {"var", kBreakout},
    {"wbr", kVoid | kSpecial},
    {"xmp", kRawText | kSpecial | kClosesP},
    // Scope boundaries in foreign content (see Model::entry_props).
    {"foreignobject", kSpecialScope},
    {"desc", kSpecialScope},
    {"mi", kSpecialScope},
    {"mo", kSpecialScope},
    {"mn", kSpecialScope},
    {"ms", kSpecialScope},
    {"mtext", kSpecialScope},
    {"annotation-xml", kSpecialScope},
};

constexpr std::uint16_t kKnown = static_cast<std::uint16_t>(sizeof kTags / sizeof kTags[0]);
// Other names get an id per gumbo tag (kKnown + GumboTag). Every name gumbo does not know
// shares one id, as in gumbo 0.10, which matches end tags of unknown elements by tag enum:
// "</x>" closes the nearest unknown element whatever its name ("<dialog>" is one).
constexpr std::uint16_t kIds = kKnown + GUMBO_TAG_LAST + 1;
constexpr std::uint16_t kNoId = 0xFFFF;

const std::unordered_map<std::string_view, std::uint16_t>& known_ids() {
  static const std::unordered_map<std::string_view, std::uint16_t> ids = [] {
    std::unordered_map<std::string_view, std::uint16_t> m;
    for (std::uint16_t k = 0; k < kKnown; ++k) m.emplace(kTags[k].name, k);
    return m;
  }();
  return ids;
}

// The id of each gumbo tag: the kTags entry of that tag's name when there is one, else
// kKnown + tag. A name gumbo does not know (GUMBO_TAG_UNKNOWN) is looked up in known_ids(),
// so a kTags name gumbo lacks still gets its own id.
const std::array<std::uint16_t, GUMBO_TAG_LAST + 1>& ids_by_tag() {
  static const std::array<std::uint16_t, GUMBO_TAG_LAST + 1> table = [] {
    std::array<std::uint16_t, GUMBO_TAG_LAST + 1> t{};
    for (int g = 0; g <= GUMBO_TAG_LAST; ++g) t[static_cast<std::size_t>(g)] = static_cast<std::uint16_t>(kKnown + g);
    for (std::uint16_t k = 0; k < kKnown; ++k) {
      const std::string_view name = kTags[k].name;
      const GumboTag tag = gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size()));
      if (tag != GUMBO_TAG_UNKNOWN) t[tag] = k;
    }
    return t;
  }();
  return table;
}

std::uint16_t id_of(std::string_view lowercase_name) {
  const GumboTag tag = gumbo_tagn_enum(lowercase_name.data(), static_cast<unsigned>(lowercase_name.size()));
  if (tag != GUMBO_TAG_UNKNOWN) return ids_by_tag()[tag];
  const auto& ids = known_ids();
  const auto it = ids.find(lowercase_name);
  return it != ids.end() ? it->second : static_cast<std::uint16_t>(kKnown + tag);
}

// Foreign elements (inside svg or math) are matched by name, not by tag.
std::uint32_t name_hash(std::string_view lowercase_name) {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (char c : lowercase_name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

std::uint16_t known(std::string_view name) { return known_ids().at(name); }

// One tag as the tokenizer reads it.
struct Tag {
  std::size_t end = npos;       // just past the closing '>', npos when the input ends inside the tag
  bool self_closing = false;
  std::size_t cut_from = npos;  // attributes past the limit start here…
  std::size_t cut_to = npos;    // …and end here (before "/>" or ">")
};

// Reads the tag whose name starts at `name_at`, and where its attributes past the limit lie.
Tag read_tag(std::string_view s, std::size_t name_at, std::size_t max_attributes, std::vector<AttributeSpan>& spans,
             std::size_t& attrs) {
  spans.clear();
  const TagScan scan = scan_tag(s, name_at, &spans);
  Tag t;
  t.end = scan.end;
  t.self_closing = scan.self_closing;
  attrs = spans.size();
  if (scan.end != npos && spans.size() > max_attributes) {
    t.cut_from = spans[max_attributes].begin;
    // A '/' left just before the cut would make the tag self-closing.
    while (t.cut_from > scan.name_end && s[t.cut_from - 1] == '/') --t.cut_from;
    t.cut_to = scan.end - (scan.self_closing ? 2 : 1);
  }
  return t;
}

// Ids of the names the model tests for by name.
struct Ids {
  std::uint16_t p = known("p"), br = known("br"), button = known("button"), isindex = known("isindex"),
                script = known("script"), plaintext = known("plaintext"), address = known("address"),
                div = known("div"), dd = known("dd"), dt = known("dt"), td = known("td"), th = known("th"),
                tbody = known("tbody"), thead = known("thead"), tfoot = known("tfoot"), rb = known("rb"),
                rp = known("rp"), rt = known("rt"), rtc = known("rtc"), option = known("option"),
                optgroup = known("optgroup"), a = known("a"), h1 = known("h1"), h6 = known("h6"),
                table = known("table"), tr = known("tr"), ruby = known("ruby"), svg = known("svg"),
                foreignobject = known("foreignobject"), desc = known("desc"), title = known("title"),
                mi = known("mi"), mo = known("mo"), mn = known("mn"), ms = known("ms"), mtext = known("mtext"),
                annotation_xml = known("annotation-xml"), form = known("form"), select = known("select"),
                textarea = known("textarea");
};

const Ids& ids() {
  static const Ids i;
  return i;
}

class Model {
 public:
  Model(std::string_view s, const MarkupLimits& limits)
      : s_(s), limits_(limits), id_(ids()), open_(kIds, 0), removed_open_(kIds, 0) {}

  MarkupBounds run() {
    const std::size_t n = s_.size();
    std::size_t i = 0;
    while (i < n && !out_.too_many_nodes) {
      const void* p = std::memchr(s_.data() + i, '<', n - i);
      if (!p) {
        text();
        break;
      }
      const std::size_t lt = static_cast<std::size_t>(static_cast<const char*>(p) - s_.data());
      if (lt > i) text();
      i = markup_at(lt);
    }
    if (!out_.too_many_nodes && !cuts_.empty()) {
      out_.changed = true;
      out_.html.reserve(n);
      std::size_t at = 0;
      for (const auto& [from, to] : cuts_) {
        append_after_cut(at, from);
        at = to;
      }
      append_after_cut(at, n);
    }
    return std::move(out_);
  }

 private:
  struct Entry {
    std::uint16_t id;
    bool foreign;
    bool svg;            // foreign: in the SVG namespace (else MathML)
    std::uint32_t hash;  // of the name, for foreign end tags
  };
  enum class Outcome { Kept, Removed, RawText };

  static std::uint32_t props(std::uint16_t id) { return id < kKnown ? kTags[id].props : 0; }
  static Implied implied(std::uint16_t id) { return id < kKnown ? kTags[id].implied : Implied::None; }

  void add_nodes(std::size_t k) {
    out_.estimated_nodes += k;
    // The parser always adds html, head and body, written or not: counted here too (a page
    // that writes them is over-estimated by three).
    if (out_.estimated_nodes + 3 > limits_.max_nodes) out_.too_many_nodes = true;
  }

  // Text between tags: one node, inside whatever formatting must be reopened first.
  void text() {
    if (in_text_) return;
    in_text_ = true;
    add_nodes(1);
    reconstruct();
  }

  void reconstruct() {
    add_nodes(pending_.size());
    for (std::uint16_t id : pending_) push(id);
    pending_.clear();
  }

  // What an open element is to the tree builder. A foreign element (inside svg or math)
  // is never an HTML element of the same name: it matches no HTML end tag, and only the
  // integration points (svg title, desc, foreignObject; math mi, mo…) bound a scope.
  std::uint32_t entry_props(const Entry& e) const {
    if (!e.foreign) return props(e.id);
    const std::uint16_t x = e.id;
    const bool integration = e.svg ? (x == id_.foreignobject || x == id_.desc || x == id_.title)
                                   : (x == id_.mi || x == id_.mo || x == id_.mn || x == id_.ms || x == id_.mtext);
    if (integration) return kIntegration | kScope | kSpecial;
    return !e.svg && x == id_.annotation_xml ? kScope | kSpecial : 0;
  }

  bool in_foreign() const {
    return !stack_.empty() && stack_.back().foreign && !(entry_props(stack_.back()) & kIntegration);
  }

  // An HTML <select> is open (an svg or MathML element named select is not one).
  bool html_select_open() const {
    if (open_[id_.select] == 0) return false;
    for (std::size_t k = stack_.size(); k-- > 0;)
      if (!stack_[k].foreign && stack_[k].id == id_.select) return true;
    return false;
  }

  bool top_is_html(std::uint16_t id) const { return !stack_.empty() && !stack_.back().foreign && stack_.back().id == id; }

  void push(std::uint16_t id, std::uint32_t hash = 0) {
    // <svg> and <math> start foreign content from HTML (or at an integration point); inside
    // foreign content they are ordinary elements of the current namespace, except <svg> in
    // MathML's annotation-xml.
    const bool inside = in_foreign();
    const bool root = (props(id) & kForeignRoot) != 0 &&
                      (!inside || (id == id_.svg && !stack_.back().svg && stack_.back().id == id_.annotation_xml));
    const bool foreign = root || inside;
    const bool svg = root ? id == id_.svg : foreign && stack_.back().svg;
    stack_.push_back({id, foreign, svg, hash});
    ++open_[id];
    if (entry_props(stack_.back()) & kFormatting) ++formatting_open_;
  }

  // Pops entries [from, top]. Formatting elements closed this way stay active and are
  // reopened before the next text, unless a marker (table cell, object…) closes with them.
  void pop_to(std::size_t from) {
    closed_.clear();
    for (std::size_t k = stack_.size(); k-- > from;) {
      const std::uint16_t id = stack_[k].id;
      const std::uint32_t pr = entry_props(stack_[k]);
      --open_[id];
      if (pr & kFormatting) {
        --formatting_open_;
        closed_.push_back(id);
      }
      if (pr & kMarker) {
        closed_.clear();
        pending_.clear();
      }
    }
    stack_.resize(from);
    pending_.insert(pending_.end(), closed_.rbegin(), closed_.rend());
  }

  void erase(std::size_t k) {
    --open_[stack_[k].id];
    if (entry_props(stack_[k]) & kFormatting) --formatting_open_;
    stack_.erase(stack_.begin() + static_cast<std::ptrdiff_t>(k));
  }

  void forget_pending(std::uint16_t id) {
    for (std::size_t j = pending_.size(); j-- > 0;)
      if (pending_[j] == id) {
        pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(j));
        return;
      }
  }

  // Index of the nearest open HTML element whose id satisfies `match`, searching down from
  // the top and giving up at an element whose (id, props) satisfy `stop`; npos when none.
  template <typename Match, typename Stop>
  std::size_t find(Match&& match, Stop&& stop) const {
    for (std::size_t k = stack_.size(); k-- > 0;) {
      const Entry& e = stack_[k];
      if (!e.foreign && match(e.id)) return k;
      if (stop(e.foreign ? kNoId - 1 : e.id, entry_props(e))) return npos;  // a foreign element has no HTML id
    }
    return npos;
  }

  // The nearest open element named by one of `want` within the scope whose boundaries have
  // any of `boundary` props (or the extra boundary id).
  std::size_t find_in(std::initializer_list<std::uint16_t> want, std::uint32_t boundary,
                      std::uint16_t extra_boundary = kNoId) const {
    std::uint32_t open = 0;
    for (auto w : want) open += open_[w];
    if (open == 0) return npos;
    return find([&](std::uint16_t x) { return std::find(want.begin(), want.end(), x) != want.end(); },
                [&](std::uint16_t x, std::uint32_t pr) { return (pr & boundary) || x == extra_boundary; });
  }

  // List items close the previous one unless a special element other than address, div
  // or p stands between them.
  std::size_t find_list_item(std::initializer_list<std::uint16_t> want) const {
    std::uint32_t open = 0;
    for (auto w : want) open += open_[w];
    if (open == 0) return npos;
    return find([&](std::uint16_t x) { return std::find(want.begin(), want.end(), x) != want.end(); },
                [&](std::uint16_t x, std::uint32_t pr) {
                  return (pr & kSpecial) && x != id_.address && x != id_.div && x != id_.p;
                });
  }

  std::size_t top_if(bool (*pred)(std::uint16_t, const Ids&)) const {
    return !stack_.empty() && !stack_.back().foreign && pred(stack_.back().id, id_) ? stack_.size() - 1 : npos;
  }

  std::size_t find_p() const { return find_in({id_.p}, kScope, id_.button); }

  void remove_tag(std::size_t lt, std::size_t end, std::uint16_t id, bool start) {
    cuts_.emplace_back(lt, end);
    ++out_.removed_tags;
    if (start) ++removed_open_[id];
  }

  // Everything that starts with '<' at `lt`; returns where scanning resumes.
  std::size_t markup_at(std::size_t lt) {
    const std::size_t n = s_.size();
    if (s_.compare(lt, 4, "<!--") == 0) {
      in_text_ = false;
      add_nodes(1);
      return comment_end(s_, lt);
    }
    const bool end_tag = lt + 1 < n && s_[lt + 1] == '/';
    const std::size_t name_at = lt + (end_tag ? 2 : 1);
    if (name_at < n && end_tag && s_[name_at] == '>') return name_at + 1;  // "</>" is ignored
    const bool bogus = name_at < n && (end_tag ? !is_alpha(s_[name_at]) : (s_[name_at] == '!' || s_[name_at] == '?'));
    if (bogus) {  // a bogus comment (or a doctype) up to the next '>'
      in_text_ = false;
      add_nodes(1);
      const void* gt = std::memchr(s_.data() + name_at, '>', n - name_at);
      return gt ? static_cast<std::size_t>(static_cast<const char*>(gt) - s_.data()) + 1 : n;
    }
    if (name_at >= n || !is_alpha(s_[name_at])) {
      text();  // a '<' that starts no tag is text
      return lt + 1;
    }
    std::size_t name_end = name_at;
    while (name_end < n && !is_space(s_[name_end]) && s_[name_end] != '/' && s_[name_end] != '>') ++name_end;
    name_.assign(s_.data() + name_at, name_end - name_at);
    for (char& c : name_) c = lower(c);
    std::size_t attrs = 0;
    const Tag t = read_tag(s_, name_at, limits_.max_attributes, spans_, attrs);
    if (t.end == npos) return n;  // the input ends inside the tag: the tokenizer drops it
    in_text_ = false;
    const std::uint16_t id = id_of(name_);
    const Outcome o = end_tag ? end(lt, t, id) : start(lt, t, id);
    if (o != Outcome::Removed && t.cut_from != npos) {
      cuts_.emplace_back(t.cut_from, t.cut_to);
      out_.removed_attributes += attrs - limits_.max_attributes;
    }
    if (o != Outcome::RawText) return t.end;
    // Raw text and RCDATA: the body is text up to the end tag, which closes the element
    // (and nothing else: it is not an end tag for the model's stack).
    if (id == id_.plaintext) return n;
    const std::size_t close = id == id_.script ? find_script_end(s_, t.end) : find_end_tag(s_, t.end, name_);
    return close == npos ? n : tag_end(s_, close);
  }

  Outcome start(std::size_t lt, const Tag& t, std::uint16_t id) {
    const std::uint32_t pr = props(id);
    breakout_.clear();
    if (in_foreign()) {
      if (pr & kBreakout) {
        // Leaves foreign content. Kept aside: if this tag is removed, gumbo never leaves.
        std::size_t k = stack_.size();
        while (k > 0 && stack_[k - 1].foreign && !(entry_props(stack_[k - 1]) & kIntegration)) --k;
        breakout_.assign(stack_.begin() + static_cast<std::ptrdiff_t>(k), stack_.end());
        pop_to(k);  // foreign entries only: no formatting element, no marker
      } else {
        add_nodes(1);
        if (t.self_closing) return Outcome::Kept;
        if (stack_.size() + 1 > limits_.max_depth) return remove(lt, t, id);
        push(id, name_hash(name_));
        return Outcome::Kept;
      }
    }
    if (pr & kMerged) return Outcome::Kept;
    if (pr & kRawText) {
      // Inside a select only script (and textarea, which closes it) are raw text: title,
      // style, xmp, iframe, noembed, noframes and plaintext are ignored tags there, and what
      // follows them is markup. (A select the model thinks open and gumbo closed only makes
      // the model read raw text as tags: more nodes, never fewer.)
      if (id != id_.script && id != id_.textarea && html_select_open()) return Outcome::Kept;
      if (pr & kClosesP) close_p();
      add_nodes(2);  // the element and its text; never removed (its body would become markup)
      return Outcome::RawText;
    }
    if (pr & kVoid) {
      if (pr & kClosesP) close_p();
      reconstruct();
      add_nodes(id == id_.isindex ? 6 : 1);  // <isindex> expands to a small form
      return Outcome::Kept;
    }
    if ((pr & kForeignRoot) && t.self_closing) {
      reconstruct();
      add_nodes(1);
      return Outcome::Kept;
    }
    std::size_t close_at = npos;  // implied end tags pop from here
    std::size_t adopt = npos;     // an open <a> or <nobr> that the new one closes
    switch (implied(id)) {
      case Implied::None: break;
      case Implied::Li: close_at = find_list_item({id}); break;
      case Implied::DdDt: close_at = find_list_item({id_.dd, id_.dt}); break;
      case Implied::Heading:
        close_at = top_if([](std::uint16_t x, const Ids& i) { return x >= i.h1 && x <= i.h6; });
        break;
      case Implied::Option:
        close_at = top_if([](std::uint16_t x, const Ids& i) { return x == i.option; });
        break;
      case Implied::Optgroup:  // (inside <select> it would close an optgroup too: fewer levels)
        close_at = top_if([](std::uint16_t x, const Ids& i) { return x == i.option; });
        break;
      case Implied::Button: close_at = find_in({id}, kScope); break;
      case Implied::Select: {  // inside a select, <select> closes it and is itself ignored
        const std::size_t k = find_in({id}, kScope);
        if (k != npos) {
          pop_to(k);
          return Outcome::Kept;
        }
        break;
      }
      case Implied::Tr:
      case Implied::Cell:
      case Implied::Section:
        // Outside a table these tags are ignored; inside, they close their open kind (a row
        // closes an open cell too).
        if (find_in({id_.table}, kTableScope) == npos) return Outcome::Kept;
        close_at = implied(id) == Implied::Tr     ? find_in({id}, kTableScope)
                   : implied(id) == Implied::Cell ? find_in({id_.td, id_.th}, kTableScope)
                                                  : find_in({id_.tbody, id_.thead, id_.tfoot}, kTableScope);
        break;
      case Implied::Ruby: {  // only in a ruby, only what is open right at the top: <ruby><rt><ruby><rt> nests
        if (find_in({id_.ruby}, kScope) == npos) break;
        std::size_t k = stack_.size();
        while (k > 0 && (entry_props(stack_[k - 1]) & kImpliedEnd)) --k;
        if (k < stack_.size()) close_at = k;
        break;
      }
      case Implied::Table: close_at = find_in({id}, kMarker); break;
      case Implied::A: adopt = find_in({id}, kMarker); break;
      case Implied::Nobr: adopt = find_in({id}, kScope); break;
      case Implied::Form:
        if (open_[id] > 0) return Outcome::Kept;  // a form inside a form is ignored
        break;
    }
    if (pr & kClosesP) {
      const std::size_t p = find_p();
      if (p != npos && (close_at == npos || p < close_at)) close_at = p;
    }
    const std::size_t depth_after = (close_at != npos ? close_at : stack_.size() - (adopt != npos ? 1 : 0)) + 1;
    if (depth_after > limits_.max_depth) return remove(lt, t, id);
    if ((pr & kFormatting) && id != id_.a && formatting_open_ + pending_.size() >= limits_.max_open_formatting)
      return remove(lt, t, id);
    if (close_at != npos) pop_to(close_at);
    if (adopt != npos) {
      // The adoption agency closes the open <a>; formatting elements opened inside it are
      // reopened (cloned) around the new one, unless a special element holds them.
      bool special_inside = false;
      for (std::size_t j = adopt + 1; j < stack_.size(); ++j) special_inside |= (entry_props(stack_[j]) & kSpecial) != 0;
      if (special_inside) {
        erase(adopt);
      } else {
        pop_to(adopt);
        forget_pending(id);
      }
    } else if (implied(id) == Implied::A || implied(id) == Implied::Nobr) {
      forget_pending(id);  // closed already, but still in the list of active formatting elements
    }
    // Rows and cells straight in a table get the implied <tbody> (and <tr>).
    if ((implied(id) == Implied::Tr || implied(id) == Implied::Cell) && top_is_html(id_.table) &&
        stack_.size() + 1 < limits_.max_depth) {
      push(id_.tbody);
      add_nodes(1);
    }
    if (implied(id) == Implied::Cell && (top_is_html(id_.tbody) || top_is_html(id_.thead) || top_is_html(id_.tfoot)) &&
        stack_.size() + 1 < limits_.max_depth) {
      push(id_.tr);
      add_nodes(1);
    }
    if (!(pr & kClosesP)) reconstruct();
    push(id);
    add_nodes(1);
    return Outcome::Kept;
  }

  Outcome remove(std::size_t lt, const Tag& t, std::uint16_t id) {
    remove_tag(lt, t.end, id, true);
    for (const Entry& e : breakout_) {  // undo the breakout from foreign content
      stack_.push_back(e);
      ++open_[e.id];
    }
    breakout_.clear();
    return Outcome::Removed;
  }

  Outcome end(std::size_t lt, const Tag& t, std::uint16_t id) {
    if (removed_open_[id] > 0) {  // the end tag of a removed start tag goes with it
      --removed_open_[id];
      remove_tag(lt, t.end, id, false);
      return Outcome::Removed;
    }
    const std::uint32_t pr = props(id);
    if (!stack_.empty() && stack_.back().foreign) {  // integration points too: only start tags turn to HTML
      const std::uint32_t h = name_hash(name_);
      std::size_t k = stack_.size();
      auto same = [&](const Entry& e) { return e.hash ? e.hash == h : e.id == id; };
      while (k > 0 && stack_[k - 1].foreign && !same(stack_[k - 1])) --k;
      if (k > 0 && stack_[k - 1].foreign) {
        pop_to(k - 1);
        return Outcome::Kept;
      }
    }
    if (id == id_.p) {
      const std::size_t k = find_p();
      if (k == npos) add_nodes(1);  // "</p>" without an open p makes an empty one
      else pop_to(k);
      return Outcome::Kept;
    }
    if (id == id_.br) {
      add_nodes(1);  // "</br>" is a <br>
      return Outcome::Kept;
    }
    if (pr & (kMerged | kVoid)) return Outcome::Kept;
    if (id == id_.form) {
      // "</form>" takes the form element out of the stack and nothing else: what was opened
      // inside it stays open (after the implied end tags).
      const std::size_t k = find_in({id}, kScope);
      if (k == npos) return Outcome::Kept;
      std::size_t top = stack_.size();
      while (top > k + 1 && !stack_[top - 1].foreign && (entry_props(stack_[top - 1]) & kImpliedEnd)) --top;
      if (top < stack_.size()) pop_to(top);
      erase(k);
      return Outcome::Kept;
    }
    // "</li>" looks in the list item scope (an ol or ul between ignores it); other special and
    // formatting end tags in the default scope; any other end tag up to a special element.
    const std::uint32_t boundary =
        implied(id) == Implied::Li ? kScope | kListScope : (pr & (kSpecial | kFormatting)) ? kScope : kSpecial;
    const std::size_t k = find_in({id}, boundary);
    if (k != npos && (pr & kFormatting)) {
      // The adoption agency: with a special element open inside it, the formatting element
      // is cloned into that element, which stays open; the depth does not shrink.
      for (std::size_t j = k + 1; j < stack_.size(); ++j)
        if (entry_props(stack_[j]) & kSpecial) return Outcome::Kept;
    }
    if (k != npos) pop_to(k);
    // Its own end tag ends a formatting element for good: it is not reopened.
    if (pr & kFormatting) forget_pending(id);
    return Outcome::Kept;
  }

  void close_p() {
    const std::size_t p = find_p();
    if (p != npos) pop_to(p);
  }

  // Appends s_[from, to) to the bounded markup. A text '<' left just before a cut must not
  // join what follows it into a tag that was never there ("<" + "<y>" + "p>"): it is
  // written "&lt;", the same text (the cut removed at least three bytes).
  void append_after_cut(std::size_t from, std::size_t to) {
    std::string& out = out_.html;
    if (from < to && from > 0 && !out.empty() && out.back() == '<' && starts_markup(s_[from])) {
      out.back() = '&';
      out += "lt;";
    }
    out.append(s_.data() + from, to - from);
  }

  std::string_view s_;
  const MarkupLimits& limits_;
  const Ids& id_;
  MarkupBounds out_;
  std::vector<Entry> stack_;
  std::vector<std::uint32_t> open_;          // open elements per name id
  std::vector<std::uint32_t> removed_open_;  // removed start tags per name id, awaiting their end tags
  std::vector<std::uint16_t> pending_;       // formatting elements closed implicitly, to be reopened
  std::vector<std::uint16_t> closed_;        // scratch for pop_to
  std::vector<Entry> breakout_;              // foreign entries the current start tag closed
  std::size_t formatting_open_ = 0;
  std::vector<std::pair<std::size_t, std::size_t>> cuts_;
  std::string name_;
  std::vector<AttributeSpan> spans_;
  bool in_text_ = false;
};

}  // namespace

MarkupBounds bound_markup(std::string_view html, const MarkupLimits& limits) { return Model(html, limits).run(); }

}  // namespace scrubtext::html
