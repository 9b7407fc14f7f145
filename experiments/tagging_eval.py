"""Evaluate a trained tagger run on its test split: token accuracy on words seen and not
seen in training, and, for ``ner-templates``, entity-level precision / recall / F1 per type.

    python experiments/tagging_eval.py runs/results/ner_tagger-ner-templates
"""
from __future__ import annotations

import json
import sys

import numpy as np

from ivanet.data.registry import load
from ivanet.data.sets.ner_templates import TYPES, entity_scores
from ivanet.training.fit import predict
from ivanet.training.loading import load_run


def evaluate_tagger(run_dir: str) -> dict:
    """Token accuracy (all / known / unknown words) and, for BIO tags, entity scores."""
    run = load_run(run_dir)
    splits = load(run.config.data, **run.config.data_options)
    x, y = splits.test.x, splits.test.y
    guess = predict(run.model, x, batch_size=256).argmax(axis=1)        # (N, T)
    real = y != 0
    words = x[:, :, 0] if x.ndim == 3 else x
    unknown = real & np.isin(words, [1, 2] if x.ndim == 3 else [1])     # <unk> / "w?"
    right = guess == y
    report = {"test_token_accuracy": float(right[real].mean()),
              "unknown_word_share": float(unknown.sum() / real.sum()),
              "known_word_accuracy": float(right[real & ~unknown].mean()),
              "unknown_word_accuracy": float(right[unknown].mean()) if unknown.any() else None}
    names = splits.class_names
    if any(name.startswith("B-") for name in names):
        true_tags = [[names[t] for t in row[row != 0]] for row in y]
        guessed = [[names[g] for g in guess_row[row != 0]] for row, guess_row in zip(y, guess)]
        report["entities"] = entity_scores(true_tags, guessed)
        for kind in TYPES:
            keep = [[t if t.endswith(kind) else "O" for t in s] for s in true_tags]
            pick = [[t if t.endswith(kind) else "O" for t in s] for s in guessed]
            report[f"entities_{kind}"] = entity_scores(keep, pick)
    return report


if __name__ == "__main__":
    print(json.dumps(evaluate_tagger(sys.argv[1]), indent=2))
