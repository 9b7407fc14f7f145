"""Exact match of a trained date translator per language and format on held-out dates,
and the attention heat-map docs/images/dates-attention.png.

    python experiments/dates_results.py runs/date_translator-dates --dates 300

Every one of ``--dates`` test dates (never seen in training: the same date split as the
``dates`` data set with seed 0) is written in every (language, pattern) the generator
knows, translated greedily, and compared with its ISO form.
"""
from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from ivanet.data.sets import dates
from ivanet.reports.attention import plot_attention
from ivanet.training.generation import run_vocabulary
from ivanet.training.loading import load_run
from ivanet.training.translation import translate

FIGURE = Path("docs/images/dates-attention.png")
EXAMPLES = (("fr", "EEEE d MMMM y"), ("de", "EEEE, d. MMMM y"), ("en", "MMM d, y"),
            ("es", "d 'de' MMMM 'de' y"), ("pt", "d 'de' MMM 'de' y"), ("nl", "dd-MM-y"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--dates", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0, help="the data set's seed")
    args = parser.parse_args()
    model, vocab = load_run(args.run).model, run_vocabulary(args.run)
    _, _, test_days = dates.split_dates(0.05, 0.1, np.random.default_rng(args.seed))
    days = np.random.default_rng(1).choice(test_days, size=args.dates, replace=False)
    chosen = [dates.FIRST + dt.timedelta(days=int(day)) for day in days]
    pairs = dates.patterns()
    started = time.perf_counter()
    hits, errors = defaultdict(list), []
    for locale, pattern in pairs:
        texts = [dates.render(date, locale, pattern) for date in chosen]
        for date, t in zip(chosen, translate(model, vocab, texts, unknown="unk")):
            hits[locale].append(t.output == date.isoformat())
            hits[f"{locale} {pattern}"].append(t.output == date.isoformat())
            if t.output != date.isoformat():
                errors.append((t.text, t.output, date.isoformat()))
    seconds = time.perf_counter() - started
    print("| language | translations | exact match |\n|---|---:|---:|")
    for locale in dates.LOCALES:
        print(f"| {locale} | {len(hits[locale])} | {np.mean(hits[locale]):.2%} |")
    total = [hit for locale in dates.LOCALES for hit in hits[locale]]
    print(f"| all | {len(total)} | {np.mean(total):.2%} |")
    worst = min((key for key in hits if " " in key), key=lambda key: np.mean(hits[key]))
    print(f"\nworst pattern: {worst}: {np.mean(hits[worst]):.2%}; {len(errors)} errors "
          f"({seconds:.1f} s)")
    for text, output, truth in errors[:20]:
        print(f"  {text!r} → {output} (true {truth})")
    texts = [dates.render(chosen[k], *pair) for k, pair in enumerate(EXAMPLES)]
    panels = [(t.text, t.output, t.attention) for t in translate(model, vocab, texts)]
    plot_attention(panels, FIGURE, columns=2,
                   title="date_translator: attention while writing each ISO character "
                         "(unseen dates; darker = more)")
    print(f"figure: {FIGURE}")


if __name__ == "__main__":
    main()
