/// \file
/// The knowledge scrubtext applies, as data.
///
/// \code
///   scrubtext::RuleSet rules = scrubtext::RuleSet::builtin();   // the rules embedded at build time
///   rules.add_directory("my-rules/");                            // throws RuleError "file:line: reason"
///   scrubtext::Cleaner cleaner({}, rules);
/// \endcode
///
/// The file format is documented in rules/README.md. A RuleSet only parses and validates;
/// the Cleaner compiles it into RE2 sets once. A RuleSet is a value: copy it, extend the
/// copy, and build as many Cleaners from it as needed. Not thread-safe while being modified;
/// const access is safe from any thread.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace scrubtext {

/// A rule file could not be read or is malformed. what() is "file:line: reason" (line 0
/// when the error concerns the whole file, such as an unreadable path).
class RuleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;  ///< Constructs with the message "file:line: reason".
};

/// One rule as loaded from a file.
struct Rule {
  std::string id;        ///< Unique id, e.g. "consent.fr.site-uses-cookies".
  std::string family;    ///< consent, sprite, notice, chrome, boilerplate, hint.
  std::string target;    ///< text, line, attr, script-src.
  std::string lang;      ///< BCP-47 code or "*".
  std::string pattern;   ///< RE2 syntax, as written.
  std::string explain;   ///< One sentence for --explain and --list-rules.
  double weight = 1.0;   ///< Evidence weight (consent) or score (hint). Default 1.
  bool case_sensitive = false;  ///< Default false.
  std::string origin;    ///< "file:line" where the rule starts.
};

/// An ordered collection of validated rules.
class RuleSet {
 public:
  /// No rules at all (the Cleaner then prunes by tag and structure only).
  RuleSet() = default;

  /// The rules embedded in the library at build time (every file under rules/); an
  /// installed library needs no data files. Never throws except std::bad_alloc. Cost: the
  /// first call in a process parses ~1,000 rules (tens of milliseconds); every call returns a
  /// copy of that cached set. Thread-safe.
  static RuleSet builtin();

  /// Parses `text` as a rule file named `name` (used in error messages) and appends its
  /// rules. Throws RuleError on any malformed line, invalid RE2 pattern, or an id already
  /// present; the set is unchanged when it throws. `text` should be UTF-8 (patterns are
  /// compiled as UTF-8; a pattern with invalid UTF-8 is rejected). Cost: linear in the text,
  /// plus one RE2 compile per pattern to validate it.
  void add_text(std::string_view name, std::string_view text);

  /// Reads and adds one rule file. Throws RuleError ("path:0: …") if it cannot be read or
  /// is a directory, or ("path:line: …") if it is malformed; the set is unchanged then.
  void add_file(const std::string& path);

  /// Adds every *.rules file under `dir`, recursively, in sorted path order (unreadable
  /// subdirectories are skipped). Throws RuleError if `dir` is not a readable directory or
  /// any file is malformed; the set is unchanged then (all or nothing). Cost: one copy of the
  /// set plus reading and parsing the files.
  void add_directory(const std::string& dir);

  /// All rules, in load order. O(1); the reference is invalidated by the next add.
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;
};

}  // namespace scrubtext
