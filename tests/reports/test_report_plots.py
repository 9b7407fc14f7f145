"""The report figures: each PNG is written, has the expected size and shows something."""
import numpy as np
import pytest
from PIL import Image

from ivanet.reports import plots
from ivanet.reports.runfolder import ReportError, history_columns, read_run

from reports_helpers import CLASS_NAMES, bar_images

RED = np.array([214, 39, 40])  # plots.MISTAKE_COLOR


def _pixels(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int64)


def _ink_fraction(path) -> float:
    """Share of pixels that are not (near) white."""
    return float(np.mean(_pixels(path).min(axis=-1) < 230))


def _red_pixels(path) -> int:
    return int(np.sum(np.abs(_pixels(path) - RED).max(axis=-1) < 25))


def test_read_run_parses_every_file(fake_run):
    run = read_run(fake_run)
    assert run.title == "mlp on digits"
    assert len(run.history) == 12 and run.history[0]["epoch"] == 1
    assert set(run.split_metrics()) == {"train", "dev", "test"}
    assert run.diagnosis["verdict"] == "high variance"
    assert list(run.predictions["class_names"]) == CLASS_NAMES


def test_history_falls_back_to_the_csv_file(fake_run):
    jsonl_rows = read_run(fake_run).history
    (fake_run / "metrics.jsonl").unlink()
    csv_rows = read_run(fake_run).history
    assert csv_rows[3]["dev_loss"] == pytest.approx(jsonl_rows[3]["dev_loss"])
    assert isinstance(csv_rows[3]["epoch"], int)


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "config.json").unlink(), "no config.json"),
    (lambda d: (d / "config.json").write_text("{not json"), "cannot read"),
    (lambda d: (d / "results.json").write_text("[1, 2]"), "JSON object"),
    (lambda d: (d / "predictions.npz").write_bytes(b"garbage"), "cannot read"),
])
def test_broken_run_folders_raise_report_error(fake_run, damage, message):
    damage(fake_run)
    with pytest.raises(ReportError, match=message):
        read_run(fake_run)


def test_missing_folder_raises_report_error(tmp_path):
    with pytest.raises(ReportError, match="does not exist"):
        read_run(tmp_path / "nope")


def test_curves_show_train_and_dev_for_loss_and_accuracy(fake_run, tmp_path):
    history = read_run(fake_run).history
    path = plots.plot_curves(history, tmp_path / "curves.png")
    width, height = Image.open(path).size
    assert (width, height) == (1000, 380)  # two panels of 5 x 3.8 inches at 100 dpi
    assert 0.03 < _ink_fraction(path) < 0.5
    orange = np.array([255, 127, 14])  # dev curve colour
    assert np.sum(np.abs(_pixels(path) - orange).max(axis=-1) < 25) > 200


def test_curves_of_a_regression_run_show_mae(tmp_path):
    history = [{"epoch": e, "train_loss": 1 / e, "dev_loss": 1.2 / e, "train_mae": 0.5 / e,
                "dev_mae": 0.6 / e, "lr": 0.1} for e in range(1, 6)]
    assert set(history_columns(history)) >= {"train_mae", "dev_mae"}
    path = plots.plot_curves(history, tmp_path / "curves.png")
    assert Image.open(path).size == (1000, 380)


def test_curves_and_lr_need_a_history(tmp_path):
    assert plots.plot_curves([], tmp_path / "c.png") is None
    assert plots.plot_learning_rate([{"epoch": 1, "train_loss": 1.0}], tmp_path / "l.png") is None
    assert not list(tmp_path.iterdir())


def test_learning_rate_uses_a_log_axis_across_decades(tmp_path, fake_run):
    history = [{"epoch": e, "lr": 10.0 ** -e} for e in range(1, 6)]
    assert plots.plot_learning_rate(history, tmp_path / "lr.png").is_file()
    steps = plots.plot_learning_rate(read_run(fake_run).history, tmp_path / "steps.png")
    assert _ink_fraction(steps) > 0.02


def test_confusion_matrix_counts_and_names(tmp_path, rng):
    y_true = rng.integers(0, 3, 50)
    path = plots.plot_confusion_matrix(y_true, y_true, ["cat", "dog", "bird"], tmp_path / "cm.png")
    assert _ink_fraction(path) > 0.1  # a dark diagonal
    # class names that do not match the labels fall back to numbers instead of failing
    other = plots.plot_confusion_matrix(y_true, (y_true + 1) % 4, ["a"], tmp_path / "cm2.png")
    assert other.is_file()


def test_sample_grid_marks_mistakes_in_red(tmp_path, rng):
    labels = rng.integers(0, 10, 16)
    images = bar_images(labels, rng)
    right = plots.plot_sample_predictions(images, labels, labels, CLASS_NAMES, tmp_path / "ok.png")
    wrong_pred = labels.copy()
    wrong_pred[[2, 5]] = (labels[[2, 5]] + 1) % 10
    wrong = plots.plot_sample_predictions(images, labels, wrong_pred, CLASS_NAMES,
                                          tmp_path / "bad.png")
    assert _red_pixels(right) == 0
    assert _red_pixels(wrong) > 300  # two thick red frames and red titles
    assert Image.open(wrong).size == (1000, 320)  # 8 columns x 2 rows


@pytest.mark.parametrize("shape, expected", [
    ((4, 1, 8, 8), (4, 8, 8)), ((4, 3, 8, 8), (4, 8, 8, 3)), ((4, 8, 8), (4, 8, 8)),
    ((4, 64), (4, 8, 8)), ((4, 48), (4, 4, 4, 3)), ((4, 4), (4, 2, 2)), ((4, 13), None),
])
def test_as_images_shapes(shape, expected, rng):
    images = plots.as_images(rng.normal(size=shape))
    if expected is None:
        assert images is None
    else:
        assert images.shape == expected
        assert images.min() >= 0.0 and images.max() <= 1.0


def test_no_sample_grid_for_tabular_inputs(tmp_path, rng):
    path = plots.plot_sample_predictions(rng.normal(size=(8, 13)), np.zeros(8, int),
                                         np.zeros(8, int), None, tmp_path / "grid.png")
    assert path is None


def test_score_vs_lr_uses_a_log_axis(tmp_path, rng):
    lrs = 10 ** rng.uniform(-4, -1, 6)
    scores = np.array([0.5, 0.7, np.nan, 0.9, 0.6, 0.8])
    path = plots.plot_score_vs_lr(lrs, scores, tmp_path / "tune.png", "dev accuracy",
                                  best_index=3)
    assert _red_pixels(path) > 20  # the best trial's circle
