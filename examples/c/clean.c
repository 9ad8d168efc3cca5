/* clean: cleans one page with scrubtext's C interface and prints its headline, language,
 * removals and text, or its JSON rendering.
 *
 *   cc -o clean examples/c/clean.c $(pkg-config --cflags --libs scrubtext)
 *   ./clean [--json] [--rules DIR] PAGE
 *
 * Exit status 0 when the page was cleaned, 1 when it was refused (binary, empty…), 2 on a
 * usage error, an unreadable page or a bad rule directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scrubtext.h>

/* Reads a whole file into a new buffer; NULL on failure. */
static char* read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* data = NULL;
  size_t used = 0, cap = 0, n;
  if (!f) return NULL;
  do {
    if (used == cap) {
      char* bigger;
      cap = cap ? cap * 2 : 65536;
      bigger = (char*)realloc(data, cap);
      if (!bigger) {
        free(data);
        fclose(f);
        return NULL;
      }
      data = bigger;
    }
    n = fread(data + used, 1, cap - used, f);
    used += n;
  } while (n > 0);
  if (ferror(f)) {
    free(data);
    data = NULL;
  }
  fclose(f);
  *len = used;
  return data;
}

static const char* or_empty(const char* s) { return s ? s : ""; }

int main(int argc, char** argv) {
  const char* rules_dir = NULL;
  const char* path = NULL;
  int json = 0, i, exit_code = 0;
  size_t len = 0, k;
  char* page;
  scrubtext_options* options;
  scrubtext_cleaner* cleaner = NULL;
  scrubtext_document* doc = NULL;

  for (i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--json") == 0) json = 1;
    else if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc) rules_dir = argv[++i];
    else path = argv[i];
  }
  if (!path) {
    fprintf(stderr, "usage: clean [--json] [--rules DIR] PAGE\n");
    return 2;
  }
  if (strcmp(scrubtext_version(), SCRUBTEXT_VERSION_STRING) != 0)
    fprintf(stderr, "clean: built with scrubtext %s, running with %s\n", SCRUBTEXT_VERSION_STRING, scrubtext_version());

  page = read_file(path, &len);
  if (!page) {
    fprintf(stderr, "clean: %s: cannot read\n", path);
    return 2;
  }

  /* Options: the built-in rules, plus a directory of our own when given. */
  options = scrubtext_options_new();
  if (!options) {
    fprintf(stderr, "clean: out of memory\n");
    free(page);
    return 2;
  }
  if ((rules_dir && scrubtext_options_add_rules(options, rules_dir) != SCRUBTEXT_OK) ||
      scrubtext_cleaner_new(options, &cleaner) != SCRUBTEXT_OK) {
    fprintf(stderr, "clean: %s\n", scrubtext_last_error());
    scrubtext_options_free(options);
    free(page);
    return 2;
  }
  scrubtext_options_free(options); /* the cleaner keeps its own copy */

  if (scrubtext_clean(cleaner, page, len, path, NULL, NULL, &doc) != SCRUBTEXT_OK) {
    fprintf(stderr, "clean: %s\n", scrubtext_last_error());
    exit_code = 2;
  } else if (scrubtext_document_status(doc) != SCRUBTEXT_STATUS_OK) {
    fprintf(stderr, "clean: %s: %s: %s\n", path, scrubtext_status_name(scrubtext_document_status(doc)),
            scrubtext_document_error(doc));
    exit_code = 1;
  } else if (json) {
    char* rendered = NULL;
    if (scrubtext_document_render(doc, SCRUBTEXT_FORMAT_JSON, 0, &rendered, NULL) == SCRUBTEXT_OK) {
      fputs(rendered, stdout);
      scrubtext_string_free(rendered);
    } else {
      fprintf(stderr, "clean: %s\n", scrubtext_last_error());
      exit_code = 2;
    }
  } else {
    printf("title: %s\n", or_empty(scrubtext_document_title(doc)));
    printf("date: %s\n", or_empty(scrubtext_document_field(doc, SCRUBTEXT_FIELD_DATE_PUBLISHED)));
    printf("language: %s (%.2f)\n", scrubtext_document_field(doc, SCRUBTEXT_FIELD_LANGUAGE),
           scrubtext_document_language_confidence(doc));
    printf("removed blocks: %lu\n", (unsigned long)scrubtext_document_removed_count(doc));
    for (k = 0; k < scrubtext_document_removed_count(doc) && k < 3; ++k) {
      const char *rule, *family;
      scrubtext_document_removed_at(doc, k, &rule, &family, NULL);
      printf("  removed by %s (%s)\n", rule, family);
    }
    printf("\n%s\n", scrubtext_document_text(doc));
  }

  scrubtext_document_free(doc);
  scrubtext_cleaner_free(cleaner);
  free(page);
  return exit_code;
}
