"""Hyperparameter search: the sampled ranges, the study storage and the tune folder."""
import csv
import json

import numpy as np
import optuna
import pytest
from scipy import stats

from ivanet.reports import write_tune_plot
from ivanet.training import tune as tune_module
from ivanet.training.config import TrainConfig
from ivanet.training.errors import ConfigError, TrainingError
from ivanet.training.tune import SearchSpace, make_sampler, suggest, trial_score, tune

optuna.logging.set_verbosity(optuna.logging.WARNING)
SPACE = SearchSpace(lr=(1e-3, 1e-1), batch_sizes=(16, 32), hidden_units=(8, 16))


def _draws(sampler_name: str, n: int, options: dict) -> list[dict]:
    study = optuna.create_study(sampler=make_sampler(sampler_name, seed=7))
    draws = []
    for _ in range(n):
        trial = study.ask()
        draws.append(suggest(trial, SearchSpace(), options))
        study.tell(trial, 0.0)
    return draws


def test_random_learning_rates_are_log_uniform():
    lrs = np.array([d["lr"] for d in _draws("random", 1500, {})])
    assert lrs.min() >= 1e-4 and lrs.max() <= 1e-1
    exponents = (np.log10(lrs) + 4) / 3  # uniform on [0, 1] if lr is log-uniform
    assert stats.kstest(exponents, "uniform").pvalue > 1e-3
    # each decade gets a third of the trials, where a linear scale would give 1e-4..1e-3 1 %
    per_decade = np.histogram(np.log10(lrs), bins=[-4, -3, -2, -1])[0] / len(lrs)
    np.testing.assert_allclose(per_decade, 1 / 3, atol=0.05)
    assert stats.kstest((lrs - 1e-4) / (1e-1 - 1e-4), "uniform").pvalue < 1e-6


def test_batch_sizes_dropout_and_widths_stay_in_the_space():
    draws = _draws("random", 200, {"dropout": 0.3, "hidden": (512, 256)})
    assert {d["batch_size"] for d in draws} == {16, 32, 64, 128, 256}
    dropouts = np.array([d["model_options"]["dropout"] for d in draws])
    assert dropouts.min() >= 0.0 and dropouts.max() <= 0.5 and dropouts.std() > 0.1
    hidden = [d["model_options"]["hidden"] for d in draws]
    assert all(len(h) == 2 and h[0] == h[1] and h[0] in (32, 64, 128, 256, 512) for h in hidden)


def test_only_the_options_a_model_has_are_searched():
    draws = _draws("tpe", 3, {"input_shape": (4,), "num_classes": 3})
    assert all(set(d) == {"lr", "batch_size"} for d in draws)
    scalar = _draws("random", 3, {"hidden_size": 64})
    assert all(isinstance(d["model_options"]["hidden_size"], int) for d in scalar)


def test_unknown_sampler_and_bad_trial_counts(tmp_path):
    with pytest.raises(ConfigError, match="random, tpe"):
        make_sampler("grid", seed=0)
    with pytest.raises(ConfigError, match="trials"):
        tune(TrainConfig(model="mlp"), 0, out=tmp_path / "t")


@pytest.fixture
def tiny_config(tmp_path, rng) -> TrainConfig:
    """An mlp on 120 vectors of 6 features in 3 classes (clusters), 1 epoch."""
    centres = rng.normal(0, 3, (3, 6))

    def part(n):
        y = rng.integers(0, 3, n)
        return (centres[y] + rng.normal(0, 1, (n, 6))).astype(np.float32), y

    (x_train, y_train), (x_dev, y_dev), (x_test, y_test) = part(120), part(40), part(40)
    path = tmp_path / "tiny.npz"
    np.savez(path, x_train=x_train, y_train=y_train, x_dev=x_dev, y_dev=y_dev,
             x_test=x_test, y_test=y_test)
    return TrainConfig(model="mlp", data=str(path), epochs=1, progress=False,
                       runs_dir=str(tmp_path / "runs"))


def test_tune_writes_storage_tables_and_plot(tiny_config, tmp_path):
    out = tmp_path / "tune"
    result = tune(tiny_config, 3, sampler="random", out=out, space=SPACE)
    assert (out / "study.db").is_file()
    with (out / "results.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [row["trial"] for row in rows] == ["0", "1", "2"]
    assert all(row["state"] == "complete" and 0 <= float(row["score"]) <= 1 for row in rows)
    assert all((out / "trials" / f"tune-mlp-000{i}" / "results.json").is_file() for i in range(3))
    markdown = (out / "results.md").read_text()
    assert markdown.count("| complete |") == 3 and "dev_error" in markdown
    summary = json.loads((out / "tune.json").read_text())
    assert summary["best"]["score"] == min(float(row["score"]) for row in rows)
    assert result.best == summary["best"] and result.score_name == "dev_error"
    plot = write_tune_plot(out)
    assert plot == out / "score_vs_lr.png" and plot.stat().st_size > 5000


def test_a_second_call_continues_the_study(tiny_config, tmp_path):
    out = tmp_path / "tune"
    first = tune(tiny_config, 2, sampler="tpe", out=out, space=SPACE)
    second = tune(tiny_config, 1, sampler="tpe", out=out, space=SPACE)
    assert len(second.study.trials) == 3
    lrs = [t.params["lr"] for t in second.study.trials]
    assert len(set(lrs)) == 3  # the resumed sampler drew a fresh value
    assert first.study.study_name == second.study.study_name == "tune-mlp"
    other = tune(tiny_config, 1, sampler="random", out=out, space=SPACE, study_name="other")
    assert len(other.study.trials) == 1 and (out / "trials" / "other-0000").is_dir()


def test_any_database_url_and_study_name(tiny_config, tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    result = tune(tiny_config, 1, sampler="random", storage=url, study_name="shared",
                  out=tmp_path / "machine-a", space=SPACE)
    assert (tmp_path / "shared.db").is_file() and not (tmp_path / "machine-a" / "study.db").exists()
    loaded = optuna.load_study(study_name="shared", storage=url)
    assert len(loaded.trials) == 1 and result.tune_dir == tmp_path / "machine-a"


def test_a_diverged_trial_fails_and_the_search_goes_on(tiny_config, tmp_path, monkeypatch):
    real_train_run, calls = tune_module.train_run, []

    def flaky_train_run(config, **kwargs):
        calls.append(config)
        if len(calls) == 2:
            raise TrainingError("the loss became NaN in epoch 1")
        return real_train_run(config, **kwargs)

    monkeypatch.setattr(tune_module, "train_run", flaky_train_run)
    result = tune(tiny_config, 3, sampler="random", out=tmp_path / "t", space=SPACE)
    states = [t.state.name for t in result.study.trials]
    assert states == ["COMPLETE", "FAIL", "COMPLETE"]
    assert "| fail |" in (tmp_path / "t" / "results.md").read_text()
    assert all(not c.report and not c.progress and c.epochs == 1 for c in calls)


def test_bad_storage_url_is_a_config_error(tiny_config, tmp_path):
    with pytest.raises(ConfigError, match="cannot open study"):
        tune(tiny_config, 1, storage="nosuchdb://x", out=tmp_path / "t")


def test_trial_score_reads_the_run_folder(tmp_path):
    (tmp_path / "results.json").write_text(json.dumps(
        {"metrics": {"dev": {"loss": 0.5, "mae": 0.2}}, "diagnosis": None}))
    assert trial_score(tmp_path) == ("dev_loss", 0.5)
    (tmp_path / "results.json").write_text(json.dumps({"diagnosis": {"dev_error": 0.25}}))
    assert trial_score(tmp_path) == ("dev_error", 0.25)
    (tmp_path / "results.json").write_text(json.dumps({"errors": {"train": 0.1, "dev": 0.2}}))
    assert trial_score(tmp_path) == ("dev_error", 0.2)
    (tmp_path / "results.json").write_text(json.dumps({"metrics": {"test": {"loss": 1.0}}}))
    with pytest.raises(ConfigError, match="dev set"):
        trial_score(tmp_path)


def test_passwords_stay_out_of_tune_json():
    hidden = tune_module._hide_password("postgresql://ada:s3cret@db.example:5432/ivanet")
    assert hidden == "postgresql://ada:***@db.example:5432/ivanet"
    assert tune_module._hide_password("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
