#!/usr/bin/env python3
"""Clean a web page in-process with scrubtext's C interface, through ctypes.

usage: clean.py [--library PATH] [--json] [--rules DIR] PAGE [URL]

The shared library is looked up in this order: --library, the SCRUBTEXT_LIBRARY
environment variable, then the system's library path (ctypes.util.find_library, which
sees libscrubtext.so when it is installed under /usr/local/lib or similar and ldconfig has
run). Prints the headline, metadata, what was removed and the article text, or the JSON
rendering with --json.

The Scrubtext class below is a complete, small binding: copy it into your own code. It
owns its handles, frees them deterministically (close(), or a with block), and turns the
C error codes into Python exceptions.
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import sys

OK = 0
STATUS_OK = 0
FIELDS = {  # scrubtext_field
    "text": 0, "title": 1, "url": 2, "description": 3, "site_name": 4, "author": 5,
    "date_published": 6, "date_modified": 7, "image": 8, "declared_language": 9,
    "language": 10, "chrome_language": 11, "input_kind": 12, "charset": 13, "source": 14,
    "error": 15,
}
FORMATS = {"text": 0, "markdown": 1, "json": 2, "jsonl": 3}  # scrubtext_format


class ScrubtextError(Exception):
    """A call into libscrubtext failed: .code is the scrubtext_error, str() its message."""

    def __init__(self, code, name, message):
        super().__init__(f"{name}: {message}")
        self.code = code


def load_library(path=None):
    """Loads libscrubtext and declares the signatures this module uses."""
    path = path or os.environ.get("SCRUBTEXT_LIBRARY") or ctypes.util.find_library("scrubtext")
    if not path:
        raise OSError("libscrubtext not found: pass --library or set SCRUBTEXT_LIBRARY")
    lib = ctypes.CDLL(path)
    c_char_pp = ctypes.POINTER(ctypes.c_char_p)
    signatures = {
        "scrubtext_version": (ctypes.c_char_p, []),
        "scrubtext_last_error": (ctypes.c_char_p, []),
        "scrubtext_error_name": (ctypes.c_char_p, [ctypes.c_int]),
        "scrubtext_status_name": (ctypes.c_char_p, [ctypes.c_int]),
        "scrubtext_options_new": (ctypes.c_void_p, []),
        "scrubtext_options_free": (None, [ctypes.c_void_p]),
        "scrubtext_options_add_rules": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
        "scrubtext_cleaner_new": (ctypes.c_int, [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]),
        "scrubtext_cleaner_free": (None, [ctypes.c_void_p]),
        "scrubtext_clean": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                           ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]),
        "scrubtext_document_free": (None, [ctypes.c_void_p]),
        "scrubtext_document_status": (ctypes.c_int, [ctypes.c_void_p]),
        "scrubtext_document_field": (ctypes.c_char_p, [ctypes.c_void_p, ctypes.c_int]),
        "scrubtext_document_language_confidence": (ctypes.c_double, [ctypes.c_void_p]),
        "scrubtext_document_removed_count": (ctypes.c_size_t, [ctypes.c_void_p]),
        "scrubtext_document_removed_at": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_size_t, c_char_pp, c_char_pp,
                                                         c_char_pp]),
        "scrubtext_document_render": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                                     ctypes.POINTER(ctypes.c_void_p),
                                                     ctypes.POINTER(ctypes.c_size_t)]),
        "scrubtext_string_free": (None, [ctypes.c_void_p]),
    }
    for name, (restype, argtypes) in signatures.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    return lib


def _text(b):
    return None if b is None else b.decode("utf-8")


def _arg(s):
    return None if s is None else s.encode("utf-8")


class Document:
    """One cleaned page. Owns a scrubtext_document; read it, then close() it (or use `with`)."""

    def __init__(self, lib, handle):
        self._lib, self._handle = lib, handle

    def close(self):
        if self._handle:
            self._lib.scrubtext_document_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def status(self):
        return _text(self._lib.scrubtext_status_name(self._lib.scrubtext_document_status(self._handle)))

    def field(self, name):
        """A text field by name (see FIELDS); None when the page has none."""
        return _text(self._lib.scrubtext_document_field(self._handle, FIELDS[name]))

    @property
    def language_confidence(self):
        return self._lib.scrubtext_document_language_confidence(self._handle)

    def removed(self):
        """Every removed block as (rule id, family, text), in reading order."""
        out = []
        for i in range(self._lib.scrubtext_document_removed_count(self._handle)):
            rule, family, text = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_char_p()
            code = self._lib.scrubtext_document_removed_at(self._handle, i, ctypes.byref(rule), ctypes.byref(family),
                                                           ctypes.byref(text))
            if code != OK:
                raise _error(self._lib, code)
            out.append((_text(rule.value), _text(family.value), _text(text.value)))
        return out

    def render(self, fmt="json", explain=False):
        """The document as text, markdown, json or jsonl (a str)."""
        buf, size = ctypes.c_void_p(), ctypes.c_size_t()
        code = self._lib.scrubtext_document_render(self._handle, FORMATS[fmt], int(explain), ctypes.byref(buf),
                                                    ctypes.byref(size))
        if code != OK:
            raise _error(self._lib, code)
        try:
            return ctypes.string_at(buf, size.value).decode("utf-8")
        finally:
            self._lib.scrubtext_string_free(buf)


def _error(lib, code):
    return ScrubtextError(code, _text(lib.scrubtext_error_name(code)), _text(lib.scrubtext_last_error()))


class Scrubtext:
    """A cleaner: build once (it compiles the rules), clean many pages, from any thread."""

    def __init__(self, library=None, rule_dirs=()):
        self._lib = load_library(library)
        self._handle = None
        options = self._lib.scrubtext_options_new()
        if not options:
            raise MemoryError("scrubtext_options_new")
        try:
            for d in rule_dirs:
                code = self._lib.scrubtext_options_add_rules(options, os.fsencode(d))
                if code != OK:
                    raise _error(self._lib, code)
            handle = ctypes.c_void_p()
            code = self._lib.scrubtext_cleaner_new(options, ctypes.byref(handle))
            if code != OK:
                raise _error(self._lib, code)
            self._handle = handle
        finally:
            self._lib.scrubtext_options_free(options)

    @property
    def version(self):
        return _text(self._lib.scrubtext_version())

    def close(self):
        if self._handle:
            self._lib.scrubtext_cleaner_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def clean(self, page: bytes, name=None, url=None, charset=None) -> Document:
        """Cleans the bytes of one page (any charset). A refused page is a Document whose
        status is not "ok"; ScrubtextError is raised only for bad arguments."""
        doc = ctypes.c_void_p()
        code = self._lib.scrubtext_clean(self._handle, page, len(page), _arg(name), _arg(url), _arg(charset),
                                         ctypes.byref(doc))
        if code != OK:
            raise _error(self._lib, code)
        return Document(self._lib, doc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--library", help="path to libscrubtext.so")
    ap.add_argument("--json", action="store_true", help="print the JSON rendering")
    ap.add_argument("--rules", action="append", default=[], help="a directory of extra .rules files (repeatable)")
    ap.add_argument("page")
    ap.add_argument("url", nargs="?")
    args = ap.parse_args()

    with open(args.page, "rb") as f:
        page = f.read()
    try:
        cleaner = Scrubtext(args.library, args.rules)
    except ScrubtextError as e:
        print(f"clean.py: {e}", file=sys.stderr)
        return 2
    with cleaner, cleaner.clean(page, name=args.page, url=args.url) as doc:
        if doc.status != "ok":
            print(f"clean.py: {args.page}: {doc.status}: {doc.field('error')}", file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps(json.loads(doc.render("json")), ensure_ascii=False, indent=2))
            return 0
        print(f"scrubtext {cleaner.version}")
        for name in ("title", "date_published", "author", "site_name", "language", "chrome_language"):
            print(f"{name}: {doc.field(name) or ''}")
        removed = doc.removed()
        print(f"removed blocks: {len(removed)}")
        for rule, family, _ in removed[:5]:
            print(f"  removed by {rule} ({family})")
        print()
        print(doc.field("text"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
