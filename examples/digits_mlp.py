"""An L-layer MLP on scikit-learn's digits (8×8 images, 10 classes) with ivanet's parts.

Standardised inputs (statistics from the training split only), He-initialised ReLU layers,
softmax cross-entropy, Adam with mini-batches, L2 weight decay. Prints the learning curve
and the test accuracy. Run: python examples/digits_mlp.py
"""
from __future__ import annotations

import time

import numpy as np

import ivanet
from ivanet import data, nn, optim
from ivanet.ops.losses import cross_entropy


def build_mlp(layer_sizes: list[int], rng: np.random.Generator) -> nn.Sequential:
    """Linear → ReLU blocks, a Linear output layer producing logits."""
    layers: list[nn.Module] = []
    for n_in, n_out in zip(layer_sizes[:-2], layer_sizes[1:-1]):
        layers += [nn.Linear(n_in, n_out, rng=rng), nn.ReLU()]
    layers.append(nn.Linear(layer_sizes[-2], layer_sizes[-1], rng=rng))
    return nn.Sequential(*layers)


def accuracy(model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    model.eval()
    with ivanet.no_grad():
        predicted = model(ivanet.Tensor(x)).numpy().argmax(axis=1)
    model.train()
    return float(np.mean(predicted == y))


def train(epochs: int = 60, seed: int = 0, verbose: bool = True) -> float:
    """Train on the digits' train split; return the test accuracy."""
    rng = np.random.default_rng(seed)
    splits = data.load("digits")
    flat = {k: p.x.reshape(len(p.x), -1) for k, p in splits.parts().items()}
    scaler = data.Standardizer().fit(flat["train"])
    x_train, x_dev, x_test = (scaler.transform(flat[k]).astype(np.float32)
                              for k in ("train", "dev", "test"))
    model = build_mlp([64, 128, 64, 10], rng)
    opt = optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
    loader = data.DataLoader(data.ArrayDataset(x_train, splits.train.y), batch_size=32,
                             shuffle=True, seed=seed)
    for epoch in range(epochs):
        loader.set_epoch(epoch)
        for xb, yb in loader:
            opt.zero_grad()
            loss = cross_entropy(model(ivanet.Tensor(xb)), yb)
            loss.backward()
            opt.step()
        if verbose and (epoch + 1) % 10 == 0:
            print(f"epoch {epoch + 1:3d}  loss {loss.item():.4f}  "
                  f"train acc {accuracy(model, x_train, splits.train.y):.4f}  "
                  f"dev acc {accuracy(model, x_dev, splits.dev.y):.4f}")
    return accuracy(model, x_test, splits.test.y)


if __name__ == "__main__":
    start = time.perf_counter()
    test_accuracy = train()
    print(f"test accuracy {test_accuracy:.4f} ({time.perf_counter() - start:.1f} s)")
