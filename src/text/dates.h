// Dates as pages write them → ISO 8601 (YYYY-MM-DD).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace scrubtext::text {

/// Parses a machine-readable date ("2022-05-24", "2022-05-24T10:00:00+02:00",
/// "20220524", "2022/05/24") and returns "YYYY-MM-DD", or nullopt. Years outside
/// 1990–2100 and impossible days are rejected.
std::optional<std::string> parse_iso_date(std::string_view s);

/// Parses a date written for people ("24 Mai 2022", "May 24, 2022", "24 de mayo de 2022",
/// "2022年5月24日", "24.05.2022") with ICU date formats: first in the locale of `lang`
/// (an ISO 639-1 code, may be empty), then in a fixed list of common locales. The whole
/// of `s` (trimmed, a trailing period removed) must be the date. Returns "YYYY-MM-DD".
/// Thread-safe (formatters are cached per thread).
std::optional<std::string> parse_human_date(std::string_view s, std::string_view lang);

/// Either of the two.
std::optional<std::string> parse_any_date(std::string_view s, std::string_view lang);

}  // namespace scrubtext::text
