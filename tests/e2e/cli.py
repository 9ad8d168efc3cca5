#!/usr/bin/env python3
"""End-to-end tests of the scrubtext command as a user runs it.

usage: cli.py PATH/TO/scrubtext SOURCE_DIR
"""
import gzip, json, os, subprocess, sys, tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
SHARED = os.environ.get("SCRUBTEXT_SHARED_DIR", os.path.join(SRC, "..", "shared"))
SAMPLE = os.path.join(SRC, "testdata", "sample", "advocacy-page.html")
failures = []

def run(args, stdin=None):
    return subprocess.run([BIN, *args], input=stdin, capture_output=True)

def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)

tmp = tempfile.mkdtemp(prefix="scrubtext-e2e-")
page = open(SAMPLE, "rb").read()

# A file, standard input and '-' give the same bytes.
a = run([SAMPLE]); b = run([], stdin=page); c = run(["-"], stdin=page)
check(a.returncode == 0 and a.stdout, "file input works")
check(a.stdout == b.stdout == c.stdout, "stdin and file give the same output")
check(a.stdout == run([SAMPLE]).stdout, "output is deterministic")

# JSON has the documented fields.
j = json.loads(run(["--format", "json", SAMPLE]).stdout)
for field in ["source", "status", "url", "title", "author", "date", "site_name", "description", "language", "text", "removed"]:
    check(field in j, f"json has '{field}'")
check(j["status"] == "ok", "json status ok")
check(all("rule" in r and "family" in r and "excerpt" in r for r in j["removed"]), "removed entries carry rule, family, excerpt")
check(j["text"] and j["title"] and not j["text"].startswith(j["title"]), "json text excludes the headline")

# Text output: headline, blank line, body.
lines = a.stdout.decode().split("\n")
check(len(lines) > 3 and lines[0] == j["title"] and lines[1] == "", "text output starts with headline then a blank line")

# gzip input is transparent.
gz = os.path.join(tmp, "page.html.gz")
with gzip.open(gz, "wb") as f:
    f.write(page)
check(run([gz]).stdout == a.stdout, "gzip input gives the same text")

# Bad inputs are reported with their path and reason; the other inputs still come out.
binary = os.path.join(tmp, "image.html"); open(binary, "wb").write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
empty = os.path.join(tmp, "empty.html"); open(empty, "wb").close()
trunc = os.path.join(tmp, "trunc.html.gz"); open(trunc, "wb").write(open(gz, "rb").read()[:200])
missing = os.path.join(tmp, "missing.html")
r = run(["--format", "jsonl", binary, SAMPLE, empty, trunc, missing])
err = r.stderr.decode()
check(r.returncode == 1, "exit code 1 when some input failed")
for path, reason in [(binary, "PNG"), (empty, "empty"), (trunc, "truncated"), (missing, "No such file")]:
    check(any(path in l and reason in l for l in err.splitlines()), f"error names {os.path.basename(path)} and '{reason}'")
docs = [json.loads(l) for l in r.stdout.decode().splitlines()]
check(any(d["status"] == "ok" and d["source"] == SAMPLE for d in docs), "good input still cleaned among bad ones")

# Usage errors exit 2.
check(run(["--format", "yaml", SAMPLE]).returncode == 2, "bad flag value exits 2")
badrules = os.path.join(tmp, "bad.rules"); open(badrules, "w").write("family: chrome\ntarget: line\n[x]\npattern: (\nexplain: e\n")
r = run(["--rules", badrules, SAMPLE])
check(r.returncode == 2 and f"{badrules}:3:" in r.stderr.decode(), "malformed rule file exits 2 with file:line")

# -o writes atomically and leaves no temporary file.
out = os.path.join(tmp, "out.txt")
check(run(["-o", out, SAMPLE]).returncode == 0 and open(out, "rb").read() == a.stdout, "-o writes the output")
check(not [f for f in os.listdir(tmp) if ".tmp-" in f], "no temporary file left")

# --version, --help, --list-rules.
check(run(["--version"]).stdout.decode().startswith("scrubtext "), "--version")
h = run(["--help"]).stdout.decode()
check("Examples:" in h and "Exit status" in h, "--help has examples and exit codes")
lr = run(["--list-rules"]).stdout.decode().splitlines()
check(len(lr) > 300 and all(len(l.split("\t")) == 5 for l in lr), "--list-rules lists id, family, target, lang, explanation")

# --explain prints removals on stderr in text mode.
if os.path.isdir(SHARED):
    seed = os.path.join(SHARED, "seeds", "001_scraped_page.txt")
    r = run(["--explain", seed])
    check("removed [consent" in r.stderr.decode() and "removed [sprite" in r.stderr.decode(), "--explain on stderr")
    j = json.loads(run(["--format", "json", seed]).stdout)
    check(j["date"] == "2022-05-24", "seed 001 date is 2022-05-24")
    check(j["title"] == "CSOs send letter to Amazon Web Services about hosting the HART biometric database", "seed 001 title")

# --links: links inline in Markdown, a list in JSON; text output unchanged.
page = (b'<html><body><article><h1>Pier approved</h1><p>The council <a href="https://example.org/vote">approved the '
        b'pier</a> after a long debate about the harbour, the fishing fleet and the summer ferries to the islands.</p>'
        b'<p>Work starts in spring; <a href="/plan.pdf">the plan</a> is public and the first phase ends in June.</p>'
        b'</article></body></html>')
md = run(["--format", "markdown", "--links"], stdin=page).stdout.decode()
check("The council [approved the pier](https://example.org/vote) after" in md and "[the plan](/plan.pdf)" in md,
      "--links writes [text](href) in Markdown")
check("](" not in run(["--format", "markdown"], stdin=page).stdout.decode(), "no links in Markdown without --links")
j = json.loads(run(["--format", "json", "--links"], stdin=page).stdout)
check(j.get("links") == [{"text": "approved the pier", "href": "https://example.org/vote"},
                         {"text": "the plan", "href": "/plan.pdf"}], "--links gives a links list in JSON")
check(run(["--links"], stdin=page).stdout == run([], stdin=page).stdout, "--links leaves text output unchanged")

# A closed pipe is not an error.
p = subprocess.run(f"'{BIN}' '{SAMPLE}' '{SAMPLE}' '{SAMPLE}' | head -c 10 > /dev/null; echo ${{PIPESTATUS[0]}}",
                   shell=True, capture_output=True, executable="/bin/bash")
check(p.stdout.decode().strip() == "0", "closed pipe exits 0")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
