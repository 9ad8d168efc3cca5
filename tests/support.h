// Shared helpers for the test suites.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace test {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::filesystem::path source_dir() { return SCRUBTEXT_SOURCE_DIR; }

/// ../shared (the seeds and the benchmark); empty when this checkout has none beside it.
inline std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("SCRUBTEXT_SHARED_DIR")) return env;
  std::filesystem::path p = SCRUBTEXT_SHARED_DIR;
  std::error_code ec;
  return std::filesystem::is_directory(p, ec) ? p : std::filesystem::path();
}

/// Whitespace collapsed to single spaces, for "sentence appears in output" checks.
inline std::string squash_spaces(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace test
