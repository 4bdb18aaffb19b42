"""Bad input from Python: a tsukit.Error naming the problem, never a
crash -- checked in Python first, and in C for the calls themselves."""
import ctypes

import numpy as np
import pytest

import tsukit
from tsukit import _lib


@pytest.mark.parametrize("kwargs,exc,match", [
    (dict(vgs=["a", "b"], vds=0.4), tsukit.InvalidArgument, "vgs: dtype"),
    (dict(vgs=[0.3, np.nan], vds=0.4), tsukit.InvalidArgument,
     r"vgs: element \(1,\) is nan"),
    (dict(vgs=[0.3, 0.4], vds=[0.1, 0.2, 0.3]), tsukit.InvalidArgument,
     "do not broadcast"),
    (dict(vgs=0.3 + 1j, vds=0.4), tsukit.InvalidArgument, "complex"),
    (dict(vgs=30.0, vds=0.4), tsukit.OutOfRange, r"\|V\| <= 10"),
])
def test_device_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match) as ei:
        tsukit.device("nmos", **kwargs)
    assert isinstance(ei.value, tsukit.Error) and ei.value.status > 0


def test_device_bad_kind():
    with pytest.raises(tsukit.InvalidArgument, match="nmos"):
        tsukit.device("bjt", 0.3, 0.4)


@pytest.mark.parametrize("kwargs,match", [
    (dict(edges=[[0.0, 1.0]], weights=[0.5]), "edges: dtype float64"),
    (dict(edges=[[0, 1, 2]], weights=[0.5]), r"edges: shape \(1, 3\)"),
    (dict(edges=[[0, 1]], weights=[np.nan]), "weights: element .* nan"),
    (dict(edges=[[0, 1]], weights=[0.5, 0.2]), r"weights: shape \(2,\)"),
    (dict(edges=[[0, 1]], weights=[0.5], biases=[0.1, np.inf, 0.0], n=3),
     "biases: element .* inf"),
    (dict(edges=[[0, 0]], weights=[0.5]), "self-loop"),
    (dict(edges=[[0, 1], [1, 0]], weights=[0.5, 0.1]), "duplicate"),
    (dict(edges=[[0, 5]], weights=[0.5], n=3), "out of range 0..2"),
    (dict(edges=[[-1, 2]], weights=[0.5]), r"edges: indices must be in 0..2\^32-1"),
    (dict(graph="G13", L=10), "G13"),
    (dict(graph="G12", L=1), "L = 1"),
    (dict(edges=[[0, 1]], weights=[0.5], nodes="qubit"), "qubit"),
])
def test_chip_bad_input(kwargs, match):
    with pytest.raises(tsukit.Error, match=match):
        tsukit.Chip(**kwargs)


@pytest.mark.parametrize("kwargs,match", [
    (dict(sweeps=5), "sweeps = 5"), (dict(chains=0), "chains = 0"),
    (dict(beta=float("nan")), "beta"), (dict(sweeps=2.5), "not an integer"),
    (dict(cells="nowhere.h5"), "name the cell"),
])
def test_sample_bad_input(kwargs, match):
    chip = tsukit.Chip(graph="G4", L=4)
    with pytest.raises(tsukit.Error, match=match) as ei:
        chip.sample(**kwargs)
    assert isinstance(ei.value, ValueError)


def test_missing_files(tmp_path):
    missing = tmp_path / "nope.h5"
    for call in (lambda: tsukit.CellLibrary(missing),
                 lambda: tsukit.dtm.load(missing)):
        with pytest.raises(tsukit.Error, match="nope.h5"):
            call()
    chip = tsukit.Chip(graph="G4", L=4)
    with pytest.raises(tsukit.Error, match="nope.h5"):
        chip.sample(cells=missing, cell="pbit", temp=300.0)


def test_wrong_file_kinds(tmp_path, pbit_lib):
    # a trace file is not a cell library; a cell library is not a model
    tsukit.trace("pbit", 0.1865, 2e-7, engine="native",
                 out=tmp_path / "t.h5")
    with pytest.raises(tsukit.FormatError, match="not a cell library.*trace"):
        tsukit.CellLibrary(tmp_path / "t.h5")
    with pytest.raises(tsukit.Error):
        tsukit.dtm.load(pbit_lib)
    (tmp_path / "junk.h5").write_text("not hdf5\n")
    with pytest.raises(tsukit.Error, match="junk.h5"):
        tsukit.CellLibrary(tmp_path / "junk.h5")


def test_library_bad_use(pbit_lib):
    lib = tsukit.CellLibrary(pbit_lib)
    with pytest.raises(tsukit.OutOfRange, match="outside the calibrated"):
        lib.predict(0.1865, 400.0)
    with pytest.raises(tsukit.InvalidArgument, match="vctl: element"):
        lib.predict([0.186, np.nan], 300.0)
    with pytest.raises(tsukit.OutOfRange, match=r"must be in \(0, 1\)"):
        lib.inverse([0.5, 1.5], 300.0)
    with pytest.raises(tsukit.NotFound, match="cell 'cat4' not in library"):
        tsukit.CellLibrary(pbit_lib, cell="cat4")
    chip = tsukit.Chip(edges=[[0, 1]], weights=[0.3], nodes="categorical")
    with pytest.raises(tsukit.InvalidArgument, match="spin nodes"):
        chip.sample(cells=lib, temp=300.0)


def test_trace_bad_input():
    with pytest.raises(tsukit.InvalidArgument, match="vctl: element"):
        tsukit.trace("pbit", np.nan, 1e-6, engine="native")
    with pytest.raises(tsukit.Error, match="nocell"):
        tsukit.trace("nocell", 0.18, 1e-6, engine="native")
    with pytest.raises(tsukit.InvalidArgument, match="engine"):
        tsukit.trace("pbit", 0.18, 1e-6, engine="spice3")


def test_c_side_checks_its_arguments():
    """The C functions refuse bad input themselves (a caller that skips
    the Python checks gets a status, not a crash)."""
    L = _lib.lib
    err = _lib.TkErr()
    nan = (ctypes.c_double * 1)(float("nan"))
    out = (ctypes.c_double * 14)()
    assert L.tka_device(0, 1, nan, nan, nan, out, ctypes.byref(err)) == 2
    assert b"finite" in err.msg
    h = ctypes.c_void_p()
    ei = (ctypes.c_uint32 * 1)(0)
    ej = (ctypes.c_uint32 * 1)(7)
    w = (ctypes.c_double * 1)(0.5)
    rc = L.tka_chip_edges(3, 1, ei, ej, w, None, ctypes.byref(h),
                          ctypes.byref(err))
    assert rc != 0 and not h.value
    assert L.tka_chip_edges(3, 1, None, None, None, None, ctypes.byref(h),
                            ctypes.byref(err)) == 1
    chip = tsukit.Chip(graph="G4", L=4)
    s = ctypes.c_void_p()
    rc = L.tka_chip_sample(chip._h, 7, 100, 0, 64, 1.0, 1, 0, None, None,
                           0.0, 0.0, 1e7, 0, None, None, None,
                           ctypes.byref(s), ctypes.byref(err))
    assert rc == 1 and b"node kind 7" in err.msg
    rc = L.tka_chip_sample(chip._h, 1, 100, 0, 64, 1.0, 1, 0, None, None,
                           0.0, 0.0, 1e7, 40, None, None, None,
                           ctypes.byref(s), ctypes.byref(err))
    assert rc == 2 and b"K = 40" in err.msg
    assert L.tka_cells_open(None, None, ctypes.byref(h), ctypes.byref(err)) \
        == 1
    assert L.tka_dtm_info(None, out, ctypes.byref(err)) == 1
    assert L.tka_trace_run(None, None, 0, 1e-6, 300.0, 1, 1, None, 0,
                           ctypes.byref(h), ctypes.byref(err)) == 1
    # free(NULL) is fine everywhere
    for f in (L.tka_chip_free, L.tka_samples_free, L.tka_cells_free,
              L.tka_trace_free, L.tka_dtm_samples_free):
        f(None)


def test_error_carries_status():
    with pytest.raises(tsukit.Error) as ei:
        tsukit.Chip(graph="G12", L=100000)
    e = ei.value
    assert e.status == 2 and e.status_name == "ERANGE"
    assert "L = 100000" in e.message and "[ERANGE]" in str(e)
    # a status from C: its message, the file's context
    with pytest.raises(tsukit.OutOfRange) as ei:
        tsukit.device("nmos", 0.3, 0.4, temp=2000.0)
    assert ei.value.status == 2 and "2000 K" in ei.value.message
