"""Transfer learning: PyTorch checkpoints (.pt and .safetensors) load into the zoo and give
PyTorch's outputs; no pickle code runs; clear reports; freeze / unfreeze / new head."""
import os
import pickle
import sys
import zipfile

import numpy as np
import pytest
import torch
import torch_twins as twins
from safetensors.torch import save_file

from ivanet import Tensor
from ivanet.models import lenet, resnet, vgg  # noqa: F401  (register)
from ivanet.models import create_model
from ivanet.models.transfer import (TransferError, freeze, load_weights, read_weights,
                                    replace_head, unfreeze)
from ivanet.models.weights import UnsafeCheckpointError, read_torch_zip
from ivanet.ops.losses import cross_entropy
from ivanet.optim.sgd import SGD


def _randomize_batch_norm(twin, seed=0):
    generator = torch.Generator().manual_seed(seed)
    for module in twin.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.2, 0.2, generator=generator)
            module.running_var.uniform_(0.5, 2.0, generator=generator)
            module.weight.data.uniform_(0.5, 1.5, generator=generator)
            module.bias.data.uniform_(-0.2, 0.2, generator=generator)
    return twin.eval()


def _save(twin, tmp_path, fmt):
    path = tmp_path / f"weights.{fmt}"
    state = {k: v.contiguous() for k, v in twin.state_dict().items()}
    if fmt == "pt":
        torch.save(state, path)
    else:
        save_file(state, str(path))
    return path


CASES = {
    "lenet5": (lambda: twins.lenet5(), {}, (4, 1, 28, 28)),
    "vgg16": (lambda: twins.vgg16(num_classes=10, hidden=256),
              {"num_classes": 10, "hidden": 256}, (2, 3, 32, 32)),
    "resnet18": (lambda: twins.resnet18(num_classes=10), {"num_classes": 10},
                 (2, 3, 64, 64)),
}


@pytest.mark.parametrize("fmt", ["pt", "safetensors"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_torch_weights_give_torch_outputs(name, fmt, tmp_path):
    make_twin, options, shape = CASES[name]
    torch.manual_seed(0)
    twin = _randomize_batch_norm(make_twin())
    path = _save(twin, tmp_path, fmt)
    model = create_model(name, rng=np.random.default_rng(1), **options).eval()
    report = load_weights(model, path)
    assert report.ok and len(report.loaded) == len(twin.state_dict())
    x = np.random.default_rng(2).standard_normal(shape).astype(np.float32)
    with torch.no_grad():
        expected = twin(torch.from_numpy(x)).numpy()
    out = model(Tensor(x)).data
    assert out.dtype == np.float32
    assert np.abs(out - expected).max() <= 1e-4


@pytest.mark.slow
def test_full_size_vgg16_from_a_pt_file(tmp_path):
    torch.manual_seed(0)
    twin = twins.vgg16().eval()
    path = _save(twin, tmp_path, "pt")
    model = create_model("vgg16", rng=np.random.default_rng(0)).eval()
    assert load_weights(model, path).ok
    x = np.random.default_rng(1).standard_normal((1, 3, 64, 64)).astype(np.float32)
    with torch.no_grad():
        expected = twin(torch.from_numpy(x)).numpy()
    assert np.abs(model(Tensor(x)).data - expected).max() <= 1e-4


def test_restricted_reader_equals_torch_load(tmp_path):
    """The torch-free reader: every dtype, a strided (transposed) tensor, a scalar."""
    state = {"float": torch.randn(3, 4), "double": torch.randn(2, dtype=torch.float64),
             "half": torch.randn(5).half(), "bf16": torch.randn(3).bfloat16(),
             "long": torch.arange(6).reshape(2, 3), "scalar": torch.tensor(7),
             "bool": torch.tensor([True, False]), "byte": torch.arange(4, dtype=torch.uint8),
             "transposed": torch.randn(3, 5).t(), "shared_view": torch.arange(10.0)[2:7]}
    path = tmp_path / "mixed.pt"
    torch.save(state, path)
    arrays = read_torch_zip(path)
    assert set(arrays) == set(state)
    for name, tensor in state.items():
        expected = tensor.float().numpy() if name == "bf16" else tensor.numpy()
        assert arrays[name].dtype == expected.dtype, name
        np.testing.assert_array_equal(arrays[name], expected, err_msg=name)
    nested = tmp_path / "checkpoint.pth"
    torch.save({"epoch": 3, "state_dict": {"w": torch.ones(2)}}, nested)
    assert list(read_torch_zip(nested)) == list(read_weights(nested)) == ["w"]


def test_pt_files_load_without_torch(tmp_path, monkeypatch):
    """With PyTorch absent, .pt files go through the restricted reader, same result."""
    torch.manual_seed(0)
    twin = twins.resnet_cifar(8)
    path = _save(twin, tmp_path, "pt")
    expected = {k: v.numpy() for k, v in twin.state_dict().items()}
    monkeypatch.setitem(sys.modules, "torch", None)          # `import torch` now fails
    arrays = read_weights(path)
    assert set(arrays) == set(expected)
    for name, array in arrays.items():
        np.testing.assert_array_equal(array, expected[name], err_msg=name)
    model = create_model("resnet8", rng=np.random.default_rng(0))
    assert load_weights(model, path).ok


class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_pickle_code_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("evil/data.pkl", pickle.dumps({"w": _Exploit(marker)}, protocol=2))
        archive.writestr("evil/byteorder", "little")
        archive.writestr("evil/version", "3\n")
    with pytest.raises(UnsafeCheckpointError, match="refusing to load"):
        read_torch_zip(path)
    with pytest.raises(Exception):     # torch.load(weights_only=True) refuses it too
        read_weights(path)
    assert not marker.exists()


def test_report_names_missing_unexpected_and_mis_shaped_keys(rng):
    model = create_model("lenet5", rng=rng)
    state = model.state_dict()
    state["classifier.4.weight"] = np.zeros((5, 84), np.float32)    # another head size
    state["extra.weight"] = np.zeros(3, np.float32)
    del state["features.0.bias"]
    with pytest.raises(TransferError) as error:
        load_weights(model, state)
    message = str(error.value)
    assert "missing (kept their values): features.0.bias" in message
    assert "unexpected (ignored): extra.weight" in message
    assert "shape mismatch classifier.4.weight: model (10, 84), file (5, 84)" in message
    before = model.state_dict()
    report = load_weights(model, state, strict=False)
    assert not report.ok and "classifier.4.weight" not in report.loaded
    np.testing.assert_array_equal(model.state_dict()["classifier.4.weight"],
                                  before["classifier.4.weight"])


def test_rename_ignore_and_data_parallel_prefix(rng):
    source = create_model("lenet5", rng=rng)
    state = {f"module.backbone.{k[len('features.'):]}" if k.startswith("features.")
             else f"module.{k}": v for k, v in source.state_dict().items()}
    target = create_model("lenet5", num_classes=3, rng=np.random.default_rng(5))
    report = load_weights(target, state, rename={"backbone.": "features."},
                          ignore=("classifier.4",))
    assert report.ok
    np.testing.assert_array_equal(target.features[0].weight.data,
                                  source.features[0].weight.data)
    assert target.classifier[4].weight.shape == (3, 84)


def test_freeze_replace_head_and_fine_tune(rng):
    model = create_model("resnet8", rng=rng)
    frozen = freeze(model)
    assert frozen == model.num_parameters()
    head = replace_head(model, num_classes=3, rng=rng)
    assert head == "fc" and model.fc.weight.shape == (3, 64)
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable == ["fc.weight", "fc.bias"]
    backbone = model.conv1.weight.data.copy()
    model.eval()                                       # frozen batch-norm statistics too
    optimizer = SGD([p for p in model.parameters() if p.requires_grad], lr=0.05)
    x = Tensor(rng.standard_normal((6, 3, 32, 32)).astype(np.float32))
    y = np.arange(6) % 3
    losses = []
    for _ in range(25):
        optimizer.zero_grad()
        loss = cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
    np.testing.assert_array_equal(model.conv1.weight.data, backbone)
    assert unfreeze(model, "layer3", model.bn1) > 0
    assert model.layer3[0].conv1.weight.requires_grad and model.bn1.weight.requires_grad
    assert not model.layer2[0].conv1.weight.requires_grad
    with pytest.raises(ValueError, match="no parameter named 'layer9'"):
        freeze(model, "layer9")


def test_read_weights_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_weights(tmp_path / "nothing.pt")
    (tmp_path / "w.h5").write_bytes(b"x")
    with pytest.raises(ValueError, match="unknown weights format"):
        read_weights(tmp_path / "w.h5")
    (tmp_path / "old.pt").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a zip-format"):
        read_torch_zip(tmp_path / "old.pt")
