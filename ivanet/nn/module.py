"""``Module``: the base of every layer and model — holds Parameters, buffers and sub-modules.

Assigning a ``Parameter`` or a ``Module`` to an attribute registers it (like PyTorch), in
definition order; ``register_buffer`` adds a non-trainable array (running statistics) that
is saved in ``state_dict`` but never updated by an optimizer.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from ivanet.nn import state as _state
from ivanet.nn.parameter import Parameter
from ivanet.nn.summary import summarize


class Module:
    """Base class: subclasses call ``super().__init__()`` first and define ``forward``.

    Registered attributes are kept in three ordered dicts (``_parameters``, ``_buffers``,
    ``_modules``) and also as ordinary attributes, so ``self.weight`` costs a plain lookup.
    Once attached to a parent, a module knows its dotted path (``"classifier.2"``), which
    error messages use to name the layer.
    """

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_forward_hooks", [])
        object.__setattr__(self, "_path", "")
        object.__setattr__(self, "training", True)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        try:
            out = self.forward(*args, **kwargs)
        except (ValueError, TypeError, IndexError) as error:
            _note_layer(error, self)
            raise
        if self._forward_hooks:  # empty in training: summary() fills it for one pass
            for hook in self._forward_hooks:
                hook(self, args, out)
        return out

    # ----------------------------------------------------------------- registration
    def __setattr__(self, name: str, value) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {name!r} before {type(self).__name__}"
                                 ".__init__() called super().__init__()")
        if isinstance(value, Parameter):
            self._forget(name, keep=self._parameters)
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._forget(name, keep=self._modules)
            self._modules[name] = value
            value._set_path(_join(self._path, name))
        elif name in self._buffers:
            if value is not None and not isinstance(value, np.ndarray):
                raise TypeError(f"buffer {name!r} of {self.describe()} must be an array, "
                                f"got {type(value).__name__}")
            self._buffers[name] = value
        elif name in self._parameters or name in self._modules:
            if value is not None:
                kind = "Parameter" if name in self._parameters else "Module"
                raise TypeError(f"cannot assign {type(value).__name__} to {name!r} of "
                                f"{self.describe()}: a {kind} (or None) is expected")
            (self._parameters if name in self._parameters else self._modules)[name] = None
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        self._forget(name, keep=None)
        object.__delattr__(self, name)

    def _forget(self, name: str, keep) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            if registry is not keep:
                registry.pop(name, None)
        self._non_persistent.discard(name)

    def register_buffer(self, name: str, array: np.ndarray | None,
                        persistent: bool = True) -> None:
        """Add a non-trainable array (e.g. ``running_mean``); saved in ``state_dict``
        unless ``persistent=False``."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("register_buffer() before super().__init__()")
        if array is not None and not isinstance(array, np.ndarray):
            raise TypeError(f"buffer {name!r} must be a NumPy array, got {type(array).__name__}")
        self._forget(name, keep=None)
        self._buffers[name] = array
        if not persistent:
            self._non_persistent.add(name)
        object.__setattr__(self, name, array)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter under ``name`` (same as ``setattr``, but allows ``None``)."""
        if param is None:
            self._forget(name, keep=None)
            self._parameters[name] = None
            object.__setattr__(self, name, None)
        else:
            setattr(self, name, param)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a sub-module under ``name`` (what containers use for "0", "1", ...)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{name!r} must be a Module, got {type(module).__name__}")
        setattr(self, name, module)

    def _hold(self, name: str, module: Module) -> None:
        """Register ``module`` without re-naming it (a slice of a container is a view: its
        layers keep the paths they have in the model they belong to)."""
        self._modules[name] = module
        object.__setattr__(self, name, module)

    def _set_path(self, path: str) -> None:
        object.__setattr__(self, "_path", path)
        for name, child in self._modules.items():
            if child is not None:
                child._set_path(_join(path, name))

    @property
    def path(self) -> str:
        """Dotted name of this module inside its root model ("" for the root)."""
        return self._path

    def describe(self) -> str:
        """How errors name this layer: ``Linear 'classifier.2'`` (or ``Linear`` at the root)."""
        name = type(self).__name__
        return f"{name} '{self._path}'" if self._path else name

    # ----------------------------------------------------------------- traversal
    def named_modules(self, prefix: str = "", memo: set | None = None
                      ) -> Iterator[tuple[str, Module]]:
        """(name, module) for this module and every descendant, pre-order, each once."""
        memo = set() if memo is None else memo
        if id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(_join(prefix, name), memo)

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for name, child in self._modules.items():
            if child is not None:
                yield name, child

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def _named_members(self, registry: str, prefix: str, recurse: bool):
        seen: set[int] = set()
        owners = self.named_modules(prefix) if recurse else [(prefix, self)]
        for owner_name, owner in owners:
            for name, member in getattr(owner, registry).items():
                if member is None or id(member) in seen:
                    continue
                seen.add(id(member))
                yield _join(owner_name, name), member

    def named_parameters(self, prefix: str = "", recurse: bool = True
                         ) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, Parameter): own parameters first, then each child's, each once."""
        return self._named_members("_parameters", prefix, recurse)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True
                      ) -> Iterator[tuple[str, np.ndarray]]:
        """(dotted name, array) of every buffer (running statistics and the like)."""
        return self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[np.ndarray]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def num_parameters(self, trainable_only: bool = False) -> int:
        """How many numbers the parameters hold (shared parameters counted once)."""
        return sum(p.size for p in self.parameters() if p.requires_grad or not trainable_only)

    # ----------------------------------------------------------------- state
    def state_dict(self, copy: bool = True) -> dict[str, np.ndarray]:
        """Name → array for every parameter and persistent buffer ("layers.0.weight",
        "bn.running_mean"). Copies by default, so a saved "best" state survives further
        training; ``copy=False`` returns the live arrays."""
        return _state.state_dict(self, copy)

    def load_state_dict(self, state: dict, strict: bool = True) -> _state.LoadResult:
        """Copy ``state`` into the parameters and buffers IN PLACE (``np.copyto``).

        Nothing is copied unless everything fits: one error lists every missing,
        unexpected and mis-shaped key. ``strict=False`` tolerates missing and unexpected
        keys and returns them (mis-shaped keys always raise).
        """
        return _state.load_state_dict(self, state, strict)

    # ----------------------------------------------------------------- modes
    def train(self, mode: bool = True) -> Module:
        """Set training mode (dropout active, batch norm on batch statistics) recursively."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> Module:
        """Set evaluation mode recursively (same as ``train(False)``)."""
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Drop every parameter's gradient (or fill it with zeros in place)."""
        for param in self.parameters():
            if set_to_none or param.grad is None:
                param.grad = None
            else:
                param.grad.fill(0)

    def requires_grad_(self, flag: bool = True) -> Module:
        """Set ``requires_grad`` on every parameter; returns self."""
        for param in self.parameters():
            param.requires_grad = flag
        return self

    def freeze(self) -> Module:
        """Stop training these parameters (transfer learning); returns self."""
        return self.requires_grad_(False)

    def unfreeze(self) -> Module:
        """Train these parameters again; returns self."""
        return self.requires_grad_(True)

    def astype(self, dtype) -> Module:
        """Convert parameters and floating buffers to ``dtype`` (e.g. float64 for checks).

        Rebinds the arrays: call it before creating an optimizer, never after.
        """
        for param in self.parameters():
            param.data = param.data.astype(dtype)
            param.grad = None
        for module in self.modules():
            for name, buffer in list(module._buffers.items()):
                if buffer is not None and buffer.dtype.kind == "f":
                    setattr(module, name, buffer.astype(dtype))
        return self

    # ----------------------------------------------------------------- hooks, display
    def register_forward_hook(self, hook: Callable) -> _HookHandle:
        """Call ``hook(module, inputs, output)`` after every forward; ``.remove()`` it."""
        self._forward_hooks.append(hook)
        return _HookHandle(self._forward_hooks, hook)

    def summary(self, input_shape_or_example, print_fn: Callable[[str], None] = print,
                dtype=np.float32) -> None:
        """Print a table of layers, output shapes and parameter counts (like Keras).

        Runs one forward pass in eval mode under ``no_grad`` on zeros of
        ``input_shape_or_example`` (a shape including the batch dimension) or on the
        given example input; modes are restored afterwards.
        """
        summarize(self, input_shape_or_example, print_fn, dtype)

    def extra_repr(self) -> str:
        """The arguments shown between the parentheses of this module's ``repr``."""
        return ""

    def __repr__(self) -> str:
        """PyTorch's tree: ``Name(extra)`` for a leaf, else one indented line per child."""
        extra = self.extra_repr()
        children = [f"({name}): {child!r}" for name, child in self._modules.items()]
        if not children:
            return f"{type(self).__name__}({extra})"
        lines = (extra.split("\n") if extra else []) + children
        body = "\n".join(lines).replace("\n", "\n  ")
        return f"{type(self).__name__}(\n  {body}\n)"


class _HookHandle:
    """Returned by ``register_forward_hook``; ``remove()`` unregisters the hook."""

    def __init__(self, hooks: list, hook: Callable) -> None:
        self.hooks, self.hook = hooks, hook

    def remove(self) -> None:
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _note_layer(error: Exception, module: Module) -> None:
    """Add "in layer Linear 'classifier.2'" to an error once, at the innermost layer."""
    if getattr(error, "_ivanet_layer_noted", False):
        return
    try:
        error._ivanet_layer_noted = True
    except AttributeError:
        return
    if module.describe() not in str(error):
        error.add_note(f"(raised in layer {module.describe()})")
