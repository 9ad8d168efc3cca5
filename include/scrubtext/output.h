/// \file
/// Render a Document as text, Markdown or JSON.
///
/// \code
///   std::cout << scrubtext::render(doc, scrubtext::Format::Json);
/// \endcode
///
/// Pure functions of the Document: deterministic (same Document, same bytes), thread-safe,
/// no I/O.
#pragma once

#include <string>

#include "scrubtext/document.h"

namespace scrubtext {

/// Output formats.
enum class Format {
  Text,      ///< Headline, a blank line, then the body; paragraphs separated by one blank line.
  Markdown,  ///< "# Headline", then the body with headings (`##`…), lists (-), quotes (>) and code fences.
  Json,      ///< One JSON object (pretty, 2-space indent); fields documented in README.md.
  Jsonl,     ///< The same object on one line, ending with "\n".
};

/// Rendering choices.
struct RenderOptions {
  /// JSON: add "blocks" (every block in reading order with its kind, decision, rule,
  /// family and language). The "removed" list (every removed block with rule id, family
  /// and excerpt) is always there. Text/Markdown: unaffected (the CLI prints explanations
  /// to stderr). Default false.
  bool explain = false;
  /// Longest excerpt of a removed block in "removed", in characters (code points); longer
  /// text is cut and ends with "…". Default 160.
  std::size_t excerpt_chars = 160;
  /// Markdown: write hyperlinks inline as `[text](href)`. JSON: add "links", every link of
  /// the kept text as {"text", "href"} in reading order (and "links" per block with
  /// `explain`). Text: unaffected. Hrefs are as the page wrote them. Default false.
  bool links = false;
};

/// Renders `doc`. For a Document whose status is not Ok, Text and Markdown give "" and JSON
/// gives an object with "source", "status" and "error". A `format` outside the enum gives "".
/// Never throws except std::bad_alloc. Cost: linear in the size of the Document (its text
/// and, for JSON, its removed blocks).
std::string render(const Document& doc, Format format, const RenderOptions& options = RenderOptions{});

}  // namespace scrubtext
