"""Callbacks that ``fit`` calls: history, progress, early stopping, checkpoints, logs."""
from ivanet.training.callbacks.base import Callback, History, Monitor
from ivanet.training.callbacks.checkpointing import ModelCheckpoint
from ivanet.training.callbacks.early_stopping import EarlyStopping
from ivanet.training.callbacks.loggers import CSVLogger, JSONLinesLogger, TensorBoard
from ivanet.training.callbacks.progress import ProgressBar, format_logs
from ivanet.training.callbacks.schedule import LRSchedulerCallback

__all__ = ["Callback", "History", "Monitor", "ProgressBar", "EarlyStopping",
           "ModelCheckpoint", "LRSchedulerCallback", "CSVLogger", "JSONLinesLogger",
           "TensorBoard", "format_logs"]
