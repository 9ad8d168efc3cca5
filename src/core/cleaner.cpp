// The Cleaner: composes the stages. Owns only immutable state (options, compiled rules).
#include "scrubtext/cleaner.h"

#include <algorithm>

#include "classify/classify.h"
#include "core/language.h"
#include "html/blocks.h"
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

void text_headline_and_date(std::vector<WorkBlock>& blocks, Metadata& meta, const std::string& lang) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < blocks.size() && seen < kHeadScanBlocks; ++i) {
    WorkBlock& wb = blocks[i];
    if (!wb.b.kept) continue;
    ++seen;
    if (wb.chars > kBodyStartsChars) break;
    if (!meta.date_published && wb.chars <= 40) {
      if (auto d = text::parse_human_date(wb.b.text, lang)) {
        meta.date_published = *d;
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
    if (same || (want.empty() && wb.b.kind == BlockKind::Heading && wb.b.level == 1)) {
      if (!meta.title) meta.title = wb.b.text;
      wb.remove(Family::Metadata, "metadata.headline");
      return;
    }
  }
}

void assemble(Document& doc, std::vector<WorkBlock>& blocks, const Options& options) {
  std::size_t total = 0;
  for (auto& wb : blocks) {
    if (wb.b.kept && !wb.b.text.empty()) {
      if (total + wb.b.text.size() > options.limits.max_output_bytes) {
        doc.truncated = true;
        wb.remove(Family::Selection, "limit.max-output-bytes");
      } else {
        if (!doc.text.empty()) doc.text += "\n\n";
        doc.text += wb.b.text;
        total = doc.text.size();
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

/// Runs the pipeline after decoding. Exposed to tests through core/pipeline.h.
void run_pipeline(Document& doc, const std::string& utf8, bool html, const SourceInfo& source, const Options& options,
                  const CompiledRules& rules, bool prescan) {
  Metadata& meta = doc.metadata;
  std::vector<WorkBlock> blocks;
  classify::PageContext page;
  if (html) {
    doc.input_kind = "html";
    const std::string scanned = prescan ? html::strip_raw_text_bodies(utf8) : std::string();
    const std::string& markup = prescan ? scanned : utf8;
    html::ParsedHtml parsed(markup);
    html::FlatDom dom = html::flatten(parsed.root(), options.limits.max_dom_depth, options.limits.max_nodes);
    if (dom.too_many_nodes) {
      doc.status = Status::TooComplex;
      doc.error = "page has more than " + std::to_string(options.limits.max_nodes) + " DOM nodes";
      return;
    }
    html::PageFacts facts = html::extract_metadata(dom, source.url);
    meta = std::move(facts.meta);
    html::BlockBuild build = html::build_blocks(dom, rules, facts.script_srcs);
    select::select_main_content(dom, build, options);
    page.consent_platform = build.consent_platform;
    blocks = std::move(build.blocks);
    // Captions describe a photo, not the story; readers of the text do not see the photo.
    for (auto& wb : blocks)
      if (wb.b.kind == BlockKind::Caption) wb.remove(Family::Boilerplate, "boilerplate.caption");
    classify::classify_blocks(blocks, rules, page);
    html_headline(blocks, meta);
  } else {
    doc.input_kind = "text";
    blocks = text::split_text(utf8);
    page.text_input = true;
    classify::classify_blocks(blocks, rules, page);
    if (!source.url.empty()) meta.url = source.url;
  }
  detail::assign_languages(doc, blocks);
  if (!html) text_headline_and_date(blocks, meta, doc.language);
  assemble(doc, blocks, options);
}

}  // namespace detail

Document Cleaner::clean(std::string_view bytes, const SourceInfo& source) const {
  const Options& options = impl_->options;
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
  const input::Sniffed sniffed = input::sniff(bytes, &why);
  if (sniffed == input::Sniffed::Binary) return fail(Status::Binary, why);
  InputKind kind = source.kind != InputKind::Auto ? source.kind : options.input;
  if (kind == InputKind::Auto) kind = sniffed == input::Sniffed::Html ? InputKind::Html : InputKind::Text;
  const bool html = kind == InputKind::Html;
  input::Decoded decoded = input::decode(bytes, source.charset, html);
  doc.charset = decoded.charset;
  doc.invalid_bytes = decoded.invalid;
  detail::run_pipeline(doc, decoded.utf8, html, source, options, impl_->compiled, options.prescan);
  return doc;
}

}  // namespace scrubtext
