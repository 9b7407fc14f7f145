"""``ivanet detect RUN IMAGE``: the image with the detector's boxes, classes and scores drawn."""
from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from ivanet.cli.common import RUN_FOLDER, CliError, echo_table

IMAGE_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command(context_settings={"show_default": True})
@click.argument("run", type=RUN_FOLDER)
@click.argument("image_file", metavar="IMAGE", type=IMAGE_FILE)
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Picture to write [default: IMAGE-detections.png].")
@click.option("--score-threshold", type=click.FloatRange(0, 1), default=0.3,
              help="Boxes with score p_c·P(class) at or below this are discarded.")
@click.option("--iou-threshold", type=click.FloatRange(0, 1), default=0.5,
              help="Non-max suppression drops boxes with IoU ≥ this with a kept box.")
@click.option("--scale", type=click.IntRange(1, 16), default=4,
              help="Enlargement of the written picture.")
def detect(run: Path, image_file: Path, out_file: Path | None, score_threshold: float,
           iou_threshold: float, scale: int) -> None:
    """Detect objects in IMAGE with the detector trained in run folder RUN.

    IMAGE is a picture (PNG, JPEG, ...; converted to grey) or a .npy array (H, W) or
    (1, H, W) in [0, 1]; height and width must be multiples of 8. Prints one row per
    detection and writes the picture with the boxes drawn.
    """
    from ivanet.reports.detections import draw_detections
    from ivanet.training.detection import load_detector

    detector = load_detector(run)
    image = _read(image_file)
    if image.shape[-2] % 8 or image.shape[-1] % 8:
        raise CliError(f"the detector needs height and width multiples of 8, "
                       f"{image_file} is {image.shape[-2]}×{image.shape[-1]}")
    [(boxes, scores, labels)] = detector.detect(image[None], score_threshold, iou_threshold)
    names = detector.class_names
    echo_table(["class", "name", "score", "x1", "y1", "x2", "y2"],
               [[int(c), names[c], float(s), *np.round(b, 1).tolist()]
                for b, s, c in zip(boxes, scores, labels)])
    out_file = out_file or image_file.with_name(f"{image_file.stem}-detections.png")
    draw_detections(image, boxes, labels, scores, names, scale).save(out_file)
    click.echo(f"wrote {out_file}")


def _read(path: Path) -> np.ndarray:
    """(1, H, W) float32 in [0, 1] from an image file or a .npy array."""
    if path.suffix.lower() == ".npy":
        from ivanet.cli.predict import read_array

        array = read_array(path).astype(np.float32)
        if array.ndim == 2:
            array = array[None]
        if array.ndim != 3 or array.shape[0] != 1:
            raise CliError(f"{path} holds an array of shape {array.shape}: expected (H, W) "
                           f"or (1, H, W)")
        return array / 255.0 if array.max() > 1.0 else array
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as picture:
            grey = np.asarray(picture.convert("L"), dtype=np.float32) / 255.0
    except (UnidentifiedImageError, OSError) as error:
        raise CliError(f"cannot read {path} as an image: {error}") from None
    return grey[None]
