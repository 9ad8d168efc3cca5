/// \file
/// What a clean produces.
///
/// \code
///   scrubtext::Document doc = cleaner.clean(bytes);
///   if (doc.status != scrubtext::Status::Ok) {
///     std::cerr << scrubtext::status_name(doc.status) << ": " << doc.error << "\n";
///   } else {
///     std::cout << doc.metadata.title.value_or("") << "\n\n" << doc.text << "\n";
///     for (const scrubtext::Block& b : doc.blocks)
///       if (!b.kept) std::cerr << "removed by " << b.rule_id << ": " << b.text << "\n";
///   }
/// \endcode
///
/// A Document is a plain value: it owns all its strings, can be copied, moved between
/// threads and read from several threads at once, and stays valid after the Cleaner that
/// made it is destroyed. Every string in it is UTF-8.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace scrubtext {

/// The outcome of one clean. Anything but Ok means the input was refused and the Document
/// holds no text; `Document::error` then says why in one sentence.
enum class Status {
  Ok,           ///< Text and metadata were extracted (the text may still be empty).
  Empty,        ///< The input had no bytes (or only whitespace).
  Binary,       ///< The input is not text: an image, a PDF, an executable…
  TooLarge,     ///< The input (after decompression) exceeds Limits::max_input_bytes.
  BadGzip,      ///< The input looks gzip-compressed but does not decompress (truncated, corrupt).
  TooComplex,   ///< The page exceeds Limits::max_nodes.
};

/// A short stable name for a status ("ok", "empty", "binary", "too-large", "bad-gzip",
/// "too-complex"), as printed in JSON and error messages. A value outside the enum gives
/// "unknown". O(1); the string has static storage.
const char* status_name(Status s);

/// What kind of unit of text a block is.
enum class BlockKind {
  Paragraph,  ///< A paragraph (or a line of a text dump).
  Heading,    ///< h1–h6; Block::level holds 1–6.
  ListItem,   ///< An item of a list.
  Quote,      ///< A blockquote.
  Preformatted,  ///< pre/code: whitespace kept as it was.
  TableCell,  ///< A row of a table, cells separated by " | ".
  Caption,    ///< figcaption or table caption.
};

/// A short stable name ("paragraph", "heading", "list-item", "quote", "pre", "table-row",
/// "caption"). A value outside the enum gives "paragraph". O(1); static storage.
const char* block_kind_name(BlockKind k);

/// Why a block was removed. The family groups rule ids for reports.
enum class Family {
  None,         ///< Kept.
  Consent,      ///< Cookie or privacy-preference dialog.
  Sprite,       ///< Icon-sprite names, asset ids, design-tool layer names.
  Notice,       ///< "This page is not available in your language" and kin.
  Chrome,       ///< Navigation and UI labels, repeated lines.
  Boilerplate,  ///< Page furniture found by structure: nav, footer, share bars, related links, comments.
  Selection,    ///< Outside the main content chosen for the page.
  Metadata,     ///< Moved into metadata instead of the text (a date line, the headline).
};

/// A short stable name ("consent", "sprite", "notice", "chrome", "boilerplate", "selection",
/// "metadata"); "" for None and for a value outside the enum. O(1); static storage.
const char* family_name(Family f);

/// A hyperlink inside a block's text (HTML input only).
struct Link {
  std::size_t begin = 0;  ///< Byte offset in Block::text where the link's text starts.
  std::size_t end = 0;    ///< Byte offset just past it (begin < end <= text.size()).
  std::string href;       ///< The `href` attribute as written in the page (not resolved).
};

/// One unit of the page's text, in reading order.
struct Block {
  BlockKind kind = BlockKind::Paragraph;  ///< What kind of unit of text this is.
  int level = 0;              ///< Heading level 1–6 for headings, list nesting depth for list items, else 0.
  std::string text;           ///< NFC UTF-8, whitespace collapsed (kept as-is for Preformatted).
  bool kept = true;           ///< True when the block is part of Document::text.
  Family family = Family::None;  ///< Why it was removed (None when kept).
  std::string rule_id;        ///< The rule or reason that removed it (e.g. "consent.fr.site-uses-cookies",
                              ///< "boilerplate.tag.nav", "select.outside-main"); empty when kept.
  std::string language;       ///< Language of the block ("und" when undetermined or not computed).
  double language_confidence = 0.0;  ///< Confidence of `language`, 0–1.
  std::vector<Link> links;      ///< Hyperlinks in `text`, in order, not overlapping (HTML input with Options::links;
                                ///< links without an href, or "#…" and "javascript:" ones, are left out).
  bool paragraph_break = true;  ///< Text input: false when the block continued the previous line
                                ///< without a blank line (used to keep hard-wrapped paragraphs together).
};

/// A language with its share of the page's characters.
struct LanguageShare {
  std::string code;    ///< ISO 639-1 code ("en"), or "und".
  double share = 0.0;  ///< Fraction of the page's letters in this language, 0–1.
};

/// What scrubtext found out about the page. Absent values are std::nullopt (null in JSON).
///
/// Each field is taken from the most reliable source that gives it. Dates: JSON-LD of the
/// article, then meta names (`article:published_time`, Dublin Core, Parse.ly, Sailthru…),
/// then microdata and `<time datetime>` outside page furniture, then the URL path
/// (/2022/05/24/), then a visible date line near the headline read with ICU in the page's
/// language; a date after Options::crawl_date (or after tomorrow, without one) never wins.
struct Metadata {
  std::optional<std::string> title;        ///< Headline: og:title, JSON-LD headline or `<title>` without the site
                                           ///< name (compared with og:site_name and the host name); the page's h1
                                           ///< when it is the same headline written without additions.
  std::optional<std::string> url;          ///< Canonical URL (`<link rel=canonical>`, og:url), else the caller's URL.
  std::optional<std::string> description;  ///< meta description / og:description / JSON-LD description.
  std::optional<std::string> site_name;    ///< og:site_name, JSON-LD publisher or WebSite name, application-name,
                                           ///< or the `<title>` part that names the host.
  std::vector<std::string> authors;        ///< Authors, in order: JSON-LD author (strings, objects, arrays, `@id`
                                           ///< references), meta author / article:author (not URLs), microdata and
                                           ///< rel=author, byline elements, then byline lines ("By …", "Par …", "Von …").
  std::optional<std::string> date_published;  ///< YYYY-MM-DD (or as Options::date_format writes it).
  std::optional<std::string> date_modified;   ///< YYYY-MM-DD (or as Options::date_format writes it).
  std::optional<std::string> datetime_published;  ///< ISO 8601 date-time as the page gives it
                                                  ///< ("2022-05-24T10:00:00+02:00"); nullopt when it gives no time.
  std::optional<std::string> datetime_modified;   ///< Same, for the modification.
  std::optional<std::string> date_source;  ///< Where date_published came from: "json-ld", "meta", "microdata",
                                           ///< "time", "url", "text" or "relative" (a relative date and the crawl date).
  std::optional<std::string> declared_language;  ///< `<html lang>`, Content-Language, og:locale (as declared).
  std::optional<std::string> image;        ///< og:image or JSON-LD image.
  std::vector<std::string> tags;           ///< article:tag, else JSON-LD keywords, else meta keywords / news_keywords.
  std::vector<std::string> categories;     ///< article:section and JSON-LD articleSection.
  std::optional<std::string> page_type;    ///< "article", "listing" or "homepage" when the page tells (og:type,
                                           ///< JSON-LD `@type`, a URL path of "/"); nullopt otherwise.
};

/// The result of Cleaner::clean().
struct Document {
  Status status = Status::Ok;       ///< Ok, or why the input was refused (then only `error` and `source` are set).
  std::string error;                ///< Reason when status != Ok, else empty.
  std::string source;               ///< The SourceInfo::name given to clean().
  std::string input_kind;           ///< "html" or "text": how the input was read.
  std::string charset;              ///< The charset the input was decoded from (e.g. "UTF-8", "windows-1252").
  std::size_t invalid_bytes = 0;    ///< Byte sequences that could not be decoded and became U+FFFD.
  std::string text;                 ///< The article body: kept blocks joined by blank lines (no headline).
  std::vector<Block> blocks;        ///< Every block in reading order, kept and (if Options::keep_removed_blocks) removed.
  Metadata metadata;                ///< Title, URL, authors, dates… found in the page.
  std::string language = "und";     ///< Content language: the character-weighted vote of the kept blocks.
  double language_confidence = 0.0; ///< 0–1.
  std::string chrome_language;      ///< Main language of the removed blocks when it differs from `language`, else empty.
  std::vector<LanguageShare> languages;  ///< Every language with ≥ 10 % of the page's letters, largest first.
  bool truncated = false;           ///< The text was cut at Limits::max_output_bytes.
};

}  // namespace scrubtext
