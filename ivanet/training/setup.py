"""Build a run's pieces from a ``TrainConfig``: data, standardizer, augmentation, model,
optimizer, schedule, loss and metrics. Mistakes become ``ConfigError`` naming the key."""
from __future__ import annotations

import numpy as np

from ivanet import optim
from ivanet.data import augment as aug
from ivanet.data.dataset import DataSplits
from ivanet.data.preprocessing import Standardizer
from ivanet.data.registry import load
from ivanet.models import ModelError, create_model, model_options
from ivanet.training import pretrained
from ivanet.training.config import TrainConfig
from ivanet.training.errors import ConfigError

INIT_STREAM = 1_000_003  # spawn_key of the initial weights (epochs use (epoch, stream))


def load_data(config: TrainConfig) -> DataSplits:
    """The configured data set (``DataError`` if it cannot be read)."""
    try:
        return load(config.data, **config.data_options)
    except TypeError as error:
        raise ConfigError(f"config key 'data_options': {error}") from None


def is_image(splits: DataSplits) -> bool:
    return len(splits.input_shape) == 3  # (C, H, W)


def is_token_ids(splits: DataSplits) -> bool:
    """Text data: integer token ids (N, T) that an ``Embedding`` reads."""
    return splits.vocabulary is not None and np.issubdtype(splits.train.x.dtype, np.integer)


def make_standardizer(config: TrainConfig, splits: DataSplits) -> Standardizer | None:
    """μ, σ fitted on the training inputs only (Day 2, "Data normalization")."""
    mode = config.standardize
    if mode == "none" or (mode == "auto" and is_token_ids(splits)):
        return None
    if is_token_ids(splits):
        raise ConfigError(f"config key 'standardize': {splits.name!r} holds token ids, which "
                          f"cannot be standardised; use 'auto' or 'none'")
    if mode == "auto":
        mode = "channel" if is_image(splits) else "feature"
    if mode == "channel" and len(splits.input_shape) < 2:
        raise ConfigError("config key 'standardize': 'channel' needs (C, H, W) inputs, the "
                          f"data has samples of shape {splits.input_shape}")
    return Standardizer(per=mode).fit(splits.train.x)


_PRESETS = {
    "shift": lambda: aug.RandomCrop(padding=2),
    "affine": lambda: aug.RandomAffine(degrees=10.0, translate=0.08, scale=(0.9, 1.1)),
    "flip": lambda: aug.RandomHorizontalFlip(),
    "noise": lambda: aug.GaussianNoise(std=0.05),
    "erase": lambda: aug.RandomErasing(p=0.5),
}


def make_augmentations(config: TrainConfig, splits: DataSplits) -> list:
    """The augmentations of ``config.augment`` (image data only; "auto" = shifts of ±2 px
    for image classification)."""
    names = [name for name in config.augment.split("+") if name != "none"]
    if names == ["auto"]:
        return ([_PRESETS["shift"]()]
                if is_image(splits) and splits.task == "classification" else [])
    if "auto" in names:
        raise ConfigError("config key 'augment': 'auto' cannot be combined with other presets")
    if names and not is_image(splits):
        raise ConfigError(f"config key 'augment': {config.augment!r} needs image data "
                          f"(C, H, W), {splits.name!r} has samples of shape "
                          f"{splits.input_shape}")
    return [_PRESETS[name]() for name in names]


def output_size(splits: DataSplits) -> int:
    """Classes (classification, tagging), vocabulary size (language model) or target
    columns (regression)."""
    if splits.task in ("classification", "language_model", "tagging"):
        return int(splits.num_classes)
    return int(np.prod(splits.train.y.shape[1:], dtype=np.int64)) or 1


def make_model(config: TrainConfig, splits: DataSplits, fit_data: bool = True):
    """(model, model_config): the configured model sized for the data; ``model_config``
    rebuilds it with ``create_model(config.model, **model_config)``. ``fit_data``: call the
    model's ``fit_data`` on the training split and the data's ``statistics`` rows, if it has
    one (a resumed run's checkpoint holds those statistics already)."""
    reserved = {"input_shape", "num_classes", "rng"} & set(config.model_options)
    if reserved:
        raise ConfigError(f"config key 'model_options': {', '.join(sorted(reserved))} "
                          f"come from the data and the seed, leave them out")
    options = dict(config.model_options)
    vectors = options.pop(pretrained.OPTION, None)  # a starting value, not part of the model
    model_config = {"input_shape": list(splits.input_shape),
                    "num_classes": output_size(splits), **_vocabulary_size(config, splits),
                    **options}
    rng = np.random.default_rng(np.random.SeedSequence(config.seed, spawn_key=(INIT_STREAM,)))
    model = build_model(config.model, model_config, rng)
    if vectors is not None:
        pretrained.load_pretrained_embedding(model, vectors, splits.vocabulary)
    if fit_data and hasattr(model, "fit_data"):  # training-split statistics, e.g.
        x, y = splits.train.x, splits.train.y      # sentiment_nb's log-count ratios
        if splits.statistics is not None:          # rows counted, never trained on
            x = np.concatenate([x, splits.statistics.x])
            y = np.concatenate([y, splits.statistics.y])
        model.fit_data(x, y, splits.vocabulary)
    return model, model_config


def _vocabulary_size(config: TrainConfig, splits: DataSplits) -> dict:
    """``vocab_size`` for a text model that takes one, from the data's input vocabulary."""
    if splits.vocabulary is None:
        return {}
    try:
        takes_it = "vocab_size" in model_options(config.model)
    except ModelError as error:
        raise ConfigError(str(error)) from None
    return {"vocab_size": len(splits.vocabulary["tokens"])} if takes_it else {}


def build_model(name: str, model_config: dict, rng: np.random.Generator | None = None):
    """``create_model`` with model errors reported as configuration errors."""
    try:
        return create_model(name, rng=rng, **model_config)
    except ModelError as error:
        raise ConfigError(str(error)) from None


def make_optimizer(config: TrainConfig, params) -> optim.Optimizer:
    """The configured optimizer over ``params``."""
    lr, decay = config.lr, config.weight_decay
    builders = {
        "sgd": lambda: optim.SGD(params, lr=lr, weight_decay=decay),
        "momentum": lambda: optim.Momentum(params, lr=lr, beta=config.momentum,
                                           weight_decay=decay),
        "adam": lambda: optim.Adam(params, lr=lr, weight_decay=decay),
        "adamw": lambda: optim.AdamW(params, lr=lr, weight_decay=decay),
        "rmsprop": lambda: optim.RMSprop(params, lr=lr, weight_decay=decay),
    }
    try:
        return builders[config.optimizer]()
    except ValueError as error:
        raise ConfigError(f"optimizer {config.optimizer!r}: {error}") from None


def make_schedule(config: TrainConfig, optimizer) -> optim.LRScheduler | None:
    """The configured per-epoch learning-rate schedule (None for "none")."""
    epochs = config.epochs
    builders = {
        "none": lambda: None,
        "step": lambda: optim.StepLR(optimizer, step_size=max(1, epochs // 3), gamma=0.1),
        "exponential": lambda: optim.ExponentialLR(optimizer, gamma=0.95),
        "cosine": lambda: optim.CosineAnnealingLR(optimizer, T_max=epochs),
        "inverse_time": lambda: optim.InverseTimeLR(optimizer, decay_rate=0.1),
    }
    return builders[config.schedule]()


def loss_and_metrics(splits: DataSplits, model_outputs: int) -> tuple[str, tuple[str, ...]]:
    """Loss name and metric names for the task: softmax cross-entropy (or binary
    cross-entropy for a one-output classifier) with accuracy; MSE with MAE and R².
    Language models: cross-entropy per token in nats, no metric (keeping every epoch's
    (N, V, T) logits for one would cost gigabytes)."""
    if splits.task == "language_model":
        return "cross_entropy", ()
    if splits.task == "tagging":  # padding (label 0) counts in neither
        return "masked_cross_entropy", ("token_accuracy", "sequence_accuracy")
    if splits.task == "classification":
        return ("binary_labels" if model_outputs == 1 else "cross_entropy"), ("accuracy",)
    return "mse", ("mae", "r2")
