#include "html/metadata.h"

#include <algorithm>
#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include "rules/compiled.h"
#include "text/dates.h"
#include "text/normalize.h"

namespace scrubtext::html {
namespace {

using nlohmann::json;

// How far a byline or author element may be from being a name list.
constexpr std::size_t kMaxAuthorChars = 60;
constexpr std::size_t kMaxAuthorWords = 6;
constexpr std::size_t kMaxBylineChars = 160;
constexpr std::size_t kMaxAuthors = 12;
constexpr std::size_t kMaxTags = 40;
// A <title> part longer than this is not a site name.
constexpr std::size_t kMaxSiteNameChars = 40;
// Ancestors looked at when deciding whether a <time> sits in page furniture.
constexpr int kFurnitureAncestors = 12;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Lower-case ASCII letters and digits, other bytes kept: for comparing headlines and names.
std::string squash(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) out += c;
  }
  return out;
}

std::string clean_value(std::string_view value) { return text::to_nfc(text::collapse_whitespace(value)); }

void set_if_empty(std::optional<std::string>& field, std::string_view value) {
  if (field) return;
  std::string v = clean_value(value);
  if (!v.empty()) field = std::move(v);
}

bool is_url(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://") || s.starts_with("/"); }

void add_unique(std::vector<std::string>& list, std::string v, std::size_t cap) {
  if (v.empty() || list.size() >= cap) return;
  if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(std::move(v));
}

// ---- Dates: candidates from every source, ranked.

enum class DateSource { JsonLd, Meta, Microdata, Time, Url };

const char* source_name(DateSource s) {
  switch (s) {
    case DateSource::JsonLd: return "json-ld";
    case DateSource::Meta: return "meta";
    case DateSource::Microdata: return "microdata";
    case DateSource::Time: return "time";
    case DateSource::Url: return "url";
  }
  return "";
}

struct DateCandidate {
  DateSource source;
  bool modified;
  text::IsoDateTime value;
};

void add_date(std::vector<DateCandidate>& out, DateSource src, bool modified, std::string_view raw) {
  if (auto d = text::parse_iso_datetime(raw)) {
    out.push_back({src, modified, *d});
  } else if (auto h = text::parse_human_date(raw, "")) {
    out.push_back({src, modified, {*h, ""}});
  }
}

// ---- JSON-LD.

std::string json_string(const json& value) {
  const json* j = &value;
  while (j->is_array() && !j->empty()) j = &(*j)[0];  // a loop: JSON-LD may nest arrays 100,000 deep
  if (j->is_string()) return j->get<std::string>();
  if (j->is_object()) {
    for (const char* k : {"name", "url", "@id"})
      if (j->contains(k) && (*j)[k].is_string()) return (*j)[k].get<std::string>();
  }
  return "";
}

bool type_is(const json& t, std::initializer_list<const char*> names) {
  auto match = [&](const std::string& s) {
    for (const char* k : names)
      if (s == k) return true;
    return false;
  };
  if (t.is_string()) return match(t.get<std::string>());
  if (t.is_array())
    for (const auto& x : t)
      if (x.is_string() && match(x.get<std::string>())) return true;
  return false;
}

constexpr std::initializer_list<const char*> kArticleTypes = {
    "Article", "NewsArticle", "BlogPosting", "Report", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "ScholarlyArticle", "TechArticle", "LiveBlogPosting", "PressRelease",
    "SocialMediaPosting", "BackgroundNewsArticle", "ReviewNewsArticle", "Review", "Recipe", "Posting"};
constexpr std::initializer_list<const char*> kPageTypes = {"WebPage", "ItemPage", "AboutPage", "ProfilePage"};
constexpr std::initializer_list<const char*> kListingTypes = {"CollectionPage", "ItemList", "SearchResultsPage"};

struct JsonLdFacts {
  std::optional<std::string> headline, description, image, language, publisher, website, page_type;
  std::vector<std::string> author_values;  // raw author strings, in order
  std::vector<std::string> keywords, sections;
  std::vector<DateCandidate> dates;
  bool article = false;
};

// A string, or a list of strings, or a comma-separated string.
void json_strings(const json& v, std::vector<std::string>& out, bool split_commas) {
  std::vector<const json*> items;
  if (v.is_array()) {
    for (const auto& x : v) items.push_back(&x);
  } else {
    items.push_back(&v);
  }
  for (const json* x : items) {
    if (!x->is_string()) continue;
    const std::string s = x->get<std::string>();
    if (!split_commas) {
      add_unique(out, clean_value(s), kMaxTags);
      continue;
    }
    std::size_t pos = 0;
    while (pos <= s.size()) {
      std::size_t c = s.find(',', pos);
      if (c == std::string::npos) c = s.size();
      add_unique(out, clean_value(std::string_view(s).substr(pos, c - pos)), kMaxTags);
      pos = c + 1;
    }
  }
}

void author_values(const json& a, const std::map<std::string, std::string>& names, std::vector<std::string>& out) {
  std::vector<const json*> items;
  if (a.is_array()) {
    for (const auto& x : a) items.push_back(&x);
  } else {
    items.push_back(&a);
  }
  // People first; organisations only when no person is named.
  std::vector<std::string> people, orgs;
  for (const json* x : items) {
    if (x->is_string()) {
      people.push_back(x->get<std::string>());
    } else if (x->is_object()) {
      std::string name;
      if (x->contains("name")) name = json_string((*x)["name"]);
      if (name.empty() && x->contains("@id") && (*x)["@id"].is_string()) {
        auto it = names.find((*x)["@id"].get<std::string>());
        if (it != names.end()) name = it->second;
      }
      if (name.empty()) continue;
      const bool org = x->contains("@type") && type_is((*x)["@type"], {"Organization", "NewsMediaOrganization"});
      (org ? orgs : people).push_back(name);
    }
  }
  for (auto& p : people.empty() ? orgs : people) out.push_back(p);
}

void from_article_object(const json& o, const std::map<std::string, std::string>& names, JsonLdFacts& f, bool page) {
  const bool first = !f.article;
  if (!page) f.article = true;
  if (o.contains("headline") && !page) set_if_empty(f.headline, json_string(o["headline"]));
  const DateSource src = DateSource::JsonLd;
  // A WebPage's dates are weaker than the article's: they come after them in the list.
  if (o.contains("datePublished")) add_date(f.dates, src, false, json_string(o["datePublished"]));
  else if (o.contains("dateCreated")) add_date(f.dates, src, false, json_string(o["dateCreated"]));
  if (o.contains("dateModified")) add_date(f.dates, src, true, json_string(o["dateModified"]));
  if (o.contains("description")) set_if_empty(f.description, json_string(o["description"]));
  if (o.contains("image")) set_if_empty(f.image, json_string(o["image"]));
  if (o.contains("thumbnailUrl")) set_if_empty(f.image, json_string(o["thumbnailUrl"]));
  if (o.contains("inLanguage")) set_if_empty(f.language, json_string(o["inLanguage"]));
  if (o.contains("publisher")) {
    const json& p = o["publisher"];
    std::string name = json_string(p);
    if (p.is_object() && !p.contains("name") && p.contains("@id") && p["@id"].is_string()) {
      auto it = names.find(p["@id"].get<std::string>());
      name = it != names.end() ? it->second : "";
    }
    if (!is_url(name)) set_if_empty(f.publisher, name);
  }
  if (!page && first) {
    if (o.contains("author")) author_values(o["author"], names, f.author_values);
    else if (o.contains("creator")) author_values(o["creator"], names, f.author_values);
    if (o.contains("keywords")) json_strings(o["keywords"], f.keywords, true);
    if (o.contains("articleSection")) json_strings(o["articleSection"], f.sections, false);
  }
}

// Walks JSON-LD iteratively (objects, arrays, @graph, mainEntity) and reads every article
// object, then web pages, then the site.
void read_json_ld(std::string_view text, JsonLdFacts& f) {
  json root = json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) return;
  std::vector<const json*> objects;
  std::vector<const json*> stack{&root};
  while (!stack.empty() && objects.size() < 10000) {
    const json* j = stack.back();
    stack.pop_back();
    if (j->is_array()) {
      for (auto it = j->rbegin(); it != j->rend(); ++it) stack.push_back(&*it);
    } else if (j->is_object()) {
      objects.push_back(j);
      for (const char* k : {"mainEntity", "mainEntityOfPage", "@graph"})
        if (j->contains(k) && ((*j)[k].is_object() || (*j)[k].is_array())) stack.push_back(&(*j)[k]);
    }
  }
  std::map<std::string, std::string> names;  // @id → name, for references
  for (const json* o : objects)
    if (o->contains("@id") && (*o)["@id"].is_string() && o->contains("name"))
      names.emplace((*o)["@id"].get<std::string>(), json_string((*o)["name"]));
  for (const json* o : objects)
    if (o->contains("@type") && type_is((*o)["@type"], kArticleTypes)) from_article_object(*o, names, f, false);
  for (const json* o : objects) {
    if (!o->contains("@type")) continue;
    const json& t = (*o)["@type"];
    if (type_is(t, kPageTypes)) from_article_object(*o, names, f, true);
    if (type_is(t, kListingTypes) && !f.page_type) f.page_type = "listing";
    if (type_is(t, {"WebSite"}) && o->contains("name")) set_if_empty(f.website, json_string((*o)["name"]));
  }
}

// ---- Authors.

// The word "and" in the languages bylines are written in; names are split on it.
constexpr const char* kAndWords[] = {"and", "und", "et", "y", "e", "en", "och", "og", "ve", "i", "és", "a", "ja",
                                     "и", "та", "і", "și", "και", "und", "und", "و", "と", "和", "及"};

bool is_and_word(std::string_view w) {
  for (const char* a : kAndWords)
    if (w == a) return true;
  return false;
}

bool matches_rule_suffix(const detail::CompiledRules& rules, std::string_view text, bool line, std::string_view suffix,
                         std::vector<int>& hits) {
  if (line) rules.match_line(text, hits);
  else rules.match_text(text, hits);
  for (int h : hits) {
    const std::string_view id = rules.rule(h).rule->id;
    if (id.ends_with(suffix) || (suffix == ".byline" && id.ends_with("-byline"))) return true;
  }
  return false;
}

bool starts_upper_or_nonlatin(std::string_view w) {
  if (w.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(w[0]);
  if (c >= 'a' && c <= 'z') return false;
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  // Non-ASCII first letter: lower-case Latin letters with diacritics are rare at a name's
  // start; accept.
  return true;
}

// One name: trimmed of punctuation and a trailing date or time, title-cased when in capitals.
std::string tidy_name(std::string_view raw) {
  std::string n(text::trim(raw));
  for (std::size_t i = 0; i < n.size(); ++i)
    if (n[i] >= '0' && n[i] <= '9') {
      n.resize(i);
      break;
    }
  auto strip = [](std::string& s) {
    while (!s.empty() && std::strchr(" ,;:-|.·()[]", s.back())) s.pop_back();
    std::size_t b = 0;
    while (b < s.size() && std::strchr(" ,;:-|·()[]", s[b])) ++b;
    s.erase(0, b);
  };
  strip(n);
  if (n.ends_with("\xC2\xB7")) n.resize(n.size() - 2);  // a middle dot
  strip(n);
  bool upper = n.size() > 3;
  for (char c : n) upper = upper && !(c >= 'a' && c <= 'z');
  if (upper) {
    bool start = true;
    for (char& c : n) {
      if (c >= 'A' && c <= 'Z' && !start) c = static_cast<char>(c - 'A' + 'a');
      start = c == ' ' || c == '-' || c == '\'';
    }
  }
  return text::collapse_whitespace(n);
}

}  // namespace

std::vector<std::string> split_author_names(std::string_view raw, const detail::CompiledRules* rules) {
  std::vector<std::string> out;
  std::string t = text::collapse_whitespace(raw);
  if (t.empty() || t.size() > kMaxBylineChars * 2) return out;
  // Full-width colon and CJK and Arabic commas, as their ASCII forms.
  for (const auto& [from, to] : {std::pair<std::string_view, std::string_view>{"\xEF\xBC\x9A", ": "},
                                 {"\xE3\x80\x81", ","}, {"\xEF\xBC\x8C", ","}, {"\xD8\x8C", ","}}) {
    for (std::size_t at = t.find(from); at != std::string::npos; at = t.find(from, at + to.size()))
      t.replace(at, from.size(), to);
  }
  std::vector<int> hits;
  // Cut at the separators that put a date or place after the names.
  for (const char* stop : {" - ", " – ", " — ", " | ", " · ", " / ", "\xE2\x80\xA2", " (", "@", "\n"}) {
    const std::size_t at = t.find(stop);
    if (at != std::string::npos) t.resize(at);
  }
  // The byline word ("By", "Par", "Von", "Texto:"): the first word and the lower-case ones
  // after it, when a byline rule says this is a byline.
  if (rules && matches_rule_suffix(*rules, t, false, ".byline", hits)) {
    std::size_t at = t.find_first_of(" :");
    while (at != std::string::npos) {
      std::size_t next = t.find_first_not_of(" :", at);
      if (next == std::string::npos) break;
      const unsigned char c = static_cast<unsigned char>(t[next]);
      if ((c >= 'a' && c <= 'z') && t.find_first_of(" :", next) != std::string::npos) {
        at = t.find_first_of(" :", next);
        continue;
      }
      t = t.substr(next);
      break;
    }
  }
  // Split on commas, semicolons, "&" and "and" words.
  std::vector<std::string> parts;
  std::string cur;
  auto flush = [&] {
    parts.push_back(cur);
    cur.clear();
  };
  std::size_t i = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (c == ',' || c == ';' || c == '&') {
      flush();
      ++i;
      continue;
    }
    if (c == ' ') {
      const std::size_t e = t.find(' ', i + 1);
      const std::string_view w = std::string_view(t).substr(i + 1, (e == std::string::npos ? t.size() : e) - i - 1);
      if (is_and_word(w) || w == "AND") {
        flush();
        i = e == std::string::npos ? t.size() : e;
        continue;
      }
    }
    cur += c;
    ++i;
  }
  flush();
  for (const auto& p : parts) {
    std::string n = tidy_name(p);
    if (n.size() < 2 || n.size() > kMaxAuthorChars) continue;
    std::size_t words = 1;
    for (char c : n) words += c == ' ';
    if (words > kMaxAuthorWords) continue;
    if (!starts_upper_or_nonlatin(n)) continue;
    if (rules && matches_rule_suffix(*rules, n, true, ".author-role", hits)) continue;
    add_unique(out, text::to_nfc(n), kMaxAuthors);
  }
  return out;
}

namespace {

bool furniture_ancestor(const FlatDom& dom, std::uint32_t i, const detail::CompiledRules* rules, std::vector<int>& hits) {
  std::uint32_t p = dom.nodes[i].parent;
  for (int k = 0; k < kFurnitureAncestors && p != kNoNode; ++k, p = dom.nodes[p].parent) {
    const Node& n = dom.nodes[p];
    if (n.tag == GUMBO_TAG_FOOTER || n.tag == GUMBO_TAG_ASIDE || n.tag == GUMBO_TAG_NAV) return true;
    if (!rules) continue;
    for (const char* attr : {"class", "id"}) {
      const std::string_view v = attribute(n, attr);
      std::size_t pos = 0;
      while (pos < v.size()) {
        std::size_t e = v.find(' ', pos);
        if (e == std::string_view::npos) e = v.size();
        if (e > pos) {
          rules->match_attr(std::string(attr) + "=" + std::string(v.substr(pos, e - pos)), hits);
          for (int h : hits) {
            const auto& cr = rules->rule(h);
            // Related lists, comments, sidebars; not the byline/meta rows that hold the date.
            const std::string& id = cr.rule->id;
            if (cr.family == detail::RuleFamily::Boilerplate &&
                (id.find("related") != std::string::npos || id.find("comment") != std::string::npos))
              return true;
            if (cr.family == detail::RuleFamily::Hint && cr.rule->weight < 0 &&
                (id.find("related") != std::string::npos || id.find("comment") != std::string::npos))
              return true;
          }
        }
        pos = e + 1;
      }
    }
  }
  return false;
}

std::string host_of(std::string_view url) {
  std::size_t at = url.find("://");
  if (at == std::string_view::npos) return "";
  url = url.substr(at + 3);
  url = url.substr(0, std::min(url.find('/'), std::min(url.find('?'), url.find(':'))));
  return lower_ascii(url);
}

std::string path_of(std::string_view url) {
  std::size_t at = url.find("://");
  if (at == std::string_view::npos) return "";
  at = url.find('/', at + 3);
  if (at == std::string_view::npos) return "/";
  std::string_view p = url.substr(at);
  return std::string(p.substr(0, std::min(p.find('?'), p.find('#'))));
}

// Near-equal strings ("crónicadeoaxaca" and the host label "cronicaoaxaca"): the longest
// common subsequence covers 75 % of the longer one (in bytes). Both are short (capped at 64 bytes).
bool similar(const std::string& a, const std::string& b) {
  if (a.size() > 64 || b.size() > 64) return false;
  std::vector<int> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    std::swap(prev, cur);
  }
  return static_cast<std::size_t>(prev[b.size()]) * 4 >= std::max(a.size(), b.size()) * 3;
}

// True when a title part names the site: it is the known site name, or it matches the
// host name ("Valley Times" on www.valleytimes.example, "BBC News" on bbc.co.uk).
bool names_site(std::string_view part, const std::string& site_name, const std::string& host) {
  const std::string p = squash(part);
  if (p.empty()) return false;
  if (!site_name.empty()) {
    const std::string s = squash(site_name);
    if (!s.empty() && (p == s || p.find(s) != std::string::npos || (p.size() >= 4 && s.find(p) != std::string::npos)))
      return true;
  }
  if (!host.empty()) {
    std::string h = host;
    if (h.starts_with("www.")) h.erase(0, 4);
    std::size_t pos = 0;
    while (pos < h.size()) {
      std::size_t e = h.find('.', pos);
      if (e == std::string::npos) e = h.size();
      const std::string label = squash(std::string_view(h).substr(pos, e - pos));
      if (label.size() >= 4 && (p == label || p.find(label) != std::string::npos || label.find(p) != std::string::npos) &&
          p.size() * 3 >= label.size())
        return true;
      if (label.size() >= 6 && similar(p, label)) return true;
      if (label.size() >= 2 && label.size() < 4 && p.starts_with(label) && p.size() <= label.size() + 8) return true;
      pos = e + 1;
    }
  }
  return false;
}

}  // namespace

std::string subtree_text(const FlatDom& dom, std::uint32_t i) {
  std::string out;
  bool pending = false;
  const std::uint32_t end = dom.nodes[i].end;
  for (std::uint32_t k = i; k < end; ++k) {
    const Node& n = dom.nodes[k];
    if (n.is_text) text::append_collapsed(out, n.text, pending);
    else if (k != i) pending = true;  // element boundaries separate words
  }
  return out;
}

std::string strip_site_name(const std::string& title, const std::string& site_name) {
  return strip_site_name(title, site_name, "", nullptr);
}

std::string strip_site_name(const std::string& title, const std::string& site_name, const std::string& host,
                            std::string* removed) {
  static constexpr const char* kSeparators[] = {" | ", " - ", " – ", " — ", " :: ", " · ", " « ", " » ", " / ", ": ", " ~ ",
                                                "\xEF\xBD\x9C" /* ｜ */, "_"};
  auto join = [](const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (std::size_t k = 0; k < parts.size(); ++k) out += (k ? sep : "") + parts[k];
    return text::collapse_whitespace(out);
  };
  for (const char* sep : kSeparators) {
    std::vector<std::string> parts;
    std::size_t pos = 0;
    const std::size_t seplen = std::strlen(sep);
    for (;;) {
      const std::size_t at = title.find(sep, pos);
      if (at == std::string::npos) {
        parts.push_back(title.substr(pos));
        break;
      }
      parts.push_back(title.substr(pos, at - pos));
      pos = at + seplen;
    }
    if (parts.size() < 2) continue;
    if (!site_name.empty() || !host.empty()) {
      if (names_site(parts.back(), site_name, host)) {
        if (removed) *removed = text::collapse_whitespace(parts.back());
        parts.pop_back();
        // "Headline | Section | Site": a short section name before the site goes too.
        if (parts.size() >= 2 && parts.back().size() <= 20 && parts.front().size() > 2 * parts.back().size())
          parts.pop_back();
        return join(parts, sep);
      }
      if (names_site(parts.front(), site_name, host)) {
        if (removed) *removed = text::collapse_whitespace(parts.front());
        parts.erase(parts.begin());
        return join(parts, sep);
      }
      if (!site_name.empty()) continue;
    }
    if (std::strcmp(sep, ": ") == 0 || std::strcmp(sep, " / ") == 0) continue;  // usually part of the headline
    // No known site name: the longest part is the headline when it clearly dominates.
    auto longest = std::max_element(parts.begin(), parts.end(),
                                    [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
    std::size_t others = 0;
    for (const auto& p : parts)
      if (&p != &*longest) others = std::max(others, p.size());
    if (longest->size() >= 2 * others || parts.back().size() <= 30) {
      if (parts.back().size() <= 30 && &parts.back() != &*longest) {
        if (removed) *removed = text::collapse_whitespace(parts.back());
        parts.pop_back();
        return join(parts, sep);
      }
      return text::collapse_whitespace(*longest);
    }
  }
  return title;
}

namespace {

struct Collected {
  std::optional<std::string> og_title, og_site, og_url, og_type, canonical, description, og_description, app_name;
  std::vector<std::string> meta_authors, microdata_authors, rel_authors, byline_texts, article_tags, meta_keywords,
      sections;
  std::vector<DateCandidate> dates;  // every source but JSON-LD, in document order
  JsonLdFacts ld;
  std::vector<std::string> h1s;
};

// What a <meta> key feeds. Every key read is in kMetaKeys: the prescan drops the meta
// elements of the head whose key is not (meta_key_read).
enum class MetaField {
  Title, SiteName, AppName, Url, Type, Description, OgDescription, Image, Author, Published,
  MicrodataPublished, Modified, MicrodataModified, Language, Tag, Keywords, Section
};

struct MetaKey {
  std::string_view key;  // lowercase
  MetaField field;
};

constexpr MetaKey kMetaKeys[] = {
    {"og:title", MetaField::Title}, {"twitter:title", MetaField::Title},
    {"og:site_name", MetaField::SiteName},
    {"application-name", MetaField::AppName}, {"apple-mobile-web-app-title", MetaField::AppName},
    {"og:url", MetaField::Url},
    {"og:type", MetaField::Type},
    {"description", MetaField::Description}, {"dc.description", MetaField::Description},
    {"og:description", MetaField::OgDescription}, {"twitter:description", MetaField::OgDescription},
    {"og:image", MetaField::Image}, {"twitter:image", MetaField::Image}, {"og:image:url", MetaField::Image},
    {"twitter:image:src", MetaField::Image},
    {"author", MetaField::Author}, {"article:author", MetaField::Author}, {"dc.creator", MetaField::Author},
    {"dcterms.creator", MetaField::Author}, {"parsely-author", MetaField::Author},
    {"sailthru.author", MetaField::Author}, {"byl", MetaField::Author}, {"citation_author", MetaField::Author},
    {"twitter:creator", MetaField::Author},
    {"article:published_time", MetaField::Published}, {"og:article:published_time", MetaField::Published},
    {"article:published", MetaField::Published}, {"pubdate", MetaField::Published},
    {"publishdate", MetaField::Published}, {"publish-date", MetaField::Published},
    {"publish_date", MetaField::Published}, {"date", MetaField::Published},
    {"dc.date.issued", MetaField::Published}, {"dc.date", MetaField::Published},
    {"dcterms.date", MetaField::Published}, {"dcterms.created", MetaField::Published},
    {"dcterms.issued", MetaField::Published}, {"dc.date.created", MetaField::Published},
    {"sailthru.date", MetaField::Published}, {"parsely-pub-date", MetaField::Published},
    {"article.published", MetaField::Published}, {"datepublished", MetaField::MicrodataPublished},
    {"citation_publication_date", MetaField::Published}, {"citation_date", MetaField::Published},
    {"original-publish-date", MetaField::Published}, {"release_date", MetaField::Published},
    {"og:published_time", MetaField::Published}, {"published_time", MetaField::Published},
    {"cxenseparse:recs:publishtime", MetaField::Published}, {"article_date_original", MetaField::Published},
    {"date.release", MetaField::Published}, {"pub_date", MetaField::Published},
    {"article:modified_time", MetaField::Modified}, {"og:updated_time", MetaField::Modified},
    {"datemodified", MetaField::MicrodataModified}, {"dcterms.modified", MetaField::Modified},
    {"last-modified", MetaField::Modified}, {"dc.date.modified", MetaField::Modified},
    {"article.updated", MetaField::Modified}, {"lastmod", MetaField::Modified},
    {"og:modified_time", MetaField::Modified}, {"modified_time", MetaField::Modified},
    {"content-language", MetaField::Language}, {"og:locale", MetaField::Language},
    {"dc.language", MetaField::Language}, {"language", MetaField::Language},
    {"article:tag", MetaField::Tag}, {"og:article:tag", MetaField::Tag},
    {"keywords", MetaField::Keywords}, {"news_keywords", MetaField::Keywords},
    {"article:section", MetaField::Section}, {"og:article:section", MetaField::Section},
    {"parsely-section", MetaField::Section},
};

const MetaKey* find_meta_key(std::string_view lowercase_key) {
  for (const MetaKey& k : kMetaKeys)
    if (k.key == lowercase_key) return &k;
  return nullptr;
}

void read_meta(const GumboNode* g, Collected& c, Metadata& m) {
  const std::string key = lower_ascii(!attribute(g, "property").empty() ? attribute(g, "property")
                                      : !attribute(g, "name").empty()   ? attribute(g, "name")
                                      : !attribute(g, "itemprop").empty() ? attribute(g, "itemprop")
                                                                           : attribute(g, "http-equiv"));
  const std::string_view content = attribute(g, "content");
  if (key.empty() || content.empty()) return;
  const MetaKey* k = find_meta_key(key);
  if (!k) return;
  switch (k->field) {
    case MetaField::Title: set_if_empty(c.og_title, content); break;
    case MetaField::SiteName: set_if_empty(c.og_site, content); break;
    case MetaField::AppName: set_if_empty(c.app_name, content); break;
    case MetaField::Url: set_if_empty(c.og_url, content); break;
    case MetaField::Type: set_if_empty(c.og_type, lower_ascii(content)); break;
    case MetaField::Description: set_if_empty(c.description, content); break;
    case MetaField::OgDescription: set_if_empty(c.og_description, content); break;
    case MetaField::Image: set_if_empty(m.image, content); break;
    case MetaField::Author:
      if (key == "twitter:creator" && content.starts_with("@")) return;
      if (!is_url(content) && content.find("facebook.com") == std::string_view::npos) c.meta_authors.emplace_back(content);
      break;
    case MetaField::Published: add_date(c.dates, DateSource::Meta, false, content); break;
    case MetaField::MicrodataPublished: add_date(c.dates, DateSource::Microdata, false, content); break;
    case MetaField::Modified: add_date(c.dates, DateSource::Meta, true, content); break;
    case MetaField::MicrodataModified: add_date(c.dates, DateSource::Microdata, true, content); break;
    case MetaField::Language: set_if_empty(m.declared_language, content); break;
    case MetaField::Tag: add_unique(c.article_tags, clean_value(content), kMaxTags); break;
    case MetaField::Keywords: {
      std::string_view v = content;
      std::size_t pos = 0;
      while (pos <= v.size()) {
        std::size_t e = v.find(',', pos);
        if (e == std::string_view::npos) e = v.size();
        add_unique(c.meta_keywords, clean_value(v.substr(pos, e - pos)), kMaxTags);
        pos = e + 1;
      }
      break;
    }
    case MetaField::Section: add_unique(c.sections, clean_value(content), kMaxTags); break;
  }
}

// True for class/id values that name an author or byline element.
// Whether `hay` holds `lowercase_needle`, ASCII case ignored.
bool contains_ci(std::string_view hay, std::string_view lowercase_needle) {
  if (hay.size() < lowercase_needle.size()) return false;
  for (std::size_t i = 0; i + lowercase_needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < lowercase_needle.size() &&
           (hay[i + k] >= 'A' && hay[i + k] <= 'Z' ? hay[i + k] + ('a' - 'A') : hay[i + k]) == lowercase_needle[k])
      ++k;
    if (k == lowercase_needle.size()) return true;
  }
  return false;
}

bool author_class(const Node& n) {
  for (const std::string_view raw : {n.cls, attribute(n, Attr::Id)}) {
    if (!contains_ci(raw, "byline") && !contains_ci(raw, "author")) continue;
    const std::string v = lower_ascii(raw);
    if (v.find("byline") != std::string::npos) return true;
    if (v.find("author") != std::string::npos && v.find("bio") == std::string::npos &&
        v.find("avatar") == std::string::npos && v.find("about") == std::string::npos &&
        v.find("box") == std::string::npos && v.find("description") == std::string::npos)
      return true;
  }
  return false;
}

// Publication or update: what a <time> or date element's classes say.
bool modified_class(const Node& n) {
  const std::string v = lower_ascii(n.cls);
  return v.find("updated") != std::string::npos || v.find("modified") != std::string::npos;
}

void walk(const FlatDom& dom, const MetadataInput& in, PageFacts& f, Collected& c) {
  Metadata& m = f.meta;
  bool in_body = false;
  std::vector<int> hits;
  std::uint32_t skip_until = 0;  // inside an author element already read
  for (std::uint32_t i = 0; i < dom.nodes.size(); ++i) {
    const Node& n = dom.nodes[i];
    if (n.is_text) continue;
    const GumboNode* g = n.g;
    switch (n.tag) {
      case GUMBO_TAG_HTML: {
        std::string_view lang = attribute(g, "lang");
        if (lang.empty()) lang = attribute(g, "xml:lang");
        if (!lang.empty()) set_if_empty(m.declared_language, lang);
        break;
      }
      case GUMBO_TAG_BODY:
        in_body = true;
        break;
      case GUMBO_TAG_TITLE:
        if (!in_body && f.raw_title.empty()) f.raw_title = text::to_nfc(subtree_text(dom, i));
        break;
      case GUMBO_TAG_H1:
        if (c.h1s.size() < 4) {
          std::string h = text::to_nfc(subtree_text(dom, i));
          if (!h.empty()) c.h1s.push_back(std::move(h));
        }
        break;
      case GUMBO_TAG_META:
        read_meta(g, c, m);
        break;
      case GUMBO_TAG_LINK: {
        const std::string rel = lower_ascii(attribute(g, "rel"));
        if (rel == "canonical") set_if_empty(c.canonical, attribute(g, "href"));
        break;
      }
      case GUMBO_TAG_A: {
        const std::string rel = lower_ascii(attribute(g, "rel"));
        if (rel.find("author") != std::string::npos && i >= skip_until) {
          c.rel_authors.push_back(subtree_text(dom, i));
          skip_until = std::max(skip_until, n.end);
        }
        break;
      }
      case GUMBO_TAG_SCRIPT: {
        std::string_view src = attribute(g, "src");
        if (!src.empty()) f.script_srcs.emplace_back(src);
        if (lower_ascii(attribute(g, "type")).find("ld+json") != std::string::npos) {
          std::string body;
          for (std::uint32_t k = i + 1; k < n.end; ++k)
            if (dom.nodes[k].is_text) body += dom.nodes[k].text;
          read_json_ld(body, c.ld);
        }
        break;
      }
      case GUMBO_TAG_TIME: {
        std::string_view dt = attribute(g, "datetime");
        if (dt.empty()) break;
        const std::string_view ip = attribute(g, "itemprop");
        if (ip == "datePublished" || ip == "dateModified") break;  // read as microdata below
        if (furniture_ancestor(dom, i, in.rules, hits)) break;
        const bool pub = has_attribute(g, "pubdate") || lower_ascii(n.cls).find("publish") != std::string::npos;
        add_date(c.dates, pub ? DateSource::Microdata : DateSource::Time, modified_class(n), dt);
        break;
      }
      default:
        break;
    }
    if (n.tag == GUMBO_TAG_META || n.tag == GUMBO_TAG_SCRIPT || n.tag == GUMBO_TAG_LINK) continue;
    const std::string_view itemprop = attribute(n, Attr::Itemprop);
    if (itemprop == "datePublished" || itemprop == "dateModified" || itemprop == "dateCreated") {
      std::string_view v = attribute(g, "datetime");
      if (v.empty()) v = attribute(g, "content");
      const std::string t = v.empty() ? subtree_text(dom, i) : std::string(v);
      if (!furniture_ancestor(dom, i, in.rules, hits)) add_date(c.dates, DateSource::Microdata, itemprop == "dateModified", t);
    } else if (itemprop == "author" || itemprop == "creator") {
      if (i >= skip_until) {
        // The nested itemprop=name when there is one, else the element's text.
        std::string name;
        for (std::uint32_t k = i + 1; k < n.end && name.empty(); ++k)
          if (!dom.nodes[k].is_text && attribute(dom.nodes[k].g, "itemprop") == "name")
            name = attribute(dom.nodes[k].g, "content").empty() ? subtree_text(dom, k)
                                                                : std::string(attribute(dom.nodes[k].g, "content"));
        if (name.empty()) name = attribute(g, "content").empty() ? subtree_text(dom, i) : std::string(attribute(g, "content"));
        if (!furniture_ancestor(dom, i, in.rules, hits)) c.microdata_authors.push_back(name);
        skip_until = std::max(skip_until, n.end);
      }
    } else if (in_body && i >= skip_until && c.byline_texts.size() < 4 && author_class(n)) {
      const std::string t = subtree_text(dom, i);
      if (!t.empty() && t.size() <= kMaxBylineChars && !furniture_ancestor(dom, i, in.rules, hits)) {
        c.byline_texts.push_back(t);
        skip_until = std::max(skip_until, n.end);
      }
    }
  }
}

// The first candidate of each kind, most reliable source first, not after `latest`.
void rank_dates(std::vector<DateCandidate>& dates, const std::string& latest, Metadata& m) {
  std::stable_sort(dates.begin(), dates.end(),
                   [](const DateCandidate& a, const DateCandidate& b) { return a.source < b.source; });
  for (const auto& d : dates) {
    if (!latest.empty() && d.value.date > latest) continue;
    if (!d.modified && !m.date_published) {
      m.date_published = d.value.date;
      if (!d.value.datetime.empty()) m.datetime_published = d.value.datetime;
      m.date_source = source_name(d.source);
    } else if (d.modified && !m.date_modified) {
      m.date_modified = d.value.date;
      if (!d.value.datetime.empty()) m.datetime_modified = d.value.datetime;
    }
  }
  // A modification before the publication is a mislabelled field; keep the publication.
  if (m.date_modified && m.date_published && *m.date_modified < *m.date_published) {
    m.date_modified.reset();
    m.datetime_modified.reset();
  }
}

std::string choose_title(const PageFacts& f, const Collected& c, const std::string& site, const std::string& host,
                         std::string* removed) {
  std::string title;
  if (c.og_title && !names_site(*c.og_title, site, "")) title = strip_site_name(*c.og_title, site, host, removed);
  else if (c.ld.headline) title = *c.ld.headline;
  else if (!f.raw_title.empty()) title = strip_site_name(f.raw_title, site, host, removed);
  // The page's own h1 when it is the same headline (the title may carry a section, a
  // site name or a suffix the stripping did not recognise).
  const std::string t = squash(title);
  for (const auto& h : c.h1s) {
    const std::string sh = squash(h);
    if (sh.empty() || names_site(h, site, host)) continue;
    if (title.empty()) return h;
    if (sh == t) return h;
    if (sh.size() >= 12 && t.find(sh) != std::string::npos && sh.size() * 2 >= t.size()) return h;
  }
  if (title.empty() && !f.raw_title.empty()) title = f.raw_title;
  return title;
}

}  // namespace

bool meta_key_read(std::string_view lowercase_key) { return find_meta_key(lowercase_key) != nullptr; }

PageFacts extract_metadata(const FlatDom& dom, const MetadataInput& in) {
  PageFacts f;
  Metadata& m = f.meta;
  if (!in.enabled) {
    for (const Node& n : dom.nodes)
      if (n.tag == GUMBO_TAG_SCRIPT && !attribute(n.g, "src").empty()) f.script_srcs.emplace_back(attribute(n.g, "src"));
    if (!in.fallback_url.empty()) m.url = in.fallback_url;
    return f;
  }
  Collected c;
  walk(dom, in, f, c);
  if (!c.h1s.empty()) f.first_h1 = c.h1s.front();

  // URL: canonical, og:url, the caller's; a relative one is resolved against the caller's host.
  auto absolute = [&](const std::optional<std::string>& u) -> std::optional<std::string> {
    if (!u || u->empty()) return std::nullopt;
    if (u->starts_with("http://") || u->starts_with("https://")) return *u;
    if (u->starts_with("/") && !u->starts_with("//") && !in.fallback_url.empty()) {
      const std::size_t scheme = in.fallback_url.find("://");
      if (scheme != std::string::npos) {
        const std::size_t slash = in.fallback_url.find('/', scheme + 3);
        return in.fallback_url.substr(0, slash) + *u;
      }
    }
    return std::nullopt;
  };
  if (auto u = absolute(c.canonical)) m.url = u;
  else if (auto o = absolute(c.og_url)) m.url = o;
  else if (!in.fallback_url.empty()) m.url = in.fallback_url;

  // Dates.
  std::vector<DateCandidate> dates = c.ld.dates;
  dates.insert(dates.end(), c.dates.begin(), c.dates.end());
  for (const std::string* u : std::initializer_list<const std::string*>{m.url ? &*m.url : nullptr, &in.fallback_url}) {
    if (!u || u->empty()) continue;
    if (auto d = text::date_from_url(*u)) {
      dates.push_back({DateSource::Url, false, {*d, ""}});
      break;
    }
  }
  // The <time>s of a list or home page date the stories it links to.
  if (c.ld.page_type || (c.og_type && *c.og_type == "website"))
    dates.erase(std::remove_if(dates.begin(), dates.end(), [](const DateCandidate& d) { return d.source == DateSource::Time; }),
                dates.end());
  rank_dates(dates, in.latest_date, m);

  // Site name, description, image, language.
  if (c.og_site) m.site_name = c.og_site;
  else if (c.ld.publisher) m.site_name = c.ld.publisher;
  else if (c.ld.website) m.site_name = c.ld.website;
  else if (c.app_name) m.site_name = c.app_name;
  m.description = c.description ? c.description : c.og_description ? c.og_description : c.ld.description;
  if (!m.image && c.ld.image) m.image = c.ld.image;
  if (!m.declared_language && c.ld.language) m.declared_language = c.ld.language;

  // Headline.
  const std::string host = host_of(m.url.value_or(in.fallback_url));
  std::string removed;
  const std::string title = choose_title(f, c, m.site_name.value_or(""), host, &removed);
  if (!title.empty()) m.title = text::to_nfc(title);
  if (!m.site_name && !removed.empty() && removed.size() <= kMaxSiteNameChars) m.site_name = removed;

  // Authors, from the most reliable source that names any.
  auto take = [&](const std::vector<std::string>& values, bool split) {
    if (!m.authors.empty()) return;
    for (const auto& v : values) {
      if (split) {
        for (auto& a : split_author_names(v, in.rules)) add_unique(m.authors, a, kMaxAuthors);
      } else {
        std::string a = clean_value(v);
        if (!a.empty() && a.size() <= 120 && !is_url(a)) add_unique(m.authors, a, kMaxAuthors);
      }
    }
  };
  take(c.ld.author_values, true);
  take(c.meta_authors, true);
  take(c.microdata_authors, true);
  take(c.rel_authors, true);
  take(c.byline_texts, true);
  // Names that are the site itself ("By Valley Times Staff") are not authors.
  if (m.site_name) {
    std::vector<std::string> kept;
    for (auto& a : m.authors)
      if (squash(a) != squash(*m.site_name)) kept.push_back(a);
    if (!kept.empty()) m.authors = std::move(kept);
  }

  // Tags, categories.
  m.tags = !c.article_tags.empty() ? c.article_tags : !c.ld.keywords.empty() ? c.ld.keywords : c.meta_keywords;
  m.categories = c.sections;
  for (const auto& s : c.ld.sections) add_unique(m.categories, s, kMaxTags);

  // Page type.
  const std::string path = path_of(m.url.value_or(in.fallback_url));
  if (c.ld.article || (c.og_type && *c.og_type == "article")) m.page_type = "article";
  else if (c.ld.page_type) m.page_type = c.ld.page_type;
  else if (path == "/" || (path.empty() && !host.empty())) m.page_type = "homepage";
  return f;
}

}  // namespace scrubtext::html
