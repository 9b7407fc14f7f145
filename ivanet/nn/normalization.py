"""Batch normalisation layers (Day 2): normalise z over the batch, then scale and shift."""
from __future__ import annotations

import numpy as np

from ivanet.nn.checks import check_probability, check_size
from ivanet.nn.module import Module
from ivanet.nn.parameter import Parameter
from ivanet.ops.normalization import batch_norm


class _BatchNorm(Module):
    """ẑ = γ·(z − μ)/√(σ² + ε) + β per feature (channel), μ and σ² over the batch.

    Training uses the batch's μ, σ² and updates the running averages
    running ← (1 − momentum)·running + momentum·batch statistic; evaluation uses the
    running averages (the slide's "mean of the means"). ``momentum=None`` gives the plain
    cumulative average over all batches seen. γ and β are ``weight`` and ``bias`` (PyTorch's
    names, so state dicts move between the two), also reachable as ``gamma`` and ``beta``.
    """

    input_ndims: tuple[int, ...] = ()
    layout: str = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, dtype=np.float32) -> None:
        super().__init__()
        self.num_features = check_size("num_features", num_features)
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps!r}")
        self.eps = float(eps)
        self.momentum = None if momentum is None else check_probability(
            "momentum", momentum, allow_one=True)
        self.affine = affine
        if affine:
            self.weight = Parameter(np.ones(num_features, dtype=dtype))
            self.bias = Parameter(np.zeros(num_features, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
        self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
        self.register_buffer("num_batches_tracked", np.zeros((), dtype=np.int64))

    @property
    def gamma(self) -> Parameter | None:
        return self.weight

    @property
    def beta(self) -> Parameter | None:
        return self.bias

    def forward(self, x, residual=None, relu: bool = False):
        """BN(x), or ReLU(BN(x) + residual) as one fused op (see ``ops.batch_norm``)."""
        shape = tuple(getattr(x, "shape", ()))
        if len(shape) not in self.input_ndims or shape[1] != self.num_features:
            raise ValueError(f"{self.describe()}: expected input of shape {self.layout} with "
                             f"C = {self.num_features}, got shape {shape}")
        momentum = self.momentum
        if self.training:
            self.num_batches_tracked += 1   # in place: the buffer stays the same array
            if momentum is None:
                momentum = 1.0 / int(self.num_batches_tracked)
        return batch_norm(x, self.weight, self.bias, self.running_mean, self.running_var,
                          self.training, momentum if momentum is not None else 0.0, self.eps,
                          residual=residual, relu=relu)

    def reset_running_stats(self) -> None:
        """Forget the running statistics (in place)."""
        self.running_mean.fill(0)
        self.running_var.fill(1)
        self.num_batches_tracked.fill(0)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}")


class BatchNorm1d(_BatchNorm):
    """Batch norm for fully connected layers (statistics over N) or sequences (over N, L).

    Shape: (N, C) → (N, C), or (N, C, L) → (N, C, L).
    """

    input_ndims = (2, 3)
    layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch norm for convolutional feature maps: statistics per channel over (N, H, W).

    Shape: (N, C, H, W) → (N, C, H, W).
    """

    input_ndims = (4,)
    layout = "(N, C, H, W)"
