"""Differentiable math, one module per family; each op is a ``Function`` plus a function.

The lowercase functions are also importable from here (``from ivanet.ops import concat``),
the functional namespace. A function must not share its module's name, or it would hide
the module that ``Tensor``'s methods call (``ops.shape.reshape``).
"""
from ivanet.ops import arithmetic, elementwise, linalg, reduction, shape  # noqa: F401
from ivanet.ops.arithmetic import add, div, mul, neg, pow, sub  # noqa: A004
from ivanet.ops.elementwise import abs, clip, exp, log, maximum, minimum, sqrt, where  # noqa: A004
from ivanet.ops.linalg import matmul
from ivanet.ops.reduction import logsumexp, max, mean, min, sum, var  # noqa: A004
from ivanet.ops.shape import (broadcast_to, concat, expand_dims, getitem, pad, reshape,
                              squeeze, stack, swapaxes, transpose, unsqueeze)

__all__ = ["add", "sub", "mul", "div", "pow", "neg", "matmul",
           "exp", "log", "sqrt", "abs", "clip", "maximum", "minimum", "where",
           "sum", "mean", "max", "min", "var", "logsumexp",
           "reshape", "transpose", "swapaxes", "squeeze", "expand_dims", "unsqueeze",
           "broadcast_to", "getitem", "concat", "stack", "pad"]
