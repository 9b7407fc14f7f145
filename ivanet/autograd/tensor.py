"""``Tensor``: an n-dimensional array that remembers the op that made it.

The methods below are thin: each calls the lowercase op in ``ivanet.ops`` that does the
work (imported at the bottom of this file, since the ops themselves build on ``Tensor``).
"""
from __future__ import annotations

import numpy as np

from ivanet.autograd import backend

_FLOAT_KINDS = "f"


def as_array(data, dtype=None):
    """An array for ``data``: Python numbers and lists become float32 (ints stay ints);
    arrays keep their dtype unless ``dtype`` is given."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return backend.xp().asarray(data, dtype=dtype)
    if isinstance(data, np.ndarray) or hasattr(data, "__cuda_array_interface__"):
        return data
    if isinstance(data, np.generic):
        return np.asarray(data)
    array = backend.xp().asarray(data)
    if array.dtype == np.float64:
        array = array.astype(backend.DEFAULT_DTYPE)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"Tensor data must be numeric, got dtype {array.dtype}")
    return array


class Tensor:
    """An array with an optional gradient (``grad``, a plain array like ``data``).

    Shape: any. ``requires_grad=True`` makes ops on it record a graph; ``backward()`` then
    fills ``grad`` of every leaf tensor that requires it, accumulating like PyTorch.
    """

    __slots__ = ("data", "grad", "requires_grad", "creator", "name", "__weakref__")
    __array_priority__ = 100  # ndarray + Tensor → Tensor.__radd__

    def __init__(self, data, requires_grad: bool = False, dtype=None, name: str | None = None):
        self.data = as_array(data, dtype)
        if requires_grad and self.data.dtype.kind not in _FLOAT_KINDS:
            raise TypeError(
                f"only floating-point tensors can require gradients, got dtype {self.data.dtype}"
            )
        self.grad = None
        self.requires_grad = requires_grad
        self.creator = None
        self.name = name

    @classmethod
    def _from_op(cls, data, creator) -> Tensor:
        """The output of an op (skips ``__init__``'s checks: ops return proper arrays)."""
        out = cls.__new__(cls)
        out.data = data
        out.grad = None
        out.requires_grad = creator is not None
        out.creator = creator
        out.name = None
        return out

    # ----------------------------------------------------------------- properties
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        return self.creator is None

    @property
    def T(self) -> Tensor:
        return self.transpose()

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(backend.to_numpy(self.data), precision=4, separator=", ",
                               prefix="Tensor(")
        extra = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({body}{extra})"

    def __array__(self, dtype=None, copy=None):
        array = backend.to_numpy(self.data)
        return array if dtype is None else array.astype(dtype)

    # ----------------------------------------------------------------- conversion
    def numpy(self) -> np.ndarray:
        """The data as a NumPy array (no copy on the NumPy backend)."""
        return backend.to_numpy(self.data)

    def item(self) -> float:
        """The single value of a one-element tensor, as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        return self.data.reshape(()).item()

    def detach(self) -> Tensor:
        """The same data, cut from the graph (no copy)."""
        return Tensor._from_op(self.data, None)

    def astype(self, dtype) -> Tensor:
        """A detached copy in another dtype."""
        return Tensor(self.data.astype(dtype))

    def requires_grad_(self, flag: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (leaf tensors only) and return self."""
        if not self.is_leaf:
            raise RuntimeError("requires_grad_() applies to leaf tensors only")
        self.requires_grad = flag
        return self

    def zero_grad(self) -> None:
        """Drop the accumulated gradient."""
        self.grad = None

    # ----------------------------------------------------------------- autograd
    def backward(self, grad=None, retain_graph: bool = False) -> None:
        """Back-propagate from this tensor; ``grad`` defaults to 1 for a scalar."""
        if not self.requires_grad:
            raise RuntimeError("backward() on a tensor that does not require grad "
                               "(was it made under no_grad(), or from constants only?)")
        if grad is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() without a gradient needs a scalar, got shape {self.shape}; "
                    "pass grad= of the same shape"
                )
            grad = backend.array_module(self.data).ones_like(self.data)
        else:
            grad = as_array(grad, self.data.dtype)
            if grad.shape != self.shape:
                raise ValueError(f"backward(grad=...) has shape {grad.shape}, "
                                 f"expected {self.shape}")
        if self.creator is None:
            graph._accumulate_leaf(self, grad)
            return
        graph.run_backward(self, grad, retain_graph)

    # ----------------------------------------------------------------- arithmetic
    def __add__(self, other):
        return ops.arithmetic.add(self, other)

    def __radd__(self, other):
        return ops.arithmetic.add(other, self)

    def __sub__(self, other):
        return ops.arithmetic.sub(self, other)

    def __rsub__(self, other):
        return ops.arithmetic.sub(other, self)

    def __mul__(self, other):
        return ops.arithmetic.mul(self, other)

    def __rmul__(self, other):
        return ops.arithmetic.mul(other, self)

    def __truediv__(self, other):
        return ops.arithmetic.div(self, other)

    def __rtruediv__(self, other):
        return ops.arithmetic.div(other, self)

    def __pow__(self, exponent):
        return ops.arithmetic.pow(self, exponent)

    def __rpow__(self, base):
        return ops.arithmetic.pow(base, self)

    def __neg__(self):
        return ops.arithmetic.neg(self)

    def __matmul__(self, other):
        return ops.linalg.matmul(self, other)

    def __rmatmul__(self, other):
        return ops.linalg.matmul(other, self)

    def __getitem__(self, index):
        return ops.shape.getitem(self, index)

    # Comparisons give plain boolean arrays: they have no gradient.
    def __lt__(self, other):
        return self.data < _raw(other)

    def __le__(self, other):
        return self.data <= _raw(other)

    def __gt__(self, other):
        return self.data > _raw(other)

    def __ge__(self, other):
        return self.data >= _raw(other)

    __hash__ = object.__hash__

    # ----------------------------------------------------------------- reductions
    def sum(self, axis=None, keepdims: bool = False):
        return ops.reduction.sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims: bool = False):
        return ops.reduction.mean(self, axis, keepdims)

    def max(self, axis=None, keepdims: bool = False):
        return ops.reduction.max(self, axis, keepdims)

    def min(self, axis=None, keepdims: bool = False):
        return ops.reduction.min(self, axis, keepdims)

    def var(self, axis=None, keepdims: bool = False, ddof: int = 0):
        return ops.reduction.var(self, axis, keepdims, ddof)

    def logsumexp(self, axis=None, keepdims: bool = False):
        return ops.reduction.logsumexp(self, axis, keepdims)

    # ----------------------------------------------------------------- shape
    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return ops.shape.reshape(self, shape)

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return ops.shape.transpose(self, axes or None)

    def flatten(self, start_dim: int = 0):
        """Merge the dimensions from ``start_dim`` on into one."""
        return ops.shape.reshape(self, self.shape[:start_dim] + (-1,))

    # ----------------------------------------------------------------- elementwise
    def exp(self):
        return ops.elementwise.exp(self)

    def log(self):
        return ops.elementwise.log(self)

    def sqrt(self):
        return ops.elementwise.sqrt(self)

    def abs(self):
        return ops.elementwise.abs(self)

    def clip(self, low=None, high=None):
        return ops.elementwise.clip(self, low, high)

    def sigmoid(self):
        return ops.activations.sigmoid(self)

    def tanh(self):
        return ops.activations.tanh(self)

    def relu(self):
        return ops.activations.relu(self)

    def softmax(self, axis: int = -1):
        return ops.activations.softmax(self, axis)

    def log_softmax(self, axis: int = -1):
        return ops.activations.log_softmax(self, axis)


def _raw(x):
    return x.data if isinstance(x, Tensor) else x


# The ops build on Tensor, so they are imported after it is defined (an intended cycle,
# the one place where autograd looks at ops; tests/test_imports.py allows exactly this).
from ivanet import ops  # noqa: E402
from ivanet.autograd import graph  # noqa: E402
