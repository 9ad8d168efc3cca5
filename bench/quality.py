#!/usr/bin/env python3
"""Quality run on the ScrapingHub article-extraction benchmark.

Runs scrubtext once over every page (JSONL output), writes a predictions file in the
benchmark's shape ({id: {"articleBody": text}}), and scores it with the benchmark's
scorer (token 4-gram shingles, macro-averaged precision / recall / F1).

  bench/quality.py [--binary build/scrubtext] [--bench ../shared/bench] [--out FILE] [--worst N]
                   [--min-f1 X]

With --min-f1 it exits 1 when F1 falls below X (the quality gate).
"""
import argparse
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)

ap = argparse.ArgumentParser()
ap.add_argument("--binary", default=os.path.join(root, "build", "scrubtext"))
ap.add_argument("--bench", default=os.path.join(root, "..", "shared", "bench"))
ap.add_argument("--out", default="/tmp/scrubtext-aeb-predictions.json")
ap.add_argument("--worst", type=int, default=0)
ap.add_argument("--min-f1", type=float, default=None)
args = ap.parse_args()

html_dir = os.path.join(args.bench, "aeb", "html")
files = sorted(os.path.join(html_dir, f) for f in os.listdir(html_dir) if f.endswith(".html.gz"))
proc = subprocess.run([args.binary, "--format", "jsonl", *files], capture_output=True, text=True)
if proc.returncode not in (0, 1):
    sys.exit(f"scrubtext failed ({proc.returncode}): {proc.stderr[-2000:]}")
pred = {}
for line in proc.stdout.splitlines():
    obj = json.loads(line)
    key = os.path.basename(obj["source"])[: -len(".html.gz")]
    pred[key] = {"articleBody": obj.get("text") or ""}
with open(args.out, "w") as f:
    json.dump(pred, f, ensure_ascii=False, indent=1)
cmd = [sys.executable, os.path.join(args.bench, "score.py"), os.path.join(args.bench, "aeb", "ground-truth.json"), args.out]
if args.worst:
    cmd += ["--worst", str(args.worst)]
score = subprocess.run(cmd, capture_output=True, text=True)
print(score.stdout, end="")
if args.min_f1 is not None:
    f1 = None
    for line in score.stdout.splitlines():
        if "F1" in line or "f1" in line:
            for tok in line.replace("=", " ").replace(":", " ").split():
                try:
                    f1 = float(tok)
                except ValueError:
                    pass
    if f1 is None or f1 < args.min_f1:
        sys.exit(f"quality gate: F1 {f1} below the floor {args.min_f1}")
