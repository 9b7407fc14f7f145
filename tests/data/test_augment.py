"""Augmentations: shapes, dtypes, ranges, exact special cases, determinism from rng."""
import numpy as np
import pytest

from ivanet.data import (BrightnessContrast, Compose, GaussianNoise, RandomAffine, RandomCrop,
                         RandomErasing, RandomHorizontalFlip, RandomRotation, RandomVerticalFlip,
                         Standardizer)

ALL = [RandomHorizontalFlip(), RandomVerticalFlip(), RandomCrop(2), RandomCrop(2, mode="reflect"),
       RandomAffine(15, translate=0.1, scale=(0.8, 1.2)), RandomRotation(30), GaussianNoise(0.1),
       BrightnessContrast(0.3, 0.3), RandomErasing(0.9)]


@pytest.fixture
def images(rng):
    return rng.random((6, 2, 7, 9), dtype=np.float32)


@pytest.mark.parametrize("augmentation", ALL, ids=repr)
def test_shape_dtype_range_and_input_untouched(augmentation, images):
    before = images.copy()
    out = augmentation(images, np.random.default_rng(0))
    assert out.shape == images.shape and out.dtype == images.dtype
    assert out.min() >= 0.0 and out.max() <= 1.0
    np.testing.assert_array_equal(images, before)


@pytest.mark.parametrize("augmentation", ALL, ids=repr)
def test_same_rng_seed_same_result(augmentation, images):
    first = augmentation(images, np.random.default_rng(9))
    again = augmentation(images, np.random.default_rng(9))
    other = augmentation(images, np.random.default_rng(10))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_flips_with_probability_one_and_zero(images, rng):
    np.testing.assert_array_equal(RandomHorizontalFlip(1.0)(images, rng), images[..., ::-1])
    np.testing.assert_array_equal(RandomVerticalFlip(1.0)(images, rng), images[:, :, ::-1])
    np.testing.assert_array_equal(RandomHorizontalFlip(0.0)(images, rng), images)


def test_crop_is_a_shifted_window_of_the_padded_image(images, rng):
    np.testing.assert_array_equal(RandomCrop(0)(images, rng), images)
    out = RandomCrop(3)(images, rng)
    padded = np.pad(images, ((0, 0), (0, 0), (3, 3), (3, 3)))
    for n in range(len(images)):
        matches = [np.array_equal(out[n], padded[n, :, i:i + 7, j:j + 9])
                   for i in range(7) for j in range(7)]
        assert any(matches)


def test_affine_identity_and_quarter_turn(rng):
    square = rng.random((3, 2, 9, 9), dtype=np.float32)
    np.testing.assert_array_equal(RandomAffine(0.0)(square, rng), square)
    turned = RandomAffine(degrees=(90, 90))(square, rng)
    np.testing.assert_allclose(turned, np.rot90(square, 1, axes=(2, 3)), atol=1e-6)


def test_affine_shift_reads_fill_outside_the_image(rng):
    ones = np.ones((4, 1, 8, 8), np.float32)
    out = RandomAffine(0.0, translate=0.5, fill=0.0)(ones, rng)
    assert out.min() == 0.0 and out.max() == 1.0  # shifted in some zeros, kept some ones


def test_noise_statistics_and_zero_noise(rng):
    x = np.full((8, 1, 32, 32), 0.5, np.float32)
    noisy = GaussianNoise(std=0.1, clip=None)(x, rng)
    assert abs(float((noisy - x).std()) - 0.1) < 0.005
    np.testing.assert_array_equal(GaussianNoise(std=0.0)(x, rng), x)


def test_contrast_keeps_each_image_mean_and_identity_when_off(images, rng):
    out = BrightnessContrast(brightness=0.0, contrast=0.5, clip=None)(images, rng)
    np.testing.assert_allclose(out.mean(axis=(1, 2, 3)), images.mean(axis=(1, 2, 3)), atol=1e-6)
    np.testing.assert_allclose(BrightnessContrast(0.0, 0.0)(images, rng), images, atol=1e-6)


def test_erasing_blanks_one_rectangle_of_the_drawn_size_in_every_channel(rng):
    ones = np.ones((200, 2, 20, 30), np.float32)
    out = RandomErasing(p=1.0, scale=(0.05, 0.3), ratio=(0.5, 2.0), value=0.0)(ones, rng)
    for image in out:
        np.testing.assert_array_equal(image[0], image[1])         # all channels erased alike
        rows, cols = np.nonzero(image[0] == 0)
        h, w = rows.max() - rows.min() + 1, cols.max() - cols.min() + 1
        assert len(rows) == h * w                                  # one filled rectangle
        assert 0.05 * 600 - 20 <= h * w <= 0.3 * 600 + 20          # s ~ U(scale), rounded
        assert 0.5 / 1.5 <= h / w <= 2.0 * 1.5
    fractions = (out[:, 0] == 0).mean(axis=(1, 2))
    assert abs(fractions.mean() - 0.175) < 0.02                    # E[s] of U(0.05, 0.3)
    np.testing.assert_array_equal(RandomErasing(p=0.0)(ones, rng), ones)


def test_erasing_with_probability_half_and_random_fill(rng):
    ones = np.ones((400, 1, 16, 16), np.float32)
    out = RandomErasing(p=0.5)(ones, rng)
    erased = (out < 1).any(axis=(1, 2, 3))
    assert 0.4 < erased.mean() < 0.6
    assert len(np.unique(out[erased])) > 100                      # noise, not one value
    with pytest.raises(ValueError, match="value must be a number or 'random'"):
        RandomErasing(value="mean")
    with pytest.raises(ValueError, match="scale"):
        RandomErasing(scale=(0.5, 0.1))


def test_compose_applies_in_order_and_accepts_a_standardizer(images):
    standardizer = Standardizer(per="channel").fit(images)
    pipeline = Compose([RandomHorizontalFlip(1.0), standardizer])
    expected = standardizer.transform(images[..., ::-1])
    np.testing.assert_allclose(pipeline(images, np.random.default_rng(0)), expected)


def test_non_nchw_input_is_rejected(rng):
    with pytest.raises(ValueError, match=r"RandomCrop expects a float NCHW batch.*\(4, 4\)"):
        RandomCrop(1)(np.zeros((4, 4), np.float32), rng)
    with pytest.raises(ValueError, match="uint8"):
        GaussianNoise()(np.zeros((1, 1, 2, 2), np.uint8), rng)
