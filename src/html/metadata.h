// Page metadata from <head>, JSON-LD, OpenGraph and the document itself.
#pragma once

#include <string>
#include <vector>

#include "html/dom.h"
#include "scrubtext/document.h"

namespace scrubtext::html {

/// What the metadata pass finds beside the Metadata fields.
struct PageFacts {
  Metadata meta;
  std::string raw_title;              ///< <title> as written (collapsed), before removing the site name.
  std::vector<std::string> script_srcs;  ///< src of every <script>, for consent-platform detection.
  std::string first_h1;               ///< Text of the first <h1> in <body>.
};

/// One pass over the flat DOM. `fallback_url` is used when the page declares no canonical
/// URL. Dates are normalised to YYYY-MM-DD; JSON-LD that does not parse is ignored.
PageFacts extract_metadata(const FlatDom& dom, const std::string& fallback_url);

/// Removes a site-name suffix or prefix from a <title> ("Headline | Site" → "Headline").
/// When `site_name` is known, only that part is removed; otherwise the longest part wins.
std::string strip_site_name(const std::string& title, const std::string& site_name);

/// Collapsed text content of the subtree at flat index `i` (for title, h1, <time>, bylines).
std::string subtree_text(const FlatDom& dom, std::uint32_t i);

}  // namespace scrubtext::html
