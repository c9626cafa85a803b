#!/usr/bin/python3
"""The peer of `cascade clear`: Eisenberg-Noe and linear DebtRank vectorised with scipy.sparse.

What a researcher would write with Debian's python3-scipy: read the plain network format
(docs/plain-network.md) with numpy, build the liabilities matrix in CSR form, iterate the fixed
point with sparse matrix-vector products, print the per-node answer as JSON.

    bench/peers/scipy_clearing.py DIR --model eisenberg-noe|debtrank [--repeat N] > out.json

Eisenberg-Noe (pari passu, greatest clearing vector): Picard iteration from full payment,
x <- Phi(x) with Phi_i(x) = 1 if e_i - el_i + (L^T x)_i - Lbar_i >= 0 (or Lbar_i = 0), else
(e_i + (L^T x)_i) / (el_i + Lbar_i), until no rate moves by more than the tolerance (1e-13).
Linear DebtRank (Bardoscia et al. 2015): h(t+1) = min(1, h(t) + Lambda (h(t) - h(t-1))),
Lambda_ij = L_ji / E0_i for E0_i > 0, nodes with E0_i <= 0 start at 1 and take no impact,
until no h moves by more than 1e-15.

stderr gets one line `algorithm_seconds=<median> iterations=<k>`: the median over --repeat runs
of the algorithm alone, from the CSR matrix L^T and the balance-sheet vectors to the per-node
answer (for DebtRank including the impact matrix, as Cascade's timing includes its impacts).
"""
import argparse
import json
import sys
import time

import numpy as np
import scipy.sparse as sp


def read_network(directory):
    ids = np.loadtxt(f"{directory}/nodes.csv", delimiter=",", skiprows=1, usecols=0, dtype=str, ndmin=1)
    nodes = np.loadtxt(f"{directory}/nodes.csv", delimiter=",", skiprows=1, usecols=(1, 2), ndmin=2)
    n = len(ids)
    dense = np.array_equal(ids, np.arange(n).astype(str))
    if dense:  # ids 0..n-1: read the edge ids as integers
        edges = np.loadtxt(f"{directory}/edges.csv", delimiter=",", skiprows=1, ndmin=2)
        debtor, creditor, amount = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64), edges[:, 2]
    else:
        index = {node_id: i for i, node_id in enumerate(ids)}
        text = np.loadtxt(f"{directory}/edges.csv", delimiter=",", skiprows=1, dtype=str, ndmin=2)
        debtor = np.array([index[s] for s in text[:, 0]], dtype=np.int64)
        creditor = np.array([index[s] for s in text[:, 1]], dtype=np.int64)
        amount = text[:, 2].astype(float)
    shock = np.zeros(n)
    try:
        shocks = np.loadtxt(f"{directory}/shock.csv", delimiter=",", skiprows=1, dtype=str, ndmin=2)
        if len(shocks):
            rows = shocks[:, 0].astype(np.int64) if dense else np.array([index[s] for s in shocks[:, 0]])
            shock[rows] = shocks[:, 1].astype(float)
    except FileNotFoundError:
        pass
    # L[i, j]: what i owes j; duplicate pairs add up.
    liabilities = sp.csr_matrix((amount, (debtor, creditor)), shape=(n, n))
    return ids, nodes[:, 0], nodes[:, 1], shock, liabilities


def eisenberg_noe(held, external_assets, external_liabilities, interbank_liabilities, tolerance=1e-13):
    """held = L^T in CSR: (held @ x)_i is what node i receives when each debtor j pays x_j.
    Returns the rates, the equity after clearing and the iterations."""
    x = np.ones(len(external_assets))
    owes = interbank_liabilities > 0
    denominator = np.where(owes, external_liabilities + interbank_liabilities, 1.0)
    for iteration in range(1, 100_001):
        claims = held @ x
        equity = external_assets - external_liabilities + claims - interbank_liabilities
        rate = np.minimum(1.0, np.maximum(0.0, (external_assets + claims) / denominator))
        new = np.where((equity >= 0) | ~owes, 1.0, rate)
        change = np.max(np.abs(new - x), initial=0.0)
        x = new
        if change <= tolerance:
            break
    equity_after = external_assets - external_liabilities + held @ x - interbank_liabilities
    return x, equity_after, iteration


def debtrank_linear(held, equity_before, shock_loss, tolerance=1e-15):
    """held = L^T in CSR; Lambda and h(1) are built here, as Cascade builds its impacts.
    Returns h, the equity after and the iterations."""
    positive = equity_before > 0
    inverse_equity = np.where(positive, 1.0 / np.where(positive, equity_before, 1.0), 0.0)
    impact = (sp.diags(inverse_equity) @ held).tocsr()  # Lambda_ij = L_ji / E0_i
    initial = np.where(positive, np.minimum(1.0, shock_loss * inverse_equity), 1.0)
    h = initial.copy()
    step = initial.copy()
    for iteration in range(1, 100_001):
        new = np.minimum(1.0, h + impact @ step)
        step = new - h
        h = new
        if np.max(step, initial=0.0) <= tolerance:
            break
    return h, np.where(positive, equity_before * (1.0 - h), equity_before), iteration


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--model", choices=["eisenberg-noe", "debtrank"], required=True)
    parser.add_argument("--repeat", type=int, default=1, help="runs of the algorithm timed (median reported)")
    args = parser.parse_args()

    ids, external_assets, external_liabilities, shock, liabilities = read_network(args.dir)
    interbank_liabilities = np.asarray(liabilities.sum(axis=1)).ravel()
    interbank_assets = np.asarray(liabilities.sum(axis=0)).ravel()
    held = liabilities.T.tocsr()
    equity_before = external_assets + interbank_assets - external_liabilities - interbank_liabilities
    shocked = external_assets * (1.0 - shock)

    timings = []
    if args.model == "eisenberg-noe":
        for _ in range(args.repeat):
            start = time.perf_counter()
            x, equity_after, iterations = eisenberg_noe(held, shocked, external_liabilities, interbank_liabilities)
            timings.append(time.perf_counter() - start)
        out = {"model": args.model, "iterations": iterations, "id": ids.tolist(),
               "payment": (x * interbank_liabilities).tolist(), "recovery_rate": x.tolist(),
               "defaulted": (equity_after < 0).tolist(), "equity_after": equity_after.tolist()}
    else:
        for _ in range(args.repeat):
            start = time.perf_counter()
            h, equity_after, iterations = debtrank_linear(held, equity_before, shock * external_assets)
            timings.append(time.perf_counter() - start)
        out = {"model": args.model, "iterations": iterations, "id": ids.tolist(), "debtrank": h.tolist(),
               "defaulted": (h >= 1.0).tolist(), "equity_after": equity_after.tolist()}
    out["equity_before"] = equity_before.tolist()
    sys.stdout.write(json.dumps(out) + "\n")  # json.dumps runs the C encoder; json.dump does not
    print(f"algorithm_seconds={np.median(timings):.6f} iterations={iterations}", file=sys.stderr)


if __name__ == "__main__":
    main()
