// Batch cleaning: many inputs through an ordered parallel pipeline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/inputs.h"
#include "scrubtext/scrubtext.h"

namespace scrubtext::cli {

struct BatchOptions {
  Format format = Format::Text;
  RenderOptions render;
  std::string output;          ///< "" or "-": standard output; else a file, or a directory in mirror mode.
  bool output_is_dir = false;  ///< Mirror the input tree under `output`, one file per page.
  bool skip_existing = false;  ///< Mirror mode: leave inputs whose output file exists.
  std::size_t max_input_bytes = std::size_t{64} << 20;  ///< Read no more than one byte past this.
  std::string errors_file;     ///< One "path<TAB>reason" line per failed input.
  std::string url;             ///< --url, for single inputs.
  std::string charset;         ///< --charset.
  bool stdin_jsonl = false;    ///< Standard input is JSONL records {"html"|"text", "url", "id"}.
  unsigned threads = 1;
  int progress = -1;           ///< 1 force, 0 never, -1 when stderr is a terminal.
  bool quiet = false;          ///< No summary.
  bool explain_to_stderr = false;
  std::string report_path;      ///< --report FILE: the self-contained HTML report of the run.
  const RuleSet* rules = nullptr;  ///< The rules in force (for the report's rule explanations).
};

/// Exit codes of the command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInterrupted = 130;

/// SIGINT and SIGTERM stop a batch cleanly (see run_batch). Installed by main() before the
/// rules are compiled, so an early signal is not lost; safe to call more than once.
void install_signal_handlers();

/// Cleans every input in order with `options.threads` workers (reading, cleaning and
/// writing overlap; at most a few pages per worker are in memory at once). Output order is
/// the input order whatever the thread count. Returns the exit code.
int run_batch(const Cleaner& cleaner, const std::vector<InputRef>& inputs, const BatchOptions& options);

}  // namespace scrubtext::cli
