"""``ner-templates``: a seeded generator, BIO tags that match the filled slots, templates and
names held out from training, entity spans and scores as conlleval reads them."""
import numpy as np
import pytest

from ivanet.data import DataError, load
from ivanet.data.sets import ner_lists
from ivanet.data.sets import ner_templates as ner


def test_the_generator_is_deterministic_and_seeded():
    first, again = ner.generate("train", 30, seed=0), ner.generate("train", 30, seed=0)
    assert first == again
    assert ner.generate("train", 30, seed=1) != first


def test_every_slot_becomes_one_bio_entity_of_its_type():
    pools = ner_lists.entity_pools("train")
    rng = np.random.default_rng(3)
    for template in ner_lists.TEMPLATES:
        words, tags = ner.fill(template, pools, rng)
        assert len(words) == len(tags) and all(w.strip() for w in words)
        slots = [piece for piece in template.replace("}", "{").split("{") if piece in ner.TYPES]
        found = sorted(ner.spans(tags), key=lambda span: span[1])
        assert [kind for kind, _, _ in found] == slots
        for kind, start, end in found:  # B- first, I- after, never an I- that starts one
            assert tags[start] == f"B-{kind}" and set(tags[start + 1:end]) <= {f"I-{kind}"}


def test_test_templates_and_names_are_held_out():
    templates = ner.split_templates()
    assert not set(templates["train"]) & set(templates["test"])
    assert not set(templates["dev"]) & (set(templates["test"]) | set(templates["train"]))
    train, test = ner_lists.entity_pools("train"), ner_lists.entity_pools("test")
    for name in train:
        assert train[name] and test[name] and not set(train[name]) & set(test[name])
    train_words = {w for words, _ in ner.generate("train", 300) for w in words}
    people = [words[s:e] for words, tags in ner.generate("test", 100)
              for kind, s, e in ner.spans(tags) if kind == "PER"]
    assert people and all(not set(person) & train_words for person in people)


def test_spans_read_bio_like_conlleval():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG", "I-DATE", "I-DATE"]
    assert ner.spans(tags) == {("PER", 0, 2), ("LOC", 3, 4), ("ORG", 4, 5), ("ORG", 5, 6),
                               ("DATE", 6, 8)}


def test_entity_scores_count_only_exact_spans():
    truth = [["B-PER", "I-PER", "O", "B-LOC"], ["B-DATE", "O"]]
    guess = [["B-PER", "O", "O", "B-LOC"], ["B-DATE", "O"]]  # one person cut short
    scores = ner.entity_scores(truth, guess)
    assert scores["precision"] == scores["recall"] == pytest.approx(2 / 3)
    assert ner.entity_scores(truth, truth)["f1"] == 1.0
    with pytest.raises(DataError, match="2 true and 1 predicted"):
        ner.entity_scores(truth, guess[:1])


def test_load_pads_words_and_tags_together():
    splits = load("ner-templates", train_size=40, dev_size=10, test_size=12)
    assert splits.task == "tagging" and splits.class_names[2:] == ner.TAGS
    assert splits.input_shape[1] == 4 and len(splits.test) == 12
    for part in splits.parts().values():
        assert np.array_equal(part.x[:, :, 0] == 0, part.y == 0)
    words_only = load("ner-templates", train_size=40, dev_size=10, test_size=12,
                      word_features=False)
    assert words_only.train.x.ndim == 2 and np.array_equal(words_only.train.y, splits.train.y)


@pytest.mark.parametrize("bad", [{"train_size": 0}, {"test_size": -3}])
def test_bad_sizes_are_named(bad):
    with pytest.raises(DataError, match="_size must be ≥ 1"):
        load("ner-templates", **bad)


def test_unknown_split_is_an_error():
    with pytest.raises(DataError, match="split must be one of train, dev, test"):
        ner.generate("validation", 3)
