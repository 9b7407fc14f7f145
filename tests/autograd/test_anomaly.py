"""detect_anomaly: the first NaN/inf, forward or backward, names the op and the user's line."""
import inspect

import numpy as np
import pytest

from ivanet import Tensor, detect_anomaly


def _next_line() -> str:
    """``file:line`` of the caller's next line, where the op under test is made."""
    caller = inspect.currentframe().f_back
    return f"{caller.f_code.co_filename}:{caller.f_lineno + 1}"


def test_forward_nan_names_the_op_and_line():
    x = Tensor(np.array([1.0, -1.0]), requires_grad=True)
    with detect_anomaly(), np.errstate(invalid="ignore"), \
            pytest.raises(FloatingPointError) as error:
        where = _next_line()
        x.log()
    message = str(error.value)
    assert "NaN" in message and "Log" in message and where in message


def test_forward_check_also_runs_without_a_graph():
    with detect_anomaly(), np.errstate(divide="ignore"), \
            pytest.raises(FloatingPointError, match="inf in the output of Log"):
        Tensor(np.array([0.0])).log()


def test_backward_inf_names_the_op_and_line():
    x = Tensor(np.array([0.0, 1.0]), requires_grad=True)
    with detect_anomaly(), np.errstate(divide="ignore"):
        where = _next_line()
        y = x.sqrt()  # finite forward, but d√x/dx = inf at 0
        with pytest.raises(FloatingPointError) as error:
            y.sum().backward()
    message = str(error.value)
    assert "inf" in message and "gradient Sqrt sent back" in message and where in message


def test_backward_nan_is_caught():
    x = Tensor(np.array([0.0, 1.0]), requires_grad=True)
    with detect_anomaly(), np.errstate(divide="ignore", invalid="ignore"), \
            pytest.raises(FloatingPointError, match="NaN in the gradient Sqrt"):
        (x.sqrt() * 0.0).sum().backward()  # 0 / (2·√0) = NaN


def test_without_detect_anomaly_infinities_pass_silently_like_torch():
    x = Tensor(np.array([0.0, 1.0]), requires_grad=True)
    with np.errstate(divide="ignore"):
        x.sqrt().sum().backward()
    assert np.isinf(x.grad[0]) and x.grad[1] == 0.5


def test_user_code_in_a_folder_named_ivanet_is_still_the_users():
    """Only the package's own files are skipped when looking for the user's line."""
    code = compile("x.log()", "/home/someone/ivanet/train.py", "exec")
    with detect_anomaly(), np.errstate(invalid="ignore"), \
            pytest.raises(FloatingPointError, match="/home/someone/ivanet/train.py:1"):
        exec(code, {"x": Tensor(np.array([-1.0]), requires_grad=True)})
