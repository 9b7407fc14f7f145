"""Weight initialisation, in place, with the formulas of ``torch.nn.init``.

Why it matters: with fan-in n and weights of variance v, a layer multiplies the variance
of its input by about n·v. Keep n·v ≈ 1 (times a gain that undoes what the activation
removes: ReLU zeroes half the signal, so gain² = 2) and signals neither vanish nor explode
with depth. All-equal weights (zeros) never break symmetry: every hidden unit of a layer
receives the same gradient and stays a copy of the others.

    Xavier/Glorot (tanh, sigmoid): std = gain·√(2/(fan_in+fan_out)),
                                   bound = gain·√(6/(fan_in+fan_out))
    He/Kaiming (ReLU):             std = gain/√fan with gain = √2, bound = √3·std

See docs/init.md for the derivation and the slide's errata.
"""
from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator

import numpy as np

from ivanet.autograd.tensor import Tensor

_UNIT_GAIN = ("linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
              "conv_transpose2d", "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor that restores unit variance after ``nonlinearity`` (torch's values).

    linear/conv/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1+slope²)) (slope 0.01 by
    default), selu 3/4.
    """
    if nonlinearity in _UNIT_GAIN:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"leaky_relu gain needs a numeric slope, got {param!r}")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"unknown nonlinearity {nonlinearity!r}; expected one of "
                     f"{', '.join(_UNIT_GAIN + ('tanh', 'relu', 'leaky_relu', 'selu'))}")


def calculate_fan_in_and_fan_out(tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight: Linear (out, in) → (in, out); conv
    (out, in, kh, kw) → (in·kh·kw, out·kh·kw). Accepts an array, a Tensor or a shape."""
    shape = tuple(tensor) if isinstance(tensor, (tuple, list)) else _array(tensor).shape
    if len(shape) < 2:
        raise ValueError(f"fan in and fan out need a weight with at least 2 dimensions, "
                         f"got shape {shape}")
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def zeros_(tensor):
    """Fill with 0 (in place); returns ``tensor``."""
    _array(tensor)[...] = 0
    return tensor


def ones_(tensor):
    """Fill with 1 (in place); returns ``tensor``."""
    _array(tensor)[...] = 1
    return tensor


def constant_(tensor, value: float):
    """Fill with ``value`` (in place); returns ``tensor``."""
    _array(tensor)[...] = value
    return tensor


_SAMPLING = [True]


@contextlib.contextmanager
def shapes_only() -> Iterator[None]:
    """Within it, ``normal_`` and ``uniform_`` (and every scheme built on them) leave the
    array as allocated and draw nothing: building a model only to count or list its
    parameters then skips sampling (and touching) hundreds of megabytes. The weights built
    inside are meaningless; never train them."""
    _SAMPLING.append(False)
    try:
        yield
    finally:
        _SAMPLING.pop()


def normal_(tensor, mean: float = 0.0, std: float = 1.0,
            rng: np.random.Generator | None = None):
    """Fill with samples of N(mean, std²) (in place); returns ``tensor``."""
    array = _array(tensor)
    if not _SAMPLING[-1]:
        return tensor
    samples = _generator(rng).standard_normal(array.shape, dtype=_sample_dtype(array))
    array[...] = samples * std + mean
    return tensor


def uniform_(tensor, a: float = 0.0, b: float = 1.0, rng: np.random.Generator | None = None):
    """Fill with samples of U(a, b) (in place); returns ``tensor``."""
    array = _array(tensor)
    if not _SAMPLING[-1]:
        return tensor
    samples = _generator(rng).random(array.shape, dtype=_sample_dtype(array))
    array[...] = samples * (b - a) + a
    return tensor


def xavier_normal_(tensor, gain: float = 1.0, rng: np.random.Generator | None = None):
    """Glorot & Bengio 2010: N(0, std²), std = gain·√(2/(fan_in+fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng)


def xavier_uniform_(tensor, gain: float = 1.0, rng: np.random.Generator | None = None):
    """Glorot & Bengio 2010: U(−bound, bound), bound = gain·√(6/(fan_in+fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, rng)


def kaiming_normal_(tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", rng: np.random.Generator | None = None):
    """He et al. 2015: N(0, std²), std = gain/√fan (gain √2 for ReLU: a=0 leaky ReLU)."""
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), rng)


def kaiming_uniform_(tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", rng: np.random.Generator | None = None):
    """He et al. 2015: U(−bound, bound), bound = √3·gain/√fan (the normal's variance)."""
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, rng)


def init_linear_(weight, bias, scheme: str | Callable, rng: np.random.Generator | None):
    """Initialise a layer's ``weight`` (and ``bias``, may be None) by scheme name.

    "he" N(0, 2/fan_in) · "he_uniform" · "xavier" N(0, 2/(fan_in+fan_out)) ·
    "xavier_uniform" · "lecun" N(0, 1/fan_in) · "torch" (PyTorch's default: weight and
    bias U(±1/√fan_in)) · "zeros" (never breaks symmetry: for demonstrations only), or a
    callable ``fn(weight_array, rng)``. Biases start at 0 except under "torch".
    """
    rng = _generator(rng)
    if callable(scheme):
        scheme(_array(weight), rng)
    elif scheme in _SCHEMES:
        _SCHEMES[scheme](weight, rng)
    else:
        raise ValueError(f"unknown init {scheme!r}; expected one of {', '.join(_SCHEMES)} "
                         "or a callable fn(weight, rng)")
    if bias is None:
        return
    if scheme == "torch":
        bound = 1.0 / math.sqrt(calculate_fan_in_and_fan_out(weight)[0])
        uniform_(bias, -bound, bound, rng)
    else:
        zeros_(bias)


_SCHEMES: dict[str, Callable] = {
    "he": lambda w, rng: kaiming_normal_(w, nonlinearity="relu", rng=rng),
    "he_uniform": lambda w, rng: kaiming_uniform_(w, nonlinearity="relu", rng=rng),
    "xavier": lambda w, rng: xavier_normal_(w, rng=rng),
    "xavier_uniform": lambda w, rng: xavier_uniform_(w, rng=rng),
    "lecun": lambda w, rng: kaiming_normal_(w, nonlinearity="linear", rng=rng),
    "torch": lambda w, rng: kaiming_uniform_(w, a=math.sqrt(5.0), rng=rng),
    "zeros": lambda w, rng: zeros_(w),
}


def _kaiming_std(tensor, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def _array(tensor) -> np.ndarray:
    array = tensor.data if isinstance(tensor, Tensor) else tensor
    if not isinstance(array, np.ndarray):
        raise TypeError(f"init functions fill a Tensor or an ndarray in place, "
                        f"got {type(tensor).__name__}")
    return array


def _sample_dtype(array: np.ndarray):
    """Draw float32 samples for float32 weights (no float64 temporary), else float64."""
    return np.float32 if array.dtype == np.float32 else np.float64


def _generator(rng: np.random.Generator | None) -> np.random.Generator:
    return rng if rng is not None else np.random.default_rng()
