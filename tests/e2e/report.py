#!/usr/bin/env python3
"""End-to-end tests of the HTML run report (--report FILE), checked in headless Chromium.

usage: report.py PATH/TO/scrubtext SOURCE_DIR [--update-samples]

Builds reports for seed 001 (../shared/seeds, or $SCRUBTEXT_SHARED_DIR/seeds), for a small
batch of testdata/cases inputs with failures and hostile text, and for a batch large enough to
be paginated and lazily rendered, then opens them in Debian's chromium, driven through the
Chrome DevTools protocol over a pipe (--remote-debugging-pipe: no port, no socket), and checks:
no console error or exception; no request other than the file itself (and the resolver maps
every host to nothing); every removed block of the seed is labelled with its rule, in order,
with the rule's explanation shown on keyboard focus; the family chart has one bar per family
with the counts of `scrubtext --format json`; search (typed, or from #q= / ?q=) filters the
page list; sorting and pagination; escaping of hostile text; no horizontal scrolling at 375 px;
same input gives the same bytes apart from the <!--t-->timings<!--/t-->.

Reports and screenshots are kept in the test's temporary directory (printed at the end).
SCRUBTEXT_REPORT_PAGES sets the size of the large batch (default 120; 10000 checks the
10,000-page case, which takes minutes).
--update-samples also writes testdata/report/seed-001.html and seed-001.png.
"""
import base64, collections, fcntl, json, os, re, shutil, subprocess, sys, tempfile, threading, time

BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
UPDATE = "--update-samples" in sys.argv[3:]
SHARED = os.environ.get("SCRUBTEXT_SHARED_DIR") or os.path.join(SRC, "..", "shared")
SEED = os.path.join(SHARED, "seeds", "001_scraped_page.txt")
CASES = os.path.join(SRC, "testdata", "cases")
FAMILIES = ["consent", "sprite", "notice", "chrome", "boilerplate", "selection", "metadata"]
passed, failed = [], []


def check(cond, what):
    (passed if cond else failed).append(what)
    print(("ok:   " if cond else "FAIL: ") + what, flush=True)
    return cond


def finish():
    print(f"{len(passed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


def run(args, cwd=None):
    return subprocess.run([BIN, *args], capture_output=True, cwd=cwd)


def strip_timings(b):
    return re.sub(rb"<!--t-->.*?<!--/t-->", b"<!--t--><!--/t-->", b, flags=re.S)


def ws(s):
    return re.sub(r"\s+", " ", s).strip()


# ---------------------------------------------------------------------------------------
# A minimal Chrome DevTools protocol client over --remote-debugging-pipe (fd 3: commands to
# the browser, fd 4: replies and events; messages are JSON terminated by NUL).

class Browser:
    def __init__(self, exe, profile):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def child():  # the pipe ends become fds 3 and 4 of chromium (every other fd is close-on-exec)
            a, b = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--mute-audio", "--hide-scrollbars", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", '--host-resolver-rules=MAP * ~NOTFOUND',
                "--remote-debugging-pipe", "about:blank"]
        os.makedirs(profile, exist_ok=True)
        self.log = open(os.path.join(os.path.dirname(profile), "chromium.log"), "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                     preexec_fn=child, close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next = 0
        self._replies = {}
        self._cv = threading.Condition()
        self.events = []
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_chrome, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cv:
                    self._replies[None] = "closed"
                    self._cv.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                msg, buf = buf.split(b"\0", 1)
                m = json.loads(msg)
                with self._cv:
                    if "id" in m:
                        self._replies[m["id"]] = m
                    else:
                        self.events.append(m)
                    self._cv.notify_all()

    def send(self, method, params=None, session=None, timeout=30):
        self._next += 1
        mid = self._next
        m = {"id": mid, "method": method, "params": params or {}}
        if session:
            m["sessionId"] = session
        data = json.dumps(m).encode() + b"\0"
        while data:
            data = data[os.write(self._to_chrome, data):]
        deadline = time.time() + timeout
        with self._cv:
            while mid not in self._replies:
                if None in self._replies:
                    raise RuntimeError(f"chromium closed the pipe during {method}")
                left = deadline - time.time()
                if left <= 0:
                    raise RuntimeError(f"no reply to {method} in {timeout} s")
                self._cv.wait(left)
            r = self._replies.pop(mid)
        if "error" in r:
            raise RuntimeError(f"{method}: {r['error']}")
        return r.get("result", {})

    def wait_event(self, method, session, since, timeout=30):
        deadline = time.time() + timeout
        with self._cv:
            while True:
                for e in self.events[since:]:
                    if e.get("method") == method and e.get("sessionId") == session:
                        return e
                left = deadline - time.time()
                if left <= 0:
                    raise RuntimeError(f"no {method} in {timeout} s")
                self._cv.wait(left)

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class Page:
    def __init__(self, browser, width, height, mobile=False):
        self.b = browser
        tid = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.s = browser.send("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
        self.start = len(browser.events)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.cmd(domain + ".enable")
        self.cmd("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def cmd(self, method, params=None, timeout=30):
        return self.b.send(method, params, self.s, timeout)

    def my_events(self):
        return [e for e in self.b.events[self.start:] if e.get("sessionId") == self.s]

    def goto(self, url, timeout=30):
        """Loads `url` afresh and waits until the report's script has run (body[data-ready])."""
        self.cmd("Page.navigate", {"url": "about:blank"})
        since = len(self.b.events)
        t0 = time.time()
        self.cmd("Page.navigate", {"url": url})
        self.b.wait_event("Page.loadEventFired", self.s, since, timeout)
        while not self.eval("!!(document.body && document.body.dataset.ready === '1')"):
            if time.time() - t0 > timeout:
                raise RuntimeError(f"{url}: the report's script did not finish")
            time.sleep(0.05)
        return self.eval("performance.now()")

    def eval(self, expr):
        r = self.cmd("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError(f"evaluating {expr[:80]}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def key(self, key, code, keycode, shift=False):
        mods = 8 if shift else 0
        for t in ("rawKeyDown", "keyUp"):
            self.cmd("Input.dispatchKeyEvent", {"type": t, "key": key, "code": code, "windowsVirtualKeyCode": keycode,
                                                "nativeVirtualKeyCode": keycode, "modifiers": mods})

    def type(self, text):
        self.cmd("Input.insertText", {"text": text})

    def click(self, selector):
        box = self.eval(f"(function(){{var e=document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block:'center'}});"
                        f"var r=e.getBoundingClientRect();"
                        f"return [r.left+r.width/2, r.top+r.height/2];}})()")
        for t in ("mousePressed", "mouseReleased"):
            self.cmd("Input.dispatchMouseEvent", {"type": t, "x": box[0], "y": box[1], "button": "left", "clickCount": 1})

    def screenshot(self, path, full=True, max_height=None):
        params = {"format": "png"}
        if full:
            w, h = self.eval("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            if max_height:
                h = min(h, max_height)
            params.update({"captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}})
        data = self.cmd("Page.captureScreenshot", params, timeout=60)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def problems(self):
        """Console errors, uncaught exceptions, dialogs, and requests for anything but files."""
        out = []
        for e in self.my_events():
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:300])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                out.append("console." + p["type"] + ": " + json.dumps(p.get("args"))[:300])
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                out.append("log: " + p["entry"].get("text", "")[:300])
            elif m == "Page.javascriptDialogOpening":
                out.append("dialog: " + p.get("message", ""))
                self.cmd("Page.handleJavaScriptDialog", {"accept": False})
        return out

    def requests(self):
        return [e["params"]["request"]["url"] for e in self.my_events() if e.get("method") == "Network.requestWillBeSent"]

def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


EXTERNAL = re.compile(rb"""\b(?:src|href|action|srcset|poster|xlink:href|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I)


def static_checks(path, label):
    html = open(path, "rb").read()
    check(not EXTERNAL.search(html), f"{label}: no attribute points outside the file")
    check(b"Content-Security-Policy" in html and b"default-src 'none'" in html,
          f"{label}: a Content-Security-Policy forbids every load")
    check(html.count(b"<script") == html.count(b"</script>"), f"{label}: script elements are balanced")
    return html


def no_problems(page, label, url):
    probs = page.problems()
    check(not probs, f"{label}: no console error, exception or dialog" + (f" ({probs[:3]})" if probs else ""))
    bad = [u for u in page.requests() if not (u.startswith("file:") or u.startswith("data:") or u.startswith("about:"))]
    check(not bad, f"{label}: no request leaves the file" + (f" ({bad[:3]})" if bad else ""))
    files = {u.split("#")[0].split("?")[0] for u in page.requests() if u.startswith("file:")}
    check(files <= {url.split("#")[0].split("?")[0]}, f"{label}: the only file loaded is the report itself ({sorted(files)})")


JS_REMOVED = """Array.from(document.querySelectorAll(%s)).map(function(e){
  var t = e.querySelector('del, .mv');
  return {rule: e.getAttribute('data-rule'), family: (e.className.match(/f-([a-z]+)/)||[])[1], label: e.querySelector('.lab').textContent,
          text: t ? t.textContent : '', title: e.getAttribute('title') || '', tab: e.tabIndex, del: !!e.querySelector('del'),
          n: +(e.getAttribute('data-n') || 1)};})"""

JS_BARS = """Array.from(document.querySelectorAll('#chart-family g.bar')).map(function(g){
  return {key: g.getAttribute('data-key'), count: +g.getAttribute('data-count'), shown: g.querySelector('text.n').textContent,
          width: parseFloat(g.querySelector('rect.fill').getAttribute('width'))};})"""

JS_VISIBLE_ROWS = """Array.from(document.querySelectorAll('#pagelist tbody tr')).filter(function(r){return !r.hidden;})
  .map(function(r){return r.cells[1].querySelector('a').textContent;})"""


def check_blocks(label, blocks, doc):
    """The removed blocks shown for a page are exactly the JSON's `removed` list, in order."""
    removed = doc["removed"]
    check(len(blocks) == len(removed), f"{label}: {len(removed)} removed blocks shown (got {len(blocks)})")
    mism = []
    for i, (b, r) in enumerate(zip(blocks, removed)):
        excerpt = ws(r["excerpt"]).rstrip("\u2026").strip()
        if not (b["rule"] == r["rule"] and b["label"].split(" \u00d7")[0] == r["rule"] and b["family"] == r["family"]
                and ws(b["text"]).startswith(excerpt[:150]) and b["title"] and b["tab"] == 0
                and b["del"] == (r["family"] != "metadata")):
            mism.append((i, b, r))
    check(not mism, f"{label}: every removed block is struck through, labelled with its rule and family, "
                    f"focusable, with the rule's explanation" + (f" (first mismatch {mism[0]})" if mism else ""))


def main():
    chromium = find_chromium()
    if not chromium:
        print("FAIL: chromium is not installed. The report tests need Debian's chromium: "
              "run scripts/setup.sh (as root) or apt-get install chromium.")
        sys.exit(1)
    help_text = run(["--help"]).stdout.decode()
    if "--report" not in help_text:
        print(f"FAIL: {BIN} has no --report option")
        sys.exit(1)

    tmp = tempfile.mkdtemp(prefix="scrubtext-report-")
    print(f"temporary directory: {tmp}")
    browser = Browser(chromium, os.path.join(tmp, "profile"))
    try:
        seed_checks(browser, tmp)
        batch_checks(browser, tmp)
        large_checks(browser, tmp)
    finally:
        browser.close()
        for bulky in ("profile", "batch", "large"):  # keep the reports, screenshots and logs
            shutil.rmtree(os.path.join(tmp, bulky), ignore_errors=True)
    print(f"screenshots and reports kept in {tmp}")
    finish()


# ---------------------------------------------------------------------------------------

def seed_checks(browser, tmp):
    if not os.path.exists(SEED):
        print(f"skipped: seed checks ({SEED} not found; set SCRUBTEXT_SHARED_DIR)")
        return
    seeds = os.path.dirname(SEED)
    name = os.path.basename(SEED)
    report = os.path.join(tmp, "seed-001.html")
    r = run(["-q", "--report", report, name], cwd=seeds)
    check(r.returncode == 0 and os.path.exists(report), f"seed: report written (exit {r.returncode}, {r.stderr[-200:]!r})")
    if not os.path.exists(report):
        return
    doc = json.loads(run(["--format", "json", name], cwd=seeds).stdout)
    html = static_checks(report, "seed")
    r2 = run(["-q", "--report", report + ".again.html", name], cwd=seeds)
    check(r2.returncode == 0 and strip_timings(html) == strip_timings(open(report + ".again.html", "rb").read()),
          "seed: same input, same bytes apart from the delimited timings")

    url = "file://" + report
    page = Page(browser, 1000, 900)
    page.goto(url)
    no_problems(page, "seed", url)
    check(page.eval("document.querySelector('details.pg').open") is True, "seed: the single page is open")
    blocks = page.eval(JS_REMOVED % "'details.pg .x'")
    check_blocks("seed", blocks, doc)
    rules = [b["rule"] for b in blocks]
    fams = collections.Counter(b["family"] for b in blocks)
    check("sprite.glued-names" in rules, "seed: the sprite run is removed by sprite.glued-names")
    check(any(r.startswith("notice.") for r in rules), "seed: the language notice is removed by a notice rule")
    chron = [b for b in blocks if b["text"] == "Chronologie"]
    check(len(chron) == 1 and chron[0]["family"] == "chrome", "seed: the timeline label 'Chronologie' is removed as chrome")
    check(fams["consent"] >= 10 and any(r.startswith("consent.fr.") for r in rules),
          "seed: the French cookie dialog is removed, block by block, by consent rules")
    kept = page.eval("Array.from(document.querySelectorAll('details.pg .blocks p:not(.x)')).map(function(p){return p.textContent;})")
    paragraphs = [p for p in doc["text"].split("\n\n") if p.strip()]
    check(paragraphs and all(any(ws(k).startswith(ws(p)[:200]) for k in kept) for p in paragraphs),
          f"seed: the {len(paragraphs)} paragraphs of the letter are shown kept, not struck")
    check(page.eval("document.querySelectorAll('details.pg .blocks p:not(.x) del').length") == 0, "seed: kept blocks are plain")
    meta = page.eval("Array.from(document.querySelectorAll('details.pg dl.meta dt')).map(function(d){return d.textContent + '=' + d.nextElementSibling.textContent;})")
    check(f"Title={doc['title']}" in meta and f"Published={doc['date']}" in meta, "seed: the metadata found is shown")
    langs = page.eval("document.querySelector('details.pg .langs').textContent")
    check(all(l["code"] in langs for l in doc["languages"]) and "61%" in langs, f"seed: the languages with their shares ({langs!r})")

    bars = page.eval(JS_BARS)
    want = collections.Counter(r["family"] for r in doc["removed"])
    check([b["key"] for b in bars] == FAMILIES, f"seed: the family chart has one bar per family ({[b['key'] for b in bars]})")
    check(all(b["count"] == want.get(b["key"], 0) and b["shown"] == str(want.get(b["key"], 0)) for b in bars),
          f"seed: family bar counts match --format json ({ {b['key']: b['count'] for b in bars} } vs {dict(want)})")
    top = max(b["count"] for b in bars)
    check(all(abs(b["width"] - 480 * b["count"] / top) < 0.2 for b in bars), "seed: bar lengths are proportional to the counts")

    # Keyboard: Tab reaches the removed blocks; focus shows the rule's explanation.
    page.eval("document.activeElement && document.activeElement.blur(); window.scrollTo(0,0)")
    seen = []
    for _ in range(40):
        page.key("Tab", "Tab", 9)
        seen.append(page.eval("(function(e){return [e.tagName, e.className || '', e.getAttribute('data-rule') || '', "
                              "getComputedStyle(e, '::after').content, e.getAttribute('title') || ''];})(document.activeElement)"))
        if seen[-1][2]:
            break
    focused = seen[-1]
    check(focused[2] != "" and "x" in focused[1].split(), f"seed: Tab reaches a removed block ({[s[:3] for s in seen][-4:]})")
    check(focused[4] != "" and focused[4][:40] in focused[3], "seed: a focused removed block shows its rule's explanation")
    page.eval("document.activeElement.blur(); window.scrollTo(0,0)")
    shot = os.path.join(tmp, "seed-001.png")
    page.screenshot(shot, full=True, max_height=2400)
    check(os.path.getsize(shot) > 10000, f"seed: screenshot saved ({shot})")

    narrow = Page(browser, 375, 800, mobile=True)
    narrow.goto(url)
    sw = narrow.eval("document.documentElement.scrollWidth")
    check(sw <= 375, f"seed: no horizontal scrolling at 375 px (document is {sw} px wide)")
    narrow.screenshot(os.path.join(tmp, "seed-001-375.png"), full=True, max_height=3000)
    no_problems(narrow, "seed at 375 px", url)

    if UPDATE:  # the committed sample: the report and a picture of its page section, 900 px wide
        out = os.path.join(SRC, "testdata", "report")
        os.makedirs(out, exist_ok=True)
        shutil.copy(report, os.path.join(out, "seed-001.html"))
        sample = Page(browser, 900, 900)
        sample.goto(url)
        bottom = sample.eval("document.querySelector('details.pg').getBoundingClientRect().bottom + window.scrollY + 12")
        data = sample.cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                     "clip": {"x": 0, "y": 0, "width": 900, "height": bottom, "scale": 0.8}})["data"]
        with open(os.path.join(out, "seed-001.png"), "wb") as f:
            f.write(base64.b64decode(data))
        print(f"updated {out}/seed-001.html and seed-001.png")


HOSTILE = ("Hostile page\n\n"
           "The council published its findings on Tuesday, saying that <img src=x onerror=\"alert(1)\"> and "
           "<script>alert('x')</script> tags in scraped text must be shown as text & never run; \"quotes\" and "
           "'apostrophes' too, as well as </script><b>closing tags</b> and <!-- comments -->, across the report.\n\n"
           "A second paragraph of the article follows here, long enough to be kept as body text by the cleaner, "
           "with a few more words about the council and its findings on the matter at hand.\n")


def batch_checks(browser, tmp):
    d = os.path.join(tmp, "batch")
    os.makedirs(d)
    picks = [("02-onetrust.html", "onetrust-en/input.html"), ("03-didomi.html", "didomi-fr/input.html"),
             ("04-de-dialog.txt", "txt-de-dialog-an-aus/input.txt"), ("05-comments.html", "quality-comments/input.html"),
             ("06-ja-notice.txt", "txt-ja-article-en-ui-notice/input.txt"), ("07-sprite.html", "sprite-own-line-en/input.html")]
    for dst, src in picks:
        if os.path.exists(os.path.join(CASES, src)):
            shutil.copy(os.path.join(CASES, src), os.path.join(d, dst))
    if os.path.exists(SEED):
        shutil.copy(SEED, os.path.join(d, "01-seed.txt"))
    open(os.path.join(d, "08-hostile.txt"), "w").write(HOSTILE)
    open(os.path.join(d, "09-photo.html"), "wb").write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    open(os.path.join(d, "10-empty.html"), "wb").close()

    report = os.path.join(tmp, "batch.html")
    r = run(["-q", "-j", "2", "--format", "jsonl", "-o", os.path.join(tmp, "batch.jsonl"), "--report", report, "batch"], cwd=tmp)
    check(r.returncode == 1 and os.path.exists(report), f"batch: report written, exit 1 for the failed inputs (exit {r.returncode})")
    if not os.path.exists(report):
        return
    docs = [json.loads(l) for l in open(os.path.join(tmp, "batch.jsonl"))]
    ok = [x for x in docs if x["status"] == "ok"]
    bad = [x for x in docs if x["status"] != "ok"]
    html = static_checks(report, "batch")
    r2 = run(["-q", "-j", "1", "--format", "jsonl", "-o", os.path.join(tmp, "batch2.jsonl"), "--report",
              os.path.join(tmp, "batch2.html"), "batch"], cwd=tmp)
    check(strip_timings(html) == strip_timings(open(os.path.join(tmp, "batch2.html"), "rb").read()),
          "batch: -j 1 and -j 2 give the same report apart from the delimited timings")

    url = "file://" + report
    page = Page(browser, 1200, 900)
    page.goto(url)
    no_problems(page, "batch", url)
    rows = page.eval(JS_VISIBLE_ROWS)
    check(rows == [x["source"] for x in ok], f"batch: the page list lists the {len(ok)} cleaned pages in input order")
    fails = page.eval("Array.from(document.querySelectorAll('#failtable tbody tr')).map(function(r){return [r.cells[1].textContent, r.cells[2].textContent];})")
    check(sorted(f[0] for f in fails) == sorted(x["source"] for x in bad) and all(f[1] for f in fails),
          f"batch: the failures are listed with their reasons ({fails})")
    want = collections.Counter(r["family"] for x in ok for r in x["removed"])
    bars = page.eval(JS_BARS)
    check([b["key"] for b in bars] == FAMILIES and all(b["count"] == want.get(b["key"], 0) for b in bars),
          f"batch: the family chart has one bar per family with the JSON counts ({dict(want)})")
    rule_want = collections.Counter(r["rule"] for x in ok for r in x["removed"])
    rule_rows = page.eval("Array.from(document.querySelectorAll('#ruletable tbody tr')).map(function(r){return [r.getAttribute('data-rule'), +r.cells[2].textContent, r.querySelector('.ex').textContent];})")
    check({r[0]: r[1] for r in rule_rows} == dict(rule_want), "batch: the rule table counts every removal by rule")
    missing = [r[0] for r in rule_rows if not r[2] or r[2].startswith("No explanation")]
    check(not missing, f"batch: every rule that fired has an explanation ({missing})")
    check(page.eval("document.querySelectorAll('#chart-rules g.bar').length") == min(20, len(rule_want)),
          "batch: the rule chart shows the rules that fire most")
    check(page.eval("/rules never fired/.test(document.getElementById('rules').parentNode.textContent)"),
          "batch: the rules that never fire are listed")
    check(page.eval("document.querySelectorAll('#chart-lang g.bar').length") == len({x["language"] for x in ok}),
          "batch: the language chart has one bar per content language")

    # Search: typed into the box.
    page.eval("document.getElementById('q').focus()")
    page.type("didomi")
    check(page.eval(JS_VISIBLE_ROWS) == ["batch/03-didomi.html"], "batch: typing in the search box filters the page list")
    page.eval("var q=document.getElementById('q'); q.select()")
    page.type("consent")
    with_consent = [x["source"] for x in ok if any(r["family"] == "consent" for r in x["removed"])]
    check(page.eval(JS_VISIBLE_ROWS) == with_consent, f"batch: searching a family finds the pages it removed from ({len(with_consent)})")
    page.eval("var q=document.getElementById('q'); q.select()")
    page.type("no-such-page-anywhere")
    check(page.eval(JS_VISIBLE_ROWS) == [] and "No page" in page.eval("document.getElementById('pginfo').textContent"),
          "batch: a search without match empties the list and says so")
    # Search from the URL.
    page.goto(url + "#q=hostile")
    check(page.eval(JS_VISIBLE_ROWS) == ["batch/08-hostile.txt"], "batch: #q= in the URL filters the page list")
    page.goto(url + "?q=ja-notice")
    check(page.eval(JS_VISIBLE_ROWS) == ["batch/06-ja-notice.txt"], "batch: ?q= in the URL filters the page list")
    rule = "consent.toggle-on-off"
    page.goto(url + "#q=" + rule)
    check(page.eval(JS_VISIBLE_ROWS) == [x["source"] for x in ok if any(r["rule"] == rule for r in x["removed"])],
          "batch: searching a rule id finds the pages it fired on")

    # Sorting by the number of removed blocks.
    page.goto(url)
    page.click("#pagelist thead th:nth-child(5) button")
    asc = page.eval(JS_VISIBLE_ROWS)
    page.click("#pagelist thead th:nth-child(5) button")
    desc = page.eval(JS_VISIBLE_ROWS)
    nrem = {x["source"]: len(x["removed"]) for x in ok}
    check([nrem[s] for s in asc] == sorted(nrem[s] for s in asc) and [nrem[s] for s in desc] == sorted((nrem[s] for s in desc), reverse=True)
          and len(asc) == len(ok), "batch: clicking a column header sorts the page list, again reverses it")
    check(page.eval("document.querySelector('#pagelist thead th:nth-child(5)').getAttribute('aria-sort')") == "descending",
          "batch: the sorted column says so (aria-sort)")

    # A page's section, from its link.
    for i, x in enumerate(docs, 1):
        if x["status"] == "ok" and x["source"].endswith("01-seed.txt"):
            page.goto(f"{url}#p{i}")
            check(page.eval(f"document.getElementById('p{i}').open") is True, "batch: #pN opens page N's section")
            check_blocks("batch seed section", page.eval(JS_REMOVED % f"'#p{i} .x'"), x)
    # Hostile text is shown, never run or parsed.
    idx = next(i for i, x in enumerate(docs, 1) if x["source"].endswith("08-hostile.txt"))
    page.goto(f"{url}#p{idx}")
    text = page.eval(f"document.getElementById('p{idx}').textContent")
    check("<img src=x onerror=\"alert(1)\">" in text and "<script>alert('x')</script>" in text and "</script><b>closing tags</b>" in text
          and "<!-- comments -->" in text and "\"quotes\"" in text and "'apostrophes'" in text,
          "batch: hostile markup in page text is shown as text")
    check(page.eval(f"document.querySelectorAll('#p{idx} .blocks *').length") ==
          page.eval(f"document.querySelectorAll('#p{idx} .blocks p, #p{idx} .blocks del, #p{idx} .blocks span').length")
          and page.eval("document.querySelectorAll('main img, main script').length") == 0,
          "batch: hostile markup creates no element")
    no_problems(page, "batch after navigation", url)
    page.eval("document.activeElement.blur(); window.scrollTo(0,0)")
    page.screenshot(os.path.join(tmp, "batch.png"), full=True, max_height=4000)

    narrow = Page(browser, 375, 800, mobile=True)
    narrow.goto(url)
    sw = narrow.eval("document.documentElement.scrollWidth")
    check(sw <= 375, f"batch: no horizontal scrolling at 375 px (document is {sw} px wide)")
    narrow.screenshot(os.path.join(tmp, "batch-375.png"), full=True, max_height=4000)


def large_checks(browser, tmp):
    """A batch past the inline limit: page sections are inert until opened, the list is paginated."""
    # Under the sanitizers (10x slower) the batch is just past the inline limit and built once.
    sanitized = b"libasan" in subprocess.run(["ldd", BIN], capture_output=True).stdout
    n = int(os.environ.get("SCRUBTEXT_REPORT_PAGES", "105" if sanitized else "120"))
    d = os.path.join(tmp, "large")
    os.makedirs(d)
    sources = [os.path.join(CASES, c, f) for c in sorted(os.listdir(CASES)) for f in ("input.txt", "input.html")
               if os.path.exists(os.path.join(CASES, c, f))]
    for i in range(n):
        src = sources[i % len(sources)]
        shutil.copy(src, os.path.join(d, f"{i:05d}{os.path.splitext(src)[1]}"))
    report = os.path.join(tmp, "large.html")
    t0 = time.time()
    r = run(["-q", "-j", "2", "--format", "jsonl", "-o", os.path.join(tmp, "large.jsonl"), "--report", report, "large"], cwd=tmp)
    secs = time.time() - t0
    check(r.returncode == 0, f"large: {n} pages cleaned with a report in {secs:.1f} s (exit {r.returncode})")
    if not sanitized:
        r2 = run(["-q", "-j", "1", "--format", "jsonl", "-o", os.path.join(tmp, "large2.jsonl"), "--report",
                  os.path.join(tmp, "large2.html"), "large"], cwd=tmp)
        check(r2.returncode == 0 and strip_timings(open(report, "rb").read()) == strip_timings(open(os.path.join(tmp, "large2.html"), "rb").read()),
              "large: -j 1 and -j 2 give the same report apart from the delimited timings")
    size = os.path.getsize(report)
    print(f"large: {n} pages, report {size / 1e6:.2f} MB ({size / n / 1e3:.1f} kB per page)")
    check(size < 50e6, "large: report under 50 MB")
    static_checks(report, "large")
    url = "file://" + report
    page = Page(browser, 1200, 900)
    ms = page.goto(url, timeout=60)
    check(ms < 3000, f"large: opens and is ready in {ms:.0f} ms (< 3 s)")
    no_problems(page, "large", url)
    check(page.eval("document.querySelectorAll('details.pg').length") == 0 and
          page.eval("document.getElementById('pagebodies').textContent.split('\\n').length") == n,
          f"large: the {n} page sections are inert data until one is opened")
    check(len(page.eval(JS_VISIBLE_ROWS)) == min(50, n), "large: the page list shows 50 rows at a time")
    page.click("#pgnext")
    shown = page.eval(JS_VISIBLE_ROWS)
    check(len(shown) == min(50, max(0, n - 50)) and shown[0] == "large/00050" + os.path.splitext(sources[50 % len(sources)])[1],
          "large: Next shows the following rows")
    docs = [json.loads(l) for l in open(os.path.join(tmp, "large.jsonl"))]
    for k in (n, 1 + n // 2):
        page.goto(f"{url}#p{k}")
        check(page.eval(f"document.getElementById('p{k}').open") is True and
              page.eval("document.querySelectorAll('details.pg').length") == 1, f"large: #p{k} renders page {k}'s section")
        check_blocks(f"large page {k}", page.eval(JS_REMOVED % f"'#p{k} .x'"), docs[k - 1])
    # Opening a page from the list, as a reader would.
    page.goto(url)
    page.click("#pagelist tbody tr:nth-child(3) a")
    time.sleep(0.3)
    check(page.eval("location.hash") == "#p3" and page.eval("document.querySelectorAll('#p3 .blocks p').length") > 0,
          "large: following a page's link in the list renders its section")
    no_problems(page, "large after navigation", url)


if __name__ == "__main__":
    main()
