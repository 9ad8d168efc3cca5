#include "html/blocks.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "text/normalize.h"

namespace scrubtext::html {

bool is_block_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY: case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR:
    case GUMBO_TAG_HTML: case GUMBO_TAG_LEGEND: case GUMBO_TAG_LI: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT: case GUMBO_TAG_TR: case GUMBO_TAG_UL: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_LISTING: case GUMBO_TAG_OPTGROUP:
      return true;
    default:
      return false;
  }
}

namespace {

using detail::WorkBlock;

// Elements whose content is never shown as text.
bool is_skip_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_IFRAME: case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP: case GUMBO_TAG_SELECT: case GUMBO_TAG_OPTION:
    case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_INPUT: case GUMBO_TAG_BUTTON: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_DATALIST: case GUMBO_TAG_METER:
    case GUMBO_TAG_PROGRESS: case GUMBO_TAG_APPLET: case GUMBO_TAG_FRAMESET:
      return true;
    default:
      return false;
  }
}

// Inline elements that browsers render without any gap around them.
bool is_phrasing_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SPAN: case GUMBO_TAG_A: case GUMBO_TAG_B: case GUMBO_TAG_I: case GUMBO_TAG_EM:
    case GUMBO_TAG_STRONG: case GUMBO_TAG_SUP: case GUMBO_TAG_SUB: case GUMBO_TAG_CODE: case GUMBO_TAG_SMALL:
    case GUMBO_TAG_U: case GUMBO_TAG_MARK: case GUMBO_TAG_FONT: case GUMBO_TAG_ABBR: case GUMBO_TAG_TIME:
    case GUMBO_TAG_S: case GUMBO_TAG_Q: case GUMBO_TAG_CITE: case GUMBO_TAG_DEL: case GUMBO_TAG_INS:
    case GUMBO_TAG_BDI: case GUMBO_TAG_BDO: case GUMBO_TAG_DFN: case GUMBO_TAG_KBD: case GUMBO_TAG_SAMP:
    case GUMBO_TAG_VAR: case GUMBO_TAG_TT: case GUMBO_TAG_BIG: case GUMBO_TAG_STRIKE: case GUMBO_TAG_NOBR:
    case GUMBO_TAG_ACRONYM: case GUMBO_TAG_RUBY: case GUMBO_TAG_RT: case GUMBO_TAG_RP: case GUMBO_TAG_DATA:
      return true;
    default:
      return false;
  }
}

const char* builtin_tag_prune(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_NAV: return "boilerplate.tag.nav";
    case GUMBO_TAG_ASIDE: return "boilerplate.tag.aside";
    case GUMBO_TAG_FOOTER: return "boilerplate.tag.footer";
    case GUMBO_TAG_MENU: return "boilerplate.tag.menu";
    default: return nullptr;
  }
}

// gumbo 0.10 predates <dialog>: it arrives as an unknown tag with its original text.
bool is_dialog_element(const GumboNode* g) {
  GumboStringPiece name = g->v.element.original_tag;
  gumbo_tag_from_original_text(&name);
  if (name.length != 6) return false;
  static constexpr char kName[] = "dialog";
  for (std::size_t i = 0; i < 6; ++i) {
    char c = name.data[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kName[i]) return false;
  }
  return true;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const char* builtin_role_prune(std::string_view role_attr) {
  const std::string role = lower_ascii(role_attr);
  static constexpr std::pair<std::string_view, const char*> kRoles[] = {
      {"navigation", "boilerplate.role.navigation"}, {"banner", "boilerplate.role.banner"},
      {"contentinfo", "boilerplate.role.contentinfo"}, {"complementary", "boilerplate.role.complementary"},
      {"dialog", "boilerplate.role.dialog"},         {"alertdialog", "boilerplate.role.alertdialog"},
      {"menu", "boilerplate.role.menu"},             {"menubar", "boilerplate.role.menubar"},
      {"search", "boilerplate.role.search"},         {"toolbar", "boilerplate.role.toolbar"},
  };
  for (const auto& [name, id] : kRoles)
    if (role == name) return id;
  return nullptr;
}


std::uint32_t count_commas(std::string_view s) {
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ',') ++n;
    // The other commas (， 、 ،) are compared only at their lead bytes.
    else if (c == '\xEF' || c == '\xE3')
      n += s.compare(i, 3, "\xEF\xBC\x8C") == 0 || s.compare(i, 3, "\xE3\x80\x81") == 0;
    else if (c == '\xD8')
      n += s.compare(i, 2, "\xD8\x8C") == 0;
  }
  return n;
}

// The attribute strings attr rules are matched against ("name=value", one per class token);
// `cls` is the element's class value (Node::cls).
template <typename F>
// `buf` is scratch space, kept by the caller from node to node.
void for_each_attr_string(const Node& nd, std::string& buf, F&& f) {
  const std::string_view cls = nd.cls;
  auto emit = [&](std::string_view name, std::string_view value) {
    buf.assign(name);
    buf += '=';
    buf.append(value);
    f(buf);
  };
  const std::string_view id = attribute(nd, Attr::Id);
  if (!id.empty()) emit("id", id);
  std::size_t i = 0;
  while (i < cls.size()) {
    while (i < cls.size() && static_cast<unsigned char>(cls[i]) <= ' ') ++i;
    std::size_t j = i;
    while (j < cls.size() && static_cast<unsigned char>(cls[j]) > ' ') ++j;
    if (j > i) emit("class", cls.substr(i, j - i));
    i = j;
  }
  for (Attr a : {Attr::Role, Attr::Itemprop, Attr::AriaLabel, Attr::AriaDescribedby, Attr::DataTestid}) {
    const std::string_view v = attribute(nd, a);
    if (!v.empty()) emit(attr_name(a), v);
  }
}

BlockKind kind_for(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
      return BlockKind::Heading;
    case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
      return BlockKind::ListItem;
    case GUMBO_TAG_BLOCKQUOTE:
      return BlockKind::Quote;
    case GUMBO_TAG_PRE: case GUMBO_TAG_LISTING:
      return BlockKind::Preformatted;
    case GUMBO_TAG_TR:
      return BlockKind::TableCell;
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_CAPTION:
      return BlockKind::Caption;
    default:
      return BlockKind::Paragraph;
  }
}

// Accumulates one block's text while walking.
class BlockWriter {
 public:
  BlockWriter(std::vector<WorkBlock>& out, const std::vector<ElementInfo>& info, const FlatDom& dom)
      : out_(out), info_(info), dom_(dom) {}

  void text(std::string_view t, std::uint32_t owner, bool in_link, bool preformatted, std::string_view href = {}) {
    if (text_.empty() && !preformatted) {
      bool only_space = true;
      for (char c : t)
        if (static_cast<unsigned char>(c) > ' ') { only_space = false; break; }
      if (only_space) return;
    }
    if (text_.empty()) owner_ = owner;
    const std::size_t before = text_.size();
    if (preformatted) {
      if (pending_space_ && !text_.empty()) text_ += ' ';
      pending_space_ = false;
      text_.append(t);
      preformatted_ = true;
    } else {
      text::append_collapsed(text_, t, pending_space_);
    }
    if (in_link) link_bytes_ += text_.size() - before;
    if (!href.empty() && text_.size() > before) {
      std::size_t begin = before;
      while (begin < text_.size() && text_[begin] == ' ') ++begin;
      if (begin < text_.size()) {
        // Consecutive text of one link (<a>Read <b>this</b></a>) is one span.
        if (!links_.empty() && links_.back().href == href && links_.back().end + 1 >= begin) {
          links_.back().end = text_.size();
        } else {
          links_.push_back({begin, text_.size(), std::string(href)});
        }
      }
    }
  }

  void space() { pending_space_ = true; }

  void separator(std::string_view sep) {
    if (!text_.empty()) {
      text_ += sep;
      pending_space_ = false;
    }
  }

  /// <br>: a line break inside the block; two in a row end the paragraph.
  void line_break(std::uint32_t owner) {
    if (text_.empty()) return;
    if (text_.ends_with('\n')) {
      text_.pop_back();
      flush(owner);
      return;
    }
    while (text_.ends_with(' ')) text_.pop_back();
    text_ += '\n';
    pending_space_ = false;
  }

  void flush(std::uint32_t fallback_owner) {
    while (!text_.empty() && (text_.back() == '\n' || text_.back() == ' ')) text_.pop_back();
    pending_space_ = false;
    if (text_.empty()) {
      link_bytes_ = 0;
      preformatted_ = false;
      links_.clear();
      return;
    }
    WorkBlock wb;
    wb.owner = owner_ != kNoNode ? owner_ : fallback_owner;
    wb.b.text = text::to_nfc(text_);
    if (wb.b.text.size() == text_.size()) {  // offsets hold (NFC changed nothing, or nothing in size)
      for (auto& l : links_) {
        l.end = std::min(l.end, wb.b.text.size());
        while (l.end > l.begin && wb.b.text[l.end - 1] == ' ') --l.end;
        if (l.begin < l.end) wb.b.links.push_back(std::move(l));
      }
    }
    links_.clear();
    wb.chars = static_cast<std::uint32_t>(text::count_chars(wb.b.text));
    // Link share measured in bytes, applied to characters (same ratio up to encoding width).
    wb.link_chars = text_.empty() ? 0
                                  : static_cast<std::uint32_t>(static_cast<double>(wb.chars) *
                                                               static_cast<double>(std::min(link_bytes_, text_.size())) /
                                                               static_cast<double>(text_.size()));
    wb.commas = count_commas(wb.b.text);
    classify_kind(wb);
    out_.push_back(std::move(wb));
    text_.clear();
    link_bytes_ = 0;
    owner_ = kNoNode;
    preformatted_ = false;
  }

 private:
  void classify_kind(WorkBlock& wb) const {
    // Walk up from the owner for the nearest element that decides the kind.
    std::uint32_t k = wb.owner;
    int list_depth = 0;
    bool kind_set = false;
    int hops = 0;
    bool in_caption = false;
    while (k != kNoNode && hops < 64) {
      const GumboTag t = dom_.nodes[k].tag;
      if (!kind_set) {
        const BlockKind kind = kind_for(t);
        if (kind != BlockKind::Paragraph || t == GUMBO_TAG_P) {
          wb.b.kind = kind;
          if (kind == BlockKind::Heading) wb.b.level = static_cast<int>(t - GUMBO_TAG_H1) + 1;
          kind_set = kind != BlockKind::Paragraph;
          if (t == GUMBO_TAG_P) kind_set = true;
        }
      }
      // Everything inside a figcaption describes the figure, whatever its own tags.
      if (t == GUMBO_TAG_FIGCAPTION) in_caption = true;
      if (t == GUMBO_TAG_BLOCKQUOTE) wb.in_quote = true;
      if (t == GUMBO_TAG_UL || t == GUMBO_TAG_OL) ++list_depth;
      k = dom_.nodes[k].parent;
      ++hops;
    }
    if (in_caption && wb.b.kind != BlockKind::Heading) wb.b.kind = BlockKind::Caption;
    if (wb.in_quote && wb.b.kind == BlockKind::Paragraph) wb.b.kind = BlockKind::Quote;
    if (wb.b.kind == BlockKind::ListItem) wb.b.level = std::max(1, list_depth);
  }

  std::vector<WorkBlock>& out_;
  [[maybe_unused]] const std::vector<ElementInfo>& info_;
  const FlatDom& dom_;
  std::string text_;
  bool pending_space_ = false;
  std::size_t link_bytes_ = 0;
  std::vector<Link> links_;
  std::uint32_t owner_ = kNoNode;
  bool preformatted_ = false;
};

}  // namespace

bool hidden_by_style(std::string_view style) {
  if (style.empty()) return false;
  std::string s;
  s.reserve(style.size());
  for (char c : style)
    if (c != ' ' && c != '\t' && c != '\n') s += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s.find("display:none") != std::string::npos || s.find("visibility:hidden") != std::string::npos;
}

std::string_view link_href(std::string_view href) {
  auto trimmed = [](char c) { return c == ' ' || c == '\n' || c == '\t'; };
  while (!href.empty() && trimmed(href.front())) href.remove_prefix(1);
  while (!href.empty() && trimmed(href.back())) href.remove_suffix(1);
  const bool nowhere = href.empty() || href.front() == '#' || href.substr(0, 11) == "javascript:";
  return nowhere ? std::string_view() : href;
}

BlockBuild build_blocks(const FlatDom& dom, const detail::CompiledRules& rules,
                        const std::vector<std::string>& script_srcs, bool links) {
  BlockBuild out;
  const auto& nodes = dom.nodes;
  const std::size_t n = nodes.size();
  out.info.resize(n);
  std::vector<int> hits;

  for (const auto& src : script_srcs) {
    rules.match_script(src, hits);
    if (!hits.empty()) out.consent_platform = true;
  }

  // Pass 1 (bottom-up): text per subtree and block descendants, for the prune safety check.
  std::vector<std::uint32_t> text_bytes(n, 0);
  std::uint32_t body = kNoNode;
  for (std::size_t i = n; i-- > 0;) {
    const Node& nd = nodes[i];
    if (nd.is_text) {
      if (!nd.whitespace_only) text_bytes[i] = static_cast<std::uint32_t>(nd.text.size());
    } else if (nd.tag == GUMBO_TAG_BODY) {
      body = static_cast<std::uint32_t>(i);
    }
    if (!nd.is_text) {
      out.info[i].block_level = is_block_tag(nd.tag) || nd.tag == GUMBO_TAG_BR;
      if (is_skip_tag(nd.tag)) {
        out.info[i].skip = true;
        text_bytes[i] = 0;
      }
    }
    if (nd.parent != kNoNode) {
      text_bytes[nd.parent] += text_bytes[i];
      if (!nd.is_text && (out.info[i].block_level || out.info[i].has_block_descendant))
        out.info[nd.parent].has_block_descendant = true;
    }
  }
  const double page_text = body != kNoNode ? static_cast<double>(text_bytes[body]) : 0.0;

  // Pass 2 (any order): prune and hint decisions per element.
  std::unordered_map<std::string, std::vector<int>> attr_hits;  // attr rules hit per attribute string
  std::string attr_buf;
  for (std::size_t i = 0; i < n; ++i) {
    const Node& nd = nodes[i];
    if (nd.is_text) continue;
    ElementInfo& info = out.info[i];
    if (info.skip) continue;
    // Table cells with block content behave as containers; plain cells are inline.
    if ((nd.tag == GUMBO_TAG_TD || nd.tag == GUMBO_TAG_TH) && info.has_block_descendant) info.block_level = true;
    if (nd.tag == GUMBO_TAG_HTML || nd.tag == GUMBO_TAG_BODY) continue;
    const GumboNode* g = nd.g;
    const char* builtin = builtin_tag_prune(nd.tag);
    const bool dialog = nd.tag == GUMBO_TAG_UNKNOWN && is_dialog_element(g);
    if (dialog) {
      builtin = "boilerplate.tag.dialog";
      info.block_level = true;
    }
    if (!builtin) builtin = builtin_role_prune(attribute(nd, Attr::Role));
    if (!builtin && (nd.attrs >> static_cast<unsigned>(Attr::Hidden) & 1u)) builtin = "boilerplate.hidden.attribute";
    if (!builtin && attribute(nd, Attr::AriaHidden) == "true") builtin = "boilerplate.hidden.aria";
    // Inline display:none prunes too, although some sites hide the end of an article behind
    // a "read more" toggle that way: on the benchmark, not pruning lost 0.004 F1 (hidden menus
    // and dialogs leak) against the 25,000 characters of article text it would recover.
    if (!builtin && hidden_by_style(attribute(nd, Attr::Style))) builtin = "boilerplate.hidden.style";
    std::int32_t rule = -1;
    bool consent = false;
    const bool main_like = nd.tag == GUMBO_TAG_MAIN;
    // A token that names an article body and nothing else ("article-body" beside
    // "pagination-first") vetoes furniture prunes found on the element's other tokens.
    bool body_token = false;
    for_each_attr_string(nd, attr_buf, [&](const std::string& s) {
      // Pages repeat their class tokens on element after element: each string is matched once.
      auto [at, fresh] = attr_hits.try_emplace(s);
      if (fresh) rules.match_attr(s, at->second);
      bool positive = false, furniture = false;
      for (int h : at->second) {
        const auto& cr = rules.rule(h);
        if (cr.family == detail::RuleFamily::Hint) {
          info.hint += cr.rule->weight;
          if (cr.rule->weight > 0) positive = true;
          else furniture = true;
        } else {
          if (cr.family == detail::RuleFamily::Boilerplate) furniture = true;
          // A consent signature wins over furniture; then the heaviest rule, then the first.
          const bool is_consent = cr.family == detail::RuleFamily::Consent;
          if (rule < 0 || (is_consent && !consent) ||
              (is_consent == consent && cr.rule->weight > rules.rule(rule).rule->weight)) {
            if (main_like && !is_consent) continue;
            rule = h;
            consent = is_consent;
          }
        }
      }
      if (positive && !furniture) body_token = true;
    });
    if (body_token && !consent) rule = -1;
    const double share = page_text > 0 ? static_cast<double>(text_bytes[i]) / page_text : 0.0;
    if (consent) {
      info.prune_rule = rule;
      info.consent_signature = true;
      out.consent_platform = true;
    } else if (share <= kMaxPrunedShare || dialog || (rule >= 0 && rules.rule(rule).rule->weight >= 2.0)) {
      if (rule >= 0) info.prune_rule = rule;
      else if (builtin) info.prune_builtin = builtin;
    }
  }

  // Pass 3 (preorder): emit blocks. A stack of open elements gives the close events.
  BlockWriter writer(out.blocks, out.info, dom);
  struct Open {
    std::uint32_t index;
    std::uint32_t end;
  };
  std::vector<Open> open;
  std::vector<std::uint32_t> block_owner;  // innermost open block-level element
  std::uint32_t skip_until = 0;            // inside a skipped subtree until this index
  std::uint32_t pruned_root = kNoNode;     // outermost open pruned element
  std::uint32_t link_depth = 0, pre_depth = 0;
  std::vector<std::string_view> hrefs;  // href of each open <a> ("" when it has none worth keeping)
  std::size_t first_block_of_prune = 0;

  auto current_owner = [&]() { return block_owner.empty() ? std::uint32_t{0} : block_owner.back(); };
  auto mark_pruned = [&](std::uint32_t root, std::size_t from) {
    const ElementInfo& info = out.info[root];
    Family fam = Family::Boilerplate;
    std::string id;
    if (info.prune_rule >= 0) {
      const auto& cr = rules.rule(info.prune_rule);
      fam = detail::CompiledRules::family_of(cr.family);
      id = cr.rule->id;
    } else {
      id = info.prune_builtin;
    }
    for (std::size_t k = from; k < out.blocks.size(); ++k) out.blocks[k].remove(fam, id);
  };
  auto close = [&](const Open& o) {
    const Node& nd = nodes[o.index];
    const ElementInfo& info = out.info[o.index];
    if (nd.tag == GUMBO_TAG_A && link_depth > 0) {
      --link_depth;
      if (!hrefs.empty()) hrefs.pop_back();
    }
    if ((nd.tag == GUMBO_TAG_PRE || nd.tag == GUMBO_TAG_LISTING) && pre_depth > 0) --pre_depth;
    if (info.block_level) {
      writer.flush(o.index);
      if (!block_owner.empty() && block_owner.back() == o.index) block_owner.pop_back();
    } else if (!is_phrasing_tag(nd.tag)) {
      writer.space();  // custom and form elements render apart: never glue their words
    }
    if (pruned_root == o.index) {
      writer.flush(o.index);
      mark_pruned(o.index, first_block_of_prune);
      pruned_root = kNoNode;
    }
  };

  for (std::uint32_t i = 0; i < n; ++i) {
    while (!open.empty() && open.back().end <= i) {
      close(open.back());
      open.pop_back();
    }
    if (i < skip_until) continue;
    const Node& nd = nodes[i];
    if (nd.is_text) {
      writer.text(nd.text, current_owner(), link_depth > 0, pre_depth > 0,
                  links && link_depth > 0 && !hrefs.empty() ? hrefs.back() : std::string_view());
      continue;
    }
    const ElementInfo& info = out.info[i];
    if (info.skip) {
      skip_until = nd.end;
      if (nd.tag == GUMBO_TAG_INPUT || nd.tag == GUMBO_TAG_BUTTON || nd.tag == GUMBO_TAG_SELECT) writer.space();
      continue;
    }
    if (nd.tag == GUMBO_TAG_BR) {
      writer.line_break(current_owner());
      continue;
    }
    if (nd.tag == GUMBO_TAG_HR) {
      writer.flush(current_owner());
      continue;
    }
    if (nd.tag == GUMBO_TAG_IMG || nd.tag == GUMBO_TAG_WBR) {
      if (nd.tag == GUMBO_TAG_IMG) writer.space();
      continue;
    }
    const bool prunes = pruned_root == kNoNode && (info.prune_rule >= 0 || info.prune_builtin);
    if (info.block_level || prunes) writer.flush(current_owner());
    if (prunes) {
      pruned_root = i;
      first_block_of_prune = out.blocks.size();
    }
    if (info.block_level) block_owner.push_back(i);
    if ((nd.tag == GUMBO_TAG_TD || nd.tag == GUMBO_TAG_TH) && !info.block_level) writer.separator(" | ");
    if (nd.tag == GUMBO_TAG_A) {
      ++link_depth;
      hrefs.push_back(link_href(attribute(nd, Attr::Href)));
    }
    if (!info.block_level && !is_phrasing_tag(nd.tag)) writer.space();
    if (nd.tag == GUMBO_TAG_PRE || nd.tag == GUMBO_TAG_LISTING) ++pre_depth;
    open.push_back({i, nd.end});
  }
  while (!open.empty()) {
    close(open.back());
    open.pop_back();
  }
  writer.flush(0);
  return out;
}

}  // namespace scrubtext::html
