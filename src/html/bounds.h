// A byte-level pass before parsing that bounds what gumbo builds.
//
// gumbo follows the HTML tree-construction algorithm faithfully, including the parts that
// cost more than linear time on hostile markup: every start tag scans the stack of open
// elements (200,000 nested <div>s take minutes), every attribute is compared with the
// tag's earlier ones (50,000 attributes take seconds), unclosed formatting elements are
// cloned into every later block (20,000 paragraphs of <p><b id=N> make 200 million
// nodes). None of that can be stopped once
// gumbo runs, so it is bounded here, on the markup, before it runs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace scrubtext::html {

struct MarkupLimits {
  /// Tags that would nest deeper than this are removed (with their end tags), which folds
  /// their content into the ancestor at this depth, as FlatDom does after parsing.
  std::size_t max_depth = 512;
  /// Unclosed formatting elements (b, i, font…) kept open at once; further formatting start
  /// tags are removed. Only presentation is lost: extraction reads no formatting but <a>,
  /// which the tree builder never keeps open twice and which is never removed here. Pages
  /// rarely leave more than two or three open; each one open is cloned into every block.
  std::size_t max_open_formatting = 8;
  /// Attributes kept per tag; the rest of the tag's attributes are removed. Real elements
  /// carry a few dozen at most.
  std::size_t max_attributes = 64;
  /// The scan stops once the estimate exceeds this (the caller refuses the page).
  std::size_t max_nodes = 2'000'000;
};

struct MarkupBounds {
  std::string html;                ///< The bounded markup when `changed`; empty otherwise (use the input).
  bool changed = false;
  std::size_t estimated_nodes = 0; ///< Elements, text and comment nodes gumbo will build, estimated
                                   ///< from the tags (implied and cloned elements included).
  bool too_many_nodes = false;     ///< The estimate exceeded MarkupLimits::max_nodes (scan stopped).
  std::size_t removed_tags = 0;    ///< Start and end tags removed at the depth or formatting limits.
  std::size_t removed_attributes = 0;
};

/// Scans `html` with the tokenizer's rules (raw-text and RCDATA bodies, comments, quoted
/// attribute values, foreign content) and a model of the tree builder's stack of open
/// elements (implied end tags, scopes, adoption of <a>, formatting reconstruction), and
/// removes what would exceed `limits`. Markup within the limits is not copied (changed is
/// false). The model is an estimate: the real tree may be deeper by the elements the
/// model does not see (implied <tbody>, reconstructed clones), which FlatDom folds.
/// Linear in the input: one forward pass; stack searches stop at scope boundaries.
MarkupBounds bound_markup(std::string_view html, const MarkupLimits& limits);

}  // namespace scrubtext::html
