"""Containers: ``Sequential`` (a chain), ``ModuleList`` and ``ModuleDict`` (plain holders)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ivanet.nn.module import Module


class Sequential(Module):
    """Layers applied one after another: ``Sequential(Linear(4, 8), ReLU(), Linear(8, 1))``.

    Children are named "0", "1", ... (or by the keys of a single dict argument), so the
    first weight is ``"0.weight"``. Supports ``len``, iteration, indexing, slicing and
    ``append``.
    """

    def __init__(self, *modules: Module | Mapping[str, Module]) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], Mapping):
            for name, module in modules[0].items():
                self.add_module(str(name), module)
        else:
            for module in modules:
                self.append(module)

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end (named by its position); returns self."""
        self.add_module(str(len(self._modules)), module)
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __getitem__(self, index: int | slice) -> Module:
        items = list(self._modules.items())
        if isinstance(index, slice):
            part = Sequential()
            for name, module in items[index]:
                part._hold(name, module)
            return part
        return items[_position(index, len(items), "Sequential")][1]

    def __setitem__(self, index: int, module: Module) -> None:
        name = list(self._modules)[_position(index, len(self._modules), "Sequential")]
        self.add_module(name, module)


class ModuleList(Module):
    """A list of modules whose parameters the parent sees (children "0", "1", ...).

    Has no ``forward``: the owner decides how to call its items.
    """

    def __init__(self, modules: Iterable[Module] = ()) -> None:
        super().__init__()
        self.extend(modules)

    def append(self, module: Module) -> ModuleList:
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        for module in modules:
            self.append(module)
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __getitem__(self, index: int | slice):
        items = list(self._modules.values())
        if isinstance(index, slice):
            part = ModuleList()
            for position, module in enumerate(items[index]):
                part._hold(str(position), module)
            return part
        return items[_position(index, len(items), "ModuleList")]

    def __setitem__(self, index: int, module: Module) -> None:
        self.add_module(str(_position(index, len(self._modules), "ModuleList")), module)


class ModuleDict(Module):
    """A dict of named modules whose parameters the parent sees (children keyed by name)."""

    def __init__(self, modules: Mapping[str, Module] | None = None) -> None:
        super().__init__()
        for name, module in (modules or {}).items():
            self[name] = module

    def __getitem__(self, name: str) -> Module:
        return self._modules[name]

    def __setitem__(self, name: str, module: Module) -> None:
        if not isinstance(name, str) or not name or "." in name:
            raise KeyError(f"ModuleDict keys must be non-empty strings without '.', got {name!r}")
        self.add_module(name, module)

    def __delitem__(self, name: str) -> None:
        delattr(self, name)

    def __contains__(self, name: str) -> bool:
        return name in self._modules

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()


def _position(index: int, length: int, owner: str) -> int:
    if not isinstance(index, int):
        raise TypeError(f"{owner} indices must be integers or slices, got {type(index).__name__}")
    if not -length <= index < length:
        raise IndexError(f"{owner} index {index} out of range for {length} modules")
    return index % length
