"""Differentiable math, one module per family; each op is a ``Function`` plus a function.

The lowercase functions are also importable from here (``from ivanet.ops import concat``),
the functional namespace. A function must not share its module's name, or it would hide
the module that ``Tensor``'s methods call (``ops.shape.reshape``).
"""
from ivanet.ops import (activations, arithmetic, conv, dropout, elementwise,  # noqa: F401
                        linalg, linear, losses, normalization, pooling, reduction, shape,
                        upsample)
from ivanet.ops.activations import (elu, leaky_relu, log_softmax, maxout, relu, sigmoid,
                                    softmax, tanh)
from ivanet.ops.arithmetic import add, div, mul, neg, pow, sub  # noqa: A004
from ivanet.ops.conv import conv2d, conv_transpose2d
from ivanet.ops.elementwise import abs, clip, exp, log, maximum, minimum, sqrt, where  # noqa: A004
from ivanet.ops.linalg import matmul
from ivanet.ops.losses import (binary_cross_entropy, binary_cross_entropy_with_logits,
                               cross_entropy, mse_loss, nll_loss)
from ivanet.ops.normalization import batch_norm, layer_norm
from ivanet.ops.pooling import (adaptive_avg_pool2d, avg_pool2d, global_avg_pool2d,
                                 max_pool2d)
from ivanet.ops.reduction import logsumexp, max, mean, min, sum, var  # noqa: A004
from ivanet.ops.shape import (broadcast_to, concat, expand_dims, getitem, pad, reshape,
                              squeeze, stack, swapaxes, transpose, unsqueeze)
from ivanet.ops.upsample import interpolate, upsample_bilinear, upsample_nearest
from ivanet.ops import attention, embedding, recurrent  # noqa: F401,E402
from ivanet.ops.attention import (additive_attention, dot_product_attention,  # noqa: E402
                                  scaled_dot_product_attention)
from ivanet.ops.recurrent import (gru, gru_cell, lstm, lstm_cell, rnn,  # noqa: E402
                                  rnn_cell)

__all__ = ["add", "sub", "mul", "div", "pow", "neg", "matmul",
           "exp", "log", "sqrt", "abs", "clip", "maximum", "minimum", "where",
           "sum", "mean", "max", "min", "var", "logsumexp",
           "reshape", "transpose", "swapaxes", "squeeze", "expand_dims", "unsqueeze",
           "broadcast_to", "getitem", "concat", "stack", "pad",
           "sigmoid", "tanh", "relu", "leaky_relu", "elu", "maxout", "softmax", "log_softmax",
           "cross_entropy", "nll_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "mse_loss", "batch_norm", "layer_norm",
           "conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "global_avg_pool2d",
           "adaptive_avg_pool2d", "interpolate", "upsample_nearest", "upsample_bilinear",
           "rnn", "gru", "lstm", "rnn_cell", "gru_cell", "lstm_cell",
           "scaled_dot_product_attention", "dot_product_attention", "additive_attention"]
# linear(), dropout() and embedding() stay in their modules (ops.linear.linear, ops.dropout.dropout):
# exported here they would hide the modules of the same name.
