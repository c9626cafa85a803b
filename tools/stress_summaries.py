#!/usr/bin/env python3
"""Runs the AI-2026 baseline and every stress scenario and prints or records their summaries.

    python3 tools/stress_summaries.py table    # the markdown table of scenarios/ai-2026/README.md
    python3 tools/stress_summaries.py golden   # rewrites tests/scenarios/ai-2026/golden/*.json

Each scenario runs once with `cascade run FILE --out TMPDIR --threads 2` (its own seed; results do
not depend on the thread count) and the script reads the run's summary.json. `golden` keeps the
figures the golden test compares (tests/scenarios/ai-2026/golden_test.cc): defaults (firm, tick),
credit losses in total and by holder type, losses by channel and system equity lost. Regenerate
them only when a model change moves a result, and say why in CHANGELOG.md.

Options: --cascade PATH (default build/tools/cascade), --root PATH (the repository; default the
parent of tools/). Python 3 standard library only.
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

GOLDEN_DIR = pathlib.Path("tests/scenarios/ai-2026/golden")
SCENARIO_DIR = pathlib.Path("scenarios/ai-2026")
COMMAND = "python3 tools/stress_summaries.py golden"


def scenario_files(root):
    """The baseline, then the stress files in the order of their number (s1 .. s10), then the rest."""

    def order(path):
        m = re.match(r"s(\d+)-", path.name)
        return (0, int(m.group(1)), path.name) if m else (1, 0, path.name)

    stress = sorted((root / SCENARIO_DIR / "stress").glob("*.yaml"), key=order)
    return [root / SCENARIO_DIR / "baseline.yaml"] + stress


def run_summary(cascade, scenario, scratch):
    out = pathlib.Path(scratch) / scenario.stem
    done = subprocess.run([str(cascade), "run", str(scenario), "--out", str(out), "--force", "--threads", "2"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"cascade run {scenario} failed (exit {done.returncode}):\n{done.stderr}")
    return json.loads((out / "summary.json").read_text())


def golden_record(relative, summary):
    return {
        "scenario": str(relative),
        "produced_by": COMMAND,
        "seed": summary["seed"],
        "defaults": [{"firm": d["firm"], "tick": d["tick"]} for d in summary["defaults"]],
        "total_credit_loss_usd_bn": summary["total_credit_loss_usd_bn"],
        "credit_loss_by_holder_type_usd_bn": summary["credit_loss_by_holder_type_usd_bn"],
        "loss_by_channel_usd_bn": summary["loss_by_channel_usd_bn"],
        "system_equity_lost_usd_bn": summary["system_equity_lost_usd_bn"],
    }


def table_row(relative, summary):
    defaults = summary["defaults"]
    who = ", ".join(f"{d['firm']} ({d['tick']})" for d in defaults)
    return (f"| `{relative}` | {summary['system_equity_end_usd_bn']:,.0f} | "
            f"{len(defaults)}{': ' + who if who else ''} | {summary['total_credit_loss_usd_bn']:.1f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["table", "golden"])
    parser.add_argument("--root", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent)
    parser.add_argument("--cascade", type=pathlib.Path)
    args = parser.parse_args()
    root = args.root.resolve()
    cascade = (args.cascade or root / "build/tools/cascade").resolve()
    if not cascade.exists():
        sys.exit(f"{cascade}: not built (cmake --build build --target cascade)")

    if args.what == "table":
        print("| scenario | end equity (USD bn) | defaults (who, tick) | credit loss (USD bn) |")
        print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="cascade-stress-") as scratch:
        for scenario in scenario_files(root):
            relative = scenario.relative_to(root / SCENARIO_DIR)
            summary = run_summary(cascade, scenario, scratch)
            if args.what == "table":
                print(table_row(relative, summary))
                continue
            target = root / GOLDEN_DIR / (scenario.stem + ".json")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(golden_record(relative, summary), indent=2) + "\n")
            print(f"wrote {target.relative_to(root)}")


if __name__ == "__main__":
    main()
