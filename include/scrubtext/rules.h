// scrubtext/rules.h: the knowledge scrubtext applies, as data.
//
//   scrubtext::RuleSet rules = scrubtext::RuleSet::builtin();   // the rules embedded at build time
//   rules.add_directory("my-rules/");                            // throws RuleError "file:line: reason"
//   scrubtext::Cleaner cleaner({}, rules);
//
// The file format is documented in rules/README.md. A RuleSet only parses and validates;
// the Cleaner compiles it into RE2 sets once. A RuleSet is a value: copy it, extend the
// copy, and build as many Cleaners from it as needed. Not thread-safe while being modified;
// const access is safe from any thread.
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
  using std::runtime_error::runtime_error;
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

  /// The rules embedded in the library at build time (every file under rules/).
  /// Cost: parses and validates ~1,000 patterns, a few milliseconds; call once and copy.
  static RuleSet builtin();

  /// Parses `text` as a rule file named `name` (used in error messages) and appends its
  /// rules. Throws RuleError on any malformed line, invalid RE2 pattern, or an id already
  /// present; the set is unchanged when it throws.
  void add_text(std::string_view name, std::string_view text);

  /// Reads and adds one rule file. Throws RuleError if it cannot be read or is malformed.
  void add_file(const std::string& path);

  /// Adds every *.rules file under `dir`, recursively, in sorted path order.
  /// Throws RuleError if `dir` is not a readable directory or any file is malformed.
  void add_directory(const std::string& dir);

  /// All rules, in load order.
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;
};

}  // namespace scrubtext
