// The HTML run report (--report FILE): one self-contained file that shows, for every page,
// what was kept and what was removed by which rule, and for a batch the totals, charts of
// removals by family, rule and language, the slowest pages, the failures and a searchable,
// sortable page list.
//
//   ReportBuilder report(rules);
//   for each input, in input order:  report.add_page(doc, seconds)  or  report.add_failure(source, reason)
//   report.set_totals(wall_seconds);
//   if (!report.write(path, why)) complain(why);
//
// Memory stays bounded on any number of pages: add_page() keeps a one-line summary of the
// page in memory (~300 bytes) and spools the rest (metadata, languages, blocks with their text
// cut at 600 characters) to an anonymous temporary file that write() reads back. The file
// written stays within 45 MB (up to ~20,000 pages; past that the page list alone outgrows
// it): when every page's blocks would not fit, the pages with the most text are shown in less
// detail (shorter block text, runs of blocks removed by the same rule folded into one line,
// at the last resort a per-rule summary), and the report says so on each such page. Reports
// of more than 100 pages need JavaScript to show page sections (see report.cpp).
//
// Output is deterministic: the same pages give the same bytes, except the timing numbers,
// each of which is wrapped in <!--t-->…<!--/t--> (the slowest-pages table is wrapped whole).
// Not thread-safe: call from one thread (the batch writer stage).
#pragma once

#include <memory>
#include <string>

#include "scrubtext/document.h"
#include "scrubtext/rules.h"

namespace scrubtext::cli {

class ReportBuilder {
 public:
  /// `rules`: the rules in force, for the explanation of each rule id and the list of rules
  /// that never fired. Copies what it needs; `rules` may be destroyed afterwards.
  explicit ReportBuilder(const RuleSet& rules);
  ~ReportBuilder();
  ReportBuilder(const ReportBuilder&) = delete;
  ReportBuilder& operator=(const ReportBuilder&) = delete;

  /// One cleaned page (doc.status == Ok; other statuses are recorded as failures with
  /// doc.error), in input order. `seconds`: the time its clean took.
  void add_page(const Document& doc, double seconds);
  /// One input that could not be cleaned (unreadable, binary, empty…), in input order.
  void add_failure(const std::string& source, const std::string& reason);
  /// The run's wall-clock time, for the totals and pages/s. Call once, before write().
  void set_totals(double wall_seconds);

  /// Writes the report to `path` atomically (a temporary name in the same directory, then
  /// rename). Returns false and sets `why` (the reason, without the path: "No such file or
  /// directory", "cannot read the report's temporary file: …") when the file cannot be
  /// written or the spool could not be read back. May be called more than once.
  bool write(const std::string& path, std::string& why) const;

  /// Whether a report can be written at `path` (creates and removes its temporary file), so
  /// that a long run can refuse a bad --report path at the start. Sets `why` (the reason,
  /// without the path) when not.
  static bool can_write(const std::string& path, std::string& why);

  /// Pages and failures added so far.
  std::size_t pages() const;
  std::size_t failures() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace scrubtext::cli
