// Page metadata from <head>, JSON-LD, OpenGraph, microdata, the URL and the document itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "html/dom.h"
#include "scrubtext/document.h"

namespace scrubtext::detail {
class CompiledRules;
}

namespace scrubtext::html {

/// What the metadata pass finds beside the Metadata fields.
struct PageFacts {
  Metadata meta;
  std::string raw_title;              ///< <title> as written (collapsed), before removing the site name.
  std::vector<std::string> script_srcs;  ///< src of every <script>, for consent-platform detection.
  std::string first_h1;               ///< Text of the first <h1> in <body>.
};

/// What extract_metadata() needs besides the page.
struct MetadataInput {
  std::string fallback_url;  ///< Used when the page declares no canonical URL; its path may hold a date.
  std::string latest_date;   ///< YYYY-MM-DD: dates after it are not the page's (the crawl date, else tomorrow).
  const detail::CompiledRules* rules = nullptr;  ///< Byline and author-role rules; null: bylines are not read.
  bool enabled = true;       ///< False: only script srcs and the fallback URL are collected (Options::metadata).
};

/// One pass over the flat DOM, then ranking. Published and modified dates are taken from
/// the most reliable source that gives one: JSON-LD of the article, then meta names
/// (OpenGraph, Dublin Core, Parse.ly, Sailthru…), then microdata and `<time>` outside page
/// furniture, then the URL path; Metadata::date_source says which. JSON-LD that does not
/// parse is ignored. Linear in the DOM, plus the JSON-LD parse.
PageFacts extract_metadata(const FlatDom& dom, const MetadataInput& in);

/// True when extract_metadata() reads a <meta> whose key (its property, else name, else
/// itemprop, else http-equiv, the first not empty, lowercased) is `lowercase_key`; the
/// prescan drops the other meta elements of the head.
bool meta_key_read(std::string_view lowercase_key);

/// Removes a site-name suffix or prefix from a <title> ("Headline | Site" → "Headline").
/// When `site_name` is known, only that part is removed; otherwise the longest part wins.
std::string strip_site_name(const std::string& title, const std::string& site_name);

/// strip_site_name() that also recognises the host name ("Headline - Valley Times" on
/// valleytimes.example). `removed` receives the part taken off, or stays empty.
std::string strip_site_name(const std::string& title, const std::string& site_name, const std::string& host,
                            std::string* removed);

/// Author names from a byline or an author field: "By Ana Ruiz and Tom Berg, Staff Writers
/// – 24 May 2022" → {"Ana Ruiz", "Tom Berg"}. Drops the byline word (any `*.byline` rule of
/// `rules` tells that the text is a byline), dates, e-mail addresses, parts a
/// `*.author-role` line rule matches, and splits on commas, semicolons, "&" and the word
/// "and" of several languages. All-capital names are title-cased. Null `rules`: no role
/// or byline-word removal.
std::vector<std::string> split_author_names(std::string_view text, const detail::CompiledRules* rules);

/// Collapsed text content of the subtree at flat index `i` (for title, h1, <time>, bylines).
std::string subtree_text(const FlatDom& dom, std::uint32_t i);

}  // namespace scrubtext::html
