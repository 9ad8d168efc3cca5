#!/usr/bin/env python3
"""Error analysis for one benchmark page: what leaked into scrubtext's text and what was lost.

  bench/diff.py ID [--binary build/scrubtext] [--bench ../shared/bench]

Leaked: kept blocks none of whose 4-word shingles are in the ground truth.
Lost: ground-truth paragraphs none of whose shingles are in the output, with the rule
that removed the block holding them (from --explain), so each loss points at a decision.
"""
import argparse, json, os, re, subprocess

WORD = re.compile(r"\w+", re.UNICODE)
def sh(t):
    w = WORD.findall(t or "")
    return {tuple(w[i:i + 4]) for i in range(max(1, len(w) - 3))} if w else set()

here = os.path.dirname(os.path.abspath(__file__)); root = os.path.dirname(here)
ap = argparse.ArgumentParser(); ap.add_argument("id")
ap.add_argument("--binary", default=os.path.join(root, "build", "scrubtext"))
ap.add_argument("--bench", default=os.path.join(root, "..", "shared", "bench"))
a = ap.parse_args()
gt = json.load(open(os.path.join(a.bench, "aeb", "ground-truth.json")))[a.id]["articleBody"]
out = subprocess.run([a.binary, "--format", "json", "--explain",
                      os.path.join(a.bench, "aeb", "html", a.id + ".html.gz")], capture_output=True, text=True).stdout
doc = json.loads(out)
gts = sh(gt); outs = sh(doc["text"])
print("title:", doc["title"])
print("== leaked (kept, not in truth)")
for b in doc["blocks"]:
    if b["kept"] and not (sh(b["text"]) & gts):
        print("  +", b["kind"], repr(b["text"][:140]))
print("== lost (in truth, not kept)")
for para in gt.split("\n"):
    if para.strip() and not (sh(para) & outs):
        why = [b.get("rule") for b in doc["blocks"] if sh(b["text"]) & sh(para)]
        print("  -", repr(para[:140]), "<-", why[:3])
