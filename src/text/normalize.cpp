#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

namespace scrubtext::text {
namespace {

// Returns the byte length of a whitespace code point at s[i] (0 if none), and sets
// `drop` for code points that vanish instead of becoming a space.
std::size_t space_at(std::string_view s, std::size_t i, bool& drop) {
  drop = false;
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c < 0xC2) return 0;
  const auto c1 = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
  if (c == 0xC2) {
    if (c1 == 0xA0 || c1 == 0x85) return 2;  // NBSP, NEL
    if (c1 == 0xAD) { drop = true; return 2; }  // soft hyphen
    return 0;
  }
  if (c == 0xE2 && i + 2 < s.size()) {
    const auto c2 = static_cast<unsigned char>(s[i + 2]);
    if (c1 == 0x80) {
      if (c2 >= 0x80 && c2 <= 0x8A) return 3;                      // U+2000–U+200A
      if (c2 == 0x8B || c2 == 0x8C || c2 == 0x8D) { drop = true; return 3; }  // ZWSP, ZWNJ, ZWJ
      if (c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF) return 3;        // LS, PS, NNBSP
      return 0;
    }
    if (c1 == 0x81 && c2 == 0x9F) return 3;                        // U+205F
    if (c1 == 0x81 && c2 == 0xA0) { drop = true; return 3; }       // word joiner
    return 0;
  }
  if (c == 0xE3 && c1 == 0x80 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 2]) == 0x80) return 3;  // U+3000
  if (c == 0xEF && c1 == 0xBB && i + 2 < s.size() && static_cast<unsigned char>(s[i + 2]) == 0xBF) {
    drop = true;  // BOM / ZWNBSP inside text
    return 3;
  }
  return 0;
}

}  // namespace

void append_collapsed(std::string& out, std::string_view in, bool& pending_space) {
  std::size_t i = 0;
  const std::size_t n = in.size();
  std::size_t run = 0;  // start of the current run of ordinary bytes
  auto flush = [&](std::size_t end) {
    if (end > run) {
      if (pending_space && !out.empty() && out.back() != '\n' && out.back() != ' ') out += ' ';
      pending_space = false;
      out.append(in.data() + run, end - run);
    }
  };
  while (i < n) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c > ' ' && c < 0x80) {
      ++i;
      continue;
    }
    bool drop = false;
    const std::size_t len = space_at(in, i, drop);
    if (len == 0) {
      ++i;
      continue;
    }
    flush(i);
    if (!drop) pending_space = true;
    i += len;
    run = i;
  }
  flush(n);
}

std::string collapse_whitespace(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  bool pending = false;
  append_collapsed(out, in, pending);
  return out;
}

std::string to_nfc(std::string_view s) {
  bool ascii = true;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) { ascii = false; break; }
  if (ascii) return std::string(s);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(s);
  const icu::StringPiece piece(s.data(), static_cast<int32_t>(s.size()));
  if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(s);
  status = U_ZERO_ERROR;
  std::string out;
  out.reserve(s.size());
  icu::StringByteSink<std::string> sink(&out);
  nfc->normalizeUTF8(0, piece, sink, nullptr, status);
  if (U_FAILURE(status)) return std::string(s);
  return out;
}

std::size_t count_chars(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

}  // namespace scrubtext::text
