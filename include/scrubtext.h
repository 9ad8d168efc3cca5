/** \file scrubtext.h
 * The C interface to scrubtext, for C programs and foreign-function interfaces (Python
 * ctypes, Go cgo, Rust, Node): clean a scraped web page (HTML or a text dump) into article
 * text and metadata.
 *
 * \code
 *   #include <scrubtext.h>
 *
 *   scrubtext_cleaner* cleaner = NULL;
 *   if (scrubtext_cleaner_new(NULL, &cleaner) != SCRUBTEXT_OK) {     // default options and rules
 *     fprintf(stderr, "scrubtext: %s\n", scrubtext_last_error());
 *     return 1;
 *   }
 *   scrubtext_document* doc = NULL;
 *   if (scrubtext_clean(cleaner, page, page_len, "page.html", NULL, NULL, &doc) == SCRUBTEXT_OK) {
 *     if (scrubtext_document_status(doc) == SCRUBTEXT_STATUS_OK)
 *       printf("%s\n\n%s\n", scrubtext_document_title(doc) ? scrubtext_document_title(doc) : "",
 *              scrubtext_document_text(doc));
 *     else
 *       fprintf(stderr, "refused: %s\n", scrubtext_document_error(doc));
 *   }
 *   scrubtext_document_free(doc);
 *   scrubtext_cleaner_free(cleaner);
 * \endcode
 *
 * Build: `cc app.c $(pkg-config --cflags --libs scrubtext)`; static:
 * `pkg-config --static --libs scrubtext` lists the private dependencies. The header is
 * C89-compatible and also compiles as C++.
 *
 * **Conventions.** Every string passed in or returned is UTF-8 and NUL-terminated, except
 * the page bytes given to scrubtext_clean(), which may be in any charset and contain any
 * bytes. A `const char*` returned by an accessor is owned by the object it came from and
 * stays valid until that object is freed; strings the caller must free are returned through
 * `char**` and freed with scrubtext_string_free(). Every object made by a `_new` or
 * scrubtext_clean() is freed with its own `_free` function, which accepts NULL.
 *
 * **Errors.** Calls that can fail return a ::scrubtext_error; ::SCRUBTEXT_OK is 0. On failure
 * any out-pointer is set to NULL and scrubtext_last_error() describes the failure. No C++
 * exception ever crosses this interface. Accessors (`scrubtext_document_*` getters) cannot
 * fail: given NULL they return NULL, 0 or ::SCRUBTEXT_STATUS_NULL. A page that cannot be
 * cleaned (binary, empty, too large…) is not an error of the call: scrubtext_clean()
 * succeeds and the document's status says why the page was refused.
 *
 * **Threads.** A ::scrubtext_cleaner is immutable once built: any number of threads may call
 * scrubtext_clean() on the same cleaner at once. A ::scrubtext_document and a
 * ::scrubtext_options may be used by one thread at a time (or read concurrently once no
 * thread changes them). scrubtext_last_error() is per thread.
 *
 * **Cost.** Building a cleaner compiles about a thousand rule patterns (a few hundred
 * milliseconds): build one per process and share it. scrubtext_clean() is linear in the
 * input size and allocates a few times the input; the accessors are O(1) unless stated.
 */
#ifndef SCRUBTEXT_H_
#define SCRUBTEXT_H_

#include <stddef.h>

#include "scrubtext/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a call that can fail returns. Stable values: they will not be renumbered. */
typedef enum scrubtext_error {
  SCRUBTEXT_OK = 0,                 /**< Success. */
  SCRUBTEXT_ERR_NULL_ARGUMENT = 1,  /**< A required pointer argument was NULL. */
  SCRUBTEXT_ERR_INVALID_ARGUMENT = 2, /**< An argument is out of range (unknown enum value, zero limit, index past the end). */
  SCRUBTEXT_ERR_INVALID_UTF8 = 3,   /**< A string argument (name, URL, charset, rule text) is not valid UTF-8. */
  SCRUBTEXT_ERR_RULES = 4,          /**< A rule file cannot be read or is malformed; the message is "file:line: reason". */
  SCRUBTEXT_ERR_OUT_OF_MEMORY = 5,  /**< An allocation failed. */
  SCRUBTEXT_ERR_INTERNAL = 6        /**< An unexpected failure inside the library (a bug: please report the message). */
} scrubtext_error;

/** Why a page was refused, or ::SCRUBTEXT_STATUS_OK. Mirrors scrubtext::Status. */
typedef enum scrubtext_status {
  SCRUBTEXT_STATUS_NULL = -1,       /**< Returned by scrubtext_document_status() for a NULL document. */
  SCRUBTEXT_STATUS_OK = 0,          /**< Text and metadata were extracted (the text may still be empty). */
  SCRUBTEXT_STATUS_EMPTY = 1,       /**< The input had no bytes (or only whitespace). */
  SCRUBTEXT_STATUS_BINARY = 2,      /**< The input is not text: an image, a PDF, an executable, NUL bytes. */
  SCRUBTEXT_STATUS_TOO_LARGE = 3,   /**< Larger than the input limit after decompression. */
  SCRUBTEXT_STATUS_BAD_GZIP = 4,    /**< Looks gzip-compressed but does not decompress. */
  SCRUBTEXT_STATUS_TOO_COMPLEX = 5  /**< More DOM nodes than the node limit. */
} scrubtext_status;

/** How to read input bytes. */
typedef enum scrubtext_input {
  SCRUBTEXT_INPUT_AUTO = 0,  /**< Decide from the content (the default). */
  SCRUBTEXT_INPUT_HTML = 1,  /**< An HTML page. */
  SCRUBTEXT_INPUT_TEXT = 2   /**< Text somebody already extracted from a page. */
} scrubtext_input;

/** Resource bounds of a cleaner; see scrubtext_options_set_limit(). */
typedef enum scrubtext_limit {
  SCRUBTEXT_LIMIT_INPUT_BYTES = 0,   /**< Largest input after gzip decompression. Default 64 MiB. */
  SCRUBTEXT_LIMIT_NODES = 1,         /**< Most DOM nodes of one page. Default 2,000,000. */
  SCRUBTEXT_LIMIT_DOM_DEPTH = 2,     /**< Deepest nesting kept; deeper elements are flattened. Default 512. */
  SCRUBTEXT_LIMIT_OUTPUT_BYTES = 3   /**< Longest text returned; longer text is cut at a block boundary. Default 16 MiB. */
} scrubtext_limit;

/** Output formats of scrubtext_document_render(). */
typedef enum scrubtext_format {
  SCRUBTEXT_FORMAT_TEXT = 0,      /**< Headline, a blank line, the body; paragraphs separated by a blank line. */
  SCRUBTEXT_FORMAT_MARKDOWN = 1,  /**< "# Headline", then the body with headings, lists, quotes. */
  SCRUBTEXT_FORMAT_JSON = 2,      /**< One pretty-printed JSON object; fields are listed in README.md. */
  SCRUBTEXT_FORMAT_JSONL = 3      /**< The same object on one line, ending with a newline. */
} scrubtext_format;

/** Text fields of a document, read with scrubtext_document_field(). */
typedef enum scrubtext_field {
  SCRUBTEXT_FIELD_TEXT = 0,               /**< The article body without the headline. Never NULL ("" when refused). */
  SCRUBTEXT_FIELD_TITLE = 1,              /**< The headline. NULL when none was found. */
  SCRUBTEXT_FIELD_URL = 2,                /**< Canonical URL, else the URL given to scrubtext_clean(). NULL when neither. */
  SCRUBTEXT_FIELD_DESCRIPTION = 3,        /**< meta description or og:description. NULL when absent. */
  SCRUBTEXT_FIELD_SITE_NAME = 4,          /**< og:site_name or the JSON-LD publisher. NULL when absent. */
  SCRUBTEXT_FIELD_AUTHOR = 5,             /**< Authors joined with "; ". NULL when none. */
  SCRUBTEXT_FIELD_DATE_PUBLISHED = 6,     /**< ISO 8601 date. NULL when absent. */
  SCRUBTEXT_FIELD_DATE_MODIFIED = 7,      /**< ISO 8601 date. NULL when absent. */
  SCRUBTEXT_FIELD_IMAGE = 8,              /**< og:image or JSON-LD image. NULL when absent. */
  SCRUBTEXT_FIELD_DECLARED_LANGUAGE = 9,  /**< The language the page declares, as declared. NULL when none. */
  SCRUBTEXT_FIELD_LANGUAGE = 10,          /**< Content language, ISO 639-1, "und" when unknown. Never NULL. */
  SCRUBTEXT_FIELD_CHROME_LANGUAGE = 11,   /**< Language of the removed page chrome when it differs. NULL otherwise. */
  SCRUBTEXT_FIELD_INPUT_KIND = 12,        /**< "html" or "text" ("" when refused). Never NULL. */
  SCRUBTEXT_FIELD_CHARSET = 13,           /**< The charset the input was decoded from ("" when refused). Never NULL. */
  SCRUBTEXT_FIELD_SOURCE = 14,            /**< The name given to scrubtext_clean() ("" when none). Never NULL. */
  SCRUBTEXT_FIELD_ERROR = 15              /**< Why the page was refused. NULL when the status is ::SCRUBTEXT_STATUS_OK. */
} scrubtext_field;

/** A built cleaner: options and compiled rules. Immutable, shareable between threads. */
typedef struct scrubtext_cleaner scrubtext_cleaner;
/** The result of one scrubtext_clean(): owns all its strings; outlives its cleaner. */
typedef struct scrubtext_document scrubtext_document;
/** Options and rules from which a cleaner is built. Mutable; copied by scrubtext_cleaner_new(). */
typedef struct scrubtext_options scrubtext_options;

/* ---- Version and errors ------------------------------------------------------------- */

/** The library's semantic version, "MAJOR.MINOR.PATCH", as linked at run time. Compare with
 *  SCRUBTEXT_VERSION_STRING (the headers' version) to detect a mismatch. Never fails. */
const char* scrubtext_version(void);

/** The library's version as one number, MAJOR * 10000 + MINOR * 100 + PATCH. Never fails. */
int scrubtext_version_number(void);

/** The message of the last call on this thread that returned an error, or "" when the last
 *  such call succeeded (every call returning ::scrubtext_error sets it). The pointer stays
 *  valid until the next such call on the same thread. Never NULL. */
const char* scrubtext_last_error(void);

/** A short stable name for an error code ("ok", "null-argument", "invalid-argument",
 *  "invalid-utf8", "rules", "out-of-memory", "internal"); "unknown" for other values. */
const char* scrubtext_error_name(scrubtext_error error);

/** A short stable name for a status ("ok", "empty", "binary", "too-large", "bad-gzip",
 *  "too-complex"; "null" for ::SCRUBTEXT_STATUS_NULL); "unknown" for other values. */
const char* scrubtext_status_name(scrubtext_status status);

/* ---- Options ------------------------------------------------------------------------ */

/** New options: the defaults (automatic input kind, default limits, removed blocks kept)
 *  and the built-in rules. Returns NULL only when out of memory. Cost: copies the built-in
 *  rule set (parsed once per process, tens of milliseconds the first time). */
scrubtext_options* scrubtext_options_new(void);

/** Frees options. NULL is a no-op. Cleaners built from them are unaffected. */
void scrubtext_options_free(scrubtext_options* options);

/** Removes every rule from `options`, the built-in ones included; add your own after it to
 *  replace the built-in rules. ::SCRUBTEXT_ERR_NULL_ARGUMENT when `options` is NULL. */
scrubtext_error scrubtext_options_clear_rules(scrubtext_options* options);

/** Adds rules from `path`: a .rules file, or a directory whose *.rules files are read
 *  recursively in sorted path order (format: rules/README.md). `path` is handed to the
 *  operating system as it is. The rules are parsed and validated now; on any error
 *  (unreadable path, malformed line, invalid pattern, an id already present) nothing is
 *  added and ::SCRUBTEXT_ERR_RULES is returned with "file:line: reason". Cost: reads and
 *  parses the files. */
scrubtext_error scrubtext_options_add_rules(scrubtext_options* options, const char* path);

/** Adds rules from the `len` bytes at `text`, in rule-file format; `name` (NULL: "<text>")
 *  is used in error messages. ::SCRUBTEXT_ERR_INVALID_UTF8 when `text` or `name` is not
 *  UTF-8, ::SCRUBTEXT_ERR_RULES when the text is malformed (nothing is added then). */
scrubtext_error scrubtext_options_add_rules_text(scrubtext_options* options, const char* name,
                                                 const char* text, size_t len);

/** How to read inputs (default ::SCRUBTEXT_INPUT_AUTO). ::SCRUBTEXT_ERR_INVALID_ARGUMENT for
 *  a value outside ::scrubtext_input. */
scrubtext_error scrubtext_options_set_input(scrubtext_options* options, scrubtext_input input);

/** Sets one resource bound. ::SCRUBTEXT_ERR_INVALID_ARGUMENT for an unknown `limit` or a
 *  `value` of 0. */
scrubtext_error scrubtext_options_set_limit(scrubtext_options* options, scrubtext_limit limit, size_t value);

/** Whether documents keep their removed blocks (default 1), which
 *  scrubtext_document_removed_count(), scrubtext_document_removed_at() and the JSON
 *  "removed" list report. 0 saves one copy of the removed text per page. */
scrubtext_error scrubtext_options_set_keep_removed_blocks(scrubtext_options* options, int keep);

/* ---- Cleaner ------------------------------------------------------------------------ */

/** Builds a cleaner from `options` (NULL: defaults and built-in rules) into `*out`.
 *  ::SCRUBTEXT_ERR_NULL_ARGUMENT when `out` is NULL, ::SCRUBTEXT_ERR_RULES when a rule does
 *  not compile (cannot happen for rules that were added without error). Cost: compiles
 *  every rule into RE2 sets, a few hundred milliseconds for the built-in rules. */
scrubtext_error scrubtext_cleaner_new(const scrubtext_options* options, scrubtext_cleaner** out);

/** Frees a cleaner. NULL is a no-op. Documents it made stay valid. No scrubtext_clean() on
 *  it may be running. */
void scrubtext_cleaner_free(scrubtext_cleaner* cleaner);

/** Cleans one page: the `len` bytes at `bytes` (HTML or text, any charset, optionally
 *  gzip-compressed). `name` (shown as the document's source), `url` (used when the page
 *  declares none) and `charset` (declared outside the bytes, e.g. by HTTP; unknown names are
 *  ignored) may each be NULL. The new document is stored in `*out`.
 *
 *  Returns ::SCRUBTEXT_ERR_NULL_ARGUMENT when `cleaner` or `out` is NULL, or `bytes` is NULL
 *  with `len` > 0; ::SCRUBTEXT_ERR_INVALID_UTF8 when `name`, `url` or `charset` is not
 *  UTF-8; ::SCRUBTEXT_ERR_OUT_OF_MEMORY. A page that cannot be cleaned is not an error:
 *  the call succeeds and scrubtext_document_status() says why (invalid UTF-8 inside the page
 *  is replaced by U+FFFD and counted, see scrubtext_document_invalid_bytes()).
 *
 *  Thread-safe on the same cleaner. Cost: linear in `len`. */
scrubtext_error scrubtext_clean(const scrubtext_cleaner* cleaner, const char* bytes, size_t len,
                                const char* name, const char* url, const char* charset,
                                scrubtext_document** out);

/* ---- Document ----------------------------------------------------------------------- */

/** Frees a document and every string read from it. NULL is a no-op. */
void scrubtext_document_free(scrubtext_document* doc);

/** ::SCRUBTEXT_STATUS_OK, why the page was refused, or ::SCRUBTEXT_STATUS_NULL for NULL. */
scrubtext_status scrubtext_document_status(const scrubtext_document* doc);

/** A text field (see ::scrubtext_field for which may be NULL). NULL for a NULL document or
 *  an unknown field. */
const char* scrubtext_document_field(const scrubtext_document* doc, scrubtext_field field);

/** Same as scrubtext_document_field(doc, ::SCRUBTEXT_FIELD_TEXT). */
const char* scrubtext_document_text(const scrubtext_document* doc);

/** Same as scrubtext_document_field(doc, ::SCRUBTEXT_FIELD_TITLE). */
const char* scrubtext_document_title(const scrubtext_document* doc);

/** Same as scrubtext_document_field(doc, ::SCRUBTEXT_FIELD_ERROR). */
const char* scrubtext_document_error(const scrubtext_document* doc);

/** Confidence of the content language, 0–1 (0 for NULL). */
double scrubtext_document_language_confidence(const scrubtext_document* doc);

/** Number of languages with at least 10 % of the page's letters (0 for NULL). */
size_t scrubtext_document_language_count(const scrubtext_document* doc);

/** The `index`-th language (largest share first) as an ISO 639-1 code, with its share of the
 *  page's letters (0–1) stored in `*share` unless `share` is NULL. NULL when `doc` is NULL or
 *  `index` is past the end. */
const char* scrubtext_document_language_at(const scrubtext_document* doc, size_t index, double* share);

/** Number of blocks removed from the page (consent dialogs, sprite junk, navigation…); 0 for
 *  NULL or when the cleaner was built without keeping removed blocks. */
size_t scrubtext_document_removed_count(const scrubtext_document* doc);

/** The `index`-th removed block, in reading order: the id of the rule that removed it
 *  (e.g. "consent.fr.site-uses-cookies"), its family ("consent", "sprite", "notice",
 *  "chrome", "boilerplate", "selection", "metadata") and its text. Any of the out-pointers
 *  may be NULL. ::SCRUBTEXT_ERR_NULL_ARGUMENT for a NULL `doc`,
 *  ::SCRUBTEXT_ERR_INVALID_ARGUMENT when `index` >= scrubtext_document_removed_count(). */
scrubtext_error scrubtext_document_removed_at(const scrubtext_document* doc, size_t index, const char** rule_id,
                                              const char** family, const char** text);

/** Byte sequences of the page that could not be decoded and became U+FFFD (0 for NULL). */
size_t scrubtext_document_invalid_bytes(const scrubtext_document* doc);

/** 1 when the text was cut at the output limit, else 0 (0 for NULL). */
int scrubtext_document_truncated(const scrubtext_document* doc);

/** Renders the document as text, Markdown or JSON into a new NUL-terminated string stored
 *  in `*out`, its length (without the NUL) in `*out_len` unless `out_len` is NULL. Free it
 *  with scrubtext_string_free(). `explain` non-zero adds to JSON the "blocks" list (every
 *  block with its decision); the "removed" list is always there. A refused page renders as
 *  "" in text formats and as {"status", "error"} in JSON. ::SCRUBTEXT_ERR_NULL_ARGUMENT for a
 *  NULL `doc` or `out`, ::SCRUBTEXT_ERR_INVALID_ARGUMENT for an unknown format. Cost: linear
 *  in the document size. */
scrubtext_error scrubtext_document_render(const scrubtext_document* doc, scrubtext_format format, int explain,
                                          char** out, size_t* out_len);

/** Frees a string returned through a `char**` by this library. NULL is a no-op. */
void scrubtext_string_free(char* s);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* SCRUBTEXT_H_ */
