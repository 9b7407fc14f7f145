"""Layers and models: ``Module`` holds Parameters and buffers and calls the ops.

    from ivanet import nn
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
"""
from ivanet.nn import init, regularizers  # noqa: F401
from ivanet.nn.activation import (ELU, LeakyReLU, LogSoftmax, Maxout, ReLU, Sigmoid, Softmax,
                                  Tanh)
from ivanet.nn.containers import ModuleDict, ModuleList, Sequential
from ivanet.nn.conv import Conv2d, ConvTranspose2d
from ivanet.nn.dropout import Dropout
from ivanet.nn.dropout2d import Dropout2d
from ivanet.nn.flatten import Flatten
from ivanet.nn.linear import Identity, Linear
from ivanet.nn.loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from ivanet.nn.mlp import MLP
from ivanet.nn.module import Module
from ivanet.nn.normalization import BatchNorm1d, BatchNorm2d
from ivanet.nn.parameter import Parameter
from ivanet.nn.pooling import (AdaptiveAvgPool2d, AvgPool2d, GlobalAvgPool2d, MaxPool2d,
                               Upsample)
from ivanet.nn.regularizers import l1_penalty, l2_penalty
from ivanet.nn.state import LoadResult, StateDictError
from ivanet.nn.attention import AdditiveAttention, DotProductAttention, MultiheadAttention  # noqa: E402,I001
from ivanet.nn.embedding import Embedding  # noqa: E402
from ivanet.nn.recurrent import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell  # noqa: E402

__all__ = [
    "Module", "Parameter", "Sequential", "ModuleList", "ModuleDict",
    "Linear", "Identity", "Flatten", "Dropout", "BatchNorm1d", "BatchNorm2d",
    "Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d",
    "GlobalAvgPool2d", "Upsample", "Dropout2d",
    "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Maxout", "Softmax", "LogSoftmax",
    "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "MSELoss",
    "MLP", "init", "regularizers", "l1_penalty", "l2_penalty", "LoadResult", "StateDictError",
    "RNNCell", "GRUCell", "LSTMCell", "RNN", "GRU", "LSTM", "Embedding",
    "MultiheadAttention", "AdditiveAttention", "DotProductAttention",
]
