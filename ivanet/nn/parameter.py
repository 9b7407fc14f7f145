"""``Parameter``: a leaf tensor that a ``Module`` owns and an optimizer updates."""
from __future__ import annotations

from ivanet.autograd.tensor import Tensor


class Parameter(Tensor):
    """A trainable tensor (``requires_grad=True`` unless frozen).

    Its ``data`` array may be a view into an optimizer's flat buffer: update it in place
    (``p.data[...] = new``). A rebound ``p.data`` is copied back into the buffer at the next
    step, which costs a copy and fails if the shape or dtype changed.
    """

    __slots__ = ()

    def __init__(self, data, requires_grad: bool = True, name: str | None = None):
        super().__init__(data, requires_grad=requires_grad, name=name)

    def __repr__(self) -> str:
        return "Parameter" + super().__repr__()[len("Tensor"):]
