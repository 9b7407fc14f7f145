"""Day 4, word embeddings: skip-gram vectors from Shakespeare, neighbours and analogies.

A skip-gram model with negative sampling (``ivanet.models.skipgram``) learns one vector
per word by telling the words seen within a few positions of a word from random ones.
Words used in the same contexts get close vectors; differences between vectors can carry
a relation (king − man + woman ≈ queen), which 3CosAdd tests on gendered word pairs of
Shakespeare's English. The 2-D map is the pairs' words on their first two principal
components, an arrow from each male word to its female pair.
"""
from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np

from ivanet.data.sets.word_corpus import load_corpus
from ivanet.data.sets.word_tests import Analogy
from ivanet.lessons.outcome import Finding, Outcome, Table, pick
from ivanet.training.skipgram import MAP_PAIRS, SkipGramConfig, train_skipgram, word_map
from ivanet.training.word_vectors import analogy_accuracy, nearest, unit_rows

PROBES = ("king", "love", "night", "father", "sword", "daughter")


def pair_analogies(pairs) -> list[Analogy]:
    """a : b :: c : d for every two different pairs (man : woman :: king : queen ...)."""
    return [Analogy(a, b, c, d, "gender") for (a, b), (c, d) in itertools.permutations(pairs, 2)]


def run(folder: Path, size: str = "full", seed: int = 0) -> Outcome:
    """The lesson's experiment: figures into ``folder``, tables and findings returned."""
    # Adam, not word2vec's SGD: on a few hundred thousand words SGD leaves every vector
    # pointing one common way (cosines ≈ 1); Adam's per-row step sizes train rare words too
    config = SkipGramConfig(embedding_dim=pick(size, 64, 16), min_count=pick(size, 5, 3),
                            epochs=pick(size, 3, 1), max_words=pick(size, 300_000, 30_000),
                            window=pick(size, 5, 3), optimizer="adam", lr=0.005, seed=seed)
    model, corpus, history = train_skipgram(config, load_corpus("shakespeare"),
                                            log=lambda line: None)
    vectors, tokens = model.vectors(), corpus.vocabulary.tokens
    index = corpus.vocabulary.index
    kept = [pair for pair in MAP_PAIRS if all(word in index for word in pair)]
    analogies = analogy_accuracy(vectors, index, pair_analogies(kept))
    words = word_map(vectors, tokens, folder / "word_map.png",
                     f"skip-gram vectors of {len(corpus.ids):,} words of Shakespeare")
    unit = unit_rows(vectors)
    related = np.mean([unit[index[a]] @ unit[index[b]] for a, b in kept])
    rng = np.random.default_rng(seed)
    ids = rng.integers(2, len(tokens), (2, 2000))
    unrelated = float(np.mean(np.sum(unit[ids[0]] * unit[ids[1]], axis=1)))
    neighbours = [{"word": word, "nearest (cosine)": ", ".join(
        f"{w} {c:.2f}" for w, c in nearest(vectors, index, tokens, word, k=5))}
        for word in PROBES if word in index]
    start_loss = (1 + config.negatives) * math.log(2)  # output vectors start at zero
    chance = 1 / max(len(tokens) - 5, 1)
    return Outcome(
        tables=[Table("training", [{"corpus words kept": len(corpus.ids),
                                    "vocabulary": len(tokens), "epochs": config.epochs,
                                    "dimensions": config.embedding_dim,
                                    "loss at the start": start_loss,
                                    "loss, last epoch": history["loss"][-1],
                                    "train seconds": history["train_seconds"]}]),
                Table("nearest neighbours", neighbours),
                Table("analogies between gendered pairs (3CosAdd)", [
                    {"pairs in the vocabulary": len(kept), "questions": analogies["covered"],
                     "correct": analogies["correct"], "accuracy": analogies["accuracy"],
                     "chance": chance}])],
        figures=[("word_map.png", f"The {len(words)} words of the gendered pairs on the "
                  "vectors' first two principal components; arrows from male to female.")],
        findings=[
            Finding("Training lowers the negative-sampling loss.",
                    history["loss"][-1] < 0.8 * start_loss,
                    f"loss {start_loss:.3f} at the start, {history['loss'][-1]:.3f} in the "
                    "last epoch"),
            Finding("Related words get closer vectors than random words.",
                    related > unrelated + 0.1,
                    f"mean cosine: gendered pairs {related:.2f}, random pairs {unrelated:.2f}"),
            Finding("Vector offsets solve analogies far above chance.",
                    analogies["accuracy"] > 20 * chance,
                    f"{analogies['correct']}/{analogies['covered']} correct "
                    f"({analogies['accuracy']:.1%}); chance {chance:.2%}")])
