// Date parsing: machine formats and dates written for people, through ICU.
#include "support.h"
#include "text/dates.h"


using scrubtext::text::parse_any_date;
using scrubtext::text::parse_human_date;
using scrubtext::text::parse_iso_date;

TEST_CASE("ISO and compact forms") {
  CHECK(parse_iso_date("2022-05-24") == "2022-05-24");
  CHECK(parse_iso_date("2019-11-18T16:07:00-05:00") == "2019-11-18");
  CHECK(parse_iso_date("2022/05/24") == "2022-05-24");
  CHECK(parse_iso_date("20220524") == "2022-05-24");
  CHECK_FALSE(parse_iso_date("2022-02-30"));
  CHECK_FALSE(parse_iso_date("1850-01-01"));
  CHECK_FALSE(parse_iso_date("not a date"));
}

TEST_CASE("dates written for people, in many languages") {
  CHECK(parse_human_date("24 Mai 2022", "fr") == "2022-05-24");
  CHECK(parse_human_date("24 Mai 2022", "") == "2022-05-24");
  CHECK(parse_human_date("May 24, 2022", "en") == "2022-05-24");
  CHECK(parse_human_date("24 de mayo de 2022", "es") == "2022-05-24");
  CHECK(parse_human_date("24. Mai 2022", "de") == "2022-05-24");
  CHECK(parse_human_date("2022年5月24日", "ja") == "2022-05-24");
  CHECK(parse_human_date("24.05.2022", "") == "2022-05-24");
  CHECK(parse_human_date("24 maggio 2022", "") == "2022-05-24");
  CHECK_FALSE(parse_human_date("Chronologie", "fr"));
  CHECK_FALSE(parse_human_date("24 Mai", "fr"));  // no year: not a publication date
  CHECK(parse_any_date("2020-01-02T00:00:00Z", "") == "2020-01-02");
}

TEST_CASE("long digit runs are no date and never overflow (fuzz_clean_html finding)") {
  // Each part was read into an int digit by digit: ten digits overflowed it (UBSan).
  CHECK_FALSE(parse_human_date("9000000000.05.2022", "en").has_value());
  CHECK_FALSE(parse_human_date("24.9000000000000.2022", "de").has_value());
  CHECK_FALSE(parse_human_date("24.05.20229999999999", "fr").has_value());
  CHECK(parse_human_date("24.05.2022", "de") == "2022-05-24");
}

TEST_CASE("date-times keep the time and offset the page gives") {
  using scrubtext::text::parse_iso_datetime;
  auto d = parse_iso_datetime("2022-05-24T10:00:00+02:00");
  REQUIRE(d);
  CHECK(d->date == "2022-05-24");
  CHECK(d->datetime == "2022-05-24T10:00:00+02:00");
  CHECK(parse_iso_datetime("2023-04-21 10:15:00")->datetime == "2023-04-21T10:15:00");
  CHECK(parse_iso_datetime("2023-04-21T08:00:00.000Z")->datetime == "2023-04-21T08:00:00Z");
  CHECK(parse_iso_datetime("2023-04-21T00:00:00")->datetime.empty());  // midnight without offset: a date
  CHECK(parse_iso_datetime("2023-04-21")->datetime.empty());
}

TEST_CASE("a date inside a labelled line, in the page's language") {
  using scrubtext::text::find_date_in_text;
  CHECK(find_date_in_text("Publié le 3 octobre 2023 à 18h42", "fr") == "2023-10-03");
  CHECK(find_date_in_text("Stand: 28.11.2023 14:30 Uhr", "de") == "2023-11-28");
  CHECK(find_date_in_text("Actualizado: 10 de noviembre de 2021", "es") == "2021-11-10");
  CHECK(find_date_in_text("公開日：2022年5月24日", "ja") == "2022-05-24");
  CHECK(find_date_in_text("24 мая 2022 г.", "ru") == "2022-05-24");
  CHECK(find_date_in_text("2022년 5월 24일", "ko") == "2022-05-24");
  CHECK(find_date_in_text("24 مايو 2022", "ar") == "2022-05-24");
  CHECK_FALSE(find_date_in_text("© 2023 Ouest Vallée", "fr"));  // a year alone is no date
  CHECK_FALSE(find_date_in_text("Chronologie", "fr"));
}

TEST_CASE("dates in URL paths") {
  using scrubtext::text::date_from_url;
  CHECK(date_from_url("https://x.example/news/2022/05/24/slug") == "2022-05-24");
  CHECK(date_from_url("https://x.example/2022/5/4/slug") == "2022-05-04");
  CHECK(date_from_url("https://x.example/cultura/2022-09-05-reabren") == "2022-09-05");
  CHECK(date_from_url("https://x.example/lokales/20230316-gemeinderat") == "2023-03-16");
  CHECK_FALSE(date_from_url("https://x.example/2022/05/slug"));  // year and month only
  CHECK_FALSE(date_from_url("https://x.example/id/123456789"));
  CHECK_FALSE(date_from_url("https://2022.example/"));
}

TEST_CASE("relative dates need a reference date") {
  using scrubtext::text::parse_relative_date;
  CHECK(parse_relative_date("vor 3 Tagen", "de", "2024-06-01") == "2024-05-29");
  CHECK(parse_relative_date("3 days ago", "en", "2024-03-02") == "2024-02-28");
  CHECK(parse_relative_date("il y a 2 semaines", "fr", "2024-06-01") == "2024-05-18");
  CHECK(parse_relative_date("yesterday", "en", "2024-01-01") == "2023-12-31");
  CHECK_FALSE(parse_relative_date("vor 3 Tagen", "de", ""));
  CHECK_FALSE(parse_relative_date("the 3 days before", "en", "2024-06-01"));
}

TEST_CASE("strftime-style date formats") {
  using scrubtext::text::format_date;
  CHECK(format_date("2022-05-24", "") == "2022-05-24");
  CHECK(format_date("2022-05-24", "%d/%m/%Y") == "24/05/2022");
  CHECK(format_date("2022-05-24", "%A %e %B %Y") == "Tuesday 24 May 2022");
  CHECK(format_date("2022-05-24T10:05:00+02:00", "%F %H:%M %z") == "2022-05-24 10:05 +0200");
  CHECK(format_date("2022-05-24", "%T") == "00:00:00");
  CHECK(scrubtext::text::add_days("2024-03-01", -1) == "2024-02-29");
}

TEST_CASE("a ':' ends the search unless the locale's names hold one") {
  // A time or a label after the date: no pattern reads a ':', so the whole text is no date.
  CHECK_FALSE(parse_human_date("November 20, 2019 13:42", "en"));
  CHECK_FALSE(parse_human_date("Tue, 19 Nov 2019 06:13:48 -0600", ""));
  CHECK_FALSE(parse_human_date("Date: 19 November 2019", "en"));
  CHECK_FALSE(parse_human_date("sexta-feira, 22 de outubro de 2010 às 20:13", "pt"));
  CHECK(parse_human_date("November 20, 2019", "en") == "2019-11-20");
  CHECK(parse_human_date("22 de outubro de 2010", "pt") == "2010-10-22");
  // Sanskrit's month names end in ':' in ICU's data ("जनवरी:"), so its dates hold one.
  CHECK(parse_human_date("15 जनवरी: 2020", "sa") == "2020-01-15");
}
