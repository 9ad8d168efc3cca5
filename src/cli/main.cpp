// scrubtext: command-line front end. Parses arguments, reads inputs, prints; the library
// does the work.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "scrubtext/scrubtext.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitSomeFailed = 1;
constexpr int kExitUsage = 2;

struct Args {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string output;
  std::string url;
  std::string input_kind = "auto";
  std::string charset;
  std::vector<std::string> rule_paths;
  bool no_builtin_rules = false;
  bool list_rules = false;
  bool explain = false;
  bool version = false;
};

// Writes everything or reports failure; a closed pipe ends the program quietly (exit 0),
// as `head` closing its input is not an error.
class Sink {
 public:
  explicit Sink(std::FILE* f) : f_(f) {}
  bool write(std::string_view s) {
    if (s.empty()) return true;
    if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) {
      if (errno == EPIPE) std::exit(kExitOk);
      return false;
    }
    return true;
  }
  bool flush() {
    if (std::fflush(f_) != 0) {
      if (errno == EPIPE) std::exit(kExitOk);
      return false;
    }
    return true;
  }

 private:
  std::FILE* f_;
};

bool read_all(std::istream& in, std::string& out) {
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return false;
  out = std::move(ss).str();
  return true;
}

// Reads a file; on failure returns false with a reason.
bool read_file(const std::string& path, std::string& out, std::string& why) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec) {
    why = ec.message();
    return false;
  }
  if (std::filesystem::is_directory(st)) {
    why = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return false;
  }
  if (!read_all(in, out)) {
    why = "read error";
    return false;
  }
  return true;
}

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

void print_explain(const scrubtext::Document& doc) {
  for (const auto& b : doc.blocks) {
    if (b.kept) continue;
    std::string ex = b.text.substr(0, 100);
    for (char& c : ex)
      if (c == '\n') c = ' ';
    std::fprintf(stderr, "%s: removed [%s %s] %s%s\n", doc.source.c_str(), scrubtext::family_name(b.family),
                 b.rule_id.c_str(), ex.c_str(), b.text.size() > 100 ? "..." : "");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  Args a;
  CLI::App app{
      "scrubtext: clean article text and metadata from scraped web pages (HTML or text dumps).\n\n"
      "Reads each FILE (or standard input when none or '-' is given), removes cookie-consent\n"
      "dialogs, icon-sprite junk, language notices, navigation and page furniture, and prints\n"
      "the article: the headline, a blank line, then the body.",
      "scrubtext"};
  app.footer(
      "Examples:\n"
      "  scrubtext page.html                         print the article text\n"
      "  curl -s URL | scrubtext --url URL           clean standard input\n"
      "  scrubtext --format json page.html.gz        metadata, text and what was removed\n"
      "  scrubtext --explain dump.txt                text on stdout, removals on stderr\n"
      "  scrubtext --rules my-rules/ page.html       add your own rule files\n"
      "  scrubtext --list-rules                      every rule in force\n\n"
      "Exit status: 0 when every input was cleaned, 1 when some input failed (each failure\n"
      "is reported on stderr with its path and reason), 2 on a usage error or bad rule file.");
  app.add_option("files", a.inputs, "Input files (HTML, text, optionally gzip-compressed); '-' is standard input");
  app.add_option("-f,--format", a.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "jsonl", "markdown", "md"}))
      ->capture_default_str();
  app.add_option("-o,--output", a.output, "Write to FILE instead of standard output (written atomically)");
  app.add_option("--url", a.url, "The page's URL, used when the page declares none");
  app.add_option("--input", a.input_kind, "How to read inputs")
      ->check(CLI::IsMember({"auto", "html", "text"}))
      ->capture_default_str();
  app.add_option("--charset", a.charset, "Charset declared outside the bytes (e.g. from an HTTP header)");
  app.add_option("--rules", a.rule_paths, "Add rule files: a .rules file or a directory of them (repeatable)");
  app.add_flag("--no-builtin-rules", a.no_builtin_rules, "Use only the rules given with --rules");
  app.add_flag("--list-rules", a.list_rules, "Print every rule in force (id, family, target, language, explanation) and exit");
  app.add_flag("--explain", a.explain,
               "Say why each block was removed: JSON gains a 'blocks' list; text formats print removals on stderr");
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
    Sink out(stdout);
    for (const auto& r : rules.rules()) {
      out.write(r.id + "\t" + r.family + "\t" + r.target + "\t" + r.lang + "\t" + r.explain + "\n");
    }
    out.flush();
    return kExitOk;
  }

  scrubtext::Options options;
  options.input = parse_kind(a.input_kind);
  std::unique_ptr<scrubtext::Cleaner> cleaner;
  try {
    cleaner = std::make_unique<scrubtext::Cleaner>(options, rules);
  } catch (const scrubtext::RuleError& e) {
    std::fprintf(stderr, "scrubtext: %s\n", e.what());
    return kExitUsage;
  }

  if (a.inputs.empty()) a.inputs.push_back("-");
  std::FILE* out_file = stdout;
  std::string tmp_path;
  if (!a.output.empty() && a.output != "-") {
    tmp_path = a.output + ".tmp-" + std::to_string(::getpid());
    out_file = std::fopen(tmp_path.c_str(), "wb");
    if (!out_file) {
      std::fprintf(stderr, "scrubtext: %s: cannot write: %s\n", a.output.c_str(), std::strerror(errno));
      return kExitUsage;
    }
  }
  Sink sink(out_file);
  const scrubtext::Format format = parse_format(a.format);
  scrubtext::RenderOptions ro;
  ro.explain = a.explain;
  int failures = 0;
  for (std::size_t k = 0; k < a.inputs.size(); ++k) {
    const std::string& path = a.inputs[k];
    std::string bytes, why;
    const bool is_stdin = path == "-";
    if (is_stdin ? !read_all(std::cin, bytes) : !read_file(path, bytes, why)) {
      std::fprintf(stderr, "scrubtext: %s: %s\n", is_stdin ? "<stdin>" : path.c_str(), why.empty() ? "read error" : why.c_str());
      ++failures;
      continue;
    }
    scrubtext::SourceInfo src;
    src.name = is_stdin ? "<stdin>" : path;
    src.url = a.url;
    src.charset = a.charset;
    const scrubtext::Document doc = cleaner->clean(bytes, src);
    if (doc.status != scrubtext::Status::Ok) {
      std::fprintf(stderr, "scrubtext: %s: %s\n", src.name.c_str(), doc.error.c_str());
      ++failures;
      if (format == scrubtext::Format::Json || format == scrubtext::Format::Jsonl) sink.write(scrubtext::render(doc, format, ro));
      continue;
    }
    if (a.explain && format != scrubtext::Format::Json && format != scrubtext::Format::Jsonl) print_explain(doc);
    if (k > 0 && (format == scrubtext::Format::Text || format == scrubtext::Format::Markdown)) sink.write("\f\n");
    if (!sink.write(scrubtext::render(doc, format, ro))) {
      std::fprintf(stderr, "scrubtext: write error: %s\n", std::strerror(errno));
      return kExitUsage;
    }
  }
  if (!sink.flush()) {
    std::fprintf(stderr, "scrubtext: write error: %s\n", std::strerror(errno));
    return kExitUsage;
  }
  if (!tmp_path.empty()) {
    if (std::fclose(out_file) != 0 || std::rename(tmp_path.c_str(), a.output.c_str()) != 0) {
      std::fprintf(stderr, "scrubtext: %s: cannot write: %s\n", a.output.c_str(), std::strerror(errno));
      std::remove(tmp_path.c_str());
      return kExitUsage;
    }
  }
  return failures ? kExitSomeFailed : kExitOk;
}
