#!/usr/bin/env python3
"""Calibrate a pbit (small and quick), predict its transfer curve at any
temperature, and sample a 16x16 chip on the calibrated cells -- with a
figure (matplotlib, Agg backend).

    PYTHONPATH=BUILD/python python3 examples/python/calibrated_chip.py [OUT.png]

(after `make install`: no PYTHONPATH for the default prefix; README,
Python section).  Steps:
  1. `tsukit calibrate` (the program this package was built with): pbit,
     3 temperatures x 7 controls, 4 us of simulated time per point;
  2. tsukit.CellLibrary: P(1) and tau from the fitted temperature model
     between and beyond the calibrated temperatures, and the control that
     gives P(1) = 1/2;
  3. tsukit.Chip(graph="G12", L=16): the same random model sampled on
     ideal cells, on calibrated cells at the design temperature, and on
     cells 12 K warmer than designed (the drift a real chip sees);
  4. the figure: transfer curves, and the three magnetisation maps.
"""
import os
import subprocess
import sys
import tempfile
import time

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import tsukit  # noqa: E402


def main(out_png="calibrated_chip.png"):
    t0 = time.monotonic()
    work = tempfile.mkdtemp(prefix="tsukit-example-")
    lib_path = os.path.join(work, "pbit.h5")
    # 1. calibrate: the command line's sweep (forked workers, checkpoints)
    subprocess.run([tsukit.program_path, "calibrate", "--cell", "pbit",
                    "--vctl", "0.1845:0.1885:7", "--temp", "293,300,307",
                    "--time", "4e-6", "--seed", "3", "--workers", "2",
                    "-o", lib_path], check=True,
                   env={**os.environ, "TSUKIT_PROGRESS": "never"})
    t_cal = time.monotonic() - t0

    # 2. predict from the temperature model
    lib = tsukit.CellLibrary(lib_path)
    print(lib)
    v = np.linspace(0.1835, 0.1895, 121)
    temps = np.array([290.0, 300.0, 310.0])
    pr = lib.predict(v[:, None], temps)          # [121, 3] by broadcasting
    v_half = lib.inverse(0.5, temps)
    for T, vh, tau in zip(temps, v_half, lib.predict(v_half, temps).tau):
        print(f"T = {T:.0f} K: P(1) = 1/2 at {vh * 1e3:.3f} mV, "
              f"tau = {tau * 1e9:.0f} ns")

    # 3. a 16x16 G12 chip, one random model, three kinds of cells
    chip = tsukit.Chip(graph="G12", L=16, seed=4)
    run = dict(sweeps=2000, chains=256, beta=0.6, seed=4)
    ideal = chip.sample(**run)
    cal = chip.sample(**run, cells=lib, temp=300.0)
    warm = chip.sample(**run, cells=lib, temp=306.0, design_temp=294.0)
    for name, s in (("ideal", ideal), ("calibrated, 300 K", cal),
                    ("calibrated, 306 K, designed at 294 K", warm)):
        d = np.abs(s.mean - ideal.mean).max()
        print(f"{name:40s} mean |m| {np.abs(s.mean).mean():.3f}  "
              f"max |m - m_ideal| {d:.3f}  states {s.states.dtype}"
              f"{list(s.states.shape)} (the kernel's buffer)")

    # 4. the figure
    fig, ax = plt.subplots(1, 4, figsize=(16, 3.8))
    for k, T in enumerate(temps):
        ax[0].plot(v * 1e3, pr.p1[:, k], label=f"{T:.0f} K")
    ax[0].set_xlabel("control voltage (mV)")
    ax[0].set_ylabel("P(1)")
    ax[0].set_title("pbit transfer curve (temperature model)")
    ax[0].legend()
    for a, (title, s) in zip(ax[1:], (("ideal cells", ideal),
                                      ("calibrated, 300 K", cal),
                                      ("306 K, designed at 294 K", warm))):
        im = a.imshow(s.mean.reshape(16, 16), vmin=-1, vmax=1, cmap="RdBu")
        a.set_title(f"<s_i>: {title}")
        a.set_xticks([])
        a.set_yticks([])
    fig.colorbar(im, ax=ax[1:], shrink=0.8)
    fig.savefig(out_png, dpi=100)
    print(f"figure: {out_png}; calibration {t_cal:.1f} s, "
          f"total {time.monotonic() - t0:.1f} s")


if __name__ == "__main__":
    main(*sys.argv[1:2])
