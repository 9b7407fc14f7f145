"""Word test sets and skip-gram corpora: readers on tiny generated files, pair windows,
subsampling and noise words."""
import numpy as np
import pytest

from ivanet.data.dataset import DataError
from ivanet.data.sets import word_corpus as wc
from ivanet.data.sets import word_tests
from ivanet.data.sets.word_tests import read_analogies, read_similarity


def test_read_analogies_keeps_sections(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text(": capital\nAthens Greece Paris France\n\n: family\nboy girl man woman\n")
    questions = read_analogies(path)
    assert [(q.a, q.d, q.section) for q in questions] == [("athens", "france", "capital"),
                                                          ("boy", "woman", "family")]
    path.write_text(": x\nonly three words\n")
    with pytest.raises(DataError, match="line 2 is not four words"):
        read_analogies(path)


def test_read_similarity_skips_comments(tmp_path):
    path = tmp_path / "s.tsv"
    path.write_text("# header\n# Word 1\tWord 2\tHuman\nTiger\tcat\t7.35\nold\tnew\t1.5\n")
    assert read_similarity(path) == [("tiger", "cat", 7.35), ("old", "new", 1.5)]
    path.write_text("tiger cat 7\n")
    with pytest.raises(DataError, match="line 1 is not 'word<TAB>word<TAB>score'"):
        read_similarity(path)


def test_build_corpus_drops_rare_words_and_counts():
    words = wc.words_of("The cat; the DOG, the cat's hat. o'er the cat!")
    assert words[:4] == ["the", "cat", "the", "dog"] and "cat's" in words and "o'er" in words
    corpus = wc.build_corpus(words * 2, min_count=4)
    kept = {corpus.vocabulary.tokens[i] for i in corpus.ids}
    assert kept == {"the", "cat"}
    assert corpus.counts[corpus.vocabulary.index["the"]] == 8 and corpus.counts[:2].sum() == 0
    with pytest.raises(DataError, match="lower min_count"):
        wc.build_corpus(words, min_count=50)


def test_skipgram_pairs_stay_inside_the_window():
    ids = np.arange(100, 300)
    centres, contexts = wc.skipgram_pairs(ids, 3, np.random.default_rng(0))
    distance = np.abs(centres - contexts)
    assert distance.min() == 1 and distance.max() == 3
    # a word b ≤ 3 away is paired with probability (4 − b)/3: near words count more
    counts = np.bincount(distance)[1:]
    assert counts[0] > counts[1] > counts[2]
    np.testing.assert_allclose(counts / counts[0], [1, 2 / 3, 1 / 3], atol=0.06)


def test_subsampling_and_noise_are_seeded_and_follow_the_counts():
    counts = np.array([0, 0, 9000, 900, 100])
    keep = wc.keep_probabilities(counts, threshold=1e-2)
    assert keep[4] == 1 and keep[2] < keep[3] < 1
    ids = np.repeat(np.arange(2, 5), counts[2:])
    first = wc.subsample(ids, keep, np.random.default_rng(1))
    np.testing.assert_array_equal(first, wc.subsample(ids, keep, np.random.default_rng(1)))
    noise = wc.noise_distribution(counts)
    np.testing.assert_allclose(noise[2:], counts[2:] ** 0.75 / np.sum(counts[2:] ** 0.75))
    draws = wc.sample_negatives(noise, (20000, 5), np.random.default_rng(2))
    assert draws.min() >= 2
    np.testing.assert_allclose(np.bincount(draws.ravel(), minlength=5) / draws.size, noise,
                               atol=0.01)


def test_load_gives_similarity_pairs_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("IVANET_DATA", str(tmp_path))
    with pytest.raises(DataError, match="ivanet data fetch word-tests"):
        word_tests.load()
    folder = tmp_path / "word-tests"
    folder.mkdir()
    for name in word_tests.FILES:
        (folder / name).write_text("")
    (folder / word_tests.WORDSIM).write_text("# c\nTiger\tcat\t7.35\nbook\tpaper\t7.5\n")
    (folder / word_tests.SIMLEX).write_text("old\tnew\t1.58\n")
    splits = word_tests.load()
    tokens = splits.vocabulary["tokens"]
    assert splits.train.x.shape == (2, 2) and splits.test.y[0, 0] == np.float32(1.58)
    assert [tokens[i] for i in splits.train.x[0]] == ["tiger", "cat"]
