#!/usr/bin/env python3
"""End-to-end hostile input: every input is run through the command as a user runs it, and
each run must end without a signal, with the documented exit code (0 cleaned, 1 an input
failed or was not a page, 2 usage error or bad rule file, 130 interrupted), with a stderr
line naming the input and the reason when it fails, and within the time and memory bounds
of tests/e2e/HOSTILE_BOUNDS.md:

    peak RSS  <= F + 20 x input bytes     F = RSS of a tiny page + slack (measured here)
    wall time <= 2 x start-up + 50 x (time of a normal page of the same size, >= 1 MiB)

The input size of a gzip file or an endless stream is what the cleaner may hold:
min(decompressed size, --max-input-size). Under the sanitizers (detected with ldd) the big
inputs are 1/10 the size and the factors are wider. Every subprocess has a deadline and a
memory cap: a hang or a runaway fails the case, it never hangs the test.

usage: hostile.py PATH/TO/scrubtext SOURCE_DIR
"""
import glob, gzip, json, os, random, re, shutil, signal, subprocess, sys, tempfile, threading, time, zlib
from concurrent.futures import ThreadPoolExecutor

BIN, SRC = os.path.abspath(sys.argv[1]), sys.argv[2]
SAMPLE_PATH = os.path.join(SRC, "testdata", "sample", "advocacy-page.html")
SAMPLE = open(SAMPLE_PATH, "rb").read()
SHARED = os.environ.get("SCRUBTEXT_SHARED_DIR", os.path.join(SRC, "..", "shared"))
MiB = 1 << 20

ldd = subprocess.run(["ldd", BIN], capture_output=True, text=True).stdout
ASAN = "libasan" in ldd
SCALE = 0.1 if ASAN else 1.0          # big inputs
MEM_FACTOR = 40 if ASAN else 20       # x input bytes
MEM_SLACK = (384 if ASAN else 64) * MiB  # on top of the tiny-page RSS
TIME_FACTOR = 100 if ASAN else 50     # x time of a normal page of the same size
NODE_BYTES = 1024 if ASAN else 512    # per DOM node, for pages accepted with a raised --max-nodes
REF_SIZE = (2 if ASAN else 8) * MiB   # the normal page that gives the per-byte rate

failures = []
rows = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return cond


class Result:
    pass


def rss_now(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


TIME = "/usr/bin/time"  # GNU time: the child's own peak RSS. A child forked from this (large)
# Python process would report this process's RSS at fork as its own peak (Linux keeps the
# larger of the two across exec), so the measurement goes through a small forking process.


def child_of(proc):
    """The pid of the single child of `proc` (scrubtext under /usr/bin/time); None once `proc`
    has ended (a fast child may come and go between two looks)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            kids = open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()
        except OSError:
            return None
        if kids:
            return int(kids[0])
        time.sleep(0.001)
    return None


def run(args, timeout=60, stdin=None, cap=None, during=None, env=None):
    """Runs scrubtext; returns rc (negative: signal), secs, rss (bytes), out, err, and why it
    was killed ('' when it ended by itself). `during(pid)` runs in a thread while it runs."""
    r = Result()
    cap = cap or (6 << 30)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(prefix="scrubtext-time-") as tf:
        for attempt in range(100):  # the binary may be being relinked by a concurrent build
            if os.access(BIN, os.X_OK) or attempt == 99:
                break
            time.sleep(0.3)
        t0 = time.monotonic()
        p = subprocess.Popen([TIME, "-o", tf.name, "-f", "%M %e", BIN, *args],
                             stdin=stdin if stdin is not None else subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        pid = child_of(p)
        done = threading.Event()
        lock = threading.Lock()
        r.killed = ""

        def watchdog():
            while not done.wait(0.02):
                why = ""
                if time.monotonic() - t0 > timeout:
                    why = f"timeout after {timeout:.0f} s"
                elif pid and rss_now(pid) > cap:
                    why = f"RSS over the {cap >> 20} MB cap"
                if why:
                    with lock:
                        if not done.is_set():
                            r.killed = why
                            try:
                                os.kill(pid or p.pid, signal.SIGKILL)
                            except ProcessLookupError:
                                pass
                    return

        w = threading.Thread(target=watchdog, daemon=True)
        w.start()
        helper = None
        if during and pid:
            helper = threading.Thread(target=during, args=(pid,), daemon=True)
            helper.start()
        try:
            p.wait(timeout + 30)
        except subprocess.TimeoutExpired:  # /usr/bin/time itself stuck: should not happen
            p.kill()
            p.wait()
        with lock:
            done.set()
        r.secs = time.monotonic() - t0
        report = open(tf.name).read()
        m = re.search(r"Command terminated by signal (\d+)", report)
        r.rc = -int(m.group(1)) if m else p.returncode
        fields = report.strip().splitlines()[-1].split() if report.strip() else ["0", "0"]
        r.rss = int(fields[0]) * 1024
        if helper:
            helper.join(5)
        out.seek(0)
        err.seek(0)
        r.out = out.read()
        r.err = err.read().decode("utf-8", "replace")
    return r


tmp = tempfile.mkdtemp(prefix="scrubtext-hostile-")


def path(name):
    return os.path.join(tmp, name)


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data)
    return path(name)


# ---- Baseline: start-up time and memory of a tiny page, and a normal page for the rate ----
tiny = write("tiny.html", b"<html><body><article><p>A tiny page with one sentence in it, nothing else.</p></article></body></html>")
base = [run([tiny], timeout=60) for _ in range(3)]
for b in base:
    check(b.rc == 0, f"tiny page cleaned (rc {b.rc}, {b.killed})")
STARTUP = min(b.secs for b in base)
BASE_RSS = max(b.rss for b in base)
F = BASE_RSS + MEM_SLACK

# Real paragraphs: "<p" then a space or '>' (not <path>, <picture> or <param>).
paras = []
for f in sorted(glob.glob(os.path.join(SHARED, "bench", "aeb", "html", "*.html.gz")))[:60]:
    t = gzip.open(f).read().decode("utf-8", "replace")
    paras += [p for p in re.findall(r"<p(?:\s[^>]*)?>(.*?)</p>", t, re.S) if len(p) > 200 and "<script" not in p]
if len(paras) < 50:  # no benchmark pages: the sample's paragraphs
    paras = [p for p in re.findall(r"<p(?:\s[^>]*)?>(.*?)</p>", SAMPLE.decode(), re.S) if len(p) > 100]


def normal_page(size):
    """A page of real paragraphs (each numbered, so none is a repeat) of about `size` bytes."""
    out = [b"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>A normal long page</title></head>"
           b"<body><header><nav><a href=/>Home</a> <a href=/news>News</a></nav></header><article><h1>A normal long page</h1>"]
    n, i = len(out[0]), 0
    while n < size:
        s = (f"<h2>Section {i // 10}</h2>" if i % 10 == 0 else "") + f"<p>{i}. {paras[i % len(paras)]}</p>\n"
        b = s.encode()
        out.append(b)
        n += len(b)
        i += 1
    out.append(b"</article><footer>Contact and legal notice</footer></body></html>")
    return b"".join(out)


normal = write("normal.html", normal_page(REF_SIZE))
ref = run(["--format", "json", normal], timeout=120)
check(ref.rc == 0, f"normal page cleaned (rc {ref.rc}, {ref.killed})")
RATE = max(ref.secs - STARTUP, 0.05) / os.path.getsize(normal)  # seconds per byte
REF_TEXT = json.loads(ref.out)["text"] if ref.rc == 0 else ""


def time_limit(size):
    return 2 * STARTUP + TIME_FACTOR * RATE * max(size, MiB)


def mem_limit(size):
    return F + MEM_FACTOR * size


def fmt_mb(b):
    return f"{b / MiB:.1f}"


DEFER = False  # while set, cases are queued and run two at a time by flush()
PENDING = []


def case(name, args, expect, size, reasons=(), names=None, mem=None, tlimit=None, cap=None, timeout=None, post=None,
         **kw):
    """Runs one case and checks the outcome. `expect`: an exit code or a set of them; `reasons`:
    words one of which the failure line must contain; `names`: the paths the failure lines name;
    `post(r)`: further checks on the result."""
    tl = tlimit if tlimit is not None else time_limit(size)
    ml = mem if mem is not None else mem_limit(size)
    spec = dict(name=name, args=args, expect={expect} if isinstance(expect, int) else set(expect), size=size,
                reasons=reasons, names=names, tl=tl, ml=ml, post=post,
                run=dict(timeout=timeout or min(max(tl * 1.5, 20), 170), cap=cap or max(2 * ml, ml + 512 * MiB), **kw))
    if DEFER:
        PENDING.append(spec)
        return None
    r = run(args, **spec["run"])
    judge(spec, r)
    return r


def flush():
    """Runs the queued cases, two at a time (their bounds are far above their cost), then checks
    them in order."""
    with ThreadPoolExecutor(2) as ex:
        results = list(ex.map(lambda sp: run(sp["args"], **sp["run"]), PENDING))
    for spec, r in zip(PENDING, results):
        judge(spec, r)
    PENDING.clear()


def judge(spec, r):
    name, args, expect, reasons, tl, ml = (spec[k] for k in ("name", "args", "expect", "reasons", "tl", "ml"))
    rows.append((name, spec["size"], r.rc, r.secs, r.rss, tl, ml))
    check(not r.killed, f"{name}: killed: {r.killed}")
    check(r.rc >= 0, f"{name}: ended by signal {-r.rc}; stderr: {r.err[-300:]}")
    check(r.rc in expect, f"{name}: exit code {r.rc}, expected {sorted(expect)}; stderr: {r.err[-300:]}")
    check("AddressSanitizer" not in r.err and "runtime error" not in r.err, f"{name}: sanitizer report: {r.err[-500:]}")
    if r.rc == 1:
        for n in spec["names"] or [a for a in args if os.path.isabs(a) and a.startswith(tmp)][-1:]:
            lines = [l for l in r.err.splitlines() if l.startswith(f"scrubtext: {n}")]
            check(lines and any(any(w in l for w in reasons) if reasons else len(l) > len(f"scrubtext: {n}: ")
                                for l in lines), f"{name}: stderr names {n} with a reason {list(reasons)}: {r.err[-300:]!r}")
    check(r.secs <= tl, f"{name}: {r.secs:.2f} s, over the bound of {tl:.2f} s")
    check(r.rss <= ml, f"{name}: peak RSS {fmt_mb(r.rss)} MB, over the bound of {fmt_mb(ml)} MB")
    if spec["post"]:
        spec["post"](r)


def doc(r):
    try:
        return json.loads(r.out)
    except ValueError:
        return {}


def valid_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def scaled(n):
    return max(1, int(n * SCALE))


# ---- Deep, long and wide ----
n = 200_000
DEEP = b"The deepest paragraph of the nest is an ordinary sentence that a reader wants to keep in the article."
nested = write("nested-divs.html", b"<html><body><article><p>A first paragraph, before two hundred thousand nested "
               b"elements, which is long enough to be kept as article text.</p>" + b"<div>" * n + b"<p>" + DEEP +
               b"</p>" + b"</div>" * n + b"</article></body></html>")
r = case("200k nested divs", ["--format", "json", nested], 0, os.path.getsize(nested))
check(DEEP.decode() in doc(r).get("text", ""), "nested divs: the deepest text is kept")
r16 = case("nested, --max-depth 16", ["--format", "json", "--max-depth", "16", nested], 0, os.path.getsize(nested))
check(DEEP.decode() in doc(r16).get("text", ""), "--max-depth 16: deeper text folded in, kept")
r4 = case("nested, --max-depth 4", ["--max-depth", "4", nested], 0, os.path.getsize(nested))
r8 = case("nested, --max-depth 8", ["--max-depth", "8", nested], 0, os.path.getsize(nested))
check(r4.out == r8.out and DEEP in r8.out, "--max-depth below 8 is raised to 8")

size = int(50_000_000 * SCALE)
words = (b"word " * (size // 5 + 1))[:size]
line_txt = write("line.txt", words)
r = case("50 MB line (text)", ["--format", "json", line_txt], 0, size)
d = doc(r)
check(d.get("status") == "ok" and len(d.get("text", "").encode()) <= 16 * MiB, "50 MB line: text within 16 MiB")
check(d.get("truncated") == (size > 16 * MiB), f"50 MB line: truncated is {d.get('truncated')}")
del d
line_html = write("line-p.html", b"<html><body><p>" + words + b"</p></body></html>")
r = case("50 MB line (<p>)", ["--format", "json", line_html], 0, size)
check(doc(r).get("status") == "ok" and len(doc(r).get("text", "").encode()) <= 16 * MiB, "50 MB <p>: text within 16 MiB")
r = case("50 MB line, --max-output-size 1M", ["--format", "json", "--max-output-size", "1M", line_txt], 0, size)
check(len(doc(r).get("text", "").encode()) <= MiB and doc(r).get("truncated") is True, "--max-output-size 1M: cut, truncated")
del words

asize = int(10_000_000 * SCALE)
attr = write("attrs.html", b'<html><head><meta name=description content="' + b"d" * asize + b'"></head><body><article title="' +
             b"t" * asize + b'"><p>Text after two huge attribute values is still read.</p>'
             b'<p>A second paragraph follows the first.</p><a href="' + b"h" * asize + b'">link</a></article></body></html>')
r = case("10 MB attribute values", ["--format", "json", attr], 0, os.path.getsize(attr))
check("huge attribute values is still read" in doc(r).get("text", ""), "huge attributes: the text is kept")
unterminated = write("attr-unterminated.html", b'<html><body><p>Before.</p><div class="' + b"u" * asize)
case("10 MB unterminated attribute", [unterminated], {0}, os.path.getsize(unterminated))

# Tag soup that made a stage rescan the rest of the page for each unit: an unterminated
# <noscript> looked for its end tag again each time, a comment for a "--!>" ending.
# Dense ones are bounded by their nodes (each unit's count given).
for unit, nodes in ((b"<noscript><x-a></x-b>", 2), (b"<!-- c - - -->x", 2), (b"<svg><p>x", 3),
                    (b"<a title='<script>'>x</a>", 2)):
    count = scaled(2_000_000) // len(unit)
    soup = write("soup.html", b"<html><body><p>" + DEEP + b"</p>" + unit * count + b"</body></html>")
    size = os.path.getsize(soup)
    case(f"2 MB of {unit.decode()}", [soup], {0, 1}, size, reasons=["DOM nodes"],
         mem=max(mem_limit(size), F + NODE_BYTES * nodes * count))

# One million sibling <p>s: 2,000,003 nodes with html, head and body, over the default limit.
sib_n = scaled(1_000_000)
sib_limit = [] if not ASAN else ["--max-nodes", str(2 * sib_n)]
sib = write("siblings.html", b"<html><body>" + b"<p>x</p>" * sib_n + b"</body></html>")
ssize = os.path.getsize(sib)
# Documented: "a refused page costs no parse", so the refusal costs what a small page costs.
case(f"{sib_n} sibling <p>s", [*sib_limit, sib], 1, ssize, reasons=["DOM nodes"])
case(f"siblings, --max-nodes {sib_n}", ["--max-nodes", str(sib_n), sib], 1, ssize, reasons=[f"more than {sib_n} DOM nodes"])
# Accepted with a raised limit: memory follows the node count (2 nodes per 8 bytes here).
case("siblings, --max-nodes raised", ["--max-nodes", str(3 * sib_n), sib], 0, ssize, mem=F + NODE_BYTES * (2 * sib_n + 3))

# --max-output-size on a normal page: a prefix of the full text, cut at a block boundary.
cut = max(1024, min(64 * 1024, len(REF_TEXT.encode()) // 3))
r = case(f"normal page, --max-output-size {cut}", ["--format", "json", "--max-output-size", str(cut), normal], 0,
         os.path.getsize(normal))
t = doc(r).get("text", "")
check(doc(r).get("truncated") is True and len(t.encode()) <= cut and t and REF_TEXT.startswith(t),
      f"--max-output-size {cut}: truncated prefix of the full text")
check(len(REF_TEXT.encode()) > 2 * cut, f"the normal page's text is longer than 2 x {cut}")

# ---- Bytes, gzip, WARC, paths: small inputs, run two at a time ----
DEFER = True
i = SAMPLE.find(b"<p>", 9000)
nul_late = write("nul-late.html", SAMPLE[:i + 3] + b"Null\x00byte\x00here " + SAMPLE[i + 3:])
case("NUL bytes after 8 KB", ["--format", "json", nul_late], {0, 1}, len(SAMPLE), reasons=["NUL", "binary"],
     post=lambda r: check(r.rc == 1 or valid_utf8(r.out), "NUL bytes: output is valid UTF-8"))
nul_early = write("nul-early.html", SAMPLE[:200] + b"\x00" + SAMPLE[200:])
case("NUL byte at 200", [nul_early], 1, len(SAMPLE), reasons=["NUL"])

BAD_UTF8 = [b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\x80", b"\xf0\x80\x80\x80", b"\xf8\x88\x80\x80\x80",  # overlongs
            b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xed\xa0\xbd\xed\xb8\x80",  # surrogates, a CESU-8 pair
            b"\xe2\x82", b"\xf0\x9f\x98", b"\xc3",  # truncated sequences
            b"\x80", b"\xbf\xbf", b"\xfe", b"\xff", b"\xf5\x80\x80\x80", b"\xf4\x90\x80\x80"]  # stray, 0xFF, > U+10FFFF
bad = b" ".join(b"mot%d%sfin" % (k, s) for k, s in enumerate(BAD_UTF8))
utf = write("invalid-utf8.html", SAMPLE.replace(b'<p class="lead">', b"<p>This paragraph carries bad bytes between "
                                                b"its words and is still an ordinary sentence: " + bad +
                                                b" and it goes on to the end.</p><p class=\"lead\">", 1))
case("invalid UTF-8 of every kind", ["--format", "json", utf], 0, len(SAMPLE),
     post=lambda r: check(valid_utf8(r.out) and doc(r).get("invalid_bytes", 0) >= len(BAD_UTF8) and
                          "mot0" in doc(r).get("text", "") and "mot16" in doc(r).get("text", ""),
                          f"invalid UTF-8: replaced and counted ({doc(r).get('invalid_bytes')}), text kept"))
utf_txt = write("invalid-utf8.txt", b"A text dump with bad bytes.\n\n" + bad + b"\n\nAnd a last paragraph of plain words.\n")
case("invalid UTF-8 in a text dump", ["--format", "json", utf_txt], 0, 1000,
     post=lambda r: check(valid_utf8(r.out) and "last paragraph of plain words" in doc(r).get("text", ""),
                          "text dump with bad bytes: valid output, text kept (decoded as detected)"))

wide = ("<html><head><title>Wide page</title></head><body><article><h1>Wide page</h1><p>" +
        "This page is written in UTF-16 without a byte order mark, which no browser detects. " * 5 +
        "</p></article></body></html>")
for enc in ("utf-16-le", "utf-16-be"):
    p = write(f"{enc}.html", wide.encode(enc))
    case(f"{enc} without BOM", [p], 1, len(wide) * 2, reasons=["NUL", "binary"])
    # Documented: bytes are decoded by the declared charset (--charset: "e.g. from an HTTP header").
    case(f"{enc} without BOM, --charset", ["--charset", enc.replace("-le", "le").replace("-be", "be"), p], 0,
         len(wide) * 2, post=lambda r, enc=enc: check(b"without a byte order mark" in r.out, f"{enc} with --charset: decoded"))

ja = ('<html><head><meta charset="shift_jis"><title>Lying charset</title></head><body><article><p>' +
      "これは UTF-8 で書かれた日本語の段落です。文字コードの宣言は嘘をついています。" * 5 + "</p></article></body></html>")
case("<meta charset=shift_jis>, UTF-8 bytes", ["--format", "json", write("lie-sjis.html", ja.encode())], 0, len(ja.encode()),
     post=lambda r: check(valid_utf8(r.out) and doc(r).get("text"), "lying shift_jis: valid UTF-8 text"))
fr = ('<html><head><meta charset="utf-8"><title>Lying charset</title></head><body><article><p>' +
      "Le café du village a rouvert après trois années de travaux; les habitants sont ravis. " * 5 + "</p></article></body></html>")
case("<meta charset=utf-8>, windows-1252 bytes", ["--format", "json", write("lie-utf8.html", fr.encode("cp1252"))], 0, len(fr),
     post=lambda r: check(valid_utf8(r.out) and doc(r).get("invalid_bytes", 0) > 0 and
                          "village a rouvert" in doc(r).get("text", ""), "lying utf-8: undecodable bytes counted, text kept"))

rng = random.Random(7)
case("random bytes named .html", [write("random.html", rng.randbytes(100_000))], 1, 100_000, reasons=["binary"])
case("PNG named .html", [write("png.html", b"\x89PNG\r\n\x1a\n" + rng.randbytes(50_000))], 1, 50_000, reasons=["PNG"])
case("PDF named .html", [write("pdf.html", b"%PDF-1.7\n" + rng.randbytes(50_000))], 1, 50_000, reasons=["PDF"])
case("empty file", [write("empty.html", b"")], 1, 0, reasons=["empty"])

# ---- gzip ----
gz = gzip.compress(SAMPLE)
case("truncated gzip", [write("trunc.html.gz", gz[:len(gz) // 2])], 1, len(SAMPLE), reasons=["truncated"])
corrupt = bytearray(gz)
for k in range(40, len(corrupt) - 20, 97):
    corrupt[k] ^= 0x5A
case("corrupt gzip", [write("corrupt.html.gz", bytes(corrupt))], 1, len(SAMPLE), reasons=["gzip"])
case("garbage after a gzip stream", [write("trailing.html.gz", gz + b"trailing garbage, not a gzip member " * 20)],
     {0, 1}, len(SAMPLE), reasons=["gzip"],
     post=lambda r: check(r.rc == 1 or b"Meridian" in r.out, "garbage after gzip: refused or cleaned"))
case("gzip + NUL padding", [write("padded.html.gz", gz + b"\0" * 512)], 0, len(SAMPLE))

bomb = path("bomb.html.gz")
with open(bomb, "wb") as f:  # 1 GiB of zeros, compressed as it is generated
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zero = bytes(MiB)
    for _ in range(1024):
        f.write(c.compress(zero))
    f.write(c.flush())
case("gzip bomb, 1 GiB of zeros", [bomb], 1, 64 * MiB, reasons=["exceeds", "limit"])
case("gzip bomb, --max-input-size 1M", ["--max-input-size", "1M", bomb], 1, MiB, reasons=["exceeds", "limit"])
case("page over --max-input-size 4K", ["--max-input-size", "4K", SAMPLE_PATH], 1, 4096, names=[SAMPLE_PATH],
     reasons=["over the limit"])
# An endless input is refused once it passes the limit: it is never held whole.
case("/dev/zero, --max-input-size 1M", ["--max-input-size", "1M", "/dev/zero"], 1, MiB, names=["/dev/zero"],
     reasons=["limit", "too large"], cap=F + 1024 * MiB)

# ---- WARC ----
def warc_record(rtype, uri, payload, rid):
    head = (f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Record-ID: <urn:uuid:{rid}>\r\n"
            f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n").encode()
    return head + payload + b"\r\n\r\n"


http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
rec1 = warc_record("response", "https://example.org/1", http + SAMPLE, "1")
rec2 = warc_record("response", "https://example.org/2", http + SAMPLE.replace(b"Meridian", b"Orbital"), "2")
for name, data in [("trunc.warc", rec1 + rec2[:len(rec2) // 2]),
                   ("trunc.warc.gz", gzip.compress(rec1) + gzip.compress(rec2)[:len(gzip.compress(rec2)) // 2])]:
    p = write(name, data)
    case(f"WARC cut mid-record ({name})", ["--format", "jsonl", p], 1, len(rec1) + len(rec2), reasons=["truncated"],
         post=lambda r, p=p, name=name: check(
             [(x["source"], x["status"]) for x in map(json.loads, r.out.splitlines())] == [(p + "#urn:uuid:1", "ok")],
             f"{name}: the complete record before the cut is cleaned"))
p = write("garbage.warc", rec1 + b"this is not a WARC record\r\n" + rec2)
case("WARC with garbage between records", [p], 1, os.path.getsize(p), reasons=["WARC"])
# A record that declares 200 MB in a 100-byte file: memory follows the bytes, not the claim.
p = write("lying-length.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 200000000\r\n\r\nHTTP/1.1 200 OK\r\n\r\nhi")
case("WARC record claiming 200 MB", [p], 1, os.path.getsize(p), reasons=["truncated"])

# ---- Paths ----
dangling = path("dangling.html")
os.symlink(path("no-such-target"), dangling)
case("dangling symlink", [dangling], 1, 0, reasons=["No such file"])
case("path through a file", [tiny + "/child.html"], 1, 0, names=[tiny + "/child.html"], reasons=["Not a directory"])
case("unreadable /proc/self/mem", ["/proc/self/mem"], 1, 0, names=["/proc/self/mem"])
os.makedirs(path("a-dir"))
case("--errors is a directory", ["--errors", path("a-dir"), tiny], 2, 0)
case("--report is a directory", ["--report", path("a-dir"), tiny], 2, 0)
case("empty directory", [path("a-dir")], 0, 0)

DEFER = False
flush()

# A file that grows while it is read, and one rewritten shorter while it is read.
growing = write("growing.html", normal_page(int(4 * MiB * SCALE)))
chunk = normal_page(int(MiB * SCALE))
GROW_CHUNKS = int(80 * SCALE) + 4


def grow(pid):
    with open(growing, "ab") as f:
        for _ in range(GROW_CHUNKS):
            if not os.path.exists(f"/proc/{pid}"):
                return
            f.write(chunk)
            f.flush()
            time.sleep(0.005)


r = case("file growing while read", [growing], {0, 1}, os.path.getsize(growing) + GROW_CHUNKS * len(chunk), reasons=["limit", "read"], during=grow)
shrinking = write("shrinking.html", normal_page(int(20 * MiB * SCALE)))


def shrink(pid):
    for k in range(40):
        if not os.path.exists(f"/proc/{pid}"):
            return
        with open(shrinking, "r+b") as f:
            f.truncate(k * 1000 % 50000)
        time.sleep(0.01)


case("file truncated while read", [shrinking], {0, 1}, int(20 * MiB * SCALE), reasons=["empty", "read"], during=shrink)

# FIFOs. With a writer: read like a file; while scrubtext waits on it, a listed file vanishes
# and another is replaced by a directory (removed between listing and reading).
fifo = path("fifo")
os.mkfifo(fifo)
vdir = path("vanish")
os.makedirs(vdir)
for nm in ("a-good.html", "b-vanishes.html", "c-becomes-dir.html", "d-good.html"):
    write(f"vanish/{nm}", SAMPLE.replace(b"Meridian", nm[:1].upper().encode() + b"eridian"))


def feed_fifo(pid):
    for k in range(2):  # opened twice: sniffed for WARC, then read
        fd = os.open(fifo, os.O_WRONLY)
        if k == 0:
            os.remove(os.path.join(vdir, "b-vanishes.html"))
            os.remove(os.path.join(vdir, "c-becomes-dir.html"))
            os.makedirs(os.path.join(vdir, "c-becomes-dir.html"))
        try:
            os.write(fd, SAMPLE[:60000])
        except BrokenPipeError:
            pass
        os.close(fd)
        # The next open must meet the next reader, not this one: wait until it has closed.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and holds(pid, fifo):
            time.sleep(0.01)


def holds(pid, target):
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == target for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


r = case("paths vanishing between listing and reading", ["--format", "jsonl", fifo, vdir], 1, len(SAMPLE),
         during=feed_fifo, timeout=30, reasons=["No such file", "is a directory"],
         names=[os.path.join(vdir, "b-vanishes.html"), os.path.join(vdir, "c-becomes-dir.html")])
ok = [x["source"] for x in map(json.loads, r.out.splitlines()) if x["status"] == "ok"]
check(ok == [fifo, os.path.join(vdir, "a-good.html"), os.path.join(vdir, "d-good.html")],
      f"vanishing paths: the FIFO and the other files are cleaned ({ok})")

# Without a writer, an explicit FIFO blocks like any reader; SIGTERM must still end the run
# with 130 (README: "130 interrupted by SIGINT/SIGTERM").
def term_soon(pid):
    time.sleep(1.0 + STARTUP)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


fifo2 = path("fifo-no-writer")
os.mkfifo(fifo2)
# Opened without blocking: no writer means an empty input, reported at once (SIGTERM, sent
# anyway, may also arrive first: then 130).
case("FIFO without a writer", [fifo2], {1, 130}, 0, during=term_soon, timeout=2 * STARTUP + 5,
     tlimit=2 * STARTUP + 4, names=[fifo2])
# A FIFO inside a crawl directory must not stop the run: the other pages come out.
fdir = path("with-fifo")
os.makedirs(fdir)
os.mkfifo(os.path.join(fdir, "a-fifo.html"))
write("with-fifo/b.html", SAMPLE)
r = case("FIFO inside a directory", [fdir], 1, len(SAMPLE), timeout=2 * STARTUP + 6, names=[os.path.join(fdir, "a-fifo.html")])
check(b"Meridian" in r.out, "FIFO inside a directory: the other page is cleaned")

# ---- Rule files and option values ----
DEFER = True
rules_dir = os.path.join(SRC, "testdata", "hostile")
# Fuzzer findings and odd files: refused with 'file:line: reason', or accepted (a header with
# no rule, a NUL inside a pattern), never anything else.
odd_rules = sorted(glob.glob(os.path.join(rules_dir, "*.rules")))
odd_rules.append(write("nul.rules", b"family: chrome\ntarget: line\n\n[chrome.nul]\nlang: en\npattern: a\x00b\nexplain: x\n"))
for rf in odd_rules:
    case(f"rules {os.path.basename(rf)}", [SAMPLE_PATH, "--rules", rf], {0, 2}, 0,
         post=lambda r, rf=rf: check(r.rc == 0 or re.search(re.escape(rf) + r":\d+: \S", r.err),
                                     f"{os.path.basename(rf)}: 'file:line: reason' ({r.err.strip()[:200]})"))
bad_rules = [write("binary.rules", rng.randbytes(3000))]
bad_rules.append(write("huge-repeat.rules", b"family: chrome\ntarget: line\n\n[chrome.huge]\nlang: en\n"
                       b"pattern: ((a{100}){100}){100}\nexplain: too big to compile\n"))
bad_rules.append(write("dup.rules", b"family: chrome\ntarget: line\n\n[chrome.dup.x]\nlang: en\npattern: a\nexplain: x\n\n"
                       b"[chrome.dup.x]\nlang: en\npattern: b\nexplain: y\n"))
for rf in bad_rules:
    case(f"rules {os.path.basename(rf)}", [SAMPLE_PATH, "--rules", rf], 2, 0,
         post=lambda r, rf=rf: check(re.search(re.escape(rf) + r":\d+: \S", r.err),
                                     f"{os.path.basename(rf)}: 'file:line: reason' ({r.err.strip()[:200]})"))
os.makedirs(path("rules-bad"))
shutil.copy(bad_rules[-1], path("rules-bad/z-bad.rules"))
write("rules-bad/a-good.rules", b"family: chrome\ntarget: line\n\n[chrome.hostile.ok]\nlang: en\npattern: zzqqzz\nexplain: x\n")
case("rules directory with one bad file", [SAMPLE_PATH, "--rules", path("rules-bad")], 2, 0,
     post=lambda r: check(path("rules-bad/z-bad.rules") + ":" in r.err, "bad rule file named inside a directory"))
case("missing rule file", [SAMPLE_PATH, "--rules", path("no-such.rules")], 2, 0,
     post=lambda r: check(path("no-such.rules") in r.err, "missing rule file named"))
# The README's own example, option before the page: `scrubtext --rules my-rules/ page.html`.
os.makedirs(path("rules-good"))
shutil.copy(path("rules-bad/a-good.rules"), path("rules-good/a.rules"))
case("--rules DIR page.html", ["--rules", path("rules-good"), SAMPLE_PATH], 0, len(SAMPLE),
     post=lambda r: check(b"Meridian" in r.out, "--rules DIR page.html cleans the page"))
for opt in (["--max-depth", "-1"], ["--max-nodes", "-1"], ["--max-input-size", "-1"], ["--max-output-size", "-1"],
            ["--max-input-size", "12Q"], ["--max-nodes", "lots"], ["--max-depth", "1e3"]):
    case(f"bad value {' '.join(opt)}", [*opt, tiny], 2, 0)
DEFER = False
flush()

# ---- A crawl mixing everything with good pages ----
crawl = path("crawl")
for sub in ("good", "bad", "warc"):
    os.makedirs(os.path.join(crawl, sub))
good = {
    "good/sample.html": SAMPLE,
    "good/sample-b.html.gz": gzip.compress(SAMPLE.replace(b"Meridian", b"Meridiana")),
    "good/nested.html": open(nested, "rb").read(),
    "good/invalid-utf8.html": open(utf, "rb").read(),
    "good/lie-utf8.html": fr.encode("cp1252"),
    "good/dump.txt": open(os.path.join(SRC, "testdata", "cases", "txt-de-dialog-an-aus", "input.txt"), "rb").read(),
}
bad_inputs = {
    "bad/empty.html": (b"", "empty"), "bad/random.html": (rng.randbytes(20000), "binary"),
    "bad/png.html": (b"\x89PNG\r\n\x1a\n" + rng.randbytes(5000), "PNG"), "bad/nul.html": (open(nul_early, "rb").read(), "NUL"),
    "bad/utf16.html": (wide.encode("utf-16-le"), "NUL"), "bad/trunc.html.gz": (gz[:len(gz) // 2], "truncated"),
    "bad/bomb.html.gz": (open(bomb, "rb").read(), "exceeds"),
    "bad/siblings.html": (b"<html><body>" + b"<p>x</p>" * 200_001 + b"</body></html>", "DOM nodes"),
    "warc/trunc.warc.gz": (gzip.compress(rec1) + gzip.compress(rec2)[:300], "truncated"),
}
for rel, data in good.items():
    open(os.path.join(crawl, rel), "wb").write(data)
for rel, (data, _) in bad_inputs.items():
    open(os.path.join(crawl, rel), "wb").write(data)
os.symlink(path("no-such-target"), os.path.join(crawl, "bad", "dangling.html"))
bad_inputs["bad/dangling.html"] = (None, "No such file")
out_dir, errs = path("clean"), path("errors.tsv")
mixed_size = sum(os.path.getsize(os.path.join(crawl, r)) for r in good) + sum(len(d or b"") for d, _ in bad_inputs.values())
r = case("crawl mixing all of it", ["-j", "2", "--max-nodes", "400000", "--follow-symlinks", "--errors", errs,
                                    "-o", out_dir + "/", crawl], 1, mixed_size, tlimit=2 * STARTUP + TIME_FACTOR * RATE * 16 * MiB,
         names=[os.path.join(crawl, b) for b in bad_inputs])
with ThreadPoolExecutor(2) as ex:
    alone = dict(zip(good, ex.map(lambda rel: run([os.path.join(crawl, rel)], timeout=60), good)))
for rel, a in alone.items():
    got = os.path.join(out_dir, rel + ".txt")
    check(a.rc == 0 and os.path.exists(got) and open(got, "rb").read() == a.out,
          f"crawl: {rel} written and identical to cleaning it alone")
check(os.path.exists(os.path.join(out_dir, "warc", "trunc.warc.gz", "000000.txt")), "crawl: the WARC's complete record written")
listed = dict(l.split("\t", 1) for l in open(errs).read().splitlines()) if os.path.exists(errs) else {}
for rel, (_, why) in bad_inputs.items():
    full = os.path.join(crawl, rel)
    check(full in listed and why in listed[full], f"crawl: {rel} listed in --errors with '{why}' ({listed.get(full)})")
    check(not os.path.exists(os.path.join(out_dir, rel + ".txt")), f"crawl: no output for {rel}")
m = re.search(r"(\d+) ok, (\d+) failed", r.err)
check(m and int(m.group(1)) == len(good) + 1 and int(m.group(2)) == len(bad_inputs),
      f"crawl: summary counts {len(good) + 1} ok and {len(bad_inputs)} failed ({m and m.group(0)})")
check(not [f for _, _, fs in os.walk(out_dir) for f in fs if ".tmp-" in f], "crawl: no temporary file left")

# ---- Report ----
print(f"\n{'input':46} {'MB':>7} {'exit':>4} {'s':>6} {'/limit':>7} {'RSS MB':>7} {'/limit':>7}")
for name, size, rc, secs, rss, tl, ml in rows:
    print(f"{name[:46]:46} {size / MiB:7.1f} {rc:4d} {secs:6.2f} {tl:7.1f} {rss / MiB:7.0f} {ml / MiB:7.0f}")
print(f"\n{'sanitizer' if ASAN else 'release'} build: start-up {STARTUP:.2f} s, tiny-page RSS {fmt_mb(BASE_RSS)} MB, "
      f"F = {fmt_mb(F)} MB; normal page {fmt_mb(os.path.getsize(normal))} MB in {ref.secs:.2f} s "
      f"({RATE * MiB * 1000:.1f} ms/MiB after start-up); bounds: RSS <= F + {MEM_FACTOR} x size, "
      f"time <= 2 x start-up + {TIME_FACTOR} x normal(max(size, 1 MiB))")
shutil.rmtree(tmp, ignore_errors=True)
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
