/// \file
/// What a Cleaner does and how far it goes.
///
/// \code
///   scrubtext::Options opts;              // the defaults suit news and advocacy pages
///   opts.limits.max_input_bytes = 8 << 20;
///   scrubtext::Cleaner cleaner(opts, scrubtext::RuleSet::builtin());
/// \endcode
///
/// Every field has a default that is documented beside it. Options are plain values, not
/// validated (a zero limit is obeyed literally; see Cleaner::Cleaner()), and copied into the
/// Cleaner, so changing an Options object afterwards does not affect a built Cleaner.
#pragma once

#include <cstddef>
#include <string>

namespace scrubtext {

/// How to read the input bytes.
enum class InputKind {
  Auto,  ///< Decide from the content: markup → Html, otherwise Text (binary is refused).
  Html,  ///< An HTML page (any charset, optionally gzip-compressed).
  Text,  ///< Text somebody already extracted from a page (one element per line, or paragraphs).
};

/// Bounds that keep one hostile input from taking the machine. An input over a limit is
/// reported in Document::status (or, for max_dom_depth and max_output_bytes, handled as
/// described) and never aborts the process.
struct Limits {
  /// Largest input accepted, after gzip decompression (Status::TooLarge). A gzip stream is
  /// inflated only up to this size, so a compression bomb costs no more. Default 64 MiB.
  std::size_t max_input_bytes = std::size_t{64} << 20;
  /// Deepest element nesting kept; deeper elements are flattened into their ancestor at
  /// this depth (their text is kept, their tags are not). Enforced on the markup before
  /// parsing, as an estimate of the tree builder's stack, and again on the parsed tree.
  /// Values below 8 are raised to 8 (a page folded above its `<body>` has no text). The
  /// parser's cost per tag grows with the depth, so large values make hostile pages slow.
  /// Default 512, as in Blink.
  std::size_t max_dom_depth = 512;
  /// Most DOM nodes (elements, text, comments) built from one page; a page with more is
  /// refused (Status::TooComplex). Estimated from the markup before parsing, so such a
  /// page costs no parse, and checked again on the parsed tree. Bounds the memory of the
  /// parse: gumbo and the flat index take roughly 300 bytes per node. Default 2,000,000.
  std::size_t max_nodes = 2'000'000;
  /// Longest article text returned; longer text is cut at a block boundary (no block after
  /// the first that does not fit is kept, so a single block longer than this gives empty
  /// text) and Document::truncated is set. Default 16 MiB.
  std::size_t max_output_bytes = std::size_t{16} << 20;
};

/// Tuning of the stages. The defaults were calibrated on the development benchmark
/// (bench/quality.sh) and the hand-checked pages under testdata/; see the notes per field.
struct Options {
  /// How to interpret the input when the caller does not say. Default Auto.
  InputKind input = InputKind::Auto;
  /// Resource bounds, see Limits.
  Limits limits;
  /// Keep removed blocks (with their text) in Document::blocks so callers can explain
  /// decisions. Costs one copy of the removed text. Default true.
  bool keep_removed_blocks = true;
  /// Minimum characters for a block to count as a paragraph when scoring content
  /// candidates (shorter ones are captions, labels, bylines). Default 25, as in
  /// Readability; 20–40 scored within 0.002 F1 of each other on the benchmark.
  std::size_t min_paragraph_chars = 25;
  /// Before parsing, remove what extraction never reads (html/prescan): script, style,
  /// svg, template and comment bodies, attributes no stage looks at, and whitespace-only
  /// text beside block-level tags. Extraction output is identical either way
  /// (tests/test_prescan.cpp checks every step on every benchmark page); turning it off only
  /// makes parsing slower (about 4x). Default true.
  bool prescan = true;
  /// Extract metadata (title, authors, dates, site name, tags…) into Document::metadata.
  /// When false only the headline is still taken out of the text (as the first h1) and
  /// Document::metadata holds the caller's URL alone; for callers who want the text and
  /// nothing else (saves the metadata pass, a few percent of a clean). Default true.
  bool metadata = true;
  /// Record each block's hyperlinks (Block::links: the span of each link and its href).
  /// When false, Block::links stays empty and the prescan reduces the href of every <a> to
  /// the one thing extraction reads without them, whether the link leads anywhere (hrefs are
  /// a sixth of what is left to parse on the benchmark pages); the text and every other
  /// field are the same either way. The command sets it from --links. Default true.
  bool links = true;
  /// The date the page was fetched, YYYY-MM-DD. Dates after it are not the page's (a
  /// countdown, an event announced for later) and relative dates ("vor 3 Tagen", "2 hours
  /// ago") are counted back from it. Empty (default): dates after tomorrow (UTC) are
  /// rejected and relative dates are skipped. A value that is not a valid date counts as empty.
  std::string crawl_date;
  /// How Metadata::date_published and date_modified are written: a strftime-style pattern
  /// (%Y %m %d %H %M %S %z %F %T %b %B %a %A %e %j %y %%; time fields are 00 when the page
  /// gives only the day; names are English). Empty (default): ISO 8601 YYYY-MM-DD.
  /// Metadata::datetime_published and datetime_modified stay ISO 8601 either way.
  std::string date_format;
};

}  // namespace scrubtext
