"""ivanet: the IVA deep-learning course as readable NumPy code, checked against PyTorch."""
from ivanet.autograd import Function, Tensor, detect_anomaly, enable_grad, no_grad

__version__ = "0.1.0"
__all__ = ["Tensor", "Function", "no_grad", "enable_grad", "detect_anomaly"]
