"""The engine: ``Tensor``, ``Function``, iterative backward, ``no_grad``, gradient checks."""
from ivanet.autograd.tensor import Tensor  # noqa: I001  (Tensor first: function builds on it)
from ivanet.autograd.function import Function
from ivanet.autograd.mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad

__all__ = ["Tensor", "Function", "no_grad", "enable_grad", "is_grad_enabled",
           "detect_anomaly"]
from ivanet.autograd.gradcheck import check_model_gradients, gradcheck  # noqa: E402

__all__ += ["gradcheck", "check_model_gradients"]
