"""``ivanet predict RUN INPUT``: what a trained model says about an image or an array."""
from __future__ import annotations

import math
from pathlib import Path

import click
import numpy as np

from ivanet.cli.common import RUN_FOLDER, CliError, echo_table

INPUT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command(context_settings={"show_default": True})
@click.argument("run", type=RUN_FOLDER)
@click.argument("input_file", metavar="INPUT", type=INPUT_FILE)
@click.option("--top", type=click.IntRange(min=1), default=5,
              help="Most probable classes shown for a single input.")
@click.option("--invert", is_flag=True,
              help="Invert an image's brightness first: MNIST-style models expect light "
                   "ink on a dark background, photos of writing are the reverse.")
def predict(run: Path, input_file: Path, top: int, invert: bool) -> None:
    """Classify INPUT with the trained model of run folder RUN.

    INPUT is an image file (PNG, JPEG, ...: converted to grey or RGB and resized to the
    model's input size) or a .npy array holding one example (the model's input shape) or
    a batch of them (N, ...). Prints the predicted class and its probability.
    """
    from ivanet.training.loading import load_run, predict_run

    about = load_run(run).data  # task, input_shape, class_names
    input_shape = tuple(about.get("input_shape") or ())
    if input_file.suffix.lower() == ".npy":
        x = read_array(input_file)
    else:
        x = read_image(input_file, input_shape, invert)
    prediction = predict_run(run, x)
    if prediction.labels is None:
        outputs = prediction.outputs.reshape(len(prediction.outputs), -1)
        echo_table(["example", *(f"output {k}" for k in range(outputs.shape[1]))],
                   [[i, *row] for i, row in enumerate(outputs.tolist())])
    elif len(prediction.labels) == 1:
        _echo_one(prediction, about.get("class_names") or [], top)
    else:
        echo_table(["example", "class", "name", "probability"],
                   [[i, int(label), name, float(p[label])] for i, (label, name, p) in
                    enumerate(zip(prediction.labels, prediction.names,
                                  prediction.probabilities))])


def read_array(path: Path) -> np.ndarray:
    """A numeric array from a .npy file (never unpickles objects)."""
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as error:
        raise CliError(f"cannot read {path} as a .npy array: {error}") from None
    if not isinstance(array, np.ndarray) or not np.issubdtype(array.dtype, np.number):
        raise CliError(f"{path} holds {getattr(array, 'dtype', type(array))} values, "
                       f"not numbers")
    return array


def read_image(path: Path, input_shape: tuple[int, ...], invert: bool = False) -> np.ndarray:
    """The image at ``path`` as a uint8 array of ``input_shape``: (C, H, W) with C = 1
    (grey) or 3 (RGB), or a flat (H·W,) vector for a model of square grey images."""
    from PIL import Image, UnidentifiedImageError

    if len(input_shape) == 3 and input_shape[0] in (1, 3):
        channels, height, width = input_shape
    elif len(input_shape) == 1 and math.isqrt(input_shape[0]) ** 2 == input_shape[0]:
        channels, height, width = 1, math.isqrt(input_shape[0]), math.isqrt(input_shape[0])
    else:
        raise CliError(f"this model takes inputs of shape {input_shape}, not images: give a "
                       f".npy array")
    try:
        with Image.open(path) as image:
            image = image.convert("L" if channels == 1 else "RGB")
            image = image.resize((width, height), Image.Resampling.LANCZOS)
            pixels = np.asarray(image, dtype=np.uint8)
    except (UnidentifiedImageError, OSError) as error:
        raise CliError(f"cannot read {path} as an image or a .npy array: {error}") from None
    if invert:
        pixels = 255 - pixels
    pixels = pixels[None] if channels == 1 else pixels.transpose(2, 0, 1)  # (C, H, W)
    return pixels.reshape(input_shape)


def _echo_one(prediction, class_names: list[str], top: int) -> None:
    label, probabilities = int(prediction.labels[0]), prediction.probabilities[0]
    click.echo(f"predicted: {prediction.names[0]} (class {label}, probability "
               f"{probabilities[label]:.1%})")
    order = np.argsort(-probabilities, kind="stable")[:top]
    echo_table(["class", "name", "probability"],
               [[int(k), class_names[k] if k < len(class_names) else str(k),
                 float(probabilities[k])] for k in order])
