"""The YOLO loss (YOLOv2-style, on the course's targets), one fused op with its backward.

With t the raw output rearranged to (N, S, S, B, 5 + C), y the targets of
``encode_targets`` and m = y[..., 0] (1 where an anchor is responsible for an object):

    L = (1/N) Σ  λ_coord · m · [(σ(t₁) − b_x)² + (σ(t₂) − b_y)²
                               + (t₃ − ln(b_h/â_h))² + (t₄ − ln(b_w/â_w))²]
               + m · BCE(σ(t₀), 1) + λ_noobj · (1 − m) · BCE(σ(t₀), 0)
               + m · CE(softmax(t₅…), class)

where â is the anchor's size in cells. Sizes are compared on the log scale, so a 10 %
error costs the same for a small and a big box.

    dL/dt₀ = (m + λ_noobj(1 − m))(σ(t₀) − m)/N
    dL/dt₁ = 2λ_coord · m (σ(t₁) − b_x) σ(t₁)(1 − σ(t₁))/N      (t₂ alike)
    dL/dt₃ = 2λ_coord · m (t₃ − ln(b_h/â_h))/N                  (t₄ alike)
    dL/dt₅… = m (softmax(t₅…) − onehot)/N
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd.function import Function
from ivanet.autograd.tensor import Tensor
from ivanet.ops.activations import stable_sigmoid


def _grid_layout(raw: np.ndarray, anchors: int) -> np.ndarray:
    """(N, B·D, S, S) → (N, S, S, B, D)."""
    n, channels, s, s2 = raw.shape
    return raw.reshape(n, anchors, channels // anchors, s, s2).transpose(0, 3, 4, 1, 2)


class YoloLoss(Function):
    """The YOLO loss of the module docstring; raw (N, B·(5+C), S, S) → scalar."""

    def forward(self, raw, target, anchors_cells, lambda_coord, lambda_noobj):
        b = len(anchors_cells)
        t = _grid_layout(raw, b)
        n, dtype = raw.shape[0], raw.dtype
        m = target[..., 0].astype(dtype)
        sig = stable_sigmoid(t[..., 0:3])
        # log targets only where an object is; elsewhere 0 (masked out below)
        size_ratio = np.where(m[..., None] > 0, target[..., [3, 4]], 1.0)
        log_size = np.log(size_ratio / anchors_cells[:, ::-1].astype(dtype)).astype(dtype)
        xy_err = sig[..., 1:3] - target[..., 1:3]
        hw_err = t[..., 3:5] - log_size
        coord = lambda_coord * float(np.sum(m[..., None] * (xy_err ** 2 + hw_err ** 2)))
        # binary cross-entropy on logits: softplus(t) − m·t, written stably
        t0 = t[..., 0]
        bce = np.maximum(t0, 0) - t0 * m + np.log1p(np.exp(-np.abs(t0)))
        weight = m + lambda_noobj * (1.0 - m)
        logits = t[..., 5:] - t[..., 5:].max(axis=-1, keepdims=True)
        log_probs = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
        ce = -np.sum(target[..., 5:] * log_probs, axis=-1)
        total = coord + float(np.sum(weight * bce)) + float(np.sum(m * ce))
        if self.recording:
            self.saved = (m, sig, xy_err, hw_err, weight, log_probs, target, lambda_coord, b)
        return np.asarray(total / n, dtype=dtype)

    def backward(self, grad):
        m, sig, xy_err, hw_err, weight, log_probs, target, lambda_coord, b = self.saved
        n = m.shape[0]
        scale = float(grad) / n
        grad_t = np.empty(m.shape + (target.shape[-1],), dtype=sig.dtype)
        grad_t[..., 0] = weight * (sig[..., 0] - m)
        d_sig = sig[..., 1:3] * (1.0 - sig[..., 1:3])
        grad_t[..., 1:3] = (2.0 * lambda_coord) * m[..., None] * xy_err * d_sig
        grad_t[..., 3:5] = (2.0 * lambda_coord) * m[..., None] * hw_err
        grad_t[..., 5:] = m[..., None] * (np.exp(log_probs) - target[..., 5:])
        grad_t *= scale
        s, s2 = m.shape[1:3]
        grad_raw = grad_t.transpose(0, 3, 4, 1, 2).reshape(n, -1, s, s2)    # (N, B·D, S, S)
        return grad_raw, None


def yolo_loss(raw: Tensor, target, anchors, image_size: tuple[int, int],
              lambda_coord: float = 5.0, lambda_noobj: float = 0.5) -> Tensor:
    """The YOLO loss (module docstring) of raw output (N, B·(5+C), S, S) against targets
    (N, S, S, B, 5 + C) from ``encode_batch``; anchors (B, 2) = (w, h) in pixels."""
    anchors = np.asarray(anchors, dtype=np.float64)
    n, channels, s, s2 = raw.shape
    target = np.asarray(target.data if isinstance(target, Tensor) else target)
    b = len(anchors)
    if channels % b or (target.shape != (n, s, s2, b, channels // b)):
        raise ValueError(f"yolo_loss: raw output {raw.shape} and targets {target.shape} "
                         f"disagree: expected targets (N, S, S, B, 5 + C) = "
                         f"({n}, {s}, {s2}, {b}, {channels // b}) for {b} anchors")
    anchors_cells = anchors / np.array([image_size[1] / s2, image_size[0] / s])   # (w, h)
    target = target.astype(raw.dtype, copy=False)
    return YoloLoss.apply(raw, target, anchors_cells, float(lambda_coord), float(lambda_noobj))
