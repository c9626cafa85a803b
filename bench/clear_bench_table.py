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


def main():
    work = sys.argv[1]
    whole = defaultdict(list)  # (nodes, model, tool) -> [(seconds, kb)]
    edges_of = {}
    for row in read_tsv(f"{work}/raw.tsv"):
        nodes = int(row["nodes"])
        edges_of[nodes] = int(row["edges"])
        whole[(nodes, row["model"], row["tool"])].append((float(row["seconds"]), int(row["peak_kb"])))
    peer_algorithm = {(int(r["nodes"]), r["model"]): float(r["seconds"]) for r in read_tsv(f"{work}/peer_algorithm.tsv")}
    compare = {(int(r["nodes"]), r["model"]): r for r in read_tsv(f"{work}/compare.tsv")}
    bench = {}
    for path in sorted(glob.glob(f"{work}/bench-*.json")):
        for b in json.load(open(path))["benchmarks"]:
            if b.get("aggregate_name") == "median":
                bench[b["run_name"].removesuffix("/real_time")] = b
    unit = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}

    def bench_seconds(name):
        b = bench.get(name)
        return b["real_time"] * unit[b["time_unit"]] if b else None

    sizes = sorted(edges_of)
    models = ["eisenberg-noe", "debtrank"]
    def algorithm(nodes, model, threads):
        return bench_seconds(f"BM_PlainModel/model:{models.index(model)}/nodes:{nodes}/threads:{threads}")

    print("| nodes | edges | model | cascade whole (s) | scipy whole (s) | whole ratio "
          "| cascade algorithm, 1 / 2 threads (ms) | scipy algorithm (ms) | algorithm ratio, 1 / 2 threads "
          "| iterations (cascade / scipy) | defaults | max difference |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for nodes in sizes:
        for model in models:
            c = statistics.median(s for s, _ in whole[(nodes, model, "cascade")])
            p = statistics.median(s for s, _ in whole[(nodes, model, "scipy")])
            ours = [algorithm(nodes, model, t) for t in (1, 2)]
            theirs = peer_algorithm.get((nodes, model))
            cmp = compare[(nodes, model)]
            times = " / ".join(f"{t * 1e3:.2f}" if t else "-" for t in ours)
            ratios = " / ".join(f"{theirs / t:.1f}x" if t and theirs else "-" for t in ours)
            print(f"| {nodes:,} | {edges_of[nodes]:,} | {model} | {c:.3f} | {p:.3f} | {p / c:.1f}x | "
                  f"{times} | {theirs * 1e3:.2f} | {ratios} | {cmp['iterations_cascade']} / "
                  f"{cmp['iterations_peer']} | {cmp['defaults']} | {cmp['max_difference']} |")
    print()
    print("| nodes | edges | cascade peak RSS (MB) | bytes per edge | budget 64 B/edge + 512 B/node (MB) | scipy peak RSS (MB) |")
    print("|---|---|---|---|---|---|")
    for nodes in sizes:
        kb = max(k for model in models for _, k in whole[(nodes, model, "cascade")])
        peer_kb = max(k for model in models for _, k in whole[(nodes, model, "scipy")])
        budget = (64 * edges_of[nodes] + 512 * nodes) / 1e6
        print(f"| {nodes:,} | {edges_of[nodes]:,} | {kb / 1e3:.0f} | {kb * 1e3 / edges_of[nodes]:.0f} | "
              f"{budget:.0f} | {peer_kb / 1e3:.0f} |")
    print()
    print("| nodes | bytes read (MB) | one pass, 1 / 2 threads (ms) | streaming read of those bytes, 1 / 2 threads (ms) "
          "| bandwidth, 1 / 2 threads (GB/s) | factor, 1 / 2 threads |")
    print("|---|---|---|---|---|---|")
    for nodes in sizes:
        passes = [bench.get(f"BM_ClaimsPass/nodes:{nodes}/threads:{t}") for t in (1, 2)]
        streams = [bench.get(f"BM_StreamRead/nodes:{nodes}/threads:{t}") for t in (1, 2)]
        if not all(passes) or not all(streams):
            continue
        a = [bench_seconds(f"BM_ClaimsPass/nodes:{nodes}/threads:{t}") for t in (1, 2)]
        b = [bench_seconds(f"BM_StreamRead/nodes:{nodes}/threads:{t}") for t in (1, 2)]
        print(f"| {nodes:,} | {passes[0]['bytes'] / 1e6:.1f} | {a[0] * 1e3:.2f} / {a[1] * 1e3:.2f} | "
              f"{b[0] * 1e3:.2f} / {b[1] * 1e3:.2f} | {streams[0]['GB/s']:.1f} / {streams[1]['GB/s']:.1f} | "
              f"{a[0] / b[0]:.1f}x / {a[1] / b[1]:.1f}x |")
    print()
    if len(sizes) < 2:
        return  # a slope needs two sizes
    for model in models:
        points_whole = [(edges_of[n], statistics.median(s for s, _ in whole[(n, model, "cascade")])) for n in sizes]
        points_algorithm = [(edges_of[n], algorithm(n, model, 1)) for n in sizes]
        points_algorithm = [p for p in points_algorithm if p[1]]
        print(f"- {model}: log-log slope of time against edges, {edges_of[sizes[0]]:,} to {edges_of[sizes[-1]]:,} "
              f"edges: whole process {slope(points_whole):.2f}, algorithm (1 thread) {slope(points_algorithm):.2f}")


if __name__ == "__main__":
    main()
