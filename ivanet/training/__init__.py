"""Training: ``fit``/``evaluate``/``predict`` with callbacks, metrics, checkpoints, the
bias/variance diagnosis, and whole runs (``train_run``) that the CLI starts."""
from ivanet.training.callbacks import (Callback, CSVLogger, EarlyStopping, History,
                                       JSONLinesLogger, LRSchedulerCallback, ModelCheckpoint,
                                       ProgressBar, TensorBoard)
from ivanet.training.checkpoint import (Checkpoint, load_checkpoint, restore_model,
                                        save_checkpoint)
from ivanet.training.config import TrainConfig
from ivanet.training.diagnosis import Diagnosis, diagnose
from ivanet.training.errors import (CheckpointError, ConfigError, DependencyError,
                                    RunFolderError, TrainingError, UserError)
from ivanet.training.fit import evaluate, fit, predict
from ivanet.training.loading import LoadedRun, Prediction, evaluate_run, load_run, predict_run
from ivanet.training.run import train_run

__all__ = [
    "fit", "evaluate", "predict", "train_run", "load_run", "evaluate_run", "predict_run",
    "LoadedRun", "Prediction", "TrainConfig", "diagnose", "Diagnosis",
    "Callback", "History", "ProgressBar", "EarlyStopping", "ModelCheckpoint",
    "LRSchedulerCallback", "CSVLogger", "JSONLinesLogger", "TensorBoard",
    "Checkpoint", "save_checkpoint", "load_checkpoint", "restore_model",
    "UserError", "ConfigError", "CheckpointError", "RunFolderError", "TrainingError",
    "DependencyError",
]
