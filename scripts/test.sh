#!/usr/bin/env bash
# Sets everything up and runs every test: the Release build with warnings as errors, the
# whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer, and the quality
# gate on the development benchmark (when ../shared/bench is present).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

echo "== Release build (warnings are errors)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCRUBTEXT_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== ASan + UBSan build"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCRUBTEXT_SANITIZE=ON -DSCRUBTEXT_WERROR=ON >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

if [[ -x scripts/fuzz.sh ]]; then
  echo "== Fuzz targets, a short fixed time each"
  scripts/fuzz.sh --ci
fi

bench="${SCRUBTEXT_SHARED_DIR:-../shared}/bench"
if [[ -d "$bench/aeb" ]]; then
  echo "== Quality gate on the development benchmark"
  # The floor is raised when quality improves and never lowered silently.
  python3 bench/quality.py --binary build/scrubtext --bench "$bench" --min-f1 0.976
else
  echo "== Quality gate skipped: $bench not found"
fi
