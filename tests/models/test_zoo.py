"""The CNN zoo: parameter counts (torchvision's), names and outputs against plain-torch twins,
output shapes, receptive fields, and "overfits one small batch"."""
import numpy as np
import pytest
import torch
import torch_twins as twins

from ivanet import Tensor
from ivanet.models import alexnet, inception, lenet, resnet, vgg  # noqa: F401  (register)
from ivanet.models import create_model
from ivanet.ops.losses import cross_entropy
from ivanet.optim.adam import Adam
from ivanet.vision import receptive_field

# torchvision's published counts (1000 classes; GoogLeNet without the aux heads).
TORCHVISION_COUNTS = {"alexnet": 61_100_840, "vgg16": 138_357_544, "resnet18": 11_689_512,
                      "resnet34": 21_797_672, "resnet50": 25_557_032,
                      "googlenet": 6_624_904}
TWINS = {"alexnet": twins.alexnet, "vgg16": twins.vgg16, "resnet18": twins.resnet18,
         "resnet34": twins.resnet34, "resnet50": twins.resnet50,
         "googlenet": twins.GoogLeNet}


@pytest.mark.parametrize("name", sorted(TORCHVISION_COUNTS))
def test_parameter_counts_equal_torchvision(name):
    with torch.device("meta"):                 # counts without allocating the weights
        twin = TWINS[name]()
    assert twins.count(twin) == TORCHVISION_COUNTS[name]
    model = create_model(name, rng=np.random.default_rng(0))
    assert model.num_parameters() == TORCHVISION_COUNTS[name]
    ours = {k: v.shape for k, v in model.named_parameters()}
    theirs = {k: tuple(v.shape) for k, v in twin.named_parameters()}
    assert ours == theirs                      # same names, same shapes


def test_small_model_counts():
    assert create_model("lenet5").num_parameters() == 61_706 == twins.count(twins.lenet5())
    assert create_model("resnet8").num_parameters() == twins.count(twins.resnet_cifar(8))
    assert create_model("resnet20").num_parameters() == twins.count(twins.resnet_cifar(20))


def _copy_to_torch(model, twin):
    state = {k: torch.from_numpy(np.array(v)) for k, v in model.state_dict().items()}
    twin.load_state_dict(state)
    return twin.eval()


@pytest.mark.parametrize("name, options, twin, shape", [
    ("lenet5", {}, lambda: twins.lenet5(), (2, 1, 28, 28)),
    ("resnet8", {}, lambda: twins.resnet_cifar(8), (2, 3, 32, 32)),
    ("resnet50", {"num_classes": 7}, lambda: twins.resnet50(7), (2, 3, 64, 64)),
    ("googlenet", {"num_classes": 5}, lambda: twins.GoogLeNet(5), (2, 3, 64, 64)),
    ("alexnet", {"hidden": 64}, lambda: twins.alexnet(hidden=64), (2, 3, 67, 67)),
])
def test_outputs_equal_the_torch_twin(name, options, twin, shape, rng):
    model = create_model(name, rng=rng, **options).eval()
    reference = _copy_to_torch(model, twin())
    for module in model.modules():             # non-trivial running statistics
        if hasattr(module, "running_var"):
            module.running_mean[...] = rng.uniform(-0.1, 0.1, module.running_mean.shape)
            module.running_var[...] = rng.uniform(0.5, 1.5, module.running_var.shape)
    reference = _copy_to_torch(model, reference)
    x = rng.standard_normal(shape).astype(np.float32)
    with torch.no_grad():
        expected = reference(torch.from_numpy(x)).numpy()
    out = model(Tensor(x)).data
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name, options, shape", [
    ("lenet5", {}, (8, 1, 28, 28)),
    ("lenet5", {"activation": "tanh", "pool": "avg", "input_shape": (3, 32, 32)},
     (8, 3, 32, 32)),
    ("resnet8", {}, (8, 3, 32, 32)),
    ("resnet18", {"width": 0.125, "num_classes": 4}, (8, 3, 32, 32)),
    ("resnet50", {"width": 0.0625, "num_classes": 4}, (8, 3, 32, 32)),
    ("vgg16", {"width": 0.0625, "hidden": 32, "dropout": 0.0, "num_classes": 4,
               "batch_norm": True}, (8, 3, 32, 32)),     # 4-channel plain VGG dies at init
    ("alexnet", {"width": 0.125, "hidden": 32, "dropout": 0.0, "num_classes": 4},
     (8, 3, 63, 63)),
    ("googlenet", {"width": 0.125, "dropout": 0.0, "num_classes": 4}, (8, 3, 32, 32)),
])
def test_overfits_one_small_batch(name, options, shape):
    rng = np.random.default_rng(0)
    num_classes = options.get("num_classes", 10)
    options = {**options, "input_shape": shape[1:]}
    model = create_model(name, rng=rng, **options)
    x = Tensor(rng.standard_normal(shape).astype(np.float32))
    y = np.arange(shape[0]) % num_classes
    optimizer = Adam(model.parameters(), lr=3e-3)
    first = None
    for _ in range(60):
        optimizer.zero_grad()
        logits = model(x)
        loss = cross_entropy(logits, y)
        loss.backward()
        optimizer.step()
        first = loss.item() if first is None else first
    assert logits.shape == (shape[0], num_classes)
    assert loss.item() < 0.1 * first and loss.item() < 0.2, (first, loss.item())
    assert np.all(logits.data.argmax(axis=1) == y)


@pytest.mark.parametrize("name, expected", [
    ("alexnet", 195), ("vgg16", 212), ("resnet18", 435), ("resnet50", 427),
])
def test_receptive_fields_of_the_classics(name, expected):
    """Published values (Araujo et al., 2019; torchvision layouts), from a small width."""
    options = {"width": 0.0625, "hidden": 8} if name == "alexnet" else {"width": 0.0625}
    model = create_model(name, rng=np.random.default_rng(0), **options)
    assert receptive_field(model, (1, 3, 224, 224)) == (expected, expected)


def test_lenet_rejects_small_images():
    with pytest.raises(ValueError, match="at least 28×28"):
        create_model("lenet5", input_shape=(1, 16, 16))
