"""``ivanet gradcheck MODEL``: back-propagation against finite differences, per parameter."""
from __future__ import annotations

import click
import numpy as np


@click.command(context_settings={"show_default": True})
@click.argument("model")
@click.option("--data", metavar="NAME|PATH",
              help="Check on the first training examples of this data set instead of "
                   "random inputs of the model's default shape.")
@click.option("--batch-size", type=click.IntRange(1, 64), default=4,
              help="Examples checked.")
@click.option("--max-per-parameter", type=click.IntRange(min=1), default=30,
              help="Entries of each parameter checked (picked at random).")
@click.option("--tol", type=click.FloatRange(min=0, min_open=True), default=1e-6,
              help="Largest relative difference ‖g − g̃‖ / (‖g‖ + ‖g̃‖) that passes.")
@click.option("--seed", type=click.IntRange(min=0), default=0,
              help="Seed of the weights, the inputs and the entries checked.")
@click.pass_context
def gradcheck(ctx: click.Context, model: str, data: str | None, batch_size: int,
              max_per_parameter: int, tol: float, seed: int) -> None:
    """Check MODEL's back-propagation against finite differences.

    Every parameter's back-propagated gradient is compared with central differences
    (f(θ + ε) − f(θ − ε)) / 2ε, in float64, on a tiny batch.

    Prints one row per parameter with its relative difference and exits with status 1
    if any is above the tolerance. The model runs in eval mode (no dropout noise).
    """
    from ivanet.autograd.gradcheck import check_model_gradients
    from ivanet.models.registry import create_model, model_options
    from ivanet.training.resolve import resolve_loss

    defaults = model_options(model)  # an unknown name fails here, listing the known ones
    rng = np.random.default_rng(seed)
    x, y, input_shape, outputs, loss_name = _batch(data, defaults, batch_size, rng)
    network = create_model(model, input_shape=input_shape, num_classes=outputs, rng=rng)
    network.eval()
    click.echo(f"{model}: {network.num_parameters():,} parameters, input {tuple(x.shape)}, "
               f"loss {loss_name}")
    report = check_model_gradients(network, resolve_loss(loss_name), (x, y), tol=tol,
                                   max_per_parameter=max_per_parameter, rng=rng)
    click.echo(str(report))
    if not report.passed:
        ctx.exit(1)


def _batch(data: str | None, defaults: dict, size: int, rng: np.random.Generator):
    """(x, y, input_shape, outputs, loss name): real examples of ``data`` or random ones."""
    if data is None:
        input_shape = tuple(defaults.get("input_shape", (1, 28, 28)))
        classes = int(defaults.get("num_classes", 10))
        x = rng.standard_normal((size, *input_shape))
        return x, rng.integers(0, classes, size), input_shape, classes, _loss(classes)
    from ivanet.data import load
    from ivanet.training.setup import output_size

    splits = load(data)
    x, y = splits.train.x[:size].astype(np.float64), splits.train.y[:size]
    outputs = output_size(splits)
    loss = _loss(outputs) if splits.task == "classification" else "mse"
    y = y.astype(np.float64) if loss == "mse" else y
    return x, y, tuple(splits.input_shape), outputs, loss


def _loss(classes: int) -> str:
    return "binary_labels" if classes == 1 else "cross_entropy"
