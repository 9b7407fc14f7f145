"""Day 4, an RNN's hidden state over a sentence: which units track what.

A character LSTM (``day4_sampling.train_char_model``, 64 hidden units) is trained briefly
on the fetched Shakespeare text. Its hidden state h⟨t⟩ is read at every character of
held-out text (``model.lstm`` on the embedded characters) and each unit is correlated with
simple properties of the text: the character is a letter, a vowel, an upper-case letter;
how far into its line the character is. The best unit per property is compared with the
best unit of the same network before training (random weights), and the units are drawn
as a heat map over one passage.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ivanet import Tensor
from ivanet.autograd import no_grad
from ivanet.lessons.day4_sampling import train_char_model
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.models import create_model
from ivanet.reports.lessons_plots import plot_unit_heatmap

HIDDEN = 64


def properties(text: str) -> dict[str, np.ndarray]:
    """Per-character signals of the text (float arrays of len(text))."""
    since_newline, position = [], 0
    for c in text:
        position = 0 if c == "\n" else position + 1
        since_newline.append(position)
    return {"letter": np.array([c.isalpha() for c in text], float),
            "vowel": np.array([c.lower() in "aeiou" for c in text], float),
            "upper case": np.array([c.isupper() for c in text], float),
            "position in the line": np.array(since_newline, float)}


def hidden_states(model, ids: np.ndarray) -> np.ndarray:
    """h⟨t⟩ of every character: (T, H)."""
    with no_grad():
        out, _ = model.lstm(model.embedding(Tensor(ids[None])))
    return out.numpy()[0]


def best_units(states: np.ndarray, signals: dict) -> dict[str, tuple[int, float]]:
    """For each signal the unit with the largest |correlation| and that correlation."""
    z = (states - states.mean(0)) / (states.std(0) + 1e-8)
    best = {}
    for name, signal in signals.items():
        s = (signal - signal.mean()) / (signal.std() + 1e-8)
        r = z.T @ s / len(s)
        best[name] = (int(np.abs(r).argmax()), float(r[np.abs(r).argmax()]))
    return best


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    model, vocabulary, _, dev, costs = train_char_model(size, seed, hidden=HIDDEN)
    text = dev[:pick(size, 5000, 500)]
    signals = properties(text)
    ids = vocabulary.encode(text)
    trained = best_units(hidden_states(model, ids), signals)
    untrained_model = create_model("char_lstm", num_classes=len(vocabulary), embedding_dim=32,
                                   hidden_size=HIDDEN, rng=np.random.default_rng(seed))
    untrained = best_units(hidden_states(untrained_model, ids), signals)
    rows = [{"property": name, "best unit (trained)": trained[name][0],
             "correlation (trained)": trained[name][1],
             "best |correlation| before training": abs(untrained[name][1])}
            for name in signals]
    start = max(0, text.find("\n", 200) - 40)       # a passage that crosses a line break
    passage = text[start:start + pick(size, 100, 60)]
    states = hidden_states(model, vocabulary.encode(text))[start:start + len(passage)]
    units = list(dict.fromkeys(unit for unit, _ in trained.values()))
    names = [f"unit {u} ({', '.join(n for n, (b, _) in trained.items() if b == u)})"
             for u in units]
    plot_unit_heatmap(states[:, units].T, passage, names, folder / "hidden_units.png",
                      title="h⟨t⟩ of the best unit per property over held-out text")
    strong = [name for name in signals if abs(trained[name][1]) >= 0.5]
    gained = [name for name in signals
              if abs(trained[name][1]) > abs(untrained[name][1]) + 0.1]
    line = "position in the line"
    return Outcome(
        tables=[Table(f"after {len(costs)} training steps (cost "
                      f"{np.mean(costs[-50:]):.2f} nats per character), on {len(text)} "
                      "held-out characters", rows)],
        figures=[("hidden_units.png", "The hidden units that best track each property, over "
                  "a held-out passage (↵ newline, ␣ space): red +1, blue −1.")],
        findings=[
            Finding("Single hidden units track properties of the text (|r| ≥ 0.5).",
                    len(strong) > 0, "strong: " + (", ".join(
                        f"{n} (unit {trained[n][0]}, r = {trained[n][1]:.2f})"
                        for n in strong) or "none")),
            Finding("Training made the units track these properties better than random "
                    "weights do.", len(gained) >= 2,
                    "gained > 0.1 in |r|: " + (", ".join(gained) or "none")),
            Finding("A unit counts the position in the line (which a model needs to end "
                    "lines of verse).", abs(trained[line][1]) >= 0.5,
                    f"unit {trained[line][0]}: r = {trained[line][1]:.2f} (before "
                    f"training {abs(untrained[line][1]):.2f})")])
