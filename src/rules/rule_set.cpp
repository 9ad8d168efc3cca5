// Parser and validator for rule files (format: rules/README.md).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <re2/re2.h>

#include "rules/embedded.h"
#include "rules/pattern.h"
#include "scrubtext/rules.h"

namespace scrubtext {
namespace {

constexpr std::string_view kFamilies[] = {"consent", "sprite", "notice", "chrome", "boilerplate", "hint"};
constexpr std::string_view kTargets[] = {"text", "line", "attr", "script-src"};

std::string_view trim(std::string_view s) {
  const auto not_space = [](char c) { return c != ' ' && c != '\t' && c != '\r'; };
  while (!s.empty() && !not_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && !not_space(s.back())) s.remove_suffix(1);
  return s;
}

// A '#' starts a comment at the beginning of a line or after whitespace, so patterns may
// hold '#' when it follows a non-space character (e.g. "C#").
std::string_view strip_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return line.substr(0, i);
  }
  return line;
}

bool valid_id(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

template <std::size_t N>
bool one_of(std::string_view v, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

struct Parser {
  std::string_view name;
  std::vector<Rule> out;
  Rule defaults;
  std::optional<Rule> current;
  std::size_t line_no = 0;
  bool validate_patterns = true;  // embedded rules are validated by the test suite at build time

  [[noreturn]] void fail(std::size_t line, const std::string& why) const {
    throw RuleError(std::string(name) + ":" + std::to_string(line) + ": " + why);
  }

  void set(Rule& r, std::string_view key, std::string_view value, bool header) {
    if (key == "family") {
      if (!one_of(value, kFamilies)) fail(line_no, "unknown family '" + std::string(value) + "'");
      r.family = value;
    } else if (key == "target") {
      if (!one_of(value, kTargets)) fail(line_no, "unknown target '" + std::string(value) + "'");
      r.target = value;
    } else if (key == "lang") {
      r.lang = value;
    } else if (key == "weight") {
      std::string v(value);
      char* end = nullptr;
      double w = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size()) fail(line_no, "weight is not a number: '" + v + "'");
      r.weight = w;
    } else if (key == "case") {
      if (value == "sensitive") r.case_sensitive = true;
      else if (value == "insensitive") r.case_sensitive = false;
      else fail(line_no, "case must be 'sensitive' or 'insensitive'");
    } else if (key == "pattern" && !header) {
      r.pattern = value;
    } else if (key == "explain") {
      r.explain = value;
    } else {
      fail(line_no, "unknown key '" + std::string(key) + "'" + (header ? " in the file header" : ""));
    }
  }

  void finish_rule() {
    if (!current) return;
    Rule& r = *current;
    const std::size_t at = static_cast<std::size_t>(std::stoul(r.origin.substr(r.origin.rfind(':') + 1)));
    if (r.family.empty()) fail(at, "rule " + r.id + " has no family");
    if (r.target.empty()) fail(at, "rule " + r.id + " has no target");
    if (r.pattern.empty()) fail(at, "rule " + r.id + " has no pattern");
    if (r.explain.empty()) fail(at, "rule " + r.id + " has no explain");
    if (r.target == "attr" && r.family != "consent" && r.family != "boilerplate" && r.family != "hint")
      fail(at, "rule " + r.id + ": target attr is for consent, boilerplate and hint rules");
    if (r.family == "hint" && r.target != "attr") fail(at, "rule " + r.id + ": hint rules need target attr");
    if (validate_patterns) {
      RE2 re(detail::wrap_pattern(r.pattern, r.case_sensitive, false), RE2::Quiet);
      if (!re.ok()) fail(at, "rule " + r.id + ": invalid pattern: " + re.error());
    }
    out.push_back(std::move(r));
    current.reset();
  }

  void parse(std::string_view text) {
    std::size_t pos = 0;
    while (pos <= text.size()) {
      std::size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view raw = text.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      std::string_view line = trim(strip_comment(raw));
      if (line.empty()) {
        if (nl == text.size()) break;
        continue;
      }
      if (line.front() == '[') {
        if (line.back() != ']') fail(line_no, "rule id must be written [id]");
        finish_rule();
        std::string_view id = trim(line.substr(1, line.size() - 2));
        if (!valid_id(id)) fail(line_no, "invalid rule id '" + std::string(id) + "' (use a-z 0-9 . - _)");
        current = defaults;
        current->id = id;
        current->origin = std::string(name) + ":" + std::to_string(line_no);
        continue;
      }
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) fail(line_no, "expected 'key: value' or '[id]'");
      std::string_view key = trim(line.substr(0, colon));
      std::string_view value = trim(line.substr(colon + 1));
      if (value.empty()) fail(line_no, "empty value for '" + std::string(key) + "'");
      if (current) set(*current, key, value, false);
      else set(defaults, key, value, true);
      if (nl == text.size()) break;
    }
    finish_rule();
  }
};

}  // namespace

namespace {
void add_rules(std::vector<Rule>& rules, std::string_view name, std::string_view text, bool validate) {
  Parser p;
  p.validate_patterns = validate;
  p.name = name;
  p.defaults.lang = "*";
  p.parse(text);
  std::set<std::string_view> ids;
  for (const Rule& r : rules) ids.insert(r.id);
  for (const Rule& r : p.out) {
    if (!ids.insert(r.id).second)
      throw RuleError(r.origin + ": duplicate rule id '" + r.id + "'");
  }
  rules.insert(rules.end(), std::make_move_iterator(p.out.begin()), std::make_move_iterator(p.out.end()));
}
}  // namespace

void RuleSet::add_text(std::string_view name, std::string_view text) { add_rules(rules_, name, text, true); }

void RuleSet::add_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw RuleError(path + ":0: is a directory, not a rule file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RuleError(path + ":0: cannot read file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw RuleError(path + ":0: read error");
  add_text(path, ss.str());
}

void RuleSet::add_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw RuleError(dir + ":0: not a readable directory");
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw RuleError(dir + ":0: " + ec.message());
  for (const auto& entry : it) {
    if (entry.is_regular_file(ec) && entry.path().extension() == ".rules") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  RuleSet copy = *this;
  for (const auto& f : files) copy.add_file(f);
  *this = std::move(copy);
}

RuleSet RuleSet::builtin() {
  static const RuleSet cached = [] {
    RuleSet set;
    for (const auto& f : detail::embedded_rule_files()) {
      if (f.path.size() > 6 && f.path.substr(f.path.size() - 6) == ".rules")
        add_rules(set.rules_, "rules/" + std::string(f.path), f.data, false);
    }
    return set;
  }();
  return cached;
}

}  // namespace scrubtext
