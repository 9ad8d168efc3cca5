#!/usr/bin/env python3
"""Speed of scrubtext against its baselines and peer, measured in one run.

    bench/speed.py [--build build] [--rounds 5] [--copies 10]

Each round measures, one after the other so that every figure of a round sees the same
machine:

  * in one process, one thread, on the 181 benchmark pages (build/scrubtext_bench): the gumbo
    parse-only baseline (gumbo_parse + gumbo_destroy_output of every page) and scrubtext's
    full clean of the same bytes, after an untimed warm-up round of both (the steady state of
    a crawl: ICU's data loaded, RE2's DFA states built);
  * the Readability.js peer on linkedom, one thread (../shared/bench/peers/readability; its
    own timer covers extraction only, like scrubtext_bench);
  * the command over a directory of COPIES copies of the pages (gzip, as crawled), at -j1
    and -j2, wall time of the whole process (start-up, reading, gunzip, JSONL writing).

It prints the median of the rounds for each figure and the ratios the project tracks:
scrubtext / gumbo parse-only (the median of the rounds' own ratios: scrubtext_bench times the
two in batches of 16 pages, one right after the other, so that a shared host's changes of speed meet
both alike), scrubtext / Readability.js, and -j2 / -j1.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"speed.py: {' '.join(cmd)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--copies", type=int, default=10, help="copies of the 181 pages for the -j1/-j2 runs")
    ap.add_argument("--shared", default=os.environ.get("SCRUBTEXT_SHARED_DIR", os.path.join(ROOT, "..", "shared")))
    a = ap.parse_args()

    pages_dir = os.path.join(a.shared, "bench", "aeb", "html")
    peer = os.path.join(a.shared, "bench", "peers", "readability")
    have_peer = os.path.isdir(os.path.join(peer, "node_modules")) and shutil.which("node")
    if not have_peer:
        print(f"Readability.js peer not installed (npm --prefix {peer} ci): measured without it")
    bench = os.path.join(a.build, "scrubtext_bench")
    cli = os.path.join(a.build, "scrubtext")

    tmp = tempfile.mkdtemp(prefix="scrubtext-speed-")
    corpus = os.path.join(tmp, "crawl")
    for c in range(a.copies):
        shutil.copytree(pages_dir, os.path.join(corpus, f"c{c:03d}"))
    n_corpus = sum(len(f) for _, _, f in os.walk(corpus))

    fig = {k: [] for k in ("gumbo", "scrubtext", "readability", "j1", "j2")}
    mb_pages = None
    ratios = []  # scrubtext / gumbo of each round, the two timed batch by batch in turn
    try:
        for r in range(a.rounds):
            out = run([bench, pages_dir, "--rounds", "1"])
            g = re.search(r"gumbo parse-only\s*:\s*([\d.]+) pages/s", out)
            s = re.search(r"scrubtext clean\s*:\s*([\d.]+) pages/s", out)
            m = re.search(r"pages: (\d+), ([\d.]+) MB", out)
            ratios.append(float(re.search(r"ratio scrubtext/gumbo: ([\d.]+)x", out).group(1)))
            fig["gumbo"].append(float(g.group(1)))
            fig["scrubtext"].append(float(s.group(1)))
            mb_pages = (int(m.group(1)), float(m.group(2)))
            if have_peer:
                out = run(["node", os.path.join(peer, "run.mjs"), pages_dir])
                fig["readability"].append(float(re.search(r"pages/s=([\d.]+)", out).group(1)))
            for j in (1, 2):
                t0 = time.perf_counter()
                run([cli, "-q", "-j", str(j), "--format", "jsonl", "-o", os.path.join(tmp, f"j{j}.jsonl"), corpus])
                fig[f"j{j}"].append(n_corpus / (time.perf_counter() - t0))
            line = ", ".join(f"{k} {v[-1]:.1f}" for k, v in fig.items() if v)
            print(f"round {r + 1}: pages/s: {line}; scrubtext/gumbo {ratios[-1]:.2f}x", flush=True)
        same = open(os.path.join(tmp, "j1.jsonl"), "rb").read() == open(os.path.join(tmp, "j2.jsonl"), "rb").read()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in fig.items() if v}
    n, mb = mb_pages
    per_page_mb = mb / n
    print(f"\nmedian of {a.rounds} rounds; {n} pages, {mb:.1f} MB of HTML; command runs over {n_corpus} pages (gzip)")
    print(f"  gumbo parse-only, 1 thread   {med['gumbo']:7.1f} pages/s {med['gumbo'] * per_page_mb:6.1f} MB/s")
    print(f"  scrubtext clean, 1 thread    {med['scrubtext']:7.1f} pages/s {med['scrubtext'] * per_page_mb:6.1f} MB/s")
    if "readability" in med:
        print(f"  Readability.js, 1 thread     {med['readability']:7.1f} pages/s {med['readability'] * per_page_mb:6.1f} MB/s")
    print(f"  scrubtext command -j1        {med['j1']:7.1f} pages/s {med['j1'] * per_page_mb:6.1f} MB/s")
    print(f"  scrubtext command -j2        {med['j2']:7.1f} pages/s {med['j2'] * per_page_mb:6.1f} MB/s")
    ratio = statistics.median(ratios)
    print(f"  scrubtext / gumbo parse-only {ratio:.2f}x (time {1 / ratio:.2f}x gumbo's; median of the rounds' ratios, "
          f"which ranged {min(ratios):.2f}x-{max(ratios):.2f}x)")
    if "readability" in med:
        print(f"  scrubtext / Readability.js   {med['scrubtext'] / med['readability']:.2f}x")
    print(f"  -j2 / -j1                    {med['j2'] / med['j1']:.2f}x")
    print(f"  -j1 and -j2 outputs identical: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
