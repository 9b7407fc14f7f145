"""The model zoo's registry: ``@register_model`` names a factory, the CLI lists and builds.

A factory is a function of keyword options with defaults, two of which every factory
takes: ``input_shape`` (one example's shape, e.g. (1, 28, 28)) and ``num_classes`` (the
number of outputs: classes, or regression targets), plus ``rng`` for the initial weights.

    @register_model("mlp", "multi-layer perceptron for images and vectors")
    def mlp(input_shape=(1, 28, 28), num_classes=10, hidden=(512, 256), rng=None): ...

    model = create_model("mlp", num_classes=3, hidden=[64])
"""
from __future__ import annotations

import difflib
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

_RESERVED = ("rng",)


class ModelError(ValueError):
    """An unknown model name or option (the message lists the valid ones)."""


@dataclass(frozen=True)
class ModelInfo:
    """A row of ``list_models()``: ``parameters`` is the count with default options."""

    name: str
    description: str
    parameters: int
    options: dict


@dataclass(frozen=True)
class _Entry:
    name: str
    description: str
    factory: Callable


_MODELS: dict[str, _Entry] = {}
_discovered = False


def _discover() -> None:
    """Import every module of ``ivanet.models`` once, so that each registers its models
    (a new architecture file needs no other edit to appear in ``list_models``)."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    package = importlib.import_module("ivanet.models")
    for module in pkgutil.iter_modules(package.__path__):
        if not module.name.startswith("_") and module.name != "registry":
            importlib.import_module(f"ivanet.models.{module.name}")


def register_model(name: str, description: str) -> Callable[[Callable], Callable]:
    """Decorator: register ``factory`` under ``name`` (names are unique)."""
    def decorate(factory: Callable) -> Callable:
        if name in _MODELS and _MODELS[name].factory is not factory:
            raise ValueError(f"a model named {name!r} is already registered")
        _MODELS[name] = _Entry(name, description, factory)
        return factory
    return decorate


def _entry(name: str) -> _Entry:
    _discover()
    if name not in _MODELS:
        close = difflib.get_close_matches(str(name), _MODELS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ModelError(f"unknown model {name!r}{hint}; available models: "
                         f"{', '.join(sorted(_MODELS))}")
    return _MODELS[name]


def model_options(name: str) -> dict:
    """The options model ``name`` takes, with their defaults (``rng`` left out)."""
    parameters = inspect.signature(_entry(name).factory).parameters
    return {key: p.default for key, p in parameters.items()
            if key not in _RESERVED and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def create_model(name: str, **options):
    """Build model ``name`` with ``options`` (unknown options raise ``ModelError``)."""
    entry = _entry(name)
    known = model_options(name)
    unknown = [key for key in options if key not in known and key not in _RESERVED]
    if unknown:
        raise ModelError(f"model {name!r} has no option {', '.join(map(repr, unknown))}; "
                         f"its options are: {', '.join(known)}")
    try:
        return entry.factory(**options)
    except (TypeError, ValueError) as error:
        raise ModelError(f"model {name!r}: {error}") from None


def list_models(names: list[str] | None = None) -> list[ModelInfo]:
    """Every registered model (or those in ``names``), sorted by name, with its parameter
    count at default options. Counting builds each model once per process, without drawing
    its initial weights (``init.shapes_only``)."""
    from ivanet.nn import init  # noqa: PLC0415  (the registry itself stays import-light)

    _discover()
    rows = []
    for name in sorted(_MODELS) if names is None else names:
        entry = _entry(name)
        if name not in _COUNTS:
            with init.shapes_only():
                model = create_model(name, rng=np.random.default_rng(0))
            _COUNTS[name] = model.num_parameters()
        rows.append(ModelInfo(name, entry.description, _COUNTS[name], model_options(name)))
    return rows


_COUNTS: dict[str, int] = {}
