"""experiments/cnn_results.py: the results page is built from (fake) run folders."""
import json
from pathlib import Path

from .helpers import load_experiment

cnn_results = load_experiment("cnn_results")

RUNS = (cnn_results.Run("good", "ivanet train lenet5", "digits", 0.95),
        cnn_results.Run("short", "ivanet train resnet8 --config x.toml", "clothes", 0.95),
        cnn_results.Run("missing", "ivanet train lenet5 --data y", "clothes", 0.9))


def _fake_run(folder: Path, test_accuracy: float, seconds: tuple[float, ...]) -> None:
    folder.mkdir(parents=True)
    config = {"optimizer": "adam", "lr": 0.002, "batch_size": 128, "schedule": "cosine",
              "epochs": 3, "augment": "shift+flip", "weight_decay": 0.0}
    (folder / "config.json").write_text(json.dumps(config))
    rows = ["epoch,train_loss,train_accuracy,dev_loss,dev_accuracy,lr,seconds"]
    rows += [f"{i + 1},0.5,0.9,0.5,0.9,0.001,{s}" for i, s in enumerate(seconds)]
    (folder / "metrics.csv").write_text("\n".join(rows) + "\n")
    results = {"status": "finished", "epochs_trained": len(seconds), "wall_time_s": 123.0,
               "parameters": 61706, "metrics": {"train": {"accuracy": 0.99},
                                                "dev": {"accuracy": 0.97},
                                                "test": {"accuracy": test_accuracy}}}
    (folder / "results.json").write_text(json.dumps(results))


def _transfer_report() -> dict:
    seeds = [{"seed": s, "pretrain_examples": 100, "pretrain_test_accuracy": 0.9,
              "accuracy": {"scratch": 0.5 + s / 10, "all": 0.7}} for s in range(3)]
    return {"command": "python experiments/transfer.py", "wall_time_s": 60.0, "shots": 10,
            "pretrain_epochs": 5, "finetune_epochs": 30, "test_examples": 5000,
            "seeds": seeds}


def test_page_reads_every_number_from_the_run_folders(tmp_path):
    _fake_run(tmp_path / "good", 0.9876, (2.0, 4.0, 3.0))
    _fake_run(tmp_path / "short", 0.9012, (100.0,))
    text = cnn_results.write_results(tmp_path / "docs" / "results.md", tmp_path, RUNS)
    assert (tmp_path / "docs" / "results.md").read_text() == text
    good = next(line for line in text.splitlines() if "`ivanet train lenet5`" in line)
    assert "| 99.00 % | 97.00 % | **98.76 %** |" in good
    assert "(reached)" in good and "| 3 |" in good
    assert "2.0 min" in good and "adam lr 0.002" in good
    short = next(line for line in text.splitlines() if "resnet8" in line)
    assert "**90.12 %**" in short and "**not reached**" in short
    missing = next(line for line in text.splitlines() if "--data y" in line)
    assert "not run yet" in missing
    assert "Not run yet: `python experiments/transfer.py`" in text


def test_transfer_section_gives_every_seed_and_the_spread():
    text = cnn_results.transfer_section(_transfer_report())
    scratch = next(line for line in text.splitlines() if line.startswith("| scratch"))
    assert "50.00 %" in scratch and "70.00 %" in scratch and "60.0 ± 10.0 %" in scratch
    assert "| all | 70.00 % | 70.00 % | 70.00 % | 70.0 ± 0.0 % |" in text
    assert "5,000 test images" in text and "50 in all" in text
    assert "Best on average: `all` (70.0 %); from scratch: 60.0 %." in text


def test_an_unfinished_run_shows_its_last_dev_accuracy(tmp_path):
    _fake_run(tmp_path / "short", 0.9, (10.0, 11.0))
    (tmp_path / "short" / "results.json").unlink()
    config = json.loads((tmp_path / "short" / "config.json").read_text())
    (tmp_path / "short" / "config.json").write_text(json.dumps({**config, "epochs": 4}))
    row = cnn_results.cnn_table(RUNS[1:2], tmp_path, {"runs": {}}).splitlines()[-1]
    assert "| 2 of 4 | stopped | – | – | 90.00 % | – (best checkpoint) |" in row


def test_rewriting_keeps_the_sections_of_other_scripts(tmp_path):
    page = tmp_path / "results.md"
    page.write_text("# Results on real data\n\n<!-- other:start -->\nkept\n<!-- other:end -->\n")
    _fake_run(tmp_path / "good", 0.5, (1.0,))
    first = cnn_results.write_results(page, tmp_path, RUNS)
    _fake_run(tmp_path / "short", 0.6, (1.0,))
    second = cnn_results.write_results(page, tmp_path, RUNS)
    assert second.startswith("# Results on real data\n\n<!-- cnn-results:start -->")
    assert "\n<!-- other:start -->\nkept\n<!-- other:end -->\n" in first and "kept" in second
    assert second.count("## CNNs") == 1 and "**60.00 %**" in second


def test_kept_facts_stand_in_for_a_missing_run_folder_and_a_present_one_refreshes_them(
        tmp_path):
    _fake_run(tmp_path / "good", 0.9876, (2.0, 4.0, 3.0))
    facts_path = tmp_path / "facts.json"
    kept = {"status": "finished", "dev_accuracy": 0.9, "planned_epochs": 3, "epochs": 3,
            "wall_time_s": 60.0, "epoch_seconds": 20.0, "train_accuracy": 0.95,
            "final_dev_accuracy": 0.9, "test_accuracy": 0.875, "parameters": None,
            "recipe": "adam lr 0.001"}
    facts_path.write_text(json.dumps({"runs": {"missing": kept}, "transfer": None}))
    text = cnn_results.write_results(tmp_path / "results.md", tmp_path, RUNS,
                                     facts_path=facts_path)
    missing_row = next(line for line in text.splitlines() if "--data y" in line)
    assert "**87.50 %**" in missing_row and "not run yet" not in missing_row
    saved = json.loads(facts_path.read_text())["runs"]
    assert saved["missing"] == kept
    assert saved["good"]["test_accuracy"] == 0.9876        # the present folder was kept
