"""Human-readable dates in seven languages → ISO dates, generated with ``babel`` (seeded).

A date between 1900-01-01 and 2099-12-31 is written in one of the locales en, fr, de, es,
it, pt, nl with one of babel's full/long/medium/short patterns or a few custom ones
("lundi 9 mars 1987", "9. März 1987", "Mar 9, 1987", "09-03-1987"); the target is its ISO
form "1987-03-09" (always ``TARGET_LEN`` = 10 characters).

Two choices keep every label exact: years are always written with four digits (babel's
short patterns print "87", which cannot tell 1987 from 2087), and numeric patterns that
put the month first (en's "M/d/y") are dropped, since "11/12/1987" would read as another
date in every other locale.

The split is by DATE: the test dates and the dev dates are drawn first and never appear in
training, in any language or format. Characters form one ``CharVocabulary`` (``<pad>`` = 0)
built from the training inputs plus the ISO characters; a character seen only outside
training becomes ``<unk>``.

Layout for a sequence-to-sequence model trained by ``fit`` (which calls ``model(x)``):
x (N, S + 10) int64 = the input's character ids padded with 0 to S columns, followed by the
target's 10 ids (the decoder's teacher-forcing input in training; a translator in eval
mode must ignore them); y (N, 10) int64 = the target's ids. Task "tagging": one output
character per target position, (N, V, 10) logits.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from ivanet.data.dataset import ArrayDataset, DataError, DataSplits
from ivanet.data.text import CharVocabulary, pad_sequences

NAME = "dates"
DESCRIPTION = "dates in 7 languages, 44 written patterns → ISO YYYY-MM-DD (generated)"
SOURCE = "generated with babel (CLDR date patterns), seeded; no download"
LICENCE = "generated (babel: BSD-3-Clause; CLDR data: Unicode licence)"
PACKAGE = "babel"
LOCALES = ("en", "fr", "de", "es", "it", "pt", "nl")
STANDARD = ("full", "long", "medium", "short")
CUSTOM = ("d MMM y", "EEEE d MMMM y", "d MMMM y", "dd MMM y")
TARGET_LEN = 10
ISO_CHARS = "0123456789-"
FIRST, LAST = dt.date(1900, 1, 1), dt.date(2099, 12, 31)


def _four_digit_year(pattern: str) -> str:
    """The CLDR pattern with any year field ("yy", "yyyy") as "y": the full year."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "y":
            while i < len(pattern) and pattern[i] == "y":
                i += 1
            out.append("y")
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def _numeric_month_first(pattern: str) -> bool:
    literal = pattern.split("'")[::2]        # text outside quotes holds the fields
    fields = "".join(literal)
    numeric = "MMM" not in fields and "LLL" not in fields
    return numeric and fields.find("M") < fields.find("d")


def patterns(locales: tuple[str, ...] = LOCALES) -> list[tuple[str, str]]:
    """Every (locale, CLDR pattern) the generator writes dates with."""
    from babel import Locale  # noqa: PLC0415 (only the generator needs babel)

    pairs = []
    for locale in locales:
        try:
            formats = Locale.parse(locale).date_formats
        except (ValueError, LookupError) as error:
            raise DataError(f"dates: unknown locale {locale!r} ({error})") from None
        chosen = [_four_digit_year(formats[name].pattern) for name in STANDARD]
        for pattern in dict.fromkeys(chosen + list(CUSTOM)):
            if not _numeric_month_first(pattern):
                pairs.append((locale, pattern))
    return pairs


def render(date: dt.date, locale: str, pattern: str) -> str:
    """``date`` written in ``locale`` with the CLDR ``pattern`` (babel)."""
    from babel.dates import format_date  # noqa: PLC0415

    return format_date(date, pattern, locale=locale)


def split_dates(dev_fraction: float, test_fraction: float,
                rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Day numbers (days after 1900-01-01) of train, dev and test: disjoint sets."""
    days = rng.permutation((LAST - FIRST).days + 1)
    n_test, n_dev = int(len(days) * test_fraction), int(len(days) * dev_fraction)
    if min(n_test, n_dev) < 1 or n_test + n_dev >= len(days):
        raise DataError(f"dates: dev_fraction {dev_fraction} and test_fraction "
                        f"{test_fraction} must each hold at least one day and leave days "
                        f"for training")
    return days[n_test + n_dev:], days[n_test:n_test + n_dev], days[:n_test]


def generate(pool: np.ndarray, count: int, pairs: list[tuple[str, str]],
             rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """``count`` (text, ISO) pairs: dates drawn from ``pool``, locale and pattern at random."""
    days = rng.choice(pool, size=count)
    which = rng.integers(len(pairs), size=count)
    texts, targets = [], []
    for day, k in zip(days.tolist(), which.tolist()):
        date = FIRST + dt.timedelta(days=day)
        texts.append(render(date, *pairs[k]))
        targets.append(date.isoformat())
    return texts, targets


def encode(vocab: CharVocabulary, texts: list[str], targets: list[str],
           width: int) -> ArrayDataset:
    """x = input ids padded to ``width`` then the target's ids; y = the target's ids."""
    source, _ = pad_sequences([vocab.encode(text) for text in texts], max_len=width)
    source = np.pad(source, ((0, 0), (0, width - source.shape[1])))
    y = np.stack([vocab.encode(target, unknown="error") for target in targets])
    return ArrayDataset(np.concatenate([source, y], axis=1), y)


def load(train_size: int = 40_000, dev_size: int = 2_000, test_size: int = 5_000,
         seed: int = 0, locales: tuple[str, ...] | list[str] = LOCALES,
         dev_fraction: float = 0.05, test_fraction: float = 0.1) -> DataSplits:
    """Generate the data set (a few seconds for the default sizes); same seed, same data."""
    sizes = {"train_size": train_size, "dev_size": dev_size, "test_size": test_size}
    bad = {key: n for key, n in sizes.items() if not isinstance(n, int) or n < 1}
    if bad:
        raise DataError(f"dates: sizes must be positive integers, got {bad}")
    rng = np.random.default_rng(seed)
    pairs = patterns(tuple(locales))
    pools = split_dates(dev_fraction, test_fraction, rng)
    parts = [generate(pool, n, pairs, rng) for pool, n in zip(pools, sizes.values())]
    vocab = CharVocabulary.build("".join(parts[0][0]) + ISO_CHARS)
    width = max(len(text) for texts, _ in parts for text in texts)  # layout, not learning
    train, dev, test = (encode(vocab, texts, targets, width) for texts, targets in parts)
    return DataSplits(name=NAME, train=train, dev=dev, test=test, task="tagging",
                      input_shape=(width + TARGET_LEN,), num_classes=len(vocab),
                      class_names=tuple(vocab.tokens), description=DESCRIPTION,
                      vocabulary=vocab.to_dict())


def verify() -> None:
    """Check that babel renders a known date as the generator expects."""
    got = render(dt.date(1987, 3, 9), "fr", "EEEE d MMMM y")
    if got != "lundi 9 mars 1987":
        raise DataError(f"dates: babel wrote 1987-03-09 as {got!r}, expected "
                        f"'lundi 9 mars 1987' (another CLDR version?)")
