"""CellLibrary against `tsukit predict` on the same library, its inverse,
and a chip on calibrated cells."""
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
