"""tsukit.trace: simulated cell traces (api/tka_trace.h over run_trace,
the same simulation as `tsukit trace`)."""
import ctypes
import os
import tempfile

import numpy as np

from . import _lib
from ._check import number, ptr, real, view
from ._errors import InvalidArgument


class Trace:
    """One operating point of a simulated cell.

    t: time [n] (s); v: the output node [n] (V; for a categorical cell
    its first output line, all lines in ``lines`` [n_lines, n]); state:
    the digitised output [n] (uint8: pbit 0/1 with the measurement's
    thresholds, categorical the high line's index; None for gmm cells);
    figures: the measured figures by name (pbit: p1, tau_s, tau_flip_s,
    flips, energy_per_flip_J; categorical: p0..p3, tau_s, flips; gmm:
    mu0_V, ...); p1, tau (s), energy_per_flip (J): those figures (NaN
    where the kind has none); vctl: the controls (V); kind; vdd (V).
    """

    def __init__(self, t, lines, state, figures, vctl, kind, vdd):
        self.t = t
        self.lines = lines
        self.v = lines[0] if len(lines) else np.zeros(0)
        self.state = state
        self.figures = figures
        self.vctl = vctl
        self.kind = kind
        self.vdd = vdd

    p1 = property(lambda s: s.figures.get("p1", np.nan))
    tau = property(lambda s: s.figures.get("tau_s", np.nan))
    energy_per_flip = property(
        lambda s: s.figures.get("energy_per_flip_J", np.nan))

    def __repr__(self):
        return (f"Trace({self.kind}, vctl={self.vctl.tolist()}, "
                f"n={self.t.size}, p1={self.p1:.4g}, tau={self.tau:.4g} s)")


def trace(cell: str, vctl, time: float, engine: str = "ngspice",
          seed: int = 1, temp: float = 300.15, out=None, force=False):
    """Simulate shipped cell ``cell`` ("pbit", "cat4", "gmm2"; `tsukit
    cells` lists them) with physical device noise.

    vctl: control voltages in V -- a scalar or [n_points] for a
    one-control cell, [n_points, n_ctl] (or [n_ctl]) for several;
    time: simulated seconds per point, (0, 1e-2]; engine: "ngspice" or
    "native" (the physics/ Langevin solver); temp: K.  out: the trace
    file to write (HDF5, kind "trace"); None: a temporary file, removed
    after reading.  Returns a :class:`Trace` for one operating point, a
    list of them for several.
    """
    if engine not in ("ngspice", "native"):
        raise InvalidArgument(f"engine {engine!r}: 'ngspice' or 'native'")
    if not isinstance(cell, str):
        raise InvalidArgument(f"cell: {cell!r} is not a cell name")
    v = real(vctl, "vctl")
    if v.ndim > 2 or v.size == 0:
        raise InvalidArgument(f"vctl: shape {v.shape}, expected a scalar, "
                              "[n_points] or [n_points, n_ctl]")
    time = number(time, "time", 0, 1e-2)
    temp = number(temp, "temp", 0, 1000)
    flat = np.ascontiguousarray(v.ravel())
    tmp = None
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="tsukit-trace-")
        path = os.path.join(tmp.name, "trace.h5")
    else:
        path = os.fspath(out)
    h = ctypes.c_void_p()
    L = _lib.lib
    try:
        _lib.call(L.tka_trace_run, _lib.cstr(cell), ptr(flat),
                  ctypes.c_size_t(flat.size), time, temp,
                  int(engine == "native"), ctypes.c_uint64(seed),
                  _lib.cstr(path), int(bool(force)), ctypes.byref(h),
                  what="trace")
        try:
            res = _read(h)
        finally:
            L.tka_trace_free(h)
    finally:
        if tmp is not None:
            tmp.cleanup()
    n_ctl = len(flat) // len(res)
    for i, r in enumerate(res):
        r.vctl = flat[i * n_ctl:(i + 1) * n_ctl].copy()
    return res[0] if len(res) == 1 else res


def _read(h):
    """Copy every run out of the C result (it is freed after)."""
    L = _lib.lib
    kind = L.tka_trace_kind(h).decode()
    vdd = L.tka_trace_vdd_V(h)
    names = [L.tka_trace_fig_name(h, k).decode()
             for k in range(L.tka_trace_n_figs(h))]
    runs = []
    for r in range(L.tka_trace_runs(h)):
        n = ctypes.c_size_t()
        t = view(None, L.tka_trace_time(h, r, ctypes.byref(n)), (n.value,),
                 np.float64).copy()
        lines = []
        for k in range(L.tka_trace_n_lines(h, r)):
            a = L.tka_trace_line(h, r, k, ctypes.byref(n))
            lines.append(view(None, a, (n.value,), np.float64).copy())
        st = L.tka_trace_state(h, r, ctypes.byref(n))
        state = view(None, st, (n.value,), np.uint8).copy() if st else None
        figs = {nm: L.tka_trace_fig(h, r, k) for k, nm in enumerate(names)}
        runs.append(Trace(t, np.array(lines), state, figs, None, kind, vdd))
    return runs
