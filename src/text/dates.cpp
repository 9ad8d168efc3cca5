#include "text/dates.h"

#include <cstdio>
#include <memory>
#include <vector>

#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/unistr.h>

#include "text/normalize.h"

namespace scrubtext::text {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

int num(std::string_view s, std::size_t at, std::size_t len) {
  int v = 0;
  for (std::size_t i = at; i < at + len; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

bool valid_ymd(int y, int m, int d) {
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d > kDays[m - 1]) return false;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
  return true;
}

std::string ymd(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// Locales tried for human-written dates when the page's language does not parse.
constexpr const char* kFallbackLocales[] = {"en", "fr", "de", "es", "it", "pt", "nl", "pl", "sv", "da",
                                            "nb", "fi", "cs", "ro", "hu", "tr", "ru", "uk", "el", "ja",
                                            "zh", "ko", "ar", "he", "ca", "hr", "sk", "sl", "bg", "id"};

// Date patterns people write, in ICU syntax (CLDR supplies month names per locale).
constexpr const char* kPatterns[] = {"d MMMM y", "MMMM d, y", "d. MMMM y", "d 'de' MMMM 'de' y", "MMMM d y",
                                     "d MMM y", "MMM d, y", "d. MMM y", "y年M月d日", "y. M. d.", "d MMMM, y",
                                     "EEEE d MMMM y", "EEEE, MMMM d, y", "EEEE, d. MMMM y", "EEEE, d MMMM y"};

struct LocaleFormats {
  std::string lang;
  std::vector<std::unique_ptr<icu::SimpleDateFormat>> formats;
};

const LocaleFormats& formats_for(const std::string& lang) {
  thread_local std::vector<std::unique_ptr<LocaleFormats>> cache;
  for (const auto& lf : cache)
    if (lf->lang == lang) return *lf;
  auto lf = std::make_unique<LocaleFormats>();
  lf->lang = lang;
  const icu::Locale locale(lang.c_str());
  for (const char* p : kPatterns) {
    UErrorCode status = U_ZERO_ERROR;
    auto f = std::make_unique<icu::SimpleDateFormat>(icu::UnicodeString::fromUTF8(p), locale, status);
    if (U_FAILURE(status)) continue;
    f->setLenient(false);
    f->setTimeZone(*icu::TimeZone::getGMT());
    lf->formats.push_back(std::move(f));
  }
  cache.push_back(std::move(lf));
  return *cache.back();
}

std::optional<std::string> try_locale(const icu::UnicodeString& text, const std::string& lang) {
  const LocaleFormats& lf = formats_for(lang);
  for (const auto& f : lf.formats) {
    icu::ParsePosition pos(0);
    const UDate d = f->parse(text, pos);
    if (pos.getIndex() != text.length() || pos.getErrorIndex() >= 0) continue;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Calendar> cal(icu::Calendar::createInstance(*icu::TimeZone::getGMT(), status));
    if (U_FAILURE(status)) continue;
    cal->setTime(d, status);
    const int y = cal->get(UCAL_YEAR, status);
    const int m = cal->get(UCAL_MONTH, status) + 1;
    const int day = cal->get(UCAL_DATE, status);
    if (U_SUCCESS(status) && valid_ymd(y, m, day)) return ymd(y, m, day);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_iso_date(std::string_view s) {
  s = trim(s);
  if (s.size() >= 10 && digit(s[0]) && digit(s[1]) && digit(s[2]) && digit(s[3]) && (s[4] == '-' || s[4] == '/') &&
      digit(s[5]) && digit(s[6]) && s[7] == s[4] && digit(s[8]) && digit(s[9]) && (s.size() == 10 || !digit(s[10]))) {
    const int y = num(s, 0, 4), m = num(s, 5, 2), d = num(s, 8, 2);
    if (valid_ymd(y, m, d)) return ymd(y, m, d);
    return std::nullopt;
  }
  if (s.size() >= 8 && (s.size() == 8 || s[8] == 'T')) {
    bool all = true;
    for (std::size_t i = 0; i < 8; ++i) all = all && digit(s[i]);
    if (all) {
      const int y = num(s, 0, 4), m = num(s, 4, 2), d = num(s, 6, 2);
      if (valid_ymd(y, m, d)) return ymd(y, m, d);
    }
  }
  return std::nullopt;
}

std::optional<std::string> parse_human_date(std::string_view s, std::string_view lang) {
  s = trim(s);
  while (!s.empty() && (s.back() == '.' || s.back() == ',')) s.remove_suffix(1);
  if (s.size() < 6 || s.size() > 60) return std::nullopt;
  int digits = 0;
  for (char c : s) digits += digit(c);
  if (digits < 3) return std::nullopt;  // every pattern above needs a year
  // Numeric day-first dates (24.05.2022, 24/05/2022) are read day-first, as most of the
  // world writes them; month-first readings only when the day-first one is impossible.
  {
    int parts[3] = {0, 0, 0};
    std::size_t lens[3] = {0, 0, 0};
    int k = 0;
    bool ok = true;
    for (char c : s) {
      if (digit(c)) {
        if (k > 2) { ok = false; break; }
        parts[k] = parts[k] * 10 + (c - '0');
        ++lens[k];
      } else if ((c == '.' || c == '/' || c == '-') && lens[k] > 0 && k < 2) {
        ++k;
      } else {
        ok = false;
        break;
      }
    }
    if (ok && k == 2 && lens[2] == 4 && lens[0] <= 2 && lens[1] <= 2) {
      if (valid_ymd(parts[2], parts[1], parts[0])) return ymd(parts[2], parts[1], parts[0]);
      if (valid_ymd(parts[2], parts[0], parts[1])) return ymd(parts[2], parts[0], parts[1]);
      return std::nullopt;
    }
  }
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  if (!lang.empty() && lang != "und") {
    if (auto r = try_locale(text, std::string(lang))) return r;
  }
  for (const char* l : kFallbackLocales) {
    if (l == lang) continue;
    if (auto r = try_locale(text, l)) return r;
  }
  return std::nullopt;
}

std::optional<std::string> parse_any_date(std::string_view s, std::string_view lang) {
  if (auto r = parse_iso_date(s)) return r;
  return parse_human_date(s, lang);
}

}  // namespace scrubtext::text
