#!/usr/bin/python3
"""Markdown tables from the raw numbers of bench/run_clear_bench.sh (its working directory).

    bench/clear_bench_table.py /tmp/cascade-clear-bench > tables.md

Reads raw.tsv (whole-process runs), peer_algorithm.tsv, compare.tsv and bench-<nodes>.json
(Google Benchmark medians), and prints: whole process and algorithm time against the scipy peer with
the ratios and the targets of the issue; peak memory per edge; one pass over the liabilities
against a streaming read of the same bytes; the log-log slope of time against edges.
"""
import csv
import glob
import json
import math
import statistics
import sys
from collections import defaultdict


def read_tsv(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def slope(points):
    """Least-squares slope of log(y) against log(x); nan for fewer than two points."""
    if len(points) < 2:
        return float("nan")
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


class ClearBench:
    """The numbers of one run of bench/run_clear_bench.sh, read from its working directory."""

    models = ["eisenberg-noe", "debtrank"]
    unit = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}

    def __init__(self, work):
        self.whole = defaultdict(list)  # (nodes, model, tool) -> [(seconds, kb)]
        self.edges_of = {}
        for row in read_tsv(f"{work}/raw.tsv"):
            nodes = int(row["nodes"])
            self.edges_of[nodes] = int(row["edges"])
            self.whole[(nodes, row["model"], row["tool"])].append((float(row["seconds"]), int(row["peak_kb"])))
        self.peer_algorithm = {(int(r["nodes"]), r["model"]): float(r["seconds"])
                               for r in read_tsv(f"{work}/peer_algorithm.tsv")}
        self.compare = {(int(r["nodes"]), r["model"]): r for r in read_tsv(f"{work}/compare.tsv")}
        self.bench = {}
        for path in sorted(glob.glob(f"{work}/bench-*.json")):
            for b in json.load(open(path))["benchmarks"]:
                if b.get("aggregate_name") == "median":
                    self.bench[b["run_name"].removesuffix("/real_time")] = b
        self.sizes = sorted(self.edges_of)

    def bench_seconds(self, name):
        b = self.bench.get(name)
        return b["real_time"] * self.unit[b["time_unit"]] if b else None

    def whole_seconds(self, nodes, model, tool):
        """Median wall time of the whole process."""
        return statistics.median(s for s, _ in self.whole[(nodes, model, tool)])

    def peak_kb(self, nodes, tool):
        return max(k for model in self.models for _, k in self.whole[(nodes, model, tool)])

    def algorithm(self, nodes, model, threads):
        return self.bench_seconds(f"BM_PlainModel/model:{self.models.index(model)}/nodes:{nodes}/threads:{threads}")

    def pass_factor(self, nodes, threads):
        """One pass over the liabilities over a streaming read of the same bytes; None if not measured."""
        a = self.bench_seconds(f"BM_ClaimsPass/nodes:{nodes}/threads:{threads}")
        b = self.bench_seconds(f"BM_StreamRead/nodes:{nodes}/threads:{threads}")
        return a / b if a and b else None

    def algorithm_slope(self, model):
        """Log-log slope of the one-thread algorithm time against edges, over every size."""
        return slope([(self.edges_of[n], t) for n in self.sizes if (t := self.algorithm(n, model, 1))])


def main():
    cb = ClearBench(sys.argv[1])
    sizes, models, edges_of = cb.sizes, cb.models, cb.edges_of
    print("| nodes | edges | model | cascade whole (s) | scipy whole (s) | whole ratio "
          "| cascade algorithm, 1 / 2 threads (ms) | scipy algorithm (ms) | algorithm ratio, 1 / 2 threads "
          "| iterations (cascade / scipy) | defaults | max difference |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for nodes in sizes:
        for model in models:
            c = cb.whole_seconds(nodes, model, "cascade")
            p = cb.whole_seconds(nodes, model, "scipy")
            ours = [cb.algorithm(nodes, model, t) for t in (1, 2)]
            theirs = cb.peer_algorithm.get((nodes, model))
            cmp = cb.compare[(nodes, model)]
            times = " / ".join(f"{t * 1e3:.2f}" if t else "-" for t in ours)
            ratios = " / ".join(f"{theirs / t:.1f}x" if t and theirs else "-" for t in ours)
            print(f"| {nodes:,} | {edges_of[nodes]:,} | {model} | {c:.3f} | {p:.3f} | {p / c:.1f}x | "
                  f"{times} | {theirs * 1e3:.2f} | {ratios} | {cmp['iterations_cascade']} / "
                  f"{cmp['iterations_peer']} | {cmp['defaults']} | {cmp['max_difference']} |")
    print()
    print("| nodes | edges | cascade peak RSS (MB) | bytes per edge | budget 64 B/edge + 512 B/node (MB) | scipy peak RSS (MB) |")
    print("|---|---|---|---|---|---|")
    for nodes in sizes:
        kb, peer_kb = cb.peak_kb(nodes, "cascade"), cb.peak_kb(nodes, "scipy")
        budget = (64 * edges_of[nodes] + 512 * nodes) / 1e6
        print(f"| {nodes:,} | {edges_of[nodes]:,} | {kb / 1e3:.0f} | {kb * 1e3 / edges_of[nodes]:.0f} | "
              f"{budget:.0f} | {peer_kb / 1e3:.0f} |")
    print()
    print("| nodes | bytes read (MB) | one pass, 1 / 2 threads (ms) | streaming read of those bytes, 1 / 2 threads (ms) "
          "| bandwidth, 1 / 2 threads (GB/s) | factor, 1 / 2 threads |")
    print("|---|---|---|---|---|---|")
    for nodes in sizes:
        passes = [cb.bench.get(f"BM_ClaimsPass/nodes:{nodes}/threads:{t}") for t in (1, 2)]
        streams = [cb.bench.get(f"BM_StreamRead/nodes:{nodes}/threads:{t}") for t in (1, 2)]
        if not all(passes) or not all(streams):
            continue
        a = [cb.bench_seconds(f"BM_ClaimsPass/nodes:{nodes}/threads:{t}") for t in (1, 2)]
        b = [cb.bench_seconds(f"BM_StreamRead/nodes:{nodes}/threads:{t}") for t in (1, 2)]
        print(f"| {nodes:,} | {passes[0]['bytes'] / 1e6:.1f} | {a[0] * 1e3:.2f} / {a[1] * 1e3:.2f} | "
              f"{b[0] * 1e3:.2f} / {b[1] * 1e3:.2f} | {streams[0]['GB/s']:.1f} / {streams[1]['GB/s']:.1f} | "
              f"{a[0] / b[0]:.1f}x / {a[1] / b[1]:.1f}x |")
    print()
    if len(sizes) < 2:
        return  # a slope needs two sizes
    for model in models:
        points_whole = [(edges_of[n], cb.whole_seconds(n, model, "cascade")) for n in sizes]
        print(f"- {model}: log-log slope of time against edges, {edges_of[sizes[0]]:,} to {edges_of[sizes[-1]]:,} "
              f"edges: whole process {slope(points_whole):.2f}, algorithm (1 thread) {cb.algorithm_slope(model):.2f}")


if __name__ == "__main__":
    main()
