"""``Function``: one differentiable op, its ``forward`` and ``backward`` side by side.

A subclass writes ``forward(self, *arrays, **attrs) -> array`` on raw arrays and stores on
``self`` what its backward needs; ``backward(self, grad) -> grad or tuple of grads`` returns
one gradient per positional input (``None`` where no gradient is needed). Users call the
lowercase function that wraps ``SomeOp.apply``.
"""
from __future__ import annotations

import os
import traceback

import numpy as np

from ivanet.autograd.mode import state
from ivanet.autograd.tensor import Tensor


class Function:
    """Base class of every differentiable op (see the module docstring)."""

    inputs: tuple | None
    needs_input_grad: tuple[bool, ...]
    created_at: str

    def forward(self, *arrays, **attrs):
        raise NotImplementedError

    def backward(self, grad):
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **attrs) -> Tensor:
        """Run ``forward`` on the inputs' arrays and, when recording, link the result.

        ``needs_input_grad`` is set before ``forward`` runs, so a forward can skip saving
        what no backward will read (all False under ``no_grad``).
        """
        fn = cls.__new__(cls)
        if state.grad_enabled:
            needs = tuple([isinstance(x, Tensor) and x.requires_grad for x in inputs])
            record = True in needs
        else:
            needs, record = (False,) * len(inputs), False
        fn.needs_input_grad = needs
        out = fn.forward(*[x.data if isinstance(x, Tensor) else x for x in inputs], **attrs)
        if record:
            fn.inputs = inputs
            result = Tensor._from_op(out, fn)
            if state.anomaly:
                fn.created_at = _user_frame()
                check_finite(out, f"the output of {cls.__name__}", fn.created_at)
            return result
        if state.anomaly:
            check_finite(out, f"the output of {cls.__name__}", _user_frame())
        return Tensor._from_op(out, None)

    @property
    def recording(self) -> bool:
        """True when a backward may run: some input needs a gradient."""
        return True in self.needs_input_grad

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def check_finite(array, what: str, where: str) -> None:
    """Raise ``FloatingPointError`` naming ``what`` and ``where`` if ``array`` has NaN/inf."""
    if array is None or not np.issubdtype(array.dtype, np.floating):
        return
    if not bool(np.isfinite(array).all()):
        kind = "NaN" if bool(np.isnan(array).any()) else "inf"
        raise FloatingPointError(f"{kind} in {what} (op created at {where})")


# The package's own folder: frames under it are ivanet's, not the user's. (A test for
# "/ivanet/" in the path would also skip the user's code in a checkout named ivanet/.)
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _user_frame() -> str:
    """``file:line in function`` of the innermost frame outside the ivanet package."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if not os.path.abspath(frame.filename).startswith(_PACKAGE_DIR):
            return f"{frame.filename}:{frame.lineno} in {frame.name}"
    return "unknown location"
