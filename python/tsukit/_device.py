"""tsukit.device: the EKV MOSFET at many bias points (api/tka_device.h,
physics/phys_mosfet.h)."""
import ctypes

import numpy as np

from . import _lib
from ._check import ptr, real
from ._errors import InvalidArgument

COLUMNS = tuple(_lib.lib.tka_device_column(k).decode()
                for k in range(14))


class DeviceOP(dict):
    """The operating points: a dict of float64 arrays of the broadcast
    shape of the inputs, keyed by the names `tsukit device` prints
    (``id_A``, ``gm_S``, ``gds_S``, ``gms_S``, ``n``, ``ut_V``, ``vth_V``,
    ``is_A``, ``i_f_A``, ``i_r_A``, ``shot_A2_per_Hz``,
    ``channel_A2_per_Hz``, ``gamma``, ``thermal_A2_per_Hz``); also
    readable as attributes (``op.id_A``)."""

    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError:
            raise AttributeError(k) from None


def device(kind: str, vgs, vds, temp=300.15) -> DeviceOP:
    """The EKV model of the default 45 nm-class device, source and bulk
    grounded, vectorised.

    kind: ``"nmos"`` or ``"pmos"`` (pmos takes negative vgs / vds);
    vgs, vds: gate-source and drain-source voltages in V (|V| <= 10);
    temp: temperature in K (0, 1000].  vgs, vds and temp broadcast
    against each other (NumPy rules); every output has that shape.
    """
    if kind not in ("nmos", "pmos"):
        raise InvalidArgument(f"kind {kind!r}: expected 'nmos' or 'pmos'")
    a, b, t = (real(x, n) for x, n in ((vgs, "vgs"), (vds, "vds"),
                                        (temp, "temp")))
    try:
        a, b, t = np.broadcast_arrays(a, b, t)
    except ValueError:
        raise InvalidArgument(f"vgs, vds, temp: shapes {a.shape}, {b.shape}"
                              f", {t.shape} do not broadcast") from None
    shape = a.shape
    a, b, t = (np.ascontiguousarray(x.ravel()) for x in (a, b, t))
    out = np.empty((a.size, len(COLUMNS)))
    _lib.call(_lib.lib.tka_device, int(kind == "pmos"), ctypes.c_size_t(a.size),
              ptr(a), ptr(b), ptr(t), ptr(out), what="device")
    return DeviceOP({k: out[:, i].reshape(shape).copy()
                     for i, k in enumerate(COLUMNS)})
