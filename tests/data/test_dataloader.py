"""DataLoader: batching, drop_last, seeded shuffles, resumption by epoch, transforms."""
import numpy as np
import pytest

from ivanet.data import ArrayDataset, DataLoader, RandomCrop


def make_dataset(n=23):
    ids = np.arange(n)
    return ArrayDataset(ids[:, None].astype(np.float32), ids)


class ItemsOnly:
    """A dataset without ``batch``: the loader must fall back to stacking items."""

    def __init__(self, dataset):
        self.inner = dataset

    def __len__(self):
        return len(self.inner)

    def __getitem__(self, index):
        return self.inner[index]


def epoch_ids(loader):
    return [y.copy() for _, y in loader]


@pytest.mark.parametrize("drop_last,batches,last_size", [(False, 5, 3), (True, 4, 5)])
def test_len_and_batch_sizes(drop_last, batches, last_size):
    loader = DataLoader(make_dataset(23), batch_size=5, drop_last=drop_last)
    sizes = [len(y) for _, y in loader]
    assert len(loader) == batches == len(sizes)
    assert sizes[-1] == last_size and set(sizes[:-1]) <= {5}


def test_unshuffled_order_and_batches_are_copies():
    dataset = make_dataset(10)
    x, y = next(iter(DataLoader(dataset, batch_size=4)))
    np.testing.assert_array_equal(y, [0, 1, 2, 3])
    x[:] = -1
    assert dataset.x.min() == 0


def test_shuffle_visits_every_sample_once_and_differs_between_epochs():
    loader = DataLoader(make_dataset(23), batch_size=4, shuffle=True, seed=5)
    first, second = np.concatenate(epoch_ids(loader)), np.concatenate(epoch_ids(loader))
    np.testing.assert_array_equal(np.sort(first), np.arange(23))
    np.testing.assert_array_equal(np.sort(second), np.arange(23))
    assert not np.array_equal(first, second)
    assert loader.epoch == 2


def test_same_seed_same_batches_and_rng_argument_is_reproducible():
    a = DataLoader(make_dataset(), 4, shuffle=True, seed=11)
    b = DataLoader(make_dataset(), 4, shuffle=True, seed=11)
    for _ in range(2):
        for left, right in zip(epoch_ids(a), epoch_ids(b), strict=True):
            np.testing.assert_array_equal(left, right)
    c = DataLoader(make_dataset(), 4, shuffle=True, rng=np.random.default_rng(3))
    d = DataLoader(make_dataset(), 4, shuffle=True, rng=np.random.default_rng(3))
    assert c.seed == d.seed


def test_resume_at_an_epoch_sees_the_uninterrupted_batches():
    augment = RandomCrop(padding=1)
    dataset = ArrayDataset(np.random.default_rng(0).random((12, 1, 4, 4), np.float32),
                           np.arange(12))
    full = DataLoader(dataset, 5, shuffle=True, seed=21, transform=augment)
    reference = [[(x.copy(), y.copy()) for x, y in full] for _ in range(3)]
    resumed = DataLoader(dataset, 5, shuffle=True, seed=0, transform=augment)
    resumed.load_state_dict({"seed": 21, "epoch": 1})
    for epoch in (1, 2):
        resumed.set_epoch(epoch)
        for (x, y), (x_ref, y_ref) in zip(resumed, reference[epoch], strict=True):
            np.testing.assert_array_equal(y, y_ref)
            np.testing.assert_array_equal(x, x_ref)
    assert resumed.state_dict() == {"seed": 21, "epoch": 3}


def test_resume_in_the_middle_of_an_epoch():
    loader = DataLoader(make_dataset(), 4, shuffle=True, seed=2)
    loader.set_epoch(3)
    reference = epoch_ids(loader)
    loader.set_epoch(3, start_batch=2)
    rest = epoch_ids(loader)
    assert len(rest) == len(reference) - 2
    for left, right in zip(rest, reference[2:], strict=True):
        np.testing.assert_array_equal(left, right)


@pytest.mark.parametrize("use_collate", [False, True])
def test_item_path_and_collate_match_the_fast_path(use_collate):
    fast = DataLoader(make_dataset(), 6, shuffle=True, seed=4)
    calls = []

    def collate(items):
        calls.append(len(items))
        return np.stack([x for x, _ in items]), np.array([y for _, y in items])

    dataset = make_dataset() if use_collate else ItemsOnly(make_dataset())
    slow = DataLoader(dataset, 6, shuffle=True, seed=4, collate=collate if use_collate else None)
    for (x, y), (x_slow, y_slow) in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(x, x_slow)
        np.testing.assert_array_equal(y, y_slow)
    assert calls == ([6, 6, 6, 5] if use_collate else [])


def test_bad_arguments():
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(make_dataset(), 0)
    with pytest.raises(ValueError, match="either seed or rng"):
        DataLoader(make_dataset(), 2, seed=1, rng=np.random.default_rng())
    with pytest.raises(ValueError, match="start_batch"):
        DataLoader(make_dataset(10), 5).set_epoch(0, start_batch=3)
