"""tsukit from Python: a NumPy-native layer over the installed libtsukit.

ctypes over the library's flat C API (api/tka*.h); no compiled extension.
SI units everywhere (V, s, K, J); arrays in and out are NumPy arrays.

    import tsukit
    tsukit.device("nmos", vgs=np.linspace(0, 0.6, 61), vds=0.4, temp=300)
    tr = tsukit.trace("pbit", 0.1865, 2e-6, engine="native")
    lib = tsukit.CellLibrary("cells.h5")
    lib.predict(0.1865, 302.0).p1
    chip = tsukit.Chip(graph="G12", L=70)
    s = chip.sample(sweeps=1000, chains=256, beta=1.0, seed=1)
    s.states, s.mean, s.corr
    tsukit.dtm.load("model.h5").sample(20, label=3)

Errors raise tsukit.Error subclasses carrying the C status code and the
message.  The GIL is released during every C call (ctypes does this);
Chip.sample and dtm.train stop cleanly on Ctrl-C (KeyboardInterrupt, no
partial file).  The package finds the libtsukit it was built with
(_config.LIBRARY): the build tree's with PYTHONPATH=BUILD/python, the
installed one after `make install`.
"""
from . import _lib
from ._errors import (AlreadyExists, Error, FormatError, InternalError,
                      Interrupted, InvalidArgument, IOFailure, NotFound,
                      NumericalError, OutOfMemory, OutOfRange, SpiceError,
                      Unsupported)
from ._device import device
from ._trace import Trace, trace
from ._cells import CellLibrary, Prediction
from ._chip import Chip, Samples
from . import dtm

__version__ = _lib.lib.tka_version().decode()
if __version__ != _lib._config.VERSION:
    raise ImportError(f"tsukit: package {_lib._config.VERSION} but library "
                      f"{__version__} at {_lib._config.LIBRARY}")

#: the C library this package uses, and the tsukit program beside it
library_path = _lib._config.LIBRARY
program_path = _lib._config.PROGRAM

__all__ = ["device", "trace", "Trace", "CellLibrary", "Prediction", "Chip",
           "Samples", "dtm", "Error", "InvalidArgument", "OutOfRange",
           "OutOfMemory", "IOFailure", "FormatError", "NotFound",
           "AlreadyExists", "NumericalError", "SpiceError", "Interrupted",
           "Unsupported", "InternalError", "__version__"]
