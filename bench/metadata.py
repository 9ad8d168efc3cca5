#!/usr/bin/env python3
"""Metadata accuracy on the hand-labelled pages of testdata/meta, and the cost of metadata.

    bench/metadata.py [--binary build/scrubtext] [--show-misses] [--timing-dir DIR] [--rounds N]

Runs `scrubtext --format json --crawl-date <labels crawl_date>` on every page (with
`--url source_url` when the label gives one) and compares title, authors (the list, in any
order), date, date_modified, site_name, url, page_type, tags and categories with
testdata/meta/labels.json. A field is scored only on the pages whose label has it; null
means the page has none, so a value found there is a miss. Strings are compared after
whitespace collapsing.

Cost: times `scrubtext --format jsonl -j 1` over a directory of pages (default: the
ScrapingHub benchmark pages in ../shared/bench/aeb/html) with metadata and with
`--no-metadata`, best of N rounds each, and reports the difference per page.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIELDS = ["title", "authors", "date", "date_modified", "site_name", "url", "page_type", "tags", "categories"]


def norm(v):
    if isinstance(v, list):
        return sorted(" ".join(x.split()) for x in v)
    if isinstance(v, str):
        return " ".join(v.split())
    return v


def got_field(doc, field):
    return doc.get(field)


def accuracy(binary, show):
    labels = json.load(open(os.path.join(ROOT, "testdata/meta/labels.json"), encoding="utf-8"))
    crawl = labels.get("crawl_date")
    right = {f: 0 for f in FIELDS}
    total = {f: 0 for f in FIELDS}
    misses = []
    for name, want in labels["pages"].items():
        cmd = [binary, "--format", "json", "-q"]
        if crawl:
            cmd += ["--crawl-date", crawl]
        if want.get("source_url"):
            cmd += ["--url", want["source_url"]]
        cmd.append(os.path.join(ROOT, "testdata/meta", name + ".html"))
        doc = json.loads(subprocess.run(cmd, capture_output=True, check=True).stdout)
        for f in FIELDS:
            if f not in want:
                continue
            total[f] += 1
            g = norm(got_field(doc, f))
            w = norm(want[f])
            if f in ("authors", "tags", "categories"):
                g = g or []
                w = w or []
            if g == w:
                right[f] += 1
            else:
                misses.append((name, f, want[f], got_field(doc, f)))
    print(f"metadata accuracy on {len(labels['pages'])} hand-labelled pages (testdata/meta):")
    for f in FIELDS:
        if total[f]:
            print(f"  {f:14s} {right[f]:3d}/{total[f]:3d}  {100.0 * right[f] / total[f]:5.1f}%")
    allr = sum(right.values())
    allt = sum(total.values())
    print(f"  {'all fields':14s} {allr:3d}/{allt:3d}  {100.0 * allr / allt:5.1f}%")
    if show:
        for m in misses:
            print("  miss:", m[0], m[1], "want", json.dumps(m[2], ensure_ascii=False), "got", json.dumps(m[3], ensure_ascii=False))


def timing(binary, directory, rounds):
    pages = sorted(os.path.join(directory, f) for f in os.listdir(directory))
    if not pages:
        return

    def run(extra):
        best = None
        for _ in range(rounds):
            t0 = time.perf_counter()
            subprocess.run([binary, "--format", "jsonl", "-j", "1", "-q", *extra, *pages],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        return best

    # Alternate the two so that both see the same machine state.
    on = off = None
    for _ in range(rounds):
        a, b = run([]), run(["--no-metadata"])
        on = a if on is None else min(on, a)
        off = b if off is None else min(off, b)
    n = len(pages)
    print(f"cost over {n} pages in {directory} (best of {rounds}x{rounds} runs, one thread):")
    print(f"  with metadata     {1000 * on / n:7.2f} ms/page")
    print(f"  --no-metadata     {1000 * off / n:7.2f} ms/page")
    print(f"  metadata adds     {1000 * (on - off) / n:7.2f} ms/page ({100.0 * (on - off) / off:+.1f}%)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "scrubtext"))
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--timing-dir", default=os.path.join(ROOT, "..", "shared", "bench", "aeb", "html"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-timing", action="store_true")
    a = ap.parse_args()
    accuracy(a.binary, a.show_misses)
    if not a.no_timing and os.path.isdir(a.timing_dir):
        timing(a.binary, a.timing_dir, a.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
