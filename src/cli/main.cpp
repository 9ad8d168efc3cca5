// scrubtext: command-line front end. Parses arguments, reads inputs, prints; the library
// does the work.
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "scrubtext/scrubtext.h"

#include "cli/batch.h"
#include "cli/inputs.h"
#include "cli/report.h"

namespace {

using scrubtext::cli::kExitOk;
using scrubtext::cli::kExitUsage;

struct Args {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string output;
  std::string url;
  std::string input_kind = "auto";
  std::string charset;
  std::vector<std::string> rule_paths;
  std::vector<std::string> include, exclude;
  std::string shard;
  std::string errors_file;
  unsigned jobs = 0;
  bool follow_symlinks = false;
  bool skip_existing = false;
  bool stdin_jsonl = false;
  bool progress = false, no_progress = false, quiet = false;
  bool no_builtin_rules = false;
  bool list_rules = false;
  bool explain = false;
  bool version = false;
  bool lang_only = false;
  bool lines = false;
  bool links = false;
  std::string report;
  std::string crawl_date;
  std::string date_format;
  bool no_metadata = false;
  scrubtext::Limits limits;
};

scrubtext::Format parse_format(const std::string& f) {
  if (f == "json") return scrubtext::Format::Json;
  if (f == "jsonl") return scrubtext::Format::Jsonl;
  if (f == "markdown" || f == "md") return scrubtext::Format::Markdown;
  return scrubtext::Format::Text;
}

scrubtext::InputKind parse_kind(const std::string& k) {
  if (k == "html") return scrubtext::InputKind::Html;
  if (k == "text") return scrubtext::InputKind::Text;
  return scrubtext::InputKind::Auto;
}

bool read_input(const std::string& path, std::string& out) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    out = std::move(ss).str();
    return !std::cin.bad();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = std::move(ss).str();
  return !in.bad();
}

// --lang-only --lines: one language code per input line, "und" for empty lines.
int label_lines(const std::vector<scrubtext::cli::InputRef>& inputs) {
  int failed = 0;
  std::string out;
  for (const auto& in : inputs) {
    std::string text;
    if (!read_input(in.path, text)) {
      std::fprintf(stderr, "scrubtext: %s: %s\n", in.path.c_str(), std::strerror(errno));
      ++failed;
      continue;
    }
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      out += scrubtext::identify_language(std::string_view(text).substr(pos, nl - pos), 1).front().code;
      out += '\n';
      pos = nl + 1;
      if (out.size() > (1u << 16)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return failed ? scrubtext::cli::kExitSomeFailed : kExitOk;
}

// --lang-only: the content language of each input (after junk removal), one line each.
int print_languages(const scrubtext::Cleaner& cleaner, const std::vector<scrubtext::cli::InputRef>& inputs,
                    const std::string& charset) {
  int failed = 0;
  for (const auto& in : inputs) {
    std::string bytes;
    if (!read_input(in.path, bytes)) {
      std::fprintf(stderr, "scrubtext: %s: %s\n", in.path.c_str(), std::strerror(errno));
      std::printf("und\n");
      ++failed;
      continue;
    }
    const scrubtext::Document doc = cleaner.clean(bytes, {.name = in.path, .url = "", .charset = charset});
    if (doc.status != scrubtext::Status::Ok) {
      std::fprintf(stderr, "scrubtext: %s: %s\n", in.path.c_str(), doc.error.c_str());
      ++failed;
    }
    std::printf("%s\n", doc.status == scrubtext::Status::Ok ? doc.language.c_str() : "und");
  }
  return failed ? scrubtext::cli::kExitSomeFailed : kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  scrubtext::cli::install_signal_handlers();
  Args a;
  CLI::App app{
      "scrubtext: clean article text and metadata from scraped web pages (HTML or text dumps).\n\n"
      "Reads each FILE, every file under each DIRECTORY, every page of each WARC file, or\n"
      "standard input when none or '-' is given; removes cookie-consent dialogs, icon-sprite\n"
      "junk, language notices, navigation and page furniture, and prints the article: the\n"
      "headline, a blank line, then the body.",
      "scrubtext"};
  app.footer(
      "Examples:\n"
      "  scrubtext page.html                         print the article text\n"
      "  curl -s URL | scrubtext --url URL           clean standard input\n"
      "  scrubtext --format json page.html.gz        metadata, text and what was removed\n"
      "  scrubtext --format markdown --links page.html  headings, lists, tables and links in Markdown\n"
      "  scrubtext --explain dump.txt                text on stdout, removals on stderr\n"
      "  scrubtext -j 8 -o clean/ crawl/             mirror a crawl tree, one file per page\n"
      "  scrubtext --format jsonl crawl.warc.gz      one JSON object per page of a WARC file\n"
      "  scrubtext --shard 3/16 --format jsonl -o part3.jsonl crawl/   one of 16 machines\n"
      "  scrubtext --rules my-rules/ page.html       add your own rule files\n"
      "  scrubtext --list-rules                      every rule in force\n\n"
      "Exit status: 0 when every input was cleaned, 1 when some input failed or was skipped as\n"
      "not a page (each is reported on stderr with its path and reason), 2 on a usage error,\n"
      "a bad rule file or an output that cannot be written, 130 when interrupted (SIGINT/SIGTERM:\n"
      "pages in flight are finished and written, the summary is printed).");
  app.add_option("inputs", a.inputs, "Files, directories (walked recursively), WARC files; '-' is standard input");
  app.add_option("-f,--format", a.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "jsonl", "markdown", "md"}))
      ->capture_default_str();
  app.add_option("-o,--output", a.output,
                 "Output file, or directory to mirror the inputs into (one file per page) when PATH is an existing "
                 "directory, ends with '/', or the inputs are several pages and the format is not jsonl. Written "
                 "atomically (temporary name, then rename)");
  app.add_option("--url", a.url, "The page's URL, used when the page declares none");
  app.add_option("--input", a.input_kind, "How to read inputs")
      ->check(CLI::IsMember({"auto", "html", "text"}))
      ->capture_default_str();
  app.add_option("--charset", a.charset, "Charset declared outside the bytes (e.g. from an HTTP header)");
  app.add_option("-j,--jobs", a.jobs, "Worker threads (default: all cores)");
  // One value per occurrence: "--include '*.html' crawl/" must leave crawl/ an input.
  app.add_option("--include", a.include, "Only files whose name (or relative path, if the glob has '/') matches (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--exclude", a.exclude, "Leave out files matching this glob (repeatable)")->allow_extra_args(false);
  app.add_flag("--follow-symlinks", a.follow_symlinks, "Follow symbolic links while walking directories");
  app.add_option("--shard", a.shard, "Process only shard K of N (0 <= K < N), a stable split by path hash");
  app.add_flag("--skip-existing", a.skip_existing, "Skip inputs whose output already exists (resume a killed run)");
  app.add_option("--errors", a.errors_file, "Write one line per failed input: path<TAB>reason");
  app.add_option("--report", a.report,
                 "Write a self-contained HTML report of the run: every page's blocks, kept and removed with the rule "
                 "that removed them, charts of removals by family and rule, languages, failures");
  app.add_flag("--stdin-jsonl", a.stdin_jsonl,
               "Standard input holds one JSON record per line: {\"html\" or \"text\", \"url\", \"id\"}");
  app.add_flag("--progress", a.progress, "Show a progress bar on stderr even when it is not a terminal");
  app.add_flag("--no-progress", a.no_progress, "Never show a progress bar");
  app.add_flag("-q,--quiet", a.quiet, "No progress bar and no summary");
  app.add_option("--rules", a.rule_paths, "Add rule files: a .rules file or a directory of them (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("--no-builtin-rules", a.no_builtin_rules, "Use only the rules given with --rules");
  app.add_flag("--list-rules", a.list_rules, "Print every rule in force (id, family, target, language, explanation) and exit");
  app.add_flag("--links", a.links,
               "Keep hyperlinks: inline [text](href) in Markdown, a 'links' list in JSON (hrefs as the page wrote them)");
  app.add_flag("--explain", a.explain,
               "Say why each block was removed: JSON gains a 'blocks' list; text formats print removals on stderr");
  const CLI::Validator not_negative(
      [](std::string& v) { return !v.empty() && v.front() == '-' ? std::string("must not be negative") : std::string(); },
      "NON-NEGATIVE");
  app.add_option("--max-input-size", a.limits.max_input_bytes,
                 "Refuse inputs larger than this after gzip decompression (bytes; K, M, G suffixes are powers of 1024)")
      ->check(not_negative)
      ->transform(CLI::AsSizeValue(false))
      ->default_str("64M");
  app.add_option("--max-depth", a.limits.max_dom_depth,
                 "Deepest element nesting kept; deeper elements are flattened into their ancestor (minimum 8)")
      ->check(not_negative)
      ->default_str("512");
  app.add_option("--max-nodes", a.limits.max_nodes, "Refuse pages with more DOM nodes than this (checked before parsing)")
      ->check(not_negative)
      ->default_str("2000000");
  app.add_option("--max-output-size", a.limits.max_output_bytes,
                 "Cut the article text at a block boundary beyond this size (bytes; K, M, G suffixes)")
      ->check(not_negative)
      ->transform(CLI::AsSizeValue(false))
      ->default_str("16M");
  app.add_option("--crawl-date", a.crawl_date,
                 "The date the pages were fetched (YYYY-MM-DD): later dates are not taken as the publication date, "
                 "and relative dates ('3 days ago') are counted back from it")
      ->check([](const std::string& v) {
        auto two = [&](std::size_t at, int lo, int hi) {
          if (!std::isdigit(static_cast<unsigned char>(v[at])) || !std::isdigit(static_cast<unsigned char>(v[at + 1])))
            return false;
          const int x = (v[at] - '0') * 10 + (v[at + 1] - '0');
          return x >= lo && x <= hi;
        };
        const bool ok = v.size() == 10 && v[4] == '-' && v[7] == '-' && two(0, 19, 21) && two(2, 0, 99) &&
                        two(5, 1, 12) && two(8, 1, 31);
        return ok ? std::string() : std::string("expected a date YYYY-MM-DD");
      });
  app.add_option("--date-format", a.date_format,
                 "Write 'date' and 'date_modified' with this strftime-style pattern (%Y %m %d %H %M %S %z %F %T %b %B "
                 "%a %A %e %j %y %%) instead of YYYY-MM-DD");
  app.add_flag("--no-metadata", a.no_metadata, "Skip metadata extraction (title, authors, dates…): text only");
  app.add_flag("--lang-only", a.lang_only,
               "Print only the content language of each input (ISO 639-1, 'und' when unknown), one line each");
  app.add_flag("--lines", a.lines, "With --lang-only: every line of the input is its own text and gets its own output line");
  app.add_flag("-V,--version", a.version, "Print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (a.version) {
    std::printf("scrubtext %s\n", SCRUBTEXT_VERSION_STRING);
    return kExitOk;
  }

  scrubtext::RuleSet rules;
  try {
    if (!a.no_builtin_rules) rules = scrubtext::RuleSet::builtin();
    for (const auto& p : a.rule_paths) {
      std::error_code ec;
      if (std::filesystem::is_directory(p, ec)) rules.add_directory(p);
      else rules.add_file(p);
    }
  } catch (const scrubtext::RuleError& e) {
    std::fprintf(stderr, "scrubtext: %s\n", e.what());
    return kExitUsage;
  }
  if (a.list_rules) {
    std::string out;
    for (const auto& r : rules.rules()) out += r.id + "\t" + r.family + "\t" + r.target + "\t" + r.lang + "\t" + r.explain + "\n";
    if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() && errno != EPIPE) return kExitUsage;
    return kExitOk;
  }

  scrubtext::cli::WalkOptions walk;
  walk.include = a.include;
  walk.exclude = a.exclude;
  walk.follow_symlinks = a.follow_symlinks;
  if (!a.shard.empty() && !scrubtext::cli::parse_shard(a.shard, walk.shard_index, walk.shard_count)) {
    std::fprintf(stderr, "scrubtext: --shard %s: expected K/N with 0 <= K < N\n", a.shard.c_str());
    return kExitUsage;
  }
  if (a.inputs.empty()) a.inputs.push_back("-");
  std::vector<std::string> problems;
  const auto inputs = scrubtext::cli::list_inputs(a.inputs, walk, problems);
  for (const auto& p : problems) std::fprintf(stderr, "scrubtext: %s\n", p.c_str());

  scrubtext::cli::BatchOptions bo;
  bo.format = parse_format(a.format);
  bo.render.explain = a.explain && (bo.format == scrubtext::Format::Json || bo.format == scrubtext::Format::Jsonl);
  bo.explain_to_stderr = a.explain && !bo.render.explain;
  bo.render.links = a.links;
  bo.max_input_bytes = a.limits.max_input_bytes;
  bo.output = a.output;
  bo.url = a.url;
  bo.charset = a.charset;
  bo.stdin_jsonl = a.stdin_jsonl;
  bo.skip_existing = a.skip_existing;
  bo.errors_file = a.errors_file;
  bo.threads = a.jobs ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
  bo.progress = a.quiet || a.no_progress ? 0 : a.progress ? 1 : -1;
  bo.quiet = a.quiet;
  bo.report_path = a.report;
  bo.rules = &rules;
  if (!a.output.empty() && a.output != "-") {
    std::error_code ec;
    bool several = inputs.size() > 1 || a.stdin_jsonl;
    for (const auto& op : a.inputs) several = several || std::filesystem::is_directory(op, ec);
    bo.output_is_dir = std::filesystem::is_directory(a.output, ec) || a.output.back() == '/' ||
                       (several && bo.format != scrubtext::Format::Jsonl);
    if (!bo.output_is_dir && a.skip_existing && std::filesystem::exists(a.output, ec)) {
      if (!a.quiet) std::fprintf(stderr, "scrubtext: %s exists; skipped (--skip-existing)\n", a.output.c_str());
      return kExitOk;
    }
  }

  if (!a.report.empty()) {
    std::string why;
    if (!scrubtext::cli::ReportBuilder::can_write(a.report, why)) {
      std::fprintf(stderr, "scrubtext: %s: cannot write the report: %s\n", a.report.c_str(), why.c_str());
      return kExitUsage;
    }
  }

  if (a.lines && !a.lang_only) {
    std::fprintf(stderr, "scrubtext: --lines needs --lang-only\n");
    return kExitUsage;
  }
  if (a.lang_only && a.lines) return label_lines(inputs);

  scrubtext::Options options;
  options.input = parse_kind(a.input_kind);
  options.limits = a.limits;
  options.crawl_date = a.crawl_date;
  options.date_format = a.date_format;
  options.metadata = !a.no_metadata;
  options.links = a.links;  // without --links nothing shows them: the prescan reduces hrefs
  std::unique_ptr<scrubtext::Cleaner> cleaner;
  try {
    cleaner = std::make_unique<scrubtext::Cleaner>(options, rules);
  } catch (const scrubtext::RuleError& e) {
    std::fprintf(stderr, "scrubtext: %s\n", e.what());
    return kExitUsage;
  }
  if (a.lang_only) return print_languages(*cleaner, inputs, a.charset);
  const int code = scrubtext::cli::run_batch(*cleaner, inputs, bo);
  if (code == kExitOk && !problems.empty()) return scrubtext::cli::kExitSomeFailed;
  return code;
}
