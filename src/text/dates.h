// Dates as pages write them → ISO 8601 (YYYY-MM-DD, and the date-time when a page gives one).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scrubtext::text {

/// Parses a machine-readable date ("2022-05-24", "2022-05-24T10:00:00+02:00",
/// "20220524", "2022/05/24") and returns "YYYY-MM-DD", or nullopt. Years outside
/// 1990–2100 and impossible days are rejected.
std::optional<std::string> parse_iso_date(std::string_view s);

/// A machine-readable date with its time when the value has one.
struct IsoDateTime {
  std::string date;      ///< YYYY-MM-DD.
  std::string datetime;  ///< YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM] as given, or empty when the value has no time.
};

/// parse_iso_date() that also keeps a time of day and its offset ("2022-05-24T10:00:00+02:00",
/// "2022-05-24 10:00", "2022-05-24T08:00:00.000Z"). A time of exactly midnight without an
/// offset is dropped (CMSs write it for "date only").
std::optional<IsoDateTime> parse_iso_datetime(std::string_view s);

/// Parses a date written for people ("24 Mai 2022", "May 24, 2022", "24 de mayo de 2022",
/// "2022年5月24日", "24.05.2022") with ICU date formats: first in the locale of `lang`
/// (an ISO 639-1 code, may be empty), then in a fixed list of common locales. The whole
/// of `s` (trimmed, a trailing period removed) must be the date. Returns "YYYY-MM-DD".
/// Thread-safe (formatters are cached per thread).
std::optional<std::string> parse_human_date(std::string_view s, std::string_view lang);

/// Either of the two.
std::optional<std::string> parse_any_date(std::string_view s, std::string_view lang);

/// The first date inside a short line ("Publié le 24 mai 2022 à 10h30", "Stand: 24.05.2022
/// 14:30 Uhr", "公開日：2022年5月24日"): tries every word start and every start of a digit
/// run (at most 24) with the numeric forms and the ICU formats of `lang`, then of the
/// fallback locales. The date must end at a word boundary. Lines over 160 bytes give nullopt.
std::optional<std::string> find_date_in_text(std::string_view s, std::string_view lang);

/// A relative date ("vor 3 Tagen", "2 hours ago", "il y a 5 jours", "yesterday") measured
/// back from `reference` (YYYY-MM-DD). The phrasings are ICU's (RelativeDateTimeFormatter)
/// in the locale of `lang` and English, for 0–60 minutes, hours, days and weeks. The whole
/// of `s` must be the phrase. Returns "YYYY-MM-DD".
std::optional<std::string> parse_relative_date(std::string_view s, std::string_view lang, std::string_view reference);

/// The date in a URL path: /2022/05/24/, /2022-05-24/, /20220524/ or /2022/5/24/ (a year,
/// month and day as path segments or one segment). A year and month alone give nullopt.
std::optional<std::string> date_from_url(std::string_view url);

/// `date` (YYYY-MM-DD) moved by `days`. An invalid date is returned unchanged.
std::string add_days(const std::string& date, int days);

/// Today's date in UTC, YYYY-MM-DD.
std::string today_utc();

/// Formats `iso` (a date or date-time from parse_iso_datetime) with a strftime-style
/// pattern: %Y %y %m %d %e %H %M %S %F %T %j %a %A %b %B (English names) %z (±hhmm, empty
/// when the offset is unknown) %%. Time fields are 00 when only the date is known. An empty
/// pattern returns `iso` unchanged.
std::string format_date(const std::string& iso, const std::string& pattern);

}  // namespace scrubtext::text
