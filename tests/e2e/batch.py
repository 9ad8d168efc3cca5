#!/usr/bin/env python3
"""End-to-end tests of batch mode: a crawl directory with every kind of bad input, a WARC
file, JSONL on stdin, sharding, thread-count independence, and resuming after SIGKILL.

usage: batch.py PATH/TO/scrubtext SOURCE_DIR
"""
import gzip, json, os, shutil, signal, subprocess, sys, tempfile, time

BIN, SRC = sys.argv[1], sys.argv[2]
SAMPLE = open(os.path.join(SRC, "testdata", "sample", "advocacy-page.html"), "rb").read()
CASES = os.path.join(SRC, "testdata", "cases")
failures = []

def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)

def run(args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, **kw)

def warc_record(rtype, uri, payload, rid):
    head = (f"WARC/1.0\r\nWARC-Type: {rtype}\r\nWARC-Record-ID: <urn:uuid:{rid}>\r\n"
            f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n").encode()
    return head + payload + b"\r\n\r\n"

tmp = tempfile.mkdtemp(prefix="scrubtext-batch-")
crawl = os.path.join(tmp, "crawl")
os.makedirs(os.path.join(crawl, "news", "deep"))
os.makedirs(os.path.join(crawl, "dumps"))
# Good pages: plain, gzip, extension-less, a text dump, a windows-1252 page.
open(os.path.join(crawl, "news", "a.html"), "wb").write(SAMPLE)
with gzip.open(os.path.join(crawl, "news", "b.html.gz"), "wb") as f:
    f.write(SAMPLE.replace(b"Meridian", b"Meridiana"))
open(os.path.join(crawl, "news", "deep", "noext"), "wb").write(SAMPLE.replace(b"Meridian", b"Orbital"))
shutil.copy(os.path.join(CASES, "txt-de-dialog-an-aus", "input.txt"), os.path.join(crawl, "dumps", "de.txt"))
open(os.path.join(crawl, "news", "latin1.html"), "wb").write(
    b"<html><head><meta charset=windows-1252><title>Caf\xe9</title></head><body><article><p>" +
    b"Le caf\xe9 du village a rouvert ses portes apr\xe8s trois ans de travaux, au grand plaisir des habitants." * 3 +
    b"</p></article></body></html>")
# A WARC with a request, a response (chunked, with a charset header) and a metadata record.
http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n")
body = SAMPLE
chunked = b"".join(b"%x\r\n" % len(body[i:i + 4000]) + body[i:i + 4000] + b"\r\n" for i in range(0, len(body), 4000)) + b"0\r\n\r\n"
with open(os.path.join(crawl, "crawl.warc.gz"), "wb") as f:
    for rec in [warc_record("warcinfo", "", b"software: test", "0"),
                warc_record("request", "https://example.org/a", b"GET /a HTTP/1.1\r\n\r\n", "1"),
                warc_record("response", "https://example.org/a", http + chunked, "2"),
                warc_record("metadata", "https://example.org/a", b"x: y", "3")]:
        f.write(gzip.compress(rec))
# Bad inputs: binary, empty, invalid UTF-8 (still cleaned), truncated gzip, unreadable (dangling link).
open(os.path.join(crawl, "news", "photo.html"), "wb").write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
open(os.path.join(crawl, "news", "empty.html"), "wb").close()
open(os.path.join(crawl, "news", "bad-utf8.html"), "wb").write(SAMPLE.replace(b"Coalition", b"Coal\xff\xfeition"))
open(os.path.join(crawl, "news", "trunc.html.gz"), "wb").write(gzip.compress(SAMPLE)[:300])
os.symlink(os.path.join(crawl, "missing-target"), os.path.join(crawl, "news", "gone.html"))

good = {"news/a.html", "news/b.html.gz", "news/deep/noext", "dumps/de.txt", "news/latin1.html", "news/bad-utf8.html"}
bad = {"news/photo.html": "PNG", "news/empty.html": "empty", "news/trunc.html.gz": "truncated",
       "news/gone.html": "No such file"}

errfile = os.path.join(tmp, "errors.tsv")
r = run(["-j", "2", "--follow-symlinks", "--format", "jsonl", "--errors", errfile, crawl])
check(r.returncode == 1, f"exit code 1 with bad inputs (got {r.returncode})")
docs = [json.loads(l) for l in r.stdout.decode().splitlines()]
ok_sources = {os.path.relpath(d["source"], crawl) for d in docs if d["status"] == "ok"}
for g in good:
    check(g in ok_sources, f"good page {g} cleaned")
warc_docs = [d for d in docs if "#urn:uuid:2" in d["source"]]
# The sample declares a canonical URL, which wins over the record's target URI.
check(len(warc_docs) == 1 and warc_docs[0]["url"].startswith("https://www.openlines-monitor.example/")
      and "Meridian Telecom" in warc_docs[0]["text"], "WARC response record cleaned (chunked body, charset header)")
check(not any("urn:uuid:1" in d["source"] or "urn:uuid:3" in d["source"] for d in docs), "request/metadata records skipped")
errs = dict(l.split("\t", 1) for l in open(errfile).read().splitlines())
for path, reason in bad.items():
    full = os.path.join(crawl, path)
    check(full in errs and reason in errs[full], f"{path} reported with '{reason}'")
check(f"{os.path.join(crawl, 'news', 'photo.html')}:" in r.stderr.decode(), "failures named on stderr")
check("pages" in r.stderr.decode() and "failed" in r.stderr.decode(), "summary printed")
utf = [d for d in docs if d["source"].endswith("bad-utf8.html")]
check(utf and utf[0]["invalid_bytes"] == 2 * SAMPLE.count(b"Coalition"), "invalid UTF-8 counted, page still cleaned")
lat = [d for d in docs if d["source"].endswith("latin1.html")]
check(lat and "café" in lat[0]["text"], "windows-1252 page decoded")

# Same bytes whatever the thread count.
r1 = run(["-j", "1", "-q", "--format", "jsonl", crawl])
r2 = run(["-j", "2", "-q", "--format", "jsonl", crawl])
check(r1.stdout == r2.stdout and r1.stdout, "-j1 and -j2 give identical JSONL")

# Shards partition the inputs.
parts = [run(["-q", "--shard", f"{k}/3", "--format", "jsonl", crawl]).stdout.decode().splitlines() for k in range(3)]
all_lines = sorted(l for p in parts for l in p)
check(all_lines == sorted(r1.stdout.decode().splitlines()), "3 shards together give exactly the whole run")
check(run(["--shard", "3/3", crawl]).returncode == 2, "--shard K/N with K >= N is a usage error")

# JSONL records on stdin.
recs = "\n".join(json.dumps(x) for x in [{"id": "r1", "url": "https://e.org/1", "html":
                                           "<html><body><article><p>" + "A short page without a canonical link, long enough to count as a paragraph. " * 3 + "</p></article></body></html>"},
                                          {"id": "r2", "text": open(os.path.join(crawl, "dumps", "de.txt")).read()},
                                          {"id": "r3"}]) + "\n"
r = run(["--stdin-jsonl", "--format", "jsonl", "-q"], input=recs.encode())
out = [json.loads(l) for l in r.stdout.decode().splitlines()]
check([d["source"] for d in out] == ["r1", "r2"] and out[0]["url"] == "https://e.org/1", "JSONL stdin records cleaned in order")
check(r.returncode == 1 and "r3" in r.stderr.decode(), "a JSONL record without html/text is reported")

# Mirror mode, SIGKILL halfway, resume with --skip-existing: same tree as an uninterrupted run.
big = os.path.join(tmp, "big")
os.makedirs(big)
for i in range(400):
    open(os.path.join(big, f"p{i:04d}.html"), "wb").write(SAMPLE.replace(b"Meridian", b"Meridian%d" % i))
full_out, resumed = os.path.join(tmp, "full"), os.path.join(tmp, "resumed")
check(run(["-q", "-j", "2", "-o", full_out + "/", big]).returncode == 0, "mirror run succeeds")
p = subprocess.Popen([BIN, "-q", "-j", "1", "-o", resumed + "/", big], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
deadline = time.time() + 30
while time.time() < deadline and (not os.path.isdir(resumed) or len(os.listdir(resumed)) < 40):
    time.sleep(0.01)
p.send_signal(signal.SIGKILL)
p.wait()
partial = len([f for f in os.listdir(resumed) if f.endswith(".txt")])
check(0 < partial < 400, f"killed run stopped halfway ({partial} of 400)")
r = run(["-j", "2", "--skip-existing", "-o", resumed + "/", big])
check(r.returncode == 0 and "skipped" in r.stderr.decode(), "resumed run skips finished outputs")
def tree(d):
    return {f: open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))}
check(tree(full_out) == tree(resumed), "resumed tree equals the uninterrupted one (no temporary files left)")

# SIGINT: stops cleanly, prints the summary, exit 130.
intdir = os.path.join(tmp, "int")
p = subprocess.Popen([BIN, "-j", "1", "-o", intdir + "/", big], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
deadline = time.time() + 30
while time.time() < deadline and (not os.path.isdir(intdir) or len(os.listdir(intdir)) < 5):
    time.sleep(0.01)
p.send_signal(signal.SIGINT)
_, err = p.communicate(timeout=60)
check(p.returncode == 130, f"SIGINT exit code 130 (got {p.returncode})")
check(b"interrupted" in err and b"pages" in err, "summary and interruption notice on SIGINT")
written = [f for f in os.listdir(intdir) if f.endswith(".txt")]
check(0 < len(written) < 400 and all(open(os.path.join(intdir, f), "rb").read() == open(os.path.join(full_out, f), "rb").read()
                                   for f in written), "pages finished before SIGINT are complete")

# The fetch date bounds the page's date: a WARC-Date, or "crawl_date" in a JSONL record.
# The page says 2021-05-05 in its JSON-LD; its URL says 2019-12-30. Fetched on 2020-01-01,
# the JSON-LD date is in the future and the URL's wins; without a fetch date, the JSON-LD.
dated = (b'<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "A dated page",'
         b' "datePublished": "2021-05-05"}</script></head><body><article><p>' +
         b"The council approved the new budget after a long debate about the harbour works. " * 4 +
         b"</p></article></body></html>")
url = "https://example.org/2019/12/30/budget"
def warc_dated(date):
    rec = warc_record("resource", url, dated, "9").replace(b"WARC-Date: 2024-01-01T00:00:00Z", b"WARC-Date: " + date)
    path = os.path.join(tmp, "dated.warc")
    open(path, "wb").write(rec)
    r = run(["--format", "jsonl", path])
    return json.loads(r.stdout.splitlines()[0]).get("date") if r.returncode == 0 and r.stdout else None
check(warc_dated(b"2020-01-01T08:00:00Z") == "2019-12-30", "WARC-Date bounds the page date (URL date wins over a later JSON-LD one)")
check(warc_dated(b"2022-01-01T08:00:00Z") == "2021-05-05", "a WARC-Date after the JSON-LD date keeps it")
recs = [json.dumps({"id": "early", "url": url, "html": dated.decode(), "crawl_date": "2020-01-01"}),
        json.dumps({"id": "open", "url": url, "html": dated.decode()})]
r = run(["--stdin-jsonl", "--format", "jsonl"], input=("\n".join(recs) + "\n").encode())
dates = {o["source"]: o.get("date") for o in map(json.loads, r.stdout.decode().splitlines())} if r.returncode == 0 else {}
check(dates == {"early": "2019-12-30", "open": "2021-05-05"}, f"crawl_date in a JSONL record bounds its date (got {dates})")

shutil.rmtree(tmp, ignore_errors=True)
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
