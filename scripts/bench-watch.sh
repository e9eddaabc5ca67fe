#!/usr/bin/env bash
# The latency of `blomlada watch`: from an assessment file written to its municipality's page
# replaced in the output folder, at 290 and 10 000 municipalities, on an idle watcher and
# on a busy one (a change every 0.5 s, while the previous change's phase 2 still runs).
# docs/benchmarks.md ("Watch latency") shows the figures. Not part of `cargo test` or CI.
#
#   scripts/bench-watch.sh                  # 20 changes at 290, 10 at 10 000
#   CHANGES=5 scripts/bench-watch.sh
#
# Scratch files go to ${TMPDIR:-/tmp}/blomlada-bench-watch (about 3.5 GB at 10 000).

set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${TMPDIR:-/tmp}/blomlada-bench-watch"
changes=${CHANGES:-20}
big_changes=${BIG_CHANGES:-10}

cargo build --release --quiet
cargo build --release --quiet --example watch_latency
bin=target/release/blomlada
probe=target/release/examples/watch_latency

rm -rf "$scratch"
mkdir -p "$scratch"
"$bin" generate --out "$scratch/content-290" --municipalities 290 --years 2016,2017 2>/dev/null
"$bin" generate --out "$scratch/content-10000" --municipalities 10000 --years 2017 2>/dev/null

run() { # NAME CONTENT CHANGES [probe options]
  local name=$1 content=$2 n=$3
  shift 3
  rm -rf "$scratch/out"
  echo "### $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$probe" --bin "$bin" --content "$content" --out "$scratch/out" --changes "$n" \
    --log "$scratch/$name.log" "$@"
  echo
}

run "290, idle, with PNGs" "$scratch/content-290" "$changes" --png
run "290, busy, with PNGs" "$scratch/content-290" "$changes" --png --busy
run "10000, idle, without PNGs" "$scratch/content-10000" "$big_changes"
run "10000, busy, without PNGs" "$scratch/content-10000" "$big_changes" --busy
rm -rf "$scratch/out" "$scratch/content-"*
echo "logs: $scratch/*.log"
