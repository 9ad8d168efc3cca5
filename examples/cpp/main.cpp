// clean_page: cleans the pages named on the command line, one thread per page, with one
// shared Cleaner, and prints each page's headline, language, removals and text.
//
//   clean_page [--rules DIR] PAGE...
//
// Exit status 0 when every page was cleaned, 1 when some page was refused, 2 on a usage
// error or a bad rule directory.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <scrubtext/scrubtext.h>

namespace {

struct Page {
  std::string path;
  std::string bytes;
  scrubtext::Document doc;
};

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = std::move(ss).str();
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (std::string_view(scrubtext::version()) != SCRUBTEXT_VERSION_STRING)
    std::cerr << "clean_page: built with scrubtext " << SCRUBTEXT_VERSION_STRING << ", running with "
              << scrubtext::version() << "\n";

  // The built-in rules, plus --rules directories. A bad rule file is a RuleError.
  scrubtext::RuleSet rules = scrubtext::RuleSet::builtin();
  std::vector<Page> pages;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rules" && i + 1 < argc) {
      try {
        rules.add_directory(argv[++i]);
      } catch (const scrubtext::RuleError& e) {
        std::cerr << "clean_page: " << e.what() << "\n";
        return 2;
      }
    } else {
      pages.push_back({arg, {}, {}});
    }
  }
  if (pages.empty()) {
    std::cerr << "usage: clean_page [--rules DIR] PAGE...\n";
    return 2;
  }
  for (Page& p : pages) {
    if (!read_file(p.path, p.bytes)) {
      std::cerr << "clean_page: " << p.path << ": cannot read\n";
      return 2;
    }
  }

  // Build once (compiles the rules), then clean from as many threads as there are pages.
  const scrubtext::Cleaner cleaner(scrubtext::Options{}, rules);
  {
    std::vector<std::jthread> workers;
    for (Page& p : pages)
      workers.emplace_back([&cleaner, &p] { p.doc = cleaner.clean(p.bytes, {.name = p.path}); });
  }

  int refused = 0;
  for (const Page& p : pages) {
    const scrubtext::Document& doc = p.doc;
    if (doc.status != scrubtext::Status::Ok) {
      std::cerr << "clean_page: " << p.path << ": " << scrubtext::status_name(doc.status) << ": " << doc.error << "\n";
      ++refused;
      continue;
    }
    std::size_t removed = 0;
    for (const scrubtext::Block& b : doc.blocks) removed += b.kept ? 0 : 1;
    std::cout << "source: " << doc.source << "\n"
              << "title: " << doc.metadata.title.value_or("") << "\n"
              << "date: " << doc.metadata.date_published.value_or("") << "\n"
              << "language: " << doc.language << "\n"
              << "removed blocks: " << removed << "\n\n"
              << doc.text << "\n";
  }
  return refused ? 1 : 0;
}
