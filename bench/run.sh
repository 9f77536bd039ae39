#!/usr/bin/env bash
# bench/run.sh: times the nightly chain against the scan floor at several sizes and writes bench/results.md and
# bench/results.csv (bench/README.md explains every figure).
#
#   bench/run.sh [--sizes "100000 1000000"] [--work DIR] [--keep] [--chain-only] [--profile] [--prepare-only]
#
# Per size: generate the data (24 months of history), prepare untimed what a nightly run finds in place (ingest,
# features with training snapshots, clv, train: the models are trained once), then in the same run and on the same
# data time
#   - the scan floor (`cvm scan-floor`: every input column the pipeline reads, reduced per account, in one JVM),
#   - the nightly chain `cvm run` in one JVM, stage by stage (from its "stage NAME: S s" lines),
#   - every stage again as a command of its own, for its peak resident memory (GNU time); not with --chain-only,
#     which roughly halves the run.
# --profile records the chain's JVM with Java Flight Recorder (default settings: a sample every 20 ms, about 1%
# overhead) and adds where its CPU went, by component, to results.md (bench/jfr_summary.py).
# --prepare-only stops after the untimed preparation (it needs --work and keeps it). With --work, every step that
# finished in an earlier run (WORK/<size>/logs/<step>.done) is not run again: a large size can be generated and
# prepared in one sitting and timed in another, on the same data. Timed steps always run.
# Ratios are taken within one run of this script, never across runs: this machine is shared and noisy.
set -euo pipefail

CVM_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CVM="$CVM_HOME/bin/cvm"
SIZES="100000 1000000"
WORK=""
KEEP=0
CHAIN_ONLY=0
PROFILE=0
PREPARE_ONLY=0
RUN_DATE=2026-11-01
SEED=20261122
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="${2:?--sizes needs a list}"; shift 2 ;;
    --work) WORK="${2:?--work needs a directory}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --chain-only) CHAIN_ONLY=1; shift ;;
    --profile) PROFILE=1; shift ;;
    --prepare-only) PREPARE_ONLY=1; KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 2; }
command -v pgrep >/dev/null 2>&1 \
  || echo "bench: no pgrep (Debian package 'procps'): the per-stage peak RSS in the chain stays empty" >&2
if [ -z "$WORK" ]; then
  [ "$PREPARE_ONLY" = 0 ] || { echo "bench: --prepare-only needs --work DIR (where the prepared data stays)" >&2; exit 2; }
  WORK="$(mktemp -d -t cvm-bench.XXXXXX)"
fi
mkdir -p "$WORK"
if [ "$KEEP" = 0 ]; then trap 'rm -rf "$WORK"' EXIT; fi

# The JVM heap of every command: the target is that 5M accounts complete with 8 GB.
export CVM_DRIVER_MEMORY="${CVM_DRIVER_MEMORY:-8g}"
CSV="$CVM_HOME/bench/results.csv"
MD="$CVM_HOME/bench/results.md"
TMP_CSV="$WORK/results.csv"
echo "size,stage,wall_seconds,chain_peak_rss_mb,peak_rss_mb,rows,ratio_to_scan_floor" > "$TMP_CSV"
# Profiles of this run only, also when --work holds an earlier run's.
rm -f "$WORK/profile.md"
STAGES=(ingest value-map features clv score segment monitor)

# Runs one cvm command under GNU time; prints "<wall seconds> <peak RSS MB>"; the command's output goes to $log.
timed() {
  local log=$1; shift
  /usr/bin/time -f "%e %M" -o "$log.time" "$CVM" "$@" > "$log" 2>&1 || {
    echo "bench: cvm $* failed; last lines of $log:" >&2; tail -20 "$log" >&2; exit 1; }
  awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$log.time"
}

# An untimed step that finished in an earlier run over the same --work is not repeated; its .done marker is written
# only once the command has succeeded.
prepared() {
  local log=$1; shift
  if [ -f "$log.done" ]; then
    echo "bench:   $(basename "$log" .log): done in an earlier run, kept" >&2
    return 0
  fi
  timed "$log" "$@" > /dev/null
  touch "$log.done"
}

# Peak resident memory of the chain's JVM stage by stage, written to $2 as "<stage> <MB>". At every "stage NAME: S s"
# line of the log the JVM's high-water mark (VmHWM) is that stage's peak and is then reset (clear_refs 5) for the
# next stage. Polled once a second, so a stage that ends within a second of the one before shares its figure.
watch_stage_rss() {
  local log=$1 out=$2 pattern=$3 pid="" seen=0 ended stage hwm tries=0
  : > "$out"
  command -v pgrep >/dev/null 2>&1 || return 0
  while [ -z "$pid" ]; do
    pid=$(pgrep -f -- "$pattern" | head -1 || true)
    tries=$((tries + 1))
    [ -n "$pid" ] || [ "$tries" -lt 6000 ] || return 0  # no chain JVM within about ten minutes: it failed
    [ -n "$pid" ] || sleep 0.1
  done
  while [ -r "/proc/$pid/status" ]; do
    ended=$(grep -cE '^  stage [a-z-]+: ' "$log" || true)
    while [ "$seen" -lt "$ended" ]; do
      seen=$((seen + 1))
      stage=$(grep -E '^  stage [a-z-]+: ' "$log" | sed -n "${seen}p" | sed -E 's/^  stage ([a-z-]+):.*/\1/')
      hwm=$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || true)
      [ -z "$hwm" ] || echo "$stage $hwm" >> "$out"
      echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true
    done
    sleep 1
  done
}

# Rows written per stage of the chain: "<stage> <rows>" from its log, the "write ..." step lines summed up to each
# "stage NAME: S s" line.
rows_per_stage() {
  grep -E '^  (write |stage [a-z-]+: )' "$1" \
    | sed -E 's/^  write .* ([0-9,]+) rows .*/W \1/; s/^  stage ([a-z-]+): .*/S \1/' \
    | awk '$1 == "W" {gsub(",", "", $2); s += $2} $1 == "S" {print $2, s + 0; s = 0}'
}

# Writes results.md and results.csv from what has been measured so far: after every size, so a long run that is
# stopped still leaves the sizes it finished.
render() {
  cp "$TMP_CSV" "$CSV"
  python3 "$CVM_HOME/bench/render.py" "$CSV" "$MD" \
    "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) memory, \
$(java -version 2>&1 | sed -n 1p), heap $CVM_DRIVER_MEMORY, Spark local[*], $(date -u +%Y-%m-%d), \
load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -s "$WORK/profile.md" ]; then
    { echo; echo "## Where the chain's CPU goes"; echo; cat "$WORK/profile.md"; } >> "$MD"
  fi
}

for N in $SIZES; do
  dir="$WORK/$N"
  mkdir -p "$dir/logs"
  # Shuffle partitions from the data size (about 50k accounts a partition); AQE coalesces the small ones.
  partitions=$(( N / 50000 > 8 ? N / 50000 : 8 ))
  cat > "$dir/bench.conf" <<EOF
include "$CVM_HOME/conf/local.conf"
cvm.warehouse = "$dir/warehouse"
cvm.input.root = "$dir/raw"
cvm.spark.conf."spark.sql.shuffle.partitions" = $partitions
# Training is preparation here, not measured: few snapshots and one small model family keep it short.
cvm.features.training-snapshots.count = 3
cvm.models.families = [logistic]
cvm.models.logistic { reg-params = [0.01], elastic-net-params = [0.0], max-iter = 50 }
EOF
  conf=(--conf "$dir/bench.conf")
  echo "bench: $N accounts under $dir"
  prepared "$dir/logs/generate.log" generate --accounts "$N" --seed "$SEED" --as-of "$RUN_DATE" --out "$dir/raw" \
    "${conf[@]}"
  gen_s=$(cut -d' ' -f1 "$dir/logs/generate.log.time")
  txns=$(grep -E 'transactions' "$dir/logs/generate.log" | grep -oE '[0-9,]+ rows' | sed -n 1p | tr -d ', rows')
  echo "bench:   generated in ${gen_s}s; preparing (ingest, features with training snapshots, clv, train)"
  for step in "ingest" "value-map" "features --training" "clv" "train"; do
    # shellcheck disable=SC2086
    prepared "$dir/logs/prepare-${step%% *}.log" $step --run-date "$RUN_DATE" "${conf[@]}"
  done
  if [ "$PREPARE_ONLY" = 1 ]; then
    echo "bench:   prepared; time it later with the same --work and --sizes"
    continue
  fi

  read -r floor_s floor_mb < <(timed "$dir/logs/scan-floor.log" scan-floor --run-date "$RUN_DATE" "${conf[@]}")
  echo "bench:   scan floor ${floor_s}s"
  jfr_opts=""
  [ "$PROFILE" = 1 ] && jfr_opts="-XX:StartFlightRecording=filename=$dir/logs/run.jfr -XX:FlightRecorderOptions:stackdepth=256"
  : > "$dir/logs/run.log"
  watch_stage_rss "$dir/logs/run.log" "$dir/logs/stage-rss.txt" "dev[.]cvm[.]Main run --run-date $RUN_DATE --conf $dir/bench.conf" &
  watcher=$!
  read -r chain_s chain_mb < <(JAVA_OPTS="${JAVA_OPTS:-} $jfr_opts" timed "$dir/logs/run.log" run --run-date "$RUN_DATE" "${conf[@]}")
  wait "$watcher" || true
  echo "bench:   cvm run ${chain_s}s (peak RSS ${chain_mb} MB)"
  echo "$N,scan floor,$floor_s,,$floor_mb,,1.00" >> "$TMP_CSV"
  rows_per_stage "$dir/logs/run.log" > "$dir/logs/rows.txt"
  for stage in "${STAGES[@]}"; do
    in_chain=$(grep -E "^  stage $stage: " "$dir/logs/run.log" | sed -E 's/.*: ([0-9.]+) s/\1/')
    rows=$(awk -v s="$stage" '$1 == s {print $2}' "$dir/logs/rows.txt")
    chain_stage_mb=$(awk -v s="$stage" '$1 == s {print $2}' "$dir/logs/stage-rss.txt")
    ratio=$(awk -v a="$in_chain" -v f="$floor_s" 'BEGIN {printf "%.2f", a / f}')
    alone_mb=""
    if [ "$CHAIN_ONLY" = 0 ]; then
      read -r alone_s alone_mb < <(timed "$dir/logs/$stage.log" "$stage" --run-date "$RUN_DATE" "${conf[@]}")
      echo "bench:   $stage ${in_chain}s in the chain (${alone_s}s alone, peak ${alone_mb} MB)"
    else
      echo "bench:   $stage ${in_chain}s in the chain (peak RSS ${chain_stage_mb:-?} MB)"
    fi
    echo "$N,$stage,$in_chain,$chain_stage_mb,$alone_mb,$rows,$ratio" >> "$TMP_CSV"
  done
  ratio=$(awk -v a="$chain_s" -v f="$floor_s" 'BEGIN {printf "%.2f", a / f}')
  echo "$N,cvm run (whole chain),$chain_s,$chain_mb,,,$ratio" >> "$TMP_CSV"
  echo "$N,transactions,$txns,,,," >> "$TMP_CSV"
  # Rows in: every input row the chain read, from ingest's "validate DATASET N rows" lines.
  inputs=$(grep -E '^  validate ' "$dir/logs/run.log" | awk '{gsub(",", "", $3); s += $3} END {print s + 0}')
  echo "$N,input rows,$inputs,,,," >> "$TMP_CSV"
  if [ "$PROFILE" = 1 ]; then
    python3 "$CVM_HOME/bench/jfr_summary.py" "$dir/logs/run.jfr" "cvm run, $N accounts" >> "$WORK/profile.md"
  fi
  render
done

if [ "$PREPARE_ONLY" = 1 ]; then
  echo "bench: prepared under $WORK; results.md unchanged"
else
  echo "bench: wrote $MD and $CSV"
fi
