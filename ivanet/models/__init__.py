"""The model zoo: one architecture per file, each registered by name for the CLI."""
from ivanet.models import logreg, mlp  # noqa: F401  (registers the models)
from ivanet.models.registry import (ModelError, ModelInfo, create_model, list_models,
                                    model_options, register_model)

__all__ = ["create_model", "list_models", "model_options", "register_model", "ModelError",
           "ModelInfo"]
