#!/usr/bin/env bash
# Installs every Debian 12 package scrubtext needs to build, test and benchmark.
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config ninja-build   # toolchain
  libgumbo-dev                                   # HTML5 parser
  libicu-dev                                     # charsets, normalisation, scripts, dates
  libre2-dev                                     # linear-time patterns
  libcli11-dev                                   # command line
  doctest-dev                                    # unit tests
  zlib1g-dev                                     # gzip input
  nlohmann-json3-dev                             # JSON output and JSON-LD parsing
  libtbb-dev                                     # batch mode: ordered parallel pipeline
  libcld2-dev                                    # language-id benchmark peer only (bench/langid), never linked by the library
  python3                                        # benchmark scorer, end-to-end tests
  clang libclang-rt-14-dev                       # sanitizer and fuzz builds
  doxygen man-db                                 # API reference from the headers; man scrubtext
  chromium                                       # the HTML report's browser tests (tests/e2e/report.py)
  slurm-wlm munge                                # the live Slurm test (tests/slurm)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing packages and not root; run as root or install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Packages with daemons (munge, slurm) must not start them: the tests start their own.
  # Containers usually have this policy already; elsewhere it is set for this install only.
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
  fi
  status=0
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  if [[ $own_policy == 1 ]]; then rm -f "$policy"; fi
  if [[ $status != 0 ]]; then
    echo "setup: apt-get failed ($status)" >&2
    exit "$status"
  fi
fi
echo "setup: all packages present" >&2
