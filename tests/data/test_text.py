"""Text tools: vocabularies (specials, unknowns, round trips), padding, LM batches,
temperature / top-k sampling."""
import json

import numpy as np
import pytest

from ivanet.data.text import (CharVocabulary, Vocabulary, WordVocabulary, lm_batches,
                              pad_sequences, random_windows, sample_logits,
                              softmax_temperature, tokenize_words)

TEXT = "To be, or not to be: that is the question."


def test_char_vocabulary_round_trip_and_unknowns():
    vocab = CharVocabulary.build(TEXT)
    assert vocab.tokens[:2] == ["<pad>", "<unk>"] and len(vocab) == len(set(TEXT)) + 2
    assert vocab.tokens[2] == " "                     # most frequent first
    assert vocab.decode(vocab.encode(TEXT)) == TEXT
    ids = vocab.encode("toZ")
    assert ids.dtype == np.int64 and ids[-1] == vocab.unk_id
    with pytest.raises(KeyError, match=r"not in the vocabulary.*'Z'"):
        vocab.encode("toZ", unknown="error")


def test_word_vocabulary_min_count_max_size_and_json():
    vocab = WordVocabulary.build([TEXT, "to be sure"], min_count=2)
    assert "be" in vocab and "question" not in vocab
    assert vocab.decode(vocab.encode("To be")) == "to be"
    assert list(vocab.encode("question")) == [Vocabulary.unk_id]
    small = WordVocabulary.build(TEXT, max_size=4)
    assert len(small) == 4
    clone = Vocabulary.from_dict(json.loads(json.dumps(vocab.to_dict())))
    assert isinstance(clone, WordVocabulary) and clone.tokens == vocab.tokens
    assert tokenize_words("Don't stop!") == ["don't", "stop", "!"]
    with pytest.raises(IndexError, match="out of range"):
        vocab.decode([len(vocab)])


def test_pad_sequences():
    batch, lengths = pad_sequences([[3, 4, 5], [6], [7, 8]])
    np.testing.assert_array_equal(batch, [[3, 4, 5], [6, 0, 0], [7, 8, 0]])
    np.testing.assert_array_equal(lengths, [3, 1, 2])
    with pytest.raises(ValueError, match="sequence 1 is empty"):
        pad_sequences([[1], []])


def test_lm_batches_are_contiguous_per_row_and_shifted():
    ids = np.arange(103)
    batches = list(lm_batches(ids, batch_size=4, seq_len=5))
    assert len(batches) == 5 and all(x.shape == (4, 5) for x, _ in batches)
    for x, y in batches:
        np.testing.assert_array_equal(y, x + 1)
    np.testing.assert_array_equal(batches[1][0][:, 0], batches[0][0][:, -1] + 1)
    shuffled = list(lm_batches(ids, 4, 5, shuffle=True, rng=np.random.default_rng(0)))
    assert sorted(x[0, 0] for x, _ in shuffled) == sorted(x[0, 0] for x, _ in batches)
    with pytest.raises(ValueError, match="too short"):
        next(lm_batches(ids[:10], 4, 5))


def test_random_windows(rng):
    x, y = random_windows(np.arange(50), 8, 6, rng)
    assert x.shape == (8, 6)
    np.testing.assert_array_equal(y, x + 1)


def test_temperature_and_top_k(rng):
    logits = np.array([2.0, 1.0, 0.5, -1.0])
    p = softmax_temperature(logits)
    np.testing.assert_allclose(p, np.exp(logits) / np.exp(logits).sum())
    cold, hot = softmax_temperature(logits, 0.1), softmax_temperature(logits, 10.0)
    assert cold[0] > p[0] > hot[0] and hot.max() - hot.min() < 0.3
    top2 = softmax_temperature(logits, top_k=2)
    assert (top2[2:] == 0).all()
    np.testing.assert_allclose(top2[:2], np.exp([1.0, 0.0]) / np.exp([1.0, 0.0]).sum())
    assert sample_logits(logits, temperature=0) == 0
    draws = sample_logits(np.tile(logits, (4000, 1)), top_k=2, rng=rng)
    assert set(draws.tolist()) == {0, 1}
    assert abs((draws == 0).mean() - top2[0]) < 0.03
    with pytest.raises(ValueError, match="temperature"):
        softmax_temperature(logits, -1.0)
