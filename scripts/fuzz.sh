#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) in build-fuzz/ with clang, ASan and UBSan, and runs
# each one. Any crash, sanitizer report, leak, timeout or broken invariant fails the run;
# the input that caused it is saved under build-fuzz/artifacts/.
#
#   scripts/fuzz.sh --ci              every target, a fixed number of runs (about 20 s each)
#   scripts/fuzz.sh                   every target for SCRUBTEXT_FUZZ_SECONDS (default 600) s
#   scripts/fuzz.sh fuzz_clean_html   only the named targets
#
# --ci is deterministic: a fixed seed, a fixed number of runs, an empty corpus and the seeds
# from testdata/ and rules/ only, so every machine runs the same inputs and a run that passed
# once passes again on the same code (a slow machine stops at the time cap, after a prefix of
# the same inputs). Long runs keep the corpus each target grows in build-fuzz/corpus/<target>/
# between runs; their seeds add the benchmark pages in ../shared when present. Reproduce a
# finding with
#   build-fuzz/fuzz/<target> build-fuzz/artifacts/<target>-crash-…
set -euo pipefail
cd "$(dirname "$0")/.."

ci=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --ci) ci=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    fuzz_*) targets+=("$arg") ;;
    *) echo "fuzz.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
all=(fuzz_prescan fuzz_bounds fuzz_decode fuzz_clean_html fuzz_clean_text fuzz_rules)
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=("${all[@]}")
fi
if [[ $ci == 1 ]]; then
  seconds="${SCRUBTEXT_FUZZ_CI_SECONDS:-120}"  # a cap only: the runs below end each target first
  seed_flag=(-seed="${SCRUBTEXT_FUZZ_SEED:-1}")  # the same run on every CI machine
else
  seconds="${SCRUBTEXT_FUZZ_SECONDS:-600}"
  seed_flag=()
fi

build=build-fuzz
echo "== fuzz: building the targets in $build/"
cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g" \
  -DSCRUBTEXT_FUZZ=ON -DSCRUBTEXT_BUILD_TESTS=OFF -DSCRUBTEXT_WERROR=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

# Seeds, rebuilt from the sources every run.
# Per run, so that several runs of this script (different targets) can go side by side.
seeds="$build/seeds-$$"
trap 'rm -rf "$seeds" "$build/ci-corpus-$$"' EXIT
rm -rf "$seeds"
mkdir -p "$seeds/html" "$seeds/text" "$seeds/rules" "$build/artifacts"
n=0
for f in testdata/cases/*/input.html testdata/sample/*.html testdata/hostile/*.html; do
  [[ -f $f ]] && cp "$f" "$seeds/html/$((n++))-$(basename "$f")"
done
for f in testdata/cases/*/input.txt testdata/hostile/*.txt; do
  [[ -f $f ]] && cp "$f" "$seeds/text/$((n++))-$(basename "$f")"
done
find rules testdata/hostile -name '*.rules' | while read -r f; do cp "$f" "$seeds/rules/$(echo "$f" | tr / _)"; done
# The benchmark pages are large and each new page costs a full clean (~0.5 s under the
# sanitizers) before fuzzing starts, so the short CI run seeds from testdata/ alone.
shared="${SCRUBTEXT_SHARED_DIR:-../shared}"
if [[ $ci == 1 ]]; then
  :
elif compgen -G "$shared/bench/aeb/html/*.gz" >/dev/null; then
  for f in "$shared"/bench/aeb/html/*.gz; do gunzip -c "$f" >"$seeds/html/$(basename "$f" .gz)"; done
else
  echo "== fuzz: $shared/bench not found: benchmark pages not used as seeds"
fi
if compgen -G "$shared/seeds/*.txt" >/dev/null; then cp "$shared"/seeds/*.txt "$seeds/text/"; fi
echo "== fuzz: seeds: $(ls "$seeds/html" | wc -l) html, $(ls "$seeds/text" | wc -l) text, $(ls "$seeds/rules" | wc -l) rule files"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
summary=()
for t in "${targets[@]}"; do
  # Inputs of up to 16 KiB for the targets that run the whole pipeline (hostile sizes are
  # the business of tests/test_hostile.cpp); the byte-level passes take 64 KiB.
  case "$t" in
    fuzz_rules) dict=fuzz/rules.dict; seed_dirs=("$seeds/rules"); max_len=16384 ;;
    fuzz_clean_text) dict=fuzz/html.dict; seed_dirs=("$seeds/text"); max_len=16384 ;;
    fuzz_clean_html|fuzz_bounds) dict=fuzz/html.dict; seed_dirs=("$seeds/html"); max_len=16384 ;;
    fuzz_decode) dict=fuzz/html.dict; seed_dirs=("$seeds/html" "$seeds/text"); max_len=65536 ;;
    *) dict=fuzz/html.dict; seed_dirs=("$seeds/html"); max_len=65536 ;;
  esac
  # Runs in --ci: about 20 s of each target on a 2-core CI machine, from an empty corpus.
  case "$t" in
    fuzz_prescan) ci_runs=80000 ;;
    fuzz_decode) ci_runs=60000 ;;
    fuzz_bounds) ci_runs=30000 ;;
    fuzz_clean_html) ci_runs=1500 ;;
    fuzz_clean_text) ci_runs=2500 ;;
    *) ci_runs=4000 ;;
  esac
  if [[ $ci == 1 ]]; then
    corpus="$build/ci-corpus-$$/$t"
    rm -rf "$corpus"
    runs_flag=(-runs="$ci_runs")
  else
    corpus="$build/corpus/$t"
    runs_flag=()
  fi
  mkdir -p "$corpus"
  log="$build/$t.log"
  if [[ $ci == 1 ]]; then echo "== fuzz: $t, $ci_runs runs (log: $log)"; else echo "== fuzz: $t for ${seconds}s (log: $log)"; fi
  started=$SECONDS
  set +e
  "$build/fuzz/$t" "$corpus" "${seed_dirs[@]}" -dict="$dict" -max_total_time="$seconds" -max_len="$max_len" \
    -timeout=25 -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" "${seed_flag[@]}" "${runs_flag[@]}" \
    >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(find "$corpus" -type f | wc -l)
  if [[ $rc != 0 ]]; then
    failed+=("$t")
    summary+=("$t: FAILED (exit $rc) after ${runs:-?} runs; see $log")
    grep -E "ERROR|SUMMARY|invariant|Test unit written|runtime error" "$log" | head -20 >&2 || true
  else
    summary+=("$t: ${runs:-?} runs in $((SECONDS - started))s, ${rate:-?} exec/s, corpus $units inputs")
  fi
done

echo "== fuzz: summary"
printf '  %s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: findings in: ${failed[*]} (inputs saved under $build/artifacts/)" >&2
  exit 1
fi
