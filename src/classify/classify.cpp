#include "classify/classify.h"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>

#include "text/normalize.h"

namespace scrubtext::classify {
namespace {

using detail::RuleFamily;
using detail::WorkBlock;

// Consent dialogs. A block is a dialog seed when its evidence is at least kSeedWeight and
// dense (one unit of weight per kCharsPerWeight characters at least); a dialog is removed
// when its blocks sum to kDialogWeight. Calibrated on testdata/cases (28 languages, 24
// platforms) against the counter-examples there (articles about cookies, tracking, GDPR):
// every counter-example paragraph stays below the density bar.
constexpr double kSeedWeight = 3.0;
constexpr double kCharsPerWeight = 100.0;
constexpr double kDialogWeight = 5.0;
// A label this short (characters) between consent blocks is part of the dialog.
constexpr std::uint32_t kLabelChars = 60;
// Blocks without evidence between two blocks with evidence belong to the dialog when there
// are at most kGapBlocks of them and each is at most kGapChars long (a category's
// description between its name and its toggle).
constexpr std::uint32_t kGapChars = 200;
constexpr int kGapBlocks = 3;
// Notices and sprite rule hits remove a block only when it is about this short.
constexpr std::uint32_t kShortBlockChars = 300;
// After a list heading ("Related articles"), the list's links: short lines that do not end
// a sentence, at most kListLinks of them.
constexpr std::uint32_t kListLinkMaxChars = 120;
constexpr int kListLinks = 12;
// Repeated lines: a line of at most this many characters seen at least kRepeatCount times.
constexpr std::uint32_t kRepeatMaxChars = 60;
constexpr int kRepeatCount = 3;

struct Evidence {
  double consent = 0.0;
  int consent_rules = 0;
  int first_consent_rule = -1;
  int notice = -1, chrome = -1, sprite = -1, boilerplate = -1;
  bool list_heading = false;  ///< A chrome line rule of weight >= 2 matched: the lines after it are its links.
};

bool removable(const WorkBlock& wb) { return wb.b.kept || wb.b.family == Family::Selection; }

void remove_override(WorkBlock& wb, Family f, const std::string& id) {
  if (!removable(wb)) return;
  wb.b.kept = true;  // let remove() record the more specific reason
  wb.remove(f, id);
}

Evidence gather(const WorkBlock& wb, const detail::CompiledRules& rules, std::vector<int>& hits) {
  Evidence ev;
  std::set<int> seen;
  auto take = [&](int h, bool line) {
    if (!seen.insert(h).second) return;
    const auto& cr = rules.rule(h);
    switch (cr.family) {
      case RuleFamily::Consent:
        ev.consent += cr.rule->weight;
        ++ev.consent_rules;
        if (ev.first_consent_rule < 0 || cr.rule->weight > rules.rule(ev.first_consent_rule).rule->weight)
          ev.first_consent_rule = h;
        break;
      case RuleFamily::Notice:
        if (ev.notice < 0) ev.notice = h;
        break;
      case RuleFamily::Chrome:
        if (line && ev.chrome < 0) ev.chrome = h;
        if (line && cr.rule->weight >= 2.0) {
          ev.list_heading = true;
          ev.chrome = h;
        }
        break;
      case RuleFamily::Sprite:
        if (ev.sprite < 0) ev.sprite = h;
        break;
      case RuleFamily::Boilerplate:  // the heaviest reports the block; the first among equals
        if (ev.boilerplate < 0 || cr.rule->weight > rules.rule(ev.boilerplate).rule->weight) ev.boilerplate = h;
        break;
      case RuleFamily::Hint:
        break;
    }
  };
  // Sprite, notice and boilerplate evidence only ever removes a short block; a longer one
  // can only be part of a consent dialog.
  if (wb.chars <= kShortBlockChars) rules.match_text(wb.b.text, hits);
  else rules.match_text(RuleFamily::Consent, wb.b.text, hits);
  for (int h : hits) take(h, false);
  rules.match_line(wb.b.text, hits);
  for (int h : hits) take(h, true);
  return ev;
}

bool ends_sentence(const std::string& t) {
  if (t.empty()) return false;
  const char c = t.back();
  return c == '.' || c == '!' || c == '?' || c == ':' || t.ends_with("\xE3\x80\x82");
}

bool is_seed(const Evidence& ev, const WorkBlock& wb, bool platform) {
  const double need = platform ? kSeedWeight - 1.0 : kSeedWeight;
  return ev.consent >= need && ev.consent * kCharsPerWeight >= static_cast<double>(std::min<std::uint32_t>(wb.chars, 100000));
}

void find_consent_dialogs(std::vector<WorkBlock>& blocks, const std::vector<Evidence>& ev,
                          const detail::CompiledRules& rules, const PageContext& page) {
  const std::size_t n = blocks.size();
  std::vector<bool> assigned(n, false);
  auto active = [&](std::size_t i) { return removable(blocks[i]) || blocks[i].b.family == Family::Consent; };
  // From block i, the next active block with consent evidence within kGapBlocks active
  // blocks in direction dir, if every block in between is short; else npos.
  auto next_evidence = [&](std::size_t i, int dir) -> std::size_t {
    int steps = 0;
    long j = static_cast<long>(i);
    for (;;) {
      j += dir;
      if (j < 0 || j >= static_cast<long>(n)) return std::string::npos;
      const auto k = static_cast<std::size_t>(j);
      if (!active(k)) continue;
      if (ev[k].consent > 0) return k;
      if (blocks[k].chars > kGapChars || blocks[k].b.kind == BlockKind::Preformatted || ++steps > kGapBlocks)
        return std::string::npos;
    }
  };
  for (std::size_t s = 0; s < n; ++s) {
    if (assigned[s] || !active(s) || !is_seed(ev[s], blocks[s], page.consent_platform)) continue;
    std::size_t lo = s, hi = s;
    for (std::size_t k; (k = next_evidence(lo, -1)) != std::string::npos;) lo = k;
    for (std::size_t k; (k = next_evidence(hi, +1)) != std::string::npos;) hi = k;
    // The dialog's own title right above it ("Your privacy matters to us"): one short line
    // that does not end a sentence (an article's last line does).
    for (std::size_t j = lo; j-- > 0;) {
      if (!active(j)) continue;
      const WorkBlock& above = blocks[j];
      if (above.chars <= kLabelChars && !ends_sentence(above.b.text) && above.b.kind != BlockKind::Preformatted &&
          above.b.kind != BlockKind::ListItem)
        lo = j;
      break;
    }
    double total = 0;
    int evidence_blocks = 0;
    for (std::size_t k = lo; k <= hi; ++k) {
      if (!active(k)) continue;
      total += ev[k].consent;
      evidence_blocks += ev[k].consent > 0;
    }
    const bool lone_banner = evidence_blocks == 1 && ev[s].consent >= kSeedWeight + 1 && ev[s].consent_rules >= 2 &&
                             blocks[s].chars <= kShortBlockChars;
    if (!(total >= kDialogWeight && evidence_blocks >= 2) && !lone_banner) continue;
    const std::string seed_rule = rules.rule(ev[s].first_consent_rule).rule->id;
    for (std::size_t k = lo; k <= hi; ++k) {
      assigned[k] = true;
      if (!active(k)) continue;
      const std::string id = ev[k].first_consent_rule >= 0 ? rules.rule(ev[k].first_consent_rule).rule->id
                                                           : "consent.dialog-member";
      remove_override(blocks[k], Family::Consent, id);
    }
    (void)seed_rule;
  }
}

void remove_list_after_heading(std::vector<WorkBlock>& blocks, std::size_t heading, const std::string& id) {
  int taken = 0;
  for (std::size_t k = heading + 1; k < blocks.size() && taken < kListLinks; ++k) {
    WorkBlock& wb = blocks[k];
    if (!removable(wb)) continue;
    if (wb.chars > kListLinkMaxChars || ends_sentence(wb.b.text) || wb.b.kind == BlockKind::Heading) break;
    // A short line right before a long paragraph is that paragraph's headline, not a link.
    std::size_t next = k + 1;
    while (next < blocks.size() && !removable(blocks[next])) ++next;
    if (next < blocks.size() && blocks[next].chars > kListLinkMaxChars * 2) break;
    remove_override(wb, Family::Chrome, id);
    ++taken;
  }
}

void remove_repeated(std::vector<WorkBlock>& blocks) {
  std::unordered_map<std::string, int> count;
  for (const auto& wb : blocks)
    if (wb.chars <= kRepeatMaxChars && wb.b.kind != BlockKind::TableCell && wb.b.kind != BlockKind::ListItem)
      ++count[wb.b.text];
  for (auto& wb : blocks) {
    if (!wb.b.kept || wb.chars > kRepeatMaxChars || wb.b.kind == BlockKind::TableCell ||
        wb.b.kind == BlockKind::ListItem)
      continue;
    if (count[wb.b.text] >= kRepeatCount) wb.remove(Family::Chrome, "chrome.repeated-line");
  }
}

}  // namespace

void classify_blocks(std::vector<WorkBlock>& blocks, const detail::CompiledRules& rules, const PageContext& page) {
  // 1. Sprite runs: whole blocks, or a prefix cut off into its own removed block.
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    WorkBlock& wb = blocks[i];
    if (!removable(wb) || wb.b.kind == BlockKind::Preformatted) continue;
    const std::size_t cut = sprite_prefix(wb.b.text, rules);
    if (cut == 0) continue;
    if (cut >= wb.b.text.size()) {
      remove_override(wb, Family::Sprite, "sprite.glued-names");
      continue;
    }
    WorkBlock junk = wb;
    junk.b.text = std::string(text::trim(std::string_view(wb.b.text).substr(0, cut)));
    junk.chars = static_cast<std::uint32_t>(text::count_chars(junk.b.text));
    junk.b.kept = true;
    junk.b.links.clear();
    junk.remove(Family::Sprite, "sprite.glued-names");
    const std::string_view rest = text::trim(std::string_view(wb.b.text).substr(cut));
    const std::size_t shift = static_cast<std::size_t>(rest.data() - wb.b.text.data());
    std::vector<Link> links;  // the links wholly in the text that stays, moved to its offsets
    for (const auto& l : wb.b.links)
      if (l.begin >= shift && l.end <= shift + rest.size()) links.push_back({l.begin - shift, l.end - shift, l.href});
    wb.b.links = std::move(links);
    wb.b.text = std::string(rest);
    wb.chars = static_cast<std::uint32_t>(text::count_chars(wb.b.text));
    blocks.insert(blocks.begin() + static_cast<long>(i), std::move(junk));
    ++i;
  }

  // 2. Rule evidence per block.
  std::vector<Evidence> ev(blocks.size());
  std::vector<int> hits;
  // A page repeats many of its blocks' texts (menu entries, "Share", dates); the evidence
  // depends on the text alone (its length included), so each text is matched once.
  std::unordered_map<std::string_view, std::size_t> first_with;  // text -> its first gathered block
  first_with.reserve(blocks.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (!removable(blocks[i]) && blocks[i].b.family != Family::Consent) continue;
    const auto [at, fresh] = first_with.try_emplace(blocks[i].b.text, i);
    ev[i] = fresh ? gather(blocks[i], rules, hits) : ev[at->second];
  }

  // 3. Single-block detectors.
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    WorkBlock& wb = blocks[i];
    if (!removable(wb)) continue;
    const Evidence& e = ev[i];
    if (e.sprite >= 0 && wb.chars <= kShortBlockChars) {
      remove_override(wb, Family::Sprite, rules.rule(e.sprite).rule->id);
    } else if (e.notice >= 0 && wb.chars <= kShortBlockChars) {
      remove_override(wb, Family::Notice, rules.rule(e.notice).rule->id);
    } else if (e.chrome >= 0) {
      remove_override(wb, Family::Chrome, rules.rule(e.chrome).rule->id);
      if (e.list_heading) remove_list_after_heading(blocks, i, rules.rule(e.chrome).rule->id + ".link");
    } else if (e.boilerplate >= 0 && wb.chars <= kShortBlockChars) {
      remove_override(wb, Family::Boilerplate, rules.rule(e.boilerplate).rule->id);
    }
  }

  // 4. Consent dialogs, as wholes.
  find_consent_dialogs(blocks, ev, rules, page);

  // 5. Lines repeated across a text dump (menus printed twice, "Advertisement" slots). In
  //    HTML, structure already removes menus, and repeated short lines inside articles are
  //    real (table headings, refrains, "Q:"/"A:").
  if (page.text_input) remove_repeated(blocks);
}

}  // namespace scrubtext::classify
