"""ivanet: the IVA deep-learning course as readable NumPy code, checked against PyTorch."""
from ivanet.autograd import (Function, Tensor, check_model_gradients, detect_anomaly,
                             enable_grad, gradcheck, no_grad)

__version__ = "0.1.0"
__all__ = ["Tensor", "Function", "no_grad", "enable_grad", "detect_anomaly",
           "gradcheck", "check_model_gradients"]
