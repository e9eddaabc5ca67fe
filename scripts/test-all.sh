#!/usr/bin/env bash
# Every test of the project, in the order CI runs them:
#
#   1. cargo fmt --check
#   2. cargo clippy --all-targets --release -- -D warnings
#   3. cargo test --release          (unit, integration, hostile content, snapshots)
#   4. npm test                      (Chromium, vnu and axe-core on built sites; tests/e2e/)
#
# The time-bounded fuzz run (scripts/fuzz-smoke.sh, fresh random seeds each time) is not part
# of it, so that the same commit always gives the same result; see docs/fuzzing.md.
#
# Release mode throughout: the browser tests build the whole bundled site twice, which is
# much faster with an optimised binary, and clippy then shares the release build's macros.
# Needs what .ci/run installs: Debian's chromium, Java, and `npm ci` (run here if missing).
# See docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
started=$SECONDS
step() {
  local name=$1
  shift
  printf '\n== %s\n' "$name"
  local t=$SECONDS
  "$@"
  printf '== %s: done in %d s\n' "$name" $((SECONDS - t))
}

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci" npm ci --ignore-scripts --no-audit --no-fund
fi

step "cargo fmt --check" cargo fmt --check
step "cargo clippy" cargo clippy --all-targets --release --quiet -- -D warnings
step "cargo test" cargo test --release
printf '\n(all before the browser tests took %d s)\n' $((SECONDS - started))
step "browser, validator and accessibility tests" npm test
