#!/usr/bin/env bash
# A time-bounded fuzz run for CI: the loader's property tests (tests/loader_robustness.rs)
# with many cases per round, round after round with fresh random seeds, for about
# FUZZ_SECONDS seconds (default 60). Works on stable Rust; for long coverage-guided runs use
# the cargo-fuzz targets in fuzz/ (see docs/fuzzing.md).
#
#   scripts/fuzz-smoke.sh                 # about a minute
#   FUZZ_SECONDS=600 scripts/fuzz-smoke.sh
#
# A failure is saved in tests/loader_robustness.proptest-regressions and replayed first on
# every later run; add the input as a case under tests/fixtures/check/ too.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
cases="${PROPTEST_CASES:-2000}"

# Build first, so that the time goes to fuzzing.
cargo test --release --test loader_robustness --no-run --quiet

# Six properties share two threads: each gets a third of the time.
per_property=$(( seconds / 3 > 0 ? seconds / 3 : 1 ))
echo "fuzzing the loader for about ${seconds}s (${cases} cases per round, ${per_property}s per property)"
LOADER_FUZZ_SECONDS="$per_property" PROPTEST_CASES="$cases" \
  cargo test --release --quiet --test loader_robustness -- --nocapture --test-threads=2
