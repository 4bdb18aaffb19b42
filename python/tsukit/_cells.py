"""tsukit.CellLibrary: a calibrated cell library (api/tka_cells.h over
io/io_celllib, calibrate/cal_predict, cal_fit and cal_priority)."""
import collections
import ctypes
import os
import weakref

import numpy as np

from . import _lib
from ._check import ptr, real, view
from ._errors import InvalidArgument

Prediction = collections.namedtuple("Prediction", "p1 p1_err tau")
Prediction.__doc__ = """A pbit's prediction: P(1), its standard error and
the correlation time tau (s), arrays of the broadcast input shape."""

MISMATCH = ("v0_V", "vs_V", "tau_s", "instance_v0_V", "instance_vs_V",
            "instance_tau_s", "instance_trip_shift_V")


class CellLibrary:
    """A cell library written by `tsukit calibrate` / `characterize`
    (HDF5, root kind "cells"; schema in docs/ARCHITECTURE.md), opened
    once: later calls read no file.

    path: the library; cell: the cell's name (None: its only cell).

    Attributes: path, name, kind ("pbit", "categorical", "gmm"),
    n_states (K), temps (calibrated temperatures [nT], K),
    control_range ((lo, hi) V), mismatch (dict of the Monte-Carlo
    spread arrays: v0_V, vs_V, tau_s [nT], instance_* [nT, N]; empty
    without --mc).
    """

    def __init__(self, path, cell: str = None):
        if not isinstance(path, (str, bytes, os.PathLike)):
            raise InvalidArgument(f"path: {path!r} is not a file path")
        if cell is not None and not isinstance(cell, str):
            raise InvalidArgument(f"cell: {cell!r} is not a cell name")
        self.path = os.fspath(path)
        L = _lib.lib
        h = ctypes.c_void_p()
        _lib.call(L.tka_cells_open, _lib.cstr(self.path), _lib.cstr(cell),
                  ctypes.byref(h), what=f"CellLibrary({self.path!r})")
        self._h = h
        self._fin = weakref.finalize(self, L.tka_cells_free, h)
        self.name = L.tka_cells_name(h).decode()
        self.kind = L.tka_cells_kind(h).decode()
        self.n_states = L.tka_cells_n_states(h)
        n = ctypes.c_size_t()
        self.temps = view(self, L.tka_cells_temps(h, ctypes.byref(n)),
                          (n.value,), np.float64).copy()
        lo, hi = ctypes.c_double(), ctypes.c_double()
        L.tka_cells_control_range(h, ctypes.byref(lo), ctypes.byref(hi))
        self.control_range = (lo.value, hi.value)
        self.mismatch = {}
        for k in MISMATCH:
            a = self.array("mismatch/" + k)
            if a is not None:
                self.mismatch[k] = a

    def array(self, name: str):
        """A dataset of the cell by its path under /cells/<name>/ (those
        listed in api/tka_cells.h: "fit/v0_V", "tau_s", "mismatch/v0_V",
        ...) as a float64 array (a copy), or None if absent."""
        dims = (ctypes.c_size_t * 2)()
        a = _lib.lib.tka_cells_array(self._h, _lib.cstr(name), dims)
        if not a:
            return None
        arr = view(self, a, (dims[0], dims[1]), np.float64).copy()
        return arr[:, 0] if name.startswith(("fit/v0", "fit/vs", "fit/tau",
                                             "mismatch/v0", "mismatch/vs",
                                             "mismatch/tau")) else arr

    @staticmethod
    def _broadcast(x, temp, K, name):
        """x [..., K] (K None: [...]) and temp broadcast against each
        other: (x as C-contiguous [n(, K)], temp [n], the leading shape)."""
        t = real(temp, "temp")
        lead = x.shape if K is None else x.shape[:-1]
        try:
            shape = np.broadcast_shapes(lead, t.shape)
        except ValueError:
            raise InvalidArgument(f"{name}, temp: shapes {lead}, {t.shape} "
                                  "do not broadcast") from None
        full = shape if K is None else shape + (K,)
        xb = np.ascontiguousarray(np.broadcast_to(x, full)).reshape(
            (-1,) if K is None else (-1, K))
        tb = np.ascontiguousarray(np.broadcast_to(t, shape)).ravel()
        return xb, tb, shape

    def predict(self, vctl, temp):
        """pbit: P(1), its error and tau at control vctl (V) and chip
        temperature temp (K) from the fitted temperature model -- the
        numbers `tsukit predict` prints; vctl and temp broadcast; returns
        :class:`Prediction`.  categorical: vctl [..., K] control vectors
        at a calibrated temperature -> P(state) [..., K] (the fitted
        priority-encoder or softmax model)."""
        L = _lib.lib
        if self.kind == "pbit":
            v, t = real(vctl, "vctl"), real(temp, "temp")
            try:
                v, t = np.broadcast_arrays(v, t)
            except ValueError:
                raise InvalidArgument(f"vctl, temp: shapes {v.shape}, "
                                      f"{t.shape} do not broadcast") from None
            shape = v.shape
            v, t = (np.ascontiguousarray(x.ravel()) for x in (v, t))
            p1, pe, tau = (np.empty(v.size) for _ in range(3))
            _lib.call(L.tka_cells_predict, self._h, ctypes.c_size_t(v.size),
                      ptr(v), ptr(t), ptr(p1), ptr(pe), ptr(tau),
                      what="predict")
            return Prediction(p1.reshape(shape), pe.reshape(shape),
                              tau.reshape(shape))
        if self.kind != "categorical":
            # the C call names the kind (TK_EUNSUPPORTED)
            one = np.zeros(1)
            _lib.call(L.tka_cells_predict, self._h, ctypes.c_size_t(1),
                      ptr(one), ptr(one), ptr(np.zeros(1)), None, None,
                      what="predict")
        K = self.n_states
        v = real(vctl, "vctl")
        if v.ndim < 1 or v.shape[-1] != K:
            raise InvalidArgument(f"vctl: shape {v.shape}, a {K}-state "
                                  f"categorical cell takes [..., {K}] "
                                  "control vectors")
        vb, t, shape = self._broadcast(v, temp, K, "vctl")
        p = np.empty(vb.shape)
        _lib.call(L.tka_cells_predict, self._h, ctypes.c_size_t(t.size),
                  ptr(vb), ptr(t), ptr(p), None, None, what="predict")
        return p.reshape(shape + (K,))

    def inverse(self, p, temp):
        """The control voltages (V) that give a target: pbit P(1) in
        (0, 1) -> vctl (the temperature model's logistic inverted);
        categorical P [..., K] (each > 0) -> vctl [..., K] inside the
        calibrated control range, at a calibrated temperature."""
        L = _lib.lib
        q = real(p, "p")
        K = None
        if self.kind == "categorical":
            K = self.n_states
            if q.ndim < 1 or q.shape[-1] != K:
                raise InvalidArgument(f"p: shape {q.shape}, a {K}-state "
                                      f"categorical cell takes [..., {K}] "
                                      "target distributions")
        qb, t, shape = self._broadcast(q, temp, K, "p")
        out = np.empty(qb.shape)
        _lib.call(L.tka_cells_inverse, self._h, ctypes.c_size_t(t.size),
                  ptr(qb), ptr(t), ptr(out), what="inverse")
        return out.reshape(shape if K is None else shape + (K,))

    def __repr__(self):
        return (f"CellLibrary({self.path!r}, cell={self.name!r}, "
                f"kind={self.kind!r}, temps={self.temps.tolist()})")
