"""The package against the command line (version, device, trace), the
DTM calls, and Ctrl-C."""
import os
import signal
import threading
import time

import numpy as np
import pytest

import tsukit
from conftest import kv, run_cli


def test_version_matches_program():
    out = kv(run_cli("version").stdout)
    assert tsukit.__version__ == out["version"]


def test_device_equals_cli():
    vgs = np.array([0.213, 0.35, 0.52])
    op = tsukit.device("nmos", vgs, 0.4, temp=[300.0, 310.0, 330.0])
    assert op.id_A.shape == (3,)
    for i, (v, t) in enumerate(zip(vgs, [300.0, 310.0, 330.0])):
        out = kv(run_cli("device", "--vgs", v, "--vds", 0.4, "--temp",
                         t).stdout)
        for k in ("id_A", "gm_S", "gds_S", "vth_V", "shot_A2_per_Hz",
                  "thermal_A2_per_Hz"):
            assert float(out[k]) == pytest.approx(op[k][i], rel=1e-5), k
    # pmos: negative voltages, same magnitude of current sign convention
    p = tsukit.device("pmos", -0.4, -0.4)
    assert p.id_A.shape == () and np.isfinite(p.id_A)


def test_trace_equals_cli(tmp_path):
    tr = tsukit.trace("pbit", 0.1865, 4e-6, engine="native", seed=7)
    assert isinstance(tr, tsukit.Trace) and tr.kind == "pbit"
    n = tr.t.size
    assert n > 100 and tr.v.shape == (n,) and tr.state.shape == (n,)
    assert set(np.unique(tr.state)) <= {0, 1}
    # the state is the measurement's digitised output: its time average
    # is the measured P(1)
    assert abs(tr.state.mean() - tr.p1) < 0.01
    out = kv(run_cli("trace", "--cell", "pbit", "--vctl", 0.1865, "--time",
                     4e-6, "--engine", "native", "--seed", 7, "-o",
                     tmp_path / "t.h5").stdout)
    assert float(out["p1"]) == pytest.approx(tr.p1, rel=1e-5)
    assert float(out["tau_s"]) == pytest.approx(tr.tau, rel=1e-5)
    assert float(out["energy_per_flip_J"]) == \
        pytest.approx(tr.energy_per_flip, rel=1e-5)
    two = tsukit.trace("pbit", [0.184, 0.189], 1e-6, engine="native")
    assert len(two) == 2 and two[0].p1 < two[1].p1


def test_ctrl_c_stops_a_long_sample():
    chip = tsukit.Chip(graph="G12", L=70)
    # Python turns SIGINT into KeyboardInterrupt only when the process
    # did not inherit it ignored (a shell's background job, nohup, some
    # CI runners start with SIG_IGN); this test is about tsukit's stop,
    # so it installs Python's own handler for its duration
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    t0 = time.monotonic()
    timer.start()
    try:
        # about 14 minutes of sweeps if it were not stopped
        with pytest.raises(KeyboardInterrupt, match="stopped by Ctrl-C"):
            chip.sample(sweeps=10**6, chains=256, beta=0.5, threads=1)
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, old)
    assert time.monotonic() - t0 < 5
    # the chip is still usable
    assert chip.sample(sweeps=20, chains=64).recorded == 20


def test_dtm_train_sample_evaluate(tmp_path, fashion):
    small = dict(steps=2, L=44, sweeps=10, sweeps_pos=8, record=4,
                 train_limit=128, threads=1, seed=5)
    m = tmp_path / "m.h5"
    # a progress callback that asks to stop: no model file is left
    with pytest.raises(tsukit.Interrupted, match="interrupted"):
        tsukit.dtm.train(m, fashion, epochs=1, progress=lambda e, n, d: True,
                         **small)
    assert not m.exists() and not (tmp_path / "m.h5.partial").exists()
    calls = []
    r = tsukit.dtm.train(m, fashion, epochs=1,
                         progress=lambda e, n, d: calls.append((e, n, d)),
                         **small)
    assert r["epochs"] == 1 and calls and calls[-1] == (1, 1, 1.0)
    model = tsukit.dtm.load(m)
    assert (model.steps, model.L, model.graph) == (2, 44, "G12")
    assert model.pixels == "binary"
    s = model.sample(10, label="all", threads=1, out=tmp_path / "s.h5")
    assert s.images.shape == (10, 28, 28) and s.images.max() <= 1
    assert list(s.labels) == list(range(10))
    ev = tsukit.dtm.evaluate(model, s, fashion, clf_limit=1000,
                             test_limit=200, threads=1)
    assert ev["fd_tsukit"] > 0 and 0 <= ev["label_accuracy"] <= 1
    # resume refuses another shape, naming it
    with pytest.raises(tsukit.Error, match="G12"):
        tsukit.dtm.train(m, fashion, epochs=2, resume=True,
                         **{**small, "graph": "G8"})
