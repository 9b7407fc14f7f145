"""Shared by the zoo's model tests: train on one small batch and report the last loss."""
from ivanet import Tensor
from ivanet.ops.losses import cross_entropy
from ivanet.optim import Adam


def loss_after_training(model, x, y, loss_fn=cross_entropy, steps: int = 60,
                        lr: float = 0.05) -> float:
    """Adam on (x, y) for ``steps`` full-batch steps; the loss of the last step."""
    optimizer = Adam(list(model.parameters()), lr=lr)
    for _ in range(steps):
        loss = loss_fn(model(Tensor(x)), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return float(loss.data)
