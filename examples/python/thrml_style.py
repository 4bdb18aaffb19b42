#!/usr/bin/env python3
"""A model written the way thrml users write one -- node lists, edge
lists, weight and bias arrays -- sampled by tsukit, its moments set
beside the exact values from enumeration.

    PYTHONPATH=BUILD/python python3 examples/python/thrml_style.py

thrml builds an Ising EBM from nodes, edges, biases and weights
(E(s) = -beta (sum_i b_i s_i + sum_(ij) J_ij s_i s_j)) and samples it by
block Gibbs over a colouring; tsukit.Chip takes the same arrays and runs
them on its chip simulator's kernels (the same convention,
docs/ARCHITECTURE.md).  Two models: 12 spins on a 3x4 lattice with
diagonals, and 4 categorical (Potts, K = 3) nodes on a ring.
"""
import itertools
import time

import numpy as np

import tsukit


def table(title, names, got, se, exact):
    print(title)
    print(f"  {'moment':12s} {'tsukit':>9s} {'+-':>7s} {'exact':>9s} "
          f"{'z':>6s}")
    for n, g, s, e in zip(names, got, se, exact):
        print(f"  {n:12s} {g:9.4f} {s:7.4f} {e:9.4f} {(g - e) / s:6.2f}")


def ising():
    # nodes 0..11 on a 3 x 4 lattice: right, down and one diagonal
    nodes = list(range(12))
    edges = [(r * 4 + c, r * 4 + c + 1) for r in range(3) for c in range(3)]
    edges += [(r * 4 + c, (r + 1) * 4 + c) for r in range(2) for c in range(4)]
    edges += [(r * 4 + c, (r + 1) * 4 + c + 1) for r in range(2)
              for c in range(3)]
    rng = np.random.default_rng(7)
    weights = rng.normal(0.0, 0.45, len(edges))
    biases = rng.normal(0.0, 0.25, len(nodes))
    beta = 0.9

    chip = tsukit.Chip(edges=np.array(edges), weights=weights, biases=biases)
    t0 = time.monotonic()
    s = chip.sample(sweeps=20000, chains=256, beta=beta, seed=1)
    t = time.monotonic() - t0

    E = np.array(edges)
    S = np.array(list(itertools.product([-1, 1], repeat=12)), float)
    energy = -(S @ biases) - ((S[:, E[:, 0]] * S[:, E[:, 1]]) @ weights)
    p = np.exp(-beta * (energy - energy.min()))
    p /= p.sum()
    table(f"Ising, 12 spins, {len(edges)} edges, beta {beta}: "
          f"{s.recorded} sweeps x {s.chains} chains in {t:.2f} s "
          f"({s.kernel} kernel)", [f"<s_{i}>" for i in nodes], s.mean,
          s.mean_se, p @ S)
    table("  edge correlations", [f"<s_{i} s_{j}>" for i, j in edges[:8]],
          s.corr[:8], s.corr_se[:8], (p @ (S[:, E[:, 0]] * S[:, E[:, 1]]))[:8])


def potts():
    K = 3
    edges = np.array([[0, 1], [1, 2], [2, 3], [3, 0]])
    weights = np.array([0.8, -0.4, 0.6, 0.3])
    biases = np.array([[0.0, 0.5, -0.2], [0.3, 0.0, 0.0],
                       [-0.4, 0.2, 0.1], [0.0, -0.3, 0.6]])
    beta = 1.0
    chip = tsukit.Chip(edges=edges, weights=weights, biases=biases,
                       nodes="categorical")
    s = chip.sample(sweeps=20000, chains=128, beta=beta, seed=2)
    X = np.array(list(itertools.product(range(K), repeat=4)))
    same = (X[:, edges[:, 0]] == X[:, edges[:, 1]]).astype(float)
    energy = -(same @ weights) - sum(biases[i, X[:, i]] for i in range(4))
    p = np.exp(-beta * (energy - energy.min()))
    p /= p.sum()
    occ = np.array([[p[X[:, i] == k].sum() for k in range(K)]
                    for i in range(4)])
    names = [f"P(x_{i}={k})" for i in range(4) for k in range(K)]
    table(f"Potts, 4 nodes, K = {K}: {s.recorded} sweeps x {s.chains} chains",
          names, s.mean.ravel(), s.mean_se.ravel(), occ.ravel())


if __name__ == "__main__":
    t0 = time.monotonic()
    ising()
    potts()
    print(f"total {time.monotonic() - t0:.1f} s")
