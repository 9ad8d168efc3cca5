#!/usr/bin/env bash
# Batch benchmark: a directory of 10,000+ pages (copies of the benchmark pages), cleaned at
# -j1 and -j2 with peak RSS, outputs compared byte for byte, and the same corpus through
# Readability.js in one Node process as the peer.
#
#   bench/batch.sh [BUILD_DIR] [COPIES]      (defaults: build, 56 → 10,136 pages)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
copies=${2:-56}
bench=${SCRUBTEXT_SHARED_DIR:-../shared}/bench
corpus=${TMPDIR:-/tmp}/scrubtext-batch-corpus
if [[ ! -f $corpus/.complete-$copies ]]; then
  rm -rf "$corpus"
  for ((i = 0; i < copies; i++)); do
    mkdir -p "$corpus/c$i"
    cp "$bench"/aeb/html/*.html.gz "$corpus/c$i/"
  done
  touch "$corpus/.complete-$copies"
fi
pages=$(find "$corpus" -name '*.html.gz' | wc -l)
mb=$(du -sm --apparent-size "$corpus" | cut -f1)
echo "corpus: $pages pages, $mb MB (gzip) in $corpus"
for j in 1 2; do
  for run in 1 2 3; do
    /usr/bin/time -f "j$j run$run: %e s elapsed, peak RSS %M KB" \
      "$build/scrubtext" -q -j "$j" --format jsonl -o "/tmp/scrubtext-batch-j$j.jsonl" "$corpus" 2>&1 | tail -1
  done
done
cmp /tmp/scrubtext-batch-j1.jsonl /tmp/scrubtext-batch-j2.jsonl && echo "outputs identical at -j1 and -j2"
if [[ -d $bench/peers/readability/node_modules ]]; then
  # The peer reads the same pages once (181 distinct pages) per copy in one process.
  node "$bench/peers/readability/run.mjs" "$bench/aeb/html" /tmp/scrubtext-batch-readability.json | tail -1
fi
