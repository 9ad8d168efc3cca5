// The C interface (include/scrubtext.h) over the C++ API. The opaque handles are the C++
// objects themselves; every entry point checks its arguments, catches every exception and
// turns it into an error code plus a per-thread message, so nothing C++ crosses the boundary.
#include "scrubtext.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "scrubtext/scrubtext.h"

struct scrubtext_options {
  // Nothing in the C API reads links (scrubtext_document_render writes none), so they are
  // not recorded: the prescan then reduces every href (Options::links).
  scrubtext::Options options = [] {
    scrubtext::Options o;
    o.links = false;
    return o;
  }();
  scrubtext::RuleSet rules = scrubtext::RuleSet::builtin();
};

struct scrubtext_cleaner {
  scrubtext::Cleaner cleaner;
};

struct scrubtext_document {
  scrubtext::Document doc;
  std::string author;                            // Metadata::authors joined with "; "
  std::vector<const scrubtext::Block*> removed;  // the removed blocks, in reading order

  explicit scrubtext_document(scrubtext::Document d) : doc(std::move(d)) {
    for (std::size_t i = 0; i < doc.metadata.authors.size(); ++i) {
      if (i) author += "; ";
      author += doc.metadata.authors[i];
    }
    for (const auto& b : doc.blocks)
      if (!b.kept) removed.push_back(&b);
  }
};

namespace {

thread_local std::string t_last_error;

scrubtext_error fail(scrubtext_error code, std::string_view message) noexcept {
  try {
    t_last_error.assign(message);
  } catch (...) {
    t_last_error.clear();  // out of memory while reporting: the code still says what happened
  }
  return code;
}

scrubtext_error succeed() noexcept {
  t_last_error.clear();
  return SCRUBTEXT_OK;
}

scrubtext_error null_argument(const char* function, const char* argument) noexcept {
  try {
    return fail(SCRUBTEXT_ERR_NULL_ARGUMENT, std::string(function) + ": " + argument + " is NULL");
  } catch (...) {
    return fail(SCRUBTEXT_ERR_NULL_ARGUMENT, "a required argument is NULL");
  }
}

// Runs `body`, mapping any exception to an error code and message.
template <class Body>
scrubtext_error guarded(const char* function, Body&& body) noexcept {
  try {
    return body();
  } catch (const scrubtext::RuleError& e) {
    return fail(SCRUBTEXT_ERR_RULES, e.what());
  } catch (const std::bad_alloc&) {
    return fail(SCRUBTEXT_ERR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    try {
      return fail(SCRUBTEXT_ERR_INTERNAL, std::string(function) + ": internal error: " + e.what());
    } catch (...) {
      return fail(SCRUBTEXT_ERR_INTERNAL, "internal error");
    }
  } catch (...) {
    return fail(SCRUBTEXT_ERR_INTERNAL, "internal error: unknown exception");
  }
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;              // continuation bytes
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the first continuation byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const unsigned d = static_cast<unsigned char>(s[i + k]);
      if (d < (k == 1 ? lo : 0x80u) || d > (k == 1 ? hi : 0xBFu)) return false;
    }
    i += n + 1;
  }
  return true;
}

// Checks an optional string argument; returns false (with the error set) when it is not UTF-8.
bool utf8_argument(const char* function, const char* argument, const char* value, scrubtext_error& code) noexcept {
  if (value == nullptr || valid_utf8(value)) return true;
  try {
    code = fail(SCRUBTEXT_ERR_INVALID_UTF8, std::string(function) + ": " + argument + " is not valid UTF-8");
  } catch (...) {
    code = fail(SCRUBTEXT_ERR_INVALID_UTF8, "a string argument is not valid UTF-8");
  }
  return false;
}

const char* optional_field(const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; }
const char* nonempty_field(const std::string& v) { return v.empty() ? nullptr : v.c_str(); }

}  // namespace

extern "C" {

const char* scrubtext_last_error(void) { return t_last_error.c_str(); }

const char* scrubtext_error_name(scrubtext_error error) {
  switch (static_cast<int>(error)) {
    case SCRUBTEXT_OK: return "ok";
    case SCRUBTEXT_ERR_NULL_ARGUMENT: return "null-argument";
    case SCRUBTEXT_ERR_INVALID_ARGUMENT: return "invalid-argument";
    case SCRUBTEXT_ERR_INVALID_UTF8: return "invalid-utf8";
    case SCRUBTEXT_ERR_RULES: return "rules";
    case SCRUBTEXT_ERR_OUT_OF_MEMORY: return "out-of-memory";
    case SCRUBTEXT_ERR_INTERNAL: return "internal";
  }
  return "unknown";
}

const char* scrubtext_status_name(scrubtext_status status) {
  switch (static_cast<int>(status)) {
    case SCRUBTEXT_STATUS_NULL: return "null";
    case SCRUBTEXT_STATUS_OK: return scrubtext::status_name(scrubtext::Status::Ok);
    case SCRUBTEXT_STATUS_EMPTY: return scrubtext::status_name(scrubtext::Status::Empty);
    case SCRUBTEXT_STATUS_BINARY: return scrubtext::status_name(scrubtext::Status::Binary);
    case SCRUBTEXT_STATUS_TOO_LARGE: return scrubtext::status_name(scrubtext::Status::TooLarge);
    case SCRUBTEXT_STATUS_BAD_GZIP: return scrubtext::status_name(scrubtext::Status::BadGzip);
    case SCRUBTEXT_STATUS_TOO_COMPLEX: return scrubtext::status_name(scrubtext::Status::TooComplex);
  }
  return "unknown";
}

// ---- Options

scrubtext_options* scrubtext_options_new(void) {
  scrubtext_options* made = nullptr;
  const scrubtext_error e = guarded("scrubtext_options_new", [&] {
    made = new scrubtext_options;
    return succeed();
  });
  return e == SCRUBTEXT_OK ? made : nullptr;
}

void scrubtext_options_free(scrubtext_options* options) { delete options; }

scrubtext_error scrubtext_options_clear_rules(scrubtext_options* options) {
  if (!options) return null_argument("scrubtext_options_clear_rules", "options");
  options->rules = scrubtext::RuleSet();
  return succeed();
}

scrubtext_error scrubtext_options_add_rules(scrubtext_options* options, const char* path) {
  if (!options) return null_argument("scrubtext_options_add_rules", "options");
  if (!path) return null_argument("scrubtext_options_add_rules", "path");
  return guarded("scrubtext_options_add_rules", [&] {
    std::error_code ec;
    // add_file and add_directory leave the set unchanged when they throw.
    if (std::filesystem::is_directory(path, ec)) options->rules.add_directory(path);
    else options->rules.add_file(path);
    return succeed();
  });
}

scrubtext_error scrubtext_options_add_rules_text(scrubtext_options* options, const char* name, const char* text,
                                                 size_t len) {
  static constexpr const char* fn = "scrubtext_options_add_rules_text";
  if (!options) return null_argument(fn, "options");
  if (!text && len) return null_argument(fn, "text");
  scrubtext_error code = SCRUBTEXT_OK;
  if (!utf8_argument(fn, "name", name, code)) return code;
  const std::string_view body(text ? text : "", len);
  if (!valid_utf8(body)) return fail(SCRUBTEXT_ERR_INVALID_UTF8, "scrubtext_options_add_rules_text: text is not valid UTF-8");
  return guarded(fn, [&] {
    options->rules.add_text(name ? name : "<text>", body);
    return succeed();
  });
}

scrubtext_error scrubtext_options_set_input(scrubtext_options* options, scrubtext_input input) {
  if (!options) return null_argument("scrubtext_options_set_input", "options");
  switch (static_cast<int>(input)) {  // C callers may pass any int
    case SCRUBTEXT_INPUT_AUTO: options->options.input = scrubtext::InputKind::Auto; return succeed();
    case SCRUBTEXT_INPUT_HTML: options->options.input = scrubtext::InputKind::Html; return succeed();
    case SCRUBTEXT_INPUT_TEXT: options->options.input = scrubtext::InputKind::Text; return succeed();
  }
  return fail(SCRUBTEXT_ERR_INVALID_ARGUMENT, "scrubtext_options_set_input: unknown input kind");
}

scrubtext_error scrubtext_options_set_limit(scrubtext_options* options, scrubtext_limit limit, size_t value) {
  if (!options) return null_argument("scrubtext_options_set_limit", "options");
  if (value == 0) return fail(SCRUBTEXT_ERR_INVALID_ARGUMENT, "scrubtext_options_set_limit: a limit must be positive");
  scrubtext::Limits& l = options->options.limits;
  switch (static_cast<int>(limit)) {
    case SCRUBTEXT_LIMIT_INPUT_BYTES: l.max_input_bytes = value; return succeed();
    case SCRUBTEXT_LIMIT_NODES: l.max_nodes = value; return succeed();
    case SCRUBTEXT_LIMIT_DOM_DEPTH: l.max_dom_depth = value; return succeed();
    case SCRUBTEXT_LIMIT_OUTPUT_BYTES: l.max_output_bytes = value; return succeed();
  }
  return fail(SCRUBTEXT_ERR_INVALID_ARGUMENT, "scrubtext_options_set_limit: unknown limit");
}

scrubtext_error scrubtext_options_set_keep_removed_blocks(scrubtext_options* options, int keep) {
  if (!options) return null_argument("scrubtext_options_set_keep_removed_blocks", "options");
  options->options.keep_removed_blocks = keep != 0;
  return succeed();
}

// ---- Cleaner

scrubtext_error scrubtext_cleaner_new(const scrubtext_options* options, scrubtext_cleaner** out) {
  if (!out) return null_argument("scrubtext_cleaner_new", "out");
  *out = nullptr;
  return guarded("scrubtext_cleaner_new", [&] {
    if (options) *out = new scrubtext_cleaner{scrubtext::Cleaner(options->options, options->rules)};
    else *out = new scrubtext_cleaner{scrubtext::Cleaner()};
    return succeed();
  });
}

void scrubtext_cleaner_free(scrubtext_cleaner* cleaner) { delete cleaner; }

scrubtext_error scrubtext_clean(const scrubtext_cleaner* cleaner, const char* bytes, size_t len, const char* name,
                                const char* url, const char* charset, scrubtext_document** out) {
  static constexpr const char* fn = "scrubtext_clean";
  if (!out) return null_argument(fn, "out");
  *out = nullptr;
  if (!cleaner) return null_argument(fn, "cleaner");
  if (!bytes && len) return null_argument(fn, "bytes");
  scrubtext_error code = SCRUBTEXT_OK;
  if (!utf8_argument(fn, "name", name, code) || !utf8_argument(fn, "url", url, code) ||
      !utf8_argument(fn, "charset", charset, code))
    return code;
  return guarded(fn, [&] {
    scrubtext::SourceInfo source;
    if (name) source.name = name;
    if (url) source.url = url;
    if (charset) source.charset = charset;
    *out = new scrubtext_document(cleaner->cleaner.clean(std::string_view(bytes ? bytes : "", len), source));
    return succeed();
  });
}

// ---- Document

void scrubtext_document_free(scrubtext_document* doc) { delete doc; }

scrubtext_status scrubtext_document_status(const scrubtext_document* doc) {
  if (!doc) return SCRUBTEXT_STATUS_NULL;
  switch (doc->doc.status) {
    case scrubtext::Status::Ok: return SCRUBTEXT_STATUS_OK;
    case scrubtext::Status::Empty: return SCRUBTEXT_STATUS_EMPTY;
    case scrubtext::Status::Binary: return SCRUBTEXT_STATUS_BINARY;
    case scrubtext::Status::TooLarge: return SCRUBTEXT_STATUS_TOO_LARGE;
    case scrubtext::Status::BadGzip: return SCRUBTEXT_STATUS_BAD_GZIP;
    case scrubtext::Status::TooComplex: return SCRUBTEXT_STATUS_TOO_COMPLEX;
  }
  return SCRUBTEXT_STATUS_BINARY;  // unreachable: every Status is mapped above
}

const char* scrubtext_document_field(const scrubtext_document* doc, scrubtext_field field) {
  if (!doc) return nullptr;
  const scrubtext::Document& d = doc->doc;
  const scrubtext::Metadata& m = d.metadata;
  switch (static_cast<int>(field)) {
    case SCRUBTEXT_FIELD_TEXT: return d.text.c_str();
    case SCRUBTEXT_FIELD_TITLE: return optional_field(m.title);
    case SCRUBTEXT_FIELD_URL: return optional_field(m.url);
    case SCRUBTEXT_FIELD_DESCRIPTION: return optional_field(m.description);
    case SCRUBTEXT_FIELD_SITE_NAME: return optional_field(m.site_name);
    case SCRUBTEXT_FIELD_AUTHOR: return nonempty_field(doc->author);
    case SCRUBTEXT_FIELD_DATE_PUBLISHED: return optional_field(m.date_published);
    case SCRUBTEXT_FIELD_DATE_MODIFIED: return optional_field(m.date_modified);
    case SCRUBTEXT_FIELD_IMAGE: return optional_field(m.image);
    case SCRUBTEXT_FIELD_DECLARED_LANGUAGE: return optional_field(m.declared_language);
    case SCRUBTEXT_FIELD_LANGUAGE: return d.language.c_str();
    case SCRUBTEXT_FIELD_CHROME_LANGUAGE: return nonempty_field(d.chrome_language);
    case SCRUBTEXT_FIELD_INPUT_KIND: return d.input_kind.c_str();
    case SCRUBTEXT_FIELD_CHARSET: return d.charset.c_str();
    case SCRUBTEXT_FIELD_SOURCE: return d.source.c_str();
    case SCRUBTEXT_FIELD_ERROR: return d.status == scrubtext::Status::Ok ? nullptr : d.error.c_str();
  }
  return nullptr;
}

const char* scrubtext_document_text(const scrubtext_document* doc) {
  return scrubtext_document_field(doc, SCRUBTEXT_FIELD_TEXT);
}

const char* scrubtext_document_title(const scrubtext_document* doc) {
  return scrubtext_document_field(doc, SCRUBTEXT_FIELD_TITLE);
}

const char* scrubtext_document_error(const scrubtext_document* doc) {
  return scrubtext_document_field(doc, SCRUBTEXT_FIELD_ERROR);
}

double scrubtext_document_language_confidence(const scrubtext_document* doc) {
  return doc ? doc->doc.language_confidence : 0.0;
}

size_t scrubtext_document_language_count(const scrubtext_document* doc) { return doc ? doc->doc.languages.size() : 0; }

const char* scrubtext_document_language_at(const scrubtext_document* doc, size_t index, double* share) {
  if (!doc || index >= doc->doc.languages.size()) return nullptr;
  const scrubtext::LanguageShare& l = doc->doc.languages[index];
  if (share) *share = l.share;
  return l.code.c_str();
}

size_t scrubtext_document_removed_count(const scrubtext_document* doc) { return doc ? doc->removed.size() : 0; }

scrubtext_error scrubtext_document_removed_at(const scrubtext_document* doc, size_t index, const char** rule_id,
                                              const char** family, const char** text) {
  if (rule_id) *rule_id = nullptr;
  if (family) *family = nullptr;
  if (text) *text = nullptr;
  if (!doc) return null_argument("scrubtext_document_removed_at", "doc");
  if (index >= doc->removed.size())
    return fail(SCRUBTEXT_ERR_INVALID_ARGUMENT, "scrubtext_document_removed_at: index past the last removed block");
  const scrubtext::Block& b = *doc->removed[index];
  if (rule_id) *rule_id = b.rule_id.c_str();
  if (family) *family = scrubtext::family_name(b.family);
  if (text) *text = b.text.c_str();
  return succeed();
}

size_t scrubtext_document_invalid_bytes(const scrubtext_document* doc) { return doc ? doc->doc.invalid_bytes : 0; }

int scrubtext_document_truncated(const scrubtext_document* doc) { return doc && doc->doc.truncated ? 1 : 0; }

scrubtext_error scrubtext_document_render(const scrubtext_document* doc, scrubtext_format format, int explain,
                                          char** out, size_t* out_len) {
  static constexpr const char* fn = "scrubtext_document_render";
  if (out) *out = nullptr;
  if (out_len) *out_len = 0;
  if (!doc) return null_argument(fn, "doc");
  if (!out) return null_argument(fn, "out");
  scrubtext::Format f;
  switch (static_cast<int>(format)) {
    case SCRUBTEXT_FORMAT_TEXT: f = scrubtext::Format::Text; break;
    case SCRUBTEXT_FORMAT_MARKDOWN: f = scrubtext::Format::Markdown; break;
    case SCRUBTEXT_FORMAT_JSON: f = scrubtext::Format::Json; break;
    case SCRUBTEXT_FORMAT_JSONL: f = scrubtext::Format::Jsonl; break;
    default: return fail(SCRUBTEXT_ERR_INVALID_ARGUMENT, "scrubtext_document_render: unknown format");
  }
  return guarded(fn, [&] {
    scrubtext::RenderOptions ro;
    ro.explain = explain != 0;
    const std::string s = scrubtext::render(doc->doc, f, ro);
    auto* buffer = static_cast<char*>(std::malloc(s.size() + 1));
    if (!buffer) throw std::bad_alloc();
    std::memcpy(buffer, s.c_str(), s.size() + 1);
    *out = buffer;
    if (out_len) *out_len = s.size();
    return succeed();
  });
}

void scrubtext_string_free(char* s) { std::free(s); }

}  // extern "C"
