#!/usr/bin/env python3
"""Renders bench/results.csv (written by bench/run.sh) as bench/results.md: a table per size, the targets of the
performance issue with where they stand, and the machine the figures come from."""
import csv
import sys
from collections import OrderedDict

csv_path, md_path, machine = sys.argv[1], sys.argv[2], sys.argv[3]
by_size = OrderedDict()
with open(csv_path) as f:
    for row in csv.DictReader(f):
        by_size.setdefault(int(row["size"]), OrderedDict())[row["stage"]] = row


def num(row, key):
    return float(row[key]) if row and row.get(key) else None


out = ["# Benchmark results", "",
       "Written by `bench/run.sh` (see `bench/README.md`); every ratio is within one run. Machine: " + machine + ".", ""]
for size, stages in by_size.items():
    floor = num(stages.get("scan floor"), "wall_seconds")
    txns = stages.get("transactions", {}).get("wall_seconds", "")
    inputs = stages.get("input rows", {}).get("wall_seconds", "")
    facts = ([f"{int(txns):,} transactions"] if txns else []) + ([f"{int(inputs):,} input rows"] if inputs else [])
    out += [f"## {size:,} accounts ({', '.join(facts)})" if facts else f"## {size:,} accounts", "",
            "| stage | wall s | peak RSS MB in the chain | peak RSS MB alone | rows written | rows/s | x scan floor |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for name, row in stages.items():
        if name in ("transactions", "input rows"):
            continue
        secs = num(row, "wall_seconds")
        rows = int(row["rows"]) if row["rows"] else None
        rate = f"{rows / secs:,.0f}" if rows and secs else ""
        out.append(f"| {name} | {secs:.1f} | {row['chain_peak_rss_mb']} | {row['peak_rss_mb']} | {f'{rows:,}' if rows else ''} | {rate} "
                   f"| {row['ratio_to_scan_floor']} |")
    out.append("")

out += ["## Targets", "", "| target | measured | met |", "|---|---|---|"]
for size, stages in by_size.items():
    floor = num(stages.get("scan floor"), "wall_seconds")
    chain = num(stages.get("cvm run (whole chain)"), "wall_seconds")
    feats = num(stages.get("features"), "wall_seconds")
    clv = num(stages.get("clv"), "wall_seconds")
    if floor and chain:
        out.append(f"| {size:,}: chain <= 5x scan floor | {chain / floor:.2f}x | {'yes' if chain <= 5 * floor else 'no'} |")
        if size == 1_000_000:  # the time target is set for 1M accounts
            out.append(f"| {size:,}: chain under 10 minutes | {chain / 60:.1f} min | {'yes' if chain <= 600 else 'no'} |")
    if floor and feats:
        out.append(f"| {size:,}: features <= 2x scan floor | {feats / floor:.2f}x | {'yes' if feats <= 2 * floor else 'no'} |")
    if chain and clv:
        out.append(f"| {size:,}: clv <= 10% of the chain | {100 * clv / chain:.1f}% | {'yes' if clv <= 0.1 * chain else 'no'} |")
sizes = list(by_size)
for small, big in zip(sizes, sizes[1:]):
    a = num(by_size[small].get("cvm run (whole chain)"), "wall_seconds")
    b = num(by_size[big].get("cvm run (whole chain)"), "wall_seconds")
    if a and b:
        bound = 1.2 * big / small  # the 12 for 10x the accounts, 6 for 5x
        out.append(f"| time({big:,}) / time({small:,}) <= {bound:g} ({big // small}x the accounts) | {b / a:.2f} "
                   f"| {'yes' if b / a <= bound else 'no'} |")
out.append("")
with open(md_path, "w") as f:
    f.write("\n".join(out))
