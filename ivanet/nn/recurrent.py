"""Recurrent layers: RNN, GRU and LSTM cells and whole (deep, bidirectional) layers.

Parameter names and shapes are PyTorch's (``weight_ih_l0`` (G·H, I), ``weight_hh_l0``
(G·H, H), ``bias_ih_l0``, ``bias_hh_l0``, ``..._reverse``; G = 1, 3, 4 gates), so a
``torch.nn.LSTM`` state dict loads as is. The math is in ``ivanet.ops.recurrent``: each
layer direction is one op that runs the time loop forward and backward.

Fed straight from an ``Embedding`` (a recorded lookup of (N, T) or (T, N) ids in a table
with at most half as many rows as the batch has tokens, as in a character model), the
first layer projects the table's rows once instead of every looked-up row; see
``_embedding_lookup``. The results are the same to float32 rounding.
"""
from __future__ import annotations

import math

import numpy as np

from ivanet.autograd.tensor import Tensor
from ivanet.nn.checks import check_features, check_probability, check_size
from ivanet.nn.init import uniform_
from ivanet.nn.module import Module
from ivanet.nn.parameter import Parameter
from ivanet.ops import recurrent as R
from ivanet.ops.dropout import dropout
from ivanet.ops.embedding import Embedding as EmbeddingOp
from ivanet.ops.recurrent_order import check_lengths
from ivanet.ops.shape import concat, getitem, stack, swapaxes

_GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def _new_weights(owner: Module, suffix: str, gates: int, input_size: int, hidden: int,
                 bias: bool, dtype) -> None:
    owner.register_parameter(f"weight_ih{suffix}",
                             Parameter(np.empty((gates * hidden, input_size), dtype)))
    owner.register_parameter(f"weight_hh{suffix}",
                             Parameter(np.empty((gates * hidden, hidden), dtype)))
    for name in (f"bias_ih{suffix}", f"bias_hh{suffix}"):
        owner.register_parameter(
            name, Parameter(np.empty(gates * hidden, dtype)) if bias else None)


def _reset_uniform(module: Module, hidden_size: int, rng) -> None:
    """PyTorch's default: every weight and bias ~ U(−1/√H, 1/√H)."""
    bound = 1.0 / math.sqrt(hidden_size)
    for p in module.parameters():
        uniform_(p, -bound, bound, rng)


def _as_tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _embedding_lookup(x, batch_first: bool, layer: Module):
    """(table, ids (T, N), padding_idx) when ``x`` is a recorded ``embedding`` lookup of 2-D
    ids from a table with at most half as many rows as there are ids, else None.

    The layer then takes the table and the ids instead of x (``ivanet.ops.recurrent.lstm``'s
    ``ids``): projecting the V table rows once costs V/(T·N) of projecting every looked-up
    row, and x itself is left out of the graph. Same result, to float32 rounding.
    """
    fn = x.creator if isinstance(x, Tensor) else None
    if not isinstance(fn, EmbeddingOp) or fn.ids.ndim != 2 or x.shape[-1] != layer.input_size:
        return None
    table = fn.inputs[0]
    if 2 * table.shape[0] > fn.ids.size:
        return None
    return table, (fn.ids.T if batch_first else fn.ids), fn.padding_idx


def _op_input(x, lookup) -> tuple:
    """The recurrent op's first argument and extra keywords: x, or the looked-up table."""
    if lookup is None:
        return x, {}
    table, ids, padding_idx = lookup
    return table, {"ids": ids, "padding_idx": padding_idx}


def _check_state(layer: Module, name: str, state, expected: tuple) -> None:
    if state is not None and tuple(state.shape) != expected:
        raise ValueError(f"{layer.describe()}: {name} must have shape {expected}, "
                         f"got {tuple(state.shape)}")


class _CellBase(Module):
    """Shared setup of RNNCell, GRUCell and LSTMCell (one step, no time loop)."""

    kind = "RNN"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 rng: np.random.Generator | None = None, dtype=np.float32) -> None:
        super().__init__()
        self.input_size = check_size("input_size", input_size)
        self.hidden_size = check_size("hidden_size", hidden_size)
        self.bias = bool(bias)
        _new_weights(self, "", _GATES[self.kind], input_size, hidden_size, bias, dtype)
        _reset_uniform(self, hidden_size, rng)

    def _check(self, x, *states) -> None:
        check_features(self, x, self.input_size)
        if len(x.shape) != 2:
            raise ValueError(f"{self.describe()}: input must be 2-D (batch, input_size), "
                             f"got shape {tuple(x.shape)}")
        for name, state in zip(("h", "c"), states):
            _check_state(self, name, state, (x.shape[0], self.hidden_size))

    def _weights(self):
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}, bias={self.bias}"


class RNNCell(_CellBase):
    """h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) — the slide's a⟨t⟩ (or ReLU).

    Shape: x (N, input_size), h (N, hidden_size) or None (zeros) → h' (N, hidden_size).
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", rng: np.random.Generator | None = None,
                 dtype=np.float32) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', "
                             f"got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, bias, rng, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, x, h=None):
        self._check(x, h)
        return R.rnn_cell(x, h, *self._weights(), nonlinearity=self.nonlinearity)


class GRUCell(_CellBase):
    """One GRU step with PyTorch's r, z, n gates (see ``ivanet.ops.recurrent``).

    Shape: x (N, input_size), h (N, hidden_size) or None → h' (N, hidden_size).
    """

    kind = "GRU"

    def forward(self, x, h=None):
        self._check(x, h)
        return R.gru_cell(x, h, *self._weights())


class LSTMCell(_CellBase):
    """One LSTM step with PyTorch's i, f, g, o gates; returns (h', c').

    Shape: x (N, input_size), hx = (h, c) each (N, hidden_size), or None → two (N, H).
    """

    kind = "LSTM"

    def forward(self, x, hx=None):
        h, c = (None, None) if hx is None else hx
        self._check(x, h, c)
        return R.lstm_cell(x, h, c, *self._weights())


class _RecurrentBase(Module):
    """A stack of ``num_layers`` recurrent layers, each one or two directions."""

    kind = "RNN"

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, rng: np.random.Generator | None = None,
                 dtype=np.float32) -> None:
        super().__init__()
        self.input_size = check_size("input_size", input_size)
        self.hidden_size = check_size("hidden_size", hidden_size)
        self.num_layers = check_size("num_layers", num_layers)
        self.bias, self.batch_first = bool(bias), bool(batch_first)
        self.dropout = check_probability(f"{self.kind} dropout", dropout)
        self.bidirectional = bool(bidirectional)
        self.rng = rng if rng is not None else np.random.default_rng()
        for layer in range(num_layers):
            size = input_size if layer == 0 else hidden_size * self.num_directions
            for suffix in self._suffixes(layer):
                _new_weights(self, suffix, _GATES[self.kind], size, hidden_size, bias, dtype)
        _reset_uniform(self, hidden_size, self.rng)

    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    def _suffixes(self, layer: int) -> list[str]:
        return [f"_l{layer}"] + ([f"_l{layer}_reverse"] if self.bidirectional else [])

    def _weights(self, suffix: str):
        return tuple(getattr(self, f"{name}{suffix}")
                     for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))

    def _prepare(self, x, lengths, states: dict):
        """Checks; x in time-major layout (T, N, I); lengths as an int array or None."""
        x = _as_tensor(x)
        check_features(self, x, self.input_size)
        if x.ndim != 3:
            layout = "(batch, seq_len, input_size)" if self.batch_first else \
                "(seq_len, batch, input_size)"
            raise ValueError(f"{self.describe()}: input must be 3-D {layout}, "
                             f"got shape {x.shape}")
        given = tuple(x.shape)
        if self.batch_first:
            x = swapaxes(x, 0, 1)
        T, N = x.shape[0], x.shape[1]
        if T == 0:
            raise ValueError(f"{self.describe()}: sequence length is 0 (input shape "
                             f"{given}); a recurrent layer needs at least one time step")
        expected = (self.num_layers * self.num_directions, N, self.hidden_size)
        for name, state in states.items():
            _check_state(self, name, state, expected)
        if lengths is not None:
            lengths = np.asarray(lengths.data if isinstance(lengths, Tensor) else lengths)
            check_lengths(self.describe(), lengths, T, N)
            if (lengths == T).all():
                lengths = None
        return x, lengths

    def _run(self, x, lengths, h0, c0, lookup=None):
        """All layers and directions; returns out (T, N, D·H) and the final states.

        ``lookup`` (table, ids, padding_idx): layer 0 reads rows of the table (see
        ``_embedding_lookup``)."""
        finals_h, finals_c = [], []
        for layer in range(self.num_layers):
            if layer > 0 and self.dropout > 0 and self.training:
                x = dropout(x, self.dropout, True, self.rng)
            outs = []
            for direction, suffix in enumerate(self._suffixes(layer)):
                index = layer * self.num_directions + direction
                h = getitem(h0, index) if h0 is not None else None
                c = getitem(c0, index) if c0 is not None else None
                out, h_n, c_n = self._direction(x, h, c, suffix, lengths, direction == 1,
                                                lookup if layer == 0 else None)
                outs.append(out)
                finals_h.append(h_n)
                finals_c.append(c_n)
            x = outs[0] if len(outs) == 1 else concat(outs, axis=-1)
        return x, stack(finals_h), (stack(finals_c) if finals_c[0] is not None else None)

    def _output(self, out):
        return swapaxes(out, 0, 1) if self.batch_first else out

    def extra_repr(self) -> str:
        extras = [f"{self.input_size}, {self.hidden_size}"]
        for name, default in (("num_layers", 1), ("bias", True), ("batch_first", False),
                              ("dropout", 0.0), ("bidirectional", False)):
            if getattr(self, name) != default:
                extras.append(f"{name}={getattr(self, name)}")
        return ", ".join(extras)


class RNN(_RecurrentBase):
    """Elman RNN, h_t = tanh(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh) per layer (or ReLU).

    ``forward(x, h0=None, lengths=None)`` → (output, h_n). ``lengths`` (N,) marks the true
    length of each padded sequence: outputs past it are 0, h_n is taken at its last step.
    Shape: x (T, N, I) or (N, T, I) with batch_first; h0 (L·D, N, H) →
    output (T, N, D·H) (batch_first: (N, T, D·H)), h_n (L·D, N, H); D = 2 if bidirectional.
    """

    kind = "RNN"

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", **kwargs) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', "
                             f"got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, num_layers, **kwargs)
        self.nonlinearity = nonlinearity

    def _direction(self, x, h, c, suffix, lengths, reverse, lookup):
        x, extra = _op_input(x, lookup)
        out, h_n = R.rnn(x, h, *self._weights(suffix), nonlinearity=self.nonlinearity,
                         lengths=lengths, reverse=reverse, **extra)
        return out, h_n, None

    def forward(self, x, h0=None, lengths=None):
        h0 = None if h0 is None else _as_tensor(h0)
        lookup = _embedding_lookup(x, self.batch_first, self)
        x, lengths = self._prepare(x, lengths, {"h0": h0})
        out, h_n, _ = self._run(x, lengths, h0, None, lookup)
        return self._output(out), h_n


class GRU(RNN):
    """GRU layers (PyTorch's r, z, n gates); ``forward(x, h0=None, lengths=None)`` →
    (output, h_n). Shapes as ``RNN``.

    Two conventions differ from the slide's GRU so that PyTorch weights load: z keeps the
    old state, h' = (1 − z) n + z h (the slide writes (1 − z) h + z h̃: z and 1 − z swap
    roles, same model), and r gates the hidden product after the matrix,
    n = tanh(W_in x + b_in + r (W_hn h + b_hn)), where the slide's W·[r h, x] gates it
    before (Cho et al.'s original; cuDNN and PyTorch use this form).
    """

    kind = "GRU"

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 **kwargs) -> None:
        super().__init__(input_size, hidden_size, num_layers, "tanh", **kwargs)

    def _direction(self, x, h, c, suffix, lengths, reverse, lookup):
        x, extra = _op_input(x, lookup)
        out, h_n = R.gru(x, h, *self._weights(suffix), lengths=lengths, reverse=reverse,
                         **extra)
        return out, h_n, None


class LSTM(_RecurrentBase):
    """LSTM layers (PyTorch's i, f, g, o gates).

    ``forward(x, hx=None, lengths=None)`` with hx = (h0, c0) → (output, (h_n, c_n)).
    Shape: as ``RNN``; c0 and c_n like h0 and h_n.
    """

    kind = "LSTM"

    def _direction(self, x, h, c, suffix, lengths, reverse, lookup):
        x, extra = _op_input(x, lookup)
        return R.lstm(x, h, c, *self._weights(suffix), lengths=lengths, reverse=reverse,
                      **extra)

    def forward(self, x, hx=None, lengths=None):
        h0, c0 = (None, None) if hx is None else (_as_tensor(s) for s in hx)
        lookup = _embedding_lookup(x, self.batch_first, self)
        x, lengths = self._prepare(x, lengths, {"h0": h0, "c0": c0})
        out, h_n, c_n = self._run(x, lengths, h0, c0, lookup)
        return self._output(out), (h_n, c_n)
