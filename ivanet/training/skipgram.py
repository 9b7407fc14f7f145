"""Train word vectors with skip-gram and negative sampling, then evaluate and map them.

Each epoch subsamples frequent words afresh, pairs every centre word with the words of a
random window around it, shuffles the pairs and draws K noise words per pair from the
unigram^0.75 distribution; SGD (or Adam) with word2vec's linearly falling learning rate.
Then: analogies (3CosAdd, with coverage), Spearman's ρ on WordSim-353 and SimLex-999,
nearest neighbours, and a 2-D PCA map of chosen words. Writes a run folder:

    ivanet train skipgram --config experiments/configs/skipgram-shakespeare.toml
    python -m ivanet.training.skipgram --corpus shakespeare --epochs 3 --out runs/sg  # alias

The generic loop (``fit``) feeds (x, y) batches to ``model(x)`` and a named loss;
skip-gram draws fresh pairs and noise words every epoch and its loss *is* the model, so
it has this loop of its own, which ``ivanet train`` reaches through ``train_task`` (as
``ivanet.training.siamese``).
"""
from __future__ import annotations

import argparse
import importlib
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

from ivanet.data.sets import word_corpus, word_tests
from ivanet.models.registry import create_model
from ivanet.optim.adam import Adam
from ivanet.optim.sgd import SGD
from ivanet.training import word_vectors
from ivanet.training.config import TrainConfig
from ivanet.training.errors import ConfigError
from ivanet.training.folder import create_run_folder, new_folder, write_json

PROBE_WORDS = ("king", "love", "death", "night", "sword", "good", "father", "rome")
MAP_PAIRS = (("man", "woman"), ("king", "queen"), ("lord", "lady"), ("father", "mother"),
             ("son", "daughter"), ("brother", "sister"), ("husband", "wife"),
             ("he", "she"), ("his", "her"), ("boy", "girl"), ("uncle", "aunt"),
             ("prince", "princess"), ("duke", "duchess"))
# TrainConfig.data_options / model_options → SkipGramConfig fields, with their types
DATA_OPTIONS = {"window": int, "negatives": int, "min_count": int, "subsample": float,
                "max_words": int}
MODEL_OPTIONS = {"embedding_dim": int}


@dataclass(frozen=True)
class SkipGramConfig:
    """Every choice of a skip-gram run (word2vec's defaults, a smaller vocabulary)."""

    corpus: str = "shakespeare"
    embedding_dim: int = 100
    window: int = 5
    negatives: int = 5
    min_count: int = 5
    subsample: float = 1e-4
    epochs: int = 3
    batch_size: int = 512
    optimizer: str = "sgd"     # "sgd" (word2vec's) or "adam"
    lr: float = 0.025          # SGD: per pair, as in word2vec; × batch_size for the batch mean
    max_words: int | None = None
    seed: int = 0


def train_skipgram(config: SkipGramConfig, words: list[str] | None = None, log=print):
    """(model, corpus, history): train as ``config`` says on ``words`` (default: the
    configured corpus). ``history`` holds the mean loss of every epoch and the time."""
    started = time.perf_counter()
    words = words if words is not None else word_corpus.load_corpus(config.corpus)
    corpus = word_corpus.build_corpus(words[:config.max_words], config.min_count)
    rng = np.random.default_rng(config.seed)
    model = create_model("skipgram", num_classes=len(corpus.vocabulary),
                         embedding_dim=config.embedding_dim, rng=rng)
    keep = word_corpus.keep_probabilities(corpus.counts, config.subsample)
    noise = word_corpus.noise_distribution(corpus.counts)
    scale = config.batch_size if config.optimizer == "sgd" else 1
    optimizer = make_optimizer(config, model)
    expected_pairs = config.epochs * len(corpus.ids) * keep[corpus.ids].mean() \
        * (config.window + 1)           # Σ reach per centre ≈ 2 · mean(1..window) = window + 1
    done, losses = 0, []
    for epoch in range(config.epochs):
        ids = word_corpus.subsample(corpus.ids, keep, rng)
        centres, contexts = word_corpus.skipgram_pairs(ids, config.window, rng)
        total = 0.0
        for start in range(0, len(centres), config.batch_size):
            batch = slice(start, start + config.batch_size)
            negatives = word_corpus.sample_negatives(
                noise, (len(centres[batch]), config.negatives), rng)
            fraction = min(done / expected_pairs, 1.0)
            optimizer.param_groups[0]["lr"] = config.lr * scale * max(1.0 - fraction, 1e-4)
            loss = model(centres[batch], contexts[batch], negatives)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(loss.data) * len(centres[batch])
            done += len(centres[batch])
        losses.append(total / max(len(centres), 1))
        log(f"epoch {epoch + 1}/{config.epochs}: {len(centres):,} pairs, loss "
            f"{losses[-1]:.4f}, {time.perf_counter() - started:.0f} s")
    history = {"loss": losses, "train_seconds": time.perf_counter() - started,
               "corpus_words": len(corpus.ids), "vocabulary": len(corpus.vocabulary)}
    return model, corpus, history


def make_optimizer(config: SkipGramConfig, model):
    """SGD at ``lr`` per pair (× batch size: the loss is a batch mean) or Adam at ``lr``."""
    if config.optimizer == "sgd":
        return SGD(model.parameters(), lr=config.lr * config.batch_size)
    if config.optimizer == "adam":
        return Adam(model.parameters(), lr=config.lr)
    raise ValueError(f"SkipGramConfig.optimizer must be 'sgd' or 'adam', "
                     f"got {config.optimizer!r}")


def evaluate(vectors: np.ndarray, tokens: list[str], probes=PROBE_WORDS) -> dict:
    """Analogies, WordSim-353, SimLex-999 (needs ``word-tests``) and probe neighbours."""
    index = {token: i for i, token in enumerate(tokens)}
    base = word_tests.folder()
    analogies = word_vectors.analogy_accuracy(
        vectors, index, word_tests.read_analogies(base / word_tests.ANALOGIES))
    results = {"analogies": analogies}
    for name, file in (("wordsim353", word_tests.WORDSIM), ("simlex999", word_tests.SIMLEX)):
        results[name] = word_vectors.similarity_correlation(
            vectors, index, word_tests.read_similarity(base / file))
    results["neighbours"] = {word: word_vectors.nearest(vectors, index, tokens, word, k=6)
                             for word in probes if word in index}
    return results


def word_map(vectors: np.ndarray, tokens: list[str], path: Path, title: str,
             pairs=MAP_PAIRS) -> list[str]:
    """Draw the 2-D PCA map of the pairs' words found in the vocabulary; returns them."""
    # by name, as train_run's report: training never imports reports (STYLE.md)
    plot_word_map = importlib.import_module("ivanet.reports.embeddings").plot_word_map
    index = {token: i for i, token in enumerate(tokens)}
    kept = [pair for pair in pairs if all(word in index for word in pair)]
    if not kept:
        return []
    words = [word for pair in kept for word in pair]
    points = word_vectors.project_2d(vectors[[index[word] for word in words]])
    plot_word_map(points, words, path, [(2 * i, 2 * i + 1) for i in range(len(kept))],
                  title)
    return words


def run(config: SkipGramConfig, out: Path, log=print) -> dict:
    """Train, evaluate and draw into the run folder ``out`` (vocabulary.json,
    vectors.safetensors, word_map.png, results.json); returns the results."""
    word_tests.folder()  # the test sets must be fetched: fail now, not after training
    model, corpus, history = train_skipgram(config, log=log)
    vectors, tokens = model.vectors(), corpus.vocabulary.tokens
    results = {"config": asdict(config), **history, **evaluate(vectors, tokens)}
    write_json(out / "vocabulary.json", corpus.vocabulary.to_dict())
    save_file({"input": vectors, "output": model.output.weight.data.copy()},
              str(out / "vectors.safetensors"))
    results["map_words"] = word_map(vectors, tokens, out / "word_map.png",
                                    f"skip-gram on {config.corpus}: first two PCs")
    write_json(out / "results.json", results)
    return results


def _summary(results: dict) -> str:
    analogies = results["analogies"]
    lines = [f"analogies: {analogies['accuracy']:.3f} ({analogies['correct']}/"
             f"{analogies['covered']} covered of {analogies['total']})"]
    for name in ("wordsim353", "simlex999"):
        lines.append(f"{name}: Spearman {results[name]['rho']:.3f} over "
                     f"{results[name]['covered']}/{results[name]['total']} pairs")
    for word, near in results["neighbours"].items():
        lines.append(f"{word}: " + ", ".join(f"{w} {c:.2f}" for w, c in near))
    return "\n".join(lines)


def skipgram_config(config: TrainConfig) -> SkipGramConfig:
    """The ``SkipGramConfig`` of an ``ivanet train skipgram`` config: ``data`` is the
    corpus, ``epochs``, ``batch_size``, ``lr``, ``optimizer`` and ``seed`` as named,
    ``model_options`` and ``data_options`` from ``MODEL_OPTIONS`` and ``DATA_OPTIONS``."""
    if config.data not in word_corpus.CORPORA:
        raise ConfigError(f"skipgram: data must be a word corpus ({', '.join(word_corpus.CORPORA)})"
                          f", got {config.data!r}")
    if config.optimizer not in ("sgd", "adam"):
        raise ConfigError(f"skipgram: optimizer must be 'sgd' (word2vec's) or 'adam', got "
                          f"{config.optimizer!r}")
    options = {}
    for kind, given, known in (("data_options", config.data_options, DATA_OPTIONS),
                               ("model_options", config.model_options, MODEL_OPTIONS)):
        for key, value in given.items():
            if key not in known:
                raise ConfigError(f"skipgram: unknown {kind} key {key!r}; known: "
                                  f"{', '.join(known)}")
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not number or (known[key] is int and not isinstance(value, int)) or value <= 0:
                raise ConfigError(f"skipgram: {kind} key {key!r} must be a positive "
                                  f"{known[key].__name__}, got {value!r}")
            options[key] = known[key](value)
    return SkipGramConfig(corpus=config.data, epochs=config.epochs,
                          batch_size=config.batch_size, optimizer=config.optimizer,
                          lr=config.lr, seed=config.seed, **options)


def train_task(config: TrainConfig, run_dir: Path | None = None, checkpoint=None, *,
               quiet: bool = False, callbacks: tuple = ()) -> Path:
    """``ivanet train skipgram``: train, evaluate and draw into a new run folder.

    The learning rate always falls linearly to 0 (word2vec's; ``schedule`` is not used);
    with ``sgd`` ``lr`` is per pair, as in word2vec (0.025). Writes config.json (this
    config) and what ``run`` writes. ``callbacks`` are not called: this loop has no
    ``fit`` steps."""
    if checkpoint is not None or run_dir is not None:
        raise ConfigError("skipgram runs cannot be resumed: start a new run")
    settings = skipgram_config(config)
    run_dir = create_run_folder(config)
    write_json(run_dir / "config.json", config.to_dict())
    log = (lambda line: None) if quiet else (lambda line: print(line, flush=True))
    results = run(settings, run_dir, log=log)
    if not quiet:
        print(_summary(results))
        print(f"run folder: {run_dir}")
    return run_dir


def main(argv: list[str] | None = None) -> None:
    """``python -m ivanet.training.skipgram``: an alias of ``ivanet train skipgram`` with
    ``SkipGramConfig``'s defaults as options."""
    parser = argparse.ArgumentParser(description="skip-gram word vectors (word2vec); the "
                                     "same as `ivanet train skipgram`")
    defaults = SkipGramConfig()
    for key, value in asdict(defaults).items():
        kind = type(value) if value is not None else int
        parser.add_argument("--" + key.replace("_", "-"), type=kind, default=value)
    parser.add_argument("--out", type=Path, default=None,
                        help="run folder (default runs/skipgram-<corpus>)")
    args = vars(parser.parse_args(argv))
    out = args.pop("out") or Path("runs") / f"skipgram-{args['corpus']}"
    out = new_folder(out) if not out.exists() or any(out.iterdir()) else out
    model_keys = set(MODEL_OPTIONS)
    options = {key: args[key] for key in (*DATA_OPTIONS, *MODEL_OPTIONS)
               if args[key] is not None}
    train_task(TrainConfig(model="skipgram", data=args["corpus"], epochs=args["epochs"],
                           batch_size=args["batch_size"], lr=args["lr"],
                           optimizer=args["optimizer"], seed=args["seed"], out=str(out),
                           model_options={k: v for k, v in options.items() if k in model_keys},
                           data_options={k: v for k, v in options.items()
                                         if k not in model_keys}))


if __name__ == "__main__":
    main()
