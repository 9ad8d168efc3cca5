#!/usr/bin/env python3
"""The installed package works for its users: install into a temporary prefix, then build
and run the examples against it as a user would.

usage: install.py PATH/TO/BUILD/scrubtext SOURCE_DIR

- `cmake --install BUILD --prefix TMP` puts the CLI, headers, both libraries, the CMake
  package, scrubtext.pc, the man page and the API reference under TMP;
- examples/cpp is configured with CMAKE_PREFIX_PATH=TMP (find_package), built and run, for
  the shared and the static library;
- examples/c is built with `pkg-config --cflags --libs scrubtext` (PKG_CONFIG_PATH=TMP/...)
  and run, then linked statically with `pkg-config --static --libs`;
- examples/python/clean.py loads TMP/lib/libscrubtext.so through ctypes, and the C ABI is
  called as an FFI caller does (plain ints for enums: unknown values are rejected);
- the shared library has its SONAME and exports the public API only;
- `man scrubtext` renders the installed page, which names every option of --help.
Each cleans testdata/sample/advocacy-page.html and must print its real headline.

In a sanitizer build (SCRUBTEXT_SANITIZE=ON in the build's CMakeCache.txt) the installed
libraries are instrumented: the C and C++ examples are then built with the same sanitizer
flags (so they run checked too), and the Python parts are skipped, since the Python
interpreter cannot load an instrumented library without LD_PRELOAD tricks. The C API runs
under the sanitizers in tests/test_capi.cpp as well.
"""
import ctypes, json, os, re, shutil, subprocess, sys, tempfile

BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
BUILD = os.path.dirname(BIN)
SAMPLE = os.path.join(SRC, "testdata", "sample", "advocacy-page.html")
TITLE = "Coalition urges telecom operator to publish every government shutdown order"
failures, passed = [], 0


def cache(name, default=""):
    """A value from the build's CMakeCache.txt (`default` when absent or empty)."""
    with open(os.path.join(BUILD, "CMakeCache.txt"), encoding="utf-8") as f:
        for line in f:
            m = re.match(rf"{re.escape(name)}:[A-Z]+=(.*)$", line.rstrip("\n"))
            if m:
                return m.group(1) or default
    return default


def check(cond, what, detail=""):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what, ("\n  " + detail.strip().replace("\n", "\n  ")) if detail else "")


def run(cmd, env=None, cwd=None):
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run(cmd, capture_output=True, env=full_env, cwd=cwd)


def out(r):
    return r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")


def truthy(v):
    return v.upper() in ("ON", "1", "TRUE", "YES", "Y")


SANITIZE = truthy(cache("SCRUBTEXT_SANITIZE", "OFF"))
SAN_FLAGS = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=all"] if SANITIZE else []
if not truthy(cache("SCRUBTEXT_INSTALL", "ON")):
    print("install.py: skipped, the build has SCRUBTEXT_INSTALL=OFF; 0 passed, 0 failed")
    sys.exit(0)

CMAKE = cache("CMAKE_COMMAND", "cmake")
CXX = cache("CMAKE_CXX_COMPILER", "c++")
CC = cache("CMAKE_C_COMPILER", "cc")
LIBDIR = cache("CMAKE_INSTALL_LIBDIR", "lib")
MANDIR = cache("CMAKE_INSTALL_MANDIR", "share/man")
VERSION = cache("CMAKE_PROJECT_VERSION")
tmp = tempfile.mkdtemp(prefix="scrubtext-install-")
prefix = os.path.join(tmp, "prefix")
libdir = os.path.join(prefix, LIBDIR)

try:
    # ---- Install into a fresh prefix.
    r = run([CMAKE, "--install", BUILD, "--prefix", prefix])
    check(r.returncode == 0, "cmake --install succeeds", out(r))
    if r.returncode != 0:
        raise SystemExit

    so = os.path.join(libdir, "libscrubtext.so")
    for rel in ["bin/scrubtext", "include/scrubtext.h", "include/scrubtext/scrubtext.h", "include/scrubtext/version.h",
                f"{LIBDIR}/libscrubtext.a", f"{LIBDIR}/libscrubtext.so", f"{LIBDIR}/pkgconfig/scrubtext.pc",
                f"{LIBDIR}/cmake/scrubtext/scrubtext-config.cmake",
                f"{LIBDIR}/cmake/scrubtext/scrubtext-config-version.cmake", f"{MANDIR}/man1/scrubtext.1",
                "share/doc/scrubtext/CHANGELOG.md"]:
        check(os.path.exists(os.path.join(prefix, rel)), f"installed {rel}")
    if os.path.isfile(os.path.join(BUILD, "docs", "html", "index.html")):
        check(os.path.isfile(os.path.join(prefix, "share/doc/scrubtext/html/index.html")), "installed the API reference")
        log = os.path.join(BUILD, "docs", "doxygen-warnings.log")
        warnings = open(log, encoding="utf-8", errors="replace").read().strip() if os.path.isfile(log) else ""
        check(not warnings, "the public headers are fully documented (Doxygen gave no warning)", warnings)
    check(not os.path.exists(os.path.join(prefix, "include/scrubtext/version.h.in")), "version.h.in is not installed")

    # SONAME libscrubtext.so.MAJOR (or .so.0.MINOR while the major is 0), with the full version behind it.
    major, minor = VERSION.split(".")[:2]
    soname = f"libscrubtext.so.{major}" if major != "0" else f"libscrubtext.so.0.{minor}"
    check(os.path.realpath(so).endswith(f"libscrubtext.so.{VERSION}"), f"libscrubtext.so -> libscrubtext.so.{VERSION}")
    readelf = shutil.which("readelf")
    if readelf:
        dyn = out(run([readelf, "-d", so]))
        check(f"[{soname}]" in dyn, f"SONAME is {soname}", dyn)
        syms = out(run([readelf, "--dyn-syms", "-W", so]))
        check("scrubtext_clean" in syms and "_ZN9scrubtext7Cleaner" in syms, "the C and C++ API are exported")
        check("_ZN9scrubtext6detail" not in syms and "_ZN9scrubtext4html" not in syms, "internals are not exported")
    nm = shutil.which("nm")
    if nm:
        # Free functions directly in namespace scrubtext are public (internals live in
        # sub-namespaces); cmake/scrubtext.map must list each, or the shared library hides it.
        static_syms = out(run([nm, "-C", "--defined-only", os.path.join(libdir, "libscrubtext.a")]))
        dynamic_syms = out(run([nm, "-DC", "--defined-only", so]))
        public = sorted(set(re.findall(r" [TW] (scrubtext::[a-z_]+)(?:\[[^\]]*\])?\(", static_syms)))
        missing = [f for f in public if f + "(" not in dynamic_syms and f + "[" not in dynamic_syms]
        check(public and not missing, "every public free function is exported (cmake/scrubtext.map)", str(missing))

    # Public headers carry nothing from gumbo, ICU or RE2.
    for root, _, files in os.walk(os.path.join(prefix, "include")):
        for name in files:
            text = open(os.path.join(root, name), encoding="utf-8").read()
            bad = re.findall(r'#\s*include\s*[<"](gumbo\.h|unicode/[^>"]*|re2/[^>"]*)[>"]', text)
            check(not bad, f"{name} includes no gumbo, ICU or RE2 header", str(bad))

    # ---- The installed command and its man page.
    scrubtext = os.path.join(prefix, "bin", "scrubtext")
    r = run([scrubtext, "--version"])
    check(r.stdout.decode().strip() == f"scrubtext {VERSION}", f"installed scrubtext --version prints {VERSION}", out(r))
    r = run([scrubtext, SAMPLE])
    check(r.returncode == 0 and r.stdout.decode().split("\n")[0] == TITLE, "installed scrubtext cleans the sample",
          out(r))

    page = os.path.join(prefix, MANDIR, "man1", "scrubtext.1")
    man_text = open(page, encoding="utf-8").read()
    help_text = out(run([scrubtext, "--help"]))
    for flag in sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]+", help_text))):
        check(("\\-\\-" + flag[2:].replace("-", "\\-")) in man_text, f"man page documents {flag} (from --help)")
    if shutil.which("man"):
        r = run(["man", "-P", "cat", "scrubtext"], env={"MANPATH": os.path.join(prefix, MANDIR), "MANWIDTH": "80",
                                                       "LANG": "C.UTF-8"})
        check(r.returncode == 0 and "SYNOPSIS" in r.stdout.decode() and "EXIT STATUS" in r.stdout.decode(),
              "man scrubtext renders the installed page", out(r))
    if shutil.which("groff"):
        r = run(["groff", "-man", "-ww", "-z", "-Tutf8", page])
        check(r.returncode == 0 and not r.stderr, "the man page has no roff warnings", out(r))

    # ---- C++: find_package, shared and static.
    cpp_build = os.path.join(tmp, "cpp")
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    r = run([CMAKE, "-S", os.path.join(SRC, "examples", "cpp"), "-B", cpp_build, *gen, "-DCMAKE_BUILD_TYPE=Release",
             f"-DCMAKE_PREFIX_PATH={prefix}", f"-DCMAKE_CXX_COMPILER={CXX}", "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF",
             f"-DCMAKE_CXX_FLAGS={' '.join(SAN_FLAGS)}", f"-DCMAKE_EXE_LINKER_FLAGS={' '.join(SAN_FLAGS)}"])
    check(r.returncode == 0, "examples/cpp configures with find_package(scrubtext)", out(r))
    r = run([CMAKE, "--build", cpp_build])
    check(r.returncode == 0, "examples/cpp builds", out(r))
    for exe, kind in [("clean_page", "shared"), ("clean_page_static", "static")]:
        path = os.path.join(cpp_build, exe)
        check(os.path.isfile(path), f"examples/cpp built {exe} ({kind} library)")
        if not os.path.isfile(path):
            continue
        r = run([path, SAMPLE, SAMPLE])
        lines = r.stdout.decode().split("\n")
        check(r.returncode == 0 and lines.count(f"title: {TITLE}") == 2 and "language: en" in lines,
              f"{exe} cleans the sample on two threads", out(r))
        r = run([path, "--rules", os.path.join(tmp, "no-such-dir"), SAMPLE])
        check(r.returncode == 2 and "no-such-dir" in r.stderr.decode(), f"{exe} reports a bad rule directory", out(r))
    r = run(["readelf", "-d", os.path.join(cpp_build, "clean_page")]) if readelf else None
    if r:
        check("libscrubtext.so" in out(r), "clean_page links libscrubtext.so")
        r2 = run(["readelf", "-d", os.path.join(cpp_build, "clean_page_static")])
        check("libscrubtext.so" not in out(r2), "clean_page_static does not need libscrubtext.so")

    # ---- C: pkg-config, shared and static.
    pc_env = {"PKG_CONFIG_PATH": os.path.join(libdir, "pkgconfig")}
    cflags = out(run(["pkg-config", "--cflags", "scrubtext"], env=pc_env)).split()
    libs = out(run(["pkg-config", "--libs", "scrubtext"], env=pc_env)).split()
    static_libs = out(run(["pkg-config", "--static", "--libs", "scrubtext"], env=pc_env)).split()
    r = run(["pkg-config", "--modversion", "scrubtext"], env=pc_env)
    check(r.stdout.decode().strip() == VERSION, f"pkg-config --modversion scrubtext is {VERSION}", out(r))
    check("-lscrubtext" in libs and any(f.startswith("-I") for f in cflags), "pkg-config gives -I and -lscrubtext",
          " ".join(cflags + libs))
    c_src = os.path.join(SRC, "examples", "c", "clean.c")
    c_exe, c_static = os.path.join(tmp, "clean"), os.path.join(tmp, "clean_static")
    strict = ["-std=c89", "-pedantic", "-Wall", "-Wextra", "-Werror", *SAN_FLAGS]
    r = run([CC, *strict, "-o", c_exe, c_src, *cflags, *libs])
    check(r.returncode == 0, "examples/c builds with pkg-config --cflags --libs scrubtext (C89, -Werror)", out(r))
    # Static: the same flags with the archive in place of -lscrubtext; everything else it needs
    # must come from Libs.private and Requires.private.
    static_libs = ["-l:libscrubtext.a" if f == "-lscrubtext" else f for f in static_libs]
    r = run([CC, *strict, "-o", c_static, c_src, *cflags, *static_libs])
    check(r.returncode == 0, "examples/c links statically with pkg-config --static --libs scrubtext", out(r))
    lib_env = {"LD_LIBRARY_PATH": libdir}
    for exe, env in [(c_exe, lib_env), (c_static, {})]:
        if not os.path.isfile(exe):
            continue
        r = run([exe, SAMPLE], env=env)
        lines = r.stdout.decode().split("\n")
        check(r.returncode == 0 and lines[0] == f"title: {TITLE}" and lines[2].startswith("language: en")
              and any(l.startswith("  removed by ") for l in lines),
              f"{os.path.basename(exe)} cleans the sample", out(r))
        r = run([exe, "--json", SAMPLE], env=env)
        try:
            j = json.loads(r.stdout)
            check(j["title"] == TITLE and j["date"] == "2023-11-14"
                  and any(x["family"] == "consent" for x in j["removed"]), f"{os.path.basename(exe)} --json")
        except ValueError:
            check(False, f"{os.path.basename(exe)} --json prints JSON", out(r))
    if os.path.isfile(c_exe):
        bad_rules = os.path.join(tmp, "bad-rules")
        os.makedirs(bad_rules)
        with open(os.path.join(bad_rules, "mine.rules"), "w") as f:
            f.write("family: chrome\ntarget: line\n\n[chrome.mine]\npattern: (unclosed\nexplain: Broken on purpose.\n")
        r = run([c_exe, "--rules", bad_rules, SAMPLE], env=lib_env)
        check(r.returncode == 2 and "mine.rules:" in r.stderr.decode() and "invalid pattern" in r.stderr.decode(),
              "examples/c reports a malformed rule file with file:line", out(r))
        empty = os.path.join(tmp, "empty.html")
        open(empty, "wb").close()
        r = run([c_exe, empty], env=lib_env)
        check(r.returncode == 1 and "empty" in r.stderr.decode(), "examples/c reports a refused page", out(r))

    if SANITIZE:
        raise SystemExit  # Python cannot load the instrumented library (see the docstring)

    # ---- Python: ctypes against the installed shared library.
    clean_py = os.path.join(SRC, "examples", "python", "clean.py")
    r = run([sys.executable, clean_py, "--library", so, SAMPLE])
    lines = r.stdout.decode().split("\n")
    check(r.returncode == 0 and f"title: {TITLE}" in lines and "date_published: 2023-11-14" in lines
          and "language: en" in lines and f"scrubtext {VERSION}" in lines,
          "examples/python/clean.py cleans the sample through ctypes", out(r))
    r = run([sys.executable, clean_py, "--json", SAMPLE], env={"SCRUBTEXT_LIBRARY": so})
    try:
        j = json.loads(r.stdout)
        check(j["title"] == TITLE and j["language"] == "en" and "cookie" not in j["text"].lower(),
              "clean.py --json (library from SCRUBTEXT_LIBRARY)")
    except ValueError:
        check(False, "clean.py --json prints JSON", out(r))
    r = run([sys.executable, clean_py, "--library", so, "--rules", os.path.join(tmp, "no-such-dir"), SAMPLE])
    check(r.returncode == 2 and "rules: " in r.stderr.decode() and "no-such-dir" in r.stderr.decode(),
          "clean.py turns a bad rule directory into ScrubtextError", out(r))

    # ---- The C ABI as an FFI caller sees it: plain ints for enums, bytes for strings.
    lib = ctypes.CDLL(so)
    vp, cp, sz = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
    for name, res, args in [("scrubtext_status_name", cp, [ctypes.c_int]), ("scrubtext_error_name", cp, [ctypes.c_int]),
                            ("scrubtext_last_error", cp, []), ("scrubtext_options_new", vp, []),
                            ("scrubtext_options_free", None, [vp]),
                            ("scrubtext_options_set_limit", ctypes.c_int, [vp, ctypes.c_int, sz]),
                            ("scrubtext_options_set_input", ctypes.c_int, [vp, ctypes.c_int]),
                            ("scrubtext_cleaner_new", ctypes.c_int, [vp, ctypes.POINTER(vp)]),
                            ("scrubtext_cleaner_free", None, [vp]),
                            ("scrubtext_clean", ctypes.c_int, [vp, cp, sz, cp, cp, cp, ctypes.POINTER(vp)]),
                            ("scrubtext_document_field", cp, [vp, ctypes.c_int]),
                            ("scrubtext_document_render", ctypes.c_int, [vp, ctypes.c_int, ctypes.c_int,
                                                                          ctypes.POINTER(vp), ctypes.POINTER(sz)]),
                            ("scrubtext_document_free", None, [vp])]:
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    check(lib.scrubtext_status_name(77) == b"unknown" and lib.scrubtext_error_name(-5) == b"unknown",
          "unknown status and error codes are named 'unknown'")
    opts = lib.scrubtext_options_new()
    check(lib.scrubtext_options_set_limit(opts, 42, 10) == 2 and lib.scrubtext_options_set_input(opts, 9) == 2,
          "unknown limit and input kind give SCRUBTEXT_ERR_INVALID_ARGUMENT")
    lib.scrubtext_options_free(opts)
    cleaner, doc, buf = vp(), vp(), vp()
    page = open(SAMPLE, "rb").read()
    check(lib.scrubtext_cleaner_new(None, ctypes.byref(cleaner)) == 0, "scrubtext_cleaner_new(NULL) over ctypes")
    check(lib.scrubtext_clean(cleaner, page, len(page), b"bad \xff name", None, None, ctypes.byref(doc)) == 3
          and not doc.value and b"name is not valid UTF-8" in lib.scrubtext_last_error(),
          "invalid UTF-8 in a name gives SCRUBTEXT_ERR_INVALID_UTF8 over ctypes")
    check(lib.scrubtext_clean(cleaner, page, len(page), b"p.html", None, None, ctypes.byref(doc)) == 0
          and lib.scrubtext_document_field(doc, 1).decode() == TITLE, "scrubtext_clean over ctypes")
    check(lib.scrubtext_document_field(doc, 99) is None and lib.scrubtext_document_field(doc, -1) is None,
          "unknown fields read as NULL")
    check(lib.scrubtext_document_render(doc, 9, 0, ctypes.byref(buf), None) == 2 and not buf.value,
          "an unknown format gives SCRUBTEXT_ERR_INVALID_ARGUMENT")
    lib.scrubtext_document_free(doc)
    lib.scrubtext_cleaner_free(cleaner)
except SystemExit:
    pass
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if SANITIZE:
    print("install: the Python and ctypes checks are skipped in the sanitizer build")
print(f"install: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
