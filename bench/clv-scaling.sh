#!/usr/bin/env bash
# bench/clv-scaling.sh: what fitting the CLV models costs as the customer base grows, in one run.
#
#   bench/clv-scaling.sh [--sizes "100000 1000000"] [--work DIR] [--keep]
#
# For each size, writes an RFM summary file (x, t_x, T in weeks over two years of daily data, m) of N customers drawn
# from BG/NBD + Gamma-Gamma, and runs `cvm clv-fit --summary` on it. The fits run on distinct (x, t_x, T) groups
# aggregated in Spark, so their cost should stay flat while the aggregation grows with N. Writes
# bench/clv-results.md: the step timings of every size side by side.
set -euo pipefail

CVM_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="100000 1000000"
WORK=""
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="${2:?--sizes needs a list}"; shift 2 ;;
    --work) WORK="${2:?--work needs a directory}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "clv-scaling: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$WORK" ]; then WORK="$(mktemp -d -t cvm-clv-scaling.XXXXXX)"; fi
mkdir -p "$WORK"
if [ "$KEEP" = 0 ]; then trap 'rm -rf "$WORK"' EXIT; fi
export CVM_DRIVER_MEMORY="${CVM_DRIVER_MEMORY:-4g}"

for N in $SIZES; do
  echo "clv-scaling: $N customers"
  # BG/NBD with CDNOW-like parameters (r 0.24, alpha 4.41 weeks, a 0.79, b 2.43) and Gamma-Gamma spend: a skewed,
  # realistic frequency distribution; ages are spread over two years of daily acquisition.
  python3 - "$N" "$WORK/summary-$N.csv" <<'EOF'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(20261122)
with open(path, "w") as f:
    f.write("id,x,t_x,T,m\n")
    for i in range(n):
        T = rnd.randint(7, 730) / 7.0
        lam = rnd.gammavariate(0.24, 1 / 4.41)
        p = rnd.betavariate(0.79, 2.43)
        t, x, tx = 0.0, 0, 0.0
        while True:
            t += rnd.expovariate(lam) if lam > 0 else T + 1
            if t > T:
                break
            x, tx = x + 1, round(t * 7) / 7.0
            if rnd.random() < p:
                break
        nu = rnd.gammavariate(3.97, 1 / 20.1)
        m = sum(rnd.gammavariate(5.9, 1 / nu) for _ in range(x)) / x if x > 0 else 0.0
        f.write(f"{i},{x},{tx:.6f},{T:.6f},{m:.2f}\n")
EOF
  # Grouping as the pipeline does it by default (cvm.clv.group-resolution = 1, max-groups = 10000): exact values up
  # to 10,000 groups, then binned to a step that leaves at most that many.
  "$CVM_HOME/bin/cvm" clv-fit --summary "$WORK/summary-$N.csv" --m-col m --id-col id --out "$WORK/out-$N" \
    --group-resolution 1 --max-groups 10000 \
    > "$WORK/clv-fit-$N.log" 2>&1 || { tail -20 "$WORK/clv-fit-$N.log" >&2; exit 1; }
done

MACHINE="$(nproc) cores, $(java -version 2>&1 | sed -n 1p), heap $CVM_DRIVER_MEMORY, $(date -u +%Y-%m-%d), load average \
at the end $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$CVM_HOME/bench/clv-results.md" "$WORK" "$MACHINE" $SIZES <<'EOF'
import re, sys
out, work, machine, sizes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
steps, table = [], {}
for n in sizes:
    for line in open(f"{work}/clv-fit-{n}.log"):
        m = re.match(r"^  (\S.*?)\s{2,}(?:[\d,]+ rows\s+)?([\d.]+) s$", line.rstrip())
        if m:
            name = m.group(1).strip()
            if name not in steps:
                steps.append(name)
            table[(name, n)] = float(m.group(2))
        g = re.search(r"([\d,]+) customers in ([\d,]+) groups", line)
        if g:
            table[("groups", n)] = g.group(2)
rows = ["# CLV fitting cost by customer count", "",
        "Written by `bench/clv-scaling.sh` (one run; wall seconds per step of `cvm clv-fit --summary`). The fits run on "
        "distinct (x, t_x, T) groups aggregated in Spark; their cost should not grow with the number of customers. "
        "Machine: " + machine + ".", "",
        "| step | " + " | ".join(f"{int(n):,} customers" for n in sizes) + " |",
        "|---|" + "---:|" * len(sizes)]
rows.append("| distinct (x, t_x, T) groups | " + " | ".join(str(table.get(("groups", n), "")) for n in sizes) + " |")
for s in steps:
    rows.append(f"| {s} | " + " | ".join(f"{table[(s, n)]:.1f}" if (s, n) in table else "" for n in sizes) + " |")
open(out, "w").write("\n".join(rows) + "\n")
EOF
echo "clv-scaling: wrote $CVM_HOME/bench/clv-results.md"
