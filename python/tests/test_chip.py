"""Chips sampled from Python against exact enumeration, and the state
buffer's ownership.

Statistics: fixed seeds; every moment's error bar is the batch-means
standard error over 20 batches (tsu_moments.h).  A check fails when
|sampled - exact| > 5 sigma + 0.002 (the floor covers the fast kernel's
fixed-point field, < 1e-4 in P(1), and batch-means error bars that are
themselves uncertain by ~ 1/sqrt(20)); with ~40 moments per test and
Gaussian errors the false-alarm rate is < 1e-4."""
import gc
import itertools
import os

import numpy as np
import pytest

import tsukit

Z = 5.0
FLOOR = 0.002


def check_moments(name, got, se, exact):
    got, se, exact = (np.asarray(x, float).ravel() for x in (got, se, exact))
    z = np.abs(got - exact) / (se + FLOOR / Z)
    worst = int(np.argmax(z))
    assert z[worst] < Z, (f"{name}[{worst}]: sampled {got[worst]:.5f}, "
                          f"exact {exact[worst]:.5f}, sigma {se[worst]:.5f}, "
                          f"z {z[worst]:.2f}")


def spin_model():
    # 10 spins: a ring plus chords, "high-entropy" couplings and biases
    rng = np.random.default_rng(20261206)
    ring = [(i, (i + 1) % 10) for i in range(10)]
    chords = [(0, 5), (1, 7), (2, 8), (3, 6), (4, 9)]
    edges = np.array(ring + chords, dtype=np.int64)
    J = rng.uniform(-0.85, 0.85, len(edges)).round(4)
    h = rng.uniform(-0.4, 0.4, 10).round(4)
    return edges, J, h


def test_spin_10_vs_exact():
    edges, J, h = spin_model()
    beta = 0.731
    chip = tsukit.Chip(edges=edges, weights=J, biases=h)
    s = chip.sample(sweeps=4000, chains=256, beta=beta, seed=11, burn_in=200)
    # exact: all 1024 states, E = -sum h s - sum J s_i s_j
    S = np.array(list(itertools.product([-1, 1], repeat=10)), float)
    E = -(S @ h) - np.sum(J * S[:, edges[:, 0]] * S[:, edges[:, 1]], axis=1)
    w = np.exp(-beta * (E - E.min()))
    w /= w.sum()
    m = w @ S
    c = w @ (S[:, edges[:, 0]] * S[:, edges[:, 1]])
    check_moments("<s_i>", s.mean, s.mean_se, m)
    check_moments("<s_i s_j>", s.corr, s.corr_se, c)
    assert s.kind == "spin" and s.recorded == 4000


def test_categorical_3_vs_exact():
    # 3 nodes, K = 3 states, a triangle; Potts E = -sum J [s_i = s_j]
    # - sum h_i(s_i) (docs/ARCHITECTURE.md, conventions)
    edges = np.array([[0, 1], [1, 2], [0, 2]])
    J = np.array([0.913, -0.574, 0.331])
    hk = np.array([[0.0, 0.417, -0.283],
                   [0.236, -0.151, 0.0],
                   [-0.362, 0.0, 0.528]])
    beta = 1.13
    chip = tsukit.Chip(edges=edges, weights=J, biases=hk,
                       nodes="categorical")
    assert chip.K == 3
    s = chip.sample(sweeps=4000, chains=200, beta=beta, seed=5, burn_in=100)
    X = np.array(list(itertools.product(range(3), repeat=3)))
    eq = (X[:, edges[:, 0]] == X[:, edges[:, 1]]).astype(float)
    E = -(eq @ J) - sum(hk[i, X[:, i]] for i in range(3))
    w = np.exp(-beta * (E - E.min()))
    w /= w.sum()
    occ = np.array([[w[X[:, i] == k].sum() for k in range(3)]
                    for i in range(3)])
    check_moments("P(s_i = k)", s.mean, s.mean_se, occ)
    check_moments("P(s_i = s_j)", s.corr, s.corr_se, w @ eq)
    assert s.states.dtype == np.uint8 and s.states.shape == (200, 3)
    assert s.states.max() <= 2


def test_continuous_3_vs_exact():
    edges = np.array([[0, 1], [1, 2], [0, 2]])
    J = np.array([0.412, -0.287, 0.193])
    h = np.array([0.318, -0.561, 0.147])
    a = np.array([1.37, 1.22, 1.51])
    beta = 0.87
    chip = tsukit.Chip(edges=edges, weights=J, biases=h, nodes="continuous",
                       self_coupling=a)
    s = chip.sample(sweeps=4000, chains=128, beta=beta, seed=9)
    P = np.diag(a)
    for (i, j), w in zip(edges, J):
        P[i, j] = P[j, i] = -w
    mu = np.linalg.solve(P, h)
    cov = np.linalg.inv(beta * P)
    corr = [cov[i, j] + mu[i] * mu[j] for i, j in edges]
    check_moments("<x_i>", s.mean, s.mean_se, mu)
    check_moments("<x_i x_j>", s.corr, s.corr_se, corr)


def test_states_are_the_c_buffer():
    chip = tsukit.Chip(graph="G12", L=70, seed=3)
    s = chip.sample(sweeps=20, chains=1024, beta=0.5, seed=2, burn_in=0)
    st = s.states
    # the kernel's packed words: [n, ceil(chains / 64)] uint64, 627 kB
    # (an unpacked int8 copy would be 5 MB)
    assert st.shape == (4900, 16) and st.dtype == np.uint64
    assert not st.flags.owndata and not st.flags.writeable
    base = st.base
    assert isinstance(base, tsukit._check.CBuffer) and base.owner is s
    # the same address as the C library's own pointer, no copy
    import ctypes
    dims = (ctypes.c_size_t * 2)()
    es = ctypes.c_size_t()
    addr = tsukit._lib.lib.tka_samples_states(s._h, dims, ctypes.byref(es))
    assert st.__array_interface__["data"][0] == addr
    assert (dims[0], dims[1], es.value) == (4900, 16, 8)
    # unpacking agrees with the bits; moments are C memory too
    sp = s.spins()
    assert sp.shape == (1024, 4900)
    bit = (st[:, 0] & np.uint64(1)).astype(np.int8) * 2 - 1
    assert np.array_equal(sp[0], bit)
    assert not s.mean.flags.owndata
    # the view keeps the run alive after the Samples object is dropped
    copy = st.copy()
    del s, base
    gc.collect()
    assert np.array_equal(st, copy)


def test_grid_model_and_spin_moments():
    chip = tsukit.Chip(graph="G4", L=5, seed=4)
    e, w, h = chip.model()
    assert e.shape == (chip.n_edges, 2) and chip.n == 25 and chip.colors == 2
    assert np.all(np.abs(w) <= 1) and np.all(np.abs(h) <= 0.1)
    s = chip.sample(sweeps=100, chains=64, beta=0.0, seed=1)
    # beta = 0: independent fair spins
    assert abs(float(s.mean.mean())) < 0.05


CAT4 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "tests", "data", "cat4_300K.h5")


def _mixed_exact(kinds, K, edges, w, h, beta):
    """Exact node and edge moments of a small spin/categorical graph by
    enumeration (the energy of tsu/tsu_mixed.h)."""
    n = len(kinds)
    ranges = [range(K) if k == "categorical" else (-1, 1) for k in kinds]

    def u(i, v):
        return float(v == 1) if kinds[i] == "categorical" else float(v)

    def feat(i, j, v):
        if kinds[i] == kinds[j] == "categorical":
            return float(v[i] == v[j])
        return u(i, v[i]) * u(j, v[j])

    mean = np.zeros((n, K))
    corr = np.zeros(len(edges))
    Z_ = 0.0
    for v in itertools.product(*ranges):
        E = -sum(w[e] * feat(i, j, v) for e, (i, j) in enumerate(edges))
        E -= sum(h[i] * u(i, v[i]) for i in range(n))
        p = np.exp(-beta * E)
        Z_ += p
        for i in range(n):
            if kinds[i] == "categorical":
                mean[i, v[i]] += p
            else:
                mean[i, 0] += p * v[i]
        for e, (i, j) in enumerate(edges):
            corr[e] += p * feat(i, j, v)
    return mean / Z_, corr / Z_


def test_mixed_graph_exact():
    # 6 nodes, spin and categorical (K = 3): moments against enumeration
    # of the 2^3 3^3 = 216 states (Z sigma + FLOOR, as above)
    kinds = ["spin", "categorical", "spin", "categorical", "categorical",
             "spin"]
    edges = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [0, 5], [1, 4]]
    w = [0.83, -0.61, 1.12, 0.47, -0.92, 0.38, 0.71]
    h = [0.21, -0.33, 0.15, 0.42, -0.27, 0.09]
    chip = tsukit.Chip(edges=edges, weights=w, biases=h, nodes=kinds, K=3)
    assert chip.node_kind == "mixed" and chip.K == 3
    s = chip.sample(sweeps=3000, chains=64, beta=0.9, seed=7)
    assert s.kind == "mixed" and s.kernel == "mixed-reference"
    assert s.mean.shape == (6, 3) and s.states.shape == (64, 6)
    mean, corr = _mixed_exact(kinds, 3, edges, w, h, 0.9)
    assert np.all(np.abs(s.mean - mean) <= Z * s.mean_se + FLOOR), \
        (s.mean, mean)
    assert np.all(np.abs(s.corr - corr) <= Z * s.corr_se + FLOOR), \
        (s.corr, corr)
    cat = np.array([k == "categorical" for k in kinds])
    assert set(np.unique(s.states[:, ~cat])) <= {-1.0, 1.0}
    assert set(np.unique(s.states[:, cat])) <= {0.0, 1.0, 2.0}
    assert s.map_updates == 0


def test_mixed_node_kinds_and_calibrated_cells(pbit_lib):
    kinds = ["spin"] * 5 + ["categorical"] * 3 + ["continuous"] * 2
    chip = tsukit.Chip(edges=[[0, 5], [5, 8], [8, 9]],
                       weights=[0.5, 0.3, 0.2], n=10, nodes=kinds, K=4)
    s = chip.sample(sweeps=40, chains=8, seed=3)
    assert s.mean.shape == (10, 4)
    with pytest.raises(tsukit.InvalidArgument, match="kinds for"):
        tsukit.Chip(edges=[[0, 1]], weights=[0.5], n=3,
                    nodes=["spin", "continuous"])
    with pytest.raises(tsukit.InvalidArgument, match="unknown kind"):
        tsukit.Chip(edges=[[0, 1]], weights=[0.5], nodes=["spin", "ising"])
    # calibrated cat4 cells on the categorical nodes (tests/data fixture)
    cat4 = tsukit.CellLibrary(CAT4)
    s = chip.sample(sweeps=40, chains=8, seed=3, cells=cat4, temp=300.0,
                    beta=0.3, clip=True)
    assert s.map_updates > 0 and 0 <= s.map_dev_mean <= s.map_dev_max
    with pytest.raises(tsukit.OutOfRange, match="calibrated span"):
        chip.sample(sweeps=40, chains=8, cells=cat4, temp=350.0)
    # what stays unsupported: calibrated pbits in a mixed graph
    with pytest.raises(tsukit.Unsupported, match="mixed graph"):
        chip.sample(sweeps=40, chains=8, cells=tsukit.CellLibrary(pbit_lib),
                    temp=300.0)
