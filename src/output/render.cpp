// Text, Markdown and JSON writers.
#include <nlohmann/json.hpp>

#include "scrubtext/output.h"
#include "text/normalize.h"

namespace scrubtext {

const char* status_name(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::Empty: return "empty";
    case Status::Binary: return "binary";
    case Status::TooLarge: return "too-large";
    case Status::BadGzip: return "bad-gzip";
    case Status::TooComplex: return "too-complex";
  }
  return "unknown";
}

const char* block_kind_name(BlockKind k) {
  switch (k) {
    case BlockKind::Paragraph: return "paragraph";
    case BlockKind::Heading: return "heading";
    case BlockKind::ListItem: return "list-item";
    case BlockKind::Quote: return "quote";
    case BlockKind::Preformatted: return "pre";
    case BlockKind::TableCell: return "table-row";
    case BlockKind::Caption: return "caption";
  }
  return "paragraph";
}

const char* family_name(Family f) {
  switch (f) {
    case Family::None: return "";
    case Family::Consent: return "consent";
    case Family::Sprite: return "sprite";
    case Family::Notice: return "notice";
    case Family::Chrome: return "chrome";
    case Family::Boilerplate: return "boilerplate";
    case Family::Selection: return "selection";
    case Family::Metadata: return "metadata";
  }
  return "";
}

namespace {

using ojson = nlohmann::ordered_json;

ojson opt(const std::optional<std::string>& v) { return v ? ojson(*v) : ojson(nullptr); }

// First `max_chars` code points of `s`, with "…" when cut.
std::string excerpt(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0, i = 0;
  while (i < s.size() && chars < max_chars) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  std::string out(s.substr(0, i));
  if (i < s.size()) out += "\xE2\x80\xA6";
  return out;
}

ojson to_json(const Document& doc, const RenderOptions& ro) {
  ojson j;
  j["source"] = doc.source;
  j["status"] = status_name(doc.status);
  if (doc.status != Status::Ok) {
    j["error"] = doc.error;
    return j;
  }
  const Metadata& m = doc.metadata;
  j["url"] = opt(m.url);
  j["title"] = opt(m.title);
  if (m.authors.empty()) j["author"] = nullptr;
  else {
    std::string all;
    for (const auto& a : m.authors) all += (all.empty() ? "" : "; ") + a;
    j["author"] = all;
  }
  j["authors"] = m.authors;
  j["date"] = opt(m.date_published);
  j["date_modified"] = opt(m.date_modified);
  j["datetime"] = opt(m.datetime_published);
  j["datetime_modified"] = opt(m.datetime_modified);
  j["date_source"] = opt(m.date_source);
  j["site_name"] = opt(m.site_name);
  j["description"] = opt(m.description);
  j["image"] = opt(m.image);
  j["tags"] = m.tags;
  j["categories"] = m.categories;
  j["page_type"] = opt(m.page_type);
  j["language"] = doc.language;
  j["language_confidence"] = std::round(doc.language_confidence * 1000.0) / 1000.0;
  j["chrome_language"] = doc.chrome_language.empty() ? ojson(nullptr) : ojson(doc.chrome_language);
  ojson langs = ojson::array();
  for (const auto& l : doc.languages)
    langs.push_back({{"code", l.code}, {"share", std::round(l.share * 1000.0) / 1000.0}});
  j["languages"] = langs;
  j["declared_language"] = opt(m.declared_language);
  j["input_kind"] = doc.input_kind;
  j["charset"] = doc.charset;
  j["invalid_bytes"] = doc.invalid_bytes;
  j["truncated"] = doc.truncated;
  j["text"] = doc.text;
  ojson removed = ojson::array();
  for (const auto& b : doc.blocks) {
    if (b.kept) continue;
    removed.push_back({{"rule", b.rule_id},
                       {"family", family_name(b.family)},
                       {"kind", block_kind_name(b.kind)},
                       {"excerpt", excerpt(b.text, ro.excerpt_chars)}});
  }
  j["removed"] = removed;
  auto links_of = [](const Block& b, ojson& into) {
    for (const auto& l : b.links)
      if (l.begin < l.end && l.end <= b.text.size())
        into.push_back({{"text", b.text.substr(l.begin, l.end - l.begin)}, {"href", l.href}});
  };
  if (ro.links) {
    ojson links = ojson::array();
    for (const auto& b : doc.blocks)
      if (b.kept) links_of(b, links);
    j["links"] = links;
  }
  if (ro.explain) {
    ojson blocks = ojson::array();
    for (const auto& b : doc.blocks) {
      ojson o{{"kind", block_kind_name(b.kind)}, {"kept", b.kept}};
      if (b.kind == BlockKind::Heading || b.kind == BlockKind::ListItem) o["level"] = b.level;
      if (!b.kept) {
        o["family"] = family_name(b.family);
        o["rule"] = b.rule_id;
      }
      o["language"] = b.language;
      o["text"] = b.text;
      if (ro.links && !b.links.empty()) {
        ojson links = ojson::array();
        links_of(b, links);
        o["links"] = links;
      }
      blocks.push_back(std::move(o));
    }
    j["blocks"] = blocks;
  }
  return j;
}

// The block's text with its links written as [text](href) (brackets in the text and
// parentheses in the href escaped).
std::string with_links(const Block& b) {
  std::string out;
  std::size_t at = 0;
  for (const auto& l : b.links) {
    if (l.begin < at || l.end > b.text.size() || l.begin >= l.end) continue;
    out.append(b.text, at, l.begin - at);
    out += '[';
    for (std::size_t i = l.begin; i < l.end; ++i) {
      const char c = b.text[i];
      if (c == '[' || c == ']' || c == '\\') out += '\\';
      out += c;
    }
    out += "](";
    for (char c : l.href) {
      if (c == ' ') out += "%20";
      else if (c == '(' ) out += "%28";
      else if (c == ')') out += "%29";
      else if (c != '\n' && c != '\r' && c != '\t') out += c;
    }
    out += ')';
    at = l.end;
  }
  out.append(b.text, at, std::string::npos);
  return out;
}

std::string markdown(const Document& doc, bool links) {
  std::string out;
  if (doc.metadata.title) out += "# " + *doc.metadata.title + "\n\n";
  bool first = true;
  BlockKind prev = BlockKind::Paragraph;
  for (const auto& b : doc.blocks) {
    if (!b.kept) continue;
    const bool tight = !first && prev == BlockKind::ListItem && b.kind == BlockKind::ListItem;
    if (!first) out += tight ? "\n" : "\n\n";
    first = false;
    prev = b.kind;
    const std::string text = links && b.kind != BlockKind::Preformatted ? with_links(b) : b.text;
    switch (b.kind) {
      case BlockKind::Heading:
        out += std::string(static_cast<std::size_t>(std::min(6, std::max(2, b.level + 1))), '#') + " " + text;
        break;
      case BlockKind::ListItem:
        out += std::string(static_cast<std::size_t>(std::max(0, b.level - 1)) * 2, ' ') + "- " + text;
        break;
      case BlockKind::Quote: {
        out += "> ";
        for (char c : text) {
          out += c;
          if (c == '\n') out += "> ";
        }
        break;
      }
      case BlockKind::Preformatted:
        out += "```\n" + b.text + "\n```";
        break;
      case BlockKind::TableCell:
        out += "| " + text + " |";
        break;
      case BlockKind::Caption:
        out += "*" + text + "*";
        break;
      case BlockKind::Paragraph:
        for (char c : text) {
          if (c == '\n') out += "  \n";  // a hard line break in Markdown
          else out += c;
        }
        break;
    }
  }
  if (!out.empty()) out += "\n";
  return out;
}

}  // namespace

std::string render(const Document& doc, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::Text: {
      if (doc.status != Status::Ok) return "";
      std::string out;
      if (doc.metadata.title) out += *doc.metadata.title + "\n\n";
      out += doc.text;
      if (!out.empty() && out.back() != '\n') out += "\n";
      return out;
    }
    case Format::Markdown:
      return doc.status == Status::Ok ? markdown(doc, options.links) : "";
    case Format::Json:
      return to_json(doc, options).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    case Format::Jsonl:
      return to_json(doc, options).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return "";
}

}  // namespace scrubtext
