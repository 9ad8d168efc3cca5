#include "rules/atoms.h"

#include <cstdint>
#include <cstring>

#include <re2/re2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "scrubtext/rules.h"

namespace scrubtext::detail {
namespace {
// Atoms shorter than this are too common to filter anything ("the", "and"); a pattern whose
// only atoms are shorter is tried again with kShortAtomBytes ("_ga", "(c)").
constexpr int kAtomBytes = 4;
constexpr int kShortAtomBytes = 3;
}  // namespace

void fold_utf8(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  for (int32_t i = 0; i < n;) {
    // Eight ASCII bytes at once: a lane at or above 'A' gets its high bit from the first
    // sum, one above 'Z' from the second (no lane carries: every byte is below 0x80).
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, sizeof w);
      if ((w & kHigh) == 0) {
        const std::uint64_t upper = (w + (0x80 - 'A') * kOnes) & ~(w + (0x80 - 'Z' - 1) * kOnes) & kHigh;
        w |= upper >> 2;  // 0x80 >> 2 is 0x20, the case bit
        char buf[8];
        std::memcpy(buf, &w, sizeof w);
        out.append(buf, 8);
        i += 8;
        continue;
      }
    }
    const uint8_t b = p[i];
    if (b < 0x80) {
      out += static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
      ++i;
      continue;
    }
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      out.append(s.data() + start, static_cast<std::size_t>(i - start));
      continue;
    }
    c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    char buf[4];
    int32_t len = 0;
    U8_APPEND_UNSAFE(reinterpret_cast<uint8_t*>(buf), len, c);
    out.append(buf, static_cast<std::size_t>(len));
  }
}

std::unique_ptr<re2::FilteredRE2> filter_for(const std::string& regex, int min_atom, std::vector<std::string>& atoms) {
  auto f = std::make_unique<re2::FilteredRE2>(min_atom);
  RE2::Options opts;
  opts.set_case_sensitive(true);  // each pattern carries its own (?i:) wrapper
  opts.set_log_errors(false);
  int id = 0;
  atoms.clear();
  if (f->Add(re2::StringPiece(regex), opts, &id) != RE2::NoError) {
    const RE2 probe(regex, opts);
    throw RuleError("invalid pattern '" + regex + "': " + probe.error());
  }
  f->Compile(&atoms);
  return f;
}

TextPatternAtoms analyze_text_pattern(const std::string& regex, std::unique_ptr<re2::FilteredRE2>* filter) {
  TextPatternAtoms a;
  std::vector<std::string> raw;
  // Whether the pattern can match with none of the filter's atoms present.
  auto without_atoms = [](const re2::FilteredRE2& f) {
    std::vector<int> potentials;
    f.AllPotentials({}, &potentials);
    return !potentials.empty();
  };
  a.min_atom = kAtomBytes;
  auto f = filter_for(regex, kAtomBytes, raw);
  a.always = without_atoms(*f);
  if (a.always) {
    a.min_atom = kShortAtomBytes;
    f = filter_for(regex, kShortAtomBytes, raw);
    a.always = without_atoms(*f);
  }
  a.atoms.resize(raw.size());
  for (std::size_t k = 0; k < raw.size() && !a.always; ++k) {
    fold_utf8(raw[k], a.atoms[k]);
    if (a.atoms[k].size() < static_cast<std::size_t>(kShortAtomBytes)) a.always = true;  // folding shortened it
  }
  if (a.always) {
    a.atoms.clear();
  } else {
    a.sufficient.assign(a.atoms.size(), 0);
    std::vector<int> one(1), potentials;
    for (std::size_t k = 0; k < a.atoms.size(); ++k) {
      one[0] = static_cast<int>(k);
      potentials.clear();
      f->AllPotentials(one, &potentials);
      a.sufficient[k] = !potentials.empty();
    }
  }
  if (filter) *filter = std::move(f);
  return a;
}

}  // namespace scrubtext::detail
