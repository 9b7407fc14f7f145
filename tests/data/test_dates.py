"""The ``dates`` generator: seeded, split by date, exact ISO labels, clear errors."""
import datetime as dt

import numpy as np
import pytest

from ivanet.data import DataError, load
from ivanet.data.sets import dates
from ivanet.data.text import CharVocabulary

SMALL = {"train_size": 300, "dev_size": 50, "test_size": 80}


@pytest.fixture(scope="module")
def splits():
    return load("dates", **SMALL)


def _decode(splits, part):
    vocab = CharVocabulary.from_dict(splits.vocabulary)
    width = splits.input_shape[0] - dates.TARGET_LEN
    texts = [vocab.decode(row[:width]) for row in part.x]
    return texts, [vocab.decode(row) for row in part.y]


def test_same_seed_same_data_other_seed_other_data(splits):
    again, other = dates.load(**SMALL), dates.load(**SMALL, seed=1)
    for name, part in splits.parts().items():
        np.testing.assert_array_equal(part.x, again.parts()[name].x)
        np.testing.assert_array_equal(part.y, again.parts()[name].y)
    assert not np.array_equal(splits.train.y, other.train.y)


def test_test_and_dev_dates_never_appear_in_training(splits):
    seen = {name: set(_decode(splits, part)[1]) for name, part in splits.parts().items()}
    assert not seen["train"] & seen["test"] and not seen["train"] & seen["dev"]
    assert not seen["dev"] & seen["test"]
    pools = dates.split_dates(0.05, 0.1, np.random.default_rng(0))
    assert sum(map(len, pools)) == len(set(np.concatenate(pools))) == 73049


def test_targets_are_the_iso_dates_of_the_inputs(splits):
    texts, targets = _decode(splits, splits.test)
    assert splits.test.x.shape[1] == splits.input_shape[0]
    np.testing.assert_array_equal(splits.test.x[:, -dates.TARGET_LEN:], splits.test.y)
    for text, target in zip(texts, targets):
        date = dt.date.fromisoformat(target)
        assert dates.FIRST <= date <= dates.LAST
        assert str(date.year) in text            # four-digit years: never ambiguous
    assert splits.task == "tagging" and splits.num_classes == len(splits.class_names)


def test_languages_and_formats():
    pairs = dates.patterns()
    assert {locale for locale, _ in pairs} == set(dates.LOCALES)
    assert ("en", "M/d/y") not in pairs           # month-first numbers are dropped
    assert ("fr", "dd/MM/y") in pairs and ("de", "dd.MM.y") in pairs
    assert all("yy" not in pattern for _, pattern in pairs)
    assert dates.render(dt.date(1987, 3, 9), "de", "EEEE, d. MMMM y") == "Montag, 9. März 1987"
    dates.verify()


@pytest.mark.parametrize("options, words", [
    ({"train_size": 0}, "positive integers"),
    ({"test_size": 2.5}, "positive integers"),
    ({"locales": ("xx-nowhere",)}, "unknown locale"),
    ({"test_fraction": 0.0}, "at least one day"),
    ({"dev_fraction": 0.6, "test_fraction": 0.5}, "leave days"),
])
def test_bad_options_are_clear_errors(options, words):
    with pytest.raises(DataError, match=words):
        dates.load(**{**SMALL, **options})
