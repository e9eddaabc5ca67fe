#!/usr/bin/env bash
# Times `blomlada check` on a generated content folder of 10 000 municipalities and one year:
# loading and validating 10 000 assessments (plus the registry and catalogue), in release
# mode. The result goes into docs/benchmarks.md by hand.
#
#   scripts/bench-load.sh                  # 10 000 municipalities
#   MUNICIPALITIES=100000 scripts/bench-load.sh
#
# Uses hyperfine when it is installed (apt-get install -y hyperfine), else a loop of runs
# timed with date.
set -euo pipefail
cd "$(dirname "$0")/.."

municipalities="${MUNICIPALITIES:-10000}"
runs="${RUNS:-10}"
dir="${BENCH_DIR:-bench-out/load-${municipalities}}"

cargo build --release --quiet
binary=target/release/blomlada

if [ ! -f "$dir/site.yaml" ]; then
  "$binary" generate --out "$dir" --municipalities "$municipalities" --years 2017
fi
count=$(find "$dir/assessments" -name '*.yaml' | wc -l)
echo "checking $count assessments in $dir on $(nproc) cores"

# The check must pass (warnings for unanswered indicators are expected).
"$binary" check --content "$dir" 2>/dev/null

mkdir -p bench-out
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 2 --runs "$runs" --export-markdown bench-out/load.md \
    "$binary check --content $dir"
else
  total=0
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$binary" check --content "$dir" 2>/dev/null
    end=$(date +%s.%N)
    total=$(echo "$total + $end - $start" | bc -l)
  done
  printf 'mean of %d runs: %.3f s\n' "$runs" "$(echo "$total / $runs" | bc -l)"
fi
