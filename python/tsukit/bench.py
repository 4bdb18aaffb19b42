"""python -m tsukit.bench: the Gibbs kernel's speed from Python beside
the command line's with the same settings, in the same run.

Two pairs, each timing the same thing on both sides:
  kernel  Chip.bench() vs `tsukit bench gibbs` (api/tka_chip.h's
          tka_chip_bench is the command's measurement: G12 L=70 random
          model, ideal cells at beta 0.5, one warm-up sweep, then the
          timed sweeps);
  sample  Chip.sample() vs `tsukit sample` (tsu_run_spin's flips/ns of
          the recorded sweeps, moments included; the command also writes
          its file, outside the timed part).
The commands run as subprocesses.  Runs are interleaved (Python,
command, Python, ...); the medians and the best runs are compared (on a
shared machine the best run is the least disturbed one: single wall-clock
runs spread by +-20 % at a load of twice the cores).

    python -m tsukit.bench [--graph G12] [--L 70] [--chains 256]
                           [--sweeps 200] [--threads 1] [--repeats 5]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

from . import Chip, _config


def cli_flips_per_ns(prog, graph, L, chains, sweeps, threads, seed):
    """flips_per_ns of one `tsukit bench gibbs` run."""
    cmd = [prog, "bench", "gibbs", "--graph", graph, "--L", str(L),
           "--chains", str(chains), "--sweeps", str(sweeps), "--threads",
           str(threads), "--seed", str(seed), "--ref-seconds", "0.01"]
    out = subprocess.run(cmd, check=True, capture_output=True,
                         text=True).stdout
    m = re.search(r"\bflips_per_ns=(\S+)", out)
    k = re.search(r"\bpath=(\S+)", out)
    c = re.search(r"\bcpu=(\S+)", out)
    return float(m.group(1)), (k.group(1) if k else "?") + \
        (" cpu=" + c.group(1) if c else "")


def cli_sample_flips_per_ns(prog, graph, L, chains, sweeps, threads, seed,
                            beta):
    """flips_per_ns of one `tsukit sample` run (its file thrown away)."""
    with tempfile.TemporaryDirectory(prefix="tsukit-bench-") as d:
        cmd = [prog, "sample", "--graph", graph, "--L", str(L), "--chains",
               str(chains), "--sweeps", str(sweeps), "--threads",
               str(threads), "--seed", str(seed), "--beta", str(beta),
               "-o", os.path.join(d, "s.h5")]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                             env={**os.environ, "TSUKIT_PROGRESS": "never"}
                             ).stdout
    return float(re.search(r"\bflips_per_ns=(\S+)", out).group(1))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m tsukit.bench",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", default="G12")
    ap.add_argument("--L", type=int, default=70)
    ap.add_argument("--chains", type=int, default=256)
    ap.add_argument("--sweeps", type=int, default=200)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--program", default=_config.PROGRAM,
                    help="the tsukit program (default: the one this "
                         "package was built with)")
    a = ap.parse_args(argv)
    chip = Chip(graph=a.graph, L=a.L, seed=a.seed)
    py, cl, pys, cls = [], [], [], []
    for _ in range(a.repeats):
        r = chip.bench(chains=a.chains, sweeps=a.sweeps, threads=a.threads,
                       seed=a.seed)
        py.append(r["flips_per_ns"])
        f, path = cli_flips_per_ns(a.program, a.graph, a.L, a.chains,
                                   a.sweeps, a.threads, a.seed)
        cl.append(f)
        s = chip.sample(sweeps=a.sweeps, chains=a.chains, beta=1.0,
                        seed=a.seed, threads=a.threads)
        pys.append(s.flips_per_ns)
        del s
        cls.append(cli_sample_flips_per_ns(a.program, a.graph, a.L, a.chains,
                                           a.sweeps, a.threads, a.seed, 1.0))
    print(f"graph={a.graph} L={a.L} chains={a.chains} sweeps={a.sweeps} "
          f"threads={a.threads} repeats={a.repeats} kernel={r['kernel']} "
          f"cli_path={path}")
    for what, p, c in (("kernel", py, cl), ("sample", pys, cls)):
        mp, mc = statistics.median(p), statistics.median(c)
        print(f"{what}: python_flips_per_ns=" +
              ",".join(f"{x:.4g}" for x in p) + " cli_flips_per_ns=" +
              ",".join(f"{x:.4g}" for x in c))
        bp, bc = max(p), max(c)
        print(f"{what}: median python_flips_per_ns={mp:.4g} "
              f"cli_flips_per_ns={mc:.4g} ratio={mp / mc:.4f}")
        print(f"{what}: best python_flips_per_ns={bp:.4g} "
              f"cli_flips_per_ns={bc:.4g} ratio={bp / bc:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
