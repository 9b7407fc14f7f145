"""Word features for taggers: shapes, suffixes, one unknown per feature, padding."""
import numpy as np
import pytest

from ivanet.data import DataError
from ivanet.data.sets.word_features import (FeatureVocabulary, pad_features, word_features,
                                             word_shape)
from ivanet.data.text import Vocabulary


@pytest.mark.parametrize("word, shape", [("McDonald", "XxXxx"), ("walking", "xx"),
                                         ("U.S.", "X.X."), ("1,000", "d,dd"), ("IBM", "XX")])
def test_word_shape(word, shape):
    assert word_shape(word) == shape


def test_unseen_values_map_to_their_own_unknown():
    vocabulary = FeatureVocabulary.build_from_words(["Walking", "talking", "talking"],
                                                    min_count=2)
    ids = vocabulary.encode_words(["talking", "Jumping"])                # (T, F) = (2, 4)
    tokens = [[vocabulary.tokens[i] for i in row] for row in ids]
    assert tokens[0] == list(word_features("talking"))
    assert tokens[1] == ["w?", "s2:ng", "s3:ing", "sh?"]  # suffixes known, word and shape not
    assert Vocabulary.from_dict(vocabulary.to_dict()).tokens == vocabulary.tokens


def test_empty_sentence_and_no_sentences_are_errors():
    vocabulary = FeatureVocabulary.build_from_words(["a", "a"])
    with pytest.raises(DataError, match="at least one word"):
        vocabulary.encode_words([])
    with pytest.raises(DataError, match="no sentences"):
        pad_features([])


def test_pad_features_pads_and_cuts():
    rows = [np.ones((3, 4), dtype=np.int64), np.full((1, 4), 2, dtype=np.int64)]
    x = pad_features(rows, max_len=2)
    assert x.shape == (2, 2, 4) and (x[1, 1] == 0).all() and (x[0] == 1).all()
