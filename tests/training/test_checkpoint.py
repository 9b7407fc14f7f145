"""Checkpoint files: round trip, atomic replacement, and every way loading can fail."""
import numpy as np
import pytest
from safetensors.numpy import save_file

from ivanet import nn
from ivanet.optim import Adam
from ivanet.training.checkpoint import (Checkpoint, load_checkpoint, restore_model,
                                        save_checkpoint)
from ivanet.training.errors import CheckpointError

from training_helpers import tiny_model


def _trained_checkpoint(rng) -> tuple[nn.Module, Checkpoint]:
    model = tiny_model()
    optimizer = Adam(model.parameters(), lr=0.01)
    for p in model.parameters():
        p.grad = rng.normal(size=p.shape).astype(np.float32)
    optimizer.step()
    checkpoint = Checkpoint(
        model_name="tiny", model_state=model.state_dict(), model_config={"sizes": [6, 16, 3]},
        config={"lr": 0.01, "seed": 3}, epoch=2, step=17, optimizer=optimizer.state_dict(),
        scheduler={"type": "StepLR", "last_epoch": 2}, history=[{"epoch": 1, "dev_loss": 0.5}],
        rng={"seed": 3, "state": np.random.default_rng(5).bit_generator.state},
        norm={"mean": np.zeros((1, 1, 1)), "std": np.ones((1, 1, 1))},
        callbacks={"EarlyStopping": {"best": 0.5, "wait": 1, "weights": {"w": np.ones(2)}}},
        data={"task": "classification", "class_names": ["a", "b", "c"]})
    return model, checkpoint


def test_round_trip_restores_everything(tmp_path, rng):
    model, saved = _trained_checkpoint(rng)
    path = save_checkpoint(tmp_path / "ck.safetensors", saved)
    loaded = load_checkpoint(path, model_name="tiny")
    for name, array in saved.model_state.items():
        np.testing.assert_array_equal(loaded.model_state[name], array)
        assert loaded.model_state[name].dtype == array.dtype
    for key in ("model_config", "config", "epoch", "step", "scheduler", "history", "rng",
                "data"):
        assert getattr(loaded, key) == getattr(saved, key), key
    np.testing.assert_array_equal(loaded.callbacks["EarlyStopping"]["weights"]["w"], np.ones(2))
    np.testing.assert_array_equal(loaded.norm["std"], saved.norm["std"])
    fresh = Adam(tiny_model(seed=1).parameters(), lr=0.01)
    fresh.load_state_dict(loaded.optimizer)  # the optimizer takes its state back
    for key, array in saved.optimizer["state"].items():
        np.testing.assert_array_equal(fresh.state_dict()["state"][key], array)
    generator = np.random.default_rng()
    generator.bit_generator.state = loaded.rng["state"]
    assert generator.random() == np.random.default_rng(5).random()


def test_restore_model_copies_weights_in_place(tmp_path, rng):
    model, saved = _trained_checkpoint(rng)
    other = tiny_model(seed=9)
    weight = other.layers[0].weight.data
    restore_model(other, load_checkpoint(save_checkpoint(tmp_path / "a.safetensors", saved)))
    assert other.layers[0].weight.data is weight
    np.testing.assert_array_equal(weight, model.layers[0].weight.data)


def test_save_replaces_atomically_and_leaves_no_temp_files(tmp_path, rng):
    _, saved = _trained_checkpoint(rng)
    path = tmp_path / "last.safetensors"
    save_checkpoint(path, saved)
    saved.epoch = 3
    save_checkpoint(path, saved)
    assert load_checkpoint(path).epoch == 3
    assert [p.name for p in tmp_path.iterdir()] == ["last.safetensors"]


def test_truncated_and_corrupted_files_are_reported(tmp_path, rng):
    _, saved = _trained_checkpoint(rng)
    path = save_checkpoint(tmp_path / "ck.safetensors", saved)
    payload = path.read_bytes()
    truncated = tmp_path / "truncated.safetensors"
    truncated.write_bytes(payload[: len(payload) // 2])
    flipped = bytearray(payload)
    flipped[-5] ^= 0xFF  # a byte of the last tensor's data
    corrupted = tmp_path / "corrupted.safetensors"
    corrupted.write_bytes(bytes(flipped))
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"this is not a checkpoint at all")
    for bad in (truncated, corrupted, garbage):
        with pytest.raises(CheckpointError, match="is truncated or corrupted"):
            load_checkpoint(bad)


def test_other_safetensors_files_and_missing_files(tmp_path):
    foreign = tmp_path / "foreign.safetensors"
    save_file({"w": np.zeros(3, np.float32)}, str(foreign))
    with pytest.raises(CheckpointError, match="not an ivanet checkpoint"):
        load_checkpoint(foreign)
    with pytest.raises(CheckpointError, match="does not exist"):
        load_checkpoint(tmp_path / "nothing.safetensors")


def test_checkpoint_of_another_model_names_both(tmp_path, rng):
    _, saved = _trained_checkpoint(rng)
    path = save_checkpoint(tmp_path / "ck.safetensors", saved)
    with pytest.raises(CheckpointError, match="holds a 'tiny' model, not 'mlp'"):
        load_checkpoint(path, model_name="mlp")


def test_missing_and_unexpected_keys_are_listed(tmp_path, rng):
    _, saved = _trained_checkpoint(rng)
    checkpoint = load_checkpoint(save_checkpoint(tmp_path / "ck.safetensors", saved))
    bigger = nn.MLP([6, 16, 8, 3])
    with pytest.raises(CheckpointError) as caught:
        restore_model(bigger, checkpoint)
    message = str(caught.value)
    assert "missing keys: layers.4.weight, layers.4.bias" in message
    assert "shape mismatches: layers.2.weight" in message
