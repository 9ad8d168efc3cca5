// scrubtext/cleaner.h: turn a scraped page (HTML or text) into clean article text.
//
//   #include <scrubtext/scrubtext.h>
//
//   const scrubtext::Cleaner cleaner;                        // default options, built-in rules
//   scrubtext::Document doc = cleaner.clean(page_bytes, {.name = "page.html",
//                                                        .url = "https://example.org/a"});
//   if (doc.status == scrubtext::Status::Ok) std::cout << doc.text;
//
// Threads: a Cleaner is immutable once built; call clean() from any number of threads at
// once on the same object. Build one per process (or per rule configuration) and share it.
// Cost: building compiles every rule into RE2 sets (a few milliseconds); clean() is linear in
// the input size (RE2 patterns, iterative tree walks) and allocates about 3–5x the input.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "scrubtext/document.h"
#include "scrubtext/options.h"
#include "scrubtext/rules.h"

namespace scrubtext {

/// Where the bytes came from. Every field is optional.
struct SourceInfo {
  std::string name;     ///< Shown in Document::source and error messages (a path, a WARC record id…).
  std::string url;      ///< The page's address, when known; used when the page declares none.
  std::string charset;  ///< Charset declared outside the bytes (HTTP Content-Type). Tried after a BOM,
                        ///< before <meta charset> and detection. Unknown names are ignored.
  InputKind kind = InputKind::Auto;  ///< Overrides Options::input unless Auto.
};

/// Extracts article text and metadata. See the file comment for threading and cost.
class Cleaner {
 public:
  /// Builds a cleaner from options and rules. Throws RuleError if a rule fails to compile
  /// (cannot happen for a RuleSet that loaded without error).
  explicit Cleaner(const Options& options = Options{}, const RuleSet& rules = RuleSet::builtin());
  ~Cleaner();
  Cleaner(Cleaner&&) noexcept;
  Cleaner& operator=(Cleaner&&) noexcept;
  Cleaner(const Cleaner&) = delete;
  Cleaner& operator=(const Cleaner&) = delete;

  /// Cleans one input. Never throws for bad input: binary, empty, oversized or
  /// undecodable input gives a Document whose `status` and `error` say why. Invalid byte
  /// sequences are replaced by U+FFFD and counted in Document::invalid_bytes.
  /// Gzip-compressed input is decompressed transparently. May throw std::bad_alloc.
  Document clean(std::string_view bytes, const SourceInfo& source = SourceInfo{}) const;

  /// The options this cleaner was built with.
  const Options& options() const;

  /// The rules in force, as loaded.
  const RuleSet& rules() const;

 private:
  struct Impl;
  std::unique_ptr<const Impl> impl_;
};

}  // namespace scrubtext
