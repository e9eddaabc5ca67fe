#!/usr/bin/env bash
# The benchmark harness: full builds of generated content at several sizes, each against
# `cp -r` of its own output and against an equivalent Hugo site, and the latency of `watch`.
# Everything is measured in one run, so that the ratios compare on a noisy machine.
# docs/benchmarks.md shows the figures and how to read them. Not part of `cargo test` or CI.
#
#   scripts/bench.sh                          # 290 and 10 000 municipalities
#   scripts/bench.sh --sizes 290,10000,100000 # 100 000 takes many minutes
#   scripts/bench.sh --help
#
# Needs: cargo, python3, GNU time (/usr/bin/time -v) and hugo (Debian: apt-get install -y
# time hugo). Scratch files go to ${TMPDIR:-/tmp}/blomlada-bench unless --scratch says else.

set -euo pipefail
export LC_ALL=C

usage() {
  cat <<'EOF'
Usage: scripts/bench.sh [OPTIONS]

Builds release binaries, generates content with `blomlada generate` and prints a Markdown
report: full builds (wall time, pages/s, peak memory, ratio to `cp -r` of the same output,
with and without PNGs), the same site built by Hugo (on disk and in memory) and the latency
of `watch`. Each figure is the median of --runs runs.

Options:
  --sizes N,N,...     numbers of municipalities (default 290,10000; add 100000 for the
                      assessments-at-scale target: it takes many minutes); "bundled"
                      builds the repository's own content/ instead of generated content
  --years Y,Y,...     the years of the generated assessments (default 2016,2017)
  --seed S            the seed of `blomlada generate` (default 1)
  --runs N            runs of each measurement; the median is reported (default 3)
  --watch-changes N   changes measured per watch probe (default 20)
  --watch-max N       probe `watch` only up to this many municipalities (default 10000)
  --png-max N         build with PNGs only up to this many municipalities; larger sizes
                      are built without PNGs only (default: no limit). With PNGs, each run
                      builds twice: with an empty picture cache, then with the cache that
                      build filled (a fresh output folder both times)
  --no-hugo           skip the Hugo comparison
  --no-watch          skip the watch probe
  --stand-in          measure the stand-in (benches/standin.py) instead of blomlåda's build
                      and watch, to test the harness itself
  --scratch DIR       scratch folder (default ${TMPDIR:-/tmp}/blomlada-bench); emptied first
  --report FILE       also write the report to FILE (default: SCRATCH/report.md)
  --keep              keep the generated content and outputs in the scratch folder
  -h, --help          this help
EOF
}

die() {
  echo "bench: $*" >&2
  exit 2
}

note() {
  echo "bench: $*" >&2
}

sizes=290,10000
years=2016,2017
seed=1
runs=3
watch_changes=20
watch_max=10000
png_max=0
do_hugo=1
do_watch=1
stand_in=0
scratch="${TMPDIR:-/tmp}/blomlada-bench"
report=""
keep=0

while (($#)); do
  case $1 in
    --sizes) sizes=${2:?}; shift 2 ;;
    --years) years=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --watch-changes) watch_changes=${2:?}; shift 2 ;;
    --watch-max) watch_max=${2:?}; shift 2 ;;
    --png-max) png_max=${2:?}; shift 2 ;;
    --no-hugo) do_hugo=0; shift ;;
    --no-watch) do_watch=0; shift ;;
    --stand-in) stand_in=1; shift ;;
    --scratch) scratch=${2:?}; shift 2 ;;
    --report) report=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ || $n == bundled ]] || die "--sizes takes whole numbers or \"bundled\", found \"$n\""
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs takes a whole number, found \"$runs\""

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v cargo >/dev/null || die "cargo is needed"
command -v python3 >/dev/null || die "python3 is needed"
if ! /usr/bin/time -v true >/dev/null 2>&1; then
  die "GNU time is needed for peak memory: apt-get install -y time"
fi
if ((do_hugo)) && ! command -v hugo >/dev/null; then
  die "hugo is needed for the comparison (apt-get install -y hugo), or pass --no-hugo"
fi

# A scratch folder of our own: refuse anything that is not one.
case $scratch in
  / | "$HOME" | "$repo" | "$repo"/*) die "the scratch folder must be outside the repository: $scratch" ;;
esac
if [[ -e $scratch && ! -e $scratch/.blomlada-bench ]]; then
  [[ -z $(ls -A "$scratch") ]] || die "$scratch exists and is not a scratch folder of this script"
fi
# A previous run's scratch folder is deleted now, and counts as a deletion once the file
# system is known (below).
scratch_was_there=0
[[ -e $scratch/.blomlada-bench ]] && scratch_was_there=1
rm -rf "$scratch"
mkdir -p "$scratch"
touch "$scratch/.blomlada-bench"
scratch=$(cd "$scratch" && pwd)
[[ -n $report ]] || report=$scratch/report.md
log=$scratch/bench.log
time_file=$scratch/time.txt
: >"$log"

note "building release binaries (log: $log)"
cargo build --release --bin blomlada --manifest-path "$repo/Cargo.toml" >>"$log" 2>&1 ||
  die "cargo build failed; see $log"
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$repo/Cargo.toml" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin=$target_dir/release/blomlada
[[ -x $bin ]] || die "no binary at $bin"

# ---------------------------------------------------------------------------------------------
# The blomlåda command lines: everything the harness knows of blomlåda's interface is here.

theme=$repo/themes/default
no_png_args=()  # set by detect_build: the switch of `build` that skips PNGs, if it has one
has_cache=0     # set by detect_build: whether `build` takes --cache-dir (the picture cache)
picture_cache=$scratch/picture-cache
build_mode=real # real | standin

# bl_generate CONTENT_DIR MUNICIPALITIES
bl_generate() {
  "$bin" generate --out "$1" --municipalities "$2" --years "$years" --seed "$seed"
}

# bl_build_cmd CONTENT_DIR OUT_DIR png|png-cached|nopng: sets the array `cmd` to a full build.
# Both PNG kinds use the harness's own picture cache, which the caller empties for `png`.
bl_build_cmd() {
  local content=$1 out=$2 pngs=$3
  if [[ $build_mode == standin ]]; then
    cmd=(python3 "$repo/benches/standin.py" build --bin "$bin" --content "$content" --out "$out")
    [[ $pngs == png ]] || cmd+=(--no-png)
    return
  fi
  cmd=("$bin" build --content "$content" --out "$out")
  if [[ -d $theme ]]; then
    cmd+=(--theme "$theme")
  fi
  if [[ $pngs == nopng ]]; then
    cmd+=("${no_png_args[@]}")
  fi
  if ((has_cache)); then
    cmd+=(--cache-dir "$picture_cache")
  fi
}

# bl_watch_cmd CONTENT_DIR OUT_DIR: sets the array `cmd` to a watch.
bl_watch_cmd() {
  local content=$1 out=$2
  if [[ $build_mode == standin ]]; then
    cmd=(python3 "$repo/benches/standin.py" watch --bin "$bin" --content "$content" --out "$out")
    return
  fi
  cmd=("$bin" watch --content "$1" --out "$2")
  if [[ -d $theme ]]; then
    cmd+=(--theme "$theme")
  fi
}

# bl_page OUT_DIR SLUG: the page of a municipality's latest year.
bl_page() {
  echo "$1/kommun/$2/index.html"
}

# Can this binary build, and can it skip PNGs? Sets build_mode and no_png_args.
detect_build() {
  if ((stand_in)); then
    build_mode=standin
    no_png_args=(--no-png)
    return
  fi
  local help switch
  help=$("$bin" build --help 2>&1 || true)
  switch=$(grep -oE -- '--(no|skip)-pngs?\b' <<<"$help" | head -n 1 || true)
  if [[ -n $switch ]]; then
    no_png_args=("$switch")
  fi
  if grep -q -- '--cache-dir' <<<"$help"; then
    has_cache=1
  fi
  local probe=$scratch/probe
  bl_generate "$probe/content" 12 >>"$log" 2>&1 || die "blomlada generate failed; see $log"
  bl_build_cmd "$probe/content" "$probe/out" png
  if "${cmd[@]}" >>"$log" 2>&1; then
    build_mode=real
  elif grep -q "not available yet" "$log"; then
    note "blomlada build is not available yet: measuring the stand-in instead"
    build_mode=standin
    no_png_args=(--no-png)
  else
    die "a build of 12 generated municipalities failed; see $log"
  fi
  rm -rf "$probe"
}

# ---------------------------------------------------------------------------------------------
# Measuring.

# measure CMD...: runs a command under GNU time, after a sync so that earlier writes are not
# charged to it; sets m_wall (seconds), m_cpu (user + system seconds, of the command and all
# it waited for) and m_rss (peak resident set of the largest process, KiB).
measure() {
  local t0 t1 status=0
  settle_deletions
  sync
  t0=$EPOCHREALTIME
  /usr/bin/time -v -o "$time_file" "$@" >>"$log" 2>&1 || status=$?
  t1=$EPOCHREALTIME
  if ((status)); then
    tail -n 20 "$log" >&2
    die "failed (exit $status): $*"
  fi
  m_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  m_rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$time_file")
  m_cpu=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$time_file")
}

# median X...: the median of numbers.
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# calc EXPR: floating-point arithmetic, printed with the given awk format (default %.2f).
calc() {
  awk "BEGIN { printf \"${2:-%.2f}\", $1 }"
}

html_pages() {
  find "$1" -type f -name '*.html' | wc -l
}

bytes_of() {
  du -sb "$1" | cut -f1
}

mib() {
  calc "$1 / 1024" "%.0f"
}

human_bytes() {
  if (($1 >= 1073741824)); then calc "$1 / 1073741824" "%.1f GiB"; else calc "$1 / 1048576" "%.1f MiB"; fi
}

# Outputs are set aside (renamed) rather than deleted between measurements, and deleted after
# each size. On ext4 without a journal, creating a file skips every free inode that was freed
# less than 60 s ago, or 360 s ago while its block of the inode table is unwritten
# (`recently_deleted` in fs/ext4/ialloc.c), looking each one up as it goes; and the files a
# build creates keep those blocks unwritten. A build just after a large deletion then spends
# seconds to minutes more in the kernel (the bundled site without PNGs: 3.9 s of system time
# 70 s after a deletion, 0.4 s after 6 minutes). Deleting before each measurement would charge
# that to whichever tool came next, and far more to the one that writes more files; so every
# measurement starts at least `inode_quarantine` seconds after the last deletion.
#
# A scratch folder in memory (tmpfs) has no such delay, and what is set aside there takes
# memory from whatever runs next: two outputs of 5 GiB set aside slowed the build that followed
# them by a third while Hugo, writing little, hardly noticed. There every output is deleted
# at once instead, so that each measurement starts with the same free memory.
set_aside_dir=$scratch/set-aside
set_aside_count=0
largest_output=$((1 << 30))
scratch_in_memory=0
[[ $(stat -f -c %T "$scratch") == tmpfs ]] && scratch_in_memory=1
inode_quarantine=0
last_deletion=0

# ext4_without_journal: whether the scratch folder is on ext4 mounted without a journal (its
# /sys/fs/ext4/DEVICE/journal_task reads "<none>").
ext4_without_journal() {
  local source device
  source=$(findmnt -n -o SOURCE,FSTYPE --target "$scratch" 2>/dev/null) || return 1
  [[ ${source##* } == ext4 ]] || return 1
  device=$(basename "$(realpath "${source%% *}" 2>/dev/null)")
  [[ $(cat "/sys/fs/ext4/$device/journal_task" 2>/dev/null) == "<none>" ]]
}
ext4_without_journal && inode_quarantine=370
((scratch_was_there)) && last_deletion=$EPOCHSECONDS

# Waits until the last deletion is `inode_quarantine` seconds old.
settle_deletions() {
  local left
  ((inode_quarantine && last_deletion)) || return 0
  left=$((last_deletion + inode_quarantine - EPOCHSECONDS))
  ((left > 0)) || return 0
  note "waiting ${left} s: ext4 without a journal does not reuse inodes freed in the last 6 minutes"
  sleep "$left"
}

set_aside() {
  local path
  for path in "$@"; do
    [[ -e $path ]] || continue
    if ((scratch_in_memory)); then
      rm -rf "$path"
      continue
    fi
    mkdir -p "$set_aside_dir"
    set_aside_count=$((set_aside_count + 1))
    mv "$path" "$set_aside_dir/$set_aside_count"
  done
}

# Deletes what was set aside; the next measurement waits for the freed inodes
# (`settle_deletions`).
free_set_aside() {
  [[ -e $set_aside_dir ]] || return 0
  rm -rf "$set_aside_dir"
  sync
  last_deletion=$EPOCHSECONDS
}

# Frees what was set aside when the disk has no room for twice the largest output so far (a
# build and its copy): the measurement that follows then notes it.
make_room() {
  local avail
  avail=$(df --output=avail -B1 "$scratch" | tail -n 1)
  if ((avail < 2 * largest_output)) && [[ -e $set_aside_dir ]]; then
    note "$1: deleting earlier outputs first for room on the disk"
    free_set_aside
  fi
}

# Sets aside an output folder and the siblings an atomic build may leave behind it.
clear_out() {
  set_aside "$1" "$1".* "$1"-* "$(dirname "$1")/.$(basename "$1")".*
}

# ---------------------------------------------------------------------------------------------
# The run.

detect_build
started=$(date -u +%Y-%m-%dT%H:%MZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
  commit+=" (with uncommitted changes)"
fi
hugo_version=""
if ((do_hugo)); then
  hugo_version=$(hugo version | awk '{ print $2 }')
fi

declare -A row_build row_hugo row_watch
if ((!${#no_png_args[@]})); then
  note "build has no switch to skip PNGs (looked for --no-png in 'build --help'): only full builds"
fi

# pngs_kinds_of N: the kinds of build measured at N municipalities: png (an empty picture
# cache), png-cached (the cache the png build filled), nopng.
pngs_kinds_of() {
  local cached=""
  ((has_cache)) && cached=png-cached
  if ((!${#no_png_args[@]})); then
    echo png $cached
  elif [[ $1 != bundled ]] && ((png_max > 0 && $1 > png_max)); then
    echo nopng
  else
    echo png $cached nopng
  fi
}

# full_row N: the key of the full build at N municipalities: with PNGs where it was measured.
full_row() {
  if [[ -n ${row_build[$1-png]:-} ]]; then echo "$1-png"; else echo "$1-nopng"; fi
}

for n in "${size_list[@]}"; do
  content=$scratch/content-$n
  if [[ $n == bundled ]]; then
    note "[$n] copying the repository's content"
    rm -rf "$content"
    cp -r "$repo/content" "$content"
  else
    note "[$n] generating content"
    bl_generate "$content" "$n" >>"$log" 2>&1 || die "blomlada generate failed; see $log"
  fi
  assessments=$(find "$content/assessments" -type f -name '*.yaml' | wc -l)
  hugo_site=$scratch/hugo-$n
  if ((do_hugo)); then
    python3 "$repo/benches/hugo/make_site.py" "$content" "$hugo_site" >>"$log" 2>&1 ||
      die "making the Hugo site failed; see $log"
  fi

  read -r -a pngs_kinds <<<"$(pngs_kinds_of "$n")"
  declare -A walls=() cpus=() rss=()
  for ((r = 1; r <= runs; r++)); do
    for p in "${pngs_kinds[@]}"; do
      out=$scratch/out-$n-$p
      clear_out "$out"
      [[ $p == png ]] && set_aside "$picture_cache"
      make_room "[$n] run $r/$runs: build ($p)"
      bl_build_cmd "$content" "$out" "$p"
      measure "${cmd[@]}"
      out_bytes=$(bytes_of "$out")
      ((out_bytes > largest_output)) && largest_output=$out_bytes
      walls[build-$p]+=" $m_wall"
      cpus[build-$p]+=" $m_cpu"
      rss[build-$p]+=" $m_rss"
      note "[$n] run $r/$runs: build ($p) ${m_wall} s, $(mib "$m_rss") MiB"
      set_aside "$out.copy"
      make_room "[$n] run $r/$runs: cp -r ($p)"
      # A copy needs the output's size again, with a margin.
      if ((out_bytes * 11 / 10 > $(df --output=avail -B1 "$scratch" | tail -n 1))); then
        note "[$n] run $r/$runs: cp -r ($p) skipped: not enough free disk space for a copy"
        walls[cp-$p]+=" -"
        continue
      fi
      measure cp -r "$out" "$out.copy"
      walls[cp-$p]+=" $m_wall"
      note "[$n] run $r/$runs: cp -r ($p) ${m_wall} s"
      set_aside "$out.copy"
    done
    if ((do_hugo)); then
      hugo_out=$scratch/hugo-out-$n
      set_aside "$hugo_out"
      make_room "[$n] run $r/$runs: hugo"
      measure hugo --quiet --source "$hugo_site" --destination "$hugo_out"
      walls[hugo-disk]+=" $m_wall"
      cpus[hugo-disk]+=" $m_cpu"
      rss[hugo-disk]+=" $m_rss"
      note "[$n] run $r/$runs: hugo on disk ${m_wall} s, $(mib "$m_rss") MiB"
      measure hugo --quiet --source "$hugo_site" --renderToMemory
      walls[hugo-memory]+=" $m_wall"
      cpus[hugo-memory]+=" $m_cpu"
      rss[hugo-memory]+=" $m_rss"
      note "[$n] run $r/$runs: hugo in memory ${m_wall} s, $(mib "$m_rss") MiB"
    fi
  done

  for p in "${pngs_kinds[@]}"; do
    out=$scratch/out-$n-$p
    pages=$(html_pages "$out")
    bytes=$(bytes_of "$out")
    # shellcheck disable=SC2086 # the lists are space-separated numbers
    {
      wall=$(median ${walls[build-$p]})
      peak=$(median ${rss[build-$p]})
      cp_wall=-
      if [[ ${walls[cp-$p]} != *-* ]]; then
        cp_wall=$(median ${walls[cp-$p]})
      fi
      cpu=$(median ${cpus[build-$p]})
    }
    row_build[$n-$p]="$assessments $pages $bytes $wall $peak $cp_wall $cpu"
  done
  if ((do_hugo)); then
    pages=$(html_pages "$hugo_out")
    bytes=$(bytes_of "$hugo_out")
    # shellcheck disable=SC2086
    row_hugo[$n]="$pages $bytes $(median ${walls[hugo-disk]}) $(median ${rss[hugo-disk]}) \
$(median ${walls[hugo-memory]}) $(median ${rss[hugo-memory]}) $(median ${cpus[hugo-disk]}) \
$(median ${cpus[hugo-memory]})"
  fi
  unset walls cpus rss

  if ((do_watch)) && [[ $n != bundled ]] && ((n <= watch_max)); then
    note "[$n] probing watch ($watch_changes changes)"
    year_dir=$(find "$content/assessments" -mindepth 1 -maxdepth 1 -type d | sort | tail -n 1)
    # A municipality in the middle of the latest year; generate names files CODE-SLUG.yaml.
    mapfile -t files < <(find "$year_dir" -type f -name '*.yaml' | sort)
    file=${files[${#files[@]} / 2]}
    slug=$(basename "$file" .yaml)
    slug=${slug#*-}
    watch_out=$scratch/watch-out-$n
    clear_out "$watch_out"
    bl_watch_cmd "$content" "$watch_out"
    row_watch[$n]=$(python3 "$repo/benches/watch_probe.py" --assessment "$file" \
      --page "$(bl_page "$watch_out" "$slug")" --changes "$watch_changes" --log "$log" \
      -- "${cmd[@]}") || die "the watch probe failed; see $log"
    note "[$n] watch: ${row_watch[$n]}"
    clear_out "$watch_out"
  fi

  if ((!keep)); then
    clear_out "$scratch/out-$n-png"
    clear_out "$scratch/out-$n-png-cached"
    clear_out "$scratch/out-$n-nopng"
    set_aside "$picture_cache" "$content" "$hugo_site" "$scratch/hugo-out-$n"
  fi
  free_set_aside
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
# The report.

fmt_int() {
  # 10000 -> 10 000 (a thin grouping, as in Swedish and in the docs)
  printf '%s' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\| \)/\1 \2\3/; ta'
}

secs() {
  calc "$1" "%.2f s"
}

cp_cell() {
  if [[ $1 == - ]]; then echo "not measured (disk full)"; else secs "$1"; fi
}

cp_ratio() {
  if [[ $2 == - ]]; then echo "–"; else calc "$1 / $2" "%.1f×"; fi
}

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
mem_total=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
fs_type=$(df -T "$scratch" | awk 'NR == 2 { print $2 }')

{
  echo "Measured $started on $(nproc) cores ($cpu), $mem_total of memory, scratch on $fs_type; blomlåda $commit${hugo_version:+, Hugo $hugo_version}."
  echo "Load average before and after: $load_before / $load_after. Each figure is the median of $runs run(s)."
  echo
  echo '```'
  options="--sizes $sizes --years $years --seed $seed --runs $runs"
  ((png_max)) && options+=" --png-max $png_max"
  ((do_hugo)) || options+=" --no-hugo"
  ((do_watch)) || options+=" --no-watch"
  ((stand_in)) && options+=" --stand-in"
  echo "scripts/bench.sh $options"
  echo '```'
  echo
  if [[ $build_mode == standin ]]; then
    echo "**Stand-in:** the blomlåda rows measure \`benches/standin.py\`, not blomlåda; they test the harness only."
    echo
  fi

  echo "### Full build"
  echo
  echo "| municipalities | assessments | PNGs | HTML pages | output | per assessment | wall time | CPU time | pages/s | peak RSS | \`cp -r\` | build / \`cp -r\` |"
  echo "|---:|---:|:--|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for n in "${size_list[@]}"; do
    for p in png png-cached nopng; do
      [[ -n ${row_build[$n-$p]:-} ]] || continue
      read -r assessments pages bytes wall peak cp_wall cpu <<<"${row_build[$n-$p]}"
      case $p in
        png) kind="with"; ((has_cache)) && kind+=", cache empty" ;;
        png-cached) kind="with, from the picture cache" ;;
        *) kind=without ;;
      esac
      echo "| $(fmt_int "$n") | $(fmt_int "$assessments") | $kind | $(fmt_int "$pages") | $(human_bytes "$bytes") | $(calc "$bytes / $assessments / 1024" "%.0f") KiB | $(secs "$wall") | $(secs "$cpu") | $(fmt_int "$(calc "$pages / $wall" "%.0f")") | $(mib "$peak") MiB | $(cp_cell "$cp_wall") | $(cp_ratio "$wall" "$cp_wall") |"
    done
  done
  echo

  if ((do_hugo)); then
    echo "### Versus Hugo"
    echo
    echo "| municipalities | Hugo HTML pages | Hugo output | Hugo on disk: wall | CPU | pages/s | peak RSS | Hugo in memory: wall | CPU | pages/s | blomlåda pages/s | blomlåda / Hugo on disk | blomlåda / Hugo in memory |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in "${size_list[@]}"; do
      read -r hpages hbytes hdisk hdisk_rss hmem _ hdisk_cpu hmem_cpu <<<"${row_hugo[$n]}"
      key=$(full_row "$n")
      read -r _ pages _ wall _ <<<"${row_build[$key]}"
      bps=$(calc "$pages / $wall" "%.0f")
      hd=$(calc "$hpages / $hdisk" "%.0f")
      hm=$(calc "$hpages / $hmem" "%.0f")
      extra=""
      if [[ $key == *-nopng ]]; then
        extra=" (without PNGs)"
      else
        if [[ -n ${row_build[$n-png-cached]:-} ]]; then
          read -r _ pages2 _ wall2 _ <<<"${row_build[$n-png-cached]}"
          extra+="; $(fmt_int "$(calc "$pages2 / $wall2" "%.0f")") with cached pictures"
        fi
        if [[ -n ${row_build[$n-nopng]:-} ]]; then
          read -r _ pages2 _ wall2 _ <<<"${row_build[$n-nopng]}"
          extra+="; $(fmt_int "$(calc "$pages2 / $wall2" "%.0f")") without PNGs"
        fi
        [[ -n $extra ]] && extra=" (${extra#; })"
      fi
      echo "| $(fmt_int "$n") | $(fmt_int "$hpages") | $(human_bytes "$hbytes") ($(calc "$hbytes / $hpages / 1024" "%.0f") KiB/page) | $(secs "$hdisk") | $(secs "$hdisk_cpu") | $(fmt_int "$hd") | $(mib "$hdisk_rss") MiB | $(secs "$hmem") | $(secs "$hmem_cpu") | $(fmt_int "$hm") | $(fmt_int "$bps")$extra | $(calc "$bps / $hd" "%.1f")× | $(calc "$bps / $hm" "%.1f")× |"
    done
    echo
  fi

  if ((do_watch)); then
    echo "### Watch latency"
    echo
    echo "From an assessment file written to its municipality's page updated, $watch_changes changes each."
    echo
    echo "| municipalities | median | p90 | min | max | rebuild as reported by watch (median) |"
    echo "|---:|---:|---:|---:|---:|---:|"
    for n in "${size_list[@]}"; do
      [[ -n ${row_watch[$n]:-} ]] || continue
      IFS=$'\t' read -r status a b c d e f <<<"${row_watch[$n]}"
      if [[ $status == ok ]]; then
        echo "| $(fmt_int "$n") | $b ms | $c ms | $d ms | $e ms | $([[ $f == - ]] && echo "–" || echo "$f ms") |"
      else
        echo "| $(fmt_int "$n") | skipped: $a | | | | |"
      fi
    done
    echo
  fi

  echo "### Targets"
  echo
  echo "| target | measured | met |"
  echo "|:--|:--|:--|"
  # verdict MEASURED LIMIT at-least|at-most: "yes", or by how much the target is missed.
  verdict() {
    if [[ $3 == at-least ]]; then
      if (($(calc "($1 >= $2)" "%d"))); then echo yes; else echo "no: $(calc "$2 / $1" "%.1f")× short"; fi
    else
      if (($(calc "($1 <= $2)" "%d"))); then echo yes; else echo "no: $(calc "$1 / $2" "%.1f")× over"; fi
    fi
  }
  for n in "${size_list[@]}"; do
    [[ -n ${row_build[$n-png]:-} && -n ${row_build[$n-nopng]:-} ]] || continue
    read -r _ _ _ nopng_wall _ <<<"${row_build[$n-nopng]}"
    read -r _ _ _ cold_wall _ <<<"${row_build[$n-png]}"
    what="$(fmt_int "$n") municipalities"
    [[ $n == bundled ]] && what="bundled content"
    if [[ -n ${row_build[$n-png-cached]:-} ]]; then
      read -r _ _ _ warm_wall _ <<<"${row_build[$n-png-cached]}"
      ratio=$(calc "$warm_wall / $nopng_wall" "%.1f")
      echo "| $what: default build into a fresh folder, picture cache kept (as CI may) ≤ 2× the build without PNGs | ${ratio}× | $(verdict "$ratio" 2 at-most) |"
    fi
    ratio=$(calc "$cold_wall / $nopng_wall" "%.1f")
    echo "| $what: default build into a fresh folder with an empty picture cache ≤ 2× the build without PNGs | ${ratio}× | $(verdict "$ratio" 2 at-most) |"
  done
  ten=10000
  if [[ -n ${row_hugo[$ten]:-} ]]; then
    read -r hpages _ hdisk _ <<<"${row_hugo[$ten]}"
    hugo_rate=$(calc "$hpages / $hdisk" "%.3f")
    for p in nopng png-cached png; do
      [[ -n ${row_build[$ten-$p]:-} ]] || continue
      read -r _ pages _ wall _ <<<"${row_build[$ten-$p]}"
      ratio=$(calc "($pages / $wall) / $hugo_rate" "%.1f")
      case $p in
        nopng) echo "| 10 000 municipalities: ≥ 10× Hugo's pages/s without PNGs (on disk) | ${ratio}× | $(verdict "$ratio" 10 at-least) |" ;;
        png-cached) echo "| 10 000 municipalities: ≥ 2× Hugo's pages/s with PNGs, from the picture cache | ${ratio}× | $(verdict "$ratio" 2 at-least) |" ;;
        png) echo "| 10 000 municipalities: ≥ 2× Hugo's pages/s with PNGs, cache empty | ${ratio}× | $(verdict "$ratio" 2 at-least) |" ;;
      esac
    done
  else
    echo "| 10 000 municipalities: ≥ 10× Hugo's pages/s | not measured (needs size 10000 and Hugo) | – |"
  fi
  for n in "${size_list[@]}"; do
    [[ $n == bundled ]] && continue
    if [[ -n ${row_build[$n-nopng]:-} ]]; then
      read -r _ _ _ wall _ cp_wall _ <<<"${row_build[$n-nopng]}"
      if [[ $cp_wall == - ]]; then
        echo "| $(fmt_int "$n") municipalities: build without PNGs ≤ 3× \`cp -r\` | not measured: no disk space for a copy | – |"
        continue
      fi
      ratio=$(calc "$wall / $cp_wall" "%.1f")
      echo "| $(fmt_int "$n") municipalities: build without PNGs ≤ 3× \`cp -r\` of its output | ${ratio}× | $(verdict "$ratio" 3 at-most) |"
    else
      read -r _ _ _ wall _ cp_wall _ <<<"${row_build[$n-png]}"
      echo "| $(fmt_int "$n") municipalities: build without PNGs ≤ 3× \`cp -r\` | not measured: build cannot skip PNGs (with PNGs $(cp_ratio "$wall" "$cp_wall")) | – |"
    fi
  done
  found=""
  for n in "${size_list[@]}"; do
    key=$(full_row "$n")
    read -r assessments _ _ wall peak _ <<<"${row_build[$key]}"
    if ((assessments >= 100000)); then
      found=1
      kind="full build"
      [[ $key == *-nopng ]] && kind="without PNGs"
      echo "| $(fmt_int "$assessments") assessments: build < 60 s ($kind) | $(secs "$wall") | $(verdict "$wall" 60 at-most) |"
      echo "| $(fmt_int "$assessments") assessments: peak memory < 1 GiB ($kind) | $(mib "$peak") MiB | $(verdict "$(mib "$peak")" 1024 at-most) |"
      break
    fi
  done
  [[ -n $found ]] || echo "| 100 000 assessments: < 60 s, < 1 GiB | not measured (needs 100 000 assessments: e.g. --sizes 20000 --years 2013,2014,2015,2016,2017) | – |"
  IFS=$'\t' read -r status _ med _ <<<"${row_watch[$ten]:-none}"
  if [[ $status == ok ]]; then
    echo "| 10 000 municipalities: watch < 50 ms (median) | $med ms | $(verdict "$med" 50 at-most) |"
  else
    echo "| 10 000 municipalities: watch < 50 ms | not measured${row_watch[$ten]:+ (${row_watch[$ten]#*$'\t'})} | – |"
  fi
} | tee "$report"

note "report written to $report"
if ((!keep)); then
  rm -rf "$scratch/content-"* "$scratch/hugo-"* "$scratch/out-"* "$scratch/watch-out-"*
fi
