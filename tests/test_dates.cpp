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
