"""YOLO detector, U-Net and conv autoencoder: shapes, outputs against torch twins, overfitting."""
import numpy as np
import pytest
import torch
from torch import nn as tnn

from ivanet import Tensor
from ivanet.detection import encode_batch, yolo_loss
from ivanet.models import create_model
from ivanet.optim.adam import Adam
from ivanet.segmentation import pixel_cross_entropy


def _block(cin, cout):
    return [tnn.Conv2d(cin, cout, 3, padding=1, bias=False), tnn.BatchNorm2d(cout),
            tnn.LeakyReLU(0.1)]


class TorchYolo(tnn.Module):
    def __init__(self, w, out):
        super().__init__()
        self.features = tnn.Sequential(*_block(1, w), tnn.MaxPool2d(2), *_block(w, 2 * w),
                                       tnn.MaxPool2d(2), *_block(2 * w, 4 * w),
                                       *_block(4 * w, 4 * w), tnn.MaxPool2d(2),
                                       *_block(4 * w, 8 * w), *_block(8 * w, 8 * w))
        self.head = tnn.Conv2d(8 * w, out, 1)

    def forward(self, x):
        return self.head(self.features(x))


def _double(cin, cout):
    return tnn.Sequential(tnn.Conv2d(cin, cout, 3, padding=1, bias=False),
                          tnn.BatchNorm2d(cout), tnn.ReLU(),
                          tnn.Conv2d(cout, cout, 3, padding=1, bias=False),
                          tnn.BatchNorm2d(cout), tnn.ReLU())


class TorchUNet(tnn.Module):
    def __init__(self, w, classes):
        super().__init__()
        self.enc1, self.enc2, self.pool = _double(1, w), _double(w, 2 * w), tnn.MaxPool2d(2)
        self.bottom = _double(2 * w, 4 * w)
        self.up2, self.dec2 = tnn.ConvTranspose2d(4 * w, 2 * w, 2, 2), _double(4 * w, 2 * w)
        self.up1, self.dec1 = tnn.ConvTranspose2d(2 * w, w, 2, 2), _double(2 * w, w)
        self.head = tnn.Conv2d(w, classes, 1)

    def forward(self, x):
        s1 = self.enc1(x)
        s2 = self.enc2(self.pool(s1))
        x = self.bottom(self.pool(s2))
        x = self.dec2(torch.cat([self.up2(x), s2], 1))
        return self.head(self.dec1(torch.cat([self.up1(x), s1], 1)))


def _compare(model, twin, shape, rng):
    state = {k: torch.from_numpy(np.array(v)) for k, v in model.state_dict().items()}
    twin.load_state_dict(state)
    x = rng.standard_normal(shape).astype(np.float32)
    for mode in ("train", "eval"):
        getattr(model, mode)(), getattr(twin, mode)()
        ours = model(Tensor(x)).data
        with torch.no_grad():
            theirs = twin(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)
    return ours


@pytest.mark.parametrize("name, options, twin, shape, out", [
    ("yolo", dict(input_shape=(1, 32, 48), num_classes=3, num_anchors=2, width=4),
     lambda: TorchYolo(4, 16), (2, 1, 32, 48), (2, 16, 4, 6)),
    ("unet", dict(input_shape=(1, 16, 12), num_classes=4, width=4),
     lambda: TorchUNet(4, 4), (2, 1, 16, 12), (2, 4, 16, 12)),
])
def test_outputs_and_counts_equal_the_torch_twin(name, options, twin, shape, out):
    rng = np.random.default_rng(0)
    model = create_model(name, rng=rng, **options)
    reference = twin()
    assert model.num_parameters() == sum(p.numel() for p in reference.parameters())
    assert _compare(model, reference, shape, rng).shape == out


def test_bad_sizes():
    with pytest.raises(ValueError, match="multiples of 8"):
        create_model("yolo", input_shape=(1, 30, 32))
    with pytest.raises(ValueError, match="multiples of 4"):
        create_model("unet", input_shape=(1, 30, 30))


def test_autoencoder_shapes_and_overfits():
    rng = np.random.default_rng(0)
    model = create_model("conv_autoencoder", input_shape=(1, 12, 12), width=4, rng=rng)
    blocks = (rng.uniform(0, 1, (4, 1, 3, 3)) > 0.5).astype(np.float32)
    x = np.kron(blocks, np.ones((4, 4), np.float32))           # 4×4 blocks: learnable
    assert model.encode(Tensor(x)).shape == (4, 4, 3, 3)
    from ivanet.ops.losses import binary_cross_entropy_with_logits
    optimizer, losses = Adam(model.parameters(), lr=1e-2), []
    for _ in range(80):
        loss = binary_cross_entropy_with_logits(model(Tensor(x)), x)
        optimizer.zero_grad(), loss.backward(), optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.3 * losses[0]


def test_unet_and_yolo_overfit_one_batch():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (2, 1, 16, 16)).astype(np.float32)
    masks = (x[:, 0] > 0.5).astype(np.int64)
    unet = create_model("unet", input_shape=(1, 16, 16), num_classes=2, width=4, rng=rng)
    optimizer = Adam(unet.parameters(), lr=1e-2)
    for _ in range(40):
        loss = pixel_cross_entropy(unet(Tensor(x)), masks)
        optimizer.zero_grad(), loss.backward(), optimizer.step()
    assert loss.item() < 0.2
    anchors = np.array([[6.0, 6.0], [10.0, 6.0]])
    target = encode_batch([np.array([[1, 1, 7, 7]]), np.array([[4, 6, 14, 12]])], [[0], [1]],
                          (16, 16), 2, anchors, 2)
    yolo = create_model("yolo", input_shape=(1, 16, 16), num_classes=2, num_anchors=2,
                        width=4, rng=rng)
    optimizer, first = Adam(yolo.parameters(), lr=1e-2), None
    for _ in range(60):
        loss = yolo_loss(yolo(Tensor(x)), target, anchors, (16, 16))
        optimizer.zero_grad(), loss.backward(), optimizer.step()
        first = first or loss.item()
    assert loss.item() < 0.1 * first
