"""Argument checks done in Python before any C call (the C side checks
again), and NumPy views over memory the C library owns."""
import ctypes

import numpy as np

from ._errors import InvalidArgument, OutOfRange


def real(x, name: str, *, ndim=None, shape=None, finite=True) -> np.ndarray:
    """x as a C-contiguous float64 array: real numbers only (bool, complex,
    strings and objects are refused), the given rank / shape, finite."""
    try:
        a = np.asarray(x)
    except Exception as e:  # ragged lists and the like
        raise InvalidArgument(f"{name}: not an array of numbers ({e})")
    if a.dtype.kind not in "fiu":
        raise InvalidArgument(f"{name}: dtype {a.dtype} is not real numbers "
                              "(pass float64, or integers)")
    a = np.asarray(a, dtype=np.float64, order="C")  # 0-d stays 0-d
    _shape(a, name, ndim, shape)
    if finite and a.size and not np.all(np.isfinite(a)):
        bad = np.flatnonzero(~np.isfinite(a.ravel()))[0]
        idx = np.unravel_index(bad, a.shape) if a.ndim > 1 else (bad,)
        raise InvalidArgument(f"{name}: element {tuple(int(i) for i in idx)} "
                              f"is {a.ravel()[bad]} (NaN or infinite)")
    return a


def index(x, name: str, *, ndim=None, shape=None) -> np.ndarray:
    """x as a C-contiguous uint32 array of non-negative integers."""
    try:
        a = np.asarray(x)
    except Exception as e:
        raise InvalidArgument(f"{name}: not an array of integers ({e})")
    if a.dtype.kind not in "iu":
        raise InvalidArgument(f"{name}: dtype {a.dtype} is not integers "
                              "(node indices)")
    _shape(a, name, ndim, shape)
    if a.size and (a.min() < 0 or a.max() > 0xFFFFFFFF):
        raise InvalidArgument(f"{name}: indices must be in 0..2^32-1 "
                              f"(found {a.min()}..{a.max()})")
    return np.asarray(a, dtype=np.uint32, order="C")


def _shape(a, name, ndim, shape):
    if ndim is not None and a.ndim != ndim:
        raise InvalidArgument(f"{name}: shape {a.shape} has {a.ndim} "
                              f"dimensions, expected {ndim}")
    if shape is not None:
        want = tuple(shape)
        if len(want) != a.ndim or any(w is not None and w != s
                                      for w, s in zip(want, a.shape)):
            txt = "(" + ", ".join("*" if w is None else str(w)
                                  for w in want) + ")"
            raise InvalidArgument(f"{name}: shape {a.shape}, expected {txt}")


def integer(x, name: str, lo: int, hi: int) -> int:
    """An int in [lo, hi] (bools and floats refused)."""
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise InvalidArgument(f"{name}: {x!r} is not an integer")
    if not lo <= int(x) <= hi:
        raise OutOfRange(f"{name} = {x} must be in {lo}..{hi}")
    return int(x)


def number(x, name: str, lo=-np.inf, hi=np.inf) -> float:
    """A finite float in [lo, hi]."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer,
                                                 np.floating)):
        raise InvalidArgument(f"{name}: {x!r} is not a number")
    v = float(x)
    if not np.isfinite(v):
        raise InvalidArgument(f"{name} = {v} is not finite")
    if not lo <= v <= hi:
        raise OutOfRange(f"{name} = {v} must be in [{lo}, {hi}]")
    return v


def ptr(a: np.ndarray, ctype=ctypes.c_double):
    """A ctypes pointer to a's data (None for None)."""
    if a is None:
        return None
    return a.ctypes.data_as(ctypes.POINTER(ctype))


class CBuffer:
    """Memory owned by a C object, shown to NumPy without a copy: the
    array's .base is this object, which keeps ``owner`` (whose finaliser
    frees the memory) alive as long as any view of it exists."""

    def __init__(self, owner, address: int, shape, dtype, readonly=True):
        self.owner = owner
        self.address = address
        self.__array_interface__ = {
            "data": (address, readonly), "shape": tuple(int(s) for s in shape),
            "typestr": np.dtype(dtype).str, "version": 3}


def view(owner, address, shape, dtype, readonly=True) -> np.ndarray:
    """np.ndarray over C memory at address (see CBuffer); an empty array
    for a NULL address with zero size."""
    if not address:
        return np.zeros(shape, dtype=dtype)
    return np.asarray(CBuffer(owner, address, shape, dtype, readonly))
