#include "cli/inputs.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>

namespace scrubtext::cli {

namespace fs = std::filesystem;

std::uint64_t stable_hash(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

bool parse_shard(const std::string& spec, std::uint64_t& index, std::uint64_t& count) {
  const std::size_t slash = spec.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= spec.size()) return false;
  try {
    std::size_t used = 0;
    index = std::stoull(spec.substr(0, slash), &used);
    if (used != slash) return false;
    const std::string n = spec.substr(slash + 1);
    count = std::stoull(n, &used);
    if (used != n.size()) return false;
  } catch (...) {
    return false;
  }
  return count > 0 && index < count;
}

namespace {

bool glob_match(const std::string& pattern, const std::string& rel) {
  const bool has_slash = pattern.find('/') != std::string::npos;
  const std::string subject = has_slash ? rel : fs::path(rel).filename().string();
  return fnmatch(pattern.c_str(), subject.c_str(), 0) == 0;
}

bool selected(const std::string& rel, const WalkOptions& o) {
  if (!o.include.empty() &&
      std::none_of(o.include.begin(), o.include.end(), [&](const std::string& g) { return glob_match(g, rel); }))
    return false;
  if (std::any_of(o.exclude.begin(), o.exclude.end(), [&](const std::string& g) { return glob_match(g, rel); }))
    return false;
  return o.shard_count <= 1 || stable_hash(rel) % o.shard_count == o.shard_index;
}

void walk(const fs::path& root, const std::string& prefix, const WalkOptions& o, std::vector<InputRef>& out,
          std::vector<std::string>& problems) {
  // Depth-first with sorted entries at every level: the order is the same on every machine.
  std::vector<std::pair<fs::path, std::string>> stack{{root, prefix}};
  while (!stack.empty()) {
    auto [dir, rel_dir] = stack.back();
    stack.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) {
      problems.push_back(dir.string() + ": " + ec.message());
      continue;
    }
    std::vector<fs::directory_entry> entries;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) {
        problems.push_back(dir.string() + ": " + ec.message());
        break;
      }
      entries.push_back(*it);
    }
    std::sort(entries.begin(), entries.end(),
              [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path().filename() < b.path().filename(); });
    std::vector<std::pair<fs::path, std::string>> subdirs;
    for (const auto& e : entries) {
      const std::string name = e.path().filename().string();
      const std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
      std::error_code ec2;
      const bool link = e.is_symlink(ec2);
      if (link && !o.follow_symlinks) continue;
      if (e.is_directory(ec2)) {
        subdirs.emplace_back(e.path(), rel);
      } else if (selected(rel, o) && !e.is_regular_file(ec2) && e.exists(ec2)) {
        // A FIFO, socket or device would block or never end: reported, never opened.
        problems.push_back(e.path().string() + ": not a regular file");
      } else if (selected(rel, o)) {
        out.push_back({e.path().string(), rel});  // unreadable files too: they are reported, not hidden
      }
    }
    for (auto it2 = subdirs.rbegin(); it2 != subdirs.rend(); ++it2) stack.push_back(*it2);
  }
}

}  // namespace

std::vector<InputRef> list_inputs(const std::vector<std::string>& operands, const WalkOptions& o,
                                  std::vector<std::string>& problems) {
  std::vector<InputRef> out;
  for (const auto& op : operands) {
    std::error_code ec;
    if (op != "-" && fs::is_directory(op, ec)) {
      // Plain byte order of the relative paths: the order a merge of shard outputs sorted by
      // path reproduces.
      const std::size_t first = out.size();
      walk(op, "", o, out, problems);
      std::sort(out.begin() + static_cast<long>(first), out.end(),
                [](const InputRef& a, const InputRef& b) { return a.rel < b.rel; });
      continue;
    }
    const std::string rel = op == "-" ? "-" : fs::path(op).filename().string();
    // Operands named explicitly are always taken (globs filter directory walks), but sharding applies.
    if (o.shard_count <= 1 || stable_hash(rel) % o.shard_count == o.shard_index) out.push_back({op, rel});
  }
  return out;
}

}  // namespace scrubtext::cli
