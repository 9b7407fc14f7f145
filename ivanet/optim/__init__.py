"""Optimizers over flat parameter buffers, learning-rate schedules and gradient clipping."""
from ivanet.optim.adam import Adam, AdamW
from ivanet.optim.clip import clip_grad_norm_, clip_grad_value_
from ivanet.optim.momentum import Momentum
from ivanet.optim.optimizer import Optimizer
from ivanet.optim.rmsprop import RMSprop
from ivanet.optim.schedules import (
    CosineAnnealingLR,
    ExponentialLR,
    InverseTimeLR,
    LRScheduler,
    StepLR,
)
from ivanet.optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "Momentum", "RMSprop", "Adam", "AdamW",
           "LRScheduler", "StepLR", "ExponentialLR", "InverseTimeLR", "CosineAnnealingLR",
           "clip_grad_norm_", "clip_grad_value_"]
