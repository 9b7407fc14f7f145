"""BatchNorm1d/2d vs PyTorch: train-mode outputs and gradients, running statistics, eval."""
import numpy as np
import pytest

from ivanet import Tensor
from ivanet.nn import BatchNorm1d, BatchNorm2d

from nn_helpers import assert_grads_match, to_torch_state

torch = pytest.importorskip("torch")


def make_pair(layer_cls, torch_cls, rng, **kwargs):
    layer = layer_cls(3, dtype=np.float64, **kwargs)
    if layer.affine:   # non-trivial γ, β
        layer.weight.data[...] = rng.uniform(0.5, 1.5, 3)
        layer.bias.data[...] = rng.standard_normal(3)
    twin = torch_cls(3, dtype=torch.float64, **kwargs)
    twin.load_state_dict(to_torch_state(layer))
    return layer, twin


CASES = [(BatchNorm1d, torch.nn.BatchNorm1d, (8, 3)),
         (BatchNorm1d, torch.nn.BatchNorm1d, (4, 3, 5)),
         (BatchNorm2d, torch.nn.BatchNorm2d, (2, 3, 4, 5))]


@pytest.mark.parametrize("layer_cls, torch_cls, shape", CASES)
@pytest.mark.parametrize("momentum", [0.1, None])
def test_training_steps_match_torch(rng, layer_cls, torch_cls, shape, momentum):
    layer, twin = make_pair(layer_cls, torch_cls, rng, momentum=momentum)
    for _ in range(3):
        x = rng.standard_normal(shape) * 2 + 1
        ours_x, theirs_x = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ours, theirs = layer(ours_x), twin(theirs_x)
        np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-7, atol=1e-9)
        upstream = rng.standard_normal(shape)
        layer.zero_grad()
        twin.zero_grad()
        ours.backward(upstream)
        theirs.backward(torch.from_numpy(upstream))
        np.testing.assert_allclose(ours_x.grad, theirs_x.grad.numpy(), rtol=1e-6, atol=1e-9)
        assert_grads_match(layer, twin, rtol=1e-7, atol=1e-9)
    for name, array in twin.state_dict().items():   # running mean/var and the batch count
        np.testing.assert_allclose(layer.state_dict()[name], array.numpy(), rtol=1e-7,
                                   err_msg=name)


@pytest.mark.parametrize("layer_cls, torch_cls, shape", CASES)
def test_eval_uses_running_statistics(rng, layer_cls, torch_cls, shape):
    layer, twin = make_pair(layer_cls, torch_cls, rng)
    for _ in range(2):
        x = rng.standard_normal(shape) + 3
        layer(Tensor(x))
        twin(torch.from_numpy(x))
    layer.eval()
    twin.eval()
    x = rng.standard_normal(shape)
    before = layer.state_dict()
    ours_x, theirs_x = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours, theirs = layer(ours_x), twin(theirs_x)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-7, atol=1e-9)
    upstream = rng.standard_normal(shape)
    ours.backward(upstream)
    theirs.backward(torch.from_numpy(upstream))
    np.testing.assert_allclose(ours_x.grad, theirs_x.grad.numpy(), rtol=1e-7, atol=1e-9)
    for name, array in layer.state_dict().items():   # eval never updates the statistics
        np.testing.assert_array_equal(array, before[name], err_msg=name)


def test_train_and_eval_differ_on_the_same_batch(rng):
    layer = BatchNorm1d(3)
    x = Tensor((rng.standard_normal((16, 3)) * 5 + 2).astype(np.float32))
    train_out = layer(x).data
    np.testing.assert_allclose(train_out.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(train_out.std(axis=0), 1, atol=1e-3)
    eval_out = layer.eval()(x).data
    assert not np.allclose(train_out, eval_out, atol=0.1)


def test_without_affine_there_are_no_parameters(rng):
    layer, twin = make_pair(BatchNorm1d, torch.nn.BatchNorm1d, rng, affine=False)
    assert list(layer.parameters()) == [] and layer.gamma is None
    x = rng.standard_normal((6, 3))
    np.testing.assert_allclose(layer(Tensor(x)).data, twin(torch.from_numpy(x)).numpy(),
                               rtol=1e-7, atol=1e-9)


def test_gamma_and_beta_are_weight_and_bias():
    layer = BatchNorm1d(4)
    assert layer.gamma is layer.weight and layer.beta is layer.bias
    assert [name for name, _ in layer.named_buffers()] == [
        "running_mean", "running_var", "num_batches_tracked"]


def test_reset_running_stats_keeps_the_arrays():
    layer = BatchNorm1d(2)
    arrays = list(layer.buffers())
    layer(Tensor(np.arange(8, dtype=np.float32).reshape(4, 2)))
    layer.reset_running_stats()
    assert all(a is b for a, b in zip(arrays, layer.buffers()))
    assert int(layer.num_batches_tracked) == 0 and not layer.running_mean.any()


def test_wrong_input_shape_names_the_layer():
    with pytest.raises(ValueError, match=r"BatchNorm1d: expected input of shape \(N, C\) or "
                                         r"\(N, C, L\) with C = 4, got shape \(2, 3\)"):
        BatchNorm1d(4)(Tensor(np.zeros((2, 3), dtype=np.float32)))
    with pytest.raises(ValueError, match="eps must be positive"):
        BatchNorm2d(4, eps=0)
