"""Loss modules: the same numbers and gradients as torch.nn's losses, every reduction."""
import numpy as np
import pytest

from ivanet import Tensor
from ivanet.nn import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss

torch = pytest.importorskip("torch")


def make_inputs(kind: str, rng):
    if kind in ("cross_entropy", "nll"):
        scores = rng.standard_normal((6, 4))
        if kind == "nll":
            scores = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        return scores, rng.integers(0, 4, 6)
    if kind == "bce":
        return rng.uniform(0.05, 0.95, (6, 2)), rng.integers(0, 2, (6, 2)).astype(np.float64)
    return rng.standard_normal((6, 2)), rng.standard_normal((6, 2))


PAIRS = {"cross_entropy": (CrossEntropyLoss, torch.nn.CrossEntropyLoss),
         "nll": (NLLLoss, torch.nn.NLLLoss), "bce": (BCELoss, torch.nn.BCELoss),
         "bce_logits": (BCEWithLogitsLoss, torch.nn.BCEWithLogitsLoss),
         "mse": (MSELoss, torch.nn.MSELoss)}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("kind", list(PAIRS))
def test_loss_modules_match_torch(rng, kind, reduction):
    ours_cls, torch_cls = PAIRS[kind]
    prediction, target = make_inputs(kind, rng)
    ours_x = Tensor(prediction, requires_grad=True)
    theirs_x = torch.tensor(prediction, requires_grad=True)
    ours = ours_cls(reduction=reduction)(ours_x, target)
    theirs = torch_cls(reduction=reduction)(theirs_x, torch.from_numpy(target))
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-7, atol=1e-12)
    upstream = rng.standard_normal(ours.shape)
    ours.backward(upstream)
    theirs.backward(torch.from_numpy(upstream))
    np.testing.assert_allclose(ours_x.grad, theirs_x.grad.numpy(), rtol=1e-7, atol=1e-12)


def test_label_smoothing_reaches_the_op(rng):
    logits, labels = make_inputs("cross_entropy", rng)
    ours = CrossEntropyLoss(label_smoothing=0.1)(Tensor(logits), labels)
    theirs = torch.nn.CrossEntropyLoss(label_smoothing=0.1)(torch.from_numpy(logits),
                                                            torch.from_numpy(labels))
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-7)


def test_unknown_reduction_is_rejected():
    with pytest.raises(ValueError, match="reduction must be one of mean, sum, none"):
        MSELoss(reduction="average")
