"""Loss functions: cross-entropy (fused with log-softmax), NLL, binary cross-entropy, MSE.

Each takes ``reduction="mean" | "sum" | "none"`` like PyTorch. Targets may be Tensors or
arrays. Shapes are checked strictly: a target that would only fit by broadcasting, say
(m, 1) against (m,), silently gives an (m, m) loss in plain NumPy; here it is an error.
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor
from ivanet.ops.activations import stable_sigmoid

REDUCTIONS = ("mean", "sum", "none")
LOG_FLOOR = -100.0  # PyTorch's clamp of log(p) in binary cross-entropy: a finite loss at p = 0


# ----------------------------------------------------------------------------- helpers
def _check_reduction(op: str, reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _reduce(loss: np.ndarray, reduction: str, count: int) -> np.ndarray:
    """The per-sample ``loss`` averaged over ``count`` samples, summed, or kept."""
    if reduction == "none":
        return loss
    total = loss.sum(dtype=loss.dtype)
    return np.asarray(total / count if reduction == "mean" else total, dtype=loss.dtype)


def _upstream(grad: np.ndarray, reduction: str, count: int) -> np.ndarray:
    """dL/d(per-sample loss): the upstream gradient spread back over the samples."""
    return grad * (1.0 / count) if reduction == "mean" else grad


def _same_shape_target(op: str, what: str, x: np.ndarray, target) -> np.ndarray:
    """``target`` as an array of ``x``'s float dtype, which must have ``x``'s exact shape."""
    target = np.asarray(target)
    if target.shape != x.shape:
        raise ValueError(
            f"{op}: {what} of shape {x.shape} and targets of shape {target.shape} differ; "
            "reshape the targets (no broadcasting here: (m,) against (m, 1) would "
            "silently compare every pair)")
    if target.dtype.kind not in "biuf":
        raise TypeError(f"{op}: targets must be numeric, got dtype {target.dtype}")
    return target.astype(x.dtype, copy=False)


def _sample_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The scores' shape without the class axis (axis 1, or 0 for unbatched 1-D scores)."""
    return shape[:1] + shape[2:] if len(shape) > 1 else ()


def _class_last(scores: np.ndarray) -> np.ndarray:
    """(M, C) rows, one per sample: (N, C) as is, (C,) → (1, C), (N, C, d1, …) → (N·d1·…, C)."""
    if scores.ndim == 2:
        return scores
    if scores.ndim == 1:
        return scores.reshape(1, -1)
    return np.moveaxis(scores, 1, -1).reshape(-1, scores.shape[1])


def _class_back(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Inverse of :func:`_class_last`, for gradients of the scores."""
    if len(shape) <= 2:
        return rows.reshape(shape)
    moved = shape[:1] + shape[2:] + shape[1:2]                   # (N, d1, …, C)
    return np.moveaxis(rows.reshape(moved), -1, 1)


def _check_labels(op: str, scores: np.ndarray, labels) -> np.ndarray:
    """Integer class labels of the scores' sample shape, each in [0, C), flattened to (M,)."""
    labels = np.asarray(labels)
    expected = _sample_shape(scores.shape)
    if labels.shape != expected:
        raise ValueError(
            f"{op}: scores of shape {scores.shape} need class labels of shape {expected} "
            f"(or probability targets of shape {scores.shape}), got targets of shape "
            f"{labels.shape}")
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{op}: class labels must be integers, got dtype {labels.dtype} "
                        f"(probability targets need the scores' shape {scores.shape})")
    classes = scores.shape[1 if scores.ndim > 1 else 0]
    if labels.size:
        low, high = labels.min(), labels.max()
        if low < 0 or high >= classes:
            raise ValueError(f"{op}: class label {low if low < 0 else high} is out of range "
                             f"[0, {classes}) for scores of shape {scores.shape}")
    return labels.reshape(-1)


def _log_softmax_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log softmax and softmax of each row, shifted by the row max (no overflow)."""
    log_probs = rows - rows.max(axis=1, keepdims=True)
    with np.errstate(under="ignore"):
        probs = np.exp(log_probs)
        total = probs.sum(axis=1, keepdims=True)                 # ≥ 1
        log_probs -= np.log(total)
        probs /= total
    return log_probs, probs


# ----------------------------------------------------------------------------- ops
class CrossEntropy(Function):
    """L_i = −Σ_c y_ic log softmax(z_i)_c, fused;  dL_i/dz_i = softmax(z_i)·Σ_c y_ic − y_i.

    y_i is the one-hot row of label i (smoothed: (1 − ε)·y_i + ε/C) or the given target
    row; for rows summing to 1 the gradient is the familiar softmax − y (over N for a mean).
    """

    def forward(self, logits, target, reduction, label_smoothing):
        op = "cross_entropy"
        self.shape, self.reduction, self.smoothing = logits.shape, reduction, label_smoothing
        self.by_label = np.shape(target) != logits.shape
        if self.by_label:
            self.labels = _check_labels(op, logits, target)
        else:
            soft = _class_last(_same_shape_target(op, "logits", logits, target))
        log_probs, self.probs = _log_softmax_rows(_class_last(logits))
        self.samples, classes = log_probs.shape
        if self.by_label:
            loss = -log_probs[np.arange(self.samples), self.labels]
            if label_smoothing:
                loss *= 1.0 - label_smoothing
                loss -= (label_smoothing / classes) * log_probs.sum(axis=1)
        else:
            if label_smoothing:
                soft = soft * (1.0 - label_smoothing) + label_smoothing / classes
            self.soft, self.log_probs = soft, log_probs
            loss = -(soft * log_probs).sum(axis=1)
        return _reduce(loss.reshape(_sample_shape(self.shape)), reduction, self.samples)

    def backward(self, grad):
        upstream = _upstream(grad, self.reduction, self.samples).reshape(-1, 1)  # (M or 1, 1)
        grad_logits = grad_target = None
        if self.needs_input_grad[0] and self.by_label:
            grad_logits = self.probs * upstream
            hit = upstream[:, 0]
            if self.smoothing:
                grad_logits -= upstream * (self.smoothing / self.probs.shape[1])
                hit = hit * (1.0 - self.smoothing)
            grad_logits[np.arange(self.samples), self.labels] -= hit
        elif self.needs_input_grad[0]:
            mass = self.soft.sum(axis=1, keepdims=True)             # Σ_c y_ic, 1 for a pmf
            grad_logits = self.probs * (mass * upstream)
            grad_logits -= self.soft * upstream
        if grad_logits is not None:
            grad_logits = _class_back(grad_logits, self.shape)
        if self.needs_input_grad[1]:
            grad_target = self.log_probs * (upstream * -(1.0 - self.smoothing))
            grad_target = _class_back(grad_target, self.shape)
        return grad_logits, grad_target


class NLLLoss(Function):
    """L_i = −log_probs[i, y_i];  dL_i/dlog_probs = −1 at the label, 0 elsewhere."""

    def forward(self, log_probs, labels, reduction):
        self.shape, self.reduction = log_probs.shape, reduction
        self.labels = _check_labels("nll_loss", log_probs, labels)
        rows = _class_last(log_probs)
        self.samples = rows.shape[0]
        loss = -rows[np.arange(self.samples), self.labels]
        return _reduce(loss.reshape(_sample_shape(self.shape)), reduction, self.samples)

    def backward(self, grad):
        upstream = _upstream(grad, self.reduction, self.samples).reshape(-1)
        grad_rows = np.zeros((self.samples, self.shape[1 if len(self.shape) > 1 else 0]),
                             dtype=grad.dtype)
        grad_rows[np.arange(self.samples), self.labels] = -upstream
        return _class_back(grad_rows, self.shape)


class BinaryCrossEntropy(Function):
    """L = −[y log p + (1 − y) log(1 − p)], each log clamped at −100 like PyTorch.

    dL/dp = (p − y) / max(p(1 − p), 10⁻¹²);  dL/dy = log(1 − p) − log p.
    """

    def forward(self, p, y, reduction):
        op = "binary_cross_entropy"
        y = _same_shape_target(op, "probabilities", p, y)
        if p.size and (p.min() < 0 or p.max() > 1):
            raise ValueError(f"{op}: probabilities must lie in [0, 1], got values in "
                             f"[{p.min():.4g}, {p.max():.4g}]; for raw scores use "
                             "binary_cross_entropy_with_logits")
        with np.errstate(divide="ignore"):                  # log 0 = −inf, clamped below
            log_p = np.maximum(np.log(p), LOG_FLOOR)
            log_q = np.maximum(np.log1p(-p), LOG_FLOOR)
        self.p, self.y, self.reduction = p, y, reduction
        self.log_ratio = log_p - log_q                      # log p − log(1 − p)
        loss = self.log_ratio * y
        loss += log_q
        loss *= -1.0
        return _reduce(loss, reduction, loss.size)

    def backward(self, grad):
        upstream = _upstream(grad, self.reduction, self.p.size)
        grad_p = grad_y = None
        if self.needs_input_grad[0]:
            variance = np.subtract(1, self.p, out=np.empty_like(self.p))
            variance *= self.p
            np.maximum(variance, 1e-12, out=variance)
            grad_p = self.p - self.y
            grad_p /= variance
            grad_p *= upstream
        if self.needs_input_grad[1]:
            grad_y = self.log_ratio * -upstream
        return grad_p, grad_y


class BinaryCrossEntropyWithLogits(Function):
    """L = max(z, 0) − z·y + log(1 + e^−|z|) = BCE(σ(z), y) without overflow;
    dL/dz = σ(z) − y, dL/dy = −z."""

    def forward(self, z, y, reduction):
        y = _same_shape_target("binary_cross_entropy_with_logits", "logits", z, y)
        self.z, self.y, self.reduction = z, y, reduction
        with np.errstate(under="ignore"):
            softplus = np.log1p(np.exp(-np.abs(z)))         # log(1 + e^−|z|)
        loss = np.maximum(z, 0)
        loss -= z * y
        loss += softplus
        return _reduce(loss, reduction, loss.size)

    def backward(self, grad):
        upstream = _upstream(grad, self.reduction, self.z.size)
        grad_z = grad_y = None
        if self.needs_input_grad[0]:
            grad_z = stable_sigmoid(self.z)
            grad_z -= self.y
            grad_z *= upstream
        if self.needs_input_grad[1]:
            grad_y = self.z * -upstream
        return grad_z, grad_y


class MSELoss(Function):
    """L = (ŷ − y)²;  dL/dŷ = 2(ŷ − y), dL/dy = −2(ŷ − y)."""

    def forward(self, prediction, target, reduction):
        target = _same_shape_target("mse_loss", "predictions", prediction, target)
        self.diff, self.reduction = prediction - target, reduction
        return _reduce(np.square(self.diff), reduction, self.diff.size)

    def backward(self, grad):
        grad_prediction = self.diff * (2.0 * _upstream(grad, self.reduction, self.diff.size))
        grad_target = -grad_prediction if self.needs_input_grad[1] else None
        return grad_prediction, grad_target


# ----------------------------------------------------------------------------- functions
def cross_entropy(logits: Tensor, target, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy of raw scores, fused: −log softmax(z)[label] per sample.

    Shape: logits (N, C) with integer labels (N,), or (N, C, d1, …) with labels (N, d1, …);
    or targets of the logits' own shape (one-hot rows or probabilities). "mean" averages
    over the samples, "none" returns the per-sample losses.
    """
    _check_reduction("cross_entropy", reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], "
                         f"got {label_smoothing}")
    return CrossEntropy.apply(logits, target, reduction=reduction,
                              label_smoothing=float(label_smoothing))


def nll_loss(log_probs: Tensor, labels, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood −log_probs[label] of integer labels (use after log_softmax).

    Shape: log_probs (N, C) with labels (N,), or (N, C, d1, …) with labels (N, d1, …).
    """
    _check_reduction("nll_loss", reduction)
    return NLLLoss.apply(log_probs, labels, reduction=reduction)


def binary_cross_entropy(probabilities: Tensor, targets, reduction: str = "mean") -> Tensor:
    """−[y log p + (1 − y) log(1 − p)] elementwise; p and y have the same shape."""
    _check_reduction("binary_cross_entropy", reduction)
    return BinaryCrossEntropy.apply(probabilities, targets, reduction=reduction)


def binary_cross_entropy_with_logits(logits: Tensor, targets,
                                     reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of σ(z), computed from the logits z stably; same shapes."""
    _check_reduction("binary_cross_entropy_with_logits", reduction)
    return BinaryCrossEntropyWithLogits.apply(logits, targets, reduction=reduction)


def mse_loss(prediction: Tensor, target, reduction: str = "mean") -> Tensor:
    """Squared error (ŷ − y)² elementwise; prediction and target have the same shape."""
    _check_reduction("mse_loss", reduction)
    return MSELoss.apply(prediction, target, reduction=reduction)
