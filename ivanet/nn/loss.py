"""Losses as modules (``criterion = CrossEntropyLoss(); loss = criterion(logits, y)``).

Each calls the function of the same name in ``ivanet.ops.losses``; ``reduction`` is
"mean" (the course's J = (1/m)·Σ L), "sum" or "none" (one loss per example).
"""
from __future__ import annotations

from ivanet.nn.module import Module
from ivanet.ops import losses

_REDUCTIONS = ("mean", "sum", "none")


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(f"reduction must be one of {', '.join(_REDUCTIONS)}, "
                             f"got {reduction!r}")
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class CrossEntropyLoss(_Loss):
    """L = −log softmax(z)[y] from raw logits and integer class labels (softmax fused in).

    ``label_smoothing`` ε mixes the one-hot target with the uniform distribution.
    Shape: logits (N, K), labels (N,) → scalar (or (N,) with reduction="none").
    """

    def __init__(self, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(reduction)
        self.label_smoothing = label_smoothing

    def forward(self, logits, target):
        return losses.cross_entropy(logits, target, reduction=self.reduction,
                                    label_smoothing=self.label_smoothing)


class NLLLoss(_Loss):
    """L = −log_probs[y], after a ``LogSoftmax`` layer.

    Shape: log-probabilities (N, K), labels (N,) → scalar (or (N,)).
    """

    def forward(self, log_probs, target):
        return losses.nll_loss(log_probs, target, reduction=self.reduction)


class BCELoss(_Loss):
    """L = −[y·log a + (1 − y)·log(1 − a)] on probabilities a = σ(z) (Day 1's loss).

    Shape: probabilities (N, *) and targets of the same shape → scalar (or (N, *)).
    """

    def forward(self, probs, target):
        return losses.binary_cross_entropy(probs, target, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """The same loss computed from logits z (stable: never takes log of 0).

    Shape: logits (N, *) and targets of the same shape → scalar (or (N, *)).
    """

    def forward(self, logits, target):
        return losses.binary_cross_entropy_with_logits(logits, target,
                                                       reduction=self.reduction)


class MSELoss(_Loss):
    """L = (ŷ − y)², averaged (regression).

    Shape: predictions (N, *) and targets of the same shape → scalar (or (N, *)).
    """

    def forward(self, prediction, target):
        return losses.mse_loss(prediction, target, reduction=self.reduction)
