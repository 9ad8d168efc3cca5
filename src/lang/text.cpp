// Text scanning for language identification (see text.h).
#include "lang/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <array>
#include <cstring>
#include <memory>
#include <vector>

namespace scrubtext::lang::detail {
namespace {

enum Flag : std::uint8_t {
  kLetter = 1,      // letter or combining mark: part of a word
  kExpand = 2,      // `map` indexes the expansion pool (mapping to several code points)
  kNeedsNorm = 4,   // no normalisation boundary before it: the text needs full NFKC_CF
  kDigit = 8,       // a number (separator that is counted)
  kIgnore = 16,     // removed by NFKC_CF (soft hyphen, ZWJ, variation selectors): skipped
  kInherit = 32,    // letter of Common/Inherited script: takes the script of the word
  kPunct = 64,      // non-ASCII punctuation mark: reported as a kWordPunct feature
  kUpper = 128,     // upper- or title-case letter
};

struct Entry {
  std::uint16_t map;  // folded code point, or expansion index
  std::uint8_t script;
  std::uint8_t flags;
};

Script from_icu(UScriptCode sc) {
  switch (sc) {
    case USCRIPT_LATIN: return kLatin;
    case USCRIPT_CYRILLIC: return kCyrillic;
    case USCRIPT_GREEK: return kGreek;
    case USCRIPT_ARABIC: return kArabic;
    case USCRIPT_HEBREW: return kHebrew;
    case USCRIPT_HAN: return kHan;
    case USCRIPT_HIRAGANA: return kHiragana;
    case USCRIPT_KATAKANA: return kKatakana;
    case USCRIPT_KATAKANA_OR_HIRAGANA: return kKatakana;
    case USCRIPT_HANGUL: return kHangul;
    case USCRIPT_THAI: return kThai;
    case USCRIPT_DEVANAGARI: return kDevanagari;
    case USCRIPT_ARMENIAN: return kArmenian;
    case USCRIPT_GEORGIAN: return kGeorgian;
    case USCRIPT_BENGALI: return kBengali;
    case USCRIPT_GURMUKHI: return kGurmukhi;
    case USCRIPT_GUJARATI: return kGujarati;
    case USCRIPT_ORIYA: return kOriya;
    case USCRIPT_TAMIL: return kTamil;
    case USCRIPT_TELUGU: return kTelugu;
    case USCRIPT_KANNADA: return kKannada;
    case USCRIPT_MALAYALAM: return kMalayalam;
    case USCRIPT_SINHALA: return kSinhala;
    case USCRIPT_LAO: return kLao;
    case USCRIPT_TIBETAN: return kTibetan;
    case USCRIPT_MYANMAR: return kMyanmar;
    case USCRIPT_ETHIOPIC: return kEthiopic;
    case USCRIPT_KHMER: return kKhmer;
    case USCRIPT_THAANA: return kThaana;
    case USCRIPT_MONGOLIAN: return kMongolian;
    case USCRIPT_BOPOMOFO: return kBopomofo;
    case USCRIPT_SYRIAC: return kSyriac;
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED:
    case USCRIPT_INVALID_CODE: return kNoScript;
    default: return kOther;
  }
}

// Script of a letter: its Script property, or for Common/Inherited characters the first
// of their Script_Extensions that we know (U+30FC → Hiragana, U+0951 → Devanagari).
Script letter_script(UChar32 c) {
  UErrorCode st = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &st);
  if (U_FAILURE(st)) return kNoScript;
  if (sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED) return from_icu(sc);
  UScriptCode ext[16];
  st = U_ZERO_ERROR;
  int n = uscript_getScriptExtensions(c, ext, 16, &st);
  if (U_FAILURE(st)) return kNoScript;
  for (int i = 0; i < n; ++i) {
    Script s = from_icu(ext[i]);
    if (s != kNoScript) return s;
  }
  return kNoScript;
}

// Scripts whose text the detector decides by script alone: normalisation details do not
// change the answer, so their combining marks need not send the text to the slow path.
bool script_alone_decides(Script s) {
  switch (s) {
    case kLatin:
    case kCyrillic:
    case kArabic:
    case kHan:
    case kGreek:
    case kHiragana:
    case kKatakana:
    case kHangul:
    case kNoScript:
    case kOther: return false;
    default: return true;
  }
}

class CharTable {
 public:
  CharTable() {
    UErrorCode st = U_ZERO_ERROR;
    norm_ = icu::Normalizer2::getNFKCCasefoldInstance(st);
    if (U_FAILURE(st)) norm_ = nullptr;
    expansions_.push_back(0);  // index 0 unused
    for (UChar32 c = 0; c < 0x10000; ++c) table_[static_cast<std::size_t>(c)] = build(c);
  }

  const Entry& at(char32_t c) const { return table_[c]; }
  const char32_t* expansion(std::uint16_t idx, std::size_t& n) const {
    n = expansions_[idx];
    return expansions_.data() + idx + 1;
  }
  const icu::Normalizer2* normalizer() const { return norm_; }

  // Classifies a supplementary code point (no table): writes the folded code points.
  std::size_t supplementary(UChar32 c, char32_t* out, std::size_t cap, Entry& e) const {
    e = classify(c);
    if (!(e.flags & kLetter)) return 0;
    std::size_t n = 0;
    if (norm_) {
      UErrorCode st = U_ZERO_ERROR;
      icu::UnicodeString src(c);
      icu::UnicodeString dst;
      norm_->normalize(src, dst, st);
      if (U_SUCCESS(st)) {
        for (int32_t i = 0; i < dst.length() && n < cap;) {
          UChar32 d = dst.char32At(i);
          out[n++] = static_cast<char32_t>(d);
          i += U16_LENGTH(d);
        }
        return n;
      }
    }
    out[n++] = static_cast<char32_t>(u_foldCase(c, U_FOLD_CASE_DEFAULT));
    return n;
  }

 private:
  Entry classify(UChar32 c) const {
    Entry e{0, kNoScript, 0};
    std::int8_t type = u_charType(c);
    switch (type) {
      case U_UPPERCASE_LETTER:
      case U_LOWERCASE_LETTER:
      case U_TITLECASE_LETTER:
      case U_MODIFIER_LETTER:
      case U_OTHER_LETTER:
      case U_NON_SPACING_MARK:
      case U_ENCLOSING_MARK:
      case U_COMBINING_SPACING_MARK:
        e.flags |= kLetter;
        if (type == U_UPPERCASE_LETTER || type == U_TITLECASE_LETTER) e.flags |= kUpper;
        e.script = letter_script(c);
        if (e.script == kNoScript) e.flags |= kInherit;
        break;
      case U_DECIMAL_DIGIT_NUMBER:
      case U_LETTER_NUMBER:
      case U_OTHER_NUMBER: e.flags |= kDigit; break;
      case U_CONNECTOR_PUNCTUATION:
      case U_DASH_PUNCTUATION:
      case U_START_PUNCTUATION:
      case U_END_PUNCTUATION:
      case U_INITIAL_PUNCTUATION:
      case U_FINAL_PUNCTUATION:
      case U_OTHER_PUNCTUATION:
        if (c >= 0x80) e.flags |= kPunct;
        break;
      case U_FORMAT_CHAR:
        // ZWJ/ZWNJ and soft hyphen sit inside words.
        if (c == 0x200C || c == 0x200D || c == 0x00AD || c == 0x2060 || c == 0xFEFF) e.flags |= kIgnore;
        break;
      default: break;
    }
    return e;
  }

  Entry build(UChar32 c) {
    if (c >= 0xD800 && c <= 0xDFFF) return Entry{0, kNoScript, 0};
    Entry e = classify(c);
    if (c < 0x80) {
      e.map = static_cast<std::uint16_t>((c >= 'A' && c <= 'Z') ? c + 32 : c);
      return e;
    }
    e.map = static_cast<std::uint16_t>(c);
    if (!norm_) {
      if (e.flags & kLetter) e.map = static_cast<std::uint16_t>(u_foldCase(c, U_FOLD_CASE_DEFAULT) & 0xFFFF);
      return e;
    }
    if (!norm_->hasBoundaryBefore(c) && (e.flags & kLetter) && !script_alone_decides(static_cast<Script>(e.script)))
      e.flags |= kNeedsNorm;
    if (!(e.flags & kLetter)) return e;
    // An inert character normalises to itself (most Han ideographs): no need to ask.
    if (norm_->isInert(c)) return e;
    UErrorCode st = U_ZERO_ERROR;
    icu::UnicodeString src(c);
    icu::UnicodeString dst;
    norm_->normalize(src, dst, st);
    if (U_FAILURE(st)) return e;
    if (dst.length() == 0) {
      e.flags = kIgnore;
      return e;
    }
    std::vector<char32_t> cps;
    for (int32_t i = 0; i < dst.length();) {
      UChar32 d = dst.char32At(i);
      cps.push_back(static_cast<char32_t>(d));
      i += U16_LENGTH(d);
    }
    if (cps.size() == 1 && cps[0] < 0x10000) {
      e.map = static_cast<std::uint16_t>(cps[0]);
      return e;
    }
    if (expansions_.size() + cps.size() + 1 >= 0xFFFF) return e;  // cannot happen with Unicode 15
    e.flags |= kExpand;
    e.map = static_cast<std::uint16_t>(expansions_.size());
    expansions_.push_back(static_cast<char32_t>(cps.size()));
    expansions_.insert(expansions_.end(), cps.begin(), cps.end());
    return e;
  }

  const icu::Normalizer2* norm_ = nullptr;
  std::array<Entry, 0x10000> table_{};
  std::vector<char32_t> expansions_;
};

const CharTable& char_table() {
  static const std::unique_ptr<CharTable> t = std::make_unique<CharTable>();
  return *t;
}

// Whether some character of the text interacts with its neighbours under NFKC_CF.
bool needs_full_norm(std::string_view s, const CharTable& t) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto len = static_cast<std::int32_t>(s.size());
  std::int32_t i = 0;
  while (i < len) {
    // ASCII never needs it: skip eight bytes at a time.
    while (len - i >= 8) {
      std::uint64_t v;
      std::memcpy(&v, p + i, sizeof v);
      if (v & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= len) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c >= 0x80 && c < 0x10000 && (t.at(static_cast<char32_t>(c)).flags & kNeedsNorm)) return true;
  }
  return false;
}

class Scanner {
 public:
  Scanner(ScanCounts& counts, WordSink& sink) : counts_(counts), sink_(sink) {}

  void letter(const char32_t* cps, std::size_t n, Script script, bool inherit, bool upper) {
    if (inherit) {
      script = word_script_;
    } else if (len_ > 0 && script != word_script_) {
      if (word_script_ == kNoScript) {
        word_script_ = script;  // the word began with Common letters
      } else {
        flush();
      }
    }
    if (len_ == 0) word_script_ = script;
    counts_.letters++;
    counts_.by_script[script]++;
    if (upper) {
      ++upper_;
      if (lower_ > 0) camel_ = true;
    } else {
      ++lower_;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (len_ == kMaxWord) flush_keep_script();
      buf_[len_++] = cps[i];
    }
  }
  // A run of ASCII letters p[i..): the same as letter() for each, one at a time, with
  // the Latin script. Returns the index after the run.
  std::int32_t ascii_letters(const std::uint8_t* p, std::int32_t i, std::int32_t len) {
    if (len_ > 0 && word_script_ != kLatin) {
      if (word_script_ == kNoScript) word_script_ = kLatin;
      else flush();
    }
    if (len_ == 0) word_script_ = kLatin;
    const std::int32_t first = i;
    do {
      char32_t c = p[i];
      if (c < 'a') {
        ++upper_;
        if (lower_ > 0) camel_ = true;
      } else {
        ++lower_;
      }
      if (len_ == kMaxWord) flush_keep_script();
      buf_[len_++] = c | 0x20;
      ++i;
    } while (i < len && is_ascii_letter(p[i]));
    counts_.letters += static_cast<std::uint32_t>(i - first);
    counts_.by_script[kLatin] += static_cast<std::uint32_t>(i - first);
    return i;
  }
  static bool is_ascii_letter(std::uint8_t b) { return static_cast<std::uint8_t>((b | 0x20) - 'a') < 26; }

  void separator() { flush(); }
  void punct(char32_t c) {
    flush();
    sink_.word(&c, 1, kNoScript, kWordPunct);
  }
  void finish() { flush(); }

 private:
  void flush() {
    if (len_ > 0) {
      unsigned flags = 0;
      if (lower_ == 0 && upper_ >= 2) flags |= kWordUpper;
      if (camel_ || (lower_ > 0 && upper_ >= 2)) flags |= kWordCamel;
      sink_.word(buf_, len_, word_script_, flags);
    }
    len_ = 0;
    upper_ = lower_ = 0;
    camel_ = false;
    word_script_ = kNoScript;
  }
  void flush_keep_script() {
    Script s = word_script_;
    flush();
    word_script_ = s;
  }

  ScanCounts& counts_;
  WordSink& sink_;
  char32_t buf_[kMaxWord];
  std::size_t len_ = 0;
  std::uint32_t upper_ = 0, lower_ = 0;
  bool camel_ = false;
  Script word_script_ = kNoScript;
};

void scan_normalized(std::string_view s, const CharTable& t, ScanCounts& counts, WordSink& sink) {
  Scanner sc(counts, sink);
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto len = static_cast<std::int32_t>(s.size());
  std::int32_t i = 0;
  while (i < len) {
    std::uint8_t b = p[i];
    if (b < 0x80) {
      if (Scanner::is_ascii_letter(b)) {
        i = sc.ascii_letters(p, i, len);
      } else {
        ++i;
        if (b >= '0' && b <= '9') counts.digits++;
        sc.separator();
      }
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) {
      counts.invalid++;
      sc.separator();
      continue;
    }
    if (c < 0x10000) {
      const Entry& e = t.at(static_cast<char32_t>(c));
      if (e.flags & kLetter) {
        if (e.flags & kExpand) {
          std::size_t n = 0;
          const char32_t* x = t.expansion(e.map, n);
          sc.letter(x, n, static_cast<Script>(e.script), (e.flags & kInherit) != 0, (e.flags & kUpper) != 0);
        } else {
          char32_t m = e.map;
          sc.letter(&m, 1, static_cast<Script>(e.script), (e.flags & kInherit) != 0, (e.flags & kUpper) != 0);
        }
      } else if (e.flags & kPunct) {
        sc.punct(e.map);
      } else if (e.flags & kIgnore) {
        // inside words: skip
      } else {
        if (e.flags & kDigit) counts.digits++;
        sc.separator();
      }
    } else {
      Entry e;
      char32_t out[8];
      std::size_t n = t.supplementary(c, out, 8, e);
      if (n > 0) {
        sc.letter(out, n, static_cast<Script>(e.script), (e.flags & kInherit) != 0, (e.flags & kUpper) != 0);
      } else {
        if (e.flags & kDigit) counts.digits++;
        if (!(e.flags & kIgnore)) sc.separator();
      }
    }
  }
  sc.finish();
}

}  // namespace

const char* script_name(Script s) {
  static constexpr const char* names[kScriptCount] = {
      "Zyyy", "Latn", "Cyrl", "Grek", "Arab", "Hebr", "Hani", "Hira", "Kana", "Hang", "Thai",
      "Deva", "Armn", "Geor", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym",
      "Sinh", "Laoo", "Tibt", "Mymr", "Ethi", "Khmr", "Thaa", "Mong", "Bopo", "Syrc", "Zzzz"};
  return s < kScriptCount ? names[s] : "Zzzz";
}

void scan_text(std::string_view utf8, ScanCounts& counts, WordSink& sink) {
  const CharTable& t = char_table();
  if (t.normalizer() && needs_full_norm(utf8, t)) {
    thread_local std::string buf;
    buf.clear();
    UErrorCode st = U_ZERO_ERROR;
    icu::StringByteSink<std::string> bs(&buf, static_cast<int32_t>(utf8.size() + utf8.size() / 8 + 16));
    t.normalizer()->normalizeUTF8(0, icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())), bs,
                                  nullptr, st);
    if (U_SUCCESS(st)) {
      scan_normalized(buf, t, counts, sink);
      if (buf.capacity() > (1u << 20)) std::string().swap(buf);
      return;
    }
  }
  scan_normalized(utf8, t, counts, sink);
}

}  // namespace scrubtext::lang::detail
