/// \file
/// Turn a scraped page (HTML or text) into clean article text.
///
/// \code
///   #include <scrubtext/scrubtext.h>
///
///   const scrubtext::Cleaner cleaner;                        // default options, built-in rules
///   scrubtext::Document doc = cleaner.clean(page_bytes, {.name = "page.html",
///                                                        .url = "https://example.org/a"});
///   if (doc.status == scrubtext::Status::Ok) std::cout << doc.text;
/// \endcode
///
/// Threads: a Cleaner does not change once built (the patterns it compiles on first use are
/// built once, under std::call_once); call clean() from any number of threads at once on the
/// same object. Build one per process (or per rule configuration) and share it.
/// Cost: building compiles the rules' RE2 sets (about 50 ms for the built-in rules, spread
/// over up to 8 threads); a built-in text rule's own RE2 is compiled the first time a page
/// holds the literal strings it needs (its atoms, found at build time), so the first pages
/// cost a little more than later ones. clean() is linear in the input size (RE2 patterns,
/// iterative tree walks) and allocates about 3–5x the input.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "scrubtext/document.h"
#include "scrubtext/options.h"
#include "scrubtext/rules.h"

/// \namespace scrubtext
/// Everything public in the C++ API (`#include <scrubtext/scrubtext.h>`).
namespace scrubtext {

/// Where the bytes came from. Every field is optional (empty by default) and any value is
/// accepted: none of them can make clean() fail.
struct SourceInfo {
  std::string name;     ///< Shown in Document::source and error messages (a path, a WARC record id…), copied as is.
  std::string url;      ///< The page's address, when known; used when the page declares none. Not validated.
  std::string charset;  ///< Charset declared outside the bytes (HTTP Content-Type). Tried after a BOM,
                        ///< before `<meta charset>` and detection. Unknown names are ignored.
  InputKind kind = InputKind::Auto;  ///< Overrides Options::input unless Auto.
  std::string crawl_date;  ///< When the page was fetched (ISO 8601 date or date-time, e.g. a WARC-Date);
                           ///< overrides Options::crawl_date for this page. Empty: use that.
};

/// Extracts article text and metadata. See scrubtext/cleaner.h for an example, threading
/// and cost.
class Cleaner {
 public:
  /// Builds a cleaner from options and rules; both are copied, so they may be changed or
  /// destroyed afterwards. Throws RuleError if a rule fails to compile (cannot happen for a
  /// RuleSet that loaded without error) and std::bad_alloc. Options are not validated: a
  /// zero max_input_bytes refuses every input, a zero max_nodes every HTML page, and a zero
  /// max_output_bytes gives empty, truncated text. Cost: compiles the rules' RE2 sets (about
  /// 50 ms for the built-in rules, on up to 8 short-lived threads); rules that are not
  /// built in are also analysed for their atoms here, one RE2 compile each.
  explicit Cleaner(const Options& options = Options{}, const RuleSet& rules = RuleSet::builtin());
  /// Frees the compiled rules. No clean() on this object may be running. Documents it
  /// made stay valid.
  ~Cleaner();
  /// Moves the compiled rules; O(1). A moved-from Cleaner may only be destroyed or
  /// assigned to.
  Cleaner(Cleaner&&) noexcept;
  /// Moves the compiled rules; O(1). A moved-from Cleaner may only be destroyed or
  /// assigned to.
  Cleaner& operator=(Cleaner&&) noexcept;
  Cleaner(const Cleaner&) = delete;
  Cleaner& operator=(const Cleaner&) = delete;

  /// Cleans one input: any bytes, in any charset, HTML or text, optionally gzip-compressed
  /// (decompressed transparently). Never throws for bad input: binary, empty, oversized,
  /// corrupt-gzip or too-complex input gives a Document whose `status` and `error` say why.
  /// Invalid byte sequences are replaced by U+FFFD and counted in Document::invalid_bytes;
  /// hostile nesting is flattened at Limits::max_dom_depth. May throw std::bad_alloc.
  /// Thread-safe: any number of threads may call it at once on the same Cleaner. Cost:
  /// linear in `bytes.size()`, about 3–5x the input in temporary memory; `bytes` is not
  /// referenced after the call returns.
  Document clean(std::string_view bytes, const SourceInfo& source = SourceInfo{}) const;

  /// The options this cleaner was built with. O(1); the reference lives as long as the Cleaner.
  const Options& options() const;

  /// The rules in force, as loaded. O(1); the reference lives as long as the Cleaner.
  const RuleSet& rules() const;

 private:
  struct Impl;
  std::unique_ptr<const Impl> impl_;
};

}  // namespace scrubtext
