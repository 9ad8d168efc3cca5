// The Cleaner: composes the stages. Owns only immutable state (options, compiled rules).
#include "scrubtext/cleaner.h"

#include <algorithm>

#include "classify/classify.h"
#include "core/pipeline.h"
#include "core/language.h"
#include "html/blocks.h"
#include "html/bounds.h"
#include "html/dom.h"
#include "html/metadata.h"
#include "html/prescan.h"
#include "input/decode.h"
#include "input/gzip.h"
#include "input/sniff.h"
#include "rules/compiled.h"
#include "select/content.h"
#include "text/dates.h"
#include "text/normalize.h"
#include "text/text_blocks.h"

namespace scrubtext {

using detail::WorkBlock;

struct Cleaner::Impl {
  Options options;
  RuleSet rules;
  detail::CompiledRules compiled;
  Impl(const Options& o, const RuleSet& r) : options(o), rules(r), compiled(r) {}
};

Cleaner::Cleaner(const Options& options, const RuleSet& rules) : impl_(std::make_unique<const Impl>(options, rules)) {}
Cleaner::~Cleaner() = default;
Cleaner::Cleaner(Cleaner&&) noexcept = default;
Cleaner& Cleaner::operator=(Cleaner&&) noexcept = default;
const Options& Cleaner::options() const { return impl_->options; }
const RuleSet& Cleaner::rules() const { return impl_->rules; }

namespace {

// Text-mode headline and date: looked for among the first kept lines, before the first
// long paragraph. A headline is 3–30 words on its own line without a final period.
constexpr std::size_t kHeadScanBlocks = 8;
constexpr std::uint32_t kHeadlineMaxChars = 200;
constexpr std::uint32_t kHeadlineMinChars = 15;
constexpr std::uint32_t kBodyStartsChars = 200;
// HTML date lines are looked for among this many leading blocks (kept or removed).
constexpr std::size_t kDateScanBlocks = 400;
// A paragraph or list item at most this long whose text is at least 90 % link text is a
// cross-link ("Read: …", a related headline). Calibrated on the benchmark: 150 removes
// related headlines without touching link-rich article sentences.
constexpr std::uint32_t kLinkOnlyMaxChars = 150;
// Smaller depth limits are raised to this: <html> and <body> alone take two levels, and a
// page folded above its <body> has no blocks at all.
constexpr std::size_t kMinDomDepth = 8;

std::size_t word_count(std::string_view s) {
  std::size_t words = 0;
  bool in = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n';
    if (!space && !in) ++words;
    in = !space;
  }
  return words;
}

// A date that may be the page's: not after `latest` (YYYY-MM-DD; empty: no bound).
bool plausible(const std::optional<std::string>& d, const std::string& latest) {
  return d && (latest.empty() || *d <= latest);
}

void text_headline_and_date(std::vector<WorkBlock>& blocks, Metadata& meta, const std::string& lang,
                            const std::string& latest) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < blocks.size() && seen < kHeadScanBlocks; ++i) {
    WorkBlock& wb = blocks[i];
    const bool date_rule = !wb.b.kept && wb.b.rule_id.starts_with("boilerplate.date-line");
    if (date_rule && !meta.date_published) {
      auto d = text::parse_human_date(wb.b.text, lang);
      if (!d) d = text::find_date_in_text(wb.b.text, lang);
      if (plausible(d, latest)) {
        meta.date_published = *d;
        meta.date_source = "text";
        wb.b.family = Family::Metadata;
        wb.b.rule_id = "metadata.date-line";
      }
      continue;
    }
    if (!wb.b.kept) continue;
    ++seen;
    if (wb.chars > kBodyStartsChars) break;
    if (!meta.date_published && wb.chars <= 40) {
      if (auto d = text::parse_human_date(wb.b.text, lang); plausible(d, latest)) {
        meta.date_published = *d;
        meta.date_source = "text";
        wb.remove(Family::Metadata, "metadata.date-line");
        continue;
      }
    }
    if (!meta.title && wb.chars >= kHeadlineMinChars && wb.chars <= kHeadlineMaxChars) {
      const std::size_t words = word_count(wb.b.text);
      const char last = wb.b.text.back();
      bool has_next = false;
      for (std::size_t k = i + 1; k < blocks.size(); ++k)
        if (blocks[k].b.kept) { has_next = true; break; }
      if (words >= 3 && words <= 30 && last != '.' && last != ':' && last != ',' && has_next) {
        meta.title = wb.b.text;
        wb.remove(Family::Metadata, "metadata.headline");
      }
    }
  }
}

// Normalised for headline comparison: lower-case ASCII letters and digits only.
std::string squash(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) out += c;
  }
  return out;
}

// The headline printed in the body would repeat Document's title: drop the first heading
// among the leading kept blocks that matches it; without a title, the first h1 becomes it.
void html_headline(std::vector<WorkBlock>& blocks, Metadata& meta) {
  const std::string want = meta.title ? squash(*meta.title) : std::string();
  std::size_t seen = 0;
  for (auto& wb : blocks) {
    if (!wb.b.kept) continue;
    if (++seen > 6) break;
    if (wb.b.kind != BlockKind::Heading && seen > 1) continue;
    const std::string got = squash(wb.b.text);
    if (got.empty()) continue;
    const bool same = !want.empty() && (got == want || (got.size() > 20 && want.find(got) != std::string::npos) ||
                                        (want.size() > 20 && got.find(want) != std::string::npos));
    // An h1 that opens the kept text is the page's headline even when it is worded
    // differently from the metadata title (a longer or a shorter version of it).
    const bool opening_h1 = seen == 1 && wb.b.kind == BlockKind::Heading && wb.b.level == 1;
    if (same || opening_h1 || (want.empty() && wb.b.kind == BlockKind::Heading && wb.b.level == 1)) {
      if (!meta.title) meta.title = wb.b.text;
      wb.remove(Family::Metadata, "metadata.headline");
      return;
    }
  }
}

// HTML pages without a machine-readable date: the visible date line nearest the headline
// ("24 Mai 2022", "Publié le 24 mai 2022 à 10h30", "vor 3 Tagen" with a crawl date), read
// in the page's language. Lines found by a date-line rule count anywhere in the leading
// blocks; short lines of the byline rows the DOM pruned as site chrome count too. Related
// lists and comments are pruned under other rules and never give a date. An "updated" line
// gives the modification date.
constexpr std::size_t kDateLineMaxChars = 100;
// A date line further than this many blocks from the headline belongs to something else
// (a related-article list, the next story); calibrated on testdata/meta.
constexpr std::size_t kDateMaxDistance = 25;
constexpr std::size_t kRelativeMaxDistance = 3;
constexpr std::size_t kBesideHeadline = 3;
constexpr std::uint32_t kBesideMaxChars = 60;

void date_from_date_lines(std::vector<WorkBlock>& blocks, Metadata& meta, const std::string& lang,
                          const std::string& latest, const std::string& crawl_date) {
  if (meta.date_published && meta.date_modified) return;
  // The dates on a home page or a list belong to the stories it links to.
  if (meta.page_type && *meta.page_type != "article") return;
  std::size_t headline = 0;
  bool have_headline = false;
  for (std::size_t i = 0; i < blocks.size() && i < kDateScanBlocks; ++i) {
    const auto& b = blocks[i].b;
    if (b.rule_id == "metadata.headline" || (!have_headline && b.kind == BlockKind::Heading && b.level == 1)) {
      headline = i;
      have_headline = true;
      if (b.rule_id == "metadata.headline") break;
    }
  }
  struct Found {
    std::size_t index, distance;
    std::string date;
    bool modified, relative;
  };
  std::optional<Found> pub, mod;
  for (std::size_t i = 0; i < blocks.size() && i < kDateScanBlocks; ++i) {
    WorkBlock& wb = blocks[i];
    if (wb.chars > kDateLineMaxChars) continue;
    const std::size_t distance = have_headline ? (i > headline ? i - headline : headline - i) : i;
    bool relative = false;
    // A relative date is read only right beside the headline: no rule marks it.
    if (!crawl_date.empty() && have_headline && distance <= kRelativeMaxDistance && wb.chars <= 40 && !pub) {
      if (auto r = text::parse_relative_date(wb.b.text, lang, crawl_date); plausible(r, latest)) {
        pub = Found{i, distance, *r, false, true};
        wb.remove(Family::Metadata, "metadata.date-line");
        continue;
      }
    }
    const bool date_rule = !wb.b.kept && wb.b.rule_id.starts_with("boilerplate.date-line");
    const bool chrome_row = !wb.b.kept && wb.b.rule_id == "boilerplate.attr.site-chrome";
    // A short line right beside the headline ("Stand: 28.11.2023 14:30 Uhr", a date the
    // selection left out as too short) is read even when no rule marked it.
    const bool beside = have_headline && distance <= kBesideHeadline && wb.chars <= kBesideMaxChars &&
                        (wb.b.kept || wb.b.family == Family::Selection || wb.b.rule_id.starts_with("select."));
    if (!date_rule && !chrome_row && !beside) continue;
    if (have_headline && distance > kDateMaxDistance) continue;
    std::optional<std::string> d = text::find_date_in_text(wb.b.text, lang);
    if (!d && !crawl_date.empty()) {
      d = text::parse_relative_date(wb.b.text, lang, crawl_date);
      relative = d.has_value();
    }
    if (!plausible(d, latest)) continue;
    const bool modified = wb.b.rule_id.find("updated") != std::string::npos;
    std::optional<Found>& slot = modified ? mod : pub;
    if (!slot || distance < slot->distance || (distance == slot->distance && i > headline))
      slot = Found{i, distance, *d, modified, relative};
  }
  if (!meta.date_published && pub) {
    meta.date_published = pub->date;
    meta.date_source = pub->relative ? "relative" : "text";
    if (blocks[pub->index].b.rule_id.starts_with("boilerplate.date-line")) {
      blocks[pub->index].b.family = Family::Metadata;
      blocks[pub->index].b.rule_id = "metadata.date-line";
    }
  }
  if (!meta.date_modified && mod && (!meta.date_published || mod->date >= *meta.date_published))
    meta.date_modified = mod->date;
}

// Authors from a byline block ("By Ana Ruiz and Tom Berg - 11/18/19", "Par Marie Dubois",
// "Von Anna Schmidt und Peter Berg") when the page's metadata names none. Any rule whose id
// ends in ".byline" or "-byline" marks one (rules/boilerplate, rules/metadata/bylines.rules).
void authors_from_byline(const std::vector<WorkBlock>& blocks, Metadata& meta, const detail::CompiledRules& rules) {
  if (!meta.authors.empty()) return;
  for (const auto& wb : blocks) {
    if (wb.b.kept || !(wb.b.rule_id.ends_with(".byline") || wb.b.rule_id.ends_with("-byline"))) continue;
    meta.authors = html::split_author_names(wb.b.text, &rules);
    if (!meta.authors.empty()) return;
  }
}

// Options::date_format applied to the published and modified dates.
void format_dates(Metadata& meta, const Options& options) {
  if (options.date_format.empty()) return;
  if (meta.date_published)
    meta.date_published = text::format_date(meta.datetime_published.value_or(*meta.date_published), options.date_format);
  if (meta.date_modified)
    meta.date_modified = text::format_date(meta.datetime_modified.value_or(*meta.date_modified), options.date_format);
}

void assemble(Document& doc, std::vector<WorkBlock>& blocks, const Options& options) {
  for (auto& wb : blocks) {
    if (wb.b.kept && !wb.b.text.empty()) {
      const std::size_t sep = doc.text.empty() ? 0 : 2;
      // Cut, not thinned out: once a block does not fit, no later block is taken either.
      if (doc.truncated || doc.text.size() + sep + wb.b.text.size() > options.limits.max_output_bytes) {
        doc.truncated = true;
        wb.remove(Family::Selection, "limit.max-output-bytes");
      } else {
        if (sep) doc.text += "\n\n";
        doc.text += wb.b.text;
      }
    }
  }
  doc.blocks.reserve(blocks.size());
  for (auto& wb : blocks) {
    if (!wb.b.kept && !options.keep_removed_blocks) continue;
    if (wb.b.text.empty()) continue;
    doc.blocks.push_back(std::move(wb.b));
  }
}

}  // namespace

namespace detail {

// Runs the pipeline after decoding.
void run_pipeline(Document& doc, std::string_view utf8, bool html, const SourceInfo& source, const Options& options,
                  const CompiledRules& rules, const html::PrescanSteps& steps) {
  const bool prescan = steps.any();
  Metadata& meta = doc.metadata;
  std::vector<WorkBlock> blocks;
  // Dates after the crawl date, or after tomorrow without one, are not the page's.
  const std::string crawl_date =
      text::parse_iso_date(source.crawl_date.empty() ? options.crawl_date : source.crawl_date).value_or("");
  const std::string latest = crawl_date.empty() ? text::add_days(text::today_utc(), 1) : crawl_date;
  classify::PageContext page;
  if (html) {
    doc.input_kind = "html";
    html::TextRuns runs;  // views into utf8
    html::PrescanSteps with_rules = steps;
    if (with_rules.unread_elements) with_rules.script_rules = &rules;
    const std::string scanned = prescan ? html::prescan(utf8, with_rules, &runs) : std::string();
    const std::string_view stripped = prescan ? std::string_view(scanned) : utf8;
    // Bounded before gumbo runs: its tree builder cannot be stopped once it has started.
    const std::size_t max_depth = std::max(options.limits.max_dom_depth, kMinDomDepth);
    const html::MarkupBounds bounds =
        html::bound_markup(stripped, {.max_depth = max_depth, .max_nodes = options.limits.max_nodes});
    auto too_complex = [&] {
      doc.status = Status::TooComplex;
      doc.error = "page has more than " + std::to_string(options.limits.max_nodes) + " DOM nodes";
    };
    if (bounds.too_many_nodes) return too_complex();
    const std::string_view markup = bounds.changed ? std::string_view(bounds.html) : stripped;
    html::ParsedHtml parsed(markup, &runs);
    html::FlatDom dom = html::flatten(parsed.root(), max_depth, options.limits.max_nodes, &runs);
    if (dom.too_many_nodes) return too_complex();
    html::PageFacts facts = html::extract_metadata(
        dom, {.fallback_url = source.url, .latest_date = latest, .rules = &rules, .enabled = options.metadata});
    meta = std::move(facts.meta);
    html::BlockBuild build = html::build_blocks(dom, rules, facts.script_srcs, options.links);
    select::select_main_content(dom, build, options);
    page.consent_platform = build.consent_platform;
    blocks = std::move(build.blocks);
    // Captions describe a photo, not the story; readers of the text do not see the photo.
    // A short paragraph that is nothing but a link is a cross-link to another article.
    for (auto& wb : blocks) {
      if (wb.b.kind == BlockKind::Caption) wb.remove(Family::Boilerplate, "boilerplate.caption");
      else if ((wb.b.kind == BlockKind::Paragraph || wb.b.kind == BlockKind::ListItem) && wb.chars <= kLinkOnlyMaxChars &&
               wb.link_chars * 10 >= wb.chars * 9)
        wb.remove(Family::Boilerplate, "boilerplate.link-only");
    }
    classify::classify_blocks(blocks, rules, page);
    html_headline(blocks, meta);
    if (!options.metadata) meta.title.reset();  // html_headline took the h1 as the title
    if (options.metadata) authors_from_byline(blocks, meta, rules);
  } else {
    doc.input_kind = "text";
    blocks = text::split_text(utf8);
    page.text_input = true;
    classify::classify_blocks(blocks, rules, page);
    if (!source.url.empty()) meta.url = source.url;
  }
  detail::assign_languages(doc, blocks);
  if (options.metadata) {
    if (!html) {
      text_headline_and_date(blocks, meta, doc.language, latest);
      authors_from_byline(blocks, meta, rules);
    } else {
      date_from_date_lines(blocks, meta, doc.language, latest, crawl_date);
    }
    format_dates(meta, options);
  }
  assemble(doc, blocks, options);
}

Document clean_bytes(std::string_view bytes, const SourceInfo& source, const Options& options,
                     const CompiledRules& rules, const html::PrescanSteps& steps) {
  Document doc;
  doc.source = source.name;
  auto fail = [&](Status s, std::string why) {
    doc.status = s;
    doc.error = std::move(why);
    return doc;
  };
  if (bytes.size() > options.limits.max_input_bytes && !input::looks_gzip(bytes))
    return fail(Status::TooLarge, "input is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                                      std::to_string(options.limits.max_input_bytes));
  std::string inflated;
  if (input::looks_gzip(bytes)) {
    input::GunzipResult g = input::gunzip(bytes, options.limits.max_input_bytes);
    if (g.too_large) return fail(Status::TooLarge, g.error);
    if (!g.ok) return fail(Status::BadGzip, g.error);
    inflated = std::move(g.data);
    bytes = inflated;
  }
  if (text::trim(bytes).empty()) return fail(Status::Empty, "input is empty");
  std::string why;
  input::Sniffed sniffed = input::sniff(bytes, &why);
  // UTF-16 declared outside the bytes (HTTP, --charset) has NULs in every ASCII character:
  // judged on the decoded text instead.
  std::string declared_lower(source.charset);
  for (char& c : declared_lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  const bool wide = declared_lower.starts_with("utf-16");
  if (sniffed == input::Sniffed::Binary && wide) {
    const input::Decoded probe = input::decode(bytes.substr(0, 64 * 1024 & ~std::size_t{1}), source.charset, false);
    sniffed = input::sniff(probe.text(), &why);
  }
  if (sniffed == input::Sniffed::Binary) return fail(Status::Binary, why);
  InputKind kind = source.kind != InputKind::Auto ? source.kind : options.input;
  if (kind == InputKind::Auto) kind = sniffed == input::Sniffed::Html ? InputKind::Html : InputKind::Text;
  const bool html = kind == InputKind::Html;
  input::Decoded decoded = input::decode(bytes, source.charset, html);
  doc.charset = decoded.charset;
  doc.invalid_bytes = decoded.invalid;
  run_pipeline(doc, decoded.text(), html, source, options, rules, steps);
  return doc;
}

}  // namespace detail

Document Cleaner::clean(std::string_view bytes, const SourceInfo& source) const {
  const Options& options = impl_->options;
  html::PrescanSteps steps;
  if (!options.prescan)
    steps = html::PrescanSteps::none();
  steps.link_targets = options.prescan && !options.links;
  return detail::clean_bytes(bytes, source, options, impl_->compiled, steps);
}

}  // namespace scrubtext
