"""Day 4, RNN vs GRU vs LSTM on long dependencies: the adding problem.

Each sequence carries a value and a marker per step; the answer is the sum of the two
marked values, the first marked in the first half (``ivanet.data.sets.adding``). A plain
RNN multiplies the backward signal by W_hhᵀ·diag(tanh′) at every step, so ‖∂L/∂h_t‖
falls geometrically with the distance from the end; the GRU's and LSTM's additive state updates
(h' = (1 − z) n + z h, c' = f c + i g) let it pass through many steps. Shown twice: the
gradient norm against distance in a fresh network, and the test error of trained networks
against the sequence length, and the gradient again in the trained networks.
With PyTorch's initialisation the LSTM's forget gate starts near σ(0) = 1/2, which halves
the carried signal every step; "LSTM, forget bias 1" starts it near σ(1) ≈ 0.73
(Jozefowicz et al. 2015).
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ivanet import Tensor, nn
from ivanet.autograd.mode import no_grad
from ivanet.data.sets.adding import BASELINE_MSE, TOLERANCE, accuracy, adding_problem
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.ops import recurrent as R
from ivanet.ops.losses import mse_loss
from ivanet.optim import Adam, clip_grad_norm_
from ivanet.reports.lessons_plots import plot_panels

CELLS = ("RNN", "GRU", "LSTM", "LSTM, forget bias 1")
HIDDEN = 32


class SumReader(nn.Module):
    """One recurrent layer reads the sequence; a linear head reads its last state.

    Shape: x (N, T, 2) → (N, 1).
    """

    def __init__(self, kind: str, hidden: int, rng: np.random.Generator) -> None:
        super().__init__()
        self.kind = kind.split(",")[0]
        layer = {"RNN": nn.RNN, "GRU": nn.GRU, "LSTM": nn.LSTM}[self.kind]
        self.recurrent = layer(2, hidden, batch_first=True, rng=rng)
        self.head = nn.Linear(hidden, 1, rng=rng)
        if "forget bias 1" in kind:                 # gates i, f, g, o: f is the 2nd block
            self.recurrent.bias_ih_l0.data[hidden:2 * hidden] = 1.0
            self.recurrent.bias_hh_l0.data[hidden:2 * hidden] = 0.0

    def forward(self, x):
        out, _ = self.recurrent(x)                                     # (N, T, H)
        return self.head(out[:, -1])

    def state_gradients(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """‖∂L/∂h_t‖ (mean over the batch) for t = 1..T, by re-running the layer's
        weights one step at a time with a zero probe added to every h_t."""
        weights = [getattr(self.recurrent, f"{name}_l0")
                   for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        h = c = None
        probes = []
        for t in range(x.shape[1]):
            step = Tensor(np.ascontiguousarray(x[:, t]))
            if self.kind == "LSTM":
                h, c = R.lstm_cell(step, h, c, *weights)
            elif self.kind == "GRU":
                h = R.gru_cell(step, h, *weights)
            else:
                h = R.rnn_cell(step, h, *weights)
            probes.append(Tensor(np.zeros(h.shape, np.float32), requires_grad=True))
            h = h + probes[-1]                                         # ∂L/∂probe = ∂L/∂h_t
        mse_loss(self.head(h), y).backward()
        return np.array([np.linalg.norm(p.grad, axis=1).mean() for p in probes])


def train(model: SumReader, seq_len: int, steps: int, batch: int,
          rng: np.random.Generator) -> None:
    """Adam on fresh batches of the adding problem, gradients clipped at norm 1."""
    optimizer = Adam(model.parameters(), lr=3e-3)
    for _ in range(steps):
        x, y, _ = adding_problem(batch, seq_len, rng)
        loss = mse_loss(model(Tensor(x)), y)
        optimizer.zero_grad()
        loss.backward()
        clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()


def test_scores(model: SumReader, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(MSE, accuracy within the tolerance) on a test set."""
    with no_grad():
        predictions = model(Tensor(x)).data
    return float(np.mean((predictions - y) ** 2)), accuracy(predictions, y)


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    lengths = pick(size, (10, 25, 50, 100), (5, 10))
    steps, batch = pick(size, 500, 20), pick(size, 64, 16)
    longest = lengths[-1]
    x_probe, y_probe, _ = adding_problem(pick(size, 64, 8), longest,
                                         np.random.default_rng([seed, 0]))
    fresh = {kind: SumReader(kind, HIDDEN, np.random.default_rng([seed, longest]))
             .state_gradients(x_probe, y_probe) for kind in CELLS}
    rows, scores, trained = [], {}, {}
    for seq_len in lengths:
        x_test, y_test, _ = adding_problem(pick(size, 1000, 64), seq_len,
                                           np.random.default_rng([seed, seq_len, 1]))
        for kind in CELLS:
            started = time.perf_counter()
            model = SumReader(kind, HIDDEN, np.random.default_rng([seed, seq_len]))
            train(model, seq_len, steps, batch, np.random.default_rng([seed, seq_len, 2]))
            scores[kind, seq_len] = test_scores(model, x_test, y_test)
            rows.append({"cell": kind, "sequence length": seq_len,
                         "test MSE": scores[kind, seq_len][0],
                         f"accuracy (|error| < {TOLERANCE})": scores[kind, seq_len][1],
                         "train seconds": time.perf_counter() - started})
            if seq_len == longest:
                trained[kind] = model.state_gradients(x_probe, y_probe)
    _plot(folder / "long_dependencies.png", fresh, trained, scores, lengths, steps)
    return _outcome(fresh, trained, scores, lengths, steps, rows)


def _plot(path: Path, fresh: dict, trained: dict, scores: dict, lengths, steps: int) -> None:
    distance = np.arange(lengths[-1])
    curves = {"logy": True, "xlabel": "distance from the end (steps)",
              "ylabel": "‖∂L/∂h_t‖ (log)"}
    plot_panels([
        {"title": f"fresh networks, T = {lengths[-1]}", **curves,
         "series": [(kind, distance, norms[::-1], "-") for kind, norms in fresh.items()]},
        {"title": f"trained networks, T = {lengths[-1]}", **curves,
         "series": [(kind, distance, norms[::-1], "-") for kind, norms in trained.items()]},
        {"title": f"test MSE after {steps} Adam steps", "xlabel": "sequence length T",
         "ylabel": "test MSE", "hline": BASELINE_MSE, "logx": True,
         "series": [(kind, lengths, [scores[kind, n][0] for n in lengths], "o-")
                    for kind in CELLS]},
        {"title": f"test accuracy after {steps} Adam steps", "xlabel": "sequence length T",
         "ylabel": f"accuracy (|error| < {TOLERANCE})", "logx": True, "ylim": (-0.02, 1.02),
         "series": [(kind, lengths, [scores[kind, n][1] for n in lengths], "o-")
                    for kind in CELLS]}],
        path, columns=2, panel_size=(5.2, 3.8))


def _outcome(fresh: dict, trained: dict, scores: dict, lengths, steps: int,
             rows: list) -> Outcome:
    reach = lengths[-1] - 1
    ratio = {stage: {kind: float(norms[0] / norms[-1]) for kind, norms in profiles.items()}
             for stage, profiles in (("fresh", fresh), ("trained", trained))}
    gated = [kind for kind in CELLS if kind != "RNN"]
    best = max(gated, key=lambda kind: ratio["trained"][kind])
    rnn_mse = scores["RNN", lengths[-1]][0]
    best_mse, best_cell = min((scores[kind, lengths[-1]][0], kind) for kind in gated)
    return Outcome(
        tables=[Table(f"adding problem, {HIDDEN} hidden units, {steps} Adam steps "
                      f"(always answering 1 scores MSE {BASELINE_MSE:.3f})", rows),
                Table(f"‖∂L/∂h_t‖ {reach} steps before the end / at the end, T = "
                      f"{lengths[-1]}", [{"cell": kind, "fresh": ratio["fresh"][kind],
                                          "trained": ratio["trained"][kind]}
                                         for kind in CELLS])],
        figures=[("long_dependencies.png", "Top: the gradient reaching the hidden state t "
                  "steps before the end (log scale), in fresh and in trained networks. "
                  "Bottom: test MSE and accuracy of trained networks against the sequence "
                  "length (dotted: always answering 1).")],
        findings=[
            Finding("In a plain RNN the gradient vanishes with the distance in time steps.",
                    ratio["fresh"]["RNN"] < 1e-3 and ratio["trained"]["RNN"] < 1e-3,
                    f"‖∂L/∂h‖ {reach} steps back / at the end: fresh "
                    f"{ratio['fresh']['RNN']:.2g}, trained {ratio['trained']['RNN']:.2g}"),
            Finding("A trained gated cell carries the gradient much further back than the "
                    "RNN.", ratio["trained"][best] > 100 * ratio["trained"]["RNN"],
                    f"trained, {reach} steps back: {best} {ratio['trained'][best]:.2g}, "
                    f"RNN {ratio['trained']['RNN']:.2g}"),
            Finding(f"On the longest sequences (T = {lengths[-1]}) a gated cell learns the "
                    "sum and the RNN does not beat the constant answer by much.",
                    best_mse < 0.5 * BASELINE_MSE < rnn_mse,
                    f"test MSE: RNN {rnn_mse:.3f}, {best_cell} {best_mse:.3f}, constant "
                    f"{BASELINE_MSE:.3f}")])
