#include "select/content.h"

#include <algorithm>
#include <cmath>

namespace scrubtext::select {
namespace {

using html::FlatDom;
using html::kNoNode;
using html::Node;

// Readability's tag priors for a container: calibrated there on thousands of pages and
// kept as they are (changing them moved benchmark F1 by < 0.003 either way).
double tag_prior(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN: case GUMBO_TAG_SECTION: return 5;
    case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE: return 3;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL: case GUMBO_TAG_DD:
    case GUMBO_TAG_DT: case GUMBO_TAG_LI: case GUMBO_TAG_FORM: return -3;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_TH: return -5;
    default: return 0;
  }
}

// Fraction of the best score a sibling needs to join the article (Readability's 0.2).
constexpr double kSiblingShare = 0.2;
// Minimum absolute score for a sibling to join.
constexpr double kSiblingFloor = 10.0;
// Ancestor levels a paragraph's score is shared with, and the divider from level 2 on.
constexpr int kScoreLevels = 5;
// When the selection keeps fewer characters than this, try again with pruning relaxed.
constexpr std::size_t kRetryBelowChars = 250;
// Share of the selected text above which an element counts as the article itself.
constexpr double kArticleShare = 0.5;

struct Stats {
  std::vector<double> score;
  std::vector<bool> candidate;
  std::vector<std::uint32_t> chars, link_chars, paragraphs, list_items, images, inputs, embeds, commas, headings_chars;
};

struct Pass {
  bool use_prunes = true;
  bool conditional = true;
  bool use_hints = true;
};

bool pruned(const html::ElementInfo& info, const Pass& pass) {
  if (info.consent_signature) return true;
  return pass.use_prunes && (info.prune_rule >= 0 || info.prune_builtin);
}

// Element pruned itself or through an ancestor (computed top-down once per pass).
std::vector<bool> pruned_closure(const FlatDom& dom, const html::BlockBuild& build, const Pass& pass) {
  std::vector<bool> out(dom.nodes.size(), false);
  for (std::size_t i = 0; i < dom.nodes.size(); ++i) {
    const Node& n = dom.nodes[i];
    const bool parent = n.parent != kNoNode && out[n.parent];
    out[i] = parent || (!n.is_text && (build.info[i].skip || pruned(build.info[i], pass)));
  }
  return out;
}

Stats compute_stats(const FlatDom& dom, const html::BlockBuild& build, const std::vector<bool>& gone) {
  const std::size_t n = dom.nodes.size();
  Stats s;
  s.score.assign(n, 0.0);
  s.candidate.assign(n, false);
  for (auto* v : {&s.chars, &s.link_chars, &s.paragraphs, &s.list_items, &s.images, &s.inputs, &s.embeds, &s.commas,
                  &s.headings_chars})
    v->assign(n, 0);
  for (const auto& wb : build.blocks) {
    if (wb.owner == kNoNode || gone[wb.owner]) continue;
    s.chars[wb.owner] += wb.chars;
    s.link_chars[wb.owner] += wb.link_chars;
    s.commas[wb.owner] += wb.commas;
    if (wb.b.kind == BlockKind::Heading) s.headings_chars[wb.owner] += wb.chars;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Node& nd = dom.nodes[i];
    if (nd.is_text || gone[i]) continue;
    switch (nd.tag) {
      case GUMBO_TAG_P: ++s.paragraphs[i]; break;
      case GUMBO_TAG_LI: ++s.list_items[i]; break;
      case GUMBO_TAG_IMG: ++s.images[i]; break;
      case GUMBO_TAG_INPUT: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: ++s.inputs[i]; break;
      case GUMBO_TAG_IFRAME: case GUMBO_TAG_EMBED: case GUMBO_TAG_OBJECT: case GUMBO_TAG_VIDEO: ++s.embeds[i]; break;
      default: break;
    }
  }
  for (std::size_t i = n; i-- > 1;) {
    const std::uint32_t p = dom.nodes[i].parent;
    if (p == kNoNode) continue;
    s.chars[p] += s.chars[i];
    s.link_chars[p] += s.link_chars[i];
    s.paragraphs[p] += s.paragraphs[i];
    s.list_items[p] += s.list_items[i];
    s.images[p] += s.images[i];
    s.inputs[p] += s.inputs[i];
    s.embeds[p] += s.embeds[i];
    s.commas[p] += s.commas[i];
    s.headings_chars[p] += s.headings_chars[i];
  }
  return s;
}

double link_density(const Stats& s, std::uint32_t i) {
  return s.chars[i] ? static_cast<double>(s.link_chars[i]) / static_cast<double>(s.chars[i]) : 0.0;
}

double hint_of(const html::BlockBuild& build, std::uint32_t i, const Pass& pass) {
  return pass.use_hints ? build.info[i].hint : 0.0;
}

void score_paragraphs(const FlatDom& dom, const html::BlockBuild& build, const std::vector<bool>& gone,
                      const Options& options, const Pass& pass, Stats& s) {
  auto init = [&](std::uint32_t k) {
    if (s.candidate[k]) return;
    s.candidate[k] = true;
    s.score[k] = tag_prior(dom.nodes[k].tag) + hint_of(build, k, pass);
  };
  for (const auto& wb : build.blocks) {
    if (wb.owner == kNoNode || gone[wb.owner]) continue;
    if (wb.chars < options.min_paragraph_chars) continue;
    if (wb.b.kind == BlockKind::ListItem || wb.b.kind == BlockKind::Caption) continue;
    const double content = 1.0 + wb.commas + std::min(std::floor(wb.chars / 100.0), 3.0);
    std::uint32_t k = dom.nodes[wb.owner].parent;
    for (int level = 0; level < kScoreLevels && k != kNoNode; ++level, k = dom.nodes[k].parent) {
      if (dom.nodes[k].tag == GUMBO_TAG_HTML) break;
      init(k);
      const double divider = level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0;
      s.score[k] += content / divider;
    }
  }
  for (std::size_t i = 0; i < s.score.size(); ++i)
    if (s.candidate[i]) s.score[i] *= 1.0 - link_density(s, static_cast<std::uint32_t>(i));
}

bool is_ancestor(const FlatDom& dom, std::uint32_t a, std::uint32_t d) { return a <= d && d < dom.nodes[a].end; }

std::uint32_t pick_top(const FlatDom& dom, const Stats& s) {
  std::vector<std::uint32_t> top;
  for (std::uint32_t i = 0; i < s.score.size(); ++i)
    if (s.candidate[i]) top.push_back(i);
  if (top.empty()) return kNoNode;
  std::stable_sort(top.begin(), top.end(), [&](std::uint32_t a, std::uint32_t b) { return s.score[a] > s.score[b]; });
  if (top.size() > 5) top.resize(5);
  std::uint32_t best = top[0];
  // Several near-best candidates under one ancestor: the article is split across them.
  std::vector<std::uint32_t> alternatives;
  for (std::size_t k = 1; k < top.size(); ++k)
    if (s.score[top[k]] >= 0.75 * s.score[best]) alternatives.push_back(top[k]);
  if (alternatives.size() >= 2) {
    std::uint32_t p = dom.nodes[best].parent;
    while (p != kNoNode && dom.nodes[p].tag != GUMBO_TAG_BODY && dom.nodes[p].tag != GUMBO_TAG_HTML) {
      int contained = 0;
      for (auto a : alternatives) contained += is_ancestor(dom, p, a);
      if (contained >= 2) {
        best = p;
        break;
      }
      p = dom.nodes[p].parent;
    }
  }
  // Climb while the parent scores higher (the paragraphs were scored into it too).
  double last = s.score[best];
  const double floor = last / 3.0;
  std::uint32_t p = dom.nodes[best].parent;
  while (p != kNoNode && dom.nodes[p].tag != GUMBO_TAG_BODY && dom.nodes[p].tag != GUMBO_TAG_HTML) {
    if (!s.candidate[p]) {
      p = dom.nodes[p].parent;
      continue;
    }
    if (s.score[p] < floor) break;
    if (s.score[p] > last) {
      best = p;
      break;
    }
    last = s.score[p];
    p = dom.nodes[p].parent;
  }
  // An only child adds nothing: take the parent, which may hold the headline and siblings.
  while (dom.nodes[best].parent != kNoNode) {
    const std::uint32_t par = dom.nodes[best].parent;
    if (dom.nodes[par].tag == GUMBO_TAG_BODY || dom.nodes[par].tag == GUMBO_TAG_HTML) break;
    int element_children = 0;
    for (std::uint32_t c = par + 1; c < dom.nodes[par].end; c = dom.nodes[c].end)
      if (!dom.nodes[c].is_text || !dom.nodes[c].whitespace_only) ++element_children;
    if (element_children != 1) break;
    best = par;
  }
  return best;
}

// Readability's _cleanConditionally, over precomputed subtree counts.
const char* conditional_removal(const FlatDom& dom, const html::BlockBuild& build, const Stats& s, std::uint32_t i,
                                const Pass& pass) {
  const GumboTag t = dom.nodes[i].tag;
  if (t != GUMBO_TAG_DIV && t != GUMBO_TAG_SECTION && t != GUMBO_TAG_UL && t != GUMBO_TAG_OL &&
      t != GUMBO_TAG_TABLE && t != GUMBO_TAG_FORM && t != GUMBO_TAG_ASIDE && t != GUMBO_TAG_FIELDSET &&
      t != GUMBO_TAG_HEADER && t != GUMBO_TAG_FOOTER)
    return nullptr;
  const double weight = hint_of(build, i, pass);
  const double score = s.candidate[i] ? s.score[i] : 0.0;
  if (weight + score < 0) return "select.conditional.negative-score";
  if (s.commas[i] >= 10) return nullptr;
  const double chars = s.chars[i];
  const bool is_list = t == GUMBO_TAG_UL || t == GUMBO_TAG_OL;
  const double p = s.paragraphs[i];
  const double img = s.images[i];
  const double li = static_cast<double>(s.list_items[i]) - 100.0;
  const double ld = link_density(s, i);
  const double heading_density = chars > 0 ? s.headings_chars[i] / chars : 0.0;
  if (img > 1 && p / img < 0.5) return "select.conditional.image-gallery";
  if (!is_list && li > p) return "select.conditional.list-heavy";
  if (s.inputs[i] > std::floor(p / 3)) return "select.conditional.form";
  if (!is_list && heading_density < 0.9 && chars < 25 && (img == 0 || img > 2) && chars > 0)
    return "select.conditional.short";
  if (!is_list && weight < 25 && ld > 0.2) return "select.conditional.link-dense";
  if (weight >= 25 && ld > 0.5) return "select.conditional.link-dense";
  if (is_list && ld > 0.5 && chars < 1000) return "select.conditional.link-list";
  if ((s.embeds[i] == 1 && chars < 75) || s.embeds[i] > 1) return "select.conditional.embeds";
  return nullptr;
}

// A candidate joins the article when it scores at least this share of the best one, has
// little link text, and shares an ancestor with it within kSplitAncestorLevels levels.
// Calibrated on the benchmark (magazine layouts that interleave asides): the share scores
// F1 0.971 anywhere from 0.5 to 0.8 (0.969 at 0.2, 0.964 at 1.0, i.e. off), so 0.6 sits in
// the middle of the plateau; 0.25 link density and 4 levels recover split articles without
// pulling in comment threads or link lists.
constexpr double kSplitShare = 0.6;
constexpr double kSplitMaxLinkDensity = 0.25;
constexpr int kSplitAncestorLevels = 4;

// True when a list item lies between `region` and `i`: an article is never split into
// list items, a list of teasers is.
bool inside_list_item(const FlatDom& dom, std::uint32_t region, std::uint32_t i) {
  for (std::uint32_t k = i; k != kNoNode && k != region; k = dom.nodes[k].parent)
    if (dom.nodes[k].tag == GUMBO_TAG_LI) return true;
  return false;
}

void add_split_parts(const FlatDom& dom, const Stats& s, std::uint32_t top, std::vector<std::uint32_t>& roots) {
  // The region: the ancestor kSplitAncestorLevels above the top candidate (below body).
  std::uint32_t region = top;
  for (int k = 0; k < kSplitAncestorLevels; ++k) {
    const std::uint32_t p = dom.nodes[region].parent;
    if (p == kNoNode || dom.nodes[p].tag == GUMBO_TAG_BODY || dom.nodes[p].tag == GUMBO_TAG_HTML) break;
    region = p;
  }
  const double floor = s.score[top] * kSplitShare;
  // `roots` are sorted and disjoint subtrees; candidates are visited in document order, so
  // an extra part found earlier can only contain later ones, never lie inside them.
  std::vector<std::uint32_t> extra;
  std::uint32_t extra_end = 0;  // end of the last extra part's subtree
  for (std::uint32_t i = region; i < dom.nodes[region].end; ++i) {
    if (!s.candidate[i] || s.score[i] < floor || link_density(s, i) > kSplitMaxLinkDensity) continue;
    if (inside_list_item(dom, region, i)) continue;
    if (i < extra_end) continue;
    // The root that starts last at or before i contains it if any root does; the first root
    // after i lies inside it if any does.
    const auto after = std::upper_bound(roots.begin(), roots.end(), i);
    if (after != roots.begin() && is_ancestor(dom, *(after - 1), i)) continue;
    if (after != roots.end() && is_ancestor(dom, i, *after)) continue;
    extra.push_back(i);
    extra_end = dom.nodes[i].end;
  }
  roots.insert(roots.end(), extra.begin(), extra.end());
  std::sort(roots.begin(), roots.end());
}

struct Selection {
  std::vector<std::uint32_t> roots;
  std::vector<const char*> removed_by;  // per node: conditional removal reason (top of a removed subtree)
  std::size_t kept_chars = 0;
};

Selection run_pass(const FlatDom& dom, html::BlockBuild& build, const Options& options, const Pass& pass) {
  Selection sel;
  const std::vector<bool> gone = pruned_closure(dom, build, pass);
  Stats s = compute_stats(dom, build, gone);
  score_paragraphs(dom, build, gone, options, pass, s);
  const std::uint32_t top = pick_top(dom, s);
  sel.removed_by.assign(dom.nodes.size(), nullptr);
  if (top == kNoNode) {
    // No paragraph anywhere: keep the whole body (short pages, lists, tables).
    for (std::uint32_t i = 0; i < dom.nodes.size(); ++i)
      if (dom.nodes[i].tag == GUMBO_TAG_BODY) sel.roots.push_back(i);
  } else {
    const double top_score = s.score[top];
    const double threshold = std::max(kSiblingFloor, top_score * kSiblingShare);
    const std::uint32_t parent = dom.nodes[top].parent;
    const std::string_view top_class = dom.nodes[top].cls;
    if (parent == kNoNode) {
      sel.roots.push_back(top);
    } else {
      constexpr std::uint32_t kNoBlock = 0xFFFFFFFFu;
      std::vector<std::uint32_t> first_block;  // per node, built when first needed
      for (std::uint32_t c = parent + 1; c < dom.nodes[parent].end; c = dom.nodes[c].end) {
        const Node& nd = dom.nodes[c];
        if (nd.is_text || gone[c]) continue;
        bool append = c == top;
        if (!append) {
          double bonus = 0;
          if (!top_class.empty() && nd.cls == top_class) bonus += top_score * 0.2;
          if (s.candidate[c] && s.score[c] + bonus >= threshold) append = true;
          else if (nd.tag == GUMBO_TAG_P) {
            const double ld = link_density(s, c);
            if (s.chars[c] > 80 && ld < 0.25) append = true;
            else if (s.chars[c] > 0 && s.chars[c] <= 80 && ld == 0) {
              // Short paragraph that ends a sentence (judged by its first block).
              if (first_block.empty()) {
                first_block.assign(dom.nodes.size(), kNoBlock);
                for (std::uint32_t b = static_cast<std::uint32_t>(build.blocks.size()); b-- > 0;)
                  if (build.blocks[b].owner != kNoNode) first_block[build.blocks[b].owner] = b;
              }
              if (first_block[c] != kNoBlock) {
                const std::string& t = build.blocks[first_block[c]].b.text;
                append = !t.empty() && (t.back() == '.' || t.ends_with("\xE3\x80\x82"));
              }
            }
          }
        }
        if (append) sel.roots.push_back(c);
      }
    }
  }
  // An article split into sibling regions (an aside or an ad between its halves): strong
  // candidates near the chosen one join it.
  if (top != kNoNode) add_split_parts(dom, s, top, sel.roots);
  if (pass.conditional) {
    // An element holding most of the selected text is the article itself, whatever its
    // link density: conditional removal is for furniture nested inside it.
    double selected_chars = 0;
    for (auto root : sel.roots) selected_chars += s.chars[root];
    for (auto root : sel.roots) {
      for (std::uint32_t i = root + 1; i < dom.nodes[root].end;) {
        if (dom.nodes[i].is_text || gone[i]) {
          i = gone[i] && !dom.nodes[i].is_text ? dom.nodes[i].end : i + 1;
          continue;
        }
        const bool holds_article = s.chars[i] > kArticleShare * selected_chars || is_ancestor(dom, i, top);
        if (const char* why = holds_article ? nullptr : conditional_removal(dom, build, s, i, pass)) {
          sel.removed_by[i] = why;
          i = dom.nodes[i].end;
          continue;
        }
        ++i;
      }
    }
  }
  // Count what would be kept: the roots are sorted and disjoint, so one root is the only
  // candidate to hold a block.
  for (const auto& wb : build.blocks) {
    if (wb.owner == kNoNode || gone[wb.owner]) continue;
    const auto after = std::upper_bound(sel.roots.begin(), sel.roots.end(), wb.owner);
    if (after != sel.roots.begin() && is_ancestor(dom, *(after - 1), wb.owner)) sel.kept_chars += wb.chars;
  }
  return sel;
}

}  // namespace

void select_main_content(const FlatDom& dom, html::BlockBuild& build, const Options& options) {
  if (dom.nodes.empty()) return;
  Pass strict;
  Selection sel = run_pass(dom, build, options, strict);
  bool relaxed = false;
  if (sel.kept_chars < kRetryBelowChars) {
    Pass loose{false, false, false};
    Selection alt = run_pass(dom, build, options, loose);
    if (alt.kept_chars > 2 * sel.kept_chars + 100) {
      sel = std::move(alt);
      relaxed = true;
    }
  }
  // Map each block: inside a root? inside a conditionally removed subtree?
  const std::size_t n = dom.nodes.size();
  std::vector<const char*> why(n, "select.outside-main");
  for (auto root : sel.roots) {
    for (std::uint32_t i = root; i < dom.nodes[root].end; ++i) {
      if (sel.removed_by[i]) {
        for (std::uint32_t k = i; k < dom.nodes[i].end; ++k) why[k] = sel.removed_by[i];
        i = dom.nodes[i].end - 1;
        continue;
      }
      why[i] = nullptr;
    }
  }
  for (auto& wb : build.blocks) {
    if (relaxed && !wb.b.kept && wb.b.family == Family::Boilerplate) {
      // The relaxed pass ignores structural prunes: bring those blocks back.
      wb.b.kept = true;
      wb.b.family = Family::None;
      wb.b.rule_id.clear();
    }
    if (wb.owner == kNoNode || wb.owner >= n) continue;
    if (const char* w = why[wb.owner]) {
      const bool conditional = std::string_view(w) != "select.outside-main";
      wb.remove(conditional ? Family::Boilerplate : Family::Selection, w);
    }
  }
}

}  // namespace scrubtext::select
