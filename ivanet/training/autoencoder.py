"""Train the convolutional autoencoder on MNIST: reconstruction, or denoising.

``ivanet train conv_autoencoder --config experiments/configs/autoencoder-mnist.toml``.
The target is always the clean image; ``data_options.noise_std`` > 0 adds fresh Gaussian
noise (clipped to [0, 1]) to every training batch, so the model learns to denoise. The
loss is binary cross-entropy of the output logits against the clean pixels in [0, 1].
The test set reports three mean squared errors against the clean images (pixels in
[0, 1]): of the reconstruction from clean inputs, of the output from noisy inputs
(σ = ``test_noise_std``), and of the noisy inputs themselves (what doing nothing costs).
"""
from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np

from ivanet.data.registry import load
from ivanet.ops.losses import binary_cross_entropy_with_logits
from ivanet.training.config import TrainConfig
from ivanet.training.dense_run import dense_run
from ivanet.training.errors import ConfigError
from ivanet.training.fit import predict

AUTOENCODER_OPTIONS = dict(noise_std=0.0, test_noise_std=0.5)


def add_noise(x: np.ndarray, std: float, rng: np.random.Generator) -> np.ndarray:
    """x + σ·ε, ε ~ N(0, 1), clipped to [0, 1]; float32 like ``x``."""
    if std == 0:
        return x
    noisy = x + rng.standard_normal(x.shape, dtype=np.float32) * np.float32(std)
    return np.clip(noisy, 0.0, 1.0, out=noisy)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def reconstruction_mse(y, outputs) -> float:
    """Mean squared error of σ(logits) against the clean image (fit-style metric)."""
    return float(np.mean((_sigmoid(np.asarray(outputs)) - np.asarray(y)) ** 2))


def reconstruction_loss(outputs, y):
    """Binary cross-entropy of the output logits against the clean pixels."""
    return binary_cross_entropy_with_logits(outputs, np.asarray(y, outputs.data.dtype))


def autoencoder_run(config: TrainConfig, run_dir: Path | None = None, checkpoint=None, *,
                    quiet: bool = False, callbacks: tuple = ()) -> Path:
    """``ivanet train conv_autoencoder``: the run folder of a (denoising) autoencoder."""
    unknown = set(config.data_options) - set(AUTOENCODER_OPTIONS)
    if unknown:
        raise ConfigError(f"config key 'data_options': {', '.join(sorted(unknown))} not "
                          f"known for the autoencoder; known: {', '.join(AUTOENCODER_OPTIONS)}")
    options = {**AUTOENCODER_OPTIONS, **config.data_options}
    splits = load(config.data)
    dev = splits.dev or splits.test
    noise, test_noise = float(options["noise_std"]), float(options["test_noise_std"])
    dev_x = add_noise(dev.x, noise, np.random.default_rng([config.seed, 30_001]))
    data = {"train": (splits.train.x, splits.train.x), "dev": (dev_x, dev.x),
            "test": (splits.test.x, splits.test.x)}

    def finish(model, folder: Path) -> dict:
        return _finish(model, splits.test.x, test_noise, config.seed, folder)

    reconstruction_mse.__name__ = "mse"
    return dense_run(config, run_dir, checkpoint, data,
                     {"input_shape": list(splits.input_shape), "num_classes": 1},
                     reconstruction_loss, [reconstruction_mse], finish, task="autoencoder",
                     augment=(lambda x, rng: add_noise(x, noise, rng)) if noise else None,
                     quiet=quiet, callbacks=callbacks)


def _finish(model, clean: np.ndarray, test_noise: float, seed: int, folder: Path) -> dict:
    """The three test MSEs, and the figure of inputs, noisy inputs, codes and outputs."""
    noisy = add_noise(clean, test_noise, np.random.default_rng([seed, 30_002]))
    from_clean = _sigmoid(predict(model, clean))
    from_noisy = _sigmoid(predict(model, noisy))
    results = {"reconstruction_mse": float(np.mean((from_clean - clean) ** 2)),
               "denoising_mse": float(np.mean((from_noisy - clean) ** 2)),
               "noisy_input_mse": float(np.mean((noisy - clean) ** 2)),
               "test_noise_std": test_noise}
    shown = slice(0, 10)
    from ivanet.autograd.mode import no_grad
    from ivanet.autograd.tensor import Tensor

    model.eval()
    with no_grad():
        codes = model.encode(Tensor(clean[shown])).data          # (10, code, H/4, W/4)
    np.savez(folder / "examples.npz", images=clean[shown], noisy=noisy[shown], codes=codes,
             outputs=from_clean[shown], denoised=from_noisy[shown])
    try:
        reports = importlib.import_module("ivanet.reports.segmentation")
    except ImportError:
        return results
    reports.autoencoder_figure(clean[shown], noisy[shown], codes, from_clean[shown],
                               from_noisy[shown], folder / "autoencoder.png")
    return results
