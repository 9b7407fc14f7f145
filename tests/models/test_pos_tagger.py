"""``pos_tagger`` and the tagging task: shapes, padding that never leaks, the masked loss
and token accuracy, overfitting one batch, and a run on the ``pos-oanc`` loader's data."""
import json

import numpy as np
import torch

from model_helpers import loss_after_training

from ivanet import Tensor
from ivanet.models import create_model
from ivanet.training.resolve import resolve_loss, resolve_metrics


def _model(rng, **options):
    values = dict(vocab_size=15, num_classes=6, embedding_dim=5, hidden_size=4, dropout=0.0,
                  rng=rng)
    return create_model("pos_tagger", **{**values, **options})


def test_shape_and_padding_never_leaks(rng):
    model = _model(rng).eval()
    ids = rng.integers(2, 15, (3, 4))
    padded = np.concatenate([ids, np.zeros((3, 3), dtype=ids.dtype)], axis=1)
    out, longer = model(ids), model(padded)
    assert out.shape == (3, 6, 4) and longer.shape == (3, 6, 7)
    np.testing.assert_allclose(longer.data[:, :, :4], out.data, atol=1e-6)


def test_masked_loss_matches_torch_ignore_index(rng):
    logits = rng.normal(size=(3, 5, 4))
    labels = rng.integers(1, 5, (3, 4))
    labels[0, 2:] = 0
    labels[2, 1:] = 0
    x = Tensor(logits, requires_grad=True)
    loss = resolve_loss("masked_cross_entropy")(x, labels)
    loss.backward()
    twin = torch.tensor(logits, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(twin, torch.from_numpy(labels), ignore_index=0)
    expected.backward()
    np.testing.assert_allclose(float(loss.data), expected.item(), rtol=1e-10)
    np.testing.assert_allclose(x.grad, twin.grad.numpy(), atol=1e-12)


def test_token_accuracy_skips_padding():
    labels = np.array([[2, 3, 0], [4, 0, 0]])
    outputs = np.zeros((2, 5, 3))
    outputs[0, 2, 0] = outputs[0, 1, 1] = outputs[1, 4, 0] = 1  # 2 of 3 real tokens right
    outputs[0, 0, 2] = outputs[1, 0, 1] = outputs[1, 0, 2] = 5  # padding "predicted" 0
    accuracy = resolve_metrics(["token_accuracy"])["token_accuracy"]
    assert accuracy(labels, outputs) == 2 / 3


def test_overfits_one_small_batch(rng):
    model = _model(rng, hidden_size=16)
    ids = rng.integers(2, 15, (6, 5))
    ids[::2, 3:] = 0
    tags = np.where(ids == 0, 0, ids % 4 + 2)  # the tag is a function of the word
    loss_fn = resolve_loss("masked_cross_entropy")
    assert loss_after_training(model, ids, tags, loss_fn, lr=0.05) < 0.05


def test_trains_on_the_pos_oanc_loader(tmp_path, monkeypatch):
    from ivanet.data.sets import pos_oanc
    from ivanet.training import TrainConfig, train_run

    monkeypatch.setenv("IVANET_DATA", str(tmp_path))
    (tmp_path / "pos-oanc").mkdir()
    lines = ["The/DT cat/NN sat/VBD ./.", "A/DT dog/NN ran/VBD far/RB ./."] * 20
    (tmp_path / "pos-oanc" / pos_oanc.MEMBER).write_text("\n".join(lines))
    config = TrainConfig(model="pos_tagger", data="pos-oanc", epochs=15, batch_size=8, lr=0.05,
                         model_options={"embedding_dim": 6, "hidden_size": 6, "dropout": 0.0},
                         progress=False, report=False, out=str(tmp_path / "run"))
    run_dir = train_run(config, quiet=True)
    results = json.loads((run_dir / "results.json").read_text())
    accuracy = results["metrics"]["test"]["token_accuracy"]
    assert accuracy >= 0.9 and results["errors"]["test"] == 1.0 - accuracy
    with np.load(run_dir / "predictions.npz") as arrays:
        assert arrays["y_pred"].shape == arrays["y_true"].shape
