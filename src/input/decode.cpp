#include "input/decode.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <set>
#include <string_view>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace scrubtext::input {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

// Length of the valid UTF-8 sequence at s[i], or 0 if invalid (WHATWG / Unicode rules:
// no overlongs, no surrogates, max U+10FFFF).
[[gnu::always_inline]] inline std::size_t utf8_seq_len(std::string_view s, std::size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  const unsigned char c = p[i];
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t k) { return i + k < n && (p[i + k] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && p[i + 1] < 0xA0) return 0;
    if (c == 0xED && p[i + 1] > 0x9F) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && p[i + 1] < 0x90) return 0;
    if (c == 0xF4 && p[i + 1] > 0x8F) return 0;
    return 4;
  }
  return 0;
}

struct Utf8Check {
  bool valid = true;
  bool multibyte = false;
};

Utf8Check check_utf8(std::string_view s) {
  Utf8Check r;
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // Skip ASCII 8 bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    // Then character by character (ASCII ones too) while the text is not ASCII (Cyrillic,
    // Greek, CJK…), back to eight bytes at a time after an ASCII byte.
    for (;;) {
      const std::size_t len = utf8_seq_len(s, i);
      if (len == 0) {
        r.valid = false;
        return r;
      }
      r.multibyte = r.multibyte || len > 1;
      i += len;
      if (i >= n || len == 1) break;
    }
  }
  return r;
}

// Whether a (canonical, lower-case) label names one of the encodings of the WHATWG Encoding
// Standard, the only ones a browser decodes. Others (UTF-7, BOCU-1, SCSU, EBCDIC, CESU-8,
// UTF-32…) are never a web page's real encoding, and some of ICU's converters for them can
// take minutes on a few hostile bytes; they are treated as unknown labels.
bool web_encoding(const std::string& l) {
  static const std::set<std::string, std::less<>> kLabels = {
      "utf-8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8", "ibm866", "866", "cp866",
      "csibm866", "koi8-r", "koi8", "koi8_r", "koi", "cskoi8r", "koi8-u", "koi8-ru", "macintosh", "mac", "x-mac-roman",
      "csmacintosh", "x-mac-cyrillic", "x-mac-ukrainian", "windows-874", "dos-874", "gbk", "gb18030", "chinese",
      "csgb2312", "csiso58gb231280", "gb_2312", "gb_2312-80", "iso-ir-58", "big5", "big5-hkscs", "cn-big5",
      "csbig5", "x-x-big5", "euc-jp", "cseucpkdfmtjapanese", "x-euc-jp", "iso-2022-jp", "csiso2022jp",
      "shift_jis", "csshiftjis", "ms932", "ms_kanji", "windows-31j", "euc-kr", "cseuckr", "csksc56011987",
      "iso-ir-149", "korean", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949", "utf-16le", "utf-16be"};
  if (kLabels.count(l)) return true;
  for (std::string_view prefix : {"iso-8859-", "iso8859-", "iso_8859-", "windows-125", "cp125", "x-cp125"})
    if (l.starts_with(prefix)) return true;
  return false;
}

// WHATWG: some labels must be read as another encoding.
std::string canonical_label(std::string label) {
  label = to_lower(label);
  label.erase(std::remove_if(label.begin(), label.end(), [](char c) { return c == '"' || c == '\''; }),
              label.end());
  while (!label.empty() && (label.back() == ' ' || label.back() == ';')) label.pop_back();
  while (!label.empty() && label.front() == ' ') label.erase(label.begin());
  if (label == "iso-8859-1" || label == "latin1" || label == "us-ascii" || label == "ascii" ||
      label == "iso8859-1" || label == "l1" || label == "cp1252")
    return "windows-1252";
  if (label == "utf8") return "utf-8";
  if (label == "x-sjis" || label == "shift-jis" || label == "sjis") return "shift_jis";
  if (label == "gb2312" || label == "gbk" || label == "x-gbk") return "gb18030";
  if (label == "ks_c_5601-1987" || label == "euc_kr") return "euc-kr";
  if (label == "iso-8859-9") return "windows-1254";
  if (label == "tis-620" || label == "iso-8859-11") return "windows-874";
  return label;
}

bool single_byte_label(const std::string& l) {
  return l.starts_with("windows-12") || l.starts_with("iso-8859") || l.starts_with("koi8") ||
         l == "macintosh" || l == "windows-874" || l.starts_with("ibm") || l.starts_with("cp");
}

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

void count_invalid(const void* context, UConverterToUnicodeArgs* args, const char* codeUnits, int32_t length,
                   UConverterCallbackReason reason, UErrorCode* err) {
  if (reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR || reason == UCNV_UNASSIGNED)
    ++*static_cast<std::size_t*>(const_cast<void*>(context));
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, codeUnits, length, reason, err);
}

// Converts with ICU; returns false when the charset is unknown to ICU.
bool convert(std::string_view bytes, const std::string& charset, Decoded& out) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, ConverterCloser> cnv(ucnv_open(charset.c_str(), &status));
  if (U_FAILURE(status) || !cnv) return false;
  std::size_t invalid = 0;
  ucnv_setToUCallBack(cnv.get(), count_invalid, &invalid, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return false;
  icu::UnicodeString us(bytes.data(), static_cast<int32_t>(bytes.size()), cnv.get(), status);
  if (U_FAILURE(status)) return false;
  out.utf8.clear();
  us.toUTF8String(out.utf8);
  out.invalid = invalid;
  out.charset = charset;  // the label as the page or caller gave it (ICU's internal names are opaque)
  return true;
}

std::string detect(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  UCharsetDetector* det = ucsdet_open(&status);
  if (U_FAILURE(status)) return "";
  const std::string_view sample = bytes.substr(0, 64 * 1024);
  ucsdet_setText(det, sample.data(), static_cast<int32_t>(sample.size()), &status);
  ucsdet_enableInputFilter(det, true);  // ignore markup when guessing
  const UCharsetMatch* m = ucsdet_detect(det, &status);
  std::string name;
  if (U_SUCCESS(status) && m) {
    const char* n = ucsdet_getName(m, &status);
    if (U_SUCCESS(status) && n) name = n;
  }
  ucsdet_close(det);
  if (name == "ISO-8859-1") name = "windows-1252";  // the superset browsers use
  return name;
}

}  // namespace

std::size_t repair_utf8(std::string& s) {
  if (check_utf8(s).valid) return 0;
  std::string out;
  out.reserve(s.size() + 16);
  std::size_t bad = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t len = utf8_seq_len(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++bad;
      ++i;
      // A truncated multi-byte sequence counts once: skip its continuation bytes.
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    } else {
      out.append(s, i, len);
      i += len;
    }
  }
  s.swap(out);
  return bad;
}

std::string meta_charset(std::string_view bytes, std::size_t window) {
  const std::string low = to_lower(bytes.substr(0, window));
  std::size_t pos = 0;
  while ((pos = low.find("<meta", pos)) != std::string::npos) {
    const std::size_t end = low.find('>', pos);
    if (end == std::string::npos) break;
    const std::string_view tag(low.data() + pos, end - pos);
    const std::size_t cs = tag.find("charset");
    if (cs != std::string_view::npos) {
      std::size_t i = cs + 7;
      while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t' || tag[i] == '\n' || tag[i] == '\r')) ++i;
      if (i < tag.size() && tag[i] == '=') {
        ++i;
        while (i < tag.size() && (tag[i] == ' ' || tag[i] == '"' || tag[i] == '\'')) ++i;
        std::size_t j = i;
        while (j < tag.size() && tag[j] != '"' && tag[j] != '\'' && tag[j] != ';' && tag[j] != ' ' &&
               tag[j] != '/' && tag[j] != '>')
          ++j;
        if (j > i) return std::string(tag.substr(i, j - i));
      }
    }
    pos = end;
  }
  return "";
}

Decoded decode(std::string_view bytes, std::string_view declared, bool html) {
  Decoded out;
  // 1. Byte-order marks decide.
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    out.charset = "UTF-8";
    if (check_utf8(bytes.substr(3)).valid) {
      out.in_place = bytes.substr(3);
      return out;
    }
    out.utf8.assign(bytes.substr(3));
    out.invalid = repair_utf8(out.utf8);
    return out;
  }
  if (bytes.starts_with(std::string_view("\xFF\xFE\x00\x00", 4)) && convert(bytes, "UTF-32LE", out)) return out;
  if (bytes.starts_with(std::string_view("\x00\x00\xFE\xFF", 4)) && convert(bytes, "UTF-32BE", out)) return out;
  if (bytes.starts_with("\xFF\xFE") && convert(bytes.substr(2), "UTF-16LE", out)) return out;
  if (bytes.starts_with("\xFE\xFF") && convert(bytes.substr(2), "UTF-16BE", out)) return out;

  const Utf8Check utf8 = check_utf8(bytes);
  // 2. A declared charset, then the page's own <meta>.
  std::string label = declared.empty() ? std::string() : canonical_label(std::string(declared));
  if (label == "utf-16") label = "utf-16le";  // WHATWG: the label "utf-16" is UTF-16LE
  if (label.empty() && html) {
    label = canonical_label(meta_charset(bytes));
    // A page cannot say it is UTF-16 in a <meta> read as ASCII-compatible bytes (WHATWG);
    // only a BOM or a charset declared outside the bytes (HTTP) makes it UTF-16.
    if (label.starts_with("utf-16")) label = "utf-8";
  }
  if (!label.empty() && !web_encoding(label)) label.clear();
  if (!label.empty() && label != "utf-8") {
    const bool mislabelled = utf8.valid && utf8.multibyte && single_byte_label(label);
    if (!mislabelled && convert(bytes, label, out)) return out;
  }
  // 3. Valid UTF-8 (the label said so, or nothing said otherwise and the bytes agree).
  if (utf8.valid) {
    out.in_place = bytes;
    out.charset = "UTF-8";
    return out;
  }
  if (label == "utf-8") {
    out.utf8.assign(bytes);
    out.invalid = repair_utf8(out.utf8);
    out.charset = "UTF-8";
    return out;
  }
  // 4. Guess.
  const std::string guessed = detect(bytes);
  if (!guessed.empty() && guessed != "UTF-8" && web_encoding(to_lower(guessed)) && convert(bytes, guessed, out))
    return out;
  out.utf8.assign(bytes);
  out.invalid = repair_utf8(out.utf8);
  out.charset = "UTF-8";
  return out;
}

}  // namespace scrubtext::input
