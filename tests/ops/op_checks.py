"""Shared checks for op tests: finite differences and PyTorch parity, both in float64.

``check_op(fn, torch_fn, *arrays)`` runs both: ``gradcheck`` with a random upstream
gradient, then forward and every input gradient against PyTorch with the same upstream.
Non-float arrays (indices, masks) are passed as constants. Hypothesis strategies for
shapes and axes live here too.
"""
from __future__ import annotations

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ivanet import Tensor
from ivanet.autograd.gradcheck import gradcheck

seeds = st.integers(0, 2**32 - 1)


def shapes(min_dims: int = 0, max_dims: int = 3, max_side: int = 4):
    """Small array shapes (sides 1..max_side)."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1,
                            max_side=max_side)


def broadcast_shapes(num_shapes: int = 2, max_dims: int = 3, max_side: int = 4):
    """Tuples of shapes that broadcast together (added and stretched axes)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=0, max_dims=max_dims, min_side=1, max_side=max_side
    ).map(lambda result: result.input_shapes)


@st.composite
def axes(draw, ndim: int):
    """An ``axis`` argument for a tensor with ``ndim`` axes: None, an int, or a tuple."""
    if ndim == 0:
        return None
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1))
    chosen = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    return tuple(a - ndim if draw(st.booleans()) else a for a in chosen)


def torch_dims(axis, ndim: int):
    """PyTorch's ``dim`` for our ``axis`` (torch reads an empty tuple as 'all axes')."""
    return tuple(range(ndim)) if axis is None else axis


def assert_gradcheck(fn, *arrays, seed: int = 0, tol: float = 1e-6):
    """Finite-difference check of every float input, random upstream; prints the report."""
    report = gradcheck(fn, *arrays, rng=np.random.default_rng(seed), tol=tol)
    assert report.passed, f"\n{report}"
    return report


def assert_matches_torch(fn, torch_fn, *arrays, seed: int = 0, rtol: float = 1e-10,
                         atol: float = 1e-12):
    """Forward and the gradient of every float input equal PyTorch's (float64 both sides)."""
    ours = [Tensor(a.copy(), requires_grad=_is_float(a)) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=_is_float(a)) for a in arrays]
    out, expected = fn(*ours), torch_fn(*theirs)
    assert out.shape == tuple(expected.shape), f"shape {out.shape} vs {tuple(expected.shape)}"
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=rtol, atol=atol,
                               err_msg="forward differs from PyTorch")
    upstream = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(upstream)
    expected.backward(torch.from_numpy(upstream))
    for position, (mine, reference) in enumerate(zip(ours, theirs)):
        if not reference.requires_grad:
            continue
        expected_grad = (reference.grad.numpy() if reference.grad is not None
                         else np.zeros(reference.shape))
        assert mine.grad is not None, f"no gradient for input {position}"
        assert mine.grad.shape == mine.shape
        np.testing.assert_allclose(mine.grad, expected_grad, rtol=rtol, atol=atol,
                                   err_msg=f"gradient of input {position} differs from PyTorch")


def check_op(fn, torch_fn, *arrays, seed: int = 0, fd: bool = True, rtol: float = 1e-10,
             atol: float = 1e-12, fd_tol: float = 1e-6):
    """Both checks: finite differences (unless ``fd=False``) and PyTorch parity."""
    if fd:
        assert_gradcheck(fn, *arrays, seed=seed, tol=fd_tol)
    assert_matches_torch(fn, torch_fn, *arrays, seed=seed, rtol=rtol, atol=atol)


def normal(seed: int, *shapes_: tuple[int, ...]) -> list[np.ndarray]:
    """Standard-normal float64 arrays, one per shape."""
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in shapes_]


def away_from_zero(seed: int, *shapes_: tuple[int, ...], low: float = 0.5,
                   high: float = 2.0, positive: bool = False) -> list[np.ndarray]:
    """Float64 arrays with |x| in [low, high] (random signs unless ``positive``)."""
    rng = np.random.default_rng(seed)
    arrays = []
    for shape in shapes_:
        magnitude = rng.uniform(low, high, shape)
        arrays.append(magnitude if positive else magnitude * rng.choice([-1.0, 1.0], shape))
    return arrays


def _is_float(array: np.ndarray) -> bool:
    return np.asarray(array).dtype.kind == "f"


@st.composite
def conv3x3_problems(draw, max_images: int = 3, max_channels: int = 5,
                     max_out_channels: int = 9, max_side: int = 13):
    """((N, C, H, W), (C_out, C, 3, 3), ((top, bottom), (left, right))) with padding 0–2 on
    each side and an output of at least one pixel: inputs for the 3×3 stride-1 paths."""
    n, c = draw(st.integers(1, max_images)), draw(st.integers(1, max_channels))
    c_out = draw(st.integers(1, max_out_channels))
    pads = tuple((draw(st.integers(0, 2)), draw(st.integers(0, 2))) for _ in range(2))
    h = draw(st.integers(max(1, 3 - sum(pads[0])), max_side))
    w = draw(st.integers(max(1, 3 - sum(pads[1])), max_side))
    return (n, c, h, w), (c_out, c, 3, 3), pads
