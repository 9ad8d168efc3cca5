#include "text/dates.h"

#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>
#include <unicode/reldatefmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/uchar.h>
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
  char buf[48];
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
                                     "EEEE d MMMM y", "EEEE, MMMM d, y", "EEEE, d. MMMM y", "EEEE, d MMMM y",
                                     "y년 M월 d일", "d MMMM y 'г'.", "d 'de' MMMM 'del' y", "d LLLL y"};

constexpr bool patterns_without_colon() {
  for (const char* p : kPatterns)
    for (; *p; ++p)
      if (*p == ':') return false;
  return true;
}
// try_locale relies on it: a ':' in a text can only be read as part of a name.
static_assert(patterns_without_colon());

struct LocaleFormats {
  std::string lang;
  bool built = false;  // formats are made on first need: most locales are never parsed with
  std::vector<std::unique_ptr<icu::SimpleDateFormat>> formats;
  std::vector<bool> named;  // the pattern needs a month name (MMM, MMMM, LLLL)
  // The first three letters of every month name of the locale (wide and abbreviated, format
  // and stand-alone), case-folded: a named pattern can only parse a text holding one.
  std::vector<icu::UnicodeString> month_starts;
  // Some month or weekday name of the locale holds a ':' (Sanskrit's do, in CLDR 42).
  bool colon_in_names = false;
};

bool is_named(std::string_view pattern) {
  return pattern.find("MMM") != std::string_view::npos || pattern.find("LLL") != std::string_view::npos;
}

// The locale's date formats, made the first time they are needed (per thread, like the cache).
void build_formats(LocaleFormats& lf) {
  if (lf.built) return;
  lf.built = true;
  const icu::Locale locale(lf.lang.c_str());
  for (const char* p : kPatterns) {
    UErrorCode status = U_ZERO_ERROR;
    auto f = std::make_unique<icu::SimpleDateFormat>(icu::UnicodeString::fromUTF8(p), locale, status);
    if (U_FAILURE(status)) continue;
    f->setLenient(false);
    f->setTimeZone(*icu::TimeZone::getGMT());
    lf.formats.push_back(std::move(f));
    lf.named.push_back(is_named(p) && !lf.month_starts.empty());  // no month names known: try it always
  }
}

LocaleFormats& formats_for(const std::string& lang) {
  thread_local std::vector<std::unique_ptr<LocaleFormats>> cache;
  for (const auto& lf : cache)
    if (lf->lang == lang) return *lf;
  auto lf = std::make_unique<LocaleFormats>();
  lf->lang = lang;
  const icu::Locale locale(lang.c_str());
  UErrorCode status = U_ZERO_ERROR;
  const icu::DateFormatSymbols symbols(locale, status);
  if (U_SUCCESS(status)) {
    for (auto context : {icu::DateFormatSymbols::FORMAT, icu::DateFormatSymbols::STANDALONE})
      for (auto width : {icu::DateFormatSymbols::WIDE, icu::DateFormatSymbols::ABBREVIATED}) {
        int32_t count = 0;
        const icu::UnicodeString* months = symbols.getMonths(count, context, width);
        for (int32_t i = 0; i < count; ++i) {
          if (months[i].indexOf(u':') >= 0) lf->colon_in_names = true;
          icu::UnicodeString start(months[i], 0, 3);
          start.foldCase();
          if (start.length() > 0) lf->month_starts.push_back(start);
        }
        const icu::UnicodeString* days = symbols.getWeekdays(count, context, width);
        for (int32_t i = 0; i < count; ++i)
          if (days[i].indexOf(u':') >= 0) lf->colon_in_names = true;
      }
  } else {
    lf->colon_in_names = true;  // names unknown: assume the worst
  }
  cache.push_back(std::move(lf));
  return *cache.back();
}

bool word_char(UChar32 c) { return u_isalnum(c) != 0; }

// Parses a date at `start` in `text`. With `whole`, the date must reach the end of `text`;
// otherwise it must end at a word boundary.
bool holds_month(const LocaleFormats& lf, const icu::UnicodeString& folded) {
  for (const auto& m : lf.month_starts)
    if (folded.indexOf(m) >= 0) return true;
  return false;
}

// `folded` is `text` case-folded.
std::optional<std::string> try_locale(const icu::UnicodeString& text, const icu::UnicodeString& folded,
                                      const std::string& lang, int32_t start = 0, bool whole = true) {
  LocaleFormats& lf = formats_for(lang);
  // A time ("November 20, 2019 13:42", "Tue, 19 Nov 2019 06:13:48 -0600") or a label
  // ("Date: 19 May 2022") has a ':' that no pattern of this locale can read: none of
  // kPatterns has one, nor (in most locales) any month or weekday name. Said here, it
  // saves the ICU parses of every format (hundreds of microseconds for a text with a
  // month name).
  if (whole && !lf.colon_in_names && text.indexOf(u':') >= 0) return std::nullopt;
  const bool has_month = holds_month(lf, folded);
  // Without a month name only the numeric patterns can parse: they need 年, 년 or ". ".
  if (!has_month && !lf.month_starts.empty() && folded.indexOf(icu::UnicodeString(u"\u5E74")) < 0 &&
      folded.indexOf(icu::UnicodeString(u"\uB144")) < 0 && folded.indexOf(icu::UnicodeString(u". ")) < 0)
    return std::nullopt;
  build_formats(lf);
  for (std::size_t k = 0; k < lf.formats.size(); ++k) {
    if (lf.named[k] && !has_month) continue;
    const auto& f = lf.formats[k];
    icu::ParsePosition pos(start);
    const UDate d = f->parse(text, pos);
    if (pos.getErrorIndex() >= 0 || pos.getIndex() <= start) continue;
    if (whole && pos.getIndex() != text.length()) continue;
    if (!whole && pos.getIndex() < text.length() && word_char(text.char32At(pos.getIndex()))) continue;
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
        // A part longer than four digits is no date part: stop before it can overflow.
        if (k > 2 || lens[k] == 4) { ok = false; break; }
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
  icu::UnicodeString folded(text);
  folded.foldCase();
  if (!lang.empty() && lang != "und") {
    if (auto r = try_locale(text, folded, std::string(lang))) return r;
  }
  for (const char* l : kFallbackLocales) {
    if (l == lang) continue;
    if (auto r = try_locale(text, folded, l)) return r;
  }
  return std::nullopt;
}

std::optional<std::string> parse_any_date(std::string_view s, std::string_view lang) {
  if (auto r = parse_iso_date(s)) return r;
  return parse_human_date(s, lang);
}

std::optional<IsoDateTime> parse_iso_datetime(std::string_view s) {
  s = trim(s);
  auto date = parse_iso_date(s);
  if (!date) return std::nullopt;
  IsoDateTime out{*date, ""};
  // A time after the date: T or space, HH:MM[:SS[.fff]], then Z or ±HH[:]MM.
  if (s.size() < 16 || s[4] != '-' || (s[10] != 'T' && s[10] != ' ')) return out;
  std::string_view t = s.substr(11);
  if (t.size() < 5 || !digit(t[0]) || !digit(t[1]) || t[2] != ':' || !digit(t[3]) || !digit(t[4])) return out;
  const int hh = num(t, 0, 2), mm = num(t, 3, 2);
  int ss = 0;
  std::size_t i = 5;
  if (i + 2 < t.size() && t[i] == ':' && digit(t[i + 1]) && digit(t[i + 2])) {
    ss = num(t, i + 1, 2);
    i += 3;
  }
  if (hh > 23 || mm > 59 || ss > 60) return out;
  if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
    ++i;
    while (i < t.size() && digit(t[i])) ++i;
  }
  std::string zone;
  if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) {
    zone = "Z";
  } else if (i + 2 < t.size() && (t[i] == '+' || t[i] == '-') && digit(t[i + 1]) && digit(t[i + 2])) {
    const int zh = num(t, i + 1, 2);
    int zm = 0;
    std::size_t k = i + 3;
    if (k < t.size() && t[k] == ':') ++k;
    if (k + 1 < t.size() && digit(t[k]) && digit(t[k + 1])) zm = num(t, k, 2);
    if (zh <= 14 && zm <= 59) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%c%02d:%02d", t[i], zh, zm);
      zone = buf;
    }
  }
  if (hh == 0 && mm == 0 && ss == 0 && zone.empty()) return out;
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", hh, mm, ss);
  out.datetime = out.date + buf + zone;
  return out;
}

namespace {

// "d.m.yyyy", "d/m/yyyy", "yyyy-mm-dd" starting at `at` in `s` and ending at a boundary.
std::optional<std::string> numeric_date_at(std::string_view s, std::size_t at) {
  auto boundary = [&](std::size_t e) { return e >= s.size() || !digit(s[e]); };
  if (at + 10 <= s.size() && digit(s[at + 3]) && (s[at + 4] == '-' || s[at + 4] == '/' || s[at + 4] == '.')) {
    std::string_view v = s.substr(at, 10);
    if (v[4] == '.' && v[7] == '.') {
      std::string w(v);
      w[4] = w[7] = '-';
      if (boundary(at + 10)) return parse_iso_date(w);
    }
    if (boundary(at + 10)) return parse_iso_date(v);
  }
  int parts[3] = {0, 0, 0};
  std::size_t lens[3] = {0, 0, 0};
  std::size_t i = at;
  char sep = 0;
  for (int k = 0; k < 3; ++k) {
    while (i < s.size() && digit(s[i]) && lens[k] < 4) {
      parts[k] = parts[k] * 10 + (s[i] - '0');
      ++lens[k];
      ++i;
    }
    if (lens[k] == 0) return std::nullopt;
    if (k < 2) {
      if (i >= s.size() || (s[i] != '.' && s[i] != '/' && s[i] != '-')) return std::nullopt;
      if (sep && s[i] != sep) return std::nullopt;
      sep = s[i];
      ++i;
    }
  }
  if (!boundary(i) || lens[0] > 2 || lens[1] > 2 || lens[2] != 4) return std::nullopt;
  if (valid_ymd(parts[2], parts[1], parts[0])) return ymd(parts[2], parts[1], parts[0]);
  if (valid_ymd(parts[2], parts[0], parts[1])) return ymd(parts[2], parts[0], parts[1]);
  return std::nullopt;
}

bool has_year(std::string_view s) {
  for (std::size_t i = 0; i + 4 <= s.size(); ++i) {
    if ((i > 0 && digit(s[i - 1])) || !digit(s[i]) || !digit(s[i + 1]) || !digit(s[i + 2]) || !digit(s[i + 3])) continue;
    if (i + 4 < s.size() && digit(s[i + 4])) continue;
    const int y = num(s, i, 4);
    if (y >= 1990 && y <= 2100) return true;
  }
  return false;
}

constexpr std::size_t kFindMaxBytes = 160;
constexpr int kFindMaxStarts = 24;

}  // namespace

std::optional<std::string> find_date_in_text(std::string_view s, std::string_view lang) {
  s = trim(s);
  if (s.empty() || s.size() > kFindMaxBytes || !has_year(s)) return std::nullopt;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (digit(s[i]) && (i == 0 || !digit(s[i - 1])))
      if (auto r = numeric_date_at(s, i)) return r;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  std::vector<int32_t> starts;
  for (int32_t i = 0; i < text.length() && static_cast<int>(starts.size()) < kFindMaxStarts; i = text.moveIndex32(i, 1)) {
    const UChar32 c = text.char32At(i);
    if (!word_char(c)) continue;
    const UChar32 prev = i > 0 ? text.char32At(text.moveIndex32(i, -1)) : U_SENTINEL;
    const bool word_start = i == 0 || !word_char(prev);
    const bool digit_start = u_isdigit(c) && (i == 0 || !u_isdigit(prev));
    if (word_start || digit_start) starts.push_back(i);
  }
  std::vector<std::string> locales;
  if (!lang.empty() && lang != "und") {
    locales.emplace_back(lang);
    if (lang != "en") locales.emplace_back("en");
  } else {
    for (const char* l : kFallbackLocales) locales.emplace_back(l);
  }
  icu::UnicodeString folded(text);
  folded.foldCase();
  for (const auto& l : locales) {
    if (!holds_month(formats_for(l), folded) && l != "ja" && l != "zh" && l != "ko") continue;  // only named patterns left
    for (int32_t st : starts)
      if (auto r = try_locale(text, folded, l, st, false)) return r;
  }
  return std::nullopt;
}

namespace {

int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

struct RelativePhrases {
  std::string lang;
  std::vector<std::pair<icu::UnicodeString, int>> phrases;  // folded phrase → days back
};

const RelativePhrases& relative_phrases(const std::string& lang) {
  thread_local std::vector<std::unique_ptr<RelativePhrases>> cache;
  for (const auto& r : cache)
    if (r->lang == lang) return *r;
  auto r = std::make_unique<RelativePhrases>();
  r->lang = lang;
  for (const char* l : {lang.c_str(), "en"}) {
    UErrorCode status = U_ZERO_ERROR;
    icu::RelativeDateTimeFormatter fmt(icu::Locale(l), status);
    if (U_FAILURE(status)) continue;
    struct Unit {
      UDateRelativeUnit unit;
      int days_per;  // days per unit; 0 for units shorter than a day
    };
    for (const Unit u : {Unit{UDAT_RELATIVE_MINUTES, 0}, Unit{UDAT_RELATIVE_HOURS, 0}, Unit{UDAT_RELATIVE_DAYS, 1},
                         Unit{UDAT_RELATIVE_WEEKS, 7}}) {
      for (int n = 1; n <= 60; ++n) {
        icu::UnicodeString out;
        status = U_ZERO_ERROR;
        fmt.format(static_cast<double>(n), UDAT_DIRECTION_LAST, u.unit, out, status);
        if (U_SUCCESS(status)) r->phrases.emplace_back(out.foldCase(), u.days_per ? n * u.days_per : n / (u.unit == UDAT_RELATIVE_HOURS ? 24 : 1440));
      }
    }
    for (const auto& [dir, back] : {std::pair{UDAT_DIRECTION_LAST, 1}, std::pair{UDAT_DIRECTION_THIS, 0},
                                    std::pair{UDAT_DIRECTION_LAST_2, 2}}) {
      icu::UnicodeString out;
      status = U_ZERO_ERROR;
      fmt.format(dir, UDAT_ABSOLUTE_DAY, out, status);
      if (U_SUCCESS(status) && !out.isEmpty()) r->phrases.emplace_back(out.foldCase(), back);
    }
  }
  cache.push_back(std::move(r));
  return *cache.back();
}

}  // namespace

std::optional<std::string> parse_relative_date(std::string_view s, std::string_view lang, std::string_view reference) {
  s = trim(s);
  while (!s.empty() && (s.back() == '.' || s.back() == ',')) s.remove_suffix(1);
  auto ref = parse_iso_date(reference);
  if (!ref || s.empty() || s.size() > 60) return std::nullopt;
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  text.foldCase();
  const RelativePhrases& rp = relative_phrases(lang.empty() || lang == "und" ? std::string("en") : std::string(lang));
  for (const auto& [phrase, back] : rp.phrases)
    if (phrase == text) return add_days(*ref, -back);
  return std::nullopt;
}

std::optional<std::string> date_from_url(std::string_view url) {
  // The path: after "scheme://host", up to a query or fragment.
  std::size_t at = url.find("://");
  at = at == std::string_view::npos ? 0 : url.find('/', at + 3);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view path = url.substr(at);
  path = path.substr(0, std::min(path.find('?'), path.find('#')));
  std::vector<std::string_view> seg;
  std::size_t pos = 0;
  while (pos < path.size() && seg.size() < 32) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > pos) seg.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  auto all_digits = [](std::string_view v) {
    if (v.empty()) return false;
    for (char c : v)
      if (!digit(c)) return false;
    return true;
  };
  for (std::size_t i = 0; i < seg.size(); ++i) {
    const std::string_view v = seg[i];
    if (v.size() == 4 && all_digits(v) && i + 2 < seg.size() && all_digits(seg[i + 1]) && seg[i + 1].size() <= 2) {
      // /2022/05/24/ or /2022/05/24-slug
      std::string_view d = seg[i + 2];
      std::size_t dl = 0;
      while (dl < d.size() && dl < 3 && digit(d[dl])) ++dl;
      if (dl >= 1 && dl <= 2 && (dl == d.size() || d[dl] == '-' || d[dl] == '_' || d[dl] == '.')) {
        const int y = num(v, 0, 4), m = num(seg[i + 1], 0, seg[i + 1].size()), dd = num(d, 0, dl);
        if (valid_ymd(y, m, dd)) return ymd(y, m, dd);
      }
    }
    if (v.size() >= 10 && digit(v[0]) && v[4] == '-' && (v.size() == 10 || !digit(v[10])))
      if (auto r = parse_iso_date(v.substr(0, 10))) return r;
    if (v.size() >= 8 && all_digits(v.substr(0, 8)) && (v.size() == 8 || v[8] == '-' || v[8] == '_' || v[8] == '.'))
      if (auto r = parse_iso_date(v.substr(0, 8))) return r;
  }
  return std::nullopt;
}

std::string add_days(const std::string& date, int days) {
  auto d = parse_iso_date(date);
  if (!d) return date;
  int y = num(*d, 0, 4), m = num(*d, 5, 2), dd = num(*d, 8, 2);
  civil_from_days(days_from_civil(y, m, dd) + days, y, m, dd);
  return ymd(y, m, dd);
}

std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::string format_date(const std::string& iso, const std::string& pattern) {
  if (pattern.empty()) return iso;
  auto d = parse_iso_date(iso.substr(0, std::min<std::size_t>(iso.size(), 10)));
  if (!d) return iso;
  std::tm tm{};
  const int y = num(*d, 0, 4), m = num(*d, 5, 2), dd = num(*d, 8, 2);
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = dd;
  const int64_t days = days_from_civil(y, m, dd);
  tm.tm_wday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  tm.tm_yday = static_cast<int>(days - days_from_civil(y, 1, 1));
  std::string zone;
  if (iso.size() >= 19 && iso[10] == 'T') {
    tm.tm_hour = num(iso, 11, 2);
    tm.tm_min = num(iso, 14, 2);
    tm.tm_sec = num(iso, 17, 2);
    const std::string z = iso.substr(19);
    if (z == "Z") zone = "+0000";
    else if (z.size() == 6) zone = z.substr(0, 3) + z.substr(4, 2);
  }
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%' || i + 1 == pattern.size()) {
      out += pattern[i];
      continue;
    }
    const char c = pattern[++i];
    if (c == 'z') {
      out += zone;
    } else if (c == '%') {
      out += '%';
    } else if (std::string_view("YymdeHMSFTjaAbB").find(c) != std::string_view::npos) {
      char buf[64];
      const char spec[3] = {'%', c, 0};
      const std::size_t n = std::strftime(buf, sizeof buf, spec, &tm);
      out.append(buf, n);
    } else {
      out += '%';
      out += c;
    }
  }
  return out;
}

}  // namespace scrubtext::text
