"""tsukit.Chip: a graph of sampling cells run by tsukit's Gibbs kernels
(api/tka_chip.h over tsu/tsu_graph, tsu_fast, tsu_potts, tsu_gauss and
tsu_run: the engine of `tsukit sample`)."""
import ctypes
import os
import weakref

import numpy as np

from . import _lib
from ._check import index, integer, number, ptr, real, view
from ._errors import InvalidArgument, Unsupported

KINDS = {"spin": 0, "categorical": 1, "continuous": 2}
_RESULT_KINDS = {0: "spin", 1: "categorical", 2: "continuous", 3: "mixed"}
_PATHS = {"auto": 0, "portable": 1, "avx2": 2, "avx512": 3}


class Samples:
    """The result of :meth:`Chip.sample`.

    states: the final chain states -- the C kernel's own buffer, no copy
      (``states.base`` is a CBuffer holding this object; the memory is
      freed when the last view is gone):
        spin         uint64 [n, ceil(chains/64)]: bit q of word [i, g] is
                     chain 64 g + q, 1 = spin +1 (the kernel's packed
                     layout; :meth:`spins` unpacks a copy);
        categorical  uint8 [chains, n], states 0..K-1;
        continuous   float64 [chains, n];
        mixed        float64 [chains, n]: s (+-1), k or x per node (mixed
                     graphs, and calibrated cat4 / gmm2 cells).
    mean, mean_se: [n] (categorical [n, K]) moments and standard errors
      over the recorded sweeps (spin <s_i>, categorical P(s_i = k),
      continuous <x_i>), batch means over 20 batches;
    corr, corr_se: [n_edges] edge moments in the chip's edge order (spin
      <s_i s_j>, categorical P(s_i = s_j), continuous <x_i x_j>);
    mixed runs: mean [n, K] with a categorical node (spin <s> and
      continuous <x> in column 0, categorical P(c = k)), else [n]; corr
      the edge features (<s_i s_j>, [c_i = c_j], u_i u_j with u = [c = 1]
      for a categorical node next to a scalar one); map_updates,
      map_dev_mean, map_dev_max: the deviation of calibrated cells from
      the ideal conditional (0 without them).
    flips_per_ns, activity, recorded, kernel, kind, chains.
    The moment arrays are views of C memory too (read-only).
    """

    def __init__(self, chip, handle):
        L = _lib.lib
        self.chip = chip           # the chains refer to its graph
        self._h = handle
        self._fin = weakref.finalize(self, L.tka_samples_free, handle)
        self.kind = _RESULT_KINDS[L.tka_samples_kind(handle)]
        self.chains = L.tka_samples_chains(handle)
        self.recorded = L.tka_samples_recorded(handle)
        self.flips_per_ns = L.tka_samples_flips_per_ns(handle)
        self.activity = L.tka_samples_activity(handle)
        self.kernel = L.tka_samples_kernel(handle).decode()
        dims = (ctypes.c_size_t * 2)()
        es = ctypes.c_size_t()
        addr = L.tka_samples_states(handle, dims, ctypes.byref(es))
        dt = {"spin": np.uint64, "categorical": np.uint8,
              "continuous": np.float64, "mixed": np.float64}[self.kind]
        self.states = view(self, addr, (dims[0], dims[1]), dt)
        cols = ctypes.c_size_t()
        n, m = chip.n, chip.n_edges
        maddr = L.tka_samples_mean(handle, ctypes.byref(cols))
        shp = (n, cols.value) if cols.value > 1 else (n,)
        self.mean = view(self, maddr, shp, np.float64)
        self.mean_se = view(self, L.tka_samples_mean_se(handle), shp,
                            np.float64)
        self.corr = view(self, L.tka_samples_corr(handle), (m,), np.float64)
        self.corr_se = view(self, L.tka_samples_corr_se(handle), (m,),
                            np.float64)
        dev = [ctypes.c_double() for _ in range(3)]
        L.tka_samples_map_dev(handle, *(ctypes.byref(d) for d in dev))
        self.map_updates, self.map_dev_mean, self.map_dev_max = \
            (d.value for d in dev)

    def spins(self) -> np.ndarray:
        """Spin runs: the final states unpacked, int8 [chains, n] of -1/+1
        (a copy, 64x the packed buffer)."""
        if self.kind != "spin":
            raise InvalidArgument(f"spins(): a {self.kind} run has no spins "
                                  "(use .states)")
        out = np.empty((self.chains, self.chip.n), dtype=np.int8)
        _lib.call(_lib.lib.tka_samples_spins, self._h,
                  out.ctypes.data_as(ctypes.POINTER(ctypes.c_int8)),
                  what="spins")
        return out

    def __repr__(self):
        return (f"Samples({self.kind}, chains={self.chains}, "
                f"recorded={self.recorded}, kernel={self.kernel}, "
                f"flips_per_ns={self.flips_per_ns:.3g})")


class Chip:
    """A chip: nodes, undirected edges with couplings J, biases h
    (docs/ARCHITECTURE.md, conventions: E(s) = -sum h_i s_i - sum J_ij
    s_i s_j for spins; Potts E = -sum J_ij [s_i = s_j] - sum h_i(s_i);
    Gaussian E = sum a_i x_i^2 / 2 - sum h_i x_i - sum J_ij x_i x_j).

    Chip(graph="G12", L=70, seed=1)
        an L x L grid with jump set G4..G24 and the random model of
        `tsukit sample` (J ~ U(-1, 1), h ~ U(-0.1, 0.1), from seed);
        weights= / biases= replace it.
    Chip(edges=E, weights=W, biases=H, n=None)
        thrml-style: E [m, 2] integer node pairs, W [m], H [n] (n:
        max index + 1 unless given).

    nodes: "spin" (default), "categorical" or "continuous" -- or one kind
      per node, a mixed graph (tsu/tsu_mixed.h, the reference sampler:
      a categorical node couples to a spin or continuous neighbour u
      through J u [c = 1], two categorical nodes through J [c_i = c_j];
      biases [n] act on s, x or state 1; as `tsukit sample --cells-kind
      mixed`).
    categorical: K states (2..16, default 3 or biases.shape[1]); biases
      may be [n] (h_i on state 1, as `tsukit sample`) or [n, K] (not in
      a mixed graph).
    continuous: self_coupling a [n] > 0 (default: a_i = 1 + sum_j |J_ij|,
      diagonally dominant so the Gaussian exists).
    """

    def __init__(self, graph: str = None, L: int = None, *, edges=None,
                 weights=None, biases=None, n: int = None,
                 nodes="spin", K: int = None, self_coupling=None,
                 torus: bool = False, seed: int = 1):
        Lb = _lib.lib
        self.node_kind, kinds = self._kind(nodes)
        h = ctypes.c_void_p()
        if graph is not None:
            if edges is not None:
                raise InvalidArgument("give a named grid (graph=, L=) or "
                                      "edges=, not both")
            if not isinstance(graph, str):
                raise InvalidArgument(f"graph: {graph!r} is not a grid name")
            L = integer(70 if L is None else L, "L", 2, 4096)
            seed = integer(seed, "seed", 0, 2**64 - 1)
            _lib.call(Lb.tka_chip_grid, _lib.cstr(graph), L, int(bool(torus)),
                      ctypes.c_uint64(seed), ctypes.byref(h),
                      what=f"Chip({graph}, L={L})")
            self.graph, self.L = graph, L
        elif edges is not None:
            e = index(edges, "edges", ndim=2)
            if e.shape[1] != 2:
                raise InvalidArgument(f"edges: shape {e.shape}, expected "
                                      "(n_edges, 2)")
            m = e.shape[0]
            w = real(weights, "weights", shape=(m,)) if weights is not None \
                else np.zeros(m)
            nn = (int(e.max()) + 1 if m else 1) if n is None else \
                integer(n, "n", 1, 2**30)
            hb = self._spin_bias(biases, nn)
            ei, ej = (np.ascontiguousarray(e[:, k]) for k in (0, 1))
            _lib.call(Lb.tka_chip_edges, nn, m,
                      ptr(ei, ctypes.c_uint32), ptr(ej, ctypes.c_uint32),
                      ptr(w), ptr(hb), ctypes.byref(h), what="Chip(edges)")
            self.graph, self.L = None, None
            weights = None                 # applied by tka_chip_edges
            if self.node_kind != "categorical":
                biases = None
        else:
            raise InvalidArgument("Chip needs graph= (a named grid) or "
                                  "edges=")
        self._h = h
        self._fin = weakref.finalize(self, Lb.tka_chip_free, h)
        self.n = Lb.tka_chip_nodes(h)
        self.n_edges = Lb.tka_chip_n_edges(h)
        self.colors = Lb.tka_chip_colors(h)
        if weights is not None or (biases is not None and
                                   self.node_kind != "categorical"):
            w = None if weights is None else \
                real(weights, "weights", shape=(self.n_edges,))
            hb = None if biases is None else \
                real(biases, "biases", shape=(self.n,))
            _lib.call(Lb.tka_chip_set_model, h, ptr(w), ptr(hb),
                      what="Chip model")
        self.K = None
        self.kbias = None
        self.node_kinds = None
        if self.node_kind == "mixed":
            if kinds.shape != (self.n,):
                raise InvalidArgument(f"nodes: {kinds.shape[0]} kinds for "
                                      f"{self.n} nodes")
            self.node_kinds = kinds
            if np.any(kinds == KINDS["categorical"]):
                self.K = integer(3 if K is None else K, "K", 2, 16)
        if self.node_kind == "categorical":
            self._categorical(biases, K)
        self.self_coupling = None
        if self.node_kind in ("continuous", "mixed") and \
                self_coupling is not None:
            self.self_coupling = real(self_coupling, "self_coupling",
                                      shape=(self.n,))
            if np.any(self.self_coupling <= 0):
                raise InvalidArgument("self_coupling: every a_i must be > 0")

    @staticmethod
    def _kind(nodes):
        """(kind, per-node uint8 codes or None)."""
        if isinstance(nodes, str):
            if nodes not in KINDS:
                raise InvalidArgument(f"nodes {nodes!r}: 'spin', "
                                      "'categorical' or 'continuous' (or "
                                      "one per node)")
            return nodes, None
        flat = np.asarray(nodes, dtype=object).ravel().tolist()
        kinds = set(flat)
        bad = kinds - set(KINDS)
        if bad:
            raise InvalidArgument(f"nodes: unknown kind(s) {sorted(bad)}")
        if len(kinds) == 1:
            return kinds.pop(), None
        if not kinds:
            raise InvalidArgument("nodes: an empty list")
        return "mixed", np.array([KINDS[k] for k in flat], dtype=np.uint8)

    def _spin_bias(self, biases, n):
        if biases is None or self.node_kind == "categorical":
            return None
        if self.node_kind == "mixed" and np.ndim(biases) == 2:
            raise InvalidArgument("biases: a mixed graph takes biases [n] "
                                  "(on s, x or state 1)")
        return real(biases, "biases", shape=(n,))

    def _categorical(self, biases, K):
        if biases is not None:
            b = real(biases, "biases")
            if b.ndim == 2:
                if b.shape[0] != self.n:
                    raise InvalidArgument(f"biases: shape {b.shape}, "
                                          f"expected ({self.n}, K)")
                if K is not None and K != b.shape[1]:
                    raise InvalidArgument(f"biases: {b.shape[1]} states, "
                                          f"K = {K}")
                K = b.shape[1]
                self.kbias = np.ascontiguousarray(b)
            elif b.ndim == 1:
                if b.shape[0] != self.n:
                    raise InvalidArgument(f"biases: shape {b.shape}, "
                                          f"expected ({self.n},) or "
                                          f"({self.n}, K)")
                _lib.call(_lib.lib.tka_chip_set_model, self._h, None, ptr(b),
                          what="Chip model")
            else:
                raise InvalidArgument(f"biases: shape {b.shape}, expected "
                                      f"({self.n},) or ({self.n}, K)")
        self.K = integer(3 if K is None else K, "K", 2, 16)

    def model(self):
        """(edges [m, 2] uint32, weights [m], biases [n]) as the C graph
        holds them (copies)."""
        m, n = self.n_edges, self.n
        ei, ej = np.empty(m, np.uint32), np.empty(m, np.uint32)
        w, h = np.empty(m), np.empty(n)
        _lib.lib.tka_chip_model(self._h, ptr(ei, ctypes.c_uint32),
                                ptr(ej, ctypes.c_uint32), ptr(w), ptr(h))
        return np.stack([ei, ej], axis=1), w, h

    def sample(self, sweeps: int = 1000, chains: int = 256,
               beta: float = 1.0, seed: int = 1, *, burn_in: int = 100,
               cells=None, cell: str = None, temp: float = None,
               design_temp: float = None, clock: float = 1e7,
               threads: int = 0, clip: bool = False,
               mismatch: str = "auto", trim: bool = False,
               trim_lsb: float = 0.0) -> Samples:
        """Chromatic block Gibbs: burn_in discarded sweeps, then `sweeps`
        recorded ones (>= 20; a multiple of 20 is used) on `chains`
        chains at inverse temperature beta, from seed.

        cells: a :class:`CellLibrary` (or a library path, with cell=):
        calibrated pbit cells drive spin nodes (the fast kernel);
        categorical (cat4) cells drive categorical nodes and gmm (gmm2)
        cells continuous ones (a list of up to two libraries for a mixed
        graph), run on the mixed-node reference sampler through
        calibrate/cal_nodemap.h as `tsukit sample --cells`: the chip at
        temperature temp (K), its controls designed at design_temp
        (default temp), clock in Hz; clip=True clips conditionals the
        cells cannot reach (else InvalidArgument naming the calibrated
        range).  None: ideal cells.  Calibrated pbits in a mixed graph
        raise :class:`tsukit.Unsupported`.
        mismatch: where the cells' mismatch comes from, as `tsukit sample
        --mismatch`: "auto" (the library's measured `--mc` instances when
        it has them, node i = instance i mod M; else a Gaussian draw from
        their spread), "instances", "gaussian", "none" (nominal cells).
        trim=True: each pbit cell's mapping trimmed to its own measured
        curve at the design temperature (needs the instances); trim_lsb
        (V, > 0) the offset trim in steps of that size (a trim DAC).
        threads: OpenMP threads, 0 = all.  The GIL is released during
        the run and Ctrl-C stops it between sweeps (KeyboardInterrupt).
        """
        sweeps = integer(sweeps, "sweeps", 20, 10**9)
        burn_in = integer(burn_in, "burn_in", 0, 10**9)
        chains = integer(chains, "chains", 1, 1 << 24)
        seed = integer(seed, "seed", 0, 2**64 - 1)
        threads = integer(threads, "threads", 0, 1024)
        beta = number(beta, "beta", 0, 1e6)
        libs = self._libraries(cells, cell)
        modes = ("auto", "instances", "gaussian", "none")
        if mismatch not in modes:
            raise InvalidArgument(f"mismatch={mismatch!r}: one of "
                                  f"{', '.join(modes)}")
        if (mismatch != "auto" or trim) and not libs:
            raise InvalidArgument("mismatch=/trim= need calibrated cells "
                                  "(cells=)")
        trim_lsb = number(trim_lsb, "trim_lsb", 0, 1)
        if trim_lsb > 0 and not trim:
            raise InvalidArgument("trim_lsb= needs trim=True")
        _lib.call(_lib.lib.tka_chip_set_cells_mode, self._h,
                  modes.index(mismatch), int(bool(trim)), float(trim_lsb))
        t = dt = float("nan")
        if libs:
            if temp is None:
                raise InvalidArgument("calibrated cells need the chip "
                                      "temperature temp= (K)")
            t = number(temp, "temp", 0, 1000)
            if design_temp is not None:
                dt = number(design_temp, "design_temp", 0, 1000)
            clock = number(clock, "clock", 1, 1e13)
        Lb = _lib.lib
        out = ctypes.c_void_p()
        K = self.K or 0
        pbit = [lib for lib in libs if lib[0] == "pbit"]
        if self.node_kind == "spin" or (pbit and self.node_kind != "mixed"):
            if libs and (len(libs) > 1 or not pbit):
                raise InvalidArgument(
                    f"cells: a {libs[0][0]} cell drives "
                    f"{'categorical' if libs[0][0] == 'categorical' else 'continuous'}"
                    " nodes; this chip's nodes are spins")
            if pbit and self.node_kind != "spin":
                raise InvalidArgument("calibrated pbit cells need spin nodes")
            path, name = (pbit[0][1], pbit[0][2]) if pbit else (None, None)
            kb = self.kbias if self.node_kind == "categorical" else None
            a = self.self_coupling if self.node_kind == "continuous" else None

            def invoke(stop, err):
                return Lb.tka_chip_sample(
                    self._h, KINDS[self.node_kind], sweeps, burn_in, chains,
                    beta, seed, threads, _lib.cstr(path), _lib.cstr(name), t,
                    dt, float(clock), K, ptr(kb), ptr(a), stop,
                    ctypes.byref(out), err)
        elif self.node_kind in ("categorical", "continuous") and not libs:
            kb = self.kbias if self.node_kind == "categorical" else None
            a = self.self_coupling if self.node_kind == "continuous" else None

            def invoke(stop, err):
                return Lb.tka_chip_sample(
                    self._h, KINDS[self.node_kind], sweeps, burn_in, chains,
                    beta, seed, threads, None, None, t, dt, float(clock), K,
                    ptr(kb), ptr(a), stop, ctypes.byref(out), err)
        else:
            if pbit:
                raise Unsupported("calibrated pbit cells in a mixed graph: "
                                  "the mixed-node sampler's spin nodes are "
                                  "ideal (pbit libraries drive the spin "
                                  "kernel of an all-spin chip)", None)
            kinds = self.node_kinds if self.node_kinds is not None else \
                np.full(self.n, KINDS[self.node_kind], dtype=np.uint8)
            cat = [lib for lib in libs if lib[0] == "categorical"]
            gmm = [lib for lib in libs if lib[0] == "gmm"]
            if len(cat) > 1 or len(gmm) > 1:
                raise InvalidArgument("cells: at most one categorical and "
                                      "one gmm library")
            if cat:
                Kc = cat[0][3]
                if self.kbias is not None and self.kbias.shape[1] != Kc:
                    raise InvalidArgument(
                        f"cells: {cat[0][2]!r} has {Kc} states; the "
                        f"biases have {self.kbias.shape[1]}")
                K = Kc
            kb = self.kbias
            a = self.self_coupling
            cp, cn = (cat[0][1], cat[0][2]) if cat else (None, None)
            gp, gn = (gmm[0][1], gmm[0][2]) if gmm else (None, None)

            def invoke(stop, err):
                return Lb.tka_chip_sample_mixed(
                    self._h, kinds.ctypes.data_as(
                        ctypes.POINTER(ctypes.c_uint8)),
                    sweeps, burn_in, chains, beta, seed, threads, K,
                    ptr(kb), ptr(a), _lib.cstr(cp), _lib.cstr(cn),
                    _lib.cstr(gp), _lib.cstr(gn), t, dt, float(clock),
                    int(bool(clip)), stop, ctypes.byref(out), err)

        _lib.stoppable(invoke, "sample",
                       discard=lambda: Lb.tka_samples_free(out))
        return Samples(self, out)

    @staticmethod
    def _libraries(cells, cell):
        """[(kind, path, name, n_states)] of the cells given (a
        CellLibrary, a path with cell=, or a list of CellLibrary)."""
        if cells is None:
            return []
        items = cells if isinstance(cells, (list, tuple)) else [cells]
        if len(items) > 2:
            raise InvalidArgument("cells: at most two libraries")
        out = []
        for c in items:
            if hasattr(c, "path") and hasattr(c, "kind"):
                out.append((c.kind, c.path, c.name, c.n_states))
            elif isinstance(c, (str, os.PathLike)) and len(items) == 1:
                if cell is None:
                    raise InvalidArgument("cells given as a path: name the "
                                          "cell (cell=)")
                from ._cells import CellLibrary
                lib = CellLibrary(os.fspath(c), cell)
                out.append((lib.kind, lib.path, lib.name, lib.n_states))
            else:
                raise InvalidArgument(f"cells: {c!r} is not a CellLibrary "
                                      "or a path")
        return out

    def bench(self, chains: int = 256, sweeps: int = 200, threads: int = 1,
              beta: float = 0.5, seed: int = 1, path: str = "auto") -> dict:
        """Kernel speed on this chip, measured exactly as `tsukit bench
        gibbs` measures it (ideal cells at beta, one warm-up sweep, then
        `sweeps` timed sweeps of the fast kernel on `threads` threads;
        flips counted over whole 64-chain words).  Returns flips_per_ns,
        seconds, kernel (the SIMD path), chains, sweeps."""
        chains = integer(chains, "chains", 1, 1 << 24)
        sweeps = integer(sweeps, "sweeps", 1, 10**9)
        threads = integer(threads, "threads", 0, 1024)
        beta = number(beta, "beta", 0, 100)
        seed = integer(seed, "seed", 0, 2**64 - 1)
        if path not in _PATHS:
            raise InvalidArgument(f"path {path!r}: one of {sorted(_PATHS)}")
        fpns, sec = ctypes.c_double(), ctypes.c_double()
        kern = ctypes.c_char_p()
        _lib.call(_lib.lib.tka_chip_bench, self._h, chains, sweeps, threads,
                  beta, ctypes.c_uint64(seed), _PATHS[path],
                  ctypes.byref(fpns), ctypes.byref(sec), ctypes.byref(kern),
                  what="bench")
        return {"flips_per_ns": fpns.value, "seconds": sec.value,
                "kernel": kern.value.decode(), "chains": 64 * ((chains + 63)
                                                               // 64),
                "sweeps": sweeps}

    def __repr__(self):
        where = f"{self.graph}, L={self.L}" if self.graph else "edges"
        return (f"Chip({where}, n={self.n}, edges={self.n_edges}, "
                f"colors={self.colors}, nodes={self.node_kind})")
