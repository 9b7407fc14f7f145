"""One-shot learning with a Siamese network: train on some classes, test on classes never seen.

Trains ``siamese`` on P×K batches of the ``seen`` classes' training images: the first
``warmup`` fraction of the steps on random triplets of the batch (from a random network,
batch-hard mining alone stalls with every loss at the margin), then with the batch-hard
triplet loss; then measures N-way K-shot accuracy on the test images of the ``unseen``
classes against nearest neighbour on raw pixels.

    python -m ivanet.training.siamese --steps 600
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from ivanet.autograd.mode import no_grad
from ivanet.autograd.tensor import Tensor
from ivanet.data.registry import load
from ivanet.models.registry import create_model
from ivanet.optim.adam import Adam
from ivanet.similarity import (batch_hard_triplet_loss, n_way_k_shot_accuracy, pk_batch,
                               sample_triplets, triplet_loss)


def embedder(model, batch_size: int = 256):
    """A function images → embeddings (eval mode, no graph)."""
    def embed(x: np.ndarray) -> np.ndarray:
        model.eval()
        with no_grad():
            return np.concatenate([model(Tensor(x[i:i + batch_size])).data
                                   for i in range(0, len(x), batch_size)])
    return embed


def train_siamese(data: str = "fashion-mnist", seen=(0, 1, 2, 3, 4, 5), steps: int = 600,
                  classes_per_batch: int = 6, per_class: int = 16, lr: float = 2e-3,
                  margin: float = 0.3, embedding: int = 32, width: int = 16, seed: int = 0,
                  episodes: int = 500, warmup: float = 0.3,
                  log=print) -> tuple[object, dict]:
    """Train and evaluate (module docstring); returns the model and the results."""
    start, rng = time.time(), np.random.default_rng(seed)
    splits = load(data)
    train_mask = np.isin(splits.train.y, seen)
    x, y = splits.train.x[train_mask], splits.train.y[train_mask]
    model = create_model("siamese", input_shape=splits.input_shape, num_classes=embedding,
                         width=width, rng=rng)
    optimizer = Adam(model.parameters(), lr=lr)
    for step in range(steps):
        model.train()
        index = pk_batch(y, classes_per_batch, per_class, rng)
        optimizer.param_groups[0]["lr"] = lr * 0.5 * (1 + np.cos(np.pi * step / steps))
        embeddings = model(Tensor(x[index]))
        if step < warmup * steps:
            a, p, n = sample_triplets(y[index], len(index), rng)
            loss = triplet_loss(embeddings[a], embeddings[p], embeddings[n], margin)
        else:
            loss = batch_hard_triplet_loss(embeddings, y[index], margin)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if (step + 1) % 100 == 0:
            log(f"step {step + 1}/{steps}  loss {loss.item():.4f}  {time.time() - start:.0f} s")
    unseen = np.isin(splits.test.y, seen, invert=True)
    xt, yt = splits.test.x[unseen], splits.test.y[unseen]
    n_way = len(np.unique(yt))
    results = {"data": data, "seen": list(seen), "steps": steps, "n_way": n_way,
               "warmup": warmup, "margin": margin, "width": width, "episodes": episodes,
               "seconds_train": round(time.time() - start, 1)}
    for k in (1, 5):
        results[f"siamese_{n_way}way_{k}shot"] = n_way_k_shot_accuracy(
            embedder(model), xt, yt, n_way, k, episodes, rng=np.random.default_rng(seed + 1))
        results[f"pixels_{n_way}way_{k}shot"] = n_way_k_shot_accuracy(
            lambda v: v.reshape(len(v), -1), xt, yt, n_way, k, episodes,
            rng=np.random.default_rng(seed + 1))
    log(json.dumps(results))
    return model, results


def main() -> None:
    parser = argparse.ArgumentParser(description="one-shot learning with a Siamese network")
    parser.add_argument("--data", default="fashion-mnist")
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--episodes", type=int, default=500)
    parser.add_argument("--out", default=None, help="folder for results.json")
    args = parser.parse_args()
    model, results = train_siamese(args.data, steps=args.steps, width=args.width,
                                   episodes=args.episodes,
                                   log=lambda m: print(m, flush=True))
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        (Path(args.out) / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
