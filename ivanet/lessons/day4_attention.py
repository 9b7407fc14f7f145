"""Day 4, attention: what the date translator looks at while it writes an ISO date.

A small ``date_translator`` (BiGRU encoder, GRU decoder with Bahdanau attention) learns to
turn dates written in seven languages ("lundi 9 mars 1987", "9. März 1987") into ISO form
("1987-03-09"), tested on dates it never saw. Then its attention weights are read: for
each output character, the share of attention on the input's year digits, on the month
name and on the day's digits. Nobody told the model where these parts are; an alignment
that puts each output on its source is what attention learns by itself.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path

import numpy as np

from ivanet.data.sets import dates
from ivanet.data.text import CharVocabulary
from ivanet.lessons.common import percent, train_epochs
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.models import create_model
from ivanet.optim import Adam
from ivanet.reports.attention import plot_attention
from ivanet.training.fit import predict
from ivanet.training.resolve import resolve_loss
from ivanet.training.translation import translate

EXAMPLES = (("fr", "EEEE d MMMM y"), ("de", "EEEE, d. MMMM y"),
            ("es", "d 'de' MMMM 'de' y"), ("nl", "dd-MM-y"))
PARTS = {"year": range(0, 4), "month": range(5, 7), "day": range(8, 10)}


def spans(text: str) -> dict[str, np.ndarray] | None:
    """Boolean masks over ``text`` for the year digits, the month name (the first word of
    3+ letters after the day, or the last before it) and the day digits; None unless the
    date has a month name."""
    runs = list(re.finditer(r"\d+", text))
    year = [m for m in runs if len(m.group()) == 4]
    day = [m for m in runs if len(m.group()) <= 2]
    words = [m for m in re.finditer(r"[^\W\d_]+\.?", text) if len(m.group()) >= 3]
    if len(year) != 1 or len(day) != 1 or not words:
        return None
    masks = {}
    for name, match in (("year", year[0]), ("day", day[0])):
        masks[name] = np.zeros(len(text), bool)
        masks[name][match.start():match.end()] = True
    month = np.zeros(len(text), bool)
    after = [m for m in words if m.start() > day[0].start()]
    word = after[0] if after else words[-1]   # after the day, or just before it ("March 9")
    month[word.start():word.end()] = True
    masks["month"] = month
    return masks


def attention_shares(translations) -> dict[str, float]:
    """Mean attention mass on the matching input part while writing each output part."""
    shares = {name: [] for name in PARTS}
    for t in translations:
        masks = spans(t.text)
        if masks is None:
            continue
        for name, rows in PARTS.items():
            shares[name].append(float(t.attention[list(rows)][:, masks[name]].sum(axis=1).mean()))
    return {name: float(np.mean(values)) if values else float("nan")
            for name, values in shares.items()}


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    splits = dates.load(train_size=pick(size, 12_000, 400), dev_size=pick(size, 200, 20),
                        test_size=pick(size, 1_000, 60), seed=seed)
    vocab = CharVocabulary.from_dict(splits.vocabulary)
    hidden = pick(size, 48, 8)
    model = create_model("date_translator", input_shape=splits.input_shape,
                         num_classes=splits.num_classes, vocab_size=splits.num_classes,
                         embedding_dim=pick(size, 24, 8), hidden_size=hidden,
                         attention_size=hidden, rng=np.random.default_rng(seed))
    epochs = pick(size, 3, 1)
    costs = train_epochs(model, splits.train.x, splits.train.y,
                         resolve_loss("masked_cross_entropy"),
                         Adam(model.parameters(), lr=pick(size, 4e-3, 1e-2)), epochs,
                         batch_size=64, seed=seed)
    outputs = predict(model, splits.test.x).argmax(axis=1)               # (N, 10), eval
    exact = float(np.mean((outputs == splits.test.y).all(axis=1)))
    width = splits.input_shape[0] - dates.TARGET_LEN
    texts = [vocab.decode(row[:width]) for row in splits.test.x]
    translations = translate(model, vocab, texts, unknown="unk")
    shares = attention_shares(translations)
    plot_attention(_examples(model, vocab, splits, seed), folder / "attention.png",
                   title="attention of the date translator (darker = more attention)")
    rows = [{"output characters": f"{name}: positions {rows.start + 1}–{rows.stop}",
             "share of attention on the same part of the input": percent(shares[name])}
            for name, rows in PARTS.items()]
    return Outcome(
        tables=[Table("training", [{"examples": len(splits.train), "epochs": epochs,
                                    "final training cost": round(float(costs[-1]), 4),
                                    "exact match on unseen dates": percent(exact)}]),
                Table("where the decoder looks (test dates with a month name)", rows)],
        figures=[("attention.png", "Attention weights while translating four unseen dates: "
                  "row t shows the input characters the decoder read to write output "
                  "character t. The year's digits are read one by one, the month digits "
                  "come from the month's name, the day's digits from the day.")],
        findings=[
            Finding("The translator writes unseen dates in ISO form almost always.",
                    exact >= 0.95, f"exact match {percent(exact)} on {len(texts)} test dates"),
            Finding("Writing the year, the decoder attends to the year's digits.",
                    shares["year"] > 0.5, f"{percent(shares['year'])} of its attention"),
            Finding("Writing the month, it attends to the month's name.",
                    shares["month"] > 0.5, f"{percent(shares['month'])} of its attention"),
            Finding("Writing the day, it attends to the day's digits.",
                    shares["day"] > 0.5, f"{percent(shares['day'])} of its attention")])


def _examples(model, vocab, splits, seed: int) -> list[tuple[str, str, np.ndarray]]:
    """Four unseen test dates written in four languages, with their attention weights."""
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(splits.test), size=len(EXAMPLES), replace=False)
    texts = []
    for index, (locale, pattern) in zip(picked, EXAMPLES):
        iso = vocab.decode(splits.test.y[index])
        texts.append(dates.render(datetime.date.fromisoformat(iso), locale, pattern))
    return [(t.text, t.output, t.attention)
            for t in translate(model, vocab, texts, unknown="unk")]
