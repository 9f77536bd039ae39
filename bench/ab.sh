#!/usr/bin/env bash
# bench/ab.sh: times cvm commands of two builds, one after the other on the same prepared data, and appends the
# comparison to bench/tuning.md (the before/after behind each tuning step; bench/README.md).
#
#   bench/ab.sh --before DIR --data DIR [--after DIR] [--commands "ingest monitor run"] [--title TEXT]
#
#   --before DIR    a cvm checkout of the baseline, e.g. `git worktree add /tmp/cvm-before <commit>`
#   --after DIR     the checkout with the change (default: this one)
#   --data DIR      one size of a kept bench run (`bench/run.sh --keep --work W` leaves W/<size> with bench.conf,
#                   raw data and a prepared warehouse: models trained, features and CLV in place)
#   --commands      cvm commands to time, each run for the date of the bench data (default "ingest monitor run")
#   --title TEXT    the heading of the appended section (default: the two commits)
#
# For each command, before and after run back to back (before first), each in its own JVM under GNU time with the
# bench's heap (CVM_DRIVER_MEMORY, default 8g); wall seconds and peak RSS go to bench/tuning.md. Every command
# re-writes the run date's partitions, so the warehouse ends as the after build leaves it. Both builds are compiled
# (bin/cvm builds a missing or stale jar) before anything is timed. Run on a quiet machine: nothing else running.
set -euo pipefail

CVM_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BEFORE=""
AFTER="$CVM_HOME"
DATA=""
COMMANDS="ingest monitor run"
TITLE=""
RUN_DATE=2026-11-01
while [ $# -gt 0 ]; do
  case "$1" in
    --before) BEFORE="${2:?--before needs a directory}"; shift 2 ;;
    --after) AFTER="${2:?--after needs a directory}"; shift 2 ;;
    --data) DATA="${2:?--data needs a directory}"; shift 2 ;;
    --commands) COMMANDS="${2:?--commands needs a list}"; shift 2 ;;
    --title) TITLE="${2:?--title needs a text}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "ab: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "$BEFORE" ] && [ -n "$DATA" ] || { echo "ab: --before and --data are required (try --help)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "ab: needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 2; }
DATA="$(cd "$DATA" && pwd)"
CONF="$DATA/bench.conf"
[ -f "$CONF" ] || { echo "ab: $CONF not found: --data must be a size directory of a kept bench run" >&2; exit 2; }
export CVM_DRIVER_MEMORY="${CVM_DRIVER_MEMORY:-8g}"
MD="$CVM_HOME/bench/tuning.md"
LOGS="$DATA/logs/ab-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$LOGS"

commit() { git -C "$1" log -1 --format='%h' 2>/dev/null || echo "?"; }
for home in "$BEFORE" "$AFTER"; do
  "$home/bin/cvm" --help > /dev/null || { echo "ab: cvm at $home does not start" >&2; exit 1; }
done

# "<wall seconds> <peak RSS MB>" of one command; its output goes to $LOGS/<label>-<command>.log.
timed() {
  local home=$1 label=$2 cmd=$3
  local log="$LOGS/$label-$cmd.log"
  /usr/bin/time -f "%e %M" -o "$log.time" "$home/bin/cvm" "$cmd" --run-date "$RUN_DATE" --conf "$CONF" > "$log" 2>&1 \
    || { echo "ab: $label cvm $cmd failed; last lines of $log:" >&2; tail -20 "$log" >&2; exit 1; }
  awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$log.time"
}

rows=()
for cmd in $COMMANDS; do
  read -r b_s b_mb < <(timed "$BEFORE" before "$cmd")
  read -r a_s a_mb < <(timed "$AFTER" after "$cmd")
  echo "ab: $cmd  before ${b_s} s ${b_mb} MB  after ${a_s} s ${a_mb} MB"
  rows+=("| \`cvm $cmd\` | $b_s | $a_s | $(awk -v a="$a_s" -v b="$b_s" 'BEGIN {printf "%.2f", a / b}') | $b_mb | $a_mb |")
done

{
  [ -f "$MD" ] || printf '# Tuning: before and after\n\nEach section is one run of `bench/ab.sh` (bench/README.md): the same commands of two builds,\nback to back on the same prepared data. Compare within a section only; this machine is shared and noisy.\n'
  echo
  echo "## ${TITLE:-$(commit "$BEFORE") -> $(commit "$AFTER")}"
  echo
  echo "$(date -u +%Y-%m-%d), data $(basename "$DATA") accounts ($DATA), before $(commit "$BEFORE"), after $(commit "$AFTER"), \
$(nproc) cores, heap $CVM_DRIVER_MEMORY, $(java -version 2>&1 | sed -n 1p). Logs: $LOGS."
  echo
  echo "| command | before s | after s | after / before | before peak RSS MB | after peak RSS MB |"
  echo "|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} >> "$MD"
echo "ab: appended to $MD"
