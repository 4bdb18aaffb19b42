"""tsukit.dtm on categorical pixels (pixels="cat4", issue 19 item 4): a
small four-level model trained from Python, its kind read back, its
samples as gray levels, its training log in the file, and bad pixels
values refused before any work."""
import pytest

import tsukit

from conftest import run_cli


def test_dtm_train_cat4(tmp_path, fashion):
    small = dict(steps=2, L=44, sweeps=10, sweeps_pos=8, record=4,
                 train_limit=128, threads=1, seed=5)
    m = tmp_path / "g.h5"
    r = tsukit.dtm.train(m, fashion, epochs=1, pixels="cat4", **small)
    assert r["epochs"] == 1
    model = tsukit.dtm.load(m)
    assert model.pixels == "cat4" and "cat4" in repr(model)
    s = model.sample(20, label="all", threads=1, out=tmp_path / "s.h5")
    assert s.images.shape == (20, 28, 28) and s.images.max() <= 3
    # gray levels survive the read-back (a binary reader would give 0/1)
    assert set(s.images.ravel().tolist()) == {0, 1, 2, 3}
    # the training log is in the file: `tsukit plot` draws its curves
    out = run_cli("plot", m, "-o", tmp_path / "g.png")
    assert "no training log" not in out.stderr
    assert (tmp_path / "g.png").stat().st_size > 0
    # resumed with the default pixels: the file's kind is kept
    r = tsukit.dtm.train(m, fashion, epochs=2, resume=True, **small)
    assert r["epochs"] == 2 and tsukit.dtm.load(m).pixels == "cat4"
    # another level count is refused, naming the file's
    with pytest.raises(tsukit.Error, match="cat4"):
        tsukit.dtm.train(m, fashion, epochs=3, resume=True, pixels="cat3",
                         **small)


@pytest.mark.parametrize("bad", ["cat1", "cat17", "gray", 4, None])
def test_dtm_train_bad_pixels(tmp_path, bad):
    with pytest.raises(tsukit.InvalidArgument, match="pixels"):
        tsukit.dtm.train(tmp_path / "x.h5", "/nonexistent", pixels=bad)
    assert not (tmp_path / "x.h5").exists()

