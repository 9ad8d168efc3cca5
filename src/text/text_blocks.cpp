#include "text/text_blocks.h"

#include "text/normalize.h"

namespace scrubtext::text {
namespace {

// Hard-wrap detection: lines of a wrapped paragraph sit in this width band and most do
// not end a sentence (typical wraps are at 72–80 columns).
constexpr std::size_t kWrapMinChars = 40;
constexpr std::size_t kWrapMaxChars = 100;

bool ends_sentence(std::string_view s) {
  if (s.empty()) return true;
  const char c = s.back();
  return c == '.' || c == '!' || c == '?' || c == ':' || c == '"' || s.ends_with("\xE3\x80\x82") ||
         s.ends_with("\xE2\x80\x9D");
}

bool looks_hard_wrapped(const std::vector<std::string>& lines) {
  if (lines.size() < 3) return false;
  std::size_t wrapped = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const std::size_t c = count_chars(lines[i]);
    if (c >= kWrapMinChars && c <= kWrapMaxChars && !ends_sentence(lines[i])) ++wrapped;
  }
  return wrapped * 3 >= (lines.size() - 1) * 2;
}

std::uint32_t commas_in(std::string_view s) {
  std::uint32_t n = 0;
  for (char c : s) n += c == ',';
  return n;
}

}  // namespace

std::vector<detail::WorkBlock> split_text(std::string_view text) {
  std::vector<detail::WorkBlock> out;
  std::vector<std::string> group;
  auto emit = [&](std::string line, bool paragraph_break) {
    detail::WorkBlock wb;
    wb.b.text = to_nfc(line);
    wb.b.paragraph_break = paragraph_break;
    wb.chars = static_cast<std::uint32_t>(count_chars(wb.b.text));
    wb.commas = commas_in(wb.b.text);
    out.push_back(std::move(wb));
  };
  auto flush_group = [&]() {
    if (group.empty()) return;
    if (looks_hard_wrapped(group)) {
      std::string joined;
      for (const auto& l : group) {
        if (!joined.empty()) joined += ' ';
        joined += l;
      }
      emit(std::move(joined), true);
    } else {
      for (std::size_t i = 0; i < group.size(); ++i) emit(std::move(group[i]), i == 0);
    }
    group.clear();
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line = collapse_whitespace(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty()) flush_group();
    else group.push_back(std::move(line));
  }
  flush_group();
  return out;
}

}  // namespace scrubtext::text
