"""Named entities in template sentences filled from faker's word lists: exact BIO tags.

No English NER corpus can be fetched here, so sentences are generated: a template such as
"{PER} flew from {LOC} to {LOC} on {DATE} ." gets people (first + last name), places
(cities, states, countries), companies and dates, built from the en_US lists of ``faker``
(names, company suffixes, city prefixes/suffixes, countries) with a seeded numpy
``Generator``. Every word of a filled slot is tagged B-TYPE (first) or I-TYPE, the
template's own words O, so the tags are exact by construction.

Test sentences are held out twice: their TEMPLATES and their NAMES (first names, last
names, states, countries) never occur in training; dev is held out the same way, apart
from test. A model must tag a name it never saw from its spelling and its context.

Layout as ``pos-oanc``: x (N, T, 4) feature ids per word (``word_features``: the lower-cased
word, 2- and 3-letter suffixes, shape) or (N, T) word ids with ``word_features=False``;
y (N, T) tag ids; both padded with 0. ``class_names`` = ("<pad>", "<unk>", *TAGS).
"""
from __future__ import annotations

import numpy as np

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits
from ivanet.data.sets.ner_lists import TEMPLATES, entity_pools, make_entity
from ivanet.data.sets.word_features import FeatureVocabulary, pad_features
from ivanet.data.text import Vocabulary, pad_sequences, tokenize_words

NAME = "ner-templates"
DESCRIPTION = ("template sentences filled from faker's lists → BIO tags PER/LOC/ORG/DATE; "
               "test templates and names held out (generated)")
SOURCE = "generated from faker's en_US word lists with a seeded numpy Generator; no download"
LICENCE = "generated (faker: MIT)"
PACKAGE = "faker"
TYPES = ("PER", "LOC", "ORG", "DATE")
TAGS = ("O",) + tuple(f"{bio}-{kind}" for kind in TYPES for bio in "BI")
SPLITS = ("train", "dev", "test")
TEMPLATE_SHARES = (0.6, 0.15, 0.25)  # of the templates, and of every name list


def split_templates(seed: int = 0) -> dict[str, tuple[str, ...]]:
    """The templates of each split: a seeded shuffle cut 60 / 15 / 25 %."""
    order = np.random.default_rng(seed).permutation(len(TEMPLATES))
    cuts = np.cumsum([round(share * len(TEMPLATES)) for share in TEMPLATE_SHARES[:2]])
    return {name: tuple(TEMPLATES[i] for i in part)
            for name, part in zip(SPLITS, np.split(order, cuts))}


def fill(template: str, pools: dict, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """(words, BIO tags) of ``template`` with each ``{TYPE}`` slot filled from ``pools``."""
    words, tags = [], []
    for piece in template.replace("}", "{").split("{"):
        if piece in TYPES:
            entity = tokenize_words(make_entity(piece, pools, rng), lower=False)
            tags += [f"B-{piece}"] + [f"I-{piece}"] * (len(entity) - 1)
        else:
            entity = tokenize_words(piece, lower=False)
            tags += ["O"] * len(entity)
        words += entity
    return words, tags


def generate(split: str, size: int, seed: int = 0) -> list[tuple[list[str], list[str]]]:
    """``size`` (words, tags) sentences of ``split`` ("train", "dev" or "test"): its own
    templates, its own names, its own seeded stream, so every split is reproducible."""
    if split not in SPLITS:
        raise DataError(f"{NAME}: split must be one of {', '.join(SPLITS)}, got {split!r}")
    if size < 1:
        raise DataError(f"{NAME}: {split}_size must be ≥ 1, got {size}")
    templates, pools = split_templates(seed)[split], entity_pools(split, seed)
    rng = np.random.default_rng([seed, SPLITS.index(split)])
    return [fill(templates[rng.integers(len(templates))], pools, rng) for _ in range(size)]


def spans(tags: list[str]) -> set[tuple[str, int, int]]:
    """Entities (type, first, end) of a BIO tag list, as conlleval reads them: an I-X that
    does not continue an X entity starts one."""
    found, kind, start = set(), None, 0
    for i, tag in enumerate(list(tags) + ["O"]):
        bio, _, tag_kind = tag.partition("-")
        if kind is not None and (bio != "I" or tag_kind != kind):
            found.add((kind, start, i))
            kind = None
        if bio == "B" or (bio == "I" and kind is None):
            kind, start = tag_kind, i
    return found


def entity_scores(true_tags: list[list[str]], predicted_tags: list[list[str]]) -> dict:
    """Entity-level precision, recall and F1 (an entity counts only if its type and both
    ends are right), micro-averaged over all sentences."""
    if len(true_tags) != len(predicted_tags):
        raise DataError(f"entity_scores: {len(true_tags)} true and {len(predicted_tags)} "
                        f"predicted sentences")
    hits = true_count = predicted_count = 0
    for truth, guess in zip(true_tags, predicted_tags):
        true_spans, guessed = spans(truth), spans(guess)
        hits += len(true_spans & guessed)
        true_count, predicted_count = true_count + len(true_spans), predicted_count + len(guessed)
    precision = hits / predicted_count if predicted_count else 0.0
    recall = hits / true_count if true_count else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "entities": true_count}


def load(train_size: int = 8000, dev_size: int = 1000, test_size: int = 2000, seed: int = 0,
         word_features: bool = True, min_count: int = 2) -> DataSplits:
    """Generated splits; the word (feature) vocabulary comes from the training words."""
    parts = [generate(split, size, seed)
             for split, size in zip(SPLITS, (train_size, dev_size, test_size))]
    tags = Vocabulary(TAGS)
    train_words = [w for words, _ in parts[0] for w in words]
    if word_features:
        vocabulary = FeatureVocabulary.build_from_words(train_words, min_count)
        encode = vocabulary.encode_words
    else:
        vocabulary = Vocabulary.build(train_words, min_count=min_count)
        encode = vocabulary.encode_tokens
    length = max(len(words) for part in parts for words, _ in part)
    datasets = []
    for part in parts:
        ids = [encode(words) for words, _ in part]
        x = (pad_features(ids) if word_features else pad_sequences(ids)[0])
        x = np.pad(x, [(0, 0), (0, length - x.shape[1])] + [(0, 0)] * (x.ndim - 2))
        y, _ = pad_sequences([tags.encode_tokens(t, unknown="error") for _, t in part])
        datasets.append(ArrayDataset(x, np.pad(y, ((0, 0), (0, length - y.shape[1])))))
    return DataSplits(name=NAME, train=datasets[0], dev=datasets[1], test=datasets[2],
                      task="tagging", input_shape=datasets[0].x.shape[1:],
                      num_classes=len(tags), class_names=tuple(tags.tokens),
                      description=DESCRIPTION, vocabulary=vocabulary.to_dict())


def verify() -> None:
    """Check that faker's en_US lists are there and large enough to split three ways."""
    for split in SPLITS:
        pools = entity_pools(split)
        small = [name for name, values in pools.items() if len(values) < 3]
        if small:
            raise DataError(f"{NAME}: faker's lists are too short for the {split} split: "
                            f"{', '.join(small)}")
