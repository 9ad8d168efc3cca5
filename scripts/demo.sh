#!/usr/bin/env bash
# Sets everything up, builds scrubtext, and cleans the bundled sample page.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target scrubtext_cli
./build/scrubtext testdata/sample/advocacy-page.html
