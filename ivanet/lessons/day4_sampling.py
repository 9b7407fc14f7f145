"""Day 4, sampling Shakespeare at several temperatures from a briefly trained char LSTM.

A character-level LSTM (``create_model("char_lstm")``) learns to predict the next
character of the fetched Shakespeare text for a few minutes (Adam, random windows). Then it
writes text one character at a time (``CharLSTM.generate`` with
``ivanet.data.text.sample_logits``) at temperatures from 0.2 to 2: p ∝ exp(z / T).
Each sample is measured: the entropy of its character frequencies, the share of its
words found in the training text, and how repetitive it is (distinct 4-grams).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ivanet import Tensor, nn, optim
from ivanet.data import load
from ivanet.data.text import CharVocabulary, Vocabulary, random_windows, sample_logits
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.models import create_model
from ivanet.reports.lessons_plots import plot_panels

TEMPERATURES = (0.2, 0.5, 0.8, 1.0, 1.5, 2.0)
PROMPT = "ROMEO:\n"


def train_char_model(size: str, seed: int, hidden: int = 128):
    """A char LSTM trained briefly on Shakespeare.

    Returns (model, vocabulary, training text, dev text (the first 20,000 characters),
    cost per step).
    """
    data = load("shakespeare", seq_len=64, max_chars=pick(size, 2_000_000, 20_000))
    vocabulary: CharVocabulary = Vocabulary.from_dict(data.vocabulary)
    ids = np.concatenate([data.train.x.ravel(), data.train.y[-1, -1:]])
    rng = np.random.default_rng(seed)
    model = create_model("char_lstm", num_classes=len(vocabulary), embedding_dim=32,
                         hidden_size=hidden, rng=rng)
    optimizer, loss_fn = optim.Adam(model.parameters(), lr=3e-3), nn.CrossEntropyLoss()
    costs = []
    model.train()
    for _ in range(pick(size, 1500, 20)):
        x, y = random_windows(ids, 32, 64, rng)
        loss = loss_fn(model(Tensor(x)), y)
        optimizer.zero_grad()
        loss.backward()
        optim.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        costs.append(float(loss.data))
    model.eval()
    dev = vocabulary.decode(data.dev.x.ravel()[:20_000])
    return model, vocabulary, vocabulary.decode(ids), dev, np.array(costs)


def statistics(text: str, words: set[str]) -> dict:
    """Character entropy (bits), share of real words, share of distinct 4-grams."""
    counts = np.unique(list(text), return_counts=True)[1]
    p = counts / counts.sum()
    tokens = ["".join(c for c in w if c.isalpha()).lower() for w in text.split()]
    tokens = [t for t in tokens if t]
    grams = [text[i:i + 4] for i in range(len(text) - 3)]
    return {"character entropy (bits)": float(-(p * np.log2(p)).sum()),
            "real words": float(np.mean([t in words for t in tokens])) if tokens else 0.0,
            "distinct 4-grams": len(set(grams)) / max(1, len(grams))}


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    model, vocabulary, text, dev, costs = train_char_model(size, seed)
    words = {"".join(c for c in w if c.isalpha()).lower() for w in text.split()}
    length, rng = pick(size, 400, 60), np.random.default_rng(seed + 1)
    prompt = vocabulary.encode(PROMPT)[None]
    rows, samples = [], {}
    for t in TEMPERATURES:
        new = model.generate(prompt, length, lambda z, t=t: sample_logits(z, t, rng=rng))[0]
        samples[t] = vocabulary.decode(new)
        rows.append({"T": t, **statistics(samples[t], words)})
    reference = statistics(dev[:length], words)
    width = min(50, len(costs))
    plot_panels([{"title": "training", "xlabel": "step", "ylabel": "cost (nats per char)",
                  "series": [("moving average", np.arange(len(costs) - width + 1),
                              np.convolve(costs, np.ones(width) / width, "valid"))]},
                 {"title": "samples vs temperature", "xlabel": "temperature T",
                  "ylabel": "share",
                  "series": [(key, TEMPERATURES, [r[key] for r in rows], "o-")
                             for key in ("real words", "distinct 4-grams")]},
                 {"title": "character entropy", "xlabel": "temperature T", "ylabel": "bits",
                  "hline": reference["character entropy (bits)"],
                  "series": [("samples", TEMPERATURES,
                              [r["character entropy (bits)"] for r in rows], "o-")]}],
                folder / "temperature.png", panel_size=(4.4, 3.4))
    by_t = {row["T"]: row for row in rows}
    low, mid, high = by_t[TEMPERATURES[0]], by_t[0.8], by_t[TEMPERATURES[-1]]
    entropies = [r["character entropy (bits)"] for r in rows]
    return Outcome(
        tables=[Table(f"after {len(costs)} steps: cost {np.mean(costs[-width:]):.2f} nats "
                      f"per character (uniform: {math.log(len(vocabulary)):.2f})", rows),
                Table("the samples", [{"T": t, "text after “ROMEO:”": samples[t]}
                                      for t in TEMPERATURES]),
                Table(f"real held-out text of the same length ({length} characters)",
                      [{"T": "—", **reference}])],
        figures=[("temperature.png", "Training cost; then, per temperature, the share of "
                  "sampled words found in the training text, the share of distinct 4-grams "
                  "(low: repetitive) and the character entropy (dotted: real held-out "
                  "text's).")],
        findings=[
            Finding("Low temperature is repetitive: fewer distinct 4-grams at T = "
                    f"{TEMPERATURES[0]} than at T = 0.8.",
                    low["distinct 4-grams"] < mid["distinct 4-grams"],
                    f"distinct 4-grams {low['distinct 4-grams']:.2f} vs "
                    f"{mid['distinct 4-grams']:.2f}"),
            Finding(f"High temperature is random: fewer real words at T = {TEMPERATURES[-1]} "
                    "than at T = 0.8.", high["real words"] < mid["real words"],
                    f"real words {high['real words']:.0%} vs {mid['real words']:.0%}"),
            Finding("The character entropy rises with the temperature.",
                    all(np.diff(entropies) > -0.05) and entropies[-1] > entropies[0],
                    "entropy " + ", ".join(f"T={t}: {e:.2f}"
                                           for t, e in zip(TEMPERATURES, entropies)))])
