"""Conv, pooling, upsampling and Dropout2d layers: shapes, PyTorch parity, modes, state, errors."""
import numpy as np
import pytest
import torch
from nn_helpers import assert_grads_match, to_torch_state

from ivanet import Tensor, nn
from ivanet.nn.conv import Conv2d, ConvTranspose2d
from ivanet.nn.dropout2d import Dropout2d
from ivanet.nn.pooling import (AdaptiveAvgPool2d, AvgPool2d, GlobalAvgPool2d, MaxPool2d,
                               Upsample)


def _torch_twin(layer, torch_layer):
    torch_layer.double().load_state_dict(to_torch_state(layer))
    return torch_layer


@pytest.mark.parametrize("make, make_torch", [
    (lambda: Conv2d(3, 4, 3, padding=1, dtype=np.float64),
     lambda: torch.nn.Conv2d(3, 4, 3, padding=1)),
    (lambda: Conv2d(4, 6, (3, 2), stride=2, dilation=(1, 2), groups=2, dtype=np.float64),
     lambda: torch.nn.Conv2d(4, 6, (3, 2), stride=2, dilation=(1, 2), groups=2)),
    (lambda: Conv2d(3, 2, 1, bias=False, dtype=np.float64),
     lambda: torch.nn.Conv2d(3, 2, 1, bias=False)),
    (lambda: ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1,
                             dtype=np.float64),
     lambda: torch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1)),
])
def test_conv_layers_match_torch(make, make_torch, rng):
    layer = make()
    twin = _torch_twin(layer, make_torch())
    in_channels = layer.in_channels
    x = rng.standard_normal((2, in_channels, 7, 6))
    out = layer(Tensor(x))
    expected = twin(torch.tensor(x))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    assert_grads_match(layer, twin, rtol=1e-10, atol=1e-12)


def test_conv2d_he_init_statistics():
    layer = Conv2d(64, 128, 3, rng=np.random.default_rng(0))
    fan_in = 64 * 9
    assert layer.weight.dtype == np.float32
    assert abs(layer.weight.data.std() - np.sqrt(2 / fan_in)) < 0.02 * np.sqrt(2 / fan_in)
    assert np.all(layer.bias.data == 0)


def test_conv2d_same_padding_keeps_size_and_stride_two_halves(rng):
    x = Tensor(rng.standard_normal((1, 2, 9, 8)).astype(np.float32))
    assert Conv2d(2, 3, 3, padding="same")(x).shape == (1, 3, 9, 8)
    assert Conv2d(2, 3, 3, stride=2, padding="same")(x).shape == (1, 3, 5, 4)


@pytest.mark.parametrize("layer, torch_layer", [
    (MaxPool2d(3, 2, 1), torch.nn.MaxPool2d(3, 2, 1)),
    (AvgPool2d(2), torch.nn.AvgPool2d(2)),
    (AvgPool2d(3, 1, 1, count_include_pad=False),
     torch.nn.AvgPool2d(3, 1, 1, count_include_pad=False)),
    (AdaptiveAvgPool2d((3, 2)), torch.nn.AdaptiveAvgPool2d((3, 2))),
    (GlobalAvgPool2d(keepdims=True), torch.nn.AdaptiveAvgPool2d((1, 1))),
    (GlobalAvgPool2d(), torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1),
                                            torch.nn.Flatten())),
    (Upsample(scale_factor=2), torch.nn.Upsample(scale_factor=2)),
    (Upsample(size=(5, 9), mode="bilinear"), torch.nn.Upsample(size=(5, 9), mode="bilinear")),
])
def test_parameter_free_layers_match_torch(layer, torch_layer, rng):
    x = rng.standard_normal((2, 3, 7, 6))
    xt = torch.tensor(x, requires_grad=True)
    ours = Tensor(x, requires_grad=True)
    out, expected = layer(ours), torch_layer(xt)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(ours.grad, xt.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_dropout2d_drops_whole_channels_in_training_only():
    layer = Dropout2d(0.5, rng=np.random.default_rng(0))
    x = Tensor(np.ones((16, 8, 4, 4), np.float32), requires_grad=True)
    out = layer(x)
    per_channel = out.data.reshape(16, 8, -1)
    assert np.all(per_channel.min(axis=2) == per_channel.max(axis=2))   # whole maps
    assert set(np.unique(out.data)) <= {0.0, 2.0}
    assert 0.3 < (per_channel[:, :, 0] == 0).mean() < 0.7
    out.backward(np.ones(out.shape, np.float32))
    np.testing.assert_array_equal(x.grad, out.data)         # gradient = the scaled mask
    layer.eval()
    assert layer(x) is x


def test_conv_state_dict_round_trip(rng):
    model = nn.Sequential(Conv2d(1, 4, 3, rng=rng), nn.BatchNorm2d(4), nn.ReLU(),
                          MaxPool2d(2), ConvTranspose2d(4, 2, 2, stride=2, rng=rng))
    copy = nn.Sequential(Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), MaxPool2d(2),
                         ConvTranspose2d(4, 2, 2, stride=2))
    copy.load_state_dict(model.state_dict())
    x = Tensor(rng.standard_normal((2, 1, 8, 8)).astype(np.float32))
    model.eval(), copy.eval()
    np.testing.assert_array_equal(model(x).data, copy(x).data)
    assert set(model.state_dict()) == {"0.weight", "0.bias", "1.weight", "1.bias",
                                       "1.running_mean", "1.running_var",
                                       "1.num_batches_tracked", "4.weight", "4.bias"}


def test_errors_name_the_layer():
    model = nn.Sequential({"features": nn.Sequential(Conv2d(3, 6, 5))})
    with pytest.raises(ValueError, match=r"Conv2d 'features.0': expected 3 input channels, "
                                         r"got 1 \(input shape \(8, 1, 28, 28\)\)"):
        model(Tensor(np.zeros((8, 1, 28, 28), np.float32)))
    with pytest.raises(ValueError, match=r"MaxPool2d.*4-D input"):
        MaxPool2d(2)(Tensor(np.zeros((3, 4, 4))))
    with pytest.raises(ValueError, match="groups=2 must divide"):
        Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match=r"MaxPool2d '0': max_pool2d: .*smaller than the "
                                         r"kernel"):
        nn.Sequential(MaxPool2d(3))(Tensor(np.zeros((1, 1, 2, 2))))


def test_size_errors_deep_in_a_model_name_the_layer():
    """A LeNet-style stack on 8×8 images: the second convolution sees 4×4 < 5×5."""
    model = nn.Sequential(Conv2d(1, 6, 5, padding=2), MaxPool2d(2), Conv2d(6, 16, 5))
    with pytest.raises(ValueError, match=r"Conv2d '2': conv2d: input 4×4 .* smaller than the "
                                         r"kernel 5×5 \(input shape \(2, 6, 4, 4\)"):
        model(Tensor(np.zeros((2, 1, 8, 8), np.float32)))
    with pytest.raises(ValueError, match=r"AvgPool2d '0': avg_pool2d"):
        nn.Sequential(AvgPool2d(4))(Tensor(np.zeros((1, 1, 3, 3))))


@pytest.mark.parametrize("make, message", [
    (lambda: Conv2d(3, 4, 3, stride=0), r"Conv2d: stride must be at least 1, got 0"),
    (lambda: Conv2d(3, 4, (3, 0)), r"Conv2d: kernel_size must be at least 1, got \(3, 0\)"),
    (lambda: Conv2d(3, 4, 3, padding=-1), r"Conv2d: padding must be at least 0, got -1"),
    (lambda: Conv2d(3, 4, 3, dilation=0), r"Conv2d: dilation must be at least 1"),
    (lambda: ConvTranspose2d(3, 4, 3, output_padding=-1),
     r"ConvTranspose2d: output_padding must be at least 0"),
    (lambda: MaxPool2d(2, stride=0), r"MaxPool2d: stride must be at least 1"),
    (lambda: MaxPool2d(3, padding=2), r"MaxPool2d: padding \(2, 2\) must be at most half "
                                      r"the kernel size \(3, 3\)"),
    (lambda: AvgPool2d(2, padding=(0, 2)), r"AvgPool2d: padding \(0, 2\) must be at most"),
])
def test_bad_geometry_is_rejected_when_the_layer_is_built(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_summary_shows_conv_output_shapes(rng):
    model = nn.Sequential(Conv2d(1, 6, 5, padding=2, rng=rng), nn.ReLU(), MaxPool2d(2),
                          GlobalAvgPool2d())
    lines = []
    model.summary((1, 1, 28, 28), print_fn=lines.append)
    text = "\n".join(lines)
    assert "(1, 6, 28, 28)" in text and "(1, 6, 14, 14)" in text and "(1, 6)" in text
    assert "156" in text                                   # 6·25 + 6 parameters
