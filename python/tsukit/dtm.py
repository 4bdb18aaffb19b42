"""tsukit.dtm: the Denoising Thermodynamic Model (api/tka_dtm.h over
run/run_dtm.h: the same runs as `tsukit dtm train|sample|eval`).

    model = tsukit.dtm.train("m.h5", steps=2, L=44, epochs=1,
                             train_limit=256, progress=print)
    s = tsukit.dtm.load("m.h5").sample(20, label=3)
    s.images            # uint8 [20, 28, 28]
    tsukit.dtm.evaluate("m.h5", s.path)
    tsukit.dtm.train("g.h5", pixels="cat4", ...)   # four gray levels

Every trained model file holds a per-epoch training log (/training:
FD-tsukit, label accuracy, autocorrelation, penalty; `tsukit plot m.h5`
draws it).

Files are HDF5 with provenance, committed by rename: an interrupted
training keeps its last whole epoch in the model file.
"""
import ctypes
import os
import tempfile

import numpy as np

from . import _lib
from ._check import integer, number, view
from ._errors import InvalidArgument

_GRAPHS = {1: "G4", 2: "G8", 3: "G12", 4: "G16", 5: "G20", 6: "G24"}
_TRAIN_KEYS = ("epochs", "wall_s", "images_per_s", "flips_per_ns",
               "autocorr", "acp_lambda_max")
_EVAL_KEYS = ("fd_tsukit", "fd_marginal_baseline", "fd_data",
              "label_accuracy", "autocorr", "clf_test_accuracy")


def _levels(pixels):
    """"binary" -> 0, "catK" -> K (2..16)."""
    if pixels == "binary":
        return 0
    if isinstance(pixels, str) and pixels.startswith("cat") and \
            pixels[3:].isdigit() and 2 <= int(pixels[3:]) <= 16:
        return int(pixels[3:])
    raise InvalidArgument(f"pixels: {pixels!r} is not binary or cat2..cat16")


def _path(p, name):
    if not isinstance(p, (str, bytes, os.PathLike)):
        raise InvalidArgument(f"{name}: {p!r} is not a file path")
    return os.fspath(p)


def train(out, data: str = "fashion-mnist", *, steps: int = 4,
          graph: str = "G12", L: int = 70, epochs: int = 1,
          sweeps: int = 250, sweeps_pos: int = 50, record: int = 16,
          batch: int = 64, train_limit: int = 0, seed: int = 1,
          threads: int = 0, resume: bool = False, force: bool = False,
          pixels: str = "binary", progress=None) -> dict:
    """Train a DTM on binarised Fashion-MNIST (`tsukit dtm train`): T =
    steps conditional EBMs on a graph/L chip, moment matching with Adam,
    the adaptive correlation penalty; the model file `out` is
    checkpointed after every epoch, with its training log.

    pixels: "binary" (pixel > 0.1) or "cat4" (`--pixels cat4`: four gray
    levels, one categorical node per pixel; "catK" for K = 2..16 levels);
    a resumed model keeps its own kind ("binary" then means "as the
    file"), another catK is refused.

    data: "fashion-mnist" (Debian dataset-fashion-mnist) or a folder of
    the IDX files; train_limit: first N images (0 = all).
    progress: None, or a callable progress(epoch, epochs, done) called
    after every batch (epoch 1-based, done the fraction of the epoch);
    returning True stops training (tsukit.Interrupted).  Ctrl-C stops it
    too (KeyboardInterrupt); either way the file keeps the last whole
    epoch.  Returns the summary: epochs, wall_s, images_per_s,
    flips_per_ns, autocorr, acp_lambda_max.
    """
    out = _path(out, "out")
    data = _path(data, "data")
    if not isinstance(graph, str):
        raise InvalidArgument(f"graph: {graph!r} is not a grid name")
    vals = [integer(steps, "steps", 1, 64), integer(L, "L", 43, 1024),
            integer(epochs, "epochs", 1, 100000),
            integer(sweeps, "sweeps", 1, 10**6),
            integer(sweeps_pos, "sweeps_pos", 1, 10**6),
            integer(record, "record", 1, 10**6),
            integer(batch, "batch", 64, 65536),
            integer(train_limit, "train_limit", 0, 2**62),
            integer(seed, "seed", 0, 2**64 - 1),
            integer(threads, "threads", 0, 1024)]
    levels = _levels(pixels)
    if progress is not None and not callable(progress):
        raise InvalidArgument("progress: not callable")
    res = (ctypes.c_double * 6)()
    box = {}

    def cb(ctx, epoch, n_epochs, done):
        if progress is None:
            return 0
        try:
            return 1 if progress(epoch, n_epochs, done) else 0
        except BaseException as e:  # noqa: B902 -- re-raised after the run
            box["exc"] = e
            return 1

    cfn = _lib.PROGRESS_FN(cb)
    Lb = _lib.lib

    def invoke(stop, err):
        return Lb.tka_dtm_train_pixels(
            _lib.cstr(data), _lib.cstr(out), vals[0], _lib.cstr(graph),
            vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], vals[7],
            ctypes.c_uint64(vals[8]), vals[9], int(bool(resume)),
            int(bool(force)), levels, cfn, None, stop, res, err)

    try:
        _lib.stoppable(invoke, "dtm train")
    except Exception:
        if "exc" in box:
            raise box["exc"]
        raise
    return dict(zip(_TRAIN_KEYS, list(res)))


class DTMSamples:
    """Samples of a model: images uint8 [n, 28, 28] (0/1; levels 0..K-1
    for a catK model), labels int32
    [n] (the clamped class, -1 free), path (the samples file), wall_s,
    flips_per_ns, energy_per_sample_J (the chip's accounting),
    energy_ratio (chip / paper formula)."""

    def __init__(self, images, labels, path, figs):
        self.images, self.labels, self.path = images, labels, path
        (self.wall_s, self.flips_per_ns, self.energy_per_sample_J,
         self.energy_ratio) = figs

    def __repr__(self):
        return f"DTMSamples(n={len(self.images)}, path={self.path!r})"


class Model:
    """A trained model file (`tsukit dtm train`): steps, L, graph,
    epochs, n_visible, pixels ("binary" or "cat4"...); :meth:`sample`
    generates images."""

    def __init__(self, path):
        self.path = _path(path, "path")
        info = (ctypes.c_double * 5)()
        _lib.call(_lib.lib.tka_dtm_info, _lib.cstr(self.path), info,
                  what=f"dtm.load({self.path!r})")
        self.steps, self.L = int(info[0]), int(info[1])
        self.graph = _GRAPHS.get(int(info[2]), "?")
        self.epochs, self.n_visible = int(info[3]), int(info[4])
        lv = ctypes.c_uint()
        _lib.call(_lib.lib.tka_dtm_levels, _lib.cstr(self.path),
                  ctypes.byref(lv), what=f"dtm.load({self.path!r})")
        self.pixels = f"cat{lv.value}" if lv.value else "binary"

    def sample(self, n: int, label=None, *, out=None, sweeps: int = 0,
               cells=None, temp: float = None, seed: int = 1,
               threads: int = 0, force: bool = False) -> DTMSamples:
        """Generate n images from noise (`tsukit dtm sample`): label None
        (free), a class 0..9 (clamped), or "all" (n/10 per class); cells:
        a CellLibrary of pbit cells with temp (K), None = ideal cells;
        out: the samples file (None: a temporary one, removed -- then
        .path is None)."""
        n = integer(n, "n", 1, 10**6)
        lab = -1 if label is None else 10 if label == "all" else \
            integer(label, "label", 0, 9)
        if lab == 10 and n < 10:
            raise InvalidArgument("label='all' needs n >= 10")
        sweeps = integer(sweeps, "sweeps", 0, 10**6)
        seed = integer(seed, "seed", 0, 2**64 - 1)
        threads = integer(threads, "threads", 0, 1024)
        cpath = cname = None
        t = float("nan")
        if cells is not None:
            if not (hasattr(cells, "path") and hasattr(cells, "kind")):
                raise InvalidArgument("cells: pass a tsukit.CellLibrary")
            if cells.kind != "pbit":
                raise InvalidArgument(f"cells: {cells.name!r} is a "
                                      f"{cells.kind} cell, not a pbit")
            if temp is None:
                raise InvalidArgument("cells need the chip temperature temp=")
            cpath, cname, t = cells.path, cells.name, number(temp, "temp",
                                                              0, 1000)
        tmp = None
        if out is None:
            tmp = tempfile.TemporaryDirectory(prefix="tsukit-dtm-")
            path = os.path.join(tmp.name, "samples.h5")
        else:
            path = _path(out, "out")
        Lb = _lib.lib
        h = ctypes.c_void_p()
        try:
            _lib.call(Lb.tka_dtm_sample, _lib.cstr(self.path),
                      _lib.cstr(path), n, lab, sweeps, _lib.cstr(cpath),
                      _lib.cstr(cname), t, ctypes.c_uint64(seed), threads,
                      int(bool(force)), ctypes.byref(h), what="dtm sample")
            try:
                cnt = ctypes.c_size_t()
                a = Lb.tka_dtm_samples_images(h, ctypes.byref(cnt))
                imgs = view(None, a, (cnt.value, 28, 28), np.uint8).copy()
                labs = view(None, Lb.tka_dtm_samples_labels(h),
                            (cnt.value,), np.int32).copy()
                figs = (ctypes.c_double * 4)()
                Lb.tka_dtm_samples_figures(h, figs)
            finally:
                Lb.tka_dtm_samples_free(h)
        finally:
            if tmp is not None:
                tmp.cleanup()
        return DTMSamples(imgs, labs, None if tmp else path, list(figs))

    def __repr__(self):
        return (f"dtm.Model({self.path!r}, steps={self.steps}, "
                f"{self.graph}, L={self.L}, epochs={self.epochs}, "
                f"pixels={self.pixels!r})")


def load(path) -> Model:
    """Open a model file (checks it is one)."""
    return Model(path)


def evaluate(model, samples, data: str = "fashion-mnist", *,
             test_limit: int = 10000, clf_limit: int = 0,
             classifier=None, seed: int = 1, threads: int = 0) -> dict:
    """`tsukit dtm eval`: fd_tsukit, fd_marginal_baseline, fd_data,
    label_accuracy, autocorr, clf_test_accuracy of a samples file
    (a path or DTMSamples with a path) of a model (path or Model)."""
    mpath = model.path if isinstance(model, Model) else _path(model, "model")
    spath = samples.path if isinstance(samples, DTMSamples) else \
        _path(samples, "samples")
    if spath is None:
        raise InvalidArgument("samples: these samples were not kept in a "
                              "file (sample with out=...)")
    res = (ctypes.c_double * 6)()
    _lib.call(_lib.lib.tka_dtm_evaluate, _lib.cstr(mpath), _lib.cstr(spath),
              _lib.cstr(_path(data, "data")),
              integer(test_limit, "test_limit", 0, 2**62),
              integer(clf_limit, "clf_limit", 0, 2**62),
              _lib.cstr(classifier), ctypes.c_uint64(integer(seed, "seed", 0,
                                                             2**64 - 1)),
              integer(threads, "threads", 0, 1024), res, what="dtm evaluate")
    return dict(zip(_EVAL_KEYS, list(res)))
