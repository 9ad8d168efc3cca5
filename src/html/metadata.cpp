#include "html/metadata.h"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "text/dates.h"
#include "text/normalize.h"

namespace scrubtext::html {
namespace {

using nlohmann::json;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

void set_if_empty(std::optional<std::string>& field, std::string_view value) {
  if (field) return;
  std::string v = text::collapse_whitespace(value);
  if (!v.empty()) field = text::to_nfc(v);
}

void set_date_if_empty(std::optional<std::string>& field, std::string_view value) {
  if (field) return;
  if (auto d = text::parse_any_date(value, "")) field = *d;
}

bool is_url(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://") || s.starts_with("/"); }

void add_author(std::vector<std::string>& authors, std::string_view name) {
  std::string v = text::to_nfc(text::collapse_whitespace(name));
  if (v.empty() || is_url(v) || v.size() > 120) return;
  if (std::find(authors.begin(), authors.end(), v) == authors.end()) authors.push_back(std::move(v));
}

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

bool is_article_type(const json& t) {
  static constexpr const char* kTypes[] = {"Article", "NewsArticle", "BlogPosting", "Report", "ReportageNewsArticle",
                                           "AnalysisNewsArticle", "OpinionNewsArticle", "ScholarlyArticle",
                                           "TechArticle", "LiveBlogPosting", "PressRelease", "SocialMediaPosting"};
  auto match = [](const std::string& s) {
    for (const char* k : kTypes)
      if (s == k) return true;
    return false;
  };
  if (t.is_string()) return match(t.get<std::string>());
  if (t.is_array())
    for (const auto& x : t)
      if (x.is_string() && match(x.get<std::string>())) return true;
  return false;
}

void from_article_object(const json& o, PageFacts& f) {
  Metadata& m = f.meta;
  if (o.contains("headline")) set_if_empty(m.title, json_string(o["headline"]));
  if (o.contains("datePublished")) set_date_if_empty(m.date_published, json_string(o["datePublished"]));
  if (o.contains("dateModified")) set_date_if_empty(m.date_modified, json_string(o["dateModified"]));
  if (o.contains("description")) set_if_empty(m.description, json_string(o["description"]));
  if (o.contains("image")) set_if_empty(m.image, json_string(o["image"]));
  if (o.contains("inLanguage")) set_if_empty(m.declared_language, json_string(o["inLanguage"]));
  if (o.contains("publisher")) set_if_empty(m.site_name, json_string(o["publisher"]));
  if (o.contains("author") && m.authors.empty()) {
    const json& a = o["author"];
    if (a.is_array()) {
      for (const auto& x : a) add_author(m.authors, json_string(x));
    } else {
      add_author(m.authors, json_string(a));
    }
  }
}

// Walks JSON-LD iteratively (objects, arrays, @graph) and reads every article object.
void read_json_ld(std::string_view text, PageFacts& f) {
  json root = json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) return;
  std::vector<const json*> stack{&root};
  std::size_t visited = 0;
  while (!stack.empty() && visited < 10000) {
    const json* j = stack.back();
    stack.pop_back();
    ++visited;
    if (j->is_array()) {
      for (auto it = j->rbegin(); it != j->rend(); ++it) stack.push_back(&*it);
    } else if (j->is_object()) {
      if (j->contains("@type") && is_article_type((*j)["@type"])) from_article_object(*j, f);
      if (j->contains("@graph")) stack.push_back(&(*j)["@graph"]);
      if (j->contains("mainEntity")) stack.push_back(&(*j)["mainEntity"]);
    }
  }
}

}  // namespace

std::string subtree_text(const FlatDom& dom, std::uint32_t i) {
  std::string out;
  bool pending = false;
  const std::uint32_t end = dom.nodes[i].end;
  for (std::uint32_t k = i; k < end; ++k) {
    const Node& n = dom.nodes[k];
    if (n.is_text) text::append_collapsed(out, node_text(n.g), pending);
    else if (k != i) pending = true;  // element boundaries separate words
  }
  return out;
}

std::string strip_site_name(const std::string& title, const std::string& site_name) {
  static constexpr const char* kSeparators[] = {" | ", " - ", " – ", " — ", " :: ", " · ", " « ", " » ", " / ", ": "};
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
    if (!site_name.empty()) {
      const std::string ls = lower_ascii(site_name);
      if (lower_ascii(parts.back()) == ls || lower_ascii(parts.back()).find(ls) != std::string::npos) {
        parts.pop_back();
      } else if (lower_ascii(parts.front()) == ls) {
        parts.erase(parts.begin());
      } else {
        continue;
      }
      std::string out;
      for (std::size_t k = 0; k < parts.size(); ++k) out += (k ? sep : "") + parts[k];
      return text::collapse_whitespace(out);
    }
    if (std::strcmp(sep, ": ") == 0) continue;  // a colon is usually part of the headline
    // No known site name: the longest part is the headline when it clearly dominates.
    auto longest = std::max_element(parts.begin(), parts.end(),
                                    [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
    std::size_t others = 0;
    for (const auto& p : parts)
      if (&p != &*longest) others = std::max(others, p.size());
    if (longest->size() >= 2 * others || parts.back().size() <= 30) {
      if (parts.back().size() <= 30 && &parts.back() != &*longest) {
        parts.pop_back();
        std::string out;
        for (std::size_t k = 0; k < parts.size(); ++k) out += (k ? sep : "") + parts[k];
        return text::collapse_whitespace(out);
      }
      return text::collapse_whitespace(*longest);
    }
  }
  return title;
}

PageFacts extract_metadata(const FlatDom& dom, const std::string& fallback_url) {
  PageFacts f;
  Metadata& m = f.meta;
  std::optional<std::string> og_title, og_site, og_url, canonical, description, og_description, time_date, meta_author,
      json_title;
  bool in_body = false;
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
        if (f.first_h1.empty()) f.first_h1 = text::to_nfc(subtree_text(dom, i));
        break;
      case GUMBO_TAG_META: {
        const std::string key = lower_ascii(!attribute(g, "property").empty() ? attribute(g, "property")
                                            : !attribute(g, "name").empty()   ? attribute(g, "name")
                                            : !attribute(g, "itemprop").empty() ? attribute(g, "itemprop")
                                                                                 : attribute(g, "http-equiv"));
        const std::string_view content = attribute(g, "content");
        if (key.empty() || content.empty()) break;
        if (key == "og:title" || key == "twitter:title") set_if_empty(og_title, content);
        else if (key == "og:site_name" || key == "application-name") set_if_empty(og_site, content);
        else if (key == "og:url") set_if_empty(og_url, content);
        else if (key == "description") set_if_empty(description, content);
        else if (key == "og:description" || key == "twitter:description") set_if_empty(og_description, content);
        else if (key == "og:image" || key == "twitter:image" || key == "og:image:url") set_if_empty(m.image, content);
        else if (key == "author" || key == "article:author" || key == "dc.creator" || key == "parsely-author" ||
                 key == "sailthru.author" || key == "byl") {
          if (!is_url(content)) {
            std::string a(content);
            if (key == "byl" && lower_ascii(a).starts_with("by ")) a = a.substr(3);
            if (!meta_author) meta_author = a;
          }
        } else if (key == "article:published_time" || key == "og:article:published_time" || key == "pubdate" ||
                   key == "publishdate" || key == "publish-date" || key == "date" || key == "dc.date.issued" ||
                   key == "dc.date" || key == "dcterms.date" || key == "dcterms.created" || key == "sailthru.date" ||
                   key == "parsely-pub-date" || key == "article.published" || key == "datepublished" ||
                   key == "citation_publication_date" || key == "original-publish-date")
          set_date_if_empty(m.date_published, content);
        else if (key == "article:modified_time" || key == "og:updated_time" || key == "datemodified" ||
                 key == "dcterms.modified" || key == "last-modified")
          set_date_if_empty(m.date_modified, content);
        else if (key == "content-language" || key == "og:locale" || key == "dc.language" || key == "language")
          set_if_empty(m.declared_language, content);
        break;
      }
      case GUMBO_TAG_LINK: {
        const std::string rel = lower_ascii(attribute(g, "rel"));
        if (rel == "canonical") set_if_empty(canonical, attribute(g, "href"));
        break;
      }
      case GUMBO_TAG_SCRIPT: {
        std::string_view src = attribute(g, "src");
        if (!src.empty()) f.script_srcs.emplace_back(src);
        if (lower_ascii(attribute(g, "type")).find("ld+json") != std::string::npos) {
          std::string body;
          for (std::uint32_t k = i + 1; k < n.end; ++k)
            if (dom.nodes[k].is_text) body += node_text(dom.nodes[k].g);
          PageFacts jf;
          read_json_ld(body, jf);
          set_if_empty(json_title, jf.meta.title.value_or(""));
          if (jf.meta.date_published) set_if_empty(m.date_published, *jf.meta.date_published);
          if (jf.meta.date_modified) set_if_empty(m.date_modified, *jf.meta.date_modified);
          if (jf.meta.description) set_if_empty(description, *jf.meta.description);
          if (jf.meta.image) set_if_empty(m.image, *jf.meta.image);
          if (jf.meta.site_name) set_if_empty(og_site, *jf.meta.site_name);
          if (jf.meta.declared_language) set_if_empty(m.declared_language, *jf.meta.declared_language);
          for (const auto& a : jf.meta.authors) add_author(m.authors, a);
        }
        break;
      }
      case GUMBO_TAG_TIME: {
        if (time_date) break;
        std::string_view dt = attribute(g, "datetime");
        if (!dt.empty()) {
          if (auto d = text::parse_iso_date(dt)) time_date = *d;
        }
        break;
      }
      default:
        break;
    }
    if (n.tag != GUMBO_TAG_META && n.tag != GUMBO_TAG_SCRIPT) {
      std::string_view itemprop = attribute(g, "itemprop");
      if (itemprop == "datePublished" && !m.date_published) {
        std::string_view v = attribute(g, "datetime");
        if (v.empty()) v = attribute(g, "content");
        if (!v.empty()) set_date_if_empty(m.date_published, v);
      } else if (itemprop == "author" && m.authors.empty()) {
        add_author(m.authors, subtree_text(dom, i));
      }
    }
  }
  if (m.authors.empty() && meta_author) {
    // "A, B and C" lists in one meta value are kept as one author string: names contain commas too often.
    add_author(m.authors, *meta_author);
  }
  if (!m.date_published && time_date) m.date_published = time_date;
  m.site_name = og_site;
  m.description = description ? description : og_description;
  if (canonical && is_url(*canonical) && !canonical->starts_with("/")) m.url = canonical;
  else if (og_url && is_url(*og_url) && !og_url->starts_with("/")) m.url = og_url;
  else if (!fallback_url.empty()) m.url = fallback_url;

  // Headline: og:title / JSON-LD headline / <title>, without the site name; the page's h1
  // when it agrees with the <title>.
  const std::string site = m.site_name.value_or("");
  std::string title;
  if (og_title) title = strip_site_name(*og_title, site);
  else if (json_title) title = *json_title;
  else if (!f.raw_title.empty()) {
    if (!f.first_h1.empty() && f.raw_title.find(f.first_h1) != std::string::npos) title = f.first_h1;
    else title = strip_site_name(f.raw_title, site);
  } else {
    title = f.first_h1;
  }
  if (!title.empty()) m.title = text::to_nfc(title);
  return f;
}

}  // namespace scrubtext::html
