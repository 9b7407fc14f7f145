"""One-shot learning with a Siamese network: train on some classes, test on classes never seen.

Trains ``siamese`` on P×K batches of the ``seen`` classes' training images: the first
``warmup`` fraction of the steps on random triplets of the batch, then on every triplet of
the batch ("batch all", the default) or each anchor's hardest ("batch hard": from our
networks it collapsed, every embedding equal and the loss stuck at the margin); then
measures N-way K-shot accuracy (mean and 95 % interval over episodes) on the test images
of the classes it never saw, against nearest neighbour on raw pixels.

``fashion-mnist``: seen = 6 classes, tested 4-way on the other 4. ``noto-glyphs``: trained
on the characters of the 26 background scripts, tested 20-way and 5-way on the characters
of the 16 evaluation scripts, across scripts and (Omniglot's harder test) within one.

    python -m ivanet.training.siamese --data noto-glyphs --steps 1500 --out runs/siamese
    python -m ivanet.reports.similarity runs/siamese      # the embedding and episode plots
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

from ivanet.autograd.mode import no_grad
from ivanet.autograd.tensor import Tensor
from ivanet.data.registry import load
from ivanet.models.registry import create_model
from ivanet.nn.state import state_dict
from ivanet.optim.adam import Adam
from ivanet.similarity import (batch_all_triplet_loss, batch_hard_triplet_loss, episode, interval95,
                               n_way_k_shot_scores, nearest_prototype, pk_batch,
                               sample_triplets, triplet_loss)
from ivanet.training.errors import ConfigError
from ivanet.training.folder import create_run_folder, write_json

FASHION_SEEN = (0, 1, 2, 3, 4, 5)
MINING = {"all": batch_all_triplet_loss, "hard": batch_hard_triplet_loss}
TASK_OPTIONS = ("mining", "seen", "classes_per_batch", "per_class", "margin", "episodes",
                "warmup")


def embedder(model, batch_size: int = 256):
    """A function images → embeddings (eval mode, no graph)."""
    def embed(x: np.ndarray) -> np.ndarray:
        model.eval()
        with no_grad():
            return np.concatenate([model(Tensor(x[i:i + batch_size])).data
                                   for i in range(0, len(x), batch_size)])
    return embed


def _seen_default(data: str, train_labels: np.ndarray) -> tuple[int, ...]:
    if data == "fashion-mnist":
        return FASHION_SEEN
    return tuple(int(c) for c in np.unique(train_labels))


def train_embedding(model, x: np.ndarray, y: np.ndarray, steps: int, classes_per_batch: int,
                    per_class: int, lr: float, margin: float, warmup: float,
                    rng: np.random.Generator, log=print, mining: str = "all") -> list[float]:
    """Adam with a cosine learning rate on P×K batches: random triplets for the first
    ``warmup`` fraction of the steps, then every triplet of the batch (``mining="all"``) or
    each anchor's hardest (``"hard"``); the loss of every step."""
    if mining not in MINING:
        raise ValueError(f"mining must be one of {', '.join(MINING)}, got {mining!r}")
    start, losses = time.time(), []
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
            loss = MINING[mining](embeddings, y[index], margin)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if (step + 1) % 100 == 0:
            log(f"step {step + 1}/{steps}  loss {np.mean(losses[-100:]):.4f}  "
                f"{time.time() - start:.0f} s")
    return losses


def evaluate(vectors: np.ndarray, pixels: np.ndarray, labels: np.ndarray, tests, episodes: int,
             seed: int, alphabets: dict[int, str] | None = None) -> dict:
    """Mean and 95 % half-width of each (n_way, k_shot, within) test, for the embedding
    ``vectors`` and the pixel baseline, the same episodes for both."""
    results = {}
    for n_way, k_shot, within in tests:
        name = f"{n_way}way_{k_shot}shot" + ("_within" if within else "")
        for method, inputs in (("siamese", vectors), ("pixels", pixels)):
            scores = n_way_k_shot_scores(lambda v: v, inputs, labels, n_way, k_shot, episodes,
                                         rng=np.random.default_rng(seed + 1),
                                         alphabets=alphabets if within else None)
            mean, half = interval95(scores)
            results[f"{method}_{name}"] = round(mean, 4)
            results[f"{method}_{name}_ci95"] = round(half, 4)
    return results


def example_episode(vectors: np.ndarray, labels: np.ndarray, n_way: int, seed: int) -> dict:
    """One 1-shot episode with one query: indices of the support set (n_way,), the query,
    its true position in the support set and the one the embedding chose."""
    support, support_classes, query, query_classes = episode(
        labels, n_way, 1, 1, np.random.default_rng(seed + 2))
    pick = int(np.random.default_rng(seed + 3).integers(n_way))
    chosen = nearest_prototype(vectors[support], support_classes, vectors[query[pick:pick + 1]])
    return {"support": support, "query": query[pick], "truth": pick, "chosen": int(chosen[0])}


def train_siamese(data: str = "fashion-mnist", seen=None, steps: int = 600,
                  classes_per_batch: int = 6, per_class: int = 16, lr: float = 2e-3,
                  margin: float = 0.3, embedding: int = 32, width: int = 16, seed: int = 0,
                  episodes: int = 500, warmup: float = 0.3, out: str | Path | None = None,
                  log=print, mining: str = "all") -> tuple[object, dict]:
    """Train and evaluate (module docstring); returns the model and the results. With
    ``out``: results.json, model.safetensors and unseen.npz (test embeddings, labels,
    images of an example episode) for ``ivanet.reports.similarity``."""
    start, rng = time.time(), np.random.default_rng(seed)
    splits = load(data)
    seen = tuple(seen) if seen is not None else _seen_default(data, splits.train.y)
    train_mask = np.isin(splits.train.y, seen)
    x, y = splits.train.x[train_mask], splits.train.y[train_mask]
    model = create_model("siamese", input_shape=splits.input_shape, num_classes=embedding,
                         width=width, rng=rng)
    losses = train_embedding(model, x, y, steps, classes_per_batch, per_class, lr, margin,
                             warmup, rng, log, mining)
    seconds_train = time.time() - start
    unseen = np.isin(splits.test.y, seen, invert=True)
    if len(np.unique(splits.test.y[unseen])) < 2:
        raise ConfigError(f"siamese on {data}: the test set has fewer than 2 classes outside "
                          f"the {len(seen)} seen ones; give data_options.seen")
    xt, yt = splits.test.x[unseen], splits.test.y[unseen]
    vectors, pixels = embedder(model)(xt), xt.reshape(len(xt), -1)
    n_classes = len(np.unique(yt))
    names = splits.class_names or tuple(str(c) for c in range(int(yt.max()) + 1))
    alphabets = {int(c): names[int(c)].rsplit(" ", 1)[0] for c in np.unique(yt)}
    within = len(set(alphabets.values())) > 1 and data != "fashion-mnist"
    tests = ([(n_classes, 1, False), (n_classes, 5, False)] if n_classes <= 5 else
             [(20, 1, False), (20, 5, False), (5, 1, False)] +
             ([(20, 1, True), (5, 1, True)] if within else []))
    results = {"data": data, "seen_classes": len(seen), "unseen_classes": n_classes,
               "train_images": int(len(x)), "test_images": int(len(xt)), "steps": steps,
               "batch": f"{classes_per_batch}x{per_class}", "warmup": warmup, "margin": margin,
               "width": width, "embedding": embedding, "lr": lr, "seed": seed, "mining": mining,
               "episodes": episodes, "queries_per_class": 5,
               "final_loss_mean_last100": round(float(np.mean(losses[-100:])), 4),
               "seconds_train": round(seconds_train, 1)}
    results.update(evaluate(vectors, pixels, yt, tests, episodes, seed, alphabets))
    results["seconds_total"] = round(time.time() - start, 1)
    log(json.dumps(results))
    if out is not None:
        _save_run(Path(out), model, results, losses, vectors, xt, yt, names,
                  example_episode(vectors, yt, min(20, n_classes), seed))
    return model, results


def _save_run(out: Path, model, results, losses, vectors, xt, yt, names, example) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    save_file({k: np.ascontiguousarray(v) for k, v in state_dict(model).items()},
              str(out / "model.safetensors"))
    np.savez(out / "unseen.npz", embeddings=vectors, labels=yt, losses=np.array(losses),
             class_names=np.array([names[int(c)] for c in range(len(names))]),
             support_images=xt[example["support"]], query_image=xt[example["query"]],
             episode=np.array([example["truth"], example["chosen"]]))


def train_task(config, run_dir: Path | None = None, checkpoint=None, *, quiet: bool = False,
               callbacks: tuple = ()) -> Path:
    """``ivanet train siamese``: ``train_siamese`` from a ``TrainConfig`` into a run folder.

    ``epochs`` counts hundreds of P×K steps (there are no passes over the data); ``lr`` and
    ``seed`` as usual; ``model_options``: ``width``, ``num_classes`` (embedding size);
    ``data_options``: any of TASK_OPTIONS. The schedule is always cosine."""
    if checkpoint is not None or run_dir is not None:
        raise ConfigError("siamese runs cannot be resumed: start a new run")
    unknown = set(config.data_options) - set(TASK_OPTIONS)
    unknown |= set(config.model_options) - {"width", "num_classes"}
    if unknown:
        raise ConfigError(f"siamese: unknown option {sorted(unknown)[0]!r}; data_options "
                          f"are {', '.join(TASK_OPTIONS)}, model_options width, num_classes")
    run_dir = create_run_folder(config)
    write_json(run_dir / "config.json", config.to_dict())
    options = {**config.data_options, **{"width": config.model_options.get("width", 16),
               "embedding": config.model_options.get("num_classes", 32)}}
    log = (lambda line: None) if quiet else (lambda line: print(line, flush=True))
    train_siamese(config.data, steps=100 * config.epochs, lr=config.lr, seed=config.seed,
                  out=run_dir, log=log, **options)
    if not quiet:
        print(f"run folder: {run_dir}")
    return run_dir


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="one-shot learning with a Siamese network")
    parser.add_argument("--data", default="fashion-mnist")
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--classes-per-batch", type=int, default=6)
    parser.add_argument("--per-class", type=int, default=16)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--margin", type=float, default=0.3)
    parser.add_argument("--episodes", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mining", choices=tuple(MINING), default="all")
    parser.add_argument("--warmup", type=float, default=0.3,
                        help="fraction of the steps on random triplets (1: no mining)")
    parser.add_argument("--out", default=None, help="folder for results, weights, embeddings")
    args = parser.parse_args(argv)
    train_siamese(args.data, steps=args.steps, width=args.width,
                  classes_per_batch=args.classes_per_batch, per_class=args.per_class,
                  lr=args.lr, margin=args.margin, episodes=args.episodes, seed=args.seed,
                  out=args.out, log=lambda m: print(m, flush=True), mining=args.mining,
                  warmup=args.warmup)


if __name__ == "__main__":
    main()
