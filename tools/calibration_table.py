#!/usr/bin/env python3
"""Print the AI-2026 calibration table: the model's values at the first tick and at tick 12
beside the seed facts they should match (shared/data/seed-facts.md).

    python3 tools/calibration_table.py                      # runs the baseline with ./build/tools/cascade
    python3 tools/calibration_table.py --run-dir RUN        # reads an existing run directory
    python3 tools/calibration_table.py --cascade PATH --scenario FILE

The table is markdown, pasted into scenarios/ai-2026/README.md ("Calibration"). Flows (revenue,
payments, capex) have no tick-0 value, so the first column is tick 1; stocks (contract backlogs,
liabilities) are read at tick 0. Flows are annualised (x ticks per year). Python 3 stdlib only.
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HYPERSCALERS = ["microsoft", "google", "amazon", "meta"]


class Run:
    """The per-tick firm rows and exposure rows of one run directory."""

    def __init__(self, run_dir: Path):
        self.firm: dict[tuple[int, str], dict[str, str]] = {}
        for row in csv.DictReader(open(run_dir / "timeseries.csv")):
            self.firm[(int(row["tick"]), row["firm"])] = row
        self.exposures: dict[int, list[dict[str, str]]] = defaultdict(list)
        for row in csv.DictReader(open(run_dir / "exposures.csv")):
            self.exposures[int(row["tick"])].append(row)
        self.ticks_per_year = int(json.load(open(run_dir / "summary.json"))["ticks_per_year"])

    def value(self, tick: int, firm: str, column: str) -> float:
        return float(self.firm[(tick, firm)][column])

    def per_year(self, tick: int, firm: str, column: str) -> float:
        return self.value(tick, firm, column) * self.ticks_per_year

    def paid(self, tick: int, seller: str, buyers: set[str] | None = None) -> float:
        """Payments received this tick by `seller` (the exposed party) on its contract streams."""
        return sum(float(e["paid_usd_bn"]) for e in self.exposures[tick]
                   if e["from"] == seller and e["kind"] in ("lease", "purchase_commitment", "revenue_share")
                   and (buyers is None or e["to"] in buyers))

    def backlog(self, tick: int, seller: str, buyers: set[str] | None = None) -> float:
        """What customers still owe `seller` on its contract streams (remaining performance obligations)."""
        return sum(float(e["remaining_usd_bn"]) for e in self.exposures[tick]
                   if e["from"] == seller and e["kind"] in ("lease", "purchase_commitment", "revenue_share")
                   and e["active"] == "1" and (buyers is None or e["to"] in buyers))


def fmt(x: float, share: bool = False) -> str:
    return f"{100 * x:.0f}%" if share else f"{x:,.1f}"


def rows(run: Run) -> list[tuple[str, str, str, str, str]]:
    """(quantity, first tick, tick 12, seed fact, source) rows."""
    out = []
    tpy = run.ticks_per_year

    def flow_ratio(t, num, den):
        return num(t) / den(t) if den(t) else float("nan")

    # Oracle: backlog owed by OpenAI, its share of five years of expected revenue.
    openai_backlog = [run.backlog(t, "oracle", {"openai"}) for t in (0, 12)]
    out.append(("Oracle: backlog owed by OpenAI (USD bn)", fmt(openai_backlog[0]), fmt(openai_backlog[1]),
                "300 over 5 years", "001"))

    def oracle_openai_share(t: int) -> float:
        flow_tick = max(t, 1)
        contracted = run.paid(flow_tick, "oracle") * tpy
        other_per_year = max(0.0, run.per_year(flow_tick, "oracle", "revenue_usd_bn") - contracted)
        future = run.backlog(t, "oracle") + 5 * other_per_year
        return run.backlog(t, "oracle", {"openai"}) / future if future else float("nan")

    out.append(("Oracle: share of the next 5 years' revenue owed by OpenAI", fmt(oracle_openai_share(0), True),
                fmt(oracle_openai_share(12), True), "about 2/3", "001"))
    out.append(("Oracle: liabilities (USD bn)", fmt(run.value(0, "oracle", "liabilities_usd_bn")),
                fmt(run.value(12, "oracle", "liabilities_usd_bn")), "debt 129.5 + leases 38", "003"))

    def fcf(t: int, firm: str) -> float:
        return (run.value(t, firm, "revenue_usd_bn") - run.value(t, firm, "opex_usd_bn")
                - run.value(t, firm, "capex_usd_bn")) * tpy

    out.append(("Oracle: free cash flow, before interest (USD bn/yr)", fmt(fcf(1, "oracle")), fmt(fcf(12, "oracle")),
                "-23.7 (FY2026)", "003"))
    # CoreWeave: revenue from Microsoft and Nvidia.
    cw = [flow_ratio(t, lambda t: run.paid(t, "coreweave", {"microsoft", "nvidia"}),
                     lambda t: run.value(t, "coreweave", "revenue_usd_bn")) for t in (1, 12)]
    out.append(("CoreWeave: share of revenue from Microsoft and Nvidia", fmt(cw[0], True), fmt(cw[1], True), "65%",
                "003"))
    # OpenAI's spend as a share of Microsoft's AI revenue (end demand + compute contracts).
    def msft_openai(t: int) -> float:
        from_openai = run.paid(t, "microsoft", {"openai"})
        ai = run.value(t, "microsoft", "ai_revenue_usd_bn") + run.paid(t, "microsoft")
        return from_openai / ai if ai else float("nan")

    out.append(("Microsoft: OpenAI's share of its AI revenue", fmt(msft_openai(1), True), fmt(msft_openai(12), True),
                "about 70%", "003"))
    out.append(("Microsoft: AI revenue (USD bn/yr)",
                fmt((run.value(1, "microsoft", "ai_revenue_usd_bn") + run.paid(1, "microsoft")) * tpy),
                fmt((run.value(12, "microsoft", "ai_revenue_usd_bn") + run.paid(12, "microsoft")) * tpy),
                "37 annualised (April 2026)", "003"))
    # OpenAI: revenue and cash loss.
    out.append(("OpenAI: revenue (USD bn/yr)", fmt(run.per_year(1, "openai", "revenue_usd_bn")),
                fmt(run.per_year(12, "openai", "revenue_usd_bn")), "13.04 (2025)", "003"))
    loss = [(run.value(t, "openai", "revenue_usd_bn") - run.value(t, "openai", "opex_usd_bn")
             - run.value(t, "openai", "capex_usd_bn")) * tpy for t in (1, 12)]
    out.append(("OpenAI: cash result (USD bn/yr)", fmt(loss[0]), fmt(loss[1]), "net loss -20.9 (2025)", "003"))
    # Hyperscalers: capex against operating cash flow.
    for firm in HYPERSCALERS:
        ratio = [run.value(t, firm, "capex_usd_bn") /
                 (run.value(t, firm, "revenue_usd_bn") - run.value(t, firm, "opex_usd_bn")) for t in (1, 12)]
        out.append((f"{firm.capitalize()}: capex / operating cash flow", fmt(ratio[0], True), fmt(ratio[1], True),
                    "capex above free cash flow; above cash flow by Q3 2026", "003 (BIS, author est.)"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--run-dir", type=Path, help="an existing run directory of the baseline")
    ap.add_argument("--cascade", type=Path, default=REPO / "build" / "tools" / "cascade")
    ap.add_argument("--scenario", type=Path, default=REPO / "scenarios" / "ai-2026" / "baseline.yaml")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = args.run_dir
        if run_dir is None:
            run_dir = Path(tmp) / "run"
            done = subprocess.run([str(args.cascade), "run", str(args.scenario), "--out", str(run_dir)],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                sys.stderr.write(done.stderr)
                return done.returncode
        run = Run(run_dir)
        print("| quantity | tick 0 (flows: tick 1) | tick 12 | seed fact | seed |")
        print("|---|---|---|---|---|")
        for quantity, first, twelve, fact, seed in rows(run):
            print(f"| {quantity} | {first} | {twelve} | {fact} | {seed} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
