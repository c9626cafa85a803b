#!/usr/bin/env python3
"""Print how the AI-2026 scenarios come out across seeds: for the baseline and every stress file,
`cascade run FILE --replications N`, then one markdown table row per scenario with the firms that
default in at least 5% of the replicates (frequency and median default tick), the median number
of defaults and the 5%/50%/95% quantiles of the credit loss.

    python3 tools/replication_table.py                  # 100 replicates, ./build/tools/cascade
    python3 tools/replication_table.py --replications 200 --cascade PATH

The table goes into scenarios/ai-2026/README.md ("Across seeds"). Python 3 stdlib only.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios" / "ai-2026"
SHOWN_FREQUENCY = 0.05  # firms defaulting less often than this are counted, not named


def row(name: str, dist: dict) -> str:
    firms = sorted((f for f in dist["firms"] if f["frequency"] >= SHOWN_FREQUENCY), key=lambda f: -f["frequency"])
    named = ", ".join(f"{f['firm']} {100 * f['frequency']:.0f}% (t{f['default_tick']['q50']:.0f})" for f in firms)
    rare = sum(1 for f in dist["firms"] if 0 < f["frequency"] < SHOWN_FREQUENCY)
    if rare:
        named += f"; {rare} more below {100 * SHOWN_FREQUENCY:.0f}%"
    totals = dist["totals"]
    loss = totals["credit_loss_usd_bn"]
    return (f"| {name} | {named or 'none'} | {totals['defaults']['q50']:.0f} | "
            f"{loss['q05']:,.1f} / {loss['q50']:,.1f} / {loss['q95']:,.1f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replications", type=int, default=100)
    ap.add_argument("--cascade", type=Path, default=REPO / "build" / "tools" / "cascade")
    args = ap.parse_args()
    def order(path: Path) -> tuple[int, int, str]:  # s1 .. s10, then the composed scenarios
        number = re.match(r"s(\d+)-", path.stem)
        return (0, int(number.group(1)), "") if number else (1, 0, path.stem)

    files = [SCENARIOS / "baseline.yaml"] + sorted((SCENARIOS / "stress").glob("*.yaml"), key=order)
    print(f"| scenario ({args.replications} seeds) | firms that default: frequency (median tick) | "
          f"median defaults | credit loss, USD bn: 5% / 50% / 95% |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(files):
            out = Path(tmp) / str(i)
            done = subprocess.run([str(args.cascade), "run", str(path), "--out", str(out), "--replications",
                                   str(args.replications)], capture_output=True, text=True)
            if done.returncode != 0:
                sys.stderr.write(f"{path}: exit {done.returncode}\n{done.stderr}")
                return done.returncode
            print(row(path.stem, json.load(open(out / "distribution.json"))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
