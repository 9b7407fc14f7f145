"""Detection composites: exact boxes and masks, seeding, box-aware flip and shift."""
import numpy as np
import pytest

from ivanet.data.composites import (boxes_from_instances, flip_composite, make_composites,
                                    shift_composite)


@pytest.fixture(scope="module")
def composites():
    rng = np.random.default_rng(0)
    items = np.zeros((4, 28, 28), np.float32)
    for k in range(4):                        # four "glyphs": bars at different places
        items[k, 4 + 5 * k:8 + 5 * k, 4:24] = 1.0
    textures = [rng.uniform(0, 1, (80, 80)).astype(np.float32)]
    return make_composites(items, np.arange(4), 12, num_classes=4, image_size=32,
                           max_objects=3, item_size=(10, 16), textures=textures,
                           rng=np.random.default_rng(1))


def test_boxes_and_masks_are_exact(composites):
    assert composites.images.shape == (12, 1, 32, 32)
    assert composites.images.min() >= 0 and composites.images.max() <= 1
    assert any(len(b) == 0 for b in composites.boxes)          # some empty images
    assert sum(len(b) for b in composites.boxes) > 5
    masks = composites.masks()
    for n in range(len(composites)):
        boxes, kept = boxes_from_instances(composites.instances[n], len(composites.labels[n]))
        np.testing.assert_array_equal(boxes, composites.boxes[n])   # tight boxes of masks
        assert len(kept) == len(composites.labels[n])
        for k, label in enumerate(composites.labels[n]):
            assert np.all(masks[n][composites.instances[n] == k + 1] == label + 1)
        # every object pixel is ink: brighter than any dimmed background pixel
        if len(composites.labels[n]):
            ink = composites.images[n, 0][composites.instances[n] > 0]
            assert ink.min() > composites.images[n, 0][composites.instances[n] == 0].min()


def test_seeded():
    items, labels = np.ones((2, 28, 28), np.float32), np.array([0, 1])
    tex = [np.full((40, 40), 0.5, np.float32)]
    a = make_composites(items, labels, 3, 2, 32, item_size=(8, 12), textures=tex,
                        rng=np.random.default_rng(5))
    b = make_composites(items, labels, 3, 2, 32, item_size=(8, 12), textures=tex,
                        rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.images, b.images)
    with pytest.raises(ValueError, match="item_size"):
        make_composites(items, labels, 1, 2, 32, item_size=(8, 40), textures=tex)


def test_flip_and_shift_keep_boxes_exact(composites):
    rng = np.random.default_rng(2)
    for n in range(len(composites)):
        image, inst = composites.images[n], composites.instances[n]
        boxes, labels = composites.boxes[n], composites.labels[n]
        f_image, f_inst, f_boxes = flip_composite(image, inst, boxes)
        np.testing.assert_array_equal(f_boxes, boxes_from_instances(f_inst, len(labels))[0])
        np.testing.assert_array_equal(f_image[0], image[0, :, ::-1])
        s_image, s_inst, s_boxes, s_labels = shift_composite(image, inst, labels, 10, rng)
        assert s_image.shape == image.shape and len(s_boxes) == len(s_labels)
        np.testing.assert_array_equal(s_boxes, boxes_from_instances(s_inst, len(s_labels))[0])
        assert set(s_labels.tolist()) <= set(labels.tolist())
