"""The bias/variance table of Day 2, column by column."""
import pytest

from ivanet.training.diagnosis import BIAS_REMEDIES, VARIANCE_REMEDIES, diagnose


@pytest.mark.parametrize("train, dev, verdict", [
    (0.01, 0.11, "high variance"),
    (0.15, 0.16, "high bias"),
    (0.15, 0.30, "high bias and high variance"),
    (0.005, 0.01, "good fit"),
])
def test_the_four_columns_of_the_slide(train, dev, verdict):
    result = diagnose(train, dev)
    assert result.verdict == verdict
    assert result.human_error == 0.0
    assert result.avoidable_bias == pytest.approx(train)
    assert result.variance == pytest.approx(dev - train)


def test_remedies_follow_the_verdict():
    assert diagnose(0.01, 0.11).remedies == list(VARIANCE_REMEDIES)
    assert diagnose(0.15, 0.16).remedies == list(BIAS_REMEDIES)
    assert diagnose(0.15, 0.30).remedies == [*BIAS_REMEDIES, *VARIANCE_REMEDIES]
    assert diagnose(0.005, 0.01).remedies == []


def test_human_error_moves_the_bias_baseline():
    # 15 % train error is no avoidable bias when humans make 14 % errors.
    assert diagnose(0.15, 0.16, human_error=0.14).verdict == "good fit"


def test_small_dev_set_widens_the_tolerance():
    assert diagnose(0.01, 0.05).verdict == "high variance"
    wide = diagnose(0.01, 0.05, dev_size=100)  # 2·√(0.05·0.95/100) ≈ 4.4 points
    assert wide.verdict == "good fit" and wide.tolerance > 0.04


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match="train_error"):
        diagnose(-0.1, 0.2)
    with pytest.raises(TypeError, match="dev_error"):
        diagnose(0.1, "20%")


def test_to_dict_has_the_results_json_keys():
    keys = diagnose(0.01, 0.11).to_dict().keys()
    assert {"verdict", "remedies", "train_error", "dev_error", "human_error"} <= set(keys)
