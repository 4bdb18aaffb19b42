"""Shared fixtures of the tsukit pytest suite (run by tests/python.sh in
`make check`, or by hand: PYTHONPATH=BUILD/python python3 -m pytest
python/tests).

The cell library is calibrated once per session by the tsukit program
the package was built with: a pbit at 3 temperatures x 5 controls, 4 us
of simulated time per point (about 0.45 s of CPU per point: ~7 s of CPU,
2 workers), enough for a temperature model."""
import os
import subprocess

import pytest

import tsukit

FASHION = os.environ.get("TK_FASHION_MNIST_DIR",
                         tsukit._lib._config.FASHION_MNIST_DIR)


def run_cli(*args, check=True):
    """Run the tsukit program; its CompletedProcess (text)."""
    prog = os.environ.get("TSUKIT", tsukit.program_path)
    r = subprocess.run([prog, *map(str, args)], capture_output=True,
                       text=True, env={**os.environ, "TSUKIT_PROGRESS":
                                       "never"})
    if check and r.returncode != 0:
        raise AssertionError(f"tsukit {' '.join(map(str, args))}: exit "
                             f"{r.returncode}: {r.stderr}")
    return r


def kv(line: str) -> dict:
    """The key=value pairs of a summary line."""
    return dict(w.split("=", 1) for w in line.split() if "=" in w)


@pytest.fixture(scope="session")
def pbit_lib(tmp_path_factory):
    path = tmp_path_factory.mktemp("cells") / "pbit.h5"
    run_cli("calibrate", "--cell", "pbit", "--vctl", "0.185:0.188:5",
            "--temp", "295,300,305", "--time", "4e-6", "--seed", "3",
            "--workers", "2", "-o", path)
    return path


@pytest.fixture(scope="session")
def fashion():
    if not (os.path.exists(os.path.join(FASHION, "train-images-idx3-ubyte.gz"))
            or os.path.exists(os.path.join(FASHION,
                                           "train-images-idx3-ubyte"))):
        pytest.skip("Fashion-MNIST not installed (Debian package "
                    "dataset-fashion-mnist)")
    return "fashion-mnist"
