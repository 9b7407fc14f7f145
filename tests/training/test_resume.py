"""Exact resume: a run killed mid-epoch and resumed from its last checkpoint ends with the
same bits as a run that was never interrupted."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ivanet.training import Callback, TrainConfig, load_checkpoint, train_run
from ivanet.training.run import SLEEP_ENV

REPO = Path(__file__).resolve().parents[2]
TRAIN = ("import json, sys\n"
         "from ivanet.training import TrainConfig, train_run\n"
         "train_run(TrainConfig.from_dict(json.loads(sys.argv[1])), quiet=True)\n")


def _settings(npz_data, **changes) -> dict:
    # Dropout, shifted images, shuffling, Adam and a cosine schedule: every random and
    # stateful part a resume must restore.
    base = dict(model="mlp", data=str(npz_data), epochs=4, batch_size=16, lr=0.01, seed=3,
                model_options={"hidden": [32], "dropout": 0.2}, augment="shift",
                schedule="cosine", progress=False, report=False)
    return {**base, **changes}


def _assert_same_final_state(run_a: Path, run_b: Path) -> None:
    a = load_checkpoint(run_a / "checkpoints" / "last.safetensors")
    b = load_checkpoint(run_b / "checkpoints" / "last.safetensors")
    assert (a.epoch, a.step) == (b.epoch, b.step)
    assert a.model_state.keys() == b.model_state.keys()
    for name, array in a.model_state.items():
        np.testing.assert_array_equal(array, b.model_state[name], err_msg=name)
    for name, array in a.optimizer["state"].items():
        np.testing.assert_array_equal(array, b.optimizer["state"][name], err_msg=name)
    assert a.scheduler == b.scheduler
    strip = [{k: v for k, v in row.items() if k != "seconds"} for row in a.history]
    assert strip == [{k: v for k, v in row.items() if k != "seconds"} for row in b.history]


def test_killed_run_resumes_to_bit_identical_weights(npz_data, tmp_path):
    reference = train_run(TrainConfig.from_dict(
        _settings(npz_data, out=str(tmp_path / "reference"))), quiet=True)
    killed = tmp_path / "killed"
    env = {**os.environ, SLEEP_ENV: "0.03", "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-c", TRAIN, json.dumps(_settings(npz_data, out=str(killed)))],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    last = killed / "checkpoints" / "last.safetensors"
    deadline = time.monotonic() + 60
    while not last.exists():
        if process.poll() is not None:
            pytest.fail(f"training exited early: {process.stderr.read().decode()}")
        assert time.monotonic() < deadline, "no checkpoint within 60 s"
        time.sleep(0.02)
    time.sleep(0.25)  # into the next epoch: 20 steps of 0.03 s each
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert not (killed / "results.json").exists()
    assert 1 <= load_checkpoint(last).epoch < 4
    assert train_run(resume=killed, quiet=True) == killed
    _assert_same_final_state(reference, killed)
    rows = (killed / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(row)["epoch"] for row in rows] == [1, 2, 3, 4]
    results = json.loads((killed / "results.json").read_text())
    expected = json.loads((reference / "results.json").read_text())
    assert results["metrics"] == expected["metrics"]


class _Interrupt(Callback):
    """Raises KeyboardInterrupt (a user's Ctrl-C) after ``at`` optimizer steps."""

    def __init__(self, at: int) -> None:
        self.at, self.count = at, 0

    def on_batch_end(self, step, logs):
        self.count += 1
        if self.count == self.at:
            raise KeyboardInterrupt


def test_resume_from_a_mid_epoch_checkpoint_is_exact(npz_data, tmp_path):
    settings = _settings(npz_data, checkpoint_every=7, epochs=3)
    reference = train_run(TrainConfig.from_dict({**settings, "out": str(tmp_path / "a")}),
                          quiet=True)
    interrupted = tmp_path / "b"
    with pytest.raises(KeyboardInterrupt):
        train_run(TrainConfig.from_dict({**settings, "out": str(interrupted)}), quiet=True,
                  callbacks=(_Interrupt(at=20 + 10),))  # epoch 2, step 10
    saved = load_checkpoint(interrupted / "checkpoints" / "last.safetensors")
    assert (saved.epoch, saved.rng["batches_done"], saved.step) == (1, 7, 27)
    train_run(resume=interrupted, quiet=True)
    a = load_checkpoint(reference / "checkpoints" / "last.safetensors")
    b = load_checkpoint(interrupted / "checkpoints" / "last.safetensors")
    for name, array in a.model_state.items():
        np.testing.assert_array_equal(array, b.model_state[name], err_msg=name)
    assert a.step == b.step == 60
