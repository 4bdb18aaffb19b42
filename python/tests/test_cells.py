"""CellLibrary against `tsukit predict` on the same library, its inverse,
and a chip on calibrated cells."""
import os

import numpy as np
import pytest

import tsukit
from conftest import kv, run_cli


def test_library_attributes(pbit_lib):
    lib = tsukit.CellLibrary(pbit_lib)
    assert lib.kind == "pbit" and lib.name == "pbit" and lib.n_states == 2
    assert np.allclose(lib.temps, [295, 300, 305])
    lo, hi = lib.control_range
    assert lo == pytest.approx(0.185) and hi == pytest.approx(0.188)
    assert lib.mismatch == {}          # calibrated without --mc
    v0 = lib.array("fit/v0_V")
    assert v0.shape == (3,) and np.all((v0 > 0.18) & (v0 < 0.19))
    assert lib.array("tau_s").shape == (3, 5)


@pytest.mark.parametrize("temp,vctl", [(302.0, 0.1865), (296.5, 0.1857),
                                       (300.0, 0.1872), (311.3, 0.1861)])
def test_predict_equals_cli(pbit_lib, temp, vctl):
    lib = tsukit.CellLibrary(pbit_lib)
    pr = lib.predict(vctl, temp)
    out = kv(run_cli("predict", "--cells", pbit_lib, "--cell", "pbit",
                     "--temp", temp, "--vctl", vctl).stdout)
    # the command prints 6 significant digits (%.6g)
    assert float(out["p1"]) == pytest.approx(float(pr.p1), rel=1e-5, abs=1e-9)
    assert float(out["tau_s"]) == pytest.approx(float(pr.tau), rel=1e-5)


def test_predict_vectorised_and_inverse(pbit_lib):
    lib = tsukit.CellLibrary(pbit_lib)
    v = np.linspace(0.185, 0.188, 7)
    pr = lib.predict(v[:, None], np.array([297.0, 303.0]))
    assert pr.p1.shape == (7, 2) and np.all(np.diff(pr.p1, axis=0) > 0)
    assert pr.p1[0, 0] == pytest.approx(float(lib.predict(v[0], 297.0).p1))
    target = np.array([0.1, 0.37, 0.5, 0.83])
    vc = lib.inverse(target, 301.0)
    assert np.allclose(lib.predict(vc, 301.0).p1, target, atol=1e-9)


def test_chip_on_calibrated_cells(pbit_lib):
    lib = tsukit.CellLibrary(pbit_lib)
    chip = tsukit.Chip(graph="G12", L=16, seed=2)
    s = chip.sample(sweeps=100, chains=64, beta=0.5, seed=2, cells=lib,
                    temp=300.0)
    assert s.states.shape == (256, 1) and np.all(np.abs(s.mean) <= 1)
    s2 = chip.sample(sweeps=100, chains=64, beta=0.5, seed=2, cells=lib,
                     temp=300.0)
    assert np.array_equal(s.states, s2.states)     # same seed, same chains
    with pytest.raises(tsukit.OutOfRange, match="400.00 K outside the calibrated"):
        chip.sample(sweeps=100, chains=64, cells=lib, temp=300.0,
                    design_temp=400.0)


# Two small libraries kept in tests/data (made by this tree's tsukit;
# each file's root attribute `command` holds its command line):
#   cat4_300K.h5  calibrate --cell cat4 --vdd 0.7 --vbias 0.6
#                 --vctl 0.329:0.335:3 --vbase 0.332 --temp 300
#                 --time 2e-6 --workers 2 --seed 3
#   pbit_mc3.h5   calibrate --cell pbit --vctl 0.185:0.188:5
#                 --temp 295,300,305 --time 4e-6 --seed 3 --workers 2 --mc 3
# (about 25 s and 35 s of CPU to make: too slow to remake in every run)
DATA = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data")


def test_categorical_library():
    lib = tsukit.CellLibrary(os.path.join(DATA, "cat4_300K.h5"))
    assert lib.kind == "categorical" and lib.n_states == 4
    assert np.allclose(lib.temps, [300.0])
    ctl = np.array([[0.332] * 4, [0.335, 0.329, 0.332, 0.330]])
    p = lib.predict(ctl, 300.0)
    assert p.shape == (2, 4) and np.allclose(p.sum(axis=1), 1)
    target = np.array([[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]])
    v = lib.inverse(target, 300.0)
    lo, hi = lib.control_range
    assert v.shape == (2, 4) and np.all((v >= lo) & (v <= hi))
    assert np.allclose(lib.predict(v, 300.0), target, atol=1e-6)
    assert lib.array("fit/a").shape == (1, 4)
    with pytest.raises(tsukit.OutOfRange, match="not a calibrated temp"):
        lib.predict(ctl, 310.0)
    with pytest.raises(tsukit.InvalidArgument, match=r"\[\.\.\., 4\]"):
        lib.predict([0.33, 0.33, 0.33], 300.0)
    with pytest.raises(tsukit.InvalidArgument, match="categorical cell"):
        tsukit.Chip(graph="G4", L=4).sample(cells=lib, temp=300.0)


def test_mismatch_arrays():
    path = os.path.join(DATA, "pbit_mc3.h5")
    lib = tsukit.CellLibrary(path)
    mm = lib.mismatch
    assert set(mm) == {"v0_V", "vs_V", "tau_s", "instance_v0_V",
                       "instance_vs_V", "instance_tau_s",
                       "instance_trip_shift_V"}
    assert mm["v0_V"].shape == (3,) and mm["instance_v0_V"].shape == (3, 3)
    # the spread is the standard deviation over the fitted instances
    i0 = mm["instance_v0_V"][0]
    assert mm["v0_V"][0] == pytest.approx(np.std(i0, ddof=1), rel=1e-6)
    out = kv(run_cli("predict", "--cells", path, "--cell", "pbit", "--temp",
                     299.3, "--vctl", 0.1868).stdout)
    assert float(out["p1"]) == pytest.approx(
        float(lib.predict(0.1868, 299.3).p1), rel=1e-5)


def test_measured_instances_and_trim():
    """pbit_mc3.h5's three instances on three isolated nodes (bias 0.3,
    beta 1, 300 K): untrimmed, node i samples instance i's own curve
    under the nominal mapping; trim=True, every node the ideal
    sigmoid(2 beta h), <s> = tanh(0.3); each within 4.5 standard errors
    + 0.002 (seed 3, 64 chains x 4000 sweeps)."""
    path = os.path.join(DATA, "pbit_mc3.h5")
    lib = tsukit.CellLibrary(path)
    chip = tsukit.Chip(n=3, edges=np.zeros((0, 2), dtype=np.int64),
                       weights=np.zeros(0), biases=np.full(3, 0.3))
    run = dict(sweeps=4000, chains=64, beta=1.0, seed=3, cells=lib,
               temp=300.0)
    s = chip.sample(trim=True, **run)
    assert np.all(np.abs(s.mean - np.tanh(0.3)) <= 4.5 * s.mean_se + 0.002)
    # untrimmed: a_i = 2 beta vs_nom / vs_i, b_i = (v0_nom - v0_i) / vs_i
    mm = lib.mismatch
    v0, vs = mm["instance_v0_V"][1], mm["instance_vs_V"][1]
    v0n, vsn = lib.array("fit/v0_V")[1], lib.array("fit/vs_V")[1]
    z = 2 * vsn / vs * 0.3 + (v0n - v0) / vs
    want = np.tanh(z / 2)
    u = chip.sample(**run)
    assert np.all(np.abs(u.mean - want) <= 4.5 * u.mean_se + 0.002)
    assert np.max(np.abs(u.mean - np.tanh(0.3))) > 0.5   # mismatch shows
    # the same as the command line's default
    assert np.array_equal(u.mean, chip.sample(mismatch="instances",
                                              **run).mean)
    with pytest.raises(tsukit.OutOfRange, match="spread is not defined"):
        chip.sample(mismatch="gaussian", **{**run, "temp": 302.0})
    with pytest.raises(tsukit.InvalidArgument, match="instances"):
        chip.sample(mismatch="gaussian", trim=True, **run)
    with pytest.raises(tsukit.InvalidArgument, match="one of"):
        chip.sample(mismatch="some", **run)
    with pytest.raises(tsukit.InvalidArgument, match="need calibrated"):
        chip.sample(trim=True, sweeps=100)
    with pytest.raises(tsukit.InvalidArgument, match="needs trim"):
        chip.sample(trim_lsb=1e-3, **run)
    # a 0.5 mV trim DAC: runs, and differs from the exact trim
    q = chip.sample(trim=True, trim_lsb=0.5e-3, **run)
    assert not np.array_equal(q.mean, s.mean)
