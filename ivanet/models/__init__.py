"""The model zoo: one architecture per file, each registered by name (``registry``).

``create_model`` and ``list_models`` import every module of this package on first use, so
a new architecture file only needs its ``@register_model`` decorator.
"""
from ivanet.models.registry import (ModelError, ModelInfo, create_model, list_models,
                                    model_options, register_model)

__all__ = ["create_model", "list_models", "model_options", "register_model", "ModelError",
           "ModelInfo"]
