"""Bag-of-n-grams baseline for ``sentiment``: tf-idf of words and word pairs → logistic
regression (scikit-learn), on exactly the splits of ``ivanet.data.sets.sentiment``.

Two training sets: the 3,200 training sentences alone, and with the 1,500 reviews' lines
added (each line weighted 1/4, as ``sentence_repeats = 4`` weights them in the RNN run).
The inverse regularisation C is picked on dev; test is read once per training set.

    python experiments/sentiment_baseline.py
"""
from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from ivanet.data.sets import sentiment
from ivanet.data.sets.common import SPLIT_SEED, cached_files
from ivanet.data.splits import split_indices, split_sizes

GRID = (0.3, 1.0, 3.0, 10.0, 30.0)


def baseline(with_reviews: bool) -> dict:
    """Dev-picked C and its dev / test accuracy."""
    folder = cached_files(sentiment.NAME, [sentiment.MEMBER, sentiment.REVIEWS])
    texts, labels = sentiment.read_sentences(folder / sentiment.MEMBER)
    sizes = split_sizes(len(labels), sentiment.SPLIT_RATIOS)
    train, dev, test = split_indices(labels, sizes, stratify=True, rng=SPLIT_SEED)
    texts = np.array(texts, dtype=object)
    extra, extra_labels = (sentiment.read_review_lines(folder / sentiment.REVIEWS)
                           if with_reviews else ([], np.zeros(0, dtype=np.int64)))
    x_train = list(texts[train]) + list(extra)
    y_train = np.concatenate([labels[train], extra_labels])
    weights = np.concatenate([np.ones(len(train)), np.full(len(extra), 0.25)])
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    features = vectorizer.fit_transform(x_train)
    best = None
    for c in GRID:
        model = LogisticRegression(C=c, max_iter=3000).fit(features, y_train, weights)
        dev_accuracy = model.score(vectorizer.transform(texts[dev]), labels[dev])
        if best is None or dev_accuracy > best[1]:
            best = (c, dev_accuracy, model)
    c, dev_accuracy, model = best
    return {"reviews": with_reviews, "C": c, "train_rows": len(x_train),
            "dev": dev_accuracy, "test": model.score(vectorizer.transform(texts[test]),
                                                     labels[test])}


if __name__ == "__main__":
    for with_reviews in (False, True):
        print(baseline(with_reviews))
