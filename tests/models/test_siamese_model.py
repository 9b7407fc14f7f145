"""The Siamese twin network: shapes, shared weights, and it learns a batch-hard triplet batch."""
import numpy as np

from ivanet import Tensor
from ivanet.models import create_model
from ivanet.optim.adam import Adam
from ivanet.similarity import batch_hard_triplet_loss


def test_twin_shares_weights_and_learns():
    rng = np.random.default_rng(0)
    model = create_model("siamese", input_shape=(1, 12, 12), num_classes=8, width=4, rng=rng)
    x = rng.uniform(0, 1, (6, 1, 12, 12)).astype(np.float32)
    labels = np.array([0, 0, 1, 1, 2, 2])
    assert model(Tensor(x)).shape == (6, 8)
    model.eval()
    d = model.distance(Tensor(x), Tensor(x[::-1].copy())).data
    np.testing.assert_allclose(d, d[::-1], rtol=1e-5)          # symmetric: one network
    assert np.all(model.distance(Tensor(x), Tensor(x)).data < 1e-3)
    model.train()
    optimizer, first = Adam(model.parameters(), lr=1e-2), None
    for _ in range(40):
        loss = batch_hard_triplet_loss(model(Tensor(x)), labels, margin=0.5)
        optimizer.zero_grad(), loss.backward(), optimizer.step()
        first = first if first is not None else loss.item()
    assert loss.item() < 0.5 * first
