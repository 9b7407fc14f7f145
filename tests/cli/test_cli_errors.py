"""User mistakes: one line ``error: ...`` on stderr, exit status 2, no traceback, and run
folders left as they were. Bugs keep their traceback."""
import shutil

import numpy as np
import pytest

from ivanet.models.registry import list_models

from cli_helpers import folder_state, invoke


def assert_one_line_error(result, *fragments: str) -> str:
    """The result is a user error: status 2, one stderr line starting 'error: '."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.mark.parametrize("command", [("train", "resnet1000"), ("gradcheck", "resnet1000"),
                                     ("tune", "resnet1000", "--trials", "1")])
def test_unknown_model_lists_the_valid_ones(command):
    line = assert_one_line_error(invoke(*command), "resnet1000")
    for info in list_models():
        assert info.name in line


def test_unknown_data_set_lists_the_known_ones(tmp_path):
    line = assert_one_line_error(invoke("train", "mlp", "--data", "imagenet22k",
                                        "--out", tmp_path / "run"), "imagenet22k", "mnist")
    assert "known" in line
    assert not (tmp_path / "run").exists()
    assert_one_line_error(invoke("data", "fetch", "imagenet22k"), "mnist")


@pytest.mark.parametrize("arguments, fragments", [
    (("train", "mlp", "--epochs", "0"), ["--epochs", "0"]),
    (("train", "mlp", "--epochs", "many"), ["--epochs", "many"]),
    (("train", "mlp", "--lr", "-0.1"), ["--lr"]),
    (("train", "mlp", "--optimizer", "nesterov"), ["optimizer", "nesterov", "adam"]),
    (("train", "mlp", "--bogus"), ["--bogus", "ivanet train --help"]),
    (("train",), ["MODEL", "--resume"]),
    (("trian", "mlp"), ["trian"]),
    (("tune", "mlp", "--trials", "2", "--sampler", "grid"), ["grid", "random", "tpe"]),
    (("tune", "mlp"), ["--trials"]),
    (("gradcheck", "mlp", "--tol", "0"), ["--tol"]),
    (("evaluate",), ["RUN"]),
])
def test_bad_options(arguments, fragments):
    assert_one_line_error(invoke(*arguments), *fragments)


def test_missing_paths(tmp_path):
    missing = tmp_path / "nowhere"
    assert_one_line_error(invoke("evaluate", missing), "nowhere", "does not exist")
    assert_one_line_error(invoke("report", missing), "nowhere")
    assert_one_line_error(invoke("train", "mlp", "--config", missing / "c.toml"), "c.toml")
    assert_one_line_error(invoke("train", "mlp", "--data", missing / "d.npz"), "d.npz")
    assert_one_line_error(invoke("train", "--resume", missing), "nowhere")


def test_a_folder_that_is_no_run_folder(tmp_path):
    assert_one_line_error(invoke("report", tmp_path), "not a run folder")
    assert_one_line_error(invoke("evaluate", tmp_path), "not a run folder")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("toml, fragments", [
    ("epocs = 3\n", ["epocs", "did you mean 'epochs'"]),
    ("epochs = 'three'\n", ["epochs", "int", "three"]),
    ("lr = [0.1]\n", ["'lr'", "float"]),
    ("epochs = \n", ["not valid TOML"]),
    ("schedule = 'sometimes'\n", ["schedule", "cosine"]),
])
def test_bad_config_files(tmp_path, toml, fragments):
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    assert_one_line_error(invoke("train", "mlp", "--config", path, "--out", tmp_path / "run"),
                          *fragments)
    assert not (tmp_path / "run").exists()


def test_nan_in_the_data(tmp_path, tiny_npz):
    arrays = dict(np.load(tiny_npz))
    arrays["x_train"] = arrays["x_train"].astype(np.float32)
    arrays["x_train"][5, 0, 2, 3] = np.nan
    np.savez(tmp_path / "nan.npz", **arrays)
    line = assert_one_line_error(invoke("train", "mlp", "--data", tmp_path / "nan.npz",
                                        "--out", tmp_path / "run"), "x_train")
    assert "nan" in line.lower() and "5" in line
    assert not (tmp_path / "run").exists()


def test_npz_of_the_wrong_format(tmp_path):
    (tmp_path / "fake.npz").write_text("not a zip file")
    assert_one_line_error(invoke("train", "mlp", "--data", tmp_path / "fake.npz"), "fake.npz")
    np.savez(tmp_path / "partial.npz", x_train=np.zeros((4, 3)))
    assert_one_line_error(invoke("train", "mlp", "--data", tmp_path / "partial.npz"),
                          "missing arrays", "y_train")


def test_existing_run_folder_is_never_overwritten(trained_run, tiny_npz):
    before = folder_state(trained_run)
    assert_one_line_error(invoke("train", "mlp", "--data", tiny_npz, "--epochs", "1",
                                 "--out", trained_run), "not empty", "--resume")
    assert_one_line_error(invoke("train", "mlp", "--resume", trained_run, "--lr", "0.5"),
                          "lr")
    assert folder_state(trained_run) == before


@pytest.mark.parametrize("damage", ["truncate", "flip_byte", "delete"])
def test_corrupted_checkpoint(trained_run, tmp_path, damage):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    for path in (run / "checkpoints").glob("*.safetensors"):
        payload = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(payload[: len(payload) // 2])
        elif damage == "flip_byte":
            path.write_bytes(payload[:-10] + bytes([payload[-10] ^ 0xFF]) + payload[-9:])
        else:
            path.unlink()
    before = folder_state(run)
    line = assert_one_line_error(invoke("evaluate", run))
    assert "checkpoint" in line or ".safetensors" in line
    assert_one_line_error(invoke("predict", run, run / "predictions.npz"))
    assert folder_state(run) == before


def test_predict_input_of_the_wrong_format(trained_run, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("a cat")
    assert_one_line_error(invoke("predict", trained_run, text), "notes.txt", "image")
    np.save(tmp_path / "wrong.npy", np.zeros((3, 5), np.float32))
    assert_one_line_error(invoke("predict", trained_run, tmp_path / "wrong.npy"),
                          "(1, 8, 8)", "(3, 5)")
    np.save(tmp_path / "words.npy", np.array(["a", "b"]))
    assert_one_line_error(invoke("predict", trained_run, tmp_path / "words.npy"), "numbers")


def test_unexpected_errors_keep_their_traceback(monkeypatch):
    def broken():
        raise RuntimeError("a bug in ivanet")

    monkeypatch.setattr("ivanet.models.registry.list_models", broken)
    result = invoke("models")
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)
