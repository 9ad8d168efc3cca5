#include "input/sniff.h"

#include <algorithm>
#include <cctype>
#include <array>
#include <cstring>

namespace scrubtext::input {
namespace {

struct Magic {
  std::string_view bytes;
  const char* name;
};

// File signatures of common non-text files found in crawls.
constexpr std::array<Magic, 17> kMagic{{
    {"%PDF-", "a PDF document"},
    {"\x89PNG\r\n\x1a\n", "a PNG image"},
    {"\xFF\xD8\xFF", "a JPEG image"},
    {"GIF87a", "a GIF image"},
    {"GIF89a", "a GIF image"},
    {"RIFF", "a RIFF file (WebP image, WAV or AVI)"},
    {"PK\x03\x04", "a ZIP archive (or an office document)"},
    {"\x7F" "ELF", "an ELF executable"},
    {"MZ", "a Windows executable"},
    {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "an OLE2 office document"},
    {"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
    {"BZh", "a bzip2 stream"},
    {"\xFD" "7zXZ", "an xz stream"},
    {"\x28\xB5\x2F\xFD", "a zstd stream"},
    {"wOFF", "a WOFF font"},
    {"wOF2", "a WOFF2 font"},
    {"OggS", "an Ogg media file"},
}};

bool has_utf16_or_32_bom(std::string_view b) {
  return b.starts_with("\xFF\xFE") || b.starts_with("\xFE\xFF") || b.starts_with(std::string_view("\x00\x00\xFE\xFF", 4));
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

Sniffed sniff(std::string_view bytes, std::string* reason) {
  const std::string_view head = bytes.substr(0, 8192);
  for (const auto& m : kMagic) {
    if (head.starts_with(m.bytes)) {
      if (m.bytes == "MZ" && head.size() < 64) continue;  // two letters alone are not a signature
      if (m.bytes == "BZh" && (head.size() < 4 || head[3] < '1' || head[3] > '9')) continue;
      if (reason) *reason = std::string("binary input: looks like ") + m.name;
      return Sniffed::Binary;
    }
  }
  const bool wide = has_utf16_or_32_bom(head);
  if (!wide) {
    std::size_t control = 0, nul = 0;
    for (unsigned char c : head) {
      if (c == 0) ++nul;
      else if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) ++control;
    }
    if (nul > 0 || control * 20 > head.size()) {
      if (reason)
        *reason = nul > 0 ? "binary input: contains NUL bytes" : "binary input: mostly control characters";
      return Sniffed::Binary;
    }
  }
  // Markup: a doctype or one of the elements every page has, near the start; or several tags.
  std::string low(head.size(), '\0');
  std::transform(head.begin(), head.end(), low.begin(), lower);
  if (wide) {  // drop the NULs of UTF-16/32 so the markers below can be found
    low.erase(std::remove(low.begin(), low.end(), '\0'), low.end());
  }
  static constexpr std::string_view kStrong[] = {"<!doctype html", "<html", "<head", "<body", "<meta ",
                                                 "<title>", "<article", "<?xml"};
  for (auto s : kStrong)
    if (low.find(s) != std::string::npos) return Sniffed::Html;
  static constexpr std::string_view kTags[] = {"<div", "<p>", "<p ", "<span", "<a href", "<br", "<table",
                                               "<li>", "<script", "<h1", "<h2", "</p>", "</div>"};
  int tags = 0;
  for (auto s : kTags) {
    std::size_t pos = 0;
    while ((pos = low.find(s, pos)) != std::string::npos && tags < 3) {
      ++tags;
      pos += s.size();
    }
  }
  if (tags >= 3) return Sniffed::Html;
  // A fragment ("<p>…</p>", "<div class=…>…"): starts with a tag and holds one known tag.
  const std::size_t first = low.find_first_not_of(" \t\r\n");
  const bool starts_with_tag = first != std::string::npos && first + 1 < low.size() && low[first] == '<' &&
                               (std::isalpha(static_cast<unsigned char>(low[first + 1])) != 0);
  return starts_with_tag && tags >= 1 ? Sniffed::Html : Sniffed::Text;
}

}  // namespace scrubtext::input
