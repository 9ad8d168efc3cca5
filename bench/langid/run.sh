#!/usr/bin/env bash
# Language-identification benchmark: scrubtext's embedded model vs CLD2 (best effort) on
# ../shared/langid/dev/{short,long}.tsv, one thread, one run. CLD2 is used only here (Debian
# libcld2-dev); without it the driver reports scrubtext alone.
#
#   bench/langid/run.sh [extra scrubtext_bench_langid options, e.g. --seconds 5 --errors]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build-lang}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"${JOBS:-1}" --target scrubtext_bench_langid >/dev/null
exec "$build/tools/scrubtext_bench_langid" --dev "${LANGID_DEV:-$root/../shared/langid/dev}" "$@"
